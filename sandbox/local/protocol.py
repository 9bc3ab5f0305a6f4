"""The wire protocol between the sandbox's parent (`backend.py`, `watch.py`) and its fork
server and inits (`zygote.py`): both ends import it, so a change is made in one place.

Stdlib only: the zygote imports it before any candidate runs and must stay small.

* **Control socket** (parent ↔ zygote, SEQPACKET): one JSON hello, then the sockets to
  the slot servers, `SLOTS_PER_MESSAGE` a message; afterwards the parent closing it ends
  the zygote.
* **Slot sockets** (parent ↔ one slot server): one JSON request per run with a reply
  socket attached, answered by a JSON `info` (pid, uid, cgroup leaf) with the run's fds
  attached (`RunFds` order).
* **Job pipe** (parent → init): the run's `Job` as JSON (`encode_job` / `Job.from_json`),
  read to EOF before anything starts; a judged run's judge gets its own job pipe.
* **Status pipe** (init → parent): init's report, read to EOF (`read_all`).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any

UID_BASE = 1_000_000  # + init's host pid: a uid no other live execution (or host user) has
JUDGE_UID_OFFSET = 100_000_000  # the judge's uid: another uid the candidate cannot touch
JUDGE_HOME = "/tmp/.judge"  # the judge's working directory, private to it (made per run)

# A run's pipes in the order they are created and sent; the parent holds the write end of
# the ones it writes, the read end of the others. A plain run has the first five.
PIPES = ("stdin", "stdout", "stderr", "status", "job", "judge_stdin", "judge_stdout", "judge_stderr", "judge_job")
PARENT_WRITES = frozenset(i for i, name in enumerate(PIPES) if name in ("stdin", "job", "judge_stdin", "judge_job"))
PLAIN_PIPES, JUDGED_PIPES = 5, len(PIPES)
SLOTS_PER_MESSAGE = 200  # slot sockets per hello message: the kernel passes at most 253 fds

@dataclass(frozen=True)
class Lim:
    cpu_s: float
    wall_limit_s: float
    memory_mb: int
    max_pids: int
    output_bytes: int
    scratch_mb: int
    open_files: int
    stack_mb: int | None = None


@dataclass(frozen=True)
class Job:
    """A request as the parent validated it (`ExecRequest` in JSON form), plus its uid."""

    argv: list[str] | None
    python: str | None
    files: dict[str, bytes]
    executables: list[str]
    stdin: bytes
    limits: Lim
    uid: int

    @classmethod
    def from_json(cls, raw: bytes) -> Job:
        d = json.loads(raw)
        return cls(
            argv=d["argv"],
            python=d["python"],
            files={k: base64.b64decode(v) for k, v in d["files"].items()},
            executables=d["executables"],
            stdin=base64.b64decode(d["stdin"]),
            limits=Lim(**{f: d["limits"][f] for f in Lim.__dataclass_fields__}),
            uid=d["uid"],
        )


def read_all(fd: int) -> bytes:
    """Everything until EOF; the descriptor is closed in any case."""
    data = bytearray()
    try:
        while chunk := os.read(fd, 1 << 16):
            data += chunk
    finally:
        os.close(fd)
    return bytes(data)


def encode_job(request: Any, uid: int, python: str | None = None) -> bytes:
    """The job as init reads it (`Job`): plain JSON, files in standard base64. `request`
    is a `sandbox.base.ExecRequest` (not imported: the zygote never loads pydantic)."""
    limits = request.limits.model_dump()
    limits["wall_limit_s"] = request.limits.wall_limit_s
    job = {
        "argv": request.argv,
        "python": request.python,
        "files": {name: base64.b64encode(data).decode() for name, data in request.files.items()},
        "executables": sorted(request.executables),
        "stdin": "",
        "limits": limits,
        "uid": uid,
    }
    if python is not None:  # the judge: its own source, no files, no argv
        job.update(python=python, argv=None, files={}, executables=[])
    return json.dumps(job).encode()


@dataclass
class RunFds:
    """The parent's ends of a run's pipes, in the order the zygote sends them: the run's
    pidfd, then `PIPES` (the judge's four only for a judged run)."""

    pidfd: int
    stdin: int
    stdout: int
    stderr: int
    status: int
    job: int
    judge_stdin: int = -1
    judge_stdout: int = -1
    judge_stderr: int = -1
    judge_job: int = -1

    def close(self) -> None:
        for fd in vars(self).values():
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
