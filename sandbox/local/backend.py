"""`NamespaceSandbox`: the default backend, client side of the fork server."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from typing import Literal

from pydantic import Field

from sandbox.base import (
    ExecRequest,
    MiB,
    Sandbox,
    SandboxError,
    SandboxResult,
    SandboxSettings,
    SandboxUnavailable,
)
from sandbox.local import syscalls as sc
from sandbox.local.protocol import SLOTS_PER_MESSAGE, RunFds
from sandbox.local.watch import leaf_from, send_job, watch

LimitsVia = Literal["auto", "cgroup", "rlimit"]
ALL_NAMESPACES = ("mount", "pid", "net", "ipc", "uts")


class LocalSandboxConfig(SandboxSettings):
    """Linux namespaces + cgroups on this host (the default)."""

    kind: Literal["local"] = "local"
    limits_via: Literal["auto", "cgroup", "rlimit"] = Field(
        "auto", description="'cgroup' fails at start-up without usable cgroups; 'auto' falls back to rlimits"
    )
    workers: int | None = Field(
        None, ge=1, le=1024, description="executions at once (default: two per core; in a run, two per CPU Ray reserved for the verify actor)", json_schema_extra={"identity": False}
    )

    def build(self, preload: tuple[str, ...] = ()) -> Sandbox:
        return NamespaceSandbox(limits_via=self.limits_via, preload=preload, workers=self.workers)


class NamespaceSandbox(Sandbox):
    """Linux namespaces + cgroups (or rlimits) + an unprivileged uid, at fork speed.

    Args:
        limits_via: "cgroup" requires per-run cgroups and fails at start-up without them;
            "rlimit" uses per-process rlimits only; "auto" prefers cgroups.
        preload: modules imported by the zygote before it forks (for `call` targets and
            heavy imports such as sympy); their directories are made visible read-only.
            A preloaded module's `warm_up()` function, if any, is called once there.
        workers: executions at once (default: two per core; limits are CPU time, and
            runs that sleep or wait hold a slot but no CPU).

    Raises:
        SandboxUnavailable: at construction, if this machine cannot provide the isolation
            (not root, namespaces or cgroups missing). It never falls back silently.

    Known issues:
        Needs root (or CAP_SYS_ADMIN) on the host: rootless operation through user
        namespaces is not implemented; use the docker backend there.
    """

    name = "local"

    def __init__(
        self,
        limits_via: LimitsVia = "auto",
        preload: tuple[str, ...] | list[str] = (),
        workers: int | None = None,
    ) -> None:
        self.limits_via = limits_via
        self.preload = tuple(preload)
        self._workers = workers or super().workers
        # One slot per concurrent execution; a slot owns a reusable cgroup in the zygote.
        self._slots: queue.SimpleQueue[int] = queue.SimpleQueue()
        for slot in range(self._workers):
            self._slots.put(slot)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._slot_servers: list[socket.socket] = []  # one per slot, connected to its server
        self.cgroup_version: int | None = None
        self._closed = False
        self._start()

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def server_pid(self) -> int | None:
        """The fork server's pid (every run's processes descend from it), None when down."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _start(self) -> None:
        if sys.platform != "linux":
            raise SandboxUnavailable("the local sandbox needs Linux; use kind 'docker'")
        # SEQPACKET: the hello and the slot sockets that follow it stay separate messages
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        flags = 0
        for ns in ALL_NAMESPACES:
            flags |= sc.NAMESPACE_FLAGS[ns]
        extra = [_package_dir(m) for m in ("sandbox", *self.preload)]
        if getattr(self, "_root_dir", None):
            _rmdir(self._root_dir)  # left by a zygote that died
        _remove_stale_roots()
        # An empty host dir that the zygote's private mount namespace covers with the root view.
        self._root_dir = tempfile.mkdtemp(prefix=f"assay-root-{os.getpid()}-")
        settings = {
            "seccomp_bpf": _seccomp_bpf(),
            "preload": list(self.preload),
            "extra_dirs": extra,
            "limits_via": self.limits_via,
            "ns_flags": flags,
            "root": self._root_dir,
            "slots": self._workers,
        }
        errors = tempfile.TemporaryFile()
        env = {k: v for k, v in os.environ.items() if k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        proc = subprocess.Popen(  # our own interpreter and module
            [sys.executable, "-I", "-c", _ZYGOTE_MAIN, os.path.dirname(extra[0]), str(theirs.fileno()), json.dumps(settings)],
            pass_fds=[theirs.fileno()],
            env=env,  # nothing secret may reach the zygote: every candidate inherits its memory
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            cwd="/",
        )
        theirs.close()
        slot_fds: list[int] = []
        try:
            hello = ours.recv(1 << 16)
            info = json.loads(hello) if hello else {}
            while info.get("ready") and len(slot_fds) < self._workers:
                chunk, fds, _flags, _addr = socket.recv_fds(ours, 16, SLOTS_PER_MESSAGE)
                slot_fds += _not_inherited(fds)
                if not chunk:
                    break
        except OSError:
            info = {}
        if not info.get("ready") or len(slot_fds) != self._workers:
            for fd in slot_fds:
                os.close(fd)
            proc.wait(timeout=10)
            errors.seek(0)
            detail = info.get("error") or errors.read().decode(errors="replace").strip()[-2000:] or "no detail"
            ours.close()
            _rmdir(self._root_dir)
            raise SandboxUnavailable(
                f"local sandbox cannot start: {detail}. It needs Linux, root (or CAP_SYS_ADMIN) and "
                "namespaces; run `assay sandbox check`, or choose sandbox kind 'docker'."
            )
        errors.close()
        self._proc, self._control = proc, ours
        self._slot_servers = [socket.socket(fileno=fd) for fd in slot_fds]
        self.cgroup_version = info.get("cgroup")

    def run(self, request: ExecRequest) -> SandboxResult:
        if self._closed:
            raise SandboxError("sandbox is closed")
        slot = self._slots.get()
        try:
            try:
                return self._run_once(request, slot)
            except (OSError, SandboxError) as first:
                if isinstance(first, OSError) and self._proc is not None:
                    try:  # a slot server died: the zygote notices and exits at once
                        self._proc.wait(timeout=2)
                    except subprocess.TimeoutExpired:
                        pass
                if self._proc is not None and self._proc.poll() is None:
                    if isinstance(first, SandboxError):
                        raise
                    raise SandboxError(f"sandbox transport failed: {first}") from first
            with self._lock:  # the zygote died: start a new one, then retry once
                if self._proc is None or self._proc.poll() is not None:
                    self._start()
            try:
                return self._run_once(request, slot)
            except OSError as exc:
                raise SandboxError(f"sandbox transport failed: {exc}") from exc
        finally:
            self._slots.put(slot)

    def _run_once(self, request: ExecRequest, slot: int) -> SandboxResult:
        if self._control is None:
            raise SandboxError("sandbox is closed")
        ask = {
            "memory_bytes": request.limits.memory_mb * MiB,
            "max_pids": request.limits.max_pids,
            "judge": request.judge is not None,
        }
        expected = 10 if request.judge is not None else 6
        # The candidate's stdin is a file, as judges give it: programs that size or seek
        # their input (`os.read(0, os.fstat(0).st_size)`) read it all. (A judged run's
        # candidate reads the judge's calls on fd 0 instead.)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with ours:
            try:
                stdin_file = [] if request.judge is not None else [sealed_file(request.stdin)]
            except OSError as exc:
                theirs.close()
                raise SandboxError(f"could not hold the run's stdin ({len(request.stdin)} bytes) in memory: {exc}") from exc
            # the slot is ours alone until this run ends, and so is its server
            try:
                socket.send_fds(self._slot_servers[slot], [json.dumps(ask).encode()], [theirs.fileno(), *stdin_file])
            finally:
                for fd in stdin_file:
                    os.close(fd)
            theirs.close()
            ours.settimeout(60)  # the zygote answers in milliseconds unless it is wedged
            msg, fds, _flags, _addr = socket.recv_fds(ours, 1 << 16, expected)
            fds = _not_inherited(fds)
        if not msg:  # the slot server is gone (the zygote follows): a transport failure
            raise ConnectionError("the slot server closed the request")
        info = json.loads(msg)
        if "error" in info or len(fds) != expected:
            for fd in fds:
                os.close(fd)
            raise SandboxError(f"the fork server could not start a run: {info.get('error', 'no descriptors')}")
        if stdin_file and not info.get("stdin_file"):  # dropped in transit (the server at its fd limit)
            for fd in fds:
                os.close(fd)
            raise SandboxError("the fork server did not receive the run's stdin")
        run_fds = RunFds(*fds)
        if stdin_file:  # the stdin pipe is unused: the run reads the file
            os.close(run_fds.stdin)
            run_fds.stdin = -1
        proc = self._proc
        try:
            send_job(run_fds, request, info["uid"])
            result = watch(run_fds, request, leaf_from(info["cgroup"]))
            if proc is not None and proc.poll() is not None:
                # The fork server died while this run was in flight (killed, OOM): the run
                # was killed with it, so its "timeout" or signal is ours, not the candidate's.
                raise SandboxError("the fork server died during this run; its outcome is not the candidate's")
            return result
        except BaseException:
            try:
                signal.pidfd_send_signal(run_fds.pidfd, signal.SIGKILL)
                # keep the slot (and its cgroup) until the run is really gone
                select.select([run_fds.pidfd], [], [], 5.0)
            except OSError:
                pass
            raise
        finally:
            run_fds.close()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            for server in self._slot_servers:
                server.close()
            self._slot_servers = []
            if self._control is not None:
                self._control.close()
                self._control = None
            if self._proc is not None:
                try:
                    self._proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
                self._proc = None
                _rmdir(self._root_dir)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


# The zygote runs this very checkout's `sandbox` package (not whichever one `-m` would
# find on the installed path), so two checkouts side by side each fork their own code.
# The checkout's root leaves sys.path again at once: the root view binds every sys.path
# entry, and a run must not see the project tree (tests, outputs, .git).
_ZYGOTE_MAIN = (
    "import runpy, sys; root = sys.argv.pop(1); sys.path.insert(0, root); import sandbox; sys.path.remove(root); "
    "runpy.run_module('sandbox.local.zygote', run_name='__main__')"
)


def sealed_file(data: bytes) -> int:
    """An in-memory file holding `data`, read from its start, sealed so that nothing can
    change it (a candidate that writes to its stdin gets EPERM)."""
    flags = os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING
    try:  # not executable, where the kernel knows the flag (6.3+; required by vm.memfd_noexec=2)
        fd = os.memfd_create("stdin", flags | MFD_NOEXEC_SEAL)
    except OSError as exc:
        if exc.errno != errno.EINVAL:
            raise
        fd = os.memfd_create("stdin", flags)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL)
        # Hand over a read-only descriptor, at offset 0 (the sealed one refuses writes too).
        return os.open(f"/proc/self/fd/{fd}", os.O_RDONLY | os.O_CLOEXEC)
    finally:
        os.close(fd)


MFD_NOEXEC_SEAL = 0x0008  # linux/memfd.h; not in Python 3.11's os module


def _not_inherited(fds: list[int]) -> list[int]:
    """Received descriptors are inheritable; a child the verifier starts must not hold a
    run's pipes (it could keep a run open into a false wall timeout) or a slot's socket."""
    for fd in fds:
        os.set_inheritable(fd, False)
    return fds


def _seccomp_bpf() -> str:
    """The candidates' seccomp filter, compiled here so the zygote need not load libseccomp."""
    import base64

    from sandbox.local.seccomp import compile_filter

    try:
        return base64.b64encode(compile_filter()).decode()
    except (ImportError, OSError, RuntimeError) as exc:
        raise SandboxUnavailable(
            f"cannot build the seccomp filter ({exc}); the local sandbox needs libseccomp (Debian: libseccomp2)"
        ) from exc


def _rmdir(path: str) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


def _remove_stale_roots() -> None:
    """Remove the empty root dirs of sandboxes whose process died without closing."""
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        parts = name.split("-")
        if name.startswith("assay-root-") and len(parts) >= 4 and parts[2].isdigit():
            if not os.path.exists(f"/proc/{parts[2]}"):
                _rmdir(os.path.join(tmp, name))


def _package_dir(module: str) -> str:
    """Directory holding `module`'s top-level package, made visible inside the root."""
    import importlib.util

    spec = importlib.util.find_spec(module.split(".")[0])
    if spec is None or not (spec.origin or spec.submodule_search_locations):
        raise SandboxUnavailable(f"cannot preload {module!r}: not importable")
    if spec.submodule_search_locations:
        return os.path.realpath(list(spec.submodule_search_locations)[0])
    return os.path.dirname(os.path.realpath(spec.origin or ""))
