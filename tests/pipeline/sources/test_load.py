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
