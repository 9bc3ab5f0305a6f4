"""TACO (BAAI/TACO) rows to `CodeProblem`.

Every column is a string: `question`, `starter_code`, `solutions` (a JSON list of Python
solutions, possibly empty), `input_output` (JSON: `inputs`, `outputs`, and `fn_name` for
call-based problems, whose return values come wrapped in a list as in APPS),
`time_limit` ("1 second", "2.5 seconds", or null) and `memory_limit` ("256 megabytes",
or null), plus tags and `source`. The statement's limits are the judge's (for C/C++;
Python gets its language factor, verifiers/code/limits.py).

GeeksforGeeks rows describe their tests in prose (`n = 5\\narr[] = {...}`) for a `class
Solution` method with no `fn_name`: nothing can run them, so they are refused with that
reason, as is any row with neither stdio nor call tests.
"""

from __future__ import annotations

import json
import re
from typing import Any

from verifiers.code.problem import CallCase, CallTests, CodeLimits, CodeProblem, StdioCase, StdioTests

_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds)\s*$", re.I)
_MEGABYTES = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:mb|megabytes?)\s*$", re.I)


def _parse(value: Any, pattern: re.Pattern[str], what: str) -> float | None:
    if value in (None, ""):
        return None
    match = pattern.match(str(value))
    if not match:
        raise ValueError(f"{what} {value!r} is not understood (expected e.g. '1 second', '256 megabytes')")
    return float(match.group(1))


def _text(value: Any) -> str:
    return "\n".join(str(v) for v in value) + "\n" if isinstance(value, list) else str(value)


def from_taco_row(row: dict) -> CodeProblem:
    raw = row.get("input_output")
    if not raw:
        raise ValueError("row has no input_output")
    io = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
    inputs, outputs = io.get("inputs") or [], io.get("outputs") or []
    if not inputs or len(inputs) != len(outputs):
        raise ValueError(f"need as many outputs as inputs, and at least one ({len(inputs)} vs {len(outputs)})")
    fn_name = io.get("fn_name")
    starter = row.get("starter_code") or ""
    if not fn_name and "class Solution" in starter:
        raise ValueError("a `class Solution` method without fn_name, tested in prose (GeeksforGeeks style): not executable")
    tests: CallTests | StdioTests
    if fn_name:
        cases = []
        for args, expected in zip(inputs, outputs):
            if isinstance(expected, list) and len(expected) == 1:
                expected = expected[0]
            cases.append(CallCase(args=args if isinstance(args, list) else [args], expected=expected))
        tests = CallTests(fn_name=fn_name, cases=cases)
    else:
        tests = StdioTests(cases=[StdioCase(stdin=_text(i), stdout=_text(o)) for i, o in zip(inputs, outputs)])
    solutions = row.get("solutions") or "[]"
    solutions = json.loads(solutions) if isinstance(solutions, (str, bytes)) else solutions
    question = row.get("question")
    if not question:
        raise ValueError("row has no question")
    seconds = _parse(row.get("time_limit"), _SECONDS, "time_limit")
    megabytes = _parse(row.get("memory_limit"), _MEGABYTES, "memory_limit")
    limits = CodeLimits(cpu_s=seconds, **({"memory_mb": max(32, int(megabytes))} if megabytes else {}))
    return CodeProblem(
        problem_id=_problem_id(row),
        prompt=question + ("\n\n" + starter if starter else ""),
        entry_point=fn_name,
        tests=tests,
        reference_solution=solutions[0] if solutions else None,
        limits=limits,
        metadata={"source": "taco-style", "difficulty": row.get("difficulty"), "origin": row.get("source")},
    )


def _problem_id(row: dict) -> str:
    for key in ("problem_id", "id", "url", "name"):  # TACO rows have no id column: their URL names them
        if row.get(key):
            return str(row[key])
    raise ValueError("row has none of problem_id, id, url, name")
