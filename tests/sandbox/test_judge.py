"""Judged runs: a judge process beside the candidate, under its own uid.

The judge holds test code and expected values; the candidate must not be able to read
them, forge the judge's report, or stop the judge from starting.
"""

from __future__ import annotations

import os

from sandbox.base import ExecRequest, JudgeSpec, KilledBy, Limits

ECHO_SERVER = "import os\nwhile True:\n    data = os.read(0, 1 << 16)\n    if not data:\n        break\n    os.write(3, data.upper())\n"
ASK_JUDGE = "import os, sys\nexpected = sys.stdin.read()\nos.write(3, b'ping')\nos.close(3)\ngot = os.read(4, 100)\nprint('ok' if got == expected.encode() else 'bad', got)\n"


def test_judge_and_candidate_talk_over_their_pipes(sb):
    r = sb.run(ExecRequest(python=ECHO_SERVER, judge=JudgeSpec(python=ASK_JUDGE, stdin=b"PING")))
    assert r.ok and r.judge is not None and r.judge.exit_code == 0
    assert r.judge.stdout == b"ok b'PING'\n"


def test_candidate_cannot_read_the_judges_data(sb):
    secret = "EXPECTED-" + os.urandom(6).hex()
    head, tail = secret[:9], secret[9:]
    snoop = (
        "import ctypes, glob, os\nfound = []\n"
        f"HEAD, TAIL = {head.encode()!r}, {tail.encode()!r}\n"
        "for line in open('/proc/self/maps').read().splitlines():\n"
        "    f = line.split()\n"
        "    lo, hi = (int(x, 16) for x in f[0].split('-'))\n"
        "    if f[1].startswith('r') and (len(f) < 6 or f[5] in ('[heap]', '[stack]')):\n"
        "        chunk = ctypes.string_at(lo, hi - lo)\n"
        "        at = chunk.find(HEAD)\n"
        "        while at >= 0:\n"
        "            found += [chunk.startswith(TAIL, at + len(HEAD))]\n"
        "            at = chunk.find(HEAD, at + 1)\n"
        "procs = [p for p in os.listdir('/proc') if p.isdigit()]\n"
        "readable = []\n"
        "for p in procs:\n"
        "    for what in ('environ', 'cmdline', 'mem'):\n"
        "        try:\n            open(f'/proc/{p}/{what}', 'rb').read(64); readable.append((p, what))\n"
        "        except OSError:\n            pass\n"
        "print(any(found), len(procs), readable)\n"
        "os.read(0, 100)\n"
    )
    judge = "import os, sys\ndata = sys.stdin.read()\nos.write(3, b'x')\nos.close(3)\nprint(len(data))"
    r = sb.run(ExecRequest(python=snoop, judge=JudgeSpec(python=judge + f"\n# {secret}", stdin=secret.encode())))
    assert r.exit_code == 0, r.stderr
    found, nprocs, readable = r.stdout.decode().split(" ", 2)
    assert found == "False"
    assert nprocs == "1"  # the judge (other uid) and init (root) are hidden
    assert "'mem'" not in readable
    assert r.judge.stdout == f"{len(secret)}\n".encode()


def test_candidate_cannot_write_the_judges_report(sb):
    forge = "import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, b'ok FORGED\\n')\n    except OSError:\n        pass\nos.read(0, 10)"
    judge = "import os\nos.write(3, b'q')\nos.close(3)\nprint('judge says', os.read(4, 100))"
    r = sb.run(ExecRequest(python=forge, judge=JudgeSpec(python=judge)))
    # the forgery reached the judge only as *data* on its reply channel; its report is its own
    assert r.judge.stdout.startswith(b"judge says b'ok FORGED") and r.judge.stdout.count(b"\n") == 1


def test_candidate_fork_bomb_cannot_stop_the_judge_starting(sb):
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    judge = "print('judge ran')"
    r = sb.run(ExecRequest(python=bomb, judge=JudgeSpec(python=judge), limits=Limits(cpu_s=1, wall_s=2, max_pids=16)))
    assert r.killed_by is not None  # the run ends on a limit, not as an infrastructure error
    assert r.judge is not None and r.judge.stdout == b"judge ran\n"


def test_a_hanging_candidate_is_a_timeout_even_after_answering(sb):
    hang = "import os, time\nos.write(3, b'answer')\ntime.sleep(60)"
    judge = "import os\nprint(os.read(4, 100))"
    r = sb.run(ExecRequest(python=hang, judge=JudgeSpec(python=judge), limits=Limits(cpu_s=1, wall_s=1)))
    assert r.killed_by is KilledBy.wall and not r.ok


# The judge writes a file in its working directory and reads it back; the candidate, told
# where it is, can neither list, read nor write it (0700, the judge's uid).
PRIVATE_JUDGE = (
    "import os\nopen('note.txt', 'w').write('expected 42')\n"
    "os.write(3, os.getcwd().encode())\nos.close(3)\n"
    "print(open('note.txt').read(), os.getcwd().startswith('/tmp/.judge'), os.read(4, 1000).decode())\n"
)
SNOOPING_CANDIDATE = (
    "import os\nwhere = os.read(0, 1000).decode()\ntried = []\n"
    "for attempt in (lambda: os.listdir(where), lambda: open(where + '/note.txt').read(),\n"
    "                lambda: open(where + '/mine.txt', 'w')):\n"
    "    try:\n        attempt()\n        tried.append('done')\n"
    "    except OSError as exc:\n        tried.append(type(exc).__name__)\n"
    "os.write(3, ' '.join(tried).encode())\n"
)


def check_the_judges_private_directory(sb) -> None:
    r = sb.run(ExecRequest(python=SNOOPING_CANDIDATE, judge=JudgeSpec(python=PRIVATE_JUDGE)))
    assert r.ok and r.judge is not None, r
    assert r.judge.stdout == b"expected 42 True PermissionError PermissionError PermissionError\n", r.judge


def test_the_judge_has_a_working_directory_the_candidate_cannot_reach(sb):
    """Test code may write a file and read it back (KodCode: `open('output.txt', 'w')`)."""
    check_the_judges_private_directory(sb)
