"""The verifier contract every domain shares (`verifiers/base.py`), through real verifiers
in real sandboxes: a completion that is not valid Unicode text is `no_answer` with the
reason, in `verify` and in a batch, and never costs its neighbours their verdicts; so is
a completion that is not a string at all (a library caller's None or bytes)."""

from __future__ import annotations

import pytest

from verifiers.code.problem import AssertTests, CodeLimits, CodeProblem
from verifiers.math.problem import MathProblem
from verifiers.schema import Status

MATH = MathProblem(problem_id="m", prompt="Six times seven?", answer="42")
CODE = CodeProblem(problem_id="c", prompt="Write add(a, b).", entry_point="add", limits=CodeLimits(cpu_s=1, memory_mb=128),
                   tests=AssertTests(code="assert add(1, 2) == 3\n"))

# A lone surrogate inside the answer, beside it, and after it: JSON can spell one, Python
# decodes it, no UTF-8 encoder takes it.
UNREADABLE = {
    "math": ["\\boxed{x+\ud800}", "The answer is \udcff \\boxed{42}", "\\boxed{42}\ud800"],
    "code": ["```python\ndef add(a, b):\n    return a + b  # \ud800\n```", "\udcff\n```python\ndef add(a, b):\n    return a + b\n```"],
}
HONEST = {"math": "\\boxed{42}", "code": "```python\ndef add(a, b):\n    return a + b\n```"}


@pytest.fixture(params=["math", "code"])
def case(request, verifier, math_verifier):
    domain = request.param
    return (math_verifier, MATH) if domain == "math" else (verifier, CODE), UNREADABLE[domain], HONEST[domain]


def _is_not_unicode(verdict) -> bool:
    return verdict.status is Status.no_answer and not verdict.passed and "lone surrogate" in verdict.reason


def test_a_lone_surrogate_is_no_answer_with_the_reason(case):
    (verifier, problem), unreadable, _ = case
    for completion in unreadable:
        verdict = verifier.verify(problem, completion)
        assert _is_not_unicode(verdict), (completion.encode("utf-8", "backslashreplace"), verdict)
        assert verdict.extracted is None  # nothing read from it is reported (it could not be stored)


def test_in_a_batch_it_costs_its_neighbours_nothing(case):
    (verifier, problem), unreadable, honest = case
    batch = [honest, *unreadable, honest]
    verdicts = list(verifier.verify_many([(problem, completion) for completion in batch], workers=2))
    assert len(verdicts) == len(batch)
    assert verdicts[0].passed and verdicts[-1].passed, verdicts
    assert all(_is_not_unicode(v) for v in verdicts[1:-1]), verdicts


@pytest.mark.parametrize("completion", [None, 42, b"\\boxed{42}", ["\\boxed{42}"]], ids=["None", "int", "bytes", "list"])
def test_a_completion_that_is_not_a_string_is_no_answer(case, completion):
    (verifier, problem), _, honest = case
    assert verifier.verify(problem, completion).status is Status.no_answer
    verdicts = list(verifier.verify_many([(problem, honest), (problem, completion), (problem, honest)]))
    assert [v.status for v in verdicts] == [Status.passed, Status.no_answer, Status.passed], verdicts
    assert "not text" in verdicts[1].reason
