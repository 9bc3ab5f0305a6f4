"""The fork server: a warm interpreter that supervises isolated executions.

Process tree of one execution::

    zygote        root, private mount ns holding the read-only root view. One event
    │             loop supervises every run: feeds stdin, reads capped output, enforces
    │             wall, CPU and output limits from outside, reports results.
    └─ init       cloned straight into new pid/mount/net/ipc/uts namespaces: pid 1 of
       │          its own pid ns; mounts /proc, /tmp, /sandbox; reaps orphans. It kills
       │          and reaps everything left when the candidate ends, and when init dies
       │          the kernel SIGKILLs whatever remains, so double-fork daemons and
       │          `setsid` orphans cannot outlive the run.
       └─ candidate  chroot to the root view, unprivileged uid unique to this run,
                     no_new_privs, rlimits, fds 0-2 only, empty environment; then execs
                     argv or runs the Python source in the already warm interpreter

Why this shape: each run costs two forks of the warm zygote and nothing else. `init`
is created with a raw clone(2) carrying the namespace flags, because `unshare` of a pid
namespace only applies to later children and cannot be repeated in one process; the
zygote is single-threaded, so the child's interpreter state is consistent. Supervising
in the long-lived zygote instead of a per-run process saves a fork and the copy-on-write
faults of running Python there. The zygote imports nothing heavy (no pydantic: the
parent validates requests and results) because a fork costs more the bigger the parent,
and it is started with an empty environment: every candidate inherits its memory.
"""

from __future__ import annotations

import base64
import ctypes
import gc
import json
import math
import os
import platform
import resource
import select
import signal
import socket
import struct
import sys
import time
import traceback
from dataclasses import dataclass, field

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
UID_BASE = 1_000_000  # + init's host pid: a uid no other live execution (or host user) has
CPU_POLL_S = 0.02
_RUN_TMP_BINDS: list[str] = []  # set when the installation lives under /tmp
_HEADER = struct.Struct("!Q")
_SYS_CLONE = {"x86_64": 56, "aarch64": 220, "ppc64le": 120, "s390x": 120}.get(platform.machine())
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


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


def clone_into_namespaces(flags: int) -> int:
    """fork(2) whose child starts in new namespaces (pid 1 of a new pid namespace)."""
    if _SYS_CLONE is None:
        raise OSError(f"clone(2) number unknown for {platform.machine()}")
    pid = _libc.syscall(ctypes.c_long(_SYS_CLONE), ctypes.c_ulong(flags | signal.SIGCHLD), None, None, None, None)
    if pid < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"clone: {os.strerror(err)}")
    return pid


# --------------------------------------------------------------------------- zygote


def serve(control_fd: int, settings: dict) -> None:
    """Prepare the isolation shared by all executions, then supervise runs on demand."""
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
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps inits; pidfds tell us when
    gc.collect()
    gc.freeze()  # keep the warm heap shared with children instead of copied by the collector
    try:
        Supervisor(control, root, cgroups, settings["ns_flags"]).loop()
    finally:
        if cgroups is not None:
            cgroups.remove()


def _probe_namespaces(flags: int) -> None:
    """Fail at start-up, not per sample, if the namespaces cannot be created."""
    pid = clone_into_namespaces(flags)
    if pid == 0:
        os._exit(0 if os.getpid() == 1 else 1)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("cannot create the requested namespaces (needs root or CAP_SYS_ADMIN)")


@dataclass
class Run:
    """One execution's state, owned by the supervisor loop."""

    sock: socket.socket
    job: Job
    init_pid: int
    pidfd: int
    leaf: Leaf | None
    started: float
    stdin_fd: int
    stdout_fd: int
    stderr_fd: int
    status_fd: int
    stdin_left: memoryview
    outputs: dict[int, bytearray] = field(default_factory=dict)
    truncated: dict[int, bool] = field(default_factory=dict)
    outputs_open: set[int] = field(default_factory=set)
    killed_by: str | None = None
    ended: float | None = None

    @property
    def done(self) -> bool:
        return self.ended is not None and not self.outputs_open

    def kill(self, reason: str) -> None:
        if self.killed_by is None:
            self.killed_by = reason
        try:
            os.kill(self.init_pid, signal.SIGKILL)  # pid 1 of the namespace: takes everything with it
        except ProcessLookupError:
            pass


class Supervisor:
    """Single-threaded event loop over the control socket and every running execution."""

    def __init__(self, control: socket.socket, root: str, cgroups: CgroupTree | None, ns_flags: int) -> None:
        self.control = control
        self.root = root
        self.cgroups = cgroups
        self.ns_flags = ns_flags
        self.poller = select.poll()
        self.by_fd: dict[int, Run] = {}
        self.runs: list[Run] = []
        self.next_cpu_check = 0.0

    def loop(self) -> None:
        self.poller.register(self.control, select.POLLIN)
        while True:
            for fd, event in self.poller.poll(self._timeout_ms()):
                if fd == self.control.fileno():
                    if not self._accept():
                        self._shutdown()
                        return
                elif fd in self.by_fd:
                    self._on_event(self.by_fd[fd], fd, event)
            self._enforce_limits()
            for run in [r for r in self.runs if r.done]:
                self._finish(run)

    # -- starting a run ------------------------------------------------------------

    def _accept(self) -> bool:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(self.control, 16, 4)
        except InterruptedError:
            return True
        if not msg:
            return False  # the parent closed the control socket (or died)
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            return True
        sock = socket.socket(fileno=fds[0])
        try:
            sock.settimeout(10)  # the parent sends the request right after the socket
            raw = recv_frame(sock)
            if raw is None:
                sock.close()
                return True
            self._start(sock, Job.from_json(raw))
        except Exception:  # noqa: BLE001 - infrastructure failure: the parent raises SandboxError
            self._reply(sock, {"sandbox_error": traceback.format_exc(limit=8)})
        return True

    def _start(self, sock: socket.socket, job: Job) -> None:
        limits = job.limits
        leaf = self.cgroups.leaf(job.slot, limits.memory_mb * MiB, limits.max_pids) if self.cgroups else None
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        status_r, status_w = os.pipe()
        go_r, go_w = os.pipe()
        started = time.monotonic()
        pid = clone_into_namespaces(self.ns_flags)
        if pid == 0:
            # 0-2 stay (the zygote's /dev/null and log) so new pipes never land there
            keep = {0, 1, 2, in_r, out_w, err_w, status_w, go_r}
            _close_all_but(keep)
            _init(job, self.root, leaf is not None, go_r, status_w, (in_r, out_w, err_w))
        for fd in (in_r, out_w, err_w, status_w, go_r):
            os.close(fd)
        try:
            if leaf is not None:
                leaf.add(pid)
            os.write(go_w, str(UID_BASE + pid).encode())  # also: "you are in the cgroup"
        finally:
            os.close(go_w)
        run = Run(
            sock=sock, job=job, init_pid=pid, pidfd=os.pidfd_open(pid), leaf=leaf, started=started,
            stdin_fd=in_w, stdout_fd=out_r, stderr_fd=err_r, status_fd=status_r, stdin_left=memoryview(job.stdin),
        )
        run.outputs = {out_r: bytearray(), err_r: bytearray()}
        run.truncated = {out_r: False, err_r: False}
        run.outputs_open = {out_r, err_r}
        for fd in (run.pidfd, out_r, err_r):
            self._watch(run, fd, select.POLLIN)
        if run.stdin_left:
            os.set_blocking(in_w, False)
            self._watch(run, in_w, select.POLLOUT)
        else:
            os.close(in_w)
            run.stdin_fd = -1
        self.runs.append(run)

    def _watch(self, run: Run, fd: int, mask: int) -> None:
        self.by_fd[fd] = run
        self.poller.register(fd, mask)

    def _unwatch(self, fd: int) -> None:
        self.by_fd.pop(fd, None)
        self.poller.unregister(fd)

    # -- while it runs -------------------------------------------------------------

    def _on_event(self, run: Run, fd: int, event: int) -> None:
        if fd == run.pidfd:
            run.ended = time.monotonic()
            self._unwatch(fd)
        elif fd == run.stdin_fd:
            try:
                sent = os.write(fd, run.stdin_left[: 1 << 16])
                run.stdin_left = run.stdin_left[sent:]
            except BlockingIOError:
                pass
            except BrokenPipeError:
                run.stdin_left = run.stdin_left[:0]
            if not run.stdin_left or event & (select.POLLERR | select.POLLHUP):
                self._unwatch(fd)
                os.close(fd)
                run.stdin_fd = -1
        elif fd in run.outputs:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self._unwatch(fd)
                run.outputs_open.discard(fd)
                return
            room = run.job.limits.output_bytes - len(run.outputs[fd])
            run.outputs[fd] += chunk[: max(0, room)]
            if len(chunk) > room:
                run.truncated[fd] = True
                run.kill("output")

    def _timeout_ms(self) -> int:
        if not self.runs:
            return -1
        now = time.monotonic()
        wait = min(r.started + r.job.limits.wall_limit_s - now for r in self.runs if r.ended is None) if any(
            r.ended is None for r in self.runs
        ) else 1.0
        if self.cgroups is not None:
            wait = min(wait, max(0.0, self.next_cpu_check - now))
        return max(0, int(wait * 1000) + 1)

    def _enforce_limits(self) -> None:
        now = time.monotonic()
        check_cpu = self.cgroups is not None and now >= self.next_cpu_check
        if check_cpu:
            self.next_cpu_check = now + CPU_POLL_S
        for run in self.runs:
            if run.ended is not None:
                continue
            if now >= run.started + run.job.limits.wall_limit_s:
                run.kill("wall")
            elif check_cpu and run.leaf is not None and run.leaf.cpu_s() > run.job.limits.cpu_s:
                run.kill("cpu")

    # -- after it ended ------------------------------------------------------------

    def _finish(self, run: Run) -> None:
        self.runs.remove(run)
        try:
            result = _result(run)
        except Exception:  # noqa: BLE001
            result = {"sandbox_error": traceback.format_exc(limit=8)}
        finally:
            for fd in (run.pidfd, run.stdin_fd, run.status_fd, *run.outputs):
                if fd >= 0:
                    if fd in self.by_fd:
                        self._unwatch(fd)
                    try:
                        os.close(fd)
                    except OSError:
                        pass
        self._reply(run.sock, result)

    def _reply(self, sock: socket.socket, result: dict) -> None:
        try:
            sock.settimeout(30)
            send_frame(sock, json.dumps(result).encode())
        except OSError:
            pass  # the parent gave up on this run
        finally:
            sock.close()

    def _shutdown(self) -> None:
        for run in self.runs:
            run.kill("wall")
        self.runs.clear()


def _close_all_but(keep: set[int]) -> None:
    """Close every fd but `keep`: other runs' pipes must not leak into this one."""
    top = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    low = 0
    for fd in sorted(keep):
        if fd > low:  # never an empty range: closerange(0, 0) means close_range(0, ~0)
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, top)


def _result(run: Run) -> dict:
    limits = run.job.limits
    report = _read_all(run.status_fd)
    run.status_fd = -1
    info = json.loads(report) if report else {}
    if "setup_error" in info:
        raise RuntimeError(f"sandbox setup failed: {info['setup_error']}")
    killed_by = run.killed_by
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
        killed_by = "wall"  # init died without a report: only a SIGKILL does that
    pids_hit = False
    if run.leaf is not None:
        stats = run.leaf.stats()
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
    out_fd, err_fd = list(run.outputs)
    return {
        "exit_code": exit_code,
        "signal": signum,
        "killed_by": killed_by,
        "stdout": base64.b64encode(run.outputs[out_fd]).decode(),
        "stderr": base64.b64encode(run.outputs[err_fd]).decode(),
        "stdout_truncated": run.truncated[out_fd],
        "stderr_truncated": run.truncated[err_fd],
        "cpu_s": round(cpu_s, 4),
        "wall_s": round((run.ended or time.monotonic()) - run.started, 4),
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


def _init(req: Job, root: str, has_cgroup: bool, go_r: int, status_w: int, stdio: tuple) -> None:
    """pid 1 of the run's namespaces: prepare the file system, start the candidate, reap."""
    report: dict = {}
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote ignores it; we must wait
        sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
        uid = int(_read_all(go_r) or b"0")  # arrives once the zygote put us in the cgroup
        if uid < UID_BASE:
            raise RuntimeError("no uid from the zygote")
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
            report = {"status": status, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_kb": usage.ru_maxrss}
        _end_namespace(root)
    except BaseException:  # noqa: BLE001
        report = {"setup_error": traceback.format_exc(limit=6)}
    try:
        os.write(status_w, json.dumps(report).encode())
    finally:
        os._exit(0)


def _end_namespace(root: str) -> None:
    """Kill and reap what the candidate left, and free its tmpfs pages, before reporting:
    the slot's cgroup is reused as soon as the parent has the result."""
    try:
        os.kill(-1, signal.SIGKILL)  # from pid 1: every other process of this namespace
    except ProcessLookupError:
        pass
    while True:
        try:
            os.wait4(-1, 0)
        except ChildProcessError:
            break
    for mountpoint in ("tmp", rootfs.SCRATCH.lstrip("/"), "proc"):
        try:
            sc.umount(f"{root}/{mountpoint}", sc.MNT_DETACH)
        except OSError:
            pass


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
        _close_all_but({0, 1, 2, setup_w})
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
    # With a cgroup the zygote enforces total CPU; the rlimit is a per-process backstop.
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
