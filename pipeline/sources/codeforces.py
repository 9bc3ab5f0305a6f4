"""Codeforces problems as open-r1 publishes them (`open-r1/codeforces`), to `CodeProblem`.

A row holds the statement in parts (`title`, `description`, `input_format`,
`output_format`, `examples`, `note`), `time_limit` in seconds and `memory_limit` in MB,
`official_tests` (the tests Codeforces shows; `official_tests_complete` is false when
Codeforces cut one short for display), and `generated_checker`: a Python checker for
problems with several right answers, which open-r1 runs as `python3 checker.py input
answer output` and which prints 1 (or 100) to accept. Its generated tests live in
separate Parquet files (`test_cases_XXXX.parquet`, joined on `problem_id == id`): join
them into the row as `generated_tests: [{input, output}, ...]`; the column that counts
them is ignored.

What this converter refuses, with the reason (the source records the row in `errors/`):
interactive problems, file input/output (`input_mode: file`), rows not marked
`executable`, and rows whose only tests are incomplete official ones (a test cut for
display would fail every right answer). Without a checker, outputs compare as tokens
with YES/NO in any case, as open-r1's judge does. The dataset has no reference solution,
so the stated limits apply (scaled by language: verifiers/code/limits.py).
"""

from __future__ import annotations

from typing import Any

from verifiers.code.problem import CodeLimits, CodeProblem, StdioCase, StdioTests

# The Python `check` Assay's checker process calls, around open-r1's checker script: it
# gets the three texts as files (after open-r1's own clean-up: no \r, no blank lines) and
# its printed verdict is read back. The script is the problem's code, run in the sandbox.
_CHECKER = '''import contextlib, io, os, sys, tempfile

_SCRIPT = {script!r}


def _clean(text):
    return "".join(line + "\\n" for line in text.replace("\\r", "").split("\\n") if line.strip())


def check(input, output, answer):
    folder = tempfile.mkdtemp()
    paths = []
    for name, text in (("input.txt", input.replace("\\r", "")), ("answer.txt", _clean(answer)), ("output.txt", _clean(output))):
        paths.append(os.path.join(folder, name))
        with open(paths[-1], "w", encoding="utf-8") as f:
            f.write(text)
    printed = io.StringIO()
    argv = sys.argv
    sys.argv = ["checker.py", *paths]
    try:
        with contextlib.redirect_stdout(printed):
            try:
                exec(compile(_SCRIPT, "checker.py", "exec"), {{"__name__": "__main__"}})
            except SystemExit:
                pass
    finally:
        sys.argv = argv
    return printed.getvalue().strip() in ("1", "100")
'''


def open_r1_checker(script: str) -> str:
    """A `check(input, output, answer)` that runs one of open-r1's generated checkers."""
    return _CHECKER.format(script=script)


def _tests(rows: Any) -> list[StdioCase]:
    return [StdioCase(stdin=str(t["input"]).replace("\r\n", "\n"), stdout=str(t["output"]).replace("\r\n", "\n")) for t in rows or []]


def _prompt(row: dict) -> str:
    parts = [f"# {row.get('title') or row['id']}", f"Time limit per test: {row['time_limit']:g} seconds",
             f"Memory limit per test: {row['memory_limit']:g} megabytes", str(row.get("description") or "")]  # fmt: skip
    for title, key in (("Input", "input_format"), ("Output", "output_format")):
        if row.get(key):
            parts.append(f"## {title}\n{row[key]}")
    for i, example in enumerate(row.get("examples") or [], 1):
        parts.append(f"## Example {i}\nInput:\n```\n{example['input']}\n```\nOutput:\n```\n{example['output']}\n```")
    if row.get("note"):
        parts.append(f"## Note\n{row['note']}")
    return "\n\n".join(parts)


def from_codeforces_row(row: dict, language: str = "python") -> CodeProblem:
    problem_id = row.get("id")
    if not problem_id:
        raise ValueError("row has no id")
    if row.get("interaction_format"):
        raise ValueError(f"{problem_id} is interactive: its judge talks to the program, and no interactor ships with the row")
    if (row.get("input_mode") or "stdio") != "stdio":
        raise ValueError(f"{problem_id} reads and writes files (input_mode {row['input_mode']!r}), not stdin and stdout")
    if row.get("executable") is False:
        raise ValueError(f"{problem_id} is marked not executable in the dataset")
    generated = row.get("generated_tests")
    cases = _tests(row.get("official_tests") if row.get("official_tests_complete") else None)
    cases += _tests(generated if isinstance(generated, list) else None)
    if not cases:
        raise ValueError(f"{problem_id}: no complete tests (official tests cut for display, and no generated tests joined in)")
    if row.get("time_limit") is None or row.get("memory_limit") is None:
        raise ValueError(f"{problem_id}: time_limit (seconds) and memory_limit (MB) are required")
    checker = row.get("generated_checker")
    return CodeProblem(
        problem_id=str(problem_id),
        prompt=_prompt(row),
        language=language,
        tests=StdioTests(cases=cases, compare="yes_no_any_case", checker=open_r1_checker(checker) if checker else None),
        limits=CodeLimits(cpu_s=float(row["time_limit"]), memory_mb=max(32, int(row["memory_limit"]))),
        metadata={"source": "codeforces-style", "rating": row.get("rating"), "tags": row.get("tags")},
    )
