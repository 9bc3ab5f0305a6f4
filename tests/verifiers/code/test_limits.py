"""Time limits from the reference (`verifiers/code/limits.py`): the rule, and real
sandboxed runs under it (hangs cost the floor, heavy references get room, the self-test
runs once per problem however many samples arrive at once)."""

from __future__ import annotations

import threading

import pytest

from sandbox.base import ExecRequest, Sandbox, SandboxResult
from verifiers.code.limits import TimeLimits
from verifiers.code.problem import AssertTests, CodeLimits, CodeProblem, StdioCase, StdioTests
from verifiers.code.verifier import PythonCodeVerifier
from verifiers.schema import Status

PROMPT = "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n"
ADD = CodeProblem(problem_id="add", prompt=PROMPT, entry_point="add", reference_solution="    return a + b\n",
                  tests=AssertTests(code="assert add(1, 2) == 3\nassert add(2, 2) == 4\n"))  # fmt: skip
# About 0.3 s of CPU in CPython: a reference that needs more than the floor's share.
HEAVY_REFERENCE = "n = int(input())\nprint(sum(i * i % 7 for i in range(n)))\n"
HEAVY = CodeProblem(problem_id="heavy", prompt="Print the sum of i*i % 7 for i below n.", reference_solution=HEAVY_REFERENCE,
                    tests=StdioTests(cases=[StdioCase(stdin="3000000\n", stdout=str(sum(i * i % 7 for i in range(3_000_000))))]))  # fmt: skip


def test_the_rule() -> None:
    rule = TimeLimits()
    unstated = ADD
    stated = ADD.model_copy(update={"limits": CodeLimits(cpu_s=2)})
    assert rule.candidate_cpu_s(unstated, 0.01) == 1.0  # the floor
    assert rule.candidate_cpu_s(unstated, 0.5) == 2.0  # 4 x the reference
    assert rule.candidate_cpu_s(unstated, 30.0) == 60.0  # max_s without a stated limit
    # a stated limit is a ceiling, written for C/C++: Python gets 3x it
    assert rule.candidate_cpu_s(stated, 0.9) == 3.6 and rule.candidate_cpu_s(stated, 2.0) == 6.0
    assert rule.candidate_cpu_s(unstated, None) == 4.0 and rule.candidate_cpu_s(stated, None) == 6.0
    assert TimeLimits(from_reference=False).candidate_cpu_s(unstated, 0.01) == 4.0
    assert rule.reference_cpu_s(unstated) == 60.0 and rule.reference_cpu_s(stated) == 6.0
    assert rule.total_cpu_s(stated) is None


def test_stated_limits_scale_by_language() -> None:
    rule = TimeLimits()
    limits = CodeLimits(cpu_s=2, total_cpu_s=10)
    stated = {lang: HEAVY.model_copy(update={"language": lang, "limits": limits}) for lang in ("cpp", "c", "rust", "go", "java", "javascript", "python")}
    assert {lang: rule.stated_cpu_s(p) for lang, p in stated.items()} == {
        "cpp": 2.0, "c": 2.0, "rust": 2.0, "go": 2.0, "java": 4.0, "javascript": 4.0, "python": 6.0}
    assert rule.total_cpu_s(stated["java"]) == 20.0 and rule.total_cpu_s(stated["cpp"]) == 10.0
    # the reference-derived limit is the same language's: no factor, only the (scaled) ceiling
    assert rule.candidate_cpu_s(stated["cpp"], 0.25) == 1.0 and rule.candidate_cpu_s(stated["java"], 0.9) == 3.6
    assert rule.candidate_cpu_s(stated["cpp"], 0.9) == 2.0
    own = TimeLimits(language_factors={"python": 1.0, "java": 1.5})
    assert own.stated_cpu_s(stated["python"]) == 2.0 and own.stated_cpu_s(stated["java"]) == 3.0
    assert own.stated_cpu_s(stated["javascript"]) == 4.0  # not named: the language's own factor
    with pytest.raises(ValueError, match="language_factors"):
        TimeLimits(language_factors={"cobol": 2.0})
    with pytest.raises(ValueError, match="language_factors"):
        TimeLimits(language_factors={"java": 0.5})


def test_a_hang_costs_the_floor_not_ten_seconds(verifier) -> None:
    looping = verifier.verify(ADD, "def add(a, b):\n    while True:\n        pass\n")
    assert looping.status is Status.timeout and looping.cpu_limit_s == 1.0
    assert looping.cpu_s < 1.6, looping  # killed at the floor (the reference run is not this sample's cost)
    assert "limits: cpu 1s, wall 3s" in looping.reason
    sleeping = verifier.verify(ADD, "import time\ndef add(a, b):\n    time.sleep(10)\n    return a + b\n")
    assert sleeping.status is Status.timeout and sleeping.duration_s < 5  # wall: 2 x 1 s + 1 s
    honest = verifier.verify(ADD, "def add(a, b):\n    return a + b\n")
    assert honest.passed and honest.cpu_limit_s == 1.0


def test_a_heavy_reference_gets_room_and_a_slower_candidate_does_not(verifier) -> None:
    same = verifier.verify(HEAVY, HEAVY_REFERENCE)
    assert same.passed, same
    assert 1.0 <= same.cpu_limit_s <= 4 * 2.0, same  # 4 x the measured reference, at least the floor
    slower = HEAVY_REFERENCE.replace("range(n)", "range(n * 40)")  # 40x the work: past 4x, wrong answer too late
    verdict = verifier.verify(HEAVY, slower)
    assert verdict.status is Status.timeout and verdict.cpu_limit_s == same.cpu_limit_s, verdict


def test_a_stated_limit_binds_the_reference_too(verifier) -> None:
    tight = HEAVY.model_copy(update={"problem_id": "heavy-tight", "limits": CodeLimits(cpu_s=0.02)})  # x3 for Python
    verdict = verifier.verify(tight, HEAVY_REFERENCE)
    assert verdict.status is Status.invalid_problem and "CPU time limit" in verdict.reason, verdict


def test_without_a_self_test_the_default_applies(verifier) -> None:
    untested = PythonCodeVerifier(verifier.sandbox, self_test=False, time_limits=TimeLimits(default_s=0.5))
    verdict = untested.verify(ADD, "def add(a, b):\n    while True:\n        pass\n")
    assert verdict.status is Status.timeout and verdict.cpu_limit_s == 0.5 and verdict.cpu_s < 1.0


class _Counting(Sandbox):
    """The real sandbox, counting runs of one program text (here: the reference)."""

    def __init__(self, inner: Sandbox, needle: str) -> None:
        self.inner, self.needle, self.count = inner, needle, 0
        self._lock = threading.Lock()

    def run(self, request: ExecRequest) -> SandboxResult:
        if any(self.needle.encode() in body for body in request.files.values()) or self.needle in request.python:
            with self._lock:
                self.count += 1
        return self.inner.run(request)


@pytest.mark.parametrize("samples", [8])
def test_the_self_test_runs_once_for_samples_judged_together(verifier, samples: int) -> None:
    marked = ADD.model_copy(update={"problem_id": "add-once", "reference_solution": "    return a + b  # the reference\n"})
    counting = _Counting(verifier.sandbox, "# the reference")
    judge = PythonCodeVerifier(counting)
    verdicts = list(judge.verify_many([(marked, "def add(a, b):\n    return b + a\n")] * samples, workers=4))
    assert all(v.passed for v in verdicts) and counting.count == 1


# Four cases of about 0.3 s of CPU each in CPython.
FOUR = HEAVY.model_copy(update={"problem_id": "heavy-four", "tests": StdioTests(cases=HEAVY.tests.cases * 4)})


@pytest.fixture(scope="module")
def stated_only(verifier) -> PythonCodeVerifier:
    """No self-test, and Python's stated limits as written (factor 1): the budgets below are the test's own."""
    return PythonCodeVerifier(verifier.sandbox, self_test=False, time_limits=TimeLimits(language_factors={"python": 1.0}))


def test_the_total_limit_ends_a_sample_that_uses_it_up(stated_only) -> None:
    # Two light cases, then two heavy ones; the budget is both light cases and half a heavy
    # one, so CPU-time noise of even 2x cannot move where the limit falls.
    light = StdioCase(stdin="1000\n", stdout=str(sum(i * i % 7 for i in range(1000))))
    roomy_limits = CodeLimits(cpu_s=10, total_cpu_s=20)
    light_cost = stated_only.verify(FOUR.model_copy(update={"limits": roomy_limits, "tests": StdioTests(cases=[light] * 2)}), HEAVY_REFERENCE)
    heavy_cost = stated_only.verify(FOUR.model_copy(update={"limits": roomy_limits, "tests": StdioTests(cases=HEAVY.tests.cases)}), HEAVY_REFERENCE)
    assert light_cost.passed and heavy_cost.passed, (light_cost, heavy_cost)
    budget = round(light_cost.cpu_s + heavy_cost.cpu_s / 2, 2)
    mixed = StdioTests(cases=[light, light, *HEAVY.tests.cases * 2])
    tight = FOUR.model_copy(update={"limits": CodeLimits(cpu_s=10, total_cpu_s=budget), "tests": mixed})
    verdict = stated_only.verify(tight, HEAVY_REFERENCE)
    assert verdict.status is Status.timeout and verdict.tests_passed == 2, verdict
    assert "case 2: the total CPU limit for all cases" in verdict.reason, verdict
    assert verdict.cpu_s < budget + 0.3, verdict  # the third case ran under what was left, not under 10 s
    every = stated_only.verify(tight.model_copy(update={"tests": mixed.model_copy(update={"run_all_cases": True})}), HEAVY_REFERENCE)
    assert every.status is Status.timeout and every.score == 0.5 and every.cpu_s < budget + 0.3, every


def test_the_total_limit_binds_the_reference_too(verifier) -> None:
    tight = FOUR.model_copy(update={"problem_id": "heavy-four-tight", "limits": CodeLimits(total_cpu_s=0.1)})  # x3: 0.3 s for 1.2 s of work
    verdict = verifier.verify(tight, HEAVY_REFERENCE)
    assert verdict.status is Status.invalid_problem and "total CPU limit" in verdict.reason, verdict
