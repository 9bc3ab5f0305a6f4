"""`DockerSandbox`: each execution in its own locked-down, pre-started container.

Containers are started ahead of time (a warm pool per set of limits) and used once:
after an execution the container is removed and a fresh one takes its place, so no
file, process or module patch can leak from one sample to the next. Every container
runs with `--network none`, a read-only root, tmpfs `/sandbox` and `/tmp`, memory and
pid limits, all capabilities dropped, `no-new-privileges`, `--init` (so orphans are
reaped and killed with the container), and its init under a uid the candidate does not
have (65532; root for judged pools, see below). Candidates run as uid 65534.

Judged runs (`ExecRequest.judge`): the candidate and the judge run in one container
under two uids, wired by pipes, started by `judged_run.py` (in the image), which
`docker exec` starts as root in containers that keep only CAP_SETUID, CAP_SETGID and
CAP_KILL (their init runs as root too: Docker gives a root exec only the capabilities
of the container's own user); both children drop to their plain uids (and with them every capability)
before they exec. The judge's input goes into a root-only file the candidate cannot
read, and is read only after the candidate has started.

The image must hold Assay's in-sandbox modules (the code harness, the math comparison
and `judged_run.py`): `make sandbox-image` builds it from `docker/sandbox.Dockerfile`.

A plain run's program is started by a small supervisor (`_SUPERVISOR`, the image's
Python, as the candidate's uid) that sets its rlimits, waits for it, and reports its wait
status, CPU time and peak RSS on stderr, behind a random tag the program cannot read.

Known issues:
    CPU time is limited per process (RLIMIT_CPU), not for the run as a whole; wall time,
    output and memory limits are enforced as in the local backend.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import os
import queue
import secrets
import signal
import socket
import tarfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from sandbox.base import (
    ExecRequest,
    KilledBy,
    Limits,
    MiB,
    Sandbox,
    SandboxError,
    SandboxResult,
    SandboxSettings,
    SandboxUnavailable,
)

_USER = "65534:65534"  # the candidate
_CONTAINER_USER = "65532:65532"  # a plain pool's init and sleep: a uid the candidate cannot signal
_JUDGE_UID = 65533  # another plain uid: the candidate can neither signal nor trace the judge
_ROOT = "0:0"
JUDGED_RUN = "/opt/assay/judged_run.py"  # where docker/sandbox.Dockerfile puts sandbox/judged_run.py
_JOB = "/tmp/.assay-job.json"
_JUDGE_INPUT = "/tmp/.assay-judge-input"
_WRITE_PRIVATE = (  # stdin into a root-only (0600) file, created fresh (never through a link)
    "import os,sys,shutil;fd=os.open(sys.argv[1],os.O_WRONLY|os.O_CREAT|os.O_EXCL|os.O_NOFOLLOW,0o600)\n"
    "with os.fdopen(fd,'wb') as f: shutil.copyfileobj(sys.stdin.buffer,f)"  # closed here: a full /tmp is exit 1
)
_UNPACK = (  # our own tar of plain relative names, streamed from stdin; the 'data' filter where the Python has it (3.11.4+)
    "import sys,tarfile;t=tarfile.open(fileobj=sys.stdin.buffer,mode='r|');"
    "t.extractall('/sandbox',**({'filter':'data'} if hasattr(tarfile,'data_filter') else {}))"
)
# A plain run's supervisor: `python -I -S -c _SUPERVISOR CPU_S OPEN_FILES STACK ARGV...`, as the
# candidate's uid, in /sandbox. It cannot use a shell's `ulimit` (dash's takes one limit a
# call: `ulimit -t 2 -n 64` failed, leaving the CPU hard, file and core limits unset), and
# an exec's exit code cannot tell `exit(152)` from SIGXCPU: it forks the program with its
# rlimits, waits for it, kills what it left, and writes its wait status, CPU time and peak
# RSS as the last line of stderr. That line and the first one (written before the program
# exists) carry a random tag, and the report that counts is the last line, written after
# the program and its leftovers are dead: the program (same uid) may learn the tag through
# /proc/self/fd/2 but writes nothing after it, and cannot trace the non-dumpable supervisor
# (no ptrace, no /proc/PID/mem). Its own failure (no report) is a SandboxError, or, killed by a signal (the
# program may SIGKILL it), a run that ended by that signal.
_SUPERVISOR = r"""
import ctypes, os, resource, signal, sys
cpu, open_files, stack, argv = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
libc = ctypes.CDLL(None, use_errno=True)
def dumpable(flag):
    if libc.prctl(4, flag, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")
dumpable(0)
signal.signal(signal.SIGINT, signal.SIG_DFL)
tag = b"\0assay-run:" + os.urandom(16).hex().encode()
os.write(2, tag + b"\n")
stdin = os.open(".assay-stdin", os.O_RDONLY | os.O_NOFOLLOW)
os.unlink(".assay-stdin")  # the program reads its stdin and finds no file of ours
pid = os.fork()
if pid == 0:
    try:
        os.dup2(stdin, 0)
        os.close(stdin)
        for signum in (signal.SIGPIPE, signal.SIGXFSZ):  # Python ignores these; exec keeps that
            signal.signal(signum, signal.SIG_DFL)
        dumpable(1)  # its /proc files its own again (exec would do it too); no other process of this uid exists yet
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")  # the OOM killer takes the program and its children, not this supervisor
        # soft: SIGXCPU (reported as "cpu"); hard, a second later, for programs that catch it
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if stack:  # bytes; 0: the container's (8 MiB)
            resource.setrlimit(resource.RLIMIT_STACK, (stack, stack))
        os.execv(argv[0], argv)
    except BaseException as exc:
        os.write(2, ("could not start %s: %s\n" % (argv[0], exc)).encode())
    os._exit(127)
os.close(stdin)
_, status, usage = os.wait4(pid, 0)
try:
    os.kill(-1, signal.SIGKILL)  # what the program left (every other process of this uid)
except OSError:
    pass
report = '{"status": %d, "cpu_s": %.4f, "max_rss_kb": %d}' % (status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
os.write(2, b"\n" + tag + b" " + report.encode() + b"\n")
"""
_SUPERVISOR_HEAD = b"\0assay-run:"
_SUPERVISOR_BYTES = 256  # its two stderr lines, beyond the program's output cap
_SUPERVISOR_MB = 8  # the supervisor's own memory (~4 MB anonymous), added to a plain container's limit
_UPLOAD_TIMEOUT_S = 120.0  # an engine that stops reading an upload fails the run, not the actor
_SOURCE_ROOT = Path(__file__).resolve().parents[1]
# Where docker/sandbox.Dockerfile copies each in-sandbox module (under /opt/assay), from this checkout
IMAGE_MODULES = {
    "verifiers/__init__.py": "verifiers/__init__.py",
    "verifiers/code/__init__.py": "verifiers/code/__init__.py",
    "verifiers/code/harness.py": "verifiers/code/harness.py",
    "verifiers/math/__init__.py": "verifiers/math/__init__.py",
    "verifiers/math/symbolic.py": "verifiers/math/symbolic.py",
    "verifiers/math/lane.py": "verifiers/math/lane.py",
    "verifiers/math/vocab.py": "verifiers/math/vocab.py",
    "verifiers/math/angles.py": "verifiers/math/angles.py",
    "sandbox/__init__.py": "sandbox/__init__.py",
    "sandbox/recursion.py": "sandbox/recursion.py",
    "judged_run.py": "sandbox/judged_run.py",
}


def docker_client(base_url: str | None = None) -> Any:
    """A connected docker client, or SandboxUnavailable saying why not."""
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - docker is a core dependency
        raise SandboxUnavailable("the docker backend needs the 'docker' package (pip install docker)") from exc
    try:
        client = docker.DockerClient(base_url=base_url) if base_url else docker.from_env()
        client.ping()
        return client
    except Exception as exc:  # any failure means: no engine here
        raise SandboxUnavailable(f"no Docker engine answers ({type(exc).__name__}: {exc})") from exc


class DockerSandboxConfig(SandboxSettings):
    """Warm pool of locked-down containers, one container per execution."""

    kind: Literal["docker"] = "docker"
    image: str = Field(
        "assay-sandbox:latest",
        description="image with the interpreter and Assay's in-sandbox modules (make sandbox-image builds it from docker/sandbox.Dockerfile)",
    )
    python: str = Field("/usr/local/bin/python3", description="interpreter path inside the image")
    pool_size: int | None = Field(
        None, ge=1, le=256, description="warm containers (default: cores)", json_schema_extra={"identity": False}
    )
    runtime: str | None = Field(None, description="OCI runtime, e.g. 'runsc' for gVisor")
    base_url: str | None = Field(None, description="Docker engine address (default: the environment's)")

    def build(self, preload: tuple[str, ...] = ()) -> Sandbox:
        return DockerSandbox(self)  # the image holds every in-sandbox module: nothing to preload


class DockerSandbox(Sandbox):
    name = "docker"

    def __init__(self, config: Any) -> None:
        self.config = config
        self.client = docker_client(config.base_url)
        try:
            self.client.images.get(config.image)
        except Exception as exc:
            raise SandboxUnavailable(
                f"docker image {config.image!r} is not present: build it with `make sandbox-image` "
                f"(docker build -f docker/sandbox.Dockerfile -t {config.image} .), or pull your registry's copy"
            ) from exc
        try:
            stale = stale_image_modules(self.client, config.image)
        except Exception as exc:  # an image without /opt/assay, an engine error
            raise SandboxUnavailable(f"cannot read Assay's in-sandbox modules in docker image {config.image!r}: {exc}") from exc
        if stale:
            # An image built from another version of Assay judges with another harness: its
            # verdicts would differ from the local sandbox's without a word.
            raise SandboxUnavailable(
                f"docker image {config.image!r} holds other versions of Assay's in-sandbox modules than this "
                f"checkout ({', '.join(stale)}): rebuild it with `make sandbox-image`, or pull the copy built from this version"
            )
        import os

        self._pool_size = config.pool_size or max(1, len(os.sched_getaffinity(0)))
        self._pools: dict[tuple[int, int, int, bool], queue.Queue] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._refills: set[threading.Thread] = set()  # pool fillers at work: close() waits for them
        self.owner = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"  # label of this sandbox's containers

    @property
    def workers(self) -> int:
        return self._pool_size

    # -- container pool ------------------------------------------------------------

    def _key(self, limits: Limits, judged: bool = False) -> tuple[int, int, int, bool]:
        return (limits.memory_mb, limits.max_pids, limits.scratch_mb, judged)

    def _start_container(self, key: tuple[int, int, int, bool]) -> Any:
        memory_mb, max_pids, scratch_mb, judged = key
        memory_mb += 0 if judged else _SUPERVISOR_MB
        tmpfs_opts = f"rw,nosuid,nodev,size={scratch_mb}m"
        return self.client.containers.run(
            self.config.image,
            ["sleep", "infinity"],
            detach=True,
            init=True,
            network_mode="none",
            read_only=True,
            # Docker mounts tmpfs noexec unless told: a compiled candidate runs from /sandbox
            tmpfs={"/sandbox": f"{tmpfs_opts},exec,uid=65534,gid=65534,mode=0700", "/tmp": f"{tmpfs_opts},mode=1777"},
            mem_limit=f"{memory_mb}m",
            memswap_limit=f"{memory_mb}m",
            pids_limit=max_pids + (4 if judged else 3),  # + init and sleep, + the supervisor (or judged_run.py and the judge)
            cap_drop=["ALL"],
            # judged runs: judged_run.py (root) starts two processes under two plain uids
            cap_add=["SETUID", "SETGID", "KILL"] if judged else None,
            security_opt=["no-new-privileges"],
            # Docker gives a root `exec` only the capabilities of the container's own user,
            # so the judged pool runs its init and sleep as root (with just the three caps
            # above); plain pools as a uid of their own. Neither is the candidate's.
            user=_ROOT if judged else _CONTAINER_USER,
            working_dir="/sandbox",
            environment={},
            runtime=self.config.runtime,
            labels={"assay.sandbox": "1", "assay.owner": self.owner},
        )

    def _refill(self, key: tuple[int, int, int, bool]) -> None:
        pool = self._pools[key]
        try:
            while not self._closed and pool.qsize() < self._pool_size:
                try:
                    pool.put(self._start_container(key))
                except Exception:  # noqa: BLE001 - the next take() starts one synchronously
                    return
        finally:
            with self._lock:
                self._refills.discard(threading.current_thread())

    def _take(self, key: tuple[int, int, int, bool]) -> Any:
        with self._lock:
            if key not in self._pools:
                self._pools[key] = queue.Queue()
        try:
            container = self._pools[key].get_nowait()
        except queue.Empty:
            container = self._start_container(key)
        filler = threading.Thread(target=self._refill, args=(key,), daemon=True)
        with self._lock:
            self._refills.add(filler)
        filler.start()
        return container

    # -- one execution -------------------------------------------------------------

    def run(self, request: ExecRequest) -> SandboxResult:
        if self._closed:
            raise SandboxError("sandbox is closed")
        limits = request.limits
        try:
            container = self._take(self._key(limits, judged=request.judge is not None))
        except Exception as exc:
            raise SandboxError(f"cannot start a container: {exc}") from exc
        try:
            self._upload(container, request)
            if request.judge is not None:
                return self._execute_judged(container, request)
            return self._execute(container, request)
        except SandboxError:
            raise
        except Exception as exc:
            raise SandboxError(f"docker execution failed: {type(exc).__name__}: {exc}") from exc
        finally:
            threading.Thread(target=_discard, args=(container,), daemon=True).start()

    def _put(self, container: Any, argv: list[str], data: bytes, user: str = _USER) -> tuple[int, str]:
        """Run argv in the container with `data` as its whole stdin; its exit code and the
        end of its stderr. The program must read its input before it writes much: its
        output is read once all of the input is sent.

        Input goes over the exec's own attached stream, so a file of any size (an 11 MB
        Rust binary) costs one exec: in argv chunks it took 160 execs and 15 s a run."""
        api = self.client.api
        exec_id = api.exec_create(container.id, argv, user=user, workdir=_workdir(user), environment={}, stdin=True)["Id"]
        stream = api.exec_start(exec_id, socket=True)
        # docker 7's exec socket: a SocketIO over the hijacked connection (`_sock`) for
        # unix and TCP engines, the SSLSocket itself for TLS ones
        conn = getattr(stream, "_sock", stream)
        output = b""
        try:
            output = self._feed(conn, data, lambda: bool(api.exec_inspect(exec_id)["Running"]))
        except OSError as exc:
            state = api.exec_inspect(exec_id)
            if state["Running"] or not state["ExitCode"]:  # else: the program failed first, and the engine dropped the stream
                raise SandboxError(f"could not send input into the container: {exc}") from exc
        finally:
            # SocketIO.close() leaves the socket open, and the SDK's response holds it in a cycle
            for part in (getattr(stream, "_response", None), stream, conn):
                if part is not None:
                    with contextlib.suppress(Exception):
                        part.close()
        return api.exec_inspect(exec_id)["ExitCode"], _stderr_of(output)

    @staticmethod
    def _feed(conn: socket.socket, data: bytes, running: Callable[[], bool]) -> bytes:
        """Send `data` as the program's whole stdin, then read its output until it ends;
        the output's first 64 KiB (docker's multiplexed frames).

        A program that ends early (a tar larger than the scratch tmpfs) leaves the engine
        holding the connection open without reading: waits are short and ask whether the
        program still runs, so that costs a second or two, not the whole timeout."""
        deadline = time.monotonic() + _UPLOAD_TIMEOUT_S
        conn.settimeout(1.0)
        view, sent, ended = memoryview(data), 0, False
        while sent < len(view) and not ended:
            try:
                # A timed-out send sent nothing on a plain socket; on TLS part may be out, and
                # OpenSSL wants the same slice again, which is what the retry sends.
                sent += conn.send(view[sent : sent + (1 << 20)])
            except TimeoutError:
                ended = not running()
                if not ended and time.monotonic() > deadline:
                    raise
        if not ended:
            conn.shutdown(socket.SHUT_WR)  # end of input; the engine closes the program's stdin
        output = bytearray()
        while True:  # what the program said (an ended one's is already here), until it ends
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                if ended or not running():
                    return bytes(output)
                if time.monotonic() > deadline:
                    raise
                continue
            if not chunk:
                return bytes(output)
            output += chunk[: max(0, 65536 - len(output))]

    def _upload(self, container: Any, request: ExecRequest) -> None:
        """Files and stdin travel as one tar on an exec's stdin: `docker cp` cannot write into tmpfs."""
        files = dict(request.files)
        if request.python is not None:
            files["main.py"] = request.python.encode("utf-8", "surrogatepass")
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for name, data in [*files.items(), (".assay-stdin", request.stdin)]:
                info = tarfile.TarInfo(name)
                info.size, info.uid, info.gid = len(data), 65534, 65534
                info.mode = 0o755 if name in request.executables else 0o644
                tar.addfile(info, io.BytesIO(data))
        size = buf.tell()
        code, stderr = self._put(container, [self.config.python, "-I", "-c", _UNPACK], buf.getvalue())
        if code != 0:
            what = f"the run's files and stdin ({size / MiB:.1f} MiB)"
            raise SandboxError(f"could not unpack {what} in the container: {_failure(code, stderr, what, request.limits, size)}")

    def _execute(self, container: Any, request: ExecRequest) -> SandboxResult:
        limits = request.limits
        argv = request.argv or [self.config.python, "-I", "main.py"]
        cpu = max(1, int(limits.cpu_s + 0.999))
        stack = (limits.stack_mb or 0) * MiB
        supervised = [self.config.python, "-I", "-S", "-c", _SUPERVISOR, str(cpu), str(limits.open_files), str(stack), *argv]
        cap = limits.output_bytes + _SUPERVISOR_BYTES
        code, outs, cut, killed_by, wall = self._stream(container, supervised, _USER, cap, limits)
        stderr, report = _supervised_stderr(bytes(outs[1]))
        stdout = bytes(outs[0])
        if killed_by is None and (len(stdout) > limits.output_bytes or len(stderr) > limits.output_bytes):
            killed_by = KilledBy.output  # over the cap by less than the supervisor's lines: it had ended
        if killed_by is not None:  # the container was killed: no report
            status, cpu_s, rss_kb = None, 0.0, 0
        elif report is not None and code == 0:
            status, cpu_s, rss_kb = int(report["status"]), float(report["cpu_s"]), int(report["max_rss_kb"])
        elif code is not None and code > 128:
            # The supervisor was killed (the program may signal it: same uid): the run ended by
            # that signal (a wait status's low bits are the signal that ended it)
            status, cpu_s, rss_kb = code - 128, 0.0, 0
        else:
            raise SandboxError(f"the run's supervisor failed (exit {code}): {stderr[-300:]!r}")
        signum = os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None
        if killed_by is None and (signum == signal.SIGXCPU or signum == signal.SIGKILL and cpu_s >= limits.cpu_s):
            killed_by = KilledBy.cpu  # the soft CPU limit, or the hard one a second later
        elif killed_by is None and signum == signal.SIGKILL and _oom_killed(container):
            killed_by = KilledBy.memory  # a SIGKILL the program may also send itself: ask the engine
        return SandboxResult(
            exit_code=os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None,
            signal=signum or (9 if killed_by else None),
            killed_by=killed_by,
            stdout=stdout[: limits.output_bytes],
            stderr=stderr[: limits.output_bytes],
            stdout_truncated=cut[0] or len(stdout) > limits.output_bytes,
            stderr_truncated=cut[1] or len(stderr) > limits.output_bytes,
            cpu_s=round(cpu_s, 4),
            wall_s=round(wall, 4),
            max_rss_mb=round(rss_kb / 1024, 1),
            backend="docker",
        )

    def _execute_judged(self, container: Any, request: ExecRequest) -> SandboxResult:
        assert request.judge is not None
        limits = request.limits
        python = self.config.python
        job = {
            "candidate": {"argv": request.argv or [python, "-I", "main.py"], "uid": 65534, "cwd": "/sandbox"},
            # the judge's own working directory, made by the judge (0700) under a name the
            # candidate cannot guess: test code may write a file and read it back
            "judge": {"argv": [python, "-I", "-c", request.judge.python], "uid": _JUDGE_UID,
                      "cwd": f"/tmp/.judge-{secrets.token_hex(8)}", "make_cwd": True},
            "cpu_s": limits.cpu_s,
            "open_files": limits.open_files,
            "output_bytes": limits.output_bytes,
        }
        # Both uploads happen before the candidate exists; judged_run.py checks both files
        # are root-only and deletes them before it starts anything.
        for path, data in ((_JOB, json.dumps(job).encode()), (_JUDGE_INPUT, request.judge.stdin)):
            code, stderr = self._put(container, [python, "-I", "-c", _WRITE_PRIVATE, path], data, user=_ROOT)
            if code != 0:
                what = f"the judge's input ({len(data) / MiB:.1f} MiB)" if path == _JUDGE_INPUT else "the judged run's job"
                raise SandboxError(f"could not upload {what} into the container: {_failure(code, stderr, what, limits)}")
        # The report carries four capped outputs in base64, plus a little JSON.
        cap = 8 * limits.output_bytes + 65536
        code, outs, _, killed_by, wall = self._stream(container, [python, "-I", JUDGED_RUN, _JOB, _JUDGE_INPUT], _ROOT, cap, limits)
        if killed_by is None and code == 137 and _oom_killed(container):
            killed_by = KilledBy.memory  # judged_run.py itself was OOM-killed: the run hit the limit
        if killed_by is not None:  # no report
            return SandboxResult(signal=9, killed_by=killed_by, wall_s=round(wall, 4), backend="docker")
        try:
            report = json.loads(bytes(outs[0]).strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise SandboxError(f"judged run gave no report (exit {code}): {bytes(outs[1])[-500:]!r}") from None
        return judged_result(report, wall, limits, oom_check=lambda: _oom_killed(container))

    def _stream(
        self, container: Any, argv: list[str], user: str, cap: int, limits: Limits
    ) -> tuple[int | None, dict[int, bytearray], dict[int, bool], KilledBy | None, float]:
        """Run argv in the container, reading stdout/stderr up to `cap` bytes each; kill the
        container on the wall limit or on output over the cap."""
        api = self.client.api
        exec_id = api.exec_create(container.id, argv, user=user, workdir=_workdir(user), environment={})["Id"]
        outs = {0: bytearray(), 1: bytearray()}
        cut = {0: False, 1: False}
        killed: list[KilledBy] = []

        def kill(reason: KilledBy) -> None:
            if not killed:
                killed.append(reason)
            try:
                container.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass

        def pump() -> None:
            for pair in api.exec_start(exec_id, stream=True, demux=True):
                for i, chunk in enumerate(pair):
                    if not chunk:
                        continue
                    room = cap - len(outs[i])
                    outs[i] += chunk[: max(room, 0)]
                    if len(chunk) > room:
                        cut[i] = True
                        kill(KilledBy.output)
                        return

        started = time.monotonic()
        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        reader.join(timeout=limits.wall_limit_s)
        if reader.is_alive():
            kill(KilledBy.wall)
            reader.join(timeout=10)
        wall = time.monotonic() - started
        code = api.exec_inspect(exec_id).get("ExitCode")
        return code, outs, cut, (killed[0] if killed else None), wall

    def close(self) -> None:
        """Remove the pooled containers, once the fillers at work have put theirs in (a
        container they were starting was left running when close() did not wait)."""
        self._closed = True
        with self._lock:
            fillers = list(self._refills)
        for filler in fillers:
            filler.join(timeout=60)
        for pool in self._pools.values():
            while not pool.empty():
                _discard(pool.get_nowait())


def stale_image_modules(client: Any, image: str) -> list[str]:
    """The in-sandbox modules whose copy in `image` differs from this checkout's (or is
    missing), read from a created, never started, container."""
    container = client.containers.create(image, ["true"], labels={"assay.sandbox": "1"})
    try:
        stream, _ = container.get_archive("/opt/assay")
        archive = tarfile.open(fileobj=io.BytesIO(b"".join(stream)))
        held = {m.name.removeprefix("assay/"): m for m in archive.getmembers() if m.isfile()}
        stale = []
        for inside, local in IMAGE_MODULES.items():
            member = held.get(inside)
            copy = archive.extractfile(member).read() if member is not None else None  # type: ignore[union-attr]
            if copy != (_SOURCE_ROOT / local).read_bytes():
                stale.append(local)
        return stale
    finally:
        container.remove(force=True)


def _supervised_stderr(raw: bytes) -> tuple[bytes, dict | None]:
    """The program's stderr, and the supervisor's report (None if it made none): the
    supervisor's first line gives its tag, its last line with that tag is the report."""
    if not raw.startswith(_SUPERVISOR_HEAD):
        return raw, None
    head, _, rest = raw.partition(b"\n")
    body, sep, line = rest.rpartition(b"\n" + head + b" ")
    if not sep:
        return rest, None
    report, _, after = line.partition(b"\n")
    try:
        parsed = json.loads(report)
    except ValueError:
        return body + after, None
    return body + after, parsed if isinstance(parsed, dict) else None


def _stderr_of(output: bytes) -> str:
    """The stderr of an exec's multiplexed output (frames: stream, 0, 0, 0, 4-byte size)."""
    err, at = bytearray(), 0
    while at + 8 <= len(output):
        size = int.from_bytes(output[at + 4 : at + 8], "big")
        if output[at] == 2:
            err += output[at + 8 : at + 8 + size]
        at += 8 + size
    return err.decode("utf-8", "replace").strip()


def _failure(code: int, stderr: str, what: str, limits: Limits, size: int = 0) -> str:
    """Why an upload failed: the scratch limit when the program ran out of space (or said
    nothing, its stream dropped by the engine, with more than the scratch holds to
    unpack), else the end of what it said."""
    if "No space left" in stderr or (not stderr and size > limits.scratch_mb * MiB):
        return f"{what} must fit the scratch tmpfs (limits.scratch_mb = {limits.scratch_mb})"
    return f"exit {code}: {stderr[-300:] or 'no message'}"


def _oom_killed(container: Any) -> bool:
    """Whether the kernel's OOM killer ended a process of this (single-use) container.
    The engine says so with an `oom` event (its State.OOMKilled is only set when the
    container itself exits); a SIGKILL alone proves nothing: a program can send it to
    itself."""
    try:
        events = container.client.api.events(
            since=0, until=f"{time.time() + 0.2:.6f}", filters={"container": container.id, "event": "oom"}, decode=True
        )
        return any(True for _ in events)
    except Exception:  # noqa: BLE001 - gone or unreachable: no evidence of an OOM kill
        return False


def _workdir(user: str) -> str:
    # Root here has no CAP_DAC_OVERRIDE: it cannot enter the candidate's 0700 /sandbox.
    return "/sandbox" if user == _USER else "/"


def _discard(container: Any) -> None:
    try:
        container.remove(force=True)
    except Exception:  # noqa: BLE001 - removal is best effort; the label finds leftovers
        pass


def judged_result(report: dict, wall_s: float, limits: Limits, oom_check: Callable[[], bool] = lambda: False) -> SandboxResult:
    """The candidate's result, with the judge's inside, from judged_run.py's report.

    The run's `killed_by` covers both processes: the judge running out of CPU (e.g. on
    replies built to be slow to decode) is the run's CPU limit, and an OOM kill of
    either is the run's memory limit (the container's memory is shared). `oom_check`
    asks the engine whether the OOM killer acted (a SIGKILL alone proves nothing); it is
    called only for a SIGKILL the CPU limit does not explain, and at most once."""
    oom_check = functools.cache(oom_check)

    def one(part: dict) -> SandboxResult:
        status = int(part["status"])
        signum = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        killed_by = None
        if signum == signal.SIGXCPU or (signum == signal.SIGKILL and float(part["cpu_s"]) >= limits.cpu_s):
            killed_by = KilledBy.cpu  # the soft CPU limit, or the hard one a second later
        elif signum == signal.SIGKILL and oom_check():
            killed_by = KilledBy.memory
        return SandboxResult(
            exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            signal=signum,
            killed_by=killed_by,
            stdout=base64.b64decode(part["stdout"]),
            stderr=base64.b64decode(part["stderr"]),
            stdout_truncated=bool(part["stdout_truncated"]),
            stderr_truncated=bool(part["stderr_truncated"]),
            cpu_s=float(part["cpu_s"]),
            wall_s=round(wall_s, 4),
            max_rss_mb=round(int(part["max_rss_kb"]) / 1024, 1),
            backend="docker",
        )

    judge, candidate = one(report["judge"]), one(report["candidate"])
    killed_by = KilledBy.output if report.get("killed_by") == "output" else (candidate.killed_by or judge.killed_by)
    return candidate.model_copy(update={"killed_by": killed_by, "judge": judge})


__all__ = ["DockerSandbox", "docker_client", "judged_result", "MiB"]
