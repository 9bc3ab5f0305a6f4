"""`builtin:code-easy`: every reference passes its own tests in the real verifier, and a
wrong answer fails them."""

from __future__ import annotations

from pipeline.config import SourceConfig
from pipeline.sources.load import load_source


def test_every_easy_task_is_valid_and_its_reference_passes(verifier) -> None:
    problems = list(load_source(SourceConfig(path="builtin:code-easy")))
    assert len(problems) == 12 and len({p.problem_id for p in problems}) == 12
    for problem, verdict in zip(problems, verifier.verify_many([(p, p.reference_solution) for p in problems])):
        assert verdict.passed and verdict.tests_total >= 2, (problem.problem_id, verdict.reason)
    wrong = [(p, f"def {p.entry_point}(*args):\n    return None\n") for p in problems]
    assert not any(v.passed for v in verifier.verify_many(wrong))
