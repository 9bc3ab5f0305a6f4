"""EvalPlus's HumanEval+ and MBPP+ rows, style `evalplus`.

A row of `HumanEvalPlus.jsonl` or `MbppPlus.jsonl` (`task_id`, `prompt`, `entry_point`,
`canonical_solution`, `base_input`, `plus_input`, `atol`) becomes call tests on every base
and plus input, whose expected values are the canonical solution's outputs, computed once per
problem in the sandbox: EvalPlus's own ground truth, with Python's types (a tuple is not a list).

Refused, with the reason: tasks EvalPlus judges by a special oracle instead of equal outputs
(HumanEval/32 `find_zero`, |poly(x)| <= atol; MBPP's `are_equivalent`, `sum_div`, the three
"not None" tasks, `surface_Area`, `digit_distance_nums`, and the eight whose outputs it compares
as sets). MBPP+ inputs that EvalPlus turns into tuples for some tasks arrive here as
JSON lists, as they are in the file; a reference that needs the tuple fails its self-test, and
that problem's samples are `invalid_problem`.
"""

from __future__ import annotations

from verifiers.code.problem import CallCase, CallTests, CodeProblem

# entry point -> how EvalPlus judges it instead
_ORACLES = {
    "find_zero": "|poly(xs, x)| <= atol",
    "are_equivalent": "any answer",
    "sum_div": "the reference's value or 0",
    "check_str": "whether the output is None",
    "text_match_three": "whether the output is None",
    "text_starta_endb": "whether the output is None",
    "surface_Area": "its own formula",  # Mbpp/581, from EvalPlus 0.3
    "digit_distance_nums": "its own formula",  # Mbpp/558, from EvalPlus 0.3
    # compared as sets from EvalPlus 0.3 (`set(out) == set(exp)`): in order, a correct answer would fail
    **dict.fromkeys(("similar_elements", "find_char_long", "common_in_nested_lists", "extract_singly", "larg_nnum",
                     "intersection_array", "find_dissimilar", "Diff"), "the outputs as sets"),
}


def from_evalplus_row(row: dict) -> CodeProblem:
    """One HumanEval+ or MBPP+ row."""
    missing = [k for k in ("task_id", "prompt", "entry_point", "canonical_solution", "base_input") if k not in row]
    if missing:
        raise ValueError(f"EvalPlus-style row lacks {', '.join(missing)}")
    entry = row["entry_point"]
    if entry in _ORACLES:
        raise ValueError(f"{row['task_id']} ({entry}) is judged by EvalPlus's special oracle ({_ORACLES[entry]}), not by equal outputs")
    inputs = [*row["base_input"], *(row.get("plus_input") or [])]
    for i, args in enumerate(inputs):
        if not isinstance(args, list):
            raise ValueError(f"input {i} is not a list of arguments: {str(args)[:60]}")
    atol = float(row.get("atol") or 0)
    return CodeProblem(
        problem_id=str(row["task_id"]),
        prompt=row["prompt"],
        entry_point=entry,
        tests=CallTests(fn_name=entry, cases=[CallCase(args=args) for args in inputs], float_tolerance=atol or 1e-6,
                        expected_from_reference=True),  # fmt: skip
        reference_solution=row["prompt"] + row["canonical_solution"],
        metadata={"source": "evalplus", "base_cases": len(row["base_input"])},
    )
