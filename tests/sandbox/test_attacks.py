"""One test per attack class of the threat model (docs/architecture.md) that the sandbox itself must stop.

Each asserts the verdict-relevant outcome (killed / limit hit / denied) and, through the
`sb` fixture, the host invariants: no sandbox process left, the fork server alive.
Attacks on the *verdict* (forged equality, patched builtins, exit tricks) belong to the
code verifier, whose tests build on the truthful reporting checked here.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from sandbox.base import ExecRequest, KilledBy, Limits
from tests.sandbox.conftest import (
    SECRET,
    SECRET_VALUE,
    installation_in_tmp,
    sandbox_processes,
)

FAST = Limits(cpu_s=1, wall_s=3, memory_mb=128, max_pids=32)


def run(sb, source: str, limits: Limits = FAST, **kw):
    return sb.run(ExecRequest(python=source, limits=limits, **kw))


# -- resource exhaustion -----------------------------------------------------------


def test_infinite_loop_ignoring_signals_is_killed_on_cpu(sb):
    src = "import signal\nfor s in (signal.SIGTERM, signal.SIGXCPU, signal.SIGINT):\n    signal.signal(s, signal.SIG_IGN)\nwhile True: pass"
    r = run(sb, src)
    assert r.killed_by is KilledBy.cpu and r.signal == signal.SIGKILL and r.exit_code is None
    assert 0.9 <= r.cpu_s <= 2.5


def test_cpu_spread_over_processes_is_counted_in_total(sb):
    src = "import os\nfor _ in range(3):\n    if os.fork() == 0: break\nwhile True: pass"
    r = run(sb, src, Limits(cpu_s=1, wall_s=10, max_pids=16))
    if sb.cgroup_version:
        assert r.killed_by is KilledBy.cpu and r.wall_s < 3  # 4 busy processes share 1 CPU-second
    else:
        assert r.killed_by in (KilledBy.cpu, KilledBy.wall)


def test_sleeping_is_killed_by_wall_clock(sb):
    r = run(sb, "import time\ntime.sleep(60)", Limits(cpu_s=1, wall_s=1))
    assert r.killed_by is KilledBy.wall and 1.0 <= r.wall_s < 3


def test_sigstop_is_killed_by_wall_clock(sb):
    r = run(sb, "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)", Limits(cpu_s=1, wall_s=1))
    assert r.killed_by is KilledBy.wall


def test_memory_bomb_hits_memory_limit(sb):
    r = run(sb, "x = []\nwhile True:\n    x.append(bytearray(1 << 20))", Limits(cpu_s=5, memory_mb=64))
    if sb.cgroup_version:
        assert r.killed_by is KilledBy.memory and r.max_rss_mb <= 70
    else:
        assert r.exit_code == 1 and b"MemoryError" in r.stderr


def test_fork_bomb_is_contained(sb):
    t0 = time.monotonic()
    r = run(sb, "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass", Limits(cpu_s=2, wall_s=4, max_pids=16))
    assert not r.ok and time.monotonic() - t0 < 6
    assert r.killed_by is not None


def test_thread_bomb_is_contained(sb):
    src = "import threading, time\nwhile True:\n    threading.Thread(target=time.sleep, args=(100,)).start()"
    r = run(sb, src, Limits(cpu_s=2, wall_s=2, max_pids=16))
    # thread creation fails; the interpreter then waits on the sleepers until the wall limit
    assert b"can't start new thread" in r.stderr and r.killed_by is KilledBy.wall
    assert r.pids_limit_hit or not sb.cgroup_version


def test_output_flood_is_cut_and_killed(sb):
    r = run(sb, "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)", Limits(cpu_s=5, output_bytes=100_000))
    assert r.killed_by is KilledBy.output and r.stdout_truncated
    assert len(r.stdout) == 100_000


def test_stderr_flood_is_cut_too(sb):
    r = run(sb, "import os\nwhile True:\n    os.write(2, b'e' * 65536)", Limits(cpu_s=5, output_bytes=50_000))
    assert r.killed_by is KilledBy.output and r.stderr_truncated and len(r.stderr) == 50_000


def test_fd_exhaustion_only_hurts_the_candidate(sb):
    src = "fs = []\nwhile True:\n    fs.append(open('/dev/null'))"
    r = run(sb, src, Limits(cpu_s=2, open_files=64))
    assert r.exit_code == 1 and b"Too many open files" in r.stderr
    assert run(sb, "print('next')").stdout == b"next\n"


def test_scratch_disk_fill_is_bounded(sb):
    src = "with open('big', 'wb') as f:\n    while True:\n        f.write(b'x' * (1 << 20))"
    r = run(sb, src, Limits(cpu_s=5, scratch_mb=8, memory_mb=256))
    # RLIMIT_FSIZE (the scratch size) or the tmpfs's own size stops the writes; Python
    # ignores SIGXFSZ, so the program ends on the write's error, not on a run limit
    assert r.killed_by is None and r.exit_code == 1, r
    assert b"File too large" in r.stderr or b"No space left on device" in r.stderr, r.stderr[-300:]


# -- escaping the run --------------------------------------------------------------


def test_double_fork_daemon_does_not_outlive_the_run(sb):
    src = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(30)\n"
        "    os._exit(0)\n"
        "print('parent done')\n"
    )
    r = run(sb, src)
    assert r.ok and r.stdout == b"parent done\n"
    assert sandbox_processes(sb.server_pid) == []


def test_orphaned_subprocess_does_not_outlive_the_run(sb):
    src = f"import subprocess\nsubprocess.Popen([{sys.executable!r}, '-c', 'import time; time.sleep(30)'], start_new_session=True)\nprint('spawned')"
    r = run(sb, src)
    assert r.ok and r.stdout == b"spawned\n", r.stderr
    assert sandbox_processes(sb.server_pid) == []


def test_leftovers_are_told_apart_per_sandbox(sb):
    """The leftover check counts a process that left every sandbox, and the runs of this
    sandbox, but not those of another sandbox judging on the same host at the same time
    (`assay sandbox check` beside a pipeline; two test workers)."""
    import concurrent.futures
    import subprocess

    from sandbox.local.backend import NamespaceSandbox
    from sandbox.local.protocol import UID_BASE

    # A sandbox uid under no sandbox: what a process that escaped its run would be.
    escaped = subprocess.Popen(["sleep", "30"], user=UID_BASE + 999_999)
    try:
        assert escaped.pid in sandbox_processes(sb.server_pid)
    finally:
        escaped.kill()
        escaped.wait()
    other = NamespaceSandbox(workers=1)
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            done = pool.submit(run, other, "import time; time.sleep(2)")
            deadline = time.monotonic() + 10
            while not (theirs := set(sandbox_processes(other.server_pid))) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert theirs, "the other sandbox's run never showed up"
            assert not theirs & set(sandbox_processes(sb.server_pid))
            assert done.result().ok
            # Runs killed at their limit, holding memory: an init on its way out reads an
            # empty command line for a while; its run is still not ours.
            killed = Limits(cpu_s=5, wall_s=1, memory_mb=512, max_pids=32)
            done = pool.submit(lambda: [run(other, "import time\nx = bytearray(300 << 20)\ntime.sleep(9)", killed) for _ in range(4)])
            seen: set[int] = set()
            while not done.done():
                seen |= set(sandbox_processes(sb.server_pid))
            assert all(r.killed_by is KilledBy.wall for r in done.result())
            assert not seen, "another sandbox's runs were counted as this one's leftovers"
    finally:
        other.close()


def test_killing_the_parent_is_denied(sb):
    r = run(sb, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    assert r.exit_code == 1 and b"PermissionError" in r.stderr
    assert run(sb, "print(1)").ok


def test_kill_all_processes_cannot_reach_outside(sb):
    r = run(sb, "import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept ProcessLookupError:\n    print('nothing to kill')")
    assert r.ok and r.stdout == b"nothing to kill\n"
    assert run(sb, "print(1)").ok  # the verifier side is untouched


def test_host_processes_are_invisible(sb):
    r = run(sb, "import os\nprint(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))")
    visible = json.loads(r.stdout)
    assert len(visible) == 1  # only itself: init is root-owned and hidden
    assert os.getpid() not in visible or visible == [os.getpid()] and os.getpid() < 3


def test_runs_unprivileged_without_capabilities(sb):
    r = run(sb, "import os\nprint(os.getuid(), os.geteuid(), os.getgid())\nprint(open('/proc/self/status').read())")
    first, status = r.stdout.split(b"\n", 1)
    uid, euid, gid = map(int, first.split())
    assert uid == euid == gid and uid != 0
    caps = {line.split(b":")[0]: line.split(b":")[1].strip() for line in status.splitlines() if line.startswith(b"Cap")}
    assert caps[b"CapEff"] == b"0" * 16 and caps[b"CapPrm"] == b"0" * 16
    assert b"NoNewPrivs:\t1" in status


# -- host file system --------------------------------------------------------------


def test_writing_outside_scratch_is_denied(sb):
    stdlib_json = Path(json.__file__)
    before = hashlib.sha256(stdlib_json.read_bytes()).hexdigest()
    targets = ["/etc/assay-owned", str(stdlib_json), str(stdlib_json.parent / "evil.py"), sys.prefix + "/evil", "/evil"]
    src = "import json\nout = {}\nfor t in " + repr(targets) + ":\n    try:\n        open(t, 'a').write('x')\n        out[t] = 'written'\n    except OSError as e:\n        out[t] = type(e).__name__\nprint(json.dumps(out))"
    r = run(sb, src)
    assert r.ok, r.stderr
    assert "written" not in json.loads(r.stdout).values()
    assert hashlib.sha256(stdlib_json.read_bytes()).hexdigest() == before
    assert not os.path.exists("/etc/assay-owned") and not os.path.exists(stdlib_json.parent / "evil.py")


def test_deleting_host_files_is_denied(sb, canary):
    stdlib_file = Path(os.__file__)
    src = f"import os, shutil\nfor p in ({str(stdlib_file)!r}, '/etc/hostname'):\n    try:\n        os.remove(p)\n    except OSError as e:\n        print(type(e).__name__)\nshutil.rmtree('/usr/lib/python3', ignore_errors=True)"
    r = run(sb, src)
    assert r.ok and r.stdout.count(b"Error") == 2
    assert stdlib_file.exists() and Path("/etc/hostname").exists()


def test_host_tmp_and_home_are_not_visible(sb, canary):
    r = run(sb, f"import os\nprint(os.path.exists({str(canary)!r}), os.path.exists('/root/.bashrc'))\nprint(*os.listdir('/tmp'))")
    exists, tmp = r.stdout.decode().splitlines()
    assert exists == "False False" and set(tmp.split()) == installation_in_tmp()


def test_writes_to_private_tmp_do_not_reach_host_tmp(sb):
    name = f"assay-escape-{os.getpid()}"
    r = run(sb, f"open('/tmp/{name}', 'w').write('x')\nopen('/dev/shm/{name}', 'w').write('x')\nprint('ok')")
    assert r.ok
    assert not os.path.exists(f"/tmp/{name}") and not os.path.exists(f"/dev/shm/{name}")


def test_module_shadowing_files_are_ignored(sb):
    shadows = {
        "json.py": b"raise SystemExit('shadowed json imported')",
        "sitecustomize.py": b"print('sitecustomize ran')",
        "usercustomize.py": b"print('usercustomize ran')",
    }
    src = "import json\nprint(json.dumps([1]))"
    for request in (
        ExecRequest(python=src, files=shadows, limits=FAST),
        ExecRequest(argv=[sys.executable, "-I", "main2.py"], files={**shadows, "main2.py": src.encode()}, limits=FAST),
    ):
        r = sb.run(request)
        assert r.ok and r.stdout == b"[1]\n", r.stderr


# -- network and secrets -----------------------------------------------------------


def test_no_network_even_loopback(sb, listener):
    port = listener.getsockname()[1]
    src = (
        "import socket\nout = []\n"
        f"for addr in [('127.0.0.1', {port}), ('localhost', {port})]:\n"
        "    try:\n        s = socket.create_connection(addr, timeout=1)\n        out.append('connected')\n"
        "    except OSError as e:\n        out.append(type(e).__name__)\n"
        "print(out)"
    )
    r = run(sb, src)
    assert r.ok and b"connected" not in r.stdout


def test_no_network_interfaces_up(sb):
    r = run(sb, "import socket\nprint(socket.if_nameindex())")
    assert r.ok and b"eth" not in r.stdout


# Runs must not meet through the network stack, neither at once nor one after the other
# on the same worker slot (each run has a network namespace of its own).
_ABSTRACT = (
    "import socket, sys, time\n"
    "name = b'\\0assay-meeting-point'\n"
    "c = socket.socket(socket.AF_UNIX)\n"
    "try:\n    c.connect(name)\n    print('met someone', flush=True)\nexcept OSError as e:\n    print('alone', type(e).__name__, flush=True)\n"
    "s = socket.socket(socket.AF_UNIX)\ns.bind(name)\ns.listen(1)\nprint('listening', flush=True)\n"
    "time.sleep(float(sys.stdin.read() or 0))\n"
)


def test_runs_at_once_do_not_share_a_network_namespace(sb):
    requests = [ExecRequest(python=_ABSTRACT, stdin=b"1.5", limits=FAST) for _ in range(4)]
    results = list(sb.run_many(requests, workers=4))
    assert all(r.ok and r.stdout.startswith(b"alone") and b"listening" in r.stdout for r in results), results


def test_a_later_run_on_the_same_slot_finds_nothing_left(sb):
    from sandbox.local.backend import NamespaceSandbox

    one_slot = NamespaceSandbox(workers=1)
    try:
        killed = one_slot.run(ExecRequest(python=_ABSTRACT, stdin=b"60", limits=Limits(cpu_s=1, wall_s=1)))
        assert killed.killed_by is KilledBy.wall and b"listening" in killed.stdout  # died holding the socket
        up = one_slot.run(ExecRequest(python="import fcntl, socket, struct\ns = socket.socket()\n"
                                             "fcntl.ioctl(s, 0x8914, struct.pack('16sH', b'lo', 1))", limits=FAST))
        assert b"PermissionError" in up.stderr  # SIOCSIFFLAGS: no candidate may bring the loopback up
        later = one_slot.run(ExecRequest(python=_ABSTRACT, stdin=b"0", limits=FAST))
        assert later.ok and later.stdout.startswith(b"alone"), later
        # The IP counters of a namespace are readable by anyone and never reset: a shared
        # namespace would carry a number from one run to the next (OutNoRoutes counts
        # every send the down loopback refuses).
        signal_ = "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor _ in range(777):\n    try:\n        s.sendto(b'x', ('127.0.0.1', 9))\n    except OSError:\n        pass\n"
        assert one_slot.run(ExecRequest(python=signal_, limits=FAST)).ok
        read = "rows = [l.split() for l in open('/proc/net/snmp') if l.startswith('Ip:')]\nprint(dict(zip(rows[0], rows[1]))['OutNoRoutes'])"
        counter = one_slot.run(ExecRequest(python=read, limits=FAST))
        assert counter.ok and counter.stdout.strip() == b"0", counter
        lo = one_slot.run(ExecRequest(python="import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen(1)\n"
                                             "socket.create_connection(s.getsockname(), timeout=1)\nprint('connected')", limits=FAST))
        assert b"connected" not in lo.stdout and b"OSError" in lo.stderr, lo  # the loopback is still down
    finally:
        one_slot.close()


def test_environment_secrets_are_invisible(sb):
    assert os.environ.get(SECRET) == SECRET_VALUE
    src = (
        "import os, glob\n"
        "print(dict(os.environ))\n"
        "blobs = []\n"
        "for p in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):\n"
        "    try:\n        blobs.append(open(p, 'rb').read())\n    except OSError:\n        pass\n"
        f"print(any({SECRET_VALUE.encode()!r} in b for b in blobs))"
    )
    r = run(sb, src)
    assert r.ok and r.stdout == b"{}\nFalse\n"
    assert SECRET_VALUE.encode() not in r.stdout + r.stderr


# -- crashes and odd input ---------------------------------------------------------


def test_segfault_is_reported_as_signal(sb):
    r = run(sb, "import ctypes\nctypes.string_at(0)")
    assert r.signal == signal.SIGSEGV and r.exit_code is None and r.killed_by is None


def test_blocking_on_stdin_gets_eof(sb):
    r = run(sb, "import sys\ndata = sys.stdin.read()\nprint(len(data))\ninput()")
    assert r.exit_code == 1 and r.stdout == b"0\n" and b"EOFError" in r.stderr


def test_nul_bytes_empty_and_huge_sources(sb):
    r = run(sb, "x = 1\0")
    assert r.exit_code == 1 and b"null bytes" in r.stderr
    assert run(sb, "").ok
    huge = "# " + "x" * 10_000_000 + "\ns = '" + "y" * 1_000_000 + "'\nprint('end')"  # an 11 MB completion
    r = run(sb, huge, Limits(cpu_s=10, memory_mb=512))
    assert r.ok and r.stdout == b"end\n"


def test_exit_status_is_reported_truthfully(sb):
    cases = {
        "import sys\nsys.exit(0)\nraise ValueError": 0,
        "import sys\nsys.exit(7)": 7,
        "import os\nos._exit(3)": 3,
        "import os, threading\nt = threading.Thread(target=os._exit, args=(0,))\nt.start()\nt.join()\nraise SystemExit(5)": 0,
        "import atexit, os\natexit.register(os._exit, 4)": 4,
        "raise KeyError('x')": 1,
        "import sys\nsys.excepthook = lambda *a: None\nraise KeyError('x')": 1,
    }
    for source, code in cases.items():
        r = run(sb, source)
        assert r.exit_code == code, (source, r)


# -- kernel surface closed by seccomp ----------------------------------------------


def test_kernel_keyring_is_closed(sb):
    """Keyrings are not namespaced: a key could carry data to a later run with the same uid."""
    src = (
        "import ctypes, errno\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "KEY_SPEC_USER_KEYRING = -4\n"
        "r = libc.syscall(248, b'user', b'smuggled', b'data', 4, KEY_SPEC_USER_KEYRING)\n"  # add_key
        "print(r, errno.errorcode.get(ctypes.get_errno()))\n"
        "r = libc.syscall(250, 0, -4, 0, 0, 0)\n"  # keyctl(KEYCTL_GET_KEYRING_ID)
        "print(r, errno.errorcode.get(ctypes.get_errno()))\n"
    )
    if os.uname().machine != "x86_64":
        pytest.skip("syscall numbers in this test are x86_64's")
    r = run(sb, src)
    assert r.ok and r.stdout == b"-1 EPERM\n-1 EPERM\n", r.stdout + r.stderr


def test_only_unix_and_ip_sockets(sb):
    src = (
        "import socket\nout = []\n"
        "for fam in ('AF_VSOCK', 'AF_PACKET', 'AF_ALG', 'AF_CAN'):\n"
        "    try:\n        socket.socket(getattr(socket, fam), socket.SOCK_RAW if fam in ('AF_PACKET', 'AF_CAN') else socket.SOCK_STREAM if fam == 'AF_VSOCK' else socket.SOCK_SEQPACKET)\n"
        "        out.append(fam + ' open')\n"
        "    except OSError as e:\n        out.append(fam + ' ' + type(e).__name__)\n"
        "socket.socket(socket.AF_UNIX).close()\nsocket.socket(socket.AF_INET).close()\nprint(out)"
    )
    r = run(sb, src)
    assert r.ok and b"open" not in r.stdout and r.stdout.count(b"OSError") == 4, r.stdout + r.stderr


def test_no_new_namespaces_or_ptrace(sb):
    src = (
        "import ctypes, errno, os\nlibc = ctypes.CDLL(None, use_errno=True)\nout = []\n"
        "for flags in (0x10000000, 0x00020000, 0x40000000):  # user, mount, net\n"
        "    out.append((libc.unshare(flags), errno.errorcode.get(ctypes.get_errno())))\n"
        "out.append((libc.ptrace(0, 0, 0, 0), errno.errorcode.get(ctypes.get_errno())))  # PTRACE_TRACEME\n"
        "print(out)"
    )
    r = run(sb, src)
    assert r.ok and r.stdout.count(b"-1, 'EPERM'") == 4, r.stdout + r.stderr


def test_threads_and_fork_still_work_under_seccomp(sb):
    src = "import os, threading\nt = threading.Thread(target=print, args=('t',))\nt.start(); t.join()\npid = os.fork()\nif pid == 0:\n    os._exit(3)\nprint(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))"
    r = run(sb, src)
    assert r.ok and r.stdout == b"t\n3\n", r.stderr
