"""Reading a completions file for `assay verify`: every row is one completion or one
reason, and a file that cannot be read at all is refused before the run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import RunConfig, SourceConfig
from pipeline.generators.registry import GeneratorConfig
from pipeline.generators.replay import ReplayConfig, scan_completions
from pipeline.plan import check_sources
from pipeline.sources.load import SourceError
from pipeline.storage import excerpt


def test_a_parquet_completion_that_is_not_utf8_costs_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    texts = pa.array([b"\\boxed{2}", b"bad \xff\xfe", b"\\boxed{3}"], type=pa.binary()).cast(pa.string(), safe=False)
    pq.write_table(pa.table({"problem_id": ["m1"] * 3, "completion": texts}), path)
    rows = list(scan_completions(str(path)))
    assert [r.completion.completion if r.completion else None for r in rows] == ["\\boxed{2}", None, "\\boxed{3}"]
    assert rows[1].error == "row 2: not UTF-8 in column completion"
    assert [r.locator for r in rows] == [0, 1, 2]


def test_blank_lines_are_not_rows_and_a_bom_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    first, second = json.dumps({"problem_id": "m1", "completion": "a"}), json.dumps({"problem_id": "m1", "completion": "b"})
    path.write_bytes(b"\xef\xbb\xbf" + first.encode() + b"\n\n   \n" + second.encode() + b"\n")
    rows = list(scan_completions(str(path)))
    assert [(r.where, r.completion.completion) for r in rows] == [("line 1", "a"), ("line 4", "b")]


def test_a_bad_row_keeps_its_problem_id_and_an_excerpt(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"problem_id": "m1", "completion": 42}) + "\n" + '{"problem_id": "m2", \n')
    typed, broken = scan_completions(str(path))
    assert typed.error.startswith("line 1: completion") and typed.problem_id == "m1" and '"completion": 42' in typed.excerpt
    assert broken.error.startswith("line 2: bad JSON") and broken.excerpt.startswith('{"problem_id": "m2"')


@pytest.mark.parametrize("kind", ["not parquet", "gzip"])
def test_an_unreadable_completions_file_is_refused_before_the_run(tmp_path: Path, kind: str) -> None:
    if kind == "gzip":
        path = tmp_path / "c.jsonl"
        path.write_bytes(gzip.compress(json.dumps({"problem_id": "m1", "completion": "a"}).encode()))
    else:
        path = tmp_path / "c.parquet"
        path.write_text("this is not parquet")
    config = RunConfig(sources=[SourceConfig(path="builtin:math-synth", n=2)],
                       generator=GeneratorConfig(engine=ReplayConfig(path=str(path))))  # fmt: skip
    with pytest.raises(SourceError, match="gzip-compressed" if kind == "gzip" else "not a readable Parquet file"):
        check_sources(config)


def test_a_file_that_breaks_partway_ends_the_scan_with_one_reason(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    table = pa.table({"problem_id": ["m1"] * 3000, "completion": [f"\\boxed{{{i}}}" for i in range(3000)]})
    pq.write_table(table, path, row_group_size=1000)
    data = path.read_bytes()
    footer = len(data) - 8 - int.from_bytes(data[-8:-4], "little")  # where the metadata starts
    cut = footer * 3 // 4  # inside the last row group: the first ones stay readable
    path.write_bytes(data[:cut] + b"\0" * (footer - cut) + data[footer:])
    rows = list(scan_completions(str(path)))
    assert rows[-1].completion is None and rows[-1].error.startswith("the rest of the file cannot be read")
    assert sum(r.error is not None for r in rows) == 1 and 1000 <= len(rows) - 1 < 3000


def test_a_file_unreadable_from_its_start_is_one_reason_that_says_so(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(gzip.compress(b'{"problem_id": "m1", "completion": "a"}\n'))
    (row,) = scan_completions(str(path))
    assert row.completion is None and row.error.startswith("the file cannot be read") and "gzip" in row.error


def test_an_excerpt_of_a_row_too_deep_for_json_shows_its_keys() -> None:
    deep: object = 1
    for _ in range(5000):  # deeper than json.dumps can go
        deep = [deep]
    assert excerpt({"problem_id": "m1", "x": deep}) == "['problem_id', 'x']"
    assert excerpt(b"\xff" + b"a" * 600) == "\ufffd" + "a" * 499  # a raw line: cut, never undecodable


def test_a_misspelled_finish_reason_is_an_error_other_extra_keys_are_ignored(tmp_path: Path) -> None:
    """`finish_reson: length` was dropped with the other unknown keys, and a text cut by max_tokens
    was judged as if complete; `score` or `sample_idx` from another tool's export are no fields."""
    path = tmp_path / "c.jsonl"
    rows = [{"problem_id": "m1", "completion": "7", "finish_reson": "length"},
            {"problem_id": "m1", "completion": "7", "stop_reason": "max_tokens"},
            {"problem_id": "m1", "completion": "7", "score": 1.0, "sample_idx": 3, "logprobs": None},
            {"problem_id": "m1", "completion": "7", "finish_reason": "stop", "finish_reasons": ["stop"]}]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    typo, anthropic, extra, both = scan_completions(str(path))
    assert typo.completion is None and typo.error.startswith("line 1: finish_reson: unknown field") and typo.problem_id == "m1"
    assert anthropic.completion is None and "finish_reason: length" in anthropic.error
    assert extra.error is None and extra.completion.completion == "7"
    assert both.error is None and both.completion.finish_reason == "stop"


def _rotated_completions(tmp_path: Path, kind: str) -> tuple[RunConfig, Path, list[dict]]:
    """Four math problems and one completion each, every row the same length."""
    problems = tmp_path / "p.jsonl"
    problems.write_text("".join(json.dumps({"problem_id": f"m{i}", "domain": "math", "prompt": "?", "answer": str(i)}) + "\n" for i in range(4)))
    rows = [{"problem_id": f"m{i}", "completion": f"so \\boxed{{{i}}}"} for i in range(4)]
    path = tmp_path / f"c.{kind}"
    _write_completions(path, rows)
    config = RunConfig(sources=[SourceConfig(path=str(problems))], generator=GeneratorConfig(engine=ReplayConfig(path=str(path))))
    return config, path, rows


def _write_completions(path: Path, rows: list[dict]) -> None:
    if path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    else:
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def _generate(config: RunConfig, planned: list) -> list[dict]:
    """The plan's requests through the real generate stage, then the verify stage."""
    import numpy as np

    from pipeline.stages import GenerateStage, VerifyStage

    requests = [row for row in planned if row[0] == "request"]
    batch = {name: np.array([row[i] for row in requests], dtype=object) for i, name in enumerate(("kind", "row", "problem"))}
    generated = GenerateStage(generator_config=config.generator.model_dump_json())(batch)
    judged = VerifyStage(run_config=config.model_dump_json(), run_id="r")({k: np.array(v, dtype=object) for k, v in generated.items()})
    return [{"kind": kind, **json.loads(row)} for kind, row in zip(judged["kind"], judged["row"], strict=True)]


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_a_completions_file_rewritten_during_the_run_gives_errors_not_other_rows_verdicts(tmp_path: Path, kind: str) -> None:
    from pipeline.generators.replay import plan_replay
    from pipeline.store.idset import IdSet

    config, path, rows = _rotated_completions(tmp_path, kind)
    planned = list(plan_replay(config, IdSet().keys(), "r"))
    # Replaced after planning by the same rows in another order (same sizes, so every
    # position still parses): each position now holds the next problem's completion.
    _write_completions(path, rows[1:] + rows[:1])
    out = _generate(config, planned)
    assert len(out) == 4 and {r["kind"] for r in out} == {"error"}, out
    for row in out:
        assert row["stage"] == "generate" and row["sample_id"] and row["problem_id"] in {"m0", "m1", "m2", "m3"}
        assert row["reason"].startswith("the completions file changed during the run: ")
        assert "now holds another row" in row["reason"]


def test_a_completions_file_cut_short_during_the_run_gives_errors(tmp_path: Path) -> None:
    from pipeline.generators.replay import plan_replay
    from pipeline.store.idset import IdSet

    config, path, rows = _rotated_completions(tmp_path, "jsonl")
    planned = list(plan_replay(config, IdSet().keys(), "r"))
    _write_completions(path, rows[:1])
    out = _generate(config, planned)
    (kept,) = [r for r in out if r["kind"] == "sample"]  # the first row is still where it was
    assert kept["problem_id"] == "m0" and kept["status"] == "pass" and len(out) == 4
    assert all(r["reason"].startswith("the completions file changed during the run") for r in out if r["kind"] == "error")
    path.unlink()
    out = _generate(config, planned)
    assert [r["kind"] for r in out] == ["error"] * 4
    assert all("changed during the run: cannot open it again" in r["reason"] for r in out)


def test_a_problems_file_labelled_completions_does_not_share_error_ids_with_the_completions(tmp_path: Path) -> None:
    """`completions.jsonl` as the problems file has replay's label: a bad line 2 in each file
    gave one error id, and the store kept one of the two errors."""
    from pipeline.generators.replay import plan_replay
    from pipeline.store import RunStore
    from pipeline.store.idset import IdSet

    problems = tmp_path / "completions.jsonl"
    problems.write_text(json.dumps({"problem_id": "m1", "domain": "math", "prompt": "1+1?", "answer": "2"}) + "\ngarbage\n")
    completions = tmp_path / "c.jsonl"
    completions.write_text(json.dumps({"problem_id": "m1", "completion": "\\boxed{2}"}) + "\ngarbage\n")
    config = RunConfig(sources=[SourceConfig(path=str(problems))], generator=GeneratorConfig(engine=ReplayConfig(path=str(completions))))
    assert config.sources[0].label == "completions"
    errors = [json.loads(row) for kind, row, _ in plan_replay(config, IdSet().keys(), "r") if kind == "error"]
    assert [(e["source"], e["reason"][:20]) for e in errors] == [("completions", "line 2: bad JSON: Ex")] * 2
    with RunStore(str(tmp_path / "out"), "r", {}, "h") as store:
        assert store.add_errors(errors) == 2


def test_input_files_gone_after_the_start_check_are_error_rows_not_a_crash(tmp_path: Path) -> None:
    """Deleted between `check_sources` and planning: the planning task died with a Ray
    traceback (FileNotFoundError), where the documented result is an input error."""
    from pipeline.generators.replay import plan_replay
    from pipeline.plan import Tally, plan_source
    from pipeline.store.idset import IdSet

    problems = tmp_path / "p.jsonl"
    problems.write_text(json.dumps({"problem_id": "m1", "domain": "math", "prompt": "1+1?", "answer": "2"}) + "\n")
    completions = tmp_path / "c.jsonl"
    completions.write_text(json.dumps({"problem_id": "m1", "completion": "\\boxed{2}"}) + "\n")
    config = RunConfig(sources=[SourceConfig(path=str(problems))], generator=GeneratorConfig(engine=ReplayConfig(path=str(completions))))
    check_sources(config)
    completions.unlink()
    (row,) = scan_completions(str(completions))
    assert row.completion is None and row.error.startswith("the file cannot be read: [Errno 2] No such file or directory")
    planned = list(plan_replay(config, IdSet().keys(), "r"))
    errors = [json.loads(text) for kind, text, _ in planned if kind == "error"]
    assert [(e["stage"], e["source"], e["reason"][:26]) for e in errors] == [("input", "completions", "the file cannot be read: [")]
    tally = Tally.model_validate_json(planned[-1][1])
    assert (tally.source, tally.input_rows, tally.rejected_rows, tally.expected) == ("completions", 1, 1, 0)
    # The problems file replaced by something that exists but cannot be opened (a socket):
    # the OSError a file gets when it goes between the existence check and the open.
    import socket

    problems.unlink()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(problems))
        planned = list(plan_source(config, config.sources[0], IdSet().keys(), "r"))
    (kind, text, _), (last, tally_text, _) = planned
    error = json.loads(text)
    assert kind == "error" and error["stage"] == "input" and error["source"] == "p"
    assert error["reason"].startswith(f"source stopped being readable: {problems}: [Errno 6] No such device or address")
    assert last == "planned" and Tally.model_validate_json(tally_text).rejected_rows == 1
