"""Supervising one run from the parent: the judge's input in (a candidate's stdin is a
file, see `backend.sealed_file`), capped output out, limits from outside.

The zygote hands the parent its ends of the run's pipes and a pidfd of the run's init.
Everything here happens in the calling thread, in the parent process, so the run's data
never passes through (and never stays in the memory of) the process candidates are
forked from.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from pathlib import Path

from sandbox.base import ExecRequest, KilledBy, SandboxError, SandboxResult
from sandbox.local.cgroups import Leaf
from sandbox.local.protocol import JUDGE_UID_OFFSET, RunFds, encode_job, read_all

CPU_POLL_S = 0.02


def leaf_from(info: dict | None) -> Leaf | None:
    if not info:
        return None
    return Leaf(info["version"], {k: Path(v) for k, v in info["dirs"].items()}, info["baseline"], info["reserve"])


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    try:
        while view:
            view = view[os.write(fd, view[: 1 << 20]) :]
    except BrokenPipeError as exc:
        raise SandboxError("the run's init exited before reading its job") from exc
    finally:
        os.close(fd)


def send_job(fds: RunFds, request: ExecRequest, uid: int) -> None:
    """Give init its job; it starts nothing before it has read all of it. The judge's job
    follows on its own pipe, which init reads only after the candidate has started."""
    _write_all(fds.job, encode_job(request, uid))
    fds.job = -1
    if request.judge is not None:
        _write_all(fds.judge_job, encode_job(request, uid + JUDGE_UID_OFFSET, request.judge.python))
        fds.judge_job = -1


def watch(fds: RunFds, request: ExecRequest, leaf: Leaf | None) -> SandboxResult:
    limits = request.limits
    started = time.monotonic()
    deadline = started + limits.wall_limit_s
    poller = select.poll()
    poller.register(fds.pidfd, select.POLLIN)
    outputs = {fd: bytearray() for fd in (fds.stdout, fds.stderr, fds.judge_stdout, fds.judge_stderr) if fd >= 0}
    truncated = {fd: False for fd in outputs}
    for fd in outputs:
        poller.register(fd, select.POLLIN)
    open_pipes = set(outputs)
    feeds: dict[int, memoryview] = {}
    for fd, data in ((fds.stdin, request.stdin), (fds.judge_stdin, request.judge.stdin if request.judge else b"")):
        if fd < 0:
            continue
        if data:
            os.set_blocking(fd, False)
            poller.register(fd, select.POLLOUT)
            feeds[fd] = memoryview(data)
        else:
            os.close(fd)
    fds.stdin = fds.judge_stdin = -1  # owned by `feeds` now
    killed_by: KilledBy | None = None
    alive = True
    ended = started
    next_cpu = started + CPU_POLL_S

    def kill(reason: KilledBy) -> None:
        nonlocal killed_by
        killed_by = killed_by or reason
        try:
            signal.pidfd_send_signal(fds.pidfd, signal.SIGKILL)  # pid 1: takes the namespace with it
        except ProcessLookupError:
            pass

    try:
        while alive or open_pipes:
            now = time.monotonic()
            if alive and now >= deadline:
                kill(KilledBy.wall)
            wait_s = max(0.0, deadline - now) if alive else 5.0
            if leaf is not None and alive:
                wait_s = min(wait_s, max(0.0, next_cpu - now))
            events = poller.poll(wait_s * 1000)
            if not events and not alive:
                raise SandboxError("the run's output pipes stayed open after its init exited")
            for fd, event in events:
                if fd == fds.pidfd:
                    alive = False
                    ended = time.monotonic()
                    poller.unregister(fd)
                elif fd in feeds:
                    left = feeds[fd]
                    try:
                        left = left[os.write(fd, left[: 1 << 16]) :]
                    except BlockingIOError:
                        pass
                    except BrokenPipeError:
                        left = left[:0]
                    feeds[fd] = left
                    if not left or event & (select.POLLERR | select.POLLHUP):
                        poller.unregister(fd)
                        del feeds[fd]
                        os.close(fd)
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
                        kill(KilledBy.output)
            if leaf is not None and alive and time.monotonic() >= next_cpu:
                next_cpu = time.monotonic() + CPU_POLL_S
                if leaf.cpu_s() > limits.cpu_s:
                    kill(KilledBy.cpu)
    finally:
        for fd in feeds:
            os.close(fd)
    report = read_all(fds.status)
    fds.status = -1
    return _result(report, killed_by, leaf, request, ended - started, outputs, truncated, fds)


def _result(
    report: bytes,
    killed_by: KilledBy | None,
    leaf: Leaf | None,
    request: ExecRequest,
    wall_s: float,
    outputs: dict[int, bytearray],
    truncated: dict[int, bool],
    fds: RunFds,
) -> SandboxResult:
    limits = request.limits
    info = json.loads(report) if report else {}
    if "setup_error" in info:
        raise SandboxError(f"sandbox setup failed: {info['setup_error']}")
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
        # init died without a report, and not by our hand: no candidate can kill it (it is
        # root in its namespaces), so either the OOM killer took it (counted below) or its
        # slot server died and took it along: our failure, never the candidate's verdict
        if leaf is None or not leaf.stats().oom_killed:
            raise ConnectionError("the run's init died without a report: its slot server died")
        killed_by = KilledBy.wall
    pids_hit = False
    oom = False
    if leaf is not None:
        stats = leaf.stats()
        cpu_s = stats.cpu_s if stats.cpu_s is not None else cpu_s
        rss_mb = stats.peak_mb if stats.peak_mb else rss_mb
        pids_hit = stats.pids_limit_hit
        if stats.oom_killed and killed_by in (None, KilledBy.wall):
            if stats.peak_mb is not None and stats.peak_mb < limits.memory_mb / 2:
                # An OOM kill in the slot's cgroup that the run's own peak cannot explain (the run
                # never came near its limit): not the run's doing, so never its verdict. Raised, so
                # the verifier retries the sample (CI once judged `return ord(c)` memory_limit at
                # 0.03 s of CPU).
                raise SandboxError(f"an OOM kill in the slot's cgroup while the run peaked at {stats.peak_mb:.0f} "
                                   f"of its {limits.memory_mb} MB")
            killed_by, oom = KilledBy.memory, True  # any process of the run: the run hit the limit
    if killed_by is None and (signum == signal.SIGXCPU or (signum == signal.SIGKILL and cpu_s >= 0.9 * limits.cpu_s)):
        killed_by = KilledBy.cpu  # RLIMIT_CPU fired (SIGXCPU at the soft limit, SIGKILL at the hard one)
    if killed_by is None and cpu_s > limits.cpu_s:
        killed_by = KilledBy.cpu  # over the limit between two polls, or across processes (rlimits)
    elif killed_by is not None and not (oom and "status" in info):
        exit_code = None  # we killed the main process; an OOM kill elsewhere leaves its status true
        signum = signum or signal.SIGKILL
    judge = None
    if fds.judge_stdout >= 0:
        j_exit = j_sig = None
        if "judge_status" in info:
            j_status = info["judge_status"]
            j_exit = os.WEXITSTATUS(j_status) if os.WIFEXITED(j_status) else None
            j_sig = os.WTERMSIG(j_status) if os.WIFSIGNALED(j_status) else None
        judge = SandboxResult(
            exit_code=None if killed_by else j_exit,
            signal=j_sig or (signal.SIGKILL if killed_by else None),
            killed_by=killed_by,
            stdout=bytes(outputs[fds.judge_stdout]),
            stderr=bytes(outputs[fds.judge_stderr]),
            stdout_truncated=truncated[fds.judge_stdout],
            stderr_truncated=truncated[fds.judge_stderr],
            backend="local",
        )
    return SandboxResult(
        exit_code=exit_code,
        signal=signum,
        killed_by=killed_by,
        stdout=bytes(outputs[fds.stdout]),
        stderr=bytes(outputs[fds.stderr]),
        stdout_truncated=truncated[fds.stdout],
        stderr_truncated=truncated[fds.stderr],
        cpu_s=round(cpu_s, 4),
        wall_s=round(wall_s, 4),
        max_rss_mb=round(rss_mb, 2),
        pids_limit_hit=pids_hit,
        backend="local",
        judge=judge,
    )
