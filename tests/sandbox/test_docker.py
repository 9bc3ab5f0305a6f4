"""The docker backend against a real engine: plain runs, limits, judged HumanEval runs, the
code verifier's honest twins and attack corpus, and the math verifier, in containers of
the image docker/sandbox.Dockerfile builds. Skipped, with the reason, where no engine
answers; `make docker-test-engine` (which .ci/run calls) sets one up on a Debian host."""

from __future__ import annotations

import pytest

from sandbox.base import ExecRequest, KilledBy, Limits, SandboxUnavailable
from sandbox.config import DockerSandboxConfig, make_sandbox
from tests.sandbox.test_judge import check_the_judges_private_directory

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def docker_sb():
    try:
        sb = make_sandbox(DockerSandboxConfig(pool_size=2))
    except SandboxUnavailable as exc:
        pytest.skip(f"docker backend unavailable here: {exc} (`make docker-test-engine` sets one up on a Debian host, as root)")
    yield sb
    sb.close()


def test_honest_program(docker_sb):
    r = docker_sb.run(ExecRequest(python="import sys\nprint(sys.stdin.read()[::-1])", stdin=b"abc", files={"d/x.txt": b"1"}))
    assert r.ok and r.stdout == b"cba\n"


def test_no_network_and_readonly_root(docker_sb):
    src = "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\nexcept OSError as e:\n    print('net', type(e).__name__)\ntry:\n    open('/etc/x', 'w')\nexcept OSError as e:\n    print('fs', type(e).__name__)"
    r = docker_sb.run(ExecRequest(python=src))
    assert r.ok and b"net" in r.stdout and b"fs" in r.stdout


def test_limits(docker_sb):
    assert docker_sb.run(ExecRequest(python="import time\ntime.sleep(30)", limits=Limits(cpu_s=1, wall_s=2))).killed_by is KilledBy.wall
    mem = docker_sb.run(ExecRequest(python="x = bytearray(1 << 30)", limits=Limits(memory_mb=128)))
    assert not mem.ok
    flood = docker_sb.run(ExecRequest(python="while True: print('x' * 1000)", limits=Limits(output_bytes=10_000)))
    assert flood.killed_by is KilledBy.output


def _limits_of(stdout: bytes) -> dict[str, list[str]]:
    """/proc/self/limits as {name: [soft, hard]}."""
    return {line[:26].strip(): line[26:].split()[:2] for line in stdout.decode().splitlines()[1:] if line.strip()}


def test_every_rlimit_is_set_and_stderr_is_the_programs_own(docker_sb):
    """The kernel's own account of a run's limits, read inside the container (a shell's
    `ulimit -t N -n M -c 0` once failed under dash: only the soft CPU limit was set, and
    every stderr began with `sh: 1: ulimit: too many arguments`)."""
    r = docker_sb.run(ExecRequest(python="print(open('/proc/self/limits').read())", limits=Limits(cpu_s=2.5, open_files=64)))
    assert r.ok and r.stderr == b"", r
    limits = _limits_of(r.stdout)
    assert limits["Max cpu time"] == ["3", "4"], limits  # SIGXCPU at the limit, SIGKILL a second later
    assert limits["Max open files"] == ["64", "64"] and limits["Max core file size"] == ["0", "0"], limits
    said = docker_sb.run(ExecRequest(python="import sys\nsys.stderr.write('no newline')"))
    assert said.ok and said.stderr == b"no newline", said
    # a program that ignores SIGXCPU is stopped by the hard limit, not by the wall clock
    deaf = "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True: pass"
    r = docker_sb.run(ExecRequest(python=deaf, limits=Limits(cpu_s=1, wall_s=30)))
    assert r.killed_by is KilledBy.cpu and r.signal == 9 and 1.5 < r.cpu_s < 3 and r.wall_s < 10, r


def test_a_requested_stack_limit_is_the_programs_in_containers(docker_sb):
    """`stack_mb` sets RLIMIT_STACK (compiled candidates get the memory limit); unset, Docker's 8 MiB stays."""
    for limits, soft in ((Limits(stack_mb=300), str(300 << 20)), (Limits(), str(8 << 20))):
        r = docker_sb.run(ExecRequest(argv=["/bin/cat", "/proc/self/limits"], limits=limits))
        assert r.ok and _limits_of(r.stdout)["Max stack size"][0] == soft, r


def test_exit_codes_signals_and_cpu_time_as_the_kernel_reports_them(docker_sb):
    """An exit code above 128 is an exit code (a docker exec's own exit code would read
    152 as SIGXCPU, a CPU timeout), and a plain run's CPU time is measured."""
    exited = docker_sb.run(ExecRequest(python="import os\nos._exit(152)"))
    assert exited.exit_code == 152 and exited.signal is None and exited.killed_by is None, exited
    crashed = docker_sb.run(ExecRequest(python="import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"))
    assert crashed.exit_code is None and crashed.signal == 11 and crashed.killed_by is None, crashed
    busy = docker_sb.run(ExecRequest(python="import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass"))
    assert busy.ok and 0.5 <= busy.cpu_s < 1.5 and busy.max_rss_mb > 1, busy


def test_a_program_cannot_speak_for_its_supervisor(docker_sb):
    """The report of a plain run's supervisor (same uid as the program) cannot be forged:
    a report line the program writes is its own stderr, and killing the supervisor ends
    the run by that signal, whatever the program says after."""
    fake = r"""sys.stderr.write("\n\0assay-run:" + "0" * 32 + ' {"status": 0, "cpu_s": 0.0, "max_rss_kb": 0}\n'); sys.stderr.flush()"""
    forged = docker_sb.run(ExecRequest(python=f"import os, signal, sys\n{fake}\nos.kill(os.getpid(), signal.SIGSEGV)"))
    assert forged.signal == 11 and forged.exit_code is None and b"assay-run" in forged.stderr, forged
    orphaned = docker_sb.run(ExecRequest(python=f"import os, sys\nos.kill(os.getppid(), 9)\n{fake}\nprint(5)"))
    assert not orphaned.ok and orphaned.signal == 9, orphaned


def test_closing_leaves_no_container_behind():
    """close() waits for the pool fillers at work: a container one was starting when the
    sandbox closed was left running (a warm pool's worth after every short script)."""
    import time

    try:
        sb = make_sandbox(DockerSandboxConfig(pool_size=2))
    except SandboxUnavailable as exc:
        pytest.skip(f"docker backend unavailable here: {exc}")
    assert sb.run(ExecRequest(python="pass")).ok  # its take() set a filler to work
    sb.close()
    deadline = time.monotonic() + 15  # the used container is removed by a thread of its own
    while (left := sb.client.containers.list(all=True, filters={"label": f"assay.owner={sb.owner}"})) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, [c.short_id for c in left]


def test_no_state_between_runs(docker_sb):
    assert docker_sb.run(ExecRequest(python="open('/tmp/left', 'w').write('x')")).ok
    r = docker_sb.run(ExecRequest(python="import os\nprint(os.listdir('/tmp'))"))
    assert r.stdout == b"[]\n"


def test_large_files_stdin_and_judge_input_arrive_intact(docker_sb):
    """Inputs of many megabytes (a Rust binary built in the image is 11 MB) arrive byte for
    byte: files and stdin in a plain run, and the judge's input in a judged one."""
    import hashlib
    import os

    from sandbox.base import JudgeSpec

    blob, stdin = os.urandom(12 << 20), os.urandom(3 << 20)
    digest = "import hashlib,sys\nprint(hashlib.sha256(open('blob.bin','rb').read()).hexdigest(), hashlib.sha256(sys.stdin.buffer.read()).hexdigest())"
    r = docker_sb.run(ExecRequest(python=digest, files={"blob.bin": blob}, stdin=stdin))
    assert r.ok and r.stdout.decode().split() == [hashlib.sha256(blob).hexdigest(), hashlib.sha256(stdin).hexdigest()], r
    judge = JudgeSpec(python="import hashlib,sys\nprint(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())", stdin=blob)
    judged = docker_sb.run(ExecRequest(python="pass", judge=judge))
    assert judged.judge is not None and judged.judge.stdout.decode().strip() == hashlib.sha256(blob).hexdigest(), judged


def test_the_judge_has_a_working_directory_the_candidate_cannot_reach(docker_sb):
    check_the_judges_private_directory(docker_sb)


def test_files_larger_than_the_scratch_fail_fast_and_clearly(docker_sb):
    """The unpacking program ends early on a full tmpfs while the engine keeps the input
    stream open: the run must fail at once, saying why, not after the upload timeout."""
    import time

    from sandbox.base import SandboxError

    started = time.monotonic()
    with pytest.raises(SandboxError, match=r"scratch_mb = 16"):
        docker_sb.run(ExecRequest(python="print(1)", files={"big": b"x" * (40 << 20)}, limits=Limits(scratch_mb=16)))
    assert time.monotonic() - started < 30  # the timeout is 120 s
    assert docker_sb.run(ExecRequest(python="print(1)")).stdout == b"1\n"


def test_judged_humaneval_run_in_containers(docker_sb, humaneval):
    """The code verifier's judged runs (HumanEval assert tests) through judged_run.py in
    the image: canonical passes, a mutant and an always-equal cheat fail."""
    from verifiers.code.verifier import PythonCodeVerifier
    from verifiers.schema import Status

    verifier = PythonCodeVerifier(docker_sb)
    problem = humaneval["HumanEval/0"]
    assert verifier.verify(problem, problem.prompt + problem.reference_solution).passed
    mutant = verifier.verify(problem, problem.prompt + problem.reference_solution.replace("<", ">", 1))
    assert mutant.status is Status.fail
    cheat = "class E:\n    def __eq__(self, o): return True\ndef has_close_elements(numbers, threshold):\n    return E()\n"
    assert not verifier.verify(problem, cheat).passed
    loop = verifier.verify(problem, "def has_close_elements(numbers, threshold):\n    while True: pass\n")
    assert loop.status is Status.timeout


def test_math_verifier_in_containers(docker_sb):
    from verifiers.math.problem import MathProblem
    from verifiers.math.verifier import MathVerifier

    verifier = MathVerifier(docker_sb)
    pairs = [("\\frac{1}{2}", "The answer is $\\boxed{0.5}$"), ("\\{1, 2\\}", "$\\boxed{\\{2, 1\\}}$"), ("x^2 - 1", "$\\boxed{(x-1)(x+1)}$"), ("3", "$\\boxed{4}$")]
    items = [(MathProblem(problem_id=f"m{i}", prompt="", answer=ref), text) for i, (ref, text) in enumerate(pairs)]
    assert [v.passed for v in verifier.verify_many(items)] == [True, True, True, False]


@pytest.fixture(scope="module")
def docker_code_verifier(docker_sb):
    from verifiers.code.verifier import PythonCodeVerifier

    return PythonCodeVerifier(docker_sb)


def test_a_checker_program_judges_like_a_judge_would_in_containers(docker_code_verifier):
    """testlib's verdicts from a checker's exit code and first stderr line, `_pc(0)`
    ("partially correct", exit 0) a failure: that line was once the shell's ulimit error,
    and the zero part passed."""
    from tests.verifiers.code import test_checkers

    test_checkers.test_a_checker_program_judges_like_a_judge_would(docker_code_verifier)


def test_the_references_cpu_time_sets_the_limit_in_containers(docker_code_verifier):
    """A candidate gets 4x the reference's measured CPU time (at least the 1 s floor): for
    stdio and call tests, as in the local backend. Unmeasured, it read 0 s, and a candidate
    identical to a reference of more than a second timed out at the floor."""
    from verifiers.code.problem import CallCase, CallTests, CodeProblem, StdioCase, StdioTests

    work = "import time\n\ndef double(n):\n    t = time.process_time()\n    while time.process_time() - t < 1.2:\n        pass\n    return 2 * n\n"
    for tests, code in ((StdioTests(cases=[StdioCase(stdin="21\n", stdout="42\n")]), work + "\nprint(double(int(input())))\n"),
                        (CallTests(fn_name="double", cases=[CallCase(args=[21], expected=42)]), work)):
        problem = CodeProblem(problem_id=f"slow-{type(tests).__name__}", prompt="", tests=tests, reference_solution=f"```python\n{code}```")
        v = docker_code_verifier.verify(problem, f"```python\n{code}```")
        assert v.passed and v.cpu_limit_s >= 4.8 and v.cpu_s >= 1.2, v


@pytest.mark.parametrize("name", ["plain", "prints while working", "threads", "scratch files", "main guard not run"])
@pytest.mark.parametrize("style", ["humaneval", "call"])
def test_honest_twins_pass_in_containers(docker_code_verifier, style, name):
    from tests.verifiers.code.test_verifier import (
        CALL_STYLE,
        HONEST_TWINS,
        HUMANEVAL_STYLE,
    )

    v = docker_code_verifier.verify(HUMANEVAL_STYLE if style == "humaneval" else CALL_STYLE, HONEST_TWINS[name])
    assert v.passed, v.reason


def test_test_files_and_lent_functions_in_containers(docker_code_verifier):
    """A pytest file (`pytest.raises`, parametrize: pytest is in the image), a unittest file
    with the solution's module name, and a lambda the tests lend the candidate."""
    from tests.verifiers.code.test_verifier import ACCUMULATE, BANK, PYTEST_PROBLEM, SPLIT, UNITTEST_PROBLEM, fenced

    for problem, solution, checks in ((PYTEST_PROBLEM, SPLIT, 11), (UNITTEST_PROBLEM, BANK, 3),
                                      (ACCUMULATE, "def accumulate(xs, f):\n    return [f(x) for x in xs]\n", 7)):
        v = docker_code_verifier.verify(problem, fenced(solution))
        assert v.passed and v.tests_passed == v.tests_total == checks, (problem.problem_id, v.reason)


def test_a_candidate_recurses_as_deep_as_plain_python_in_containers(docker_sb, docker_code_verifier):
    """The image's own Python, plain, finds the deepest call `check` can make; the judged run
    in the same image allows exactly that depth."""
    from tests.verifiers.code.test_verifier import DEPTH
    from verifiers.code.problem import AssertTests, CodeProblem, StdioCase, StdioTests

    probe = DEPTH + ("import sys\ndef check(n):\n    try:\n        return depth(n) == n\n    except RecursionError:\n        return False\n"
                     "for n in range(sys.getrecursionlimit(), 0, -1):\n    if check(n):\n        break\nprint(n)\n")
    deepest = int(docker_sb.run(ExecRequest(python=probe)).stdout)
    for n, passes in ((deepest, True), (deepest + 1, False)):
        problem = CodeProblem(problem_id=f"depth-{n}", prompt="", entry_point="depth",
                              tests=AssertTests(code=f"def check(candidate):\n    assert candidate({n}) == {n}\n"))
        v = docker_code_verifier.verify(problem, DEPTH)
        assert v.passed is passes, (n, v.reason)
    program = DEPTH + "n = int(input())\nprint(depth(n))\n"  # a stdio program: `python -I main.py` in the image
    for n, passes in ((deepest + 1, True), (deepest + 2, False)):  # module code is one level less deep than `check`
        problem = CodeProblem(problem_id=f"stdio-depth-{n}", prompt="", tests=StdioTests(cases=[StdioCase(stdin=f"{n}\n", stdout=f"{n}\n")]))
        v = docker_code_verifier.verify(problem, program)
        assert v.passed is passes, (n, v.reason)


def _attacks():
    from tests.verifiers.code.test_verifier import ATTACKS

    return list(ATTACKS)


@pytest.mark.parametrize("name", _attacks())
def test_attacks_never_pass_in_containers(docker_code_verifier, name):
    from tests.verifiers.code.test_verifier import ATTACKS, HUMANEVAL_STYLE
    from verifiers.schema import Status

    v = docker_code_verifier.verify(HUMANEVAL_STYLE, ATTACKS[name])
    assert not v.passed and v.status not in (Status.passed, Status.invalid_problem, Status.verifier_error), v


def _limit_attacks():
    from tests.verifiers.code.test_verifier import LIMIT_ATTACKS

    return list(LIMIT_ATTACKS)


@pytest.mark.parametrize("name", _limit_attacks())
def test_limit_attacks_end_in_their_status_in_containers(docker_code_verifier, name):
    from tests.verifiers.code.test_verifier import HUMANEVAL_STYLE, LIMIT_ATTACKS

    completion, expected = LIMIT_ATTACKS[name]
    v = docker_code_verifier.verify(HUMANEVAL_STYLE, completion)
    assert v.status in (expected if isinstance(expected, tuple) else (expected,)) and not v.passed, v.reason


def test_sandbox_check_reports_the_engine_and_the_image(docker_sb):
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["sandbox", "check", "--json"])
    backends = {b["name"]: b for b in json.loads(result.stdout)["backends"]}
    assert backends["docker"]["ok"] and "image assay-sandbox:latest" in backends["docker"]["detail"]


@pytest.mark.parametrize("language", ["cpp", "c", "java", "go", "rust", "javascript"])
def test_other_languages_build_and_run_in_containers(docker_code_verifier, language):
    """The image carries the toolchains (docker/sandbox.Dockerfile): each language builds
    in one container and its program runs in a fresh one per case; a wrong program fails."""
    from tests.verifiers.code.test_languages import HONEST, fenced, problem
    from verifiers.schema import Status

    honest = docker_code_verifier.verify(problem(language), fenced(language, HONEST[language]))
    assert honest.passed and honest.tests_passed == 3, honest
    wrong = HONEST[language].replace("a + b", "a * b").replace("in.nextLong() + in.nextLong()", "in.nextLong() * in.nextLong()")
    verdict = docker_code_verifier.verify(problem(language), fenced(language, wrong))
    assert verdict.status is Status.fail and "case 0" in verdict.reason, verdict


@pytest.mark.parametrize("language", ["cpp", "c", "rust"])
def test_compiled_programs_get_a_stack_as_large_as_the_memory_limit_in_containers(docker_code_verifier, language):
    from tests.verifiers.code.test_languages import DEEP, DEEP_CASES, fenced, problem

    verdict = docker_code_verifier.verify(problem(language, DEEP_CASES), fenced(language, DEEP[language]))
    assert verdict.passed and verdict.tests_passed == 2, verdict


def test_a_compile_time_attack_ends_in_a_container(docker_code_verifier):
    from tests.verifiers.code.test_languages import fenced, problem
    from verifiers.schema import Status

    verdict = docker_code_verifier.verify(problem("cpp"), fenced("cpp", '#include "/dev/zero"\nint main() {}\n'))
    assert verdict.status is Status.compile_error, verdict


def test_an_image_of_another_version_is_refused(docker_sb):
    """An image whose harness differs from this checkout's would judge by other rules
    without a word: the backend refuses it and names the module and the fix."""
    import io
    import tarfile

    from sandbox.docker_backend import DockerSandbox

    client = docker_sb.client
    base = DockerSandboxConfig().image
    container = client.containers.create(base, ["true"])
    stale_tag = "assay-sandbox:stale-harness-test"
    try:
        payload = b"# an older harness\n"
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            info = tarfile.TarInfo("harness.py")
            info.size, info.mode = len(payload), 0o644
            tar.addfile(info, io.BytesIO(payload))
        container.put_archive("/opt/assay/verifiers/code", buffer.getvalue())
        container.commit(repository="assay-sandbox", tag="stale-harness-test")
    finally:
        container.remove(force=True)
    try:
        with pytest.raises(SandboxUnavailable, match=r"verifiers/code/harness\.py.*make sandbox-image"):
            DockerSandbox(DockerSandboxConfig(image=stale_tag))
    finally:
        client.images.remove(stale_tag, force=True)
