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

import re
from typing import Any

from pipeline.sources import preambles
from pipeline.sources.shapes import call_or_stdio, json_field, require, with_starter
from verifiers.code.problem import CodeLimits, CodeProblem

_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds)\s*$", re.I)
_MEGABYTES = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:mb|megabytes?)\s*$", re.I)


def _parse(value: Any, pattern: re.Pattern[str], what: str) -> float | None:
    if value in (None, ""):
        return None
    match = pattern.match(str(value))
    if not match:
        raise ValueError(f"{what} {value!r} is not understood (expected e.g. '1 second', '256 megabytes')")
    return float(match.group(1))


def from_taco_row(row: dict) -> CodeProblem:
    io = json_field(require(row, "input_output"), "input_output")
    if not isinstance(io, dict):
        raise ValueError("input_output must be an object with inputs and outputs")
    fn_name = io.get("fn_name")
    if not fn_name and "class Solution" in (row.get("starter_code") or ""):
        raise ValueError("a `class Solution` method without fn_name, tested in prose (GeeksforGeeks style): not executable")
    tests = call_or_stdio(io.get("inputs") or [], io.get("outputs") or [], fn_name, unwrap=True)  # TACO wraps returns as APPS does
    solutions = json_field(row.get("solutions") or "[]", "solutions")
    seconds = _parse(row.get("time_limit"), _SECONDS, "time_limit")
    megabytes = _parse(row.get("memory_limit"), _MEGABYTES, "memory_limit")
    limits = CodeLimits(cpu_s=seconds, **({"memory_mb": max(32, int(megabytes))} if megabytes else {}))
    return CodeProblem(
        problem_id=str(require(row, "problem_id", "id", "url", "name")),  # TACO rows have no id: their URL names them
        prompt=with_starter(require(row, "question"), row),
        entry_point=fn_name,
        preamble=preambles.APPS,
        tests=tests,
        reference_solution=solutions[0] if solutions else None,
        limits=limits,
        metadata={"source": "taco-style", "difficulty": row.get("difficulty"), "origin": row.get("source")},
    )

