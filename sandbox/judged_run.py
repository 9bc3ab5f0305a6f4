"""A judged run inside a container: the docker backend's counterpart of the local
backend's init (`sandbox/local/zygote.py`). Standard library only: it runs in the
sandbox image, started as root by `docker exec`, with only CAP_SETUID, CAP_SETGID and
CAP_KILL.

    python -I judged_run.py JOB.json JUDGE_INPUT

Both files are root-only (0600, checked): the candidate cannot read them.
    JOB.json:    {"candidate": {"argv": [...], "uid": 65534, "cwd": "/sandbox"},
                  "judge":     {"argv": [...], "uid": 65533, "cwd": "/tmp/.judge-<random>", "make_cwd": true},
                  "cpu_s": 1.0, "open_files": 64, "output_bytes": 1048576}
    JUDGE_INPUT: the judge's stdin (the test code and expected values).

The judge is started first (a candidate fork bomb cannot keep it from starting), then
the candidate; only then is the judge's input read (from a descriptor opened before,
never inherited) and sent, so the candidate, forked from here, never held it. Pipes: the
judge's fd 3 writes to the candidate's fd 0, the candidate's fd 3 writes to the judge's
fd 4 (as `JudgeSpec` describes). Each process's stdout and stderr are read here, capped
at `output_bytes`; going over kills both. Once both have ended, output still arriving
from their leftovers is read for at most `DRAIN_S`, then the report is made (the
container is discarded after the run, leftovers with it). Prints one JSON line: each
process's wait status, CPU seconds, peak RSS and output (base64), and the limit that
ended the run, if any.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import resource
import select
import signal
import stat
import sys
import time

DRAIN_S = 0.2


def _child(argv: list[str], uid: int, cwd: str, fds: list[int], cpu_s: float, open_files: int, make_cwd: bool = False) -> int:
    """Fork; in the child put `fds` at 0..n-1, drop to `uid`, set limits, exec. With
    `make_cwd` the child makes `cwd` itself, as `uid`, mode 0700 (the judge's private
    directory: its random name cannot be made first by the candidate)."""
    pid = os.fork()
    if pid != 0:
        return pid
    try:
        # Move every source above the targets first, so no dup2 overwrites a later source.
        moved = [fcntl.fcntl(fd, fcntl.F_DUPFD, len(fds)) for fd in fds]
        for target, fd in enumerate(moved):
            os.dup2(fd, target, inheritable=True)
        os.closerange(len(fds), 65536)
        for signum in (signal.SIGPIPE, signal.SIGXFSZ):  # Python ignores these; exec keeps that
            signal.signal(signum, signal.SIG_DFL)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)  # from root to a plain uid: every capability is gone
        cpu = max(1, int(cpu_s + 0.999))
        # soft: SIGXCPU (reported as "cpu"); hard, a second later, for programs that catch it
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if make_cwd:
            os.mkdir(cwd, 0o700)
        os.chdir(cwd)
        os.execve(argv[0], argv, {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": cwd, "LANG": "C.UTF-8"})
    except BaseException as exc:  # noqa: BLE001 - report on stderr (fd 2), then die
        os.write(2, f"judged_run: could not start {argv[0]}: {exc}\n".encode())
    os._exit(127)


def open_private(path: str) -> int:
    """Open a file only root can have written and read: owned by uid 0, mode 0600, no symlink."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != 0 or stat.S_IMODE(info.st_mode) != 0o600:
        os.close(fd)
        raise PermissionError(f"{path}: not a root-only file")
    os.unlink(path)
    return fd


def _read_fd(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def run(job: dict, judge_input_fd: int) -> dict:
    limit = int(job["output_bytes"])
    calls_r, calls_w = os.pipe()
    replies_r, replies_w = os.pipe()
    judge_in_r, judge_in_w = os.pipe()
    pipes = {name: os.pipe() for name in ("cand_out", "cand_err", "judge_out", "judge_err")}
    judge_fds = [judge_in_r, pipes["judge_out"][1], pipes["judge_err"][1], calls_w, replies_r]
    cand_fds = [calls_r, pipes["cand_out"][1], pipes["cand_err"][1], replies_w]
    spec_j, spec_c = job["judge"], job["candidate"]
    args = (float(job["cpu_s"]), int(job["open_files"]))
    judge = _child(spec_j["argv"], int(spec_j["uid"]), spec_j.get("cwd", "/"), judge_fds, *args,
                   make_cwd=bool(spec_j.get("make_cwd")))
    candidate = _child(spec_c["argv"], int(spec_c["uid"]), spec_c["cwd"], cand_fds, *args)
    for fd in (calls_r, calls_w, replies_r, replies_w, judge_in_r, *(w for _, w in pipes.values())):
        os.close(fd)
    # Only now, with the candidate started, is the judge's input read into this process.
    data = memoryview(_read_fd(judge_input_fd))
    try:
        while data:
            data = data[os.write(judge_in_w, data) :]
    except BrokenPipeError:
        pass  # the judge died first: its status says so
    finally:
        os.close(judge_in_w)

    outputs = {name: bytearray() for name in pipes}
    truncated = {name: False for name in pipes}
    open_fds = {r: name for name, (r, _) in pipes.items()}
    killed_by = None
    statuses: dict[int, tuple[int, float, int]] = {}
    drain_until = None
    while open_fds or len(statuses) < 2:
        if open_fds:
            ready, _, _ = select.select(list(open_fds), [], [], 0.05)
            for fd in ready:
                chunk = os.read(fd, 65536)
                name = open_fds[fd]
                if not chunk:
                    del open_fds[fd]
                    os.close(fd)
                    continue
                room = limit - len(outputs[name])
                outputs[name] += chunk[: max(room, 0)]
                if len(chunk) > room:
                    truncated[name] = True
                    if killed_by is None:
                        killed_by = "output"
                        for pid in (candidate, judge):
                            _kill(pid)
        while len(statuses) < 2:
            pid, status, usage = os.wait4(-1, 0 if not open_fds else os.WNOHANG)
            if pid == 0:
                break
            if pid in (candidate, judge):
                statuses[pid] = (status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
        if len(statuses) == 2:
            # Both ended: what their leftovers still write is read for a bounded time only,
            # so a grandchild holding a pipe open cannot keep the run going.
            drain_until = drain_until or time.monotonic() + DRAIN_S
            if time.monotonic() >= drain_until:
                break
    return {
        "killed_by": killed_by,
        **{
            role: {
                "status": statuses[pid][0],
                "cpu_s": round(statuses[pid][1], 4),
                "max_rss_kb": statuses[pid][2],
                "stdout": base64.b64encode(bytes(outputs[f"{prefix}_out"])).decode(),
                "stderr": base64.b64encode(bytes(outputs[f"{prefix}_err"])).decode(),
                "stdout_truncated": truncated[f"{prefix}_out"],
                "stderr_truncated": truncated[f"{prefix}_err"],
            }
            for role, prefix, pid in (("candidate", "cand", candidate), ("judge", "judge", judge))
        },
    }


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def main() -> None:
    job = json.loads(_read_fd(open_private(sys.argv[1])))
    judge_input = open_private(sys.argv[2])  # read after the candidate has started
    report = run(job, judge_input)
    sys.stdout.write("\n" + json.dumps(report) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
