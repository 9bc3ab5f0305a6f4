"""The math verifier on Assay's labeled table, and on resource attacks."""

from __future__ import annotations

import time

import pytest

from tests.verifiers.math.cases import SOLUTIONS, TABLE
from verifiers.math.problem import MathProblem
from verifiers.schema import Status


@pytest.fixture(scope="module")
def verdicts(math_verifier):
    items = [(MathProblem(problem_id=f"t{i}", prompt="", answer=ref), f"So the result is $\\boxed{{{ans}}}$.")
             for i, (ref, ans, _) in enumerate(TABLE)]
    return list(math_verifier.verify_many(items))


def test_table_is_large_and_balanced():
    assert len(TABLE) >= 300
    assert 0.3 < sum(1 for *_, label in TABLE if not label) / len(TABLE) < 0.6


@pytest.mark.parametrize("index", range(len(TABLE)), ids=[f"{r} ~ {a}" for r, a, _ in TABLE])
def test_labeled_case(verdicts, index):
    ref, ans, label = TABLE[index]
    v = verdicts[index]
    assert v.status in (Status.passed, Status.fail), v
    assert v.passed == label, f"{ref!r} vs {ans!r}: {v.status.value} ({v.reason})"


@pytest.mark.parametrize("ref,text,label,choices", SOLUTIONS, ids=[t[:40] for _, t, _, _ in SOLUTIONS])
def test_solution_texts(math_verifier, ref, text, label, choices):
    problem = MathProblem(problem_id=f"s-{ref}-{choices}", prompt="", answer=ref, metadata={"choices": choices} if choices else {})
    v = math_verifier.verify(problem, text)
    assert v.passed == label, v


def test_no_answer_and_invalid_reference(math_verifier):
    assert math_verifier.verify(MathProblem(problem_id="n", prompt="", answer="3"), "I give up.").status is Status.no_answer
    bad = MathProblem(problem_id="bad-ref", prompt="", answer="\\frac{")
    assert math_verifier.verify(bad, "\\boxed{x^2}").status is Status.invalid_problem


@pytest.mark.parametrize("answer", ["9^{9^{9^{9}}}", "10^{10^{10^{10}}}", "(10^{10^{8}})!", "\\underbrace{" * 500 + "1"])
def test_explosive_answers_end_within_their_limit(math_verifier, answer):
    started = time.monotonic()
    v = math_verifier.verify(MathProblem(problem_id="boom", prompt="", answer="x^2+1"), f"\\boxed{{{answer}}}")
    assert not v.passed and time.monotonic() - started < 15
    # An unclosed `\\underbrace{` leaves the box unclosed: no committed answer at all.
    assert v.status in (Status.timeout, Status.memory_limit, Status.fail, Status.no_answer)


def test_memory_blowup_is_memory_limit(math_verifier):
    # 40x40 symbolic entries: fits in a box (at most 10,000 characters are read) and still explodes.
    answer = "\\begin{pmatrix}" + "\\\\".join("&".join(["x"] * 40) for _ in range(40)) + "\\end{pmatrix}^{50}"
    v = math_verifier.verify(MathProblem(problem_id="mat", prompt="", answer="1"), f"\\boxed{{{answer}}}")
    assert not v.passed and v.status in (Status.timeout, Status.memory_limit, Status.fail)


def test_works_from_worker_threads(math_verifier):
    """Math-Verify's own timeouts use signal.alarm and fail outside the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    problem = MathProblem(problem_id="thr", prompt="", answer="x^2+2x+1")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: math_verifier.verify(problem, "\\boxed{(x+1)^2}"), range(8)))
    assert all(v.passed for v in results)


def test_infrastructure_failure_is_verifier_error_not_the_samples_fault():
    from verifiers.math.verifier import MathVerifier, make_math_sandbox

    dead = make_math_sandbox(workers=1)
    dead.close()
    verifier = MathVerifier(dead)
    problem = MathProblem(problem_id="dead", prompt="", answer="12")
    assert verifier.verify(problem, "\\boxed{x + 1}").status is Status.verifier_error
    verdicts = list(verifier.verify_many([(problem, "\\boxed{12}"), (problem, "\\boxed{x+1}"), (problem, "no answer here")]))
    # the fast paths need no sandbox; only the symbolic comparison is our failure
    assert [v.status for v in verdicts] == [Status.passed, Status.verifier_error, Status.no_answer]


def test_symbolic_verdicts_carry_their_share_of_sandbox_cpu(math_verifier) -> None:
    from verifiers.math.problem import MathProblem

    problem = MathProblem(problem_id="cpu", prompt="?", answer="\\frac{\\sqrt{3}}{2}")
    symbolic, fast = list(math_verifier.verify_many([(problem, "\\boxed{\\frac{1}{2}\\sqrt{3}}"), (problem, "\\boxed{x}")]))
    assert symbolic.passed and symbolic.cpu_s > 0
    numeric = math_verifier.verify(MathProblem(problem_id="n", prompt="?", answer="12"), "\\boxed{12}")
    assert numeric.passed and numeric.cpu_s == 0  # decided in-process, no sandbox
