"""The local backend as a component: isolation between runs, concurrency, recovery, call."""

from __future__ import annotations

import os
import resource
import signal
import sys
import time

import pytest

from sandbox.base import (
    CallResult,
    ExecRequest,
    KilledBy,
    Limits,
    SandboxError,
)
from tests.conftest import start_sandbox
from tests.sandbox.conftest import installation_in_tmp


def test_no_state_leaks_between_samples(sb):
    dirty = (
        "import builtins, json, os, threading, time\n"
        "open('left.txt', 'w').write('x')\n"
        "open('/tmp/left.txt', 'w').write('x')\n"
        "builtins.sum = lambda x: 0\n"
        "json.dumps = lambda *a, **k: 'patched'\n"
        "os.environ['LEAK'] = '1'\n"
        "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
    )
    assert sb.run(ExecRequest(python=dirty)).ok
    clean = (
        "import builtins, json, os, threading\n"
        "print(os.listdir('.'), sum([1, 1]), json.dumps(1), os.environ.get('LEAK'), threading.active_count())\n"
        "print(*os.listdir('/tmp'))"
    )
    r = sb.run(ExecRequest(python=clean))
    state, tmp = r.stdout.decode().splitlines()
    assert r.ok and state == "['main.py'] 2 1 None 1"
    assert set(tmp.split()) == installation_in_tmp()


def test_concurrent_runs_keep_their_own_results(sb):
    requests = [
        ExecRequest(python=f"import time\ntime.sleep(0.05)\nprint({i} * {i})", limits=Limits(cpu_s=2)) for i in range(24)
    ]
    requests[5] = ExecRequest(python="while True: pass", limits=Limits(cpu_s=0.5))
    results = list(sb.run_many(requests))
    assert results[5].killed_by is KilledBy.cpu
    for i, r in enumerate(results):
        if i != 5:
            assert r.ok and r.stdout == f"{i * i}\n".encode()


def test_limits_are_per_request(sb):
    small = sb.run(ExecRequest(python="x = bytearray(100 << 20)", limits=Limits(memory_mb=64)))
    big = sb.run(ExecRequest(python="x = bytearray(100 << 20)\nprint('ok')", limits=Limits(memory_mb=512)))
    again = sb.run(ExecRequest(python="x = bytearray(100 << 20)", limits=Limits(memory_mb=64)))
    if sb.cgroup_version:
        assert small.killed_by is KilledBy.memory and again.killed_by is KilledBy.memory
    assert big.ok and big.stdout == b"ok\n"


def test_a_requested_stack_limit_is_the_programs(sb):
    """`stack_mb` sets RLIMIT_STACK (compiled candidates get the memory limit); unset, the system's stays."""

    def stack(limits: Limits) -> list[str]:
        r = sb.run(ExecRequest(argv=["/bin/cat", "/proc/self/limits"], limits=limits))
        return next(line.split()[3:5] for line in r.stdout.decode().splitlines() if line.startswith("Max stack size"))

    assert stack(Limits(stack_mb=300)) == [str(300 << 20)] * 2
    assert stack(Limits())[0] == str(resource.getrlimit(resource.RLIMIT_STACK)[0])


def test_without_cgroups_the_stack_stays_the_systems_so_threads_fit_the_address_space():
    """Under RLIMIT_AS glibc sizes each thread's stack by RLIMIT_STACK: a stack as large as the
    memory limit made a second thread's `pthread_create` fail (a review's find)."""
    from sandbox.local.backend import NamespaceSandbox

    sb = start_sandbox(lambda: NamespaceSandbox(limits_via="rlimit", workers=1))
    try:
        r = sb.run(ExecRequest(argv=["/bin/cat", "/proc/self/limits"], limits=Limits(stack_mb=256, memory_mb=512)))
        soft = next(line.split()[3] for line in r.stdout.decode().splitlines() if line.startswith("Max stack size"))
        assert soft == str(resource.getrlimit(resource.RLIMIT_STACK)[0])
    finally:
        sb.close()


def test_call_runs_a_trusted_function_on_untrusted_data(sb):
    res = sb.call("json:loads", '{"a": [1, 2.5, null]}')
    assert isinstance(res, CallResult) and res.ok and res.value == {"a": [1, 2.5, None]}
    err = sb.call("json:loads", "{not json")
    assert not err.ok and err.error.startswith("JSONDecodeError")


def test_call_is_killed_when_the_function_hangs_or_explodes(sb):
    slow = sb.call("math:factorial", 10**9, limits=Limits(cpu_s=0.5))
    assert not slow.ok and slow.result.killed_by is KilledBy.cpu
    big = sb.call("operator:mul", "x", 10**9, limits=Limits(cpu_s=5, memory_mb=64))
    assert not big.ok
    if sb.cgroup_version:
        assert big.result.killed_by is KilledBy.memory


def test_recovers_when_the_fork_server_dies(local_sandbox):
    os.kill(local_sandbox._proc.pid, signal.SIGKILL)
    local_sandbox._proc.wait()
    r = local_sandbox.run(ExecRequest(python="print('back')"))
    assert r.ok and r.stdout == b"back\n"
    assert local_sandbox._proc.poll() is None


def test_recovers_when_a_slot_server_dies(local_sandbox):
    """Every slot has its own server process (a fork of the zygote in the slot's cgroup);
    one dying takes the zygote down with it, and the next run starts them all afresh."""
    zygote = local_sandbox._proc
    servers = [int(p) for p in open(f"/proc/{zygote.pid}/task/{zygote.pid}/children").read().split()]
    assert len(servers) == local_sandbox.workers
    os.kill(servers[-1], signal.SIGKILL)
    zygote.wait(timeout=5)  # the zygote notices and exits
    for _ in range(2 * local_sandbox.workers):  # every slot, the dead one included
        r = local_sandbox.run(ExecRequest(python="print('back')"))
        assert r.ok and r.stdout == b"back\n"
    assert local_sandbox._proc is not zygote and local_sandbox._proc.poll() is None


@pytest.mark.parametrize("which", ["its own", "another"])
def test_a_run_in_flight_when_a_slot_server_dies_is_run_again_not_judged(local_sandbox, which):
    """A server's death kills its runs' inits: that is our failure (rerun on a new fork
    server), never the candidate's timeout, whichever slot's server died."""
    import threading

    zygote = local_sandbox._proc
    servers = [int(p) for p in open(f"/proc/{zygote.pid}/task/{zygote.pid}/children").read().split()]

    def kill() -> None:
        # the run's server is the parent of the only init alive
        inits = {int(open(f"/proc/{p}/task/{p}/children").read().split()[0]): p for p in servers
                 if open(f"/proc/{p}/task/{p}/children").read().split()}  # fmt: skip
        running = next(iter(inits.values()))
        os.kill(running if which == "its own" else next(p for p in servers if p != running), signal.SIGKILL)

    killer = threading.Timer(0.5, kill)
    killer.start()
    try:
        r = local_sandbox.run(ExecRequest(python="import time\ntime.sleep(1.5)\nprint('finished')", limits=Limits(cpu_s=5)))
    finally:
        killer.cancel()
    assert zygote.poll() is not None, "the zygote outlived a slot server"
    assert r.ok and r.stdout == b"finished\n" and r.killed_by is None, r


def test_files_that_overflow_the_scratch_are_an_error_never_truncated(sb):
    """A second file that fits only in part: the run fails saying which limit to raise
    (it said only "No space left on device"), and a short write is never ignored."""
    big = {"a.bin": b"a" * (10 << 20), "b.bin": b"b" * (10 << 20)}
    with pytest.raises(SandboxError, match=r"must fit its scratch tmpfs \(limits.scratch_mb = 16\)"):
        sb.run(ExecRequest(python="import os\nprint(os.path.getsize('b.bin'))", files=big, limits=Limits(scratch_mb=16)))
    fits = sb.run(ExecRequest(python="import os\nprint(os.path.getsize('b.bin'))", files=big, limits=Limits(scratch_mb=32)))
    assert fits.ok and fits.stdout == b"%d\n" % (10 << 20), fits


def test_the_project_tree_is_not_visible(sb):
    """Only the sandbox package (and preloaded ones) of the checkout are bound into the
    root view: not its tests, outputs or .git."""
    import sandbox

    root = os.path.dirname(os.path.dirname(os.path.realpath(sandbox.__file__)))
    r = sb.run(ExecRequest(python=f"import os\np = {root!r}\nprint(sorted(os.listdir(p)) if os.path.isdir(p) else [])"))
    assert r.ok, r
    installation = {os.path.relpath(p, root).split(os.sep)[0] for p in (sys.prefix, sys.base_prefix) if p.startswith(root + os.sep)}
    assert set(eval(r.stdout)) <= {"sandbox", *installation}, r.stdout


def test_more_slots_than_one_message_can_carry():
    """A big machine gets two slots per core: past 253 slot sockets (the kernel's limit of
    descriptors in one message) the zygote hands them over in several messages."""
    from sandbox.local.backend import NamespaceSandbox
    from sandbox.local.protocol import SLOTS_PER_MESSAGE

    many = NamespaceSandbox(workers=SLOTS_PER_MESSAGE + 60)
    try:
        assert len(many._slot_servers) == SLOTS_PER_MESSAGE + 60
        outs = {r.stdout for r in many.run_many([ExecRequest(python="print('ok')")] * 8)}
        assert outs == {b"ok\n"}
    finally:
        many.close()


def test_the_memory_limit_is_the_runs_own(sb):
    """The slot server shares the run's cgroup; its own pages are added to the limit, so a
    run gets the whole of `memory_mb` and its reported peak is its own."""
    fits = sb.run(ExecRequest(python="x = bytearray(40 << 20)\nprint(len(x))", limits=Limits(memory_mb=64)))
    assert fits.ok and fits.stdout == b"41943040\n" and 40 <= fits.max_rss_mb < 64, fits
    over = sb.run(ExecRequest(python="x = bytearray(70 << 20)", limits=Limits(memory_mb=64)))
    assert over.killed_by == "memory"


def test_a_run_in_flight_when_the_fork_server_dies_is_run_again_not_judged(local_sandbox):
    """The candidate dies with the fork server: that is our failure, never its timeout."""
    import threading

    zygote = local_sandbox._proc
    killer = threading.Timer(0.5, lambda: os.kill(zygote.pid, signal.SIGKILL))
    killer.start()
    try:
        r = local_sandbox.run(ExecRequest(python="import time\ntime.sleep(1.5)\nprint('finished')", limits=Limits(cpu_s=5)))
    finally:
        killer.cancel()
    assert zygote.poll() is not None, "the fork server was not killed during the run"
    assert r.ok and r.stdout == b"finished\n" and r.killed_by is None  # run again on a new fork server
    assert local_sandbox._proc.poll() is None


def test_request_validation():
    with pytest.raises(ValueError):
        ExecRequest(python="1", argv=["/bin/true"])
    with pytest.raises(ValueError):
        ExecRequest(argv=["true"])
    for bad in ("../x", "/etc/x", "a/../../b", ""):
        with pytest.raises(ValueError):
            ExecRequest(python="1", files={bad: b""})
    assert Limits(cpu_s=2).wall_limit_s == 8.0


def test_rlimit_mode_still_enforces_limits():
    from sandbox.local.backend import NamespaceSandbox

    sb = start_sandbox(lambda: NamespaceSandbox(limits_via="rlimit", workers=2))  # skips only on a machine that cannot isolate
    with sb:
        assert sb.cgroup_version is None
        loop = sb.run(ExecRequest(python="while True: pass", limits=Limits(cpu_s=1)))
        assert loop.killed_by is KilledBy.cpu
        mem = sb.run(ExecRequest(python="x = bytearray(1 << 30)", limits=Limits(memory_mb=128)))
        assert mem.exit_code == 1 and b"MemoryError" in mem.stderr
        t0 = time.monotonic()
        bomb = sb.run(ExecRequest(python="import os\nwhile True:\n    os.fork()", limits=Limits(cpu_s=2, max_pids=8)))
        assert not bomb.ok and time.monotonic() - t0 < 10


def test_closed_sandbox_refuses_work():
    from sandbox.local.backend import NamespaceSandbox

    sb = start_sandbox(lambda: NamespaceSandbox(workers=1))
    proc = sb._proc
    sb.close()
    assert proc.poll() is not None  # the fork server exited with its parent's socket
    with pytest.raises(SandboxError):
        sb._run_once(ExecRequest(python="1"), 0)


def test_concurrent_runs_each_see_their_own_stdin_end(sb):
    """Runs start while others still stream stdin: no run may hold another's pipe open."""
    payloads = [bytes([65 + i]) * (300_000 + i) for i in range(8)]
    src = "import sys\ndata = sys.stdin.buffer.read()\nprint(len(data), data[:1].decode())"
    requests = [ExecRequest(python=src, stdin=p, limits=Limits(cpu_s=5, wall_s=10)) for p in payloads]
    for payload, r in zip(payloads, sb.run_many(requests, workers=4)):
        assert r.ok and r.stdout == f"{len(payload)} {payload[:1].decode()}\n".encode(), r


def test_abandoned_request_does_not_disturb_others(sb):
    import socket as _socket

    ours, theirs = _socket.socketpair()
    _socket.send_fds(sb._slot_servers[0], [b"not json"], [theirs.fileno()])  # malformed: answered, not fatal
    theirs.close()
    assert b"error" in ours.recv(65536)
    ours.close()
    assert sb.run(ExecRequest(python="print('fine')")).stdout == b"fine\n"


SCAN_OWN_MEMORY = """
import ctypes
found = False
for line in open('/proc/self/maps').read().splitlines():
    fields = line.split()
    lo, hi = (int(x, 16) for x in fields[0].split('-'))
    path = fields[5] if len(fields) > 5 else ''
    if not fields[1].startswith('r') or path.startswith('[v') or (path and not path.startswith('[')):
        continue  # anonymous memory (heap, stacks, arenas) is where inherited data would be
    chunk = ctypes.string_at(lo, hi - lo)
    at = chunk.find(HEAD)
    while at >= 0 and not found:  # HEAD then TAIL, never materialising the whole marker here
        found = chunk.startswith(TAIL, at + len(HEAD))
        at = chunk.find(HEAD, at + 1)
print(found)
"""


def test_other_runs_data_is_not_in_a_candidates_memory(sb):
    """Candidates are forked from the zygote: it must never have held another run's data."""
    marker = b"ASSAY-" + os.urandom(8).hex().encode()
    first = sb.run(ExecRequest(python="import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read() * 2)", stdin=marker,
                               files={"data.txt": marker}))
    assert first.stdout == marker * 2
    src = f"HEAD, TAIL = {marker[:8]!r}, {marker[8:]!r}\n" + SCAN_OWN_MEMORY
    r = sb.run(ExecRequest(python=src, limits=Limits(cpu_s=10)))
    assert r.ok and r.stdout == b"False\n", r.stderr


def test_sandbox_outlives_the_thread_that_created_it():
    """PR_SET_PDEATHSIG fires when the creating *thread* exits: the zygote must not use it."""
    import threading

    from sandbox.local.backend import NamespaceSandbox

    made = []
    t = threading.Thread(target=lambda: made.append(NamespaceSandbox(workers=1)))
    t.start()
    t.join()
    sb = made[0]
    try:
        time.sleep(0.2)
        assert sb._proc.poll() is None
        assert sb.run(ExecRequest(python="print('alive')")).stdout == b"alive\n"
    finally:
        sb.close()


def test_cpu_over_the_limit_between_polls_is_not_ok(sb):
    src = "import threading, time\ndef spin():\n    t = time.thread_time()\n    while time.thread_time() - t < 0.27: pass\nts = [threading.Thread(target=spin) for _ in range(2)]\nfor t in ts: t.start()\nfor t in ts: t.join()"
    r = sb.run(ExecRequest(python=src, limits=Limits(cpu_s=0.5, wall_s=5)))
    assert r.cpu_s > 0.5 and r.killed_by is KilledBy.cpu and not r.ok


def test_closed_sandbox_raises_instead_of_restarting():
    from sandbox.local.backend import NamespaceSandbox

    sb = NamespaceSandbox(workers=1)
    sb.close()
    with pytest.raises(SandboxError, match="closed"):
        sb.run(ExecRequest(python="1"))


def test_files_marked_executable_run_and_others_do_not(local_sandbox) -> None:
    script = b"#!/bin/sh\necho built program ran\n"
    ran = local_sandbox.run(ExecRequest(argv=["/sandbox/prog"], files={"prog": script}, executables=frozenset({"prog"})))
    assert ran.ok and ran.stdout == b"built program ran\n", ran
    modes = local_sandbox.run(ExecRequest(python="import os\nprint(oct(os.stat('prog').st_mode & 0o777), oct(os.stat('data').st_mode & 0o777))",
                                          files={"prog": script, "data": b"x"}, executables=frozenset({"prog"})))  # fmt: skip
    assert modes.stdout == b"0o755 0o644\n", modes
    with pytest.raises(ValueError, match="executables not among the files"):
        ExecRequest(argv=["/sandbox/prog"], executables=frozenset({"prog"}))


def test_an_oom_kill_the_runs_own_peak_cannot_explain_is_no_verdict(tmp_path) -> None:
    """An OOM kill counted in the slot's cgroup while the run stayed far below its limit is not
    the run's (CI once judged `return ord(c)` memory_limit at 0.03 s of CPU): the sandbox raises,
    so the verifier retries the sample; one that came near its limit is `memory`. The slot's
    counters are cgroup v2 files, as the kernel writes them, in a directory of our own."""
    import json

    from sandbox.local.cgroups import Leaf
    from sandbox.local.protocol import RunFds
    from sandbox.local.watch import _result

    (tmp_path / "cpu.stat").write_text("usage_usec 30000\n")
    (tmp_path / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    (tmp_path / "pids.events").write_text("max 0\n")
    leaf = Leaf(2, {"": tmp_path}, baseline={"cpu_s": 0.0, "oom": 0, "pids_max": 0})
    request = ExecRequest(python="def f(c):\n    return ord(c)\n", limits=Limits(memory_mb=512))
    fds = RunFds(pidfd=-1, stdin=-1, stdout=3, stderr=4, status=-1, job=-1)

    def result(peak_mb: int) -> object:
        (tmp_path / "memory.peak").write_text(f"{peak_mb * 2**20}\n")
        report = json.dumps({"status": signal.SIGKILL}).encode()  # killed by SIGKILL
        return _result(report, None, leaf, request, 1.2, {3: bytearray(), 4: bytearray()}, {3: False, 4: False}, fds)

    with pytest.raises(SandboxError, match="peaked at 20 of its 512 MB"):
        result(20)
    assert result(510).killed_by is KilledBy.memory  # type: ignore[attr-defined]
