"""Converters from the dataset shapes the field uses to Assay's `CodeProblem`.

Each takes one row (a dict, as read from JSONL, Parquet or an HF dataset) and returns a
validated problem, or raises `ValueError` saying what is missing (the source records
the row in `errors/` and goes on).

* HumanEval style: `prompt`, `test` (with `check(candidate)`), `entry_point`,
  optional `canonical_solution`, `task_id`.
* MBPP style: `text` or `prompt`, `test_list` (assert lines), optional
  `test_setup_code` / `test_imports` (sanitized MBPP), `code` (reference), `task_id`.
* APPS style: `question`, `input_output` (JSON: `inputs`, `outputs`, optional
  `fn_name`), optional `solutions` (JSON list), `starter_code`, `problem_id`.
* LiveCodeBench style: `question_content`, `public_test_cases` / `private_test_cases`
  (JSON lists of `{input, output, testtype}`), `metadata` (JSON with `func_name`),
  `question_id`.
* CodeContests style: `name`, `description`, `public_tests` / `private_tests` /
  `generated_tests` (`{input: [...], output: [...]}`), `solutions`
  (`{language: [...], solution: [...]}`: 2 is C++, 3 Python 3, 4 Java). Style
  `codecontests` makes a Python problem with a Python 3 reference; `codecontests-cpp`
  and `codecontests-java` make the same problem in C++ or Java with a reference in it.
  `time_limit` (`{seconds, nanos}`) and `memory_limit_bytes` become the problem's
  limits; rows that read or write files (`input_file`, `output_file`) are refused.
  `codecontests_solutions` lists a row's correct and incorrect solutions in a language
  as labeled completions, to measure a verifier against the dataset's own labels.
* LeetCodeDataset (`pipeline/sources/leetcode.py`), style `leetcode`: `query`, `prompt`
  (the harness's preamble), `completion`, `entry_point`, `test`, `task_id`.
* Codeforces as open-r1 publishes it (`pipeline/sources/codeforces.py`), styles
  `codeforces` and `codeforces-cpp`; TACO (`pipeline/sources/taco.py`), style `taco`.
* KodCode (KodCode-V1), style `kodcode`: `question`, `solution` (reference), `test` (a
  pytest file; `test_code` in the authors' pipeline output), `test_info` (the functions it
  tests, the first is the entry point), `question_id`.
* EvalPlus's HumanEval+ and MBPP+ (`pipeline/sources/evalplus.py`), style `evalplus`: every
  base and plus input as a call test, expected values from the canonical solution.
"""

from __future__ import annotations

import ast
import builtins
import json
import keyword
import re
from collections.abc import Callable

from pipeline.sources import preambles
from pipeline.sources.codeforces import from_codeforces_row
from pipeline.sources.evalplus import from_evalplus_row
from pipeline.sources.humaneval import from_humaneval_row
from pipeline.sources.leetcode import from_leetcode_row
from pipeline.sources.shapes import call_or_stdio, json_field, require, with_starter
from pipeline.sources.taco import from_taco_row
from verifiers.code.problem import (
    AssertTests,
    CallTests,
    CodeLimits,
    CodeProblem,
    StdioCase,
    StdioTests,
)


def from_mbpp_row(row: dict) -> CodeProblem:
    asserts = require(row, "test_list")
    if not isinstance(asserts, list) or not asserts:
        raise ValueError("test_list must be a non-empty list of assert lines")
    setup = "\n".join([*(row.get("test_imports") or []), row.get("test_setup_code") or ""]).strip()
    code = (setup + "\n" if setup else "") + "\n".join(asserts) + "\n"
    reference = row.get("code")
    prompt = require(row, "prompt", "text")
    return CodeProblem(
        problem_id=str(require(row, "task_id", "problem_id")),
        prompt=prompt,
        entry_point=_mbpp_entry_point(asserts, reference),
        tests=AssertTests(code=code),
        reference_solution=reference,
        metadata={"source": "mbpp-style"},
    )


def _mbpp_entry_point(asserts: list, reference: object) -> str | None:
    """The function the asserts test. Not simply the first name called after `assert`:
    in `assert set(similar_elements(a, b)) == set((4, 5))` that is the builtin `set`,
    and the tests would then send both sides' `set` calls to the candidate (a candidate
    defining `set` passed; the reference, which does not, made the problem invalid).
    The first called name the reference defines, else the first that is not a builtin."""
    called: list[str] = []
    for line in asserts:
        try:
            tree = ast.parse(str(line))
        except SyntaxError:
            called += [n for n in re.findall(r"\b([A-Za-z_]\w*)\s*\(", str(line)) if not keyword.iskeyword(n)]
            continue
        calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)),
                       key=lambda n: (n.lineno, n.col_offset))  # fmt: skip
        called += [n.func.id for n in calls]  # type: ignore[attr-defined]
    defined: list[str] = []
    if isinstance(reference, str):  # a reference that is not Python 3: the row is an error
        defined = [n.name for n in ast.parse(reference).body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    for name in called:
        if name in defined:
            return name
    for name in called:
        if name not in _BUILTINS:
            return name
    return called[0] if called else (defined[-1] if defined else None)


_BUILTINS = frozenset(dir(builtins))


def from_apps_row(row: dict) -> CodeProblem:
    io = json_field(require(row, "input_output"), "input_output")
    if not isinstance(io, dict):
        raise ValueError("input_output must be an object with inputs and outputs")
    fn_name = io.get("fn_name")
    tests = call_or_stdio(io.get("inputs") or [], io.get("outputs") or [], fn_name, unwrap=True)
    solutions = json_field(row.get("solutions") or "[]", "solutions")
    prompt = with_starter(require(row, "question", "problem"), row)
    return CodeProblem(
        problem_id=str(require(row, "problem_id", "id")),
        prompt=prompt,
        entry_point=fn_name,
        preamble=preambles.APPS,
        tests=tests,
        reference_solution=solutions[0] if solutions else None,
        metadata={"source": "apps-style", "difficulty": row.get("difficulty")},
    )


def from_livecodebench_row(row: dict) -> CodeProblem:
    cases = list(json_field(row.get("public_test_cases") or "[]", "public_test_cases"))
    cases += list(json_field(row.get("private_test_cases") or "[]", "private_test_cases"))
    if not cases:
        raise ValueError("no test cases")
    meta = json_field(row.get("metadata") or "{}", "metadata")
    fn_name = meta.get("func_name") if isinstance(meta, dict) else None
    if all(c.get("testtype") == "functional" for c in cases):
        if not fn_name:
            raise ValueError("functional tests need metadata.func_name")
        inputs = [[json.loads(line) for line in c["input"].split("\n") if line.strip()] for c in cases]
        outputs = [json.loads(c["output"]) for c in cases]
        tests: CallTests | StdioTests = call_or_stdio(inputs, outputs, fn_name, unwrap=False)
    else:
        tests = StdioTests(cases=[StdioCase(stdin=c["input"], stdout=c["output"]) for c in cases])
    prompt = with_starter(require(row, "question_content", "question"), row)
    return CodeProblem(
        problem_id=str(require(row, "question_id", "problem_id")),
        prompt=prompt,
        entry_point=fn_name,
        preamble=preambles.LIVECODEBENCH,
        tests=tests,
        metadata={"source": "livecodebench-style", "difficulty": row.get("difficulty")},
    )


_CODECONTESTS_LANGUAGE = {"python": 3, "cpp": 2, "java": 4}  # the dataset's language enum


def from_codecontests_row(row: dict, language: str = "python") -> CodeProblem:
    if row.get("input_file") or row.get("output_file"):
        raise ValueError(f"the problem reads or writes files ({row.get('input_file') or row.get('output_file')!r}), not stdin and stdout")
    cases = []
    for group in ("public_tests", "private_tests", "generated_tests"):
        tests = row.get(group) or {}
        inputs, outputs = tests.get("input") or [], tests.get("output") or []
        if len(inputs) != len(outputs):  # zip would drop the unpaired cases without a word
            raise ValueError(f"{group} has {len(inputs)} inputs but {len(outputs)} outputs")
        cases += [StdioCase(stdin=i, stdout=o) for i, o in zip(inputs, outputs, strict=True)]
    if not cases:
        raise ValueError("no public, private or generated tests")
    references = _solutions(row, "solutions", language)
    limit = row.get("time_limit") or {}
    seconds = float(limit.get("seconds") or 0) + float(limit.get("nanos") or 0) / 1e9
    memory = int(row.get("memory_limit_bytes") or 0) // 1_000_000  # decimal: 256000000 is "256 MB"
    limits = CodeLimits(cpu_s=seconds or None, **({"memory_mb": max(32, memory)} if memory else {}))
    return CodeProblem(
        problem_id=str(require(row, "name", "problem_id")),
        prompt=require(row, "description", "prompt"),
        language=language,
        tests=StdioTests(cases=cases),
        reference_solution=references[0] if references else None,
        limits=limits,
        metadata={"source": "codecontests-style"},
    )


def _solutions(row: dict, field: str, language: str) -> list[str]:
    solutions = row.get(field) or {}
    code = _CODECONTESTS_LANGUAGE[language]
    return [s for lang, s in zip(solutions.get("language", []), solutions.get("solution", [])) if lang == code]


def codecontests_solutions(row: dict, language: str = "python") -> list[tuple[str, bool]]:
    """(source, is it correct) for a row's `solutions` and `incorrect_solutions` in `language`:
    the dataset's own labels, to measure a verifier with (an incorrect solution may still pass
    the tests a row ships: the dataset labels submissions by Codeforces' verdict on its full
    tests, which includes time limits)."""
    correct = [(s, True) for s in _solutions(row, "solutions", language)]
    return correct + [(s, False) for s in _solutions(row, "incorrect_solutions", language)]


def from_kodcode_row(row: dict) -> CodeProblem:
    """A KodCode-V1 row: its pytest file runs as a test file (the judge collects its
    `test_*` functions); names it uses without importing them are the solution's, as
    KodCode's harness makes them by putting `from solution import *` first."""
    info = row.get("test_info")
    first = info[0] if isinstance(info, list) and info and isinstance(info[0], dict) else {}
    entry = first.get("function_name")
    return CodeProblem(
        problem_id=str(require(row, "question_id", "problem_id")),
        prompt=require(row, "question", "prompt"),
        entry_point=entry if isinstance(entry, str) and entry.isidentifier() else None,
        tests=AssertTests(code=require(row, "test", "test_code")),
        reference_solution=row.get("solution"),
        metadata={"source": "kodcode-style", **{k: row[k] for k in ("subset", "style") if isinstance(row.get(k), str)}},
    )


CONVERTERS: dict[str, Callable[[dict], CodeProblem]] = {
    "humaneval": from_humaneval_row,
    "mbpp": from_mbpp_row,
    "apps": from_apps_row,
    "livecodebench": from_livecodebench_row,
    "codecontests": from_codecontests_row,
    "codecontests-cpp": lambda row: from_codecontests_row(row, "cpp"),
    "codecontests-java": lambda row: from_codecontests_row(row, "java"),
    "codeforces": from_codeforces_row,
    "codeforces-cpp": lambda row: from_codeforces_row(row, "cpp"),
    "taco": from_taco_row,
    "leetcode": from_leetcode_row,
    "kodcode": from_kodcode_row,
    "evalplus": from_evalplus_row,
}


def convert(row: dict, style: str) -> CodeProblem:
    """Convert one row of a known dataset shape (see CONVERTERS)."""
    try:
        converter = CONVERTERS[style]
    except KeyError:
        raise ValueError(f"unknown dataset style {style!r}; known: {', '.join(CONVERTERS)}") from None
    return converter(row)
