"""The sandbox contract: run untrusted programs under hard limits, return plain data.

Every backend (local namespaces, docker, the loudly-named unsafe one) implements
:class:`Sandbox`. Requests and results are frozen pydantic models so they can cross
process boundaries as JSON and be recorded verbatim.
"""

from __future__ import annotations

import abc
import enum
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MiB = 1024 * 1024


class SandboxError(RuntimeError):
    """Our infrastructure failed (never the candidate's fault): becomes `verifier_error`."""


class SandboxUnavailable(SandboxError):
    """The machine cannot provide an isolation feature the configuration asks for."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")


class Limits(_Frozen):
    """Hard limits for one execution. CPU time is the main limit; wall time is a backstop.

    Note:
        `wall_s` defaults to a generous multiple of `cpu_s` so that a loaded machine does
        not turn honest programs into timeouts, while a sleeping or stopped program is
        still killed.
    """

    cpu_s: float = Field(10.0, gt=0, le=3600, description="CPU seconds across all processes of the run")
    wall_s: float | None = Field(None, gt=0, le=7200, description="wall-clock seconds (default 3*cpu_s + 2)")
    memory_mb: int = Field(512, ge=16, le=65536, description="memory for all processes of the run")
    max_pids: int = Field(64, ge=1, le=4096, description="processes and threads at once")
    output_bytes: int = Field(1 * MiB, ge=1024, le=256 * MiB, description="cap for stdout, and separately stderr")
    scratch_mb: int = Field(64, ge=1, le=4096, description="size of the private scratch dir and of /tmp")
    open_files: int = Field(256, ge=16, le=65536, description="file descriptors per process")
    stack_mb: int | None = Field(
        None, ge=1, le=65536,
        description="RLIMIT_STACK, how far a program's main stack may grow (not in docker judged runs); None: the system's, 8 MiB")

    @property
    def wall_limit_s(self) -> float:
        return self.wall_s if self.wall_s is not None else 3 * self.cpu_s + 2.0


class JudgeSpec(_Frozen):
    """A second program run beside the candidate, under its own uid, to judge it.

    The judge talks to the candidate over two pipes (judge fd 3 writes to the
    candidate's fd 0; the candidate's fd 3 writes to judge fd 4) and reports on its own
    stdout. Its source and stdin (test code, expected values) never enter the
    candidate's process: the candidate is started before the judge's data arrives.
    """

    python: str
    stdin: bytes = b""


class ExecRequest(_Frozen):
    """One program to run.

    Exactly one of `argv` (a program to exec, absolute path first) or `python` (Python
    source run by the warm interpreter, as `python -I main.py` would) is given.
    `files` are written into the private scratch dir, which is the working directory;
    those named in `executables` with mode 0755 (a compiled program), the rest 0644.
    """

    argv: list[str] | None = None
    python: str | None = None
    files: dict[str, bytes] = Field(default_factory=dict)
    executables: frozenset[str] = Field(default_factory=frozenset, description="names in files to make executable")
    stdin: bytes = b""
    limits: Limits = Field(default_factory=Limits)
    judge: JudgeSpec | None = Field(None, description="run a judge process connected to the candidate")

    @model_validator(mode="after")
    def _one_program(self) -> ExecRequest:
        if (self.argv is None) == (self.python is None):
            raise ValueError("give exactly one of argv or python")
        if self.argv is not None and (not self.argv or not self.argv[0].startswith("/")):
            raise ValueError("argv[0] must be an absolute path")
        if self.judge is not None and self.stdin:
            raise ValueError("with a judge, the candidate's stdin is the judge's channel")
        if self.python is not None and "main.py" in self.files:
            raise ValueError("'main.py' is where the python source goes; name the file otherwise")
        if not self.executables <= self.files.keys():
            raise ValueError(f"executables not among the files: {sorted(self.executables - self.files.keys())}")
        return self

    @field_validator("files")
    @classmethod
    def _relative_names(cls, files: dict[str, bytes]) -> dict[str, bytes]:
        for name in files:
            parts = name.split("/")
            if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\0" in name:
                raise ValueError(f"file name must be a plain relative path: {name!r}")
        return files


class KilledBy(str, enum.Enum):
    """Which limit the run hit: the sandbox killed it, or it went over before a kill landed."""

    cpu = "cpu"
    wall = "wall"
    memory = "memory"
    output = "output"


class SandboxResult(_Frozen):
    """What happened, as plain data (modelled on isolate's meta file)."""

    exit_code: int | None = Field(None, description="exit status when the program exited normally")
    signal: int | None = Field(None, description="signal that killed the main process, if any")
    killed_by: KilledBy | None = None
    stdout: bytes = b""
    stderr: bytes = b""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    cpu_s: float = 0.0
    wall_s: float = 0.0
    max_rss_mb: float = 0.0
    pids_limit_hit: bool = Field(False, description="a fork or thread creation was refused by the pid limit")
    backend: str = ""
    judge: SandboxResult | None = Field(None, description="the judge's own exit and output, for judged runs")

    @property
    def ok(self) -> bool:
        """Ended normally, exit 0, within every limit."""
        return self.killed_by is None and self.signal is None and self.exit_code == 0


class CallResult(_Frozen):
    """Outcome of :meth:`Sandbox.call`: the function's JSON value, or why there is none."""

    value: Any = None
    error: str | None = Field(None, description="exception raised by the function (type: message)")
    result: SandboxResult

    @property
    def ok(self) -> bool:
        return self.error is None and self.result.killed_by is None and self.result.exit_code == 0


# Child-side driver for `call`: reads {"fn", "args", "kwargs"} as JSON on stdin and
# writes one JSON line on the original stdout. fd 1 is pointed at stderr while the
# function runs so that stray prints cannot corrupt the reply.
_CALL_DRIVER = r"""
import importlib, json, os, sys
_out = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
req = json.loads(sys.stdin.buffer.read())
mod, _, qual = req["fn"].partition(":")
fn = importlib.import_module(mod)
for part in qual.split("."):
    fn = getattr(fn, part)
try:
    reply = {"value": fn(*req["args"], **req["kwargs"])}
except Exception as exc:  # the function's own failure is data, not a crash
    reply = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
_out.write(json.dumps(reply))
_out.flush()
"""


class Sandbox(abc.ABC):
    """Runs untrusted programs in isolation and reports what happened.

    Contract:
        * `run` never raises because of what the program did: crashes, limits and
          garbage output are all described by the returned :class:`SandboxResult`.
        * It raises :class:`SandboxError` only when the sandbox itself failed; callers
          turn that into `verifier_error` and retry.
        * Nothing the program starts outlives `run`; nothing it writes outside its
          private scratch dir and /tmp survives; it sees no network, no host
          processes and no environment variables.
        * Implementations are thread-safe: `run` may be called from many threads.

    Note:
        The verdict must still be decided by the caller from the returned plain data;
        the sandbox contains a program, it does not judge it.
    """

    name: str = "base"

    @abc.abstractmethod
    def run(self, request: ExecRequest) -> SandboxResult:
        """Run one program to completion (or until a limit kills it)."""

    def run_many(self, requests: Iterable[ExecRequest], workers: int | None = None) -> Iterator[SandboxResult]:
        """Run requests concurrently, yielding results in request order."""
        with ThreadPoolExecutor(max_workers=workers or self.workers) as pool:
            yield from pool.map(self.run, requests)

    @property
    def workers(self) -> int:
        """How many executions this sandbox runs at once by default: two per core. Limits
        are CPU time, so sharing a core costs an honest run no verdict, and a run that
        sleeps or waits (a hang until the wall-clock limit) holds a slot but no CPU."""
        import os

        return 2 * max(1, len(os.sched_getaffinity(0)))

    def call(self, fn: str, *args: Any, limits: Limits | None = None, **kwargs: Any) -> CallResult:
        """Run a *trusted* function on *untrusted* JSON data in isolation.

        Args:
            fn: "package.module:qualname" importable inside the sandbox (for the local
                backend, list its module in `preload` to make it fast).
            *args, **kwargs: JSON-serialisable arguments.
            limits: hard limits for the call.

        Returns:
            A :class:`CallResult` with the function's JSON return value, or the error.

        Known issues:
            The reply is written from inside the sandbox, so it is only as trustworthy as
            the code that runs there: use it for functions that never *execute* the data
            (parsing with an evaluator, e.g. `sympify`, can be hijacked to forge a reply).
        """
        payload = json.dumps({"fn": fn, "args": list(args), "kwargs": kwargs}).encode()
        result = self.run(ExecRequest(python=_CALL_DRIVER, stdin=payload, limits=limits or Limits()))
        if result.killed_by is not None or result.exit_code != 0:
            tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            return CallResult(error=f"sandboxed call did not finish: {tail[0]}"[:2000], result=result)
        try:
            reply = json.loads(result.stdout)
        except ValueError:
            return CallResult(error="sandboxed call returned no JSON reply", result=result)
        return CallResult(value=reply.get("value"), error=reply.get("error"), result=result)

    def close(self) -> None:
        """Release workers, pools and containers. Idempotent."""

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SandboxSettings(BaseModel):
    """The base of a sandbox backend's config model. A backend's file defines a subclass
    whose `kind` is a Literal (its registry name) and whose `build` makes the sandbox;
    `sandbox.config` lists it. `preload`: modules the sandbox's runs import once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str

    def build(self, preload: tuple[str, ...] = ()) -> Sandbox:
        raise NotImplementedError
