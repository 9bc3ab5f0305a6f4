"""The docker backend's judged runs without Docker: `sandbox/judged_run.py` (the program
`docker exec` starts as root inside the container) run here as root with the same job,
and its report read back by the backend's own `judged_result`. The code verifier judges
HumanEval-style problems through it, honest and hostile candidates alike.

What this cannot cover here (no Docker engine): the container itself (namespaces,
read-only root, memory and pid limits) and the exec/upload plumbing; `test_docker.py`
runs those where an engine answers.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from sandbox.base import (
    ExecRequest,
    KilledBy,
    Limits,
    Sandbox,
    SandboxError,
    SandboxResult,
)
from sandbox.docker_backend import judged_result
from tests.verifiers.code.test_verifier import (
    ATTACKS,
    HONEST_TWINS,
    HUMANEVAL_STYLE,
    MBPP_STYLE,
)
from verifiers.code.verifier import PythonCodeVerifier
from verifiers.schema import Status

JUDGED_RUN = Path(__file__).resolve().parents[2] / "sandbox" / "judged_run.py"
CANDIDATE_UID, JUDGE_UID = 65534, 65533


def as_host_root(argv: list[str]) -> list[str]:
    """argv as pid 1 of fresh pid, mount and network namespaces (as in a container: the
    attacks see and can signal nothing of this host, and everything they start dies with
    the run), with the interpreter reachable by plain uids (an image has it world-readable;
    here it may live under /root, 0700: a 0755 tmpfs goes over /root with the interpreter's
    installation bound back in)."""
    prefix = os.path.realpath(sys.base_prefix)
    script = (
        'set -e; case "$1" in /root/*) keep=$(mktemp -d); mount --bind "$1" "$keep"; '
        'mount -t tmpfs -o mode=0755,size=1m tmpfs /root; mkdir -p "$1"; mount --bind "$keep" "$1";; esac; '
        'shift; exec "$@"'
    )
    return ["unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--net", "--propagation", "private",
            "sh", "-c", script, "sh", prefix, *argv]  # fmt: skip


def _as_nobody_works() -> str | None:
    if os.geteuid() != 0:
        return "needs root (judged_run.py switches to two plain uids)"
    if shutil.which("unshare") is None:
        return "needs unshare(1) to make the interpreter reachable for plain uids"
    probe = subprocess.run(
        as_host_root(["setpriv", f"--reuid={CANDIDATE_UID}", f"--regid={CANDIDATE_UID}", "--clear-groups",
                      sys.executable, "-I", "-c", "import verifiers.code.harness"]),
        capture_output=True, cwd="/",
    )  # fmt: skip
    if probe.returncode != 0:
        return f"uid {CANDIDATE_UID} cannot import Assay from this checkout: {probe.stderr.decode()[-200:]}"
    return None


pytestmark = pytest.mark.skipif(bool(why := _as_nobody_works()), reason=why or "")


class HostJudgedRuns(Sandbox):
    """judged_run.py on this host instead of in a container (plain runs are refused)."""

    name = "judged-run-on-host"

    def run(self, request: ExecRequest) -> SandboxResult:
        if request.judge is None:
            raise SandboxError("this test double only runs judged requests")
        base = Path(tempfile.mkdtemp(prefix="assay-judged-"))
        try:
            base.chmod(0o711)
            scratch = base / "sandbox"
            scratch.mkdir(mode=0o700)
            files = {**request.files, "main.py": (request.python or "").encode()}
            for name, data in files.items():
                (scratch / name).parent.mkdir(parents=True, exist_ok=True)
                (scratch / name).write_bytes(data)
            for path in (scratch, *scratch.rglob("*")):
                os.chown(path, CANDIDATE_UID, CANDIDATE_UID)
            job, judge_input = base / "job.json", base / "judge-input"
            private(job, json.dumps({
                "candidate": {"argv": [sys.executable, "-I", "main.py"], "uid": CANDIDATE_UID, "cwd": str(scratch)},
                "judge": {"argv": [sys.executable, "-I", "-c", request.judge.python], "uid": JUDGE_UID, "cwd": "/"},
                "cpu_s": request.limits.cpu_s, "open_files": request.limits.open_files,
                "output_bytes": request.limits.output_bytes,
            }).encode())  # fmt: skip
            private(judge_input, request.judge.stdin)
            started = time.monotonic()
            try:
                done = subprocess.run(as_host_root([sys.executable, "-I", str(JUDGED_RUN), str(job), str(judge_input)]),
                                      capture_output=True, timeout=request.limits.wall_limit_s)  # fmt: skip
            except subprocess.TimeoutExpired:  # unshare --kill-child: the run's namespace dies with it
                return SandboxResult(signal=9, killed_by=KilledBy.wall, backend=self.name)
            assert not job.exists() and not judge_input.exists(), "judged_run.py removes its files"
            report = json.loads(done.stdout.strip().splitlines()[-1])
            return judged_result(report, time.monotonic() - started, request.limits)
        finally:
            shutil.rmtree(base, ignore_errors=True)


def private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, data)
    os.close(fd)


@pytest.fixture(scope="module")
def verifier():
    return PythonCodeVerifier(HostJudgedRuns(), self_test=True)


@pytest.mark.parametrize("name", HONEST_TWINS)
@pytest.mark.parametrize("problem", [HUMANEVAL_STYLE, MBPP_STYLE], ids=lambda p: p.problem_id)
def test_honest_solutions_pass(verifier, problem, name):
    v = verifier.verify(problem, HONEST_TWINS[name])
    assert v.passed and v.status is Status.passed, v.reason


@pytest.mark.parametrize("name", ATTACKS)
def test_attacks_never_pass(verifier, name):
    v = verifier.verify(HUMANEVAL_STYLE, ATTACKS[name])
    assert not v.passed and v.status is not Status.passed, v
    assert v.status is not Status.verifier_error, v.reason


def test_humaneval_canonical_passes_and_mutant_fails(verifier, humaneval):
    problem = humaneval["HumanEval/0"]
    assert verifier.verify(problem, problem.prompt + problem.reference_solution).passed
    wrong = problem.reference_solution.replace("<", ">", 1)
    v = verifier.verify(problem, problem.prompt + wrong)
    assert not v.passed and v.status is Status.fail, v.reason


def test_the_candidate_cannot_read_the_tests_or_touch_the_judge(verifier):
    """The job file is root-only; the judge runs under another uid. A candidate that
    looks for the expected values or kills the judge gets nothing and fails."""
    snoop = (
        "import glob, os, signal\n"
        "found = []\n"
        "for path in glob.glob('/tmp/assay-judged-*/job.json') + glob.glob('../job.json'):\n"
        "    try:\n"
        "        found.append(open(path).read())\n"
        "    except OSError:\n"
        "        pass\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit():\n"
        "        for part in ('environ', 'fd/0', 'mem'):\n"
        "            try:\n"
        "                found.append(open(f'/proc/{pid}/{part}', 'rb').read(1 << 16).decode('latin-1'))\n"
        "            except OSError:\n"
        "                pass\n"
        "        try:\n"
        "            os.kill(int(pid), signal.SIGKILL) if int(pid) != os.getpid() else None\n"
        "        except OSError:\n"
        "            pass\n"
        "LEAKED = any('candidate(10, 5) == 15' in text for text in found)\n"
        "def add(a, b):\n"
        "    return a + b if LEAKED else -1\n"  # a leak would pass: the verdict tells
    )
    v = verifier.verify(HUMANEVAL_STYLE, snoop)
    assert not v.passed and v.status in (Status.fail, Status.runtime_error), v.reason
    assert "assertion failed" in v.reason or "line" in v.reason


def test_limits_end_in_their_status(verifier):
    loop = verifier.verify(HUMANEVAL_STYLE, "def add(a, b):\n    while True: pass\n")
    assert loop.status is Status.timeout, loop.reason
    catches = verifier.verify(HUMANEVAL_STYLE, "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\ndef add(a, b):\n    while True: pass\n")
    assert catches.status is Status.timeout, catches.reason  # the hard limit a second later
    flood = verifier.verify(HUMANEVAL_STYLE, "import sys\ndef add(a, b):\n    while True:\n        sys.stderr.write('x' * 65536)\n")
    assert flood.status is Status.output_limit, flood.reason


def test_report_maps_every_ending() -> None:
    limits = Limits(cpu_s=1)

    def part(status: int, cpu: float = 0.1) -> dict:
        return {"status": status, "cpu_s": cpu, "max_rss_kb": 2048, "stdout": base64.b64encode(b"o").decode(),
                "stderr": "", "stdout_truncated": False, "stderr_truncated": False}  # fmt: skip

    ok = judged_result({"killed_by": None, "candidate": part(0), "judge": part(0)}, 0.5, limits)
    assert ok.ok and ok.judge.ok and ok.stdout == b"o" and ok.max_rss_mb == 2.0
    xcpu = judged_result({"killed_by": None, "candidate": part(24), "judge": part(0)}, 1.5, limits)
    assert xcpu.killed_by is KilledBy.cpu and xcpu.signal == 24
    hard = judged_result({"killed_by": None, "candidate": part(9, cpu=2.0), "judge": part(0)}, 2.5, limits)
    assert hard.killed_by is KilledBy.cpu
    oom = judged_result({"killed_by": None, "candidate": part(0), "judge": part(9)}, 0.5, limits, oom_check=lambda: True)
    assert oom.killed_by is KilledBy.memory  # the container's memory limit is shared
    self_kill = judged_result({"killed_by": None, "candidate": part(9), "judge": part(0)}, 0.5, limits)
    assert self_kill.killed_by is None and self_kill.signal == 9  # no OOM kill on record: not "memory"
    judge_cpu = judged_result({"killed_by": None, "candidate": part(0), "judge": part(24)}, 1.5, limits)
    assert judge_cpu.killed_by is KilledBy.cpu  # the run's CPU limit, whoever spent it
    out = judged_result({"killed_by": "output", "candidate": part(9), "judge": part(9)}, 0.5, limits)
    assert out.killed_by is KilledBy.output and not out.ok
    exited = judged_result({"killed_by": None, "candidate": part(3 << 8), "judge": part(0)}, 0.5, limits)
    assert exited.exit_code == 3 and exited.killed_by is None


def test_a_judge_exhausted_by_the_candidate_is_not_an_invalid_problem(verifier):
    """Replies built to be slow to decode (ints that all hash alike in a set) make the
    judge run out of CPU: that is the sample's timeout, never `invalid_problem` (which
    would drop the sample from every rate)."""
    collide = (
        "import os, json, sys\n"
        "M = 2 ** 61 - 1\n"
        "reply = json.dumps({'value': {'t': 'set', 'v': [M * i for i in range(1, 40001)]}}) + '\\n'\n"
        "out = os.fdopen(3, 'w')\n"
        "out.write(json.dumps({'loaded': ['add']}) + '\\n'); out.flush()\n"
        "for line in sys.stdin:\n"
        "    out.write(reply); out.flush()\n"
        "os._exit(0)\n"
    )
    v = verifier.verify(HUMANEVAL_STYLE, collide)
    assert not v.passed and v.status in (Status.timeout, Status.runtime_error, Status.fail), v.reason


def test_a_grandchild_holding_the_pipes_cannot_stretch_the_run(verifier):
    dribble = (
        "import os, sys, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    while True:\n"
        "        os.write(2, b'.'); time.sleep(0.1)\n"
        "def add(a, b):\n"
        "    return a - b\n"
    )
    started = time.monotonic()
    v = verifier.verify(HUMANEVAL_STYLE, dribble)
    assert v.status is Status.fail and time.monotonic() - started < 3, (v.reason, time.monotonic() - started)


@pytest.mark.parametrize("make", ["world-readable", "symlink", "not root's"])
def test_job_files_must_be_root_only(tmp_path: Path, make: str):
    sys.path.insert(0, str(JUDGED_RUN.parent))
    try:
        from judged_run import open_private
    finally:
        sys.path.pop(0)
    target = tmp_path / "job"
    private(target, b"{}")
    path = target
    if make == "world-readable":
        target.chmod(0o644)
    elif make == "symlink":
        path = tmp_path / "link"
        path.symlink_to(target)
    else:
        os.chown(target, CANDIDATE_UID, CANDIDATE_UID)
    with pytest.raises(OSError):
        open_private(str(path))
    good = tmp_path / "good"
    private(good, b"{}")
    fd = open_private(str(good))
    assert os.read(fd, 10) == b"{}" and not good.exists()
    os.close(fd)
