"""The fork server: a warm interpreter that forks one isolated execution per request.

Process tree of one execution (all but the zygote live only for that execution)::

    zygote            root, private mount ns holding the read-only root view; forks on request
     └─ supervisor    root; own cgroup; unshares pid/net/ipc/uts/mount; enforces wall, CPU
        │             and output limits from outside; reports the result to the parent
        └─ init       pid 1 of the new pid ns; mounts /proc, /tmp, /sandbox; reaps orphans.
           │          When it exits the kernel SIGKILLs everything left in the namespace,
           │          so double-fork daemons and `setsid` orphans cannot outlive the run.
           └─ candidate  chroot to the root view, unprivileged uid unique to this run,
                         no_new_privs, rlimits, fds 0-2 only, empty environment; then
                         execs argv or runs the Python source in the already warm interpreter

The zygote never parses requests: it receives one socket per request (SCM_RIGHTS),
forks, and forgets. Everything it has in memory is inherited by candidates, so it is
started with an empty environment and holds nothing secret. It also imports nothing
heavy (no pydantic: the parent validates requests and results), because the cost of
each fork grows with the zygote's memory.
"""

from __future__ import annotations

import gc
import json
import math
import os
import resource
import select
import signal
import socket
import struct
import sys
import time
import traceback
from dataclasses import dataclass

import base64

from sandbox.local import rootfs
from sandbox.local import syscalls as sc
from sandbox.local.cgroups import CgroupTree, Leaf

# Modules candidates commonly import: loaded once here so a sample pays only a fork.
WARM_MODULES = (
    "abc argparse array bisect builtins calendar cmath collections collections.abc contextlib copy "
    "dataclasses datetime decimal enum fractions functools hashlib heapq io itertools json math "
    "numbers operator random re statistics string struct sys textwrap threading time traceback "
    "types typing unicodedata atexit"
).split()

MiB = 1024 * 1024
_RUN_TMP_BINDS: list[str] = []  # set when the installation lives under /tmp
UID_BASE = 1_000_000  # + supervisor pid: a uid no other live execution (or host user) has
_HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class Lim:
    cpu_s: float
    wall_limit_s: float
    memory_mb: int
    max_pids: int
    output_bytes: int
    scratch_mb: int
    open_files: int


@dataclass(frozen=True)
class Job:
    """A request as the parent validated it (`ExecRequest` in JSON form), plus its slot."""

    argv: list[str] | None
    python: str | None
    files: dict[str, bytes]
    stdin: bytes
    limits: Lim
    slot: int

    @classmethod
    def from_json(cls, raw: bytes) -> Job:
        d = json.loads(raw)
        return cls(
            argv=d["argv"],
            python=d["python"],
            files={k: base64.b64decode(v) for k, v in d["files"].items()},
            stdin=base64.b64decode(d["stdin"]),
            limits=Lim(**{f: d["limits"][f] for f in Lim.__dataclass_fields__}),
            slot=d["slot"],
        )


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def recv_frame(sock: socket.socket, max_bytes: int = 1 << 31) -> bytes | None:
    header = _recv_exact(sock, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    if size > max_bytes:
        raise ValueError(f"frame of {size} bytes exceeds {max_bytes}")
    return _recv_exact(sock, size)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    chunks, got = [], 0
    while got < size:
        chunk = sock.recv(min(size - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------- zygote


def serve(control_fd: int, settings: dict) -> None:
    """Prepare the isolation that is shared by all executions, then fork on demand."""
    sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
    control = socket.socket(fileno=control_fd)
    try:
        if os.getppid() == 1:
            raise SystemExit("parent died before the zygote started")
        sc.unshare(sc.CLONE_NEWNS)
        for name in settings["preload"]:
            __import__(name)
        root = rootfs.build(settings["root"], settings["extra_dirs"])
        _RUN_TMP_BINDS.extend(p for p in rootfs.python_dirs(settings["extra_dirs"]) if rootfs.under_tmp(p))
        cgroups = CgroupTree.create(f"assay-{os.getpid()}") if settings["limits_via"] != "rlimit" else None
        if settings["limits_via"] == "cgroup" and cgroups is None:
            raise RuntimeError("no usable cgroup (v1 memory+pids+cpuacct, or v2 with them delegated)")
        _probe_namespaces(settings["ns_flags"])
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails loudly
        send_frame(control, json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
        raise SystemExit(1) from None
    for name in WARM_MODULES:
        __import__(name)
    send_frame(control, json.dumps({"ready": True, "cgroup": cgroups.version if cgroups else None}).encode())
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps finished supervisors
    gc.collect()
    gc.freeze()  # keep the warm heap shared with children instead of copied by the collector
    try:
        while True:
            try:
                msg, fds, _flags, _addr = socket.recv_fds(control, 16, 4)
            except InterruptedError:
                continue
            if not msg:
                break  # parent closed the control socket (or died)
            if len(fds) != 1:
                for fd in fds:
                    os.close(fd)
                continue
            if os.fork() == 0:
                control.close()
                _supervise(fds[0], root, cgroups, settings["ns_flags"])
            os.close(fds[0])
    finally:
        if cgroups is not None:
            cgroups.remove()


def _probe_namespaces(flags: int) -> None:
    """Fail at start-up, not per sample, if the namespaces cannot be created."""
    pid = os.fork()
    if pid == 0:
        try:
            sc.unshare(flags)
            os._exit(0)
        except OSError as exc:
            os.write(2, f"{exc}\n".encode())
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("cannot create the requested namespaces (needs root or CAP_SYS_ADMIN)")


# --------------------------------------------------------------------------- supervisor


def _supervise(sock_fd: int, root: str, cgroups: CgroupTree | None, ns_flags: int) -> None:
    """One execution, from request to reply; always ends the process."""
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
        sock = socket.socket(fileno=sock_fd)
        raw = recv_frame(sock)
        if raw is None:
            os._exit(0)
        try:
            reply = json.dumps(_execute(Job.from_json(raw), root, cgroups, ns_flags)).encode()
        except Exception:  # noqa: BLE001 - infrastructure failure, the parent raises SandboxError
            reply = json.dumps({"sandbox_error": traceback.format_exc(limit=8)}).encode()
        send_frame(sock, reply)
    except BaseException:  # noqa: BLE001
        code = 1
    os._exit(code)


def _execute(req: Job, root: str, cgroups: CgroupTree | None, ns_flags: int) -> dict:
    limits = req.limits
    uid = UID_BASE + os.getpid()
    leaf: Leaf | None = None
    if cgroups is not None:
        leaf = cgroups.leaf(req.slot, limits.memory_mb * MiB, limits.max_pids)
    try:
        sc.unshare(ns_flags)
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        status_r, status_w = os.pipe()
        go_r, go_w = os.pipe()
        started = time.monotonic()
        init_pid = os.fork()
        if init_pid == 0:
            for fd in (in_w, out_r, err_r, status_r, go_w):
                os.close(fd)
            _init(req, root, uid, leaf is not None, go_r, status_w, (in_r, out_w, err_w))
        for fd in (in_r, out_w, err_w, status_w, go_r):
            os.close(fd)
        if leaf is not None:
            leaf.add(init_pid)
        os.write(go_w, b"g")
        os.close(go_w)
        return _watch(req, init_pid, started, leaf, in_w, out_r, err_r, status_r)
    finally:
        # Free the run's tmpfs pages now, not when this process exits: the slot's
        # cgroup is reused as soon as the parent has our reply.
        for mountpoint in ("tmp", rootfs.SCRATCH.lstrip("/"), "proc"):
            try:
                sc.umount(f"{root}/{mountpoint}", sc.MNT_DETACH)
            except OSError:
                pass


def _watch(
    req: Job, init_pid: int, started: float, leaf: Leaf | None, in_w: int, out_r: int, err_r: int, status_r: int
) -> dict:
    """Feed stdin, collect capped output, enforce wall/CPU/output limits from outside."""
    limits = req.limits
    deadline = started + limits.wall_limit_s
    pidfd = os.pidfd_open(init_pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    outputs = {out_r: bytearray(), err_r: bytearray()}
    truncated = {out_r: False, err_r: False}
    for fd in outputs:
        poller.register(fd, select.POLLIN)
    stdin_left = memoryview(req.stdin)
    if stdin_left:
        os.set_blocking(in_w, False)
        poller.register(in_w, select.POLLOUT)
    else:
        os.close(in_w)
        in_w = -1
    killed_by: str | None = None
    init_alive, open_pipes = True, set(outputs)
    ended = started

    def kill(reason: str) -> None:
        nonlocal killed_by
        if killed_by is None:
            killed_by = reason
        try:
            os.kill(init_pid, signal.SIGKILL)  # pid 1 of the namespace: takes everything with it
        except ProcessLookupError:
            pass

    while init_alive or open_pipes:
        now = time.monotonic()
        if init_alive and now >= deadline:
            kill("wall")
        wait_s = max(0.0, deadline - now) if init_alive else 1.0
        if leaf is not None and init_alive:
            wait_s = min(wait_s, 0.02)
        for fd, event in poller.poll(wait_s * 1000):
            if fd == pidfd:
                init_alive = False
                ended = time.monotonic()
                poller.unregister(pidfd)
            elif fd == in_w:
                try:
                    sent = os.write(in_w, stdin_left[: 1 << 16])
                    stdin_left = stdin_left[sent:]
                except (BrokenPipeError, BlockingIOError) as exc:
                    if isinstance(exc, BrokenPipeError):
                        stdin_left = stdin_left[:0]
                if not stdin_left or event & (select.POLLERR | select.POLLHUP):
                    poller.unregister(in_w)
                    os.close(in_w)
                    in_w = -1
            elif fd in outputs:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    poller.unregister(fd)
                    open_pipes.discard(fd)
                    continue
                room = limits.output_bytes - len(outputs[fd])
                outputs[fd] += chunk[: max(0, room)]
                if len(chunk) > room:
                    truncated[fd] = True
                    kill("output")
        if leaf is not None and init_alive and leaf.cpu_s() > limits.cpu_s:
            kill("cpu")
    if in_w >= 0:
        os.close(in_w)
    os.close(pidfd)
    os.waitpid(init_pid, 0)
    report = _read_all(status_r)
    info = json.loads(report) if report else {}
    if "setup_error" in info:
        raise RuntimeError(f"sandbox setup failed: {info['setup_error']}")

    exit_code = signum = None
    cpu_s = info.get("cpu_s", 0.0)
    rss_mb = info.get("max_rss_kb", 0) / 1024
    if "status" in info:
        status = info["status"]
        if os.WIFEXITED(status):
            exit_code = os.WEXITSTATUS(status)
        elif os.WIFSIGNALED(status):
            signum = os.WTERMSIG(status)
    elif killed_by is None:
        killed_by = "wall"  # init died without a report: only our SIGKILL does that
    pids_hit = False
    if leaf is not None:
        stats = leaf.stats()
        cpu_s = stats.cpu_s if stats.cpu_s is not None else cpu_s
        rss_mb = stats.peak_mb if stats.peak_mb else rss_mb
        pids_hit = stats.pids_limit_hit
        if stats.oom_killed and killed_by in (None, "wall"):
            killed_by = "memory"
    if killed_by is None and signum in (signal.SIGXCPU, signal.SIGKILL) and cpu_s >= limits.cpu_s:
        killed_by = "cpu"  # the kernel's RLIMIT_CPU backstop fired
    if killed_by is not None:
        exit_code = None
        signum = signum or signal.SIGKILL
    return {
        "exit_code": exit_code,
        "signal": signum,
        "killed_by": killed_by,
        "stdout": base64.b64encode(outputs[out_r]).decode(),
        "stderr": base64.b64encode(outputs[err_r]).decode(),
        "stdout_truncated": truncated[out_r],
        "stderr_truncated": truncated[err_r],
        "cpu_s": round(cpu_s, 4),
        "wall_s": round(ended - started, 4),
        "max_rss_mb": round(rss_mb, 2),
        "pids_limit_hit": pids_hit,
        "backend": "local",
    }


def _read_all(fd: int) -> bytes:
    data = bytearray()
    while chunk := os.read(fd, 1 << 16):
        data += chunk
    os.close(fd)
    return bytes(data)


# --------------------------------------------------------------------------- init (pid 1)


def _init(req: Job, root: str, uid: int, has_cgroup: bool, go_r: int, status_w: int, stdio: tuple) -> None:
    report: dict = {}
    try:
        sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
        os.read(go_r, 1)  # the supervisor has put us in the cgroup
        os.close(go_r)
        limits = req.limits
        flags = sc.MS_NOSUID | sc.MS_NODEV
        size = f"size={limits.scratch_mb}m"
        sc.mount("tmpfs", f"{root}/tmp", "tmpfs", flags, f"{size},mode=1777")
        if _RUN_TMP_BINDS:
            rootfs.bind_into_run_tmp(root, _RUN_TMP_BINDS)
        scratch = f"{root}{rootfs.SCRATCH}"
        sc.mount("tmpfs", scratch, "tmpfs", flags, f"{size},mode=0700,uid={uid},gid={uid}")
        sc.mount("proc", f"{root}/proc", "proc", flags | sc.MS_NOEXEC, "hidepid=2")
        files = dict(req.files)
        if req.python is not None:
            files["main.py"] = req.python.encode("utf-8", "surrogatepass")
        for name, data in files.items():
            _write_owned(scratch, name, data, uid)
        socket.sethostname("sandbox")
        setup_r, setup_w = os.pipe()
        os.set_inheritable(setup_w, True)
        pid = os.fork()
        if pid == 0:
            os.close(setup_r)
            _candidate(req, root, uid, has_cgroup, stdio, setup_w)
        os.close(setup_w)
        for fd in stdio:
            os.close(fd)
        setup_error = _read_all(setup_r)  # EOF once the candidate starts untrusted code
        if setup_error:
            report = {"setup_error": setup_error.decode("utf-8", "replace")}
        while True:  # reap orphans re-parented to us until the candidate itself ends
            got, status, usage = os.wait4(-1, 0)
            if got == pid:
                break
        if not setup_error:
            report = {
                "status": status,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "max_rss_kb": usage.ru_maxrss,
            }
    except BaseException:  # noqa: BLE001
        report = {"setup_error": traceback.format_exc(limit=6)}
    try:
        os.write(status_w, json.dumps(report).encode())
    finally:
        os._exit(0)


def _write_owned(scratch: str, name: str, data: bytes, uid: int) -> None:
    path = os.path.join(scratch, name)
    parent = os.path.dirname(path)
    if parent != scratch:
        os.makedirs(parent, mode=0o755, exist_ok=True)
        walk = parent
        while walk != scratch:
            os.chown(walk, uid, uid)
            walk = os.path.dirname(walk)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        os.write(fd, data) if len(data) < (1 << 30) else None
        os.fchown(fd, uid, uid)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- candidate


def _candidate(req: Job, root: str, uid: int, has_cgroup: bool, stdio: tuple, setup_w: int) -> None:
    try:
        for target, fd in enumerate(stdio):
            os.dup2(fd, target)
        os.closerange(3, setup_w)
        os.closerange(setup_w + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        os.chroot(root)
        os.chdir(rootfs.SCRATCH)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # drops every capability: we were root only until here
        sc.prctl(sc.PR_SET_NO_NEW_PRIVS, 1)
        _set_rlimits(req, has_cgroup)
        os.environ.clear()
        if req.argv is not None:
            os.set_inheritable(setup_w, False)  # closed by a successful exec
            os.execve(req.argv[0], req.argv, {})
        os.close(setup_w)
    except BaseException as exc:  # noqa: BLE001
        os.write(setup_w, f"{type(exc).__name__}: {exc}".encode())
        os._exit(127)
    _run_python(req.python or "")


def _set_rlimits(req: Job, has_cgroup: bool) -> None:
    limits = req.limits
    cpu = math.ceil(limits.cpu_s)
    # With a cgroup the supervisor enforces total CPU; the rlimit is a per-process backstop.
    soft_cpu = cpu + 1 if has_cgroup else cpu
    resource.setrlimit(resource.RLIMIT_CPU, (soft_cpu, soft_cpu + 1))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_pids, limits.max_pids))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.scratch_mb * MiB, limits.scratch_mb * MiB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if not has_cgroup:
        mem = limits.memory_mb * MiB
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))


def _run_python(source: str) -> None:
    """Behave as `python -I /sandbox/main.py` would, in this already warm interpreter."""
    import atexit
    import builtins
    import threading
    import types

    atexit._clear()
    if "random" in sys.modules:
        sys.modules["random"].seed()  # a fresh interpreter would not share the zygote's state
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", errors="surrogateescape", closefd=False)  # noqa: SIM115
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)  # noqa: SIM115
    sys.argv = [f"{rootfs.SCRATCH}/main.py"]
    main = types.ModuleType("__main__")
    main.__file__ = sys.argv[0]
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    code = 0
    try:
        exec(compile(source, sys.argv[0], "exec"), main.__dict__)  # noqa: S102 - inside the sandbox
    except SystemExit as exc:
        code = _exit_code(exc)
    except BaseException as exc:  # noqa: BLE001 - uncaught: print like the interpreter does
        try:
            tb = exc.__traceback__.tb_next if exc.__traceback__ else None
            sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        except BaseException:  # noqa: BLE001
            pass
        code = 1
    for finish in (threading._shutdown, atexit._run_exitfuncs):
        try:
            finish()
        except SystemExit as exc:
            code = _exit_code(exc)
        except BaseException:  # noqa: BLE001
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
    os._exit(code)


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    try:
        print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001
        pass
    return 1


if __name__ == "__main__":
    serve(int(sys.argv[1]), json.loads(sys.argv[2]))
