"""Problem sources: every format, field mapping, and bad rows with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import SourceConfig
from pipeline.sources.load import BadRow, SourceError, load_source
from verifiers.code.problem import CodeProblem
from verifiers.math.problem import MathProblem

GOOD_CODE = {
    "problem_id": "add",
    "domain": "code",
    "prompt": "def add(a, b):\n",
    "entry_point": "add",
    "tests": {"kind": "call", "fn_name": "add", "cases": [{"args": [1, 2], "expected": 3}]},
}
GOOD_MATH = {"problem_id": "m1", "domain": "math", "prompt": "1+1?", "answer": "2"}


def _split(items):
    good = [i for i in items if not isinstance(i, BadRow)]
    bad = [i for i in items if isinstance(i, BadRow)]
    return good, bad


def test_jsonl_with_every_kind_of_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "problems.jsonl"
    lines = [
        json.dumps(GOOD_CODE).encode(),
        b'{"problem_id": "broken", ',  # bad JSON
        json.dumps({**GOOD_MATH, "problem_id": "m\xff"}).encode("utf-8")[:-3] + b'\xff\xfe"}',  # not UTF-8
        json.dumps({"problem_id": "nodomain", "prompt": "x"}).encode(),  # missing fields
        json.dumps({**GOOD_MATH, "problem_id": 7, "answer": ["not", "a", "string"]}).encode(),  # wrong types
        json.dumps({**GOOD_CODE, "problem_id": "empty", "tests": {"kind": "assert", "code": ""}}).encode(),  # empty tests
        json.dumps(["a", "list"]).encode(),
        b"",
        json.dumps(GOOD_MATH).encode(),
        json.dumps(GOOD_MATH).encode(),  # duplicate id
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    good, bad = _split(list(load_source(SourceConfig(path=str(path)))))
    assert [p.problem_id for p in good] == ["add", "m1"]
    assert isinstance(good[0], CodeProblem) and isinstance(good[1], MathProblem)
    reasons = [b.reason for b in bad]
    assert len(bad) == 7, reasons
    assert any("bad JSON" in r for r in reasons)
    assert any("not UTF-8" in r for r in reasons)
    assert any("answer" in r for r in reasons)  # names the wrong field
    assert any("tests.assert.code" in r for r in reasons)
    assert any("expected an object" in r for r in reasons)
    assert any("duplicate problem_id" in r for r in reasons)
    assert all(b.source == "problems" for b in bad)


def test_parquet_with_json_columns_and_field_mapping(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    table = pa.table(
        {
            "id": ["a", "b"],
            "question": ["2+2?", "3+3?"],
            "solution": ["4", None],
        }
    )
    pq.write_table(table, path)
    source = SourceConfig(path=str(path), domain="math", fields={"id": "problem_id", "question": "prompt", "solution": "answer"})
    good, bad = _split(list(load_source(source)))
    assert [(p.problem_id, p.answer) for p in good] == [("a", "4")]
    assert len(bad) == 1 and "answer" in bad[0].reason


def test_hf_save_to_disk_and_data_file_directories(tmp_path: Path) -> None:
    import datasets

    rows = [GOOD_MATH, {**GOOD_MATH, "problem_id": "m2", "answer": "\\frac{1}{2}"}]
    datasets.Dataset.from_list(rows).save_to_disk(str(tmp_path / "saved"))
    good, bad = _split(list(load_source(SourceConfig(path=str(tmp_path / "saved")))))
    assert [p.problem_id for p in good] == ["m1", "m2"] and not bad

    datasets.DatasetDict({"test": datasets.Dataset.from_list(rows)}).save_to_disk(str(tmp_path / "dict"))
    good, _ = _split(list(load_source(SourceConfig(path=str(tmp_path / "dict"), split="test"))))
    assert len(good) == 2
    with pytest.raises(SourceError, match="no split"):
        list(load_source(SourceConfig(path=str(tmp_path / "dict"), split="train")))

    files = tmp_path / "files"
    files.mkdir()
    (files / "train.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    good, _ = _split(list(load_source(SourceConfig(path=str(files)))))
    assert [p.problem_id for p in good] == ["m1", "m2"]


def test_builtins_limit_and_converted_styles(tmp_path: Path) -> None:
    humaneval = list(load_source(SourceConfig(path="builtin:humaneval", limit=3)))
    assert [p.problem_id for p in humaneval] == ["HumanEval/0", "HumanEval/1", "HumanEval/2"]
    synth = list(load_source(SourceConfig(path="builtin:math-synth", n=5, seed=3)))
    assert len(synth) == 5 and all(isinstance(p, MathProblem) for p in synth)
    with pytest.raises(SourceError, match="unknown builtin"):
        list(load_source(SourceConfig(path="builtin:nope")))
    with pytest.raises(SourceError, match="no such file"):
        list(load_source(SourceConfig(path=str(tmp_path / "missing.jsonl"))))
    mbpp = tmp_path / "mbpp.jsonl"
    mbpp.write_text(json.dumps({"task_id": 2, "text": "Add.", "code": "def add(a, b):\n    return a + b", "test_list": ["assert add(1, 2) == 3"]}) + "\n")
    (problem,) = load_source(SourceConfig(path=str(mbpp), style="mbpp"))
    assert isinstance(problem, CodeProblem) and problem.tests.kind == "assert"


@pytest.mark.parametrize(("style", "row"), [
    ("codecontests", {"name": "x", "description": "d", "public_tests": "2 -> 4"}),
    ("codecontests", {"name": "x", "description": "d", "public_tests": {"input": ["1"], "output": ["1"]}, "time_limit": "1s"}),
    ("livecodebench", {"question_id": "q", "question_content": "c", "public_test_cases": "[1]"}),
    ("taco", {"url": "u", "question": "q", "input_output": "[1, 2]"}),
    ("codeforces", {"id": "1/A", "official_tests_complete": True, "official_tests": ["3"], "time_limit": 1, "memory_limit": 256}),
])  # fmt: skip
def test_a_field_of_the_wrong_type_is_a_bad_row_in_every_style(tmp_path: Path, style: str, row: dict) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(row) + "\n")
    (bad,) = load_source(SourceConfig(path=str(path), style=style))
    assert isinstance(bad, BadRow) and bad.reason.startswith("row 1: "), bad


def test_a_converter_that_raises_anything_costs_only_its_row(tmp_path: Path) -> None:
    """An MBPP reference that is not Python makes the converter raise SyntaxError."""
    path = tmp_path / "mbpp.jsonl"
    rows = [
        {"task_id": 1, "text": "Add.", "code": "def add(a, b):\n    return a + b", "test_list": ["assert add(1, 2) == 3"]},
        {"task_id": 2, "text": "Broken.", "code": "def broken(:\n  pass", "test_list": ["assert True"]},
        {"task_id": 3, "text": "Sub.", "code": "def sub(a, b):\n    return a - b", "test_list": ["assert sub(3, 2) == 1"]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    good, bad = _split(list(load_source(SourceConfig(path=str(path), style="mbpp"))))
    assert len(good) == 2
    assert len(bad) == 1 and bad[0].reason.startswith("row 2: SyntaxError"), bad


def test_a_parquet_value_that_is_not_utf8_costs_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    prompts = pa.array([b"1+1?", b"bad \xff", b"2+2?"], type=pa.binary()).cast(pa.string(), safe=False)
    pq.write_table(pa.table({"problem_id": ["a", "b", "c"], "domain": ["math"] * 3, "prompt": prompts, "answer": ["2", "3", "4"]}), path)
    good, bad = _split(list(load_source(SourceConfig(path=str(path)))))
    assert [p.problem_id for p in good] == ["a", "c"]
    assert len(bad) == 1 and bad[0].reason == "row 2: not UTF-8 in column prompt", bad


def test_files_that_are_not_what_their_name_says_are_a_source_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.parquet"
    fake.write_text("this is not parquet")
    with pytest.raises(SourceError, match="not a readable Parquet file"):
        list(load_source(SourceConfig(path=str(fake))))
    import gzip

    zipped = tmp_path / "problems.jsonl"
    zipped.write_bytes(gzip.compress(json.dumps(GOOD_MATH).encode()))
    with pytest.raises(SourceError, match="gzip-compressed"):
        list(load_source(SourceConfig(path=str(zipped))))


def test_a_problem_the_verify_stage_could_not_read_back_is_a_bad_row(tmp_path: Path) -> None:
    """Nested 200 deep it serialises, but pydantic's JSON reader stops before that."""
    nested: dict = {}
    for _ in range(200):
        nested = {"k": nested}
    path = tmp_path / "problems.jsonl"
    path.write_text(json.dumps({**GOOD_MATH, "metadata": nested}) + "\n" + json.dumps({**GOOD_MATH, "problem_id": "m2"}) + "\n")
    good, bad = _split(list(load_source(SourceConfig(path=str(path)))))
    assert [p.problem_id for p in good] == ["m2"]
    assert len(bad) == 1 and "cannot be read back from JSON" in bad[0].reason and bad[0].problem_id == "m1"


def test_a_byte_order_mark_does_not_cost_the_first_row(tmp_path: Path) -> None:
    path = tmp_path / "problems.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD_MATH).encode() + b"\n")
    good, bad = _split(list(load_source(SourceConfig(path=str(path)))))
    assert [p.problem_id for p in good] == ["m1"] and not bad


def test_a_bad_data_file_in_a_directory_is_named_with_its_cause(tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    (files / "train.jsonl").write_text(json.dumps(GOOD_MATH) + '\n{"problem_id": "bad\n')
    with pytest.raises(SourceError) as caught:
        list(load_source(SourceConfig(path=str(files))))
    message = str(caught.value)
    assert "datasets cannot load it" in message and "JSON parse error" in message and "row 1" in message, message


def _call_problem(pid: str, case: str) -> str:
    head = json.dumps({"problem_id": pid, "domain": "code", "prompt": "def f(n):\n", "entry_point": "f"})[:-1]
    return head + ', "tests": {"kind": "call", "fn_name": "f", "cases": [' + case + ', {"args": [3], "expected": 3}]}}'


def test_call_cases_the_judge_could_not_be_given_are_bad_rows(tmp_path: Path) -> None:
    """A red team's finds (session 31): `Infinity` and `NaN` (Python's `json` reads and writes them)
    became null on the way to the judge, so `return None` passed and the correct `float('inf')`
    failed; a case without `expected` (missing or misspelled) compared with None, so `pass` bodies
    passed. Each is now its row's reason; an explicit `null` and Python literals still work."""
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join([
        _call_problem("inf", '{"args": [-1], "expected": Infinity}'),
        _call_problem("nan_arg", '{"args": [[1.0, NaN]], "expected": 1}'),
        _call_problem("missing", '{"args": [-1]}'),
        _call_problem("null", '{"args": [-1], "expected": null}'),
    ]) + "\n" + json.dumps({"problem_id": "literal", "domain": "code", "prompt": "def f(n):\n", "entry_point": "f", "tests": {
        "kind": "call", "fn_name": "f", "values": "python", "cases": [{"args": ["-1"], "expected": "1e999"}]}}) + "\n")
    out = {getattr(item, "problem_id", None) or item.reason.split(":")[0]: item for item in load_source(SourceConfig(path=str(path)))}
    reasons = [item.reason for item in out.values() if isinstance(item, BadRow)]
    assert len(reasons) == 3, reasons
    assert sum("expected is not a finite number" in r for r in reasons) == 1 and sum("args is not a finite number" in r for r in reasons) == 1
    assert sum("gives no expected value" in r for r in reasons) == 1
    assert isinstance(out["null"], CodeProblem) and isinstance(out["literal"], CodeProblem)
    assert out["literal"].tests.read_cases()[0][2] == float("inf")  # type: ignore[union-attr]


def test_nested_struct_columns_of_mixed_test_kinds_are_read(tmp_path: Path) -> None:
    """pyarrow, pandas and `datasets` write a `tests` column of dicts as one struct type: every row
    gets every kind's keys, null where its kind has none. Such rows were all rejected ("Extra
    inputs are not permitted"); an unknown key with a value still is."""
    rows = [
        {**GOOD_CODE, "problem_id": "c1", "tests": {"kind": "call", "fn_name": "f", "cases": [{"args": [1], "expected": 2}], "code": None}},
        {**GOOD_CODE, "problem_id": "c2", "tests": {"kind": "assert", "fn_name": None, "cases": None, "code": "assert f(1) == 2"}},
    ]
    path = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    out = list(load_source(SourceConfig(path=str(path))))
    assert [(type(item).__name__, item.problem_id) for item in out] == [("CodeProblem", "c1"), ("CodeProblem", "c2")], out
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**GOOD_CODE, "tests": {"kind": "assert", "code": "assert f(1) == 2", "fn_name": "f"}}) + "\n")
    [item] = load_source(SourceConfig(path=str(bad)))
    assert isinstance(item, BadRow) and "fn_name" in item.reason
