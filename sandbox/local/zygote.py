"""The fork server: a warm, clean interpreter whose slot servers clone one isolated init per run.

Process tree of one execution::

    parent (NamespaceSandbox.run, any thread)   holds the run's data; supervises it through
    │                                           the pipes and pidfd the zygote hands over:
    │                                           stdin, capped output, wall/CPU/output limits
    zygote    root, private mount ns holding the read-only root view; warms up, forks
    │         one slot server per execution slot, then only watches them.
    slot server  lives in its slot's cgroup. Never sees a run's data: it clones init
    │            (born in the cgroup) and passes the fds back.
    └─ init   cloned straight into new pid/mount/net/ipc/uts namespaces: pid 1 of its own
       │      pid ns. Reads the job from a pipe, mounts /proc, /tmp, /sandbox, starts the
       │      candidate, reaps orphans; when the candidate ends it kills and reaps what is
       │      left and unmounts, and when init dies the kernel SIGKILLs whatever remains.
       └─ candidate  chroot to the root view, unprivileged uid unique to this run,
                     no_new_privs, rlimits, fds 0-2 only, empty environment; then execs
                     argv or runs the Python source in the already warm interpreter

Why this shape: every candidate inherits the memory of the process it was forked from,
so that process must never have held another run's code, input or output, nor any
secret: the zygote is started with an empty environment and handles only pipe numbers
and cgroup sizes; a run's data flows from the parent straight into its own init (its
stdin as a sealed file the slot server passes on unread).
Each run costs two forks of the warm zygote. init is created with a raw clone(2) that
carries the namespace flags, because `unshare` of a pid namespace applies only to later
children and cannot be repeated in one process (the zygote is single-threaded, so the
clone is as safe as a fork). The zygote imports nothing heavy (no pydantic), because a
fork costs more the bigger the parent.
"""

from __future__ import annotations

import base64
import ctypes
import errno
import fcntl
import gc
import json
import math
import os
import platform
import resource
import select
import signal
import socket
import sys
import time
import traceback

from sandbox.local import rootfs
from sandbox.local import syscalls as sc
from sandbox.local.cgroups import CgroupTree, Leaf
from sandbox.local.protocol import (
    JUDGE_HOME,
    JUDGE_UID_OFFSET,
    JUDGED_PIPES,
    PARENT_WRITES,
    PLAIN_PIPES,
    SLOTS_PER_MESSAGE,
    UID_BASE,
    Job,
    read_all,
)
from sandbox.local.seccomp import Filter
from sandbox.recursion import grant_plain_depth, levels_left

# Modules candidates commonly import: loaded once here so a sample pays only a fork.
WARM_MODULES = (
    "abc argparse array bisect builtins calendar cmath collections collections.abc contextlib copy "
    "dataclasses datetime decimal enum fractions functools hashlib heapq io itertools json math "
    "numbers operator random re statistics string struct sys textwrap threading time traceback "
    "types typing unicodedata atexit"
).split()

MiB = 1024 * 1024
_RUN_TMP_BINDS: list[str] = []  # set when the installation lives under /tmp
_FILTER: Filter | None = None  # the candidates' seccomp filter
_SYS_CLONE = {"x86_64": 56, "aarch64": 220, "ppc64le": 120, "s390x": 120}.get(platform.machine())
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


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
    """Prepare the isolation shared by all executions, then start one slot server per
    execution slot and watch them.

    No PR_SET_PDEATHSIG here: it fires when the parent *thread* that started us exits,
    which in a thread pool is any time. The parent's death closes the control socket,
    and that ends us; slot servers and inits die with us through their death signals.
    """
    global _FILTER
    control = socket.socket(fileno=control_fd)
    try:
        if os.getppid() == 1:
            raise SystemExit("parent died before the zygote started")
        sc.unshare(sc.CLONE_NEWNS)
        for name in settings["preload"]:
            __import__(name)
            warm_up = getattr(sys.modules[name], "warm_up", None)
            if callable(warm_up):
                warm_up()  # fill lazy caches (parsers, regexes) once, before any fork
        root = rootfs.build(settings["root"], settings["extra_dirs"])
        _RUN_TMP_BINDS.extend(p for p in rootfs.python_dirs(settings["extra_dirs"]) if rootfs.under_tmp(p))
        cgroups = CgroupTree.create(f"assay-{os.getpid()}") if settings["limits_via"] != "rlimit" else None
        if settings["limits_via"] == "cgroup" and cgroups is None:
            raise RuntimeError("no usable cgroup (v1 memory+pids+cpuacct, or v2 with them delegated)")
        _probe_namespaces(settings["ns_flags"])
        if settings.get("seccomp_bpf"):
            _FILTER = Filter(base64.b64decode(settings["seccomp_bpf"]))
        for name in WARM_MODULES:
            __import__(name)
        gc.collect()
        gc.freeze()  # keep the warm heap shared with children instead of copied by the collector
        servers = [_start_slot_server(slot, root, cgroups, settings["ns_flags"]) for slot in range(settings["slots"])]
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails loudly
        control.sendall(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
        raise SystemExit(1) from None
    try:
        control.sendall(json.dumps({"ready": True, "cgroup": cgroups.version if cgroups else None}).encode())
        fds = [sock.fileno() for _pid, _pidfd, sock in servers]
        for start in range(0, len(fds), SLOTS_PER_MESSAGE):
            socket.send_fds(control, [b"slots"], fds[start : start + SLOTS_PER_MESSAGE])
        for _pid, _pidfd, sock in servers:
            sock.close()
        # Wait for the parent to close the control socket, or for a slot server to die:
        # either way we exit, the other servers and their runs die with us, and the parent
        # (seeing us gone) starts a fresh zygote.
        poller = select.poll()
        poller.register(control, select.POLLIN)
        for _pid, pidfd, _sock in servers:
            poller.register(pidfd, select.POLLIN)
        while True:
            try:
                if poller.poll():
                    break
            except InterruptedError:
                continue
    finally:
        for pid, _pidfd, _sock in servers:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
        if cgroups is not None:
            cgroups.remove()


def _start_slot_server(slot: int, root: str, cgroups: CgroupTree | None, ns_flags: int) -> tuple[int, int, socket.socket]:
    """Fork the server of one execution slot: (its pid, a pidfd, the parent's socket to it).

    A slot server is a copy of the zygote that lives in its slot's cgroup, so the inits it
    clones are born there (moving each one in costs more than the clone itself), and slots
    clone in parallel. One run at a time: the parent holds the slot while a run is in
    flight. Like the zygote it never sees a run's data (a run's stdin file goes on unread).
    """
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            _close_all_but({0, 1, 2, theirs.fileno()})
            sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != zygote:
                os._exit(1)
            _set_oom_score_adj(-1000)  # needs CAP_SYS_RESOURCE; inits raise their own anyway
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps inits; the parent's pidfds tell when
            leaf = cgroups.slot(slot) if cgroups else None
            if leaf is not None:
                leaf.join()
            _serve_slot(theirs, root, leaf, ns_flags)
        finally:
            os._exit(0)
    theirs.close()
    return pid, os.pidfd_open(pid), ours


def _serve_slot(control: socket.socket, root: str, leaf: Leaf | None, ns_flags: int) -> None:
    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(control, 4096, 4)
        except InterruptedError:
            continue
        if not msg:
            return  # the parent closed the socket (or died)
        if len(fds) not in (1, 2):
            for fd in fds:
                os.close(fd)
            continue
        reply = socket.socket(fileno=fds[0])
        stdin_file = fds[1] if len(fds) == 2 else -1
        try:
            _clone_run(reply, json.loads(msg), root, leaf, ns_flags, stdin_file)
        except Exception:  # noqa: BLE001 - the parent raises SandboxError
            try:
                reply.sendall(json.dumps({"error": traceback.format_exc(limit=6)}).encode())
            except OSError:
                pass
        finally:
            reply.close()
            if stdin_file >= 0:
                os.close(stdin_file)


def _clone_run(reply: socket.socket, request: dict, root: str, leaf: Leaf | None, ns_flags: int, stdin_file: int = -1) -> None:
    """Clone one init into fresh namespaces and hand its ends of the pipes to the parent.

    Pipes: `protocol.PIPES`, the judge's only for a judged run. `stdin_file`, when the
    parent sent one, is init's stdin instead of the stdin pipe (passed on unread).
    """
    if leaf is not None:
        leaf.prepare(request["memory_bytes"], request["max_pids"])
    count = JUDGED_PIPES if request.get("judge") else PLAIN_PIPES
    pipes: list[tuple[int, int]] = []
    try:
        for _ in range(count):
            pipes.append(os.pipe())
    except OSError:
        for pair in pipes:
            os.close(pair[0])
            os.close(pair[1])
        raise
    writes = PARENT_WRITES
    theirs = [w if i in writes else r for i, (r, w) in enumerate(pipes)]
    init_ends = [r if i in writes else w for i, (r, w) in enumerate(pipes)]
    if stdin_file >= 0:
        try:
            given = os.dup(stdin_file)
        except OSError:
            for fd in (*theirs, *init_ends):
                os.close(fd)
            raise
        os.close(init_ends[0])
        init_ends[0] = given
    try:
        pid = _clone_init(ns_flags)
    except OSError:
        for fd in (*theirs, *init_ends):
            os.close(fd)
        raise
    if pid == 0:
        # 0-2 stay (the zygote's /dev/null and log) so new pipes never land there
        _close_all_but({0, 1, 2, *init_ends})
        _init(root, leaf is not None, init_ends)
    for fd in init_ends:
        os.close(fd)
    try:
        pidfd = os.pidfd_open(pid)
        try:
            cgroup = None
            if leaf is not None:
                leaf.take_baseline()  # init waits for its job, so nothing of the run is counted yet
                cgroup = {"version": leaf.version, "dirs": {k: str(v) for k, v in leaf.dirs.items()},
                          "baseline": leaf.baseline, "reserve": leaf.reserve}
            info = {"pid": pid, "uid": UID_BASE + pid, "cgroup": cgroup, "stdin_file": stdin_file >= 0}
            socket.send_fds(reply, [json.dumps(info).encode()], [pidfd, *theirs])
        finally:
            os.close(pidfd)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        for fd in theirs:
            os.close(fd)


def _set_oom_score_adj(value: int) -> None:
    try:
        with open("/proc/self/oom_score_adj", "w") as fh:
            fh.write(str(value))
    except OSError:
        pass


def _clone_init(ns_flags: int) -> int:
    """Clone init; a moment of EAGAIN is the last run's init still leaving the slot's
    pid count (its pidfd fires just before the kernel uncharges it)."""
    for attempt in range(50):
        try:
            return clone_into_namespaces(ns_flags)
        except OSError as exc:
            if exc.errno != errno.EAGAIN or attempt == 49:
                raise
            time.sleep(0.002)
    raise AssertionError("unreachable")


def _probe_namespaces(flags: int) -> None:
    """Fail at start-up, not per sample, if the namespaces cannot be created."""
    pid = clone_into_namespaces(flags)
    if pid == 0:
        os._exit(0 if os.getpid() == 1 else 1)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("cannot create the requested namespaces (needs root or CAP_SYS_ADMIN)")


def _close_all_but(keep: set[int]) -> None:
    """Close every fd but `keep`: other runs' pipes must not leak into this one."""
    top = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    low = 0
    for fd in sorted(keep):
        if fd > low:  # never an empty range: closerange(0, 0) means close_range(0, ~0)
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, top)


# --------------------------------------------------------------------------- init (pid 1)


def _init(root: str, has_cgroup: bool, ends: list[int]) -> None:
    """pid 1 of the run's namespaces: prepare the file system, start the candidate (and the
    judge, which gets its data only after the candidate exists), reap, report."""
    stdin_r, stdout_w, stderr_w, status_w, job_r = ends[:5]
    judged = len(ends) > 5
    report: dict = {}
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote ignores it; we must wait
        sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
        # An OOM kill in the slot's cgroup must take this run, never the slot server that
        # shares the cgroup: init (which the candidate cannot touch) outranks it, and when
        # init dies the kernel ends the whole run.
        _set_oom_score_adj(1000)
        raw = read_all(job_r)  # the parent sends it once we are in the cgroup
        if not raw:
            os._exit(0)  # the parent gave up on this run
        req = Job.from_json(raw)
        del raw
        uid = req.uid
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
            try:
                _write_owned(scratch, name, data, uid, 0o755 if name in req.executables else 0o644)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                raise OSError(
                    errno.ENOSPC,
                    f"the run's files ({sum(map(len, files.values())) / MiB:.1f} MiB) must fit its scratch tmpfs "
                    f"(limits.scratch_mb = {limits.scratch_mb})"
                ) from None
        socket.sethostname("sandbox")
        children: dict[int, str] = {}
        setup_errors: list[bytes] = []
        if judged:
            calls_r, calls_w = os.pipe()
            replies_r, replies_w = os.pipe()
            judge_in_r, judge_out_w, judge_err_w, judge_job_r = ends[5:]
            # The judge first: the candidate cannot starve its fork, and it reads its own
            # job (test code, expected values) from the parent, so neither we nor the
            # candidate, forked from us, ever hold it.
            # judge: fd 0 its stdin, 3 calls to the candidate, 4 replies, 5 its job
            judge_uid = uid + JUDGE_UID_OFFSET
            # The judge's working directory: its own, in this run's fresh /tmp, made before
            # the candidate exists and closed to it (0700, the judge's uid); test code that
            # writes a file and reads it back (KodCode's `open('output.txt', 'w')`) works.
            os.mkdir(f"{root}{JUDGE_HOME}", 0o700)
            os.chown(f"{root}{JUDGE_HOME}", judge_uid, judge_uid)
            pid, err = _spawn(req, root, judge_uid, JUDGE_HOME, has_cgroup,
                              [judge_in_r, judge_out_w, judge_err_w, calls_w, replies_r, judge_job_r], judge=True)
            children[pid] = "judge"
            setup_errors.append(err)
            # candidate: fd 0 = calls from the judge, fd 3 = its replies
            pid, err = _spawn(req, root, uid, rootfs.SCRATCH, has_cgroup, [calls_r, stdout_w, stderr_w, replies_w])
            children[pid] = "candidate"
            setup_errors.append(err)
            os.close(stdin_r)
            for fd in (calls_r, calls_w, replies_r, replies_w, judge_in_r, judge_out_w, judge_err_w, judge_job_r):
                os.close(fd)
        else:
            pid, err = _spawn(req, root, uid, rootfs.SCRATCH, has_cgroup, [stdin_r, stdout_w, stderr_w])
            children[pid] = "candidate"
            setup_errors.append(err)
            os.close(stdin_r)
        os.close(stdout_w)
        os.close(stderr_w)
        failed = b"; ".join(e for e in setup_errors if e)
        while children:  # reap orphans re-parented to us until our own children end
            got, status, usage = os.wait4(-1, 0)
            role = children.pop(got, None)
            if role == "candidate":
                report.update(status=status, cpu_s=usage.ru_utime + usage.ru_stime, max_rss_kb=usage.ru_maxrss)
            elif role == "judge":
                report["judge_status"] = status
        if failed:
            report = {"setup_error": failed.decode("utf-8", "replace")}
        _end_namespace(root)
    except BaseException:  # noqa: BLE001
        report = {"setup_error": traceback.format_exc(limit=-3)}
    try:
        os.write(status_w, json.dumps(report).encode())
    finally:
        os._exit(0)


def _spawn(
    req: Job, root: str, uid: int, cwd: str, has_cgroup: bool, fds: list[int], judge: bool = False
) -> tuple[int, bytes]:
    """Fork a sandboxed process; returns its pid and its setup error (b"" when it started)."""
    setup_r, setup_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(setup_r)
        _candidate(req, root, uid, cwd, has_cgroup, fds, setup_w, judge)
    os.close(setup_w)
    return pid, read_all(setup_r)  # EOF once the child starts untrusted code


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


def _write_owned(scratch: str, name: str, data: bytes, uid: int, mode: int) -> None:
    path = os.path.join(scratch, name)
    parent = os.path.dirname(path)
    if parent != scratch:
        os.makedirs(parent, mode=0o755, exist_ok=True)
        walk = parent
        while walk != scratch:
            os.chown(walk, uid, uid)
            walk = os.path.dirname(walk)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        view = memoryview(data)
        while view:  # a short write (a full tmpfs) is followed by one that raises ENOSPC
            view = view[os.write(fd, view) :]
        os.fchown(fd, uid, uid)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- candidate


def _candidate(
    req: Job, root: str, uid: int, cwd: str, has_cgroup: bool, fds: list[int], setup_w: int, judge: bool = False
) -> None:
    """Become an unprivileged, confined process with `fds` as its 0, 1, 2, ...; then run."""
    try:
        # Lift every descriptor above the targets first, so no dup2 clobbers a source.
        lifted = [fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in fds]
        setup_w = fcntl.fcntl(setup_w, fcntl.F_DUPFD, 100)
        for target, fd in enumerate(lifted):
            os.dup2(fd, target)
        _close_all_but({*range(len(lifted)), setup_w})
        os.chroot(root)
        os.chdir(cwd)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # drops every capability: we were root only until here
        sc.prctl(sc.PR_SET_NO_NEW_PRIVS, 1)
        _set_rlimits(req, has_cgroup)
        os.environ.clear()
        if _FILTER is not None:
            _FILTER.install()
        if req.argv is not None and not judge:
            os.set_inheritable(setup_w, False)  # closed by a successful exec
            os.execve(req.argv[0], req.argv, {})
        os.close(setup_w)
    except BaseException as exc:  # noqa: BLE001
        os.write(setup_w, f"{type(exc).__name__}: {exc}".encode())
        os._exit(127)
    if judge:
        raw = read_all(5)  # the judge's own job, straight from the parent
        req = Job.from_json(raw) if raw else req
        _run_python(req.python or "", "<judge>")
    _run_python(req.python or "", f"{rootfs.SCRATCH}/main.py")


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
    if limits.stack_mb is not None and has_cgroup:  # takes effect at exec: the program's stack may grow to it
        # Not under RLIMIT_AS (no cgroup): glibc gives every thread a stack of RLIMIT_STACK's size,
        # and a stack as large as the memory limit left no address space for a second thread
        resource.setrlimit(resource.RLIMIT_STACK, (limits.stack_mb * MiB, limits.stack_mb * MiB))
    if not has_cgroup:
        mem = limits.memory_mb * MiB
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))


# Plain `python main.py` uses 2 levels of Python's default limit when its module code calls a
# function; a program here gets as many levels as there (the zygote's frames do not count).
PLAIN_MODULE_LEVELS = 2


def _run_python(source: str, filename: str) -> None:
    """Behave as `python -I /sandbox/main.py` would, in this already warm interpreter."""
    import atexit
    import builtins
    import threading
    import types

    atexit._clear()
    main_thread = threading.main_thread()
    if hasattr(main_thread, "_set_native_id"):
        # Python 3.11 keeps the forking process's host thread id here after a fork
        main_thread._set_native_id()
    if "random" in sys.modules:
        sys.modules["random"].seed()  # a fresh interpreter would not share the zygote's state
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", errors="surrogateescape", closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
    sys.argv = [filename]
    main = types.ModuleType("__main__")
    main.__file__ = sys.argv[0]
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    code = 0
    probe: dict = {"levels_left": levels_left}
    exec("left = levels_left()", probe)  # measured where the program's module code will run
    grant_plain_depth(probe["left"], PLAIN_MODULE_LEVELS)
    try:
        # dont_inherit: this module's `from __future__ import annotations` is not the
        # program's (plain `python prog.py` evaluates `def f(x: List[int])` and fails on it)
        exec(compile(source, sys.argv[0], "exec", dont_inherit=True), main.__dict__)  # inside the sandbox
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
