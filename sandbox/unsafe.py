"""`UnsafeSandbox`: NO isolation. Plain child processes with rlimits, for debugging only.

A candidate run here can read your files, open network connections and leave processes
behind. It exists for machines without namespaces (macOS laptops) where a developer
wants to see the pipeline work on trusted completions. It refuses to start unless the
config says `i_understand_this_is_not_a_sandbox: true`, and it warns on every start.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from typing import Literal

from pydantic import Field

from sandbox.base import (
    ExecRequest,
    KilledBy,
    MiB,
    Sandbox,
    SandboxError,
    SandboxResult,
    SandboxSettings,
    SandboxUnavailable,
)


class UnsafeSandboxConfig(SandboxSettings):
    """NO ISOLATION: plain subprocesses with rlimits. For debugging on machines without
    namespaces; never for untrusted model output."""

    kind: Literal["unsafe"] = "unsafe"
    i_understand_this_is_not_a_sandbox: bool = Field(
        False, description="must be true: this backend lets candidates read and write your files"
    )

    def build(self, preload: tuple[str, ...] = ()) -> Sandbox:
        return UnsafeSandbox(acknowledged=self.i_understand_this_is_not_a_sandbox)


class UnsafeSandbox(Sandbox):
    name = "unsafe"

    def __init__(self, acknowledged: bool = False) -> None:
        if not acknowledged:
            raise SandboxUnavailable(
                "sandbox kind 'unsafe' runs untrusted code WITHOUT isolation; set "
                "i_understand_this_is_not_a_sandbox: true to use it for debugging"
            )
        warnings.warn("UNSAFE sandbox: candidate code runs with your privileges", RuntimeWarning, stacklevel=2)

    def run(self, request: ExecRequest) -> SandboxResult:
        if request.judge is not None:
            # a judge beside the candidate needs a second uid the candidate cannot touch
            raise SandboxError("the unsafe backend cannot run judged tests (assert-style); use the local or docker backend")
        limits = request.limits
        with tempfile.TemporaryDirectory(prefix="assay-unsafe-") as scratch:
            files = dict(request.files)
            if request.python is not None:
                files["main.py"] = request.python.encode("utf-8", "surrogatepass")
            for name, data in files.items():
                path = os.path.join(scratch, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as fh:
                    fh.write(data)
                os.chmod(path, 0o755 if name in request.executables else 0o644)
            argv = request.argv or [sys.executable, "-I", "main.py"]

            def set_limits() -> None:
                cpu = max(1, int(limits.cpu_s + 0.999))
                resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
                resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * MiB, limits.memory_mb * MiB))
                resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

            started = time.monotonic()
            proc = subprocess.Popen(
                argv, cwd=scratch, env={}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, preexec_fn=set_limits, start_new_session=True,
            )
            killed: list[KilledBy] = []
            outs = {"stdout": bytearray(), "stderr": bytearray()}
            cut = {"stdout": False, "stderr": False}

            def kill(reason: KilledBy) -> None:
                killed.append(reason)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

            def drain(name: str) -> None:
                stream = getattr(proc, name)
                while chunk := stream.read1(1 << 16):
                    room = limits.output_bytes - len(outs[name])
                    outs[name] += chunk[: max(room, 0)]
                    if len(chunk) > room:
                        cut[name] = True
                        kill(KilledBy.output)

            readers = [threading.Thread(target=drain, args=(n,), daemon=True) for n in outs]
            for t in readers:
                t.start()
            try:
                proc.stdin.write(request.stdin)  # type: ignore[union-attr]
                proc.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass
            try:
                proc.wait(timeout=limits.wall_limit_s)
            except subprocess.TimeoutExpired:
                kill(KilledBy.wall)
                proc.wait()
            for t in readers:
                t.join(timeout=5)
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        code = proc.returncode
        signum = -code if code < 0 else None
        killed_by = killed[0] if killed else (KilledBy.cpu if signum == signal.SIGXCPU else None)
        return SandboxResult(
            exit_code=None if signum else code,
            signal=signum,
            killed_by=killed_by,
            stdout=bytes(outs["stdout"]),
            stderr=bytes(outs["stderr"]),
            stdout_truncated=cut["stdout"],
            stderr_truncated=cut["stderr"],
            wall_s=round(time.monotonic() - started, 4),
            cpu_s=0.0,  # per-child CPU is not separable from RUSAGE_CHILDREN under threads
            max_rss_mb=round(usage.ru_maxrss / 1024, 2),
            backend="unsafe",
        )
