"""Property-based fuzzing of every row a run reads: no row can stop a run.

Arbitrary Unicode (lone surrogates and control characters included), huge strings,
deep nesting, wrong types and duplicate ids, in completions, problem rows, whole files
and configs. Each property: nothing raises, and every input row ends as exactly one
verdict or one error with a reason; a full run on fuzzed files completes and a rerun
adds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from pipeline.config import ConfigError, RunConfig, SourceConfig, load_config
from pipeline.generators.base import Generation
from pipeline.generators.registry import GeneratorConfig
from pipeline.generators.replay import ReplayConfig, scan_completions
from pipeline.sources.load import BadRow, load_source
from verifiers.text import lone_surrogate

# Every code point, surrogates included (hypothesis leaves category Cs out by default).
ANY_CHAR = st.characters(exclude_categories=())
TEXT = st.text(ANY_CHAR, max_size=40) | st.sampled_from(["", "\x00", "\udcff", "\ud800x", "😀", "\u202e", "[/bold]", "x" * 5000])
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
PROBLEM_ID = st.sampled_from(["m0", "m1", "m2"]) | TEXT | st.integers() | st.none()
GZIP_MAGIC = b"\x1f\x8b"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def completion_line(draw) -> bytes:
    """One line of a completions file: mostly rows that look right, some that do not."""
    kind = draw(st.sampled_from(["row", "row", "row", "json", "bytes", "deep", "huge_int"]))
    if kind == "huge_int":  # past Python's 4300-digit guard on int conversion: json.loads raises ValueError
        return b'{"problem_id": "m0", "completion": "\\\\boxed{1}", "n": ' + b"7" * draw(st.integers(4301, 20_000)) + b"}"
    if kind == "bytes":
        return draw(st.binary(max_size=60)).replace(b"\n", b" ")
    if kind == "deep":  # written by hand: json.dumps itself cannot nest this deep
        depth = draw(st.integers(1, 100_000))
        return b'{"problem_id": "m0", "completion": ' + b"[" * depth + b'"deep"' + b"]" * depth + b"}"
    if kind == "json":
        return json.dumps(draw(JSON_VALUE)).encode()
    row = {"problem_id": draw(PROBLEM_ID), "completion": draw(TEXT | st.sampled_from(["\\boxed{1}", "so \\boxed{2}"]) | JSON_VALUE)}
    if draw(st.booleans()):
        row["sample_id"] = draw(st.sampled_from(["dup", "dup2"]) | TEXT)
    if draw(st.booleans()):
        row["model"] = draw(TEXT | JSON_VALUE)
    return json.dumps(row).encode()


@st.composite
def problem_row(draw) -> dict:
    row = {"problem_id": draw(PROBLEM_ID), "domain": draw(st.sampled_from(["math", "code", "cobol"]) | TEXT)}
    for key in ("prompt", "answer", "tests", "metadata", "entry_point"):
        if draw(st.booleans()):
            row[key] = draw(TEXT | JSON_VALUE)
    if draw(st.booleans()):
        row[draw(TEXT)] = draw(JSON_VALUE)
    if draw(st.integers(0, 9)) == 0:  # call tests nested deeper than a serialiser goes
        value: object = "deep"
        for _ in range(draw(st.integers(1, 900))):
            value = [value]
        row.update(domain="code", prompt="p", tests={"kind": "call", "fn_name": "f", "cases": [{"args": [value], "expected": value}]})
    return row


def _write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


@FUZZ
@given(lines=st.lists(completion_line(), max_size=25))
def test_every_completion_line_is_one_completion_or_one_reason(tmp_path_factory, lines) -> None:
    path = _write_lines(tmp_path_factory.mktemp("c") / "c.jsonl", lines)
    scanned = list(scan_completions(str(path)))
    if path.read_bytes().startswith(GZIP_MAGIC):  # not a text file at all: one reason for the file
        assert len(scanned) == 1 and "gzip" in scanned[0].error
        return
    assert len(scanned) == len([line for line in lines if line.strip()])  # a blank line is not a row
    for row in scanned:
        assert (row.completion is None) != (row.error is None)
        if row.completion is not None:
            assert lone_surrogate(row.completion.model_dump()) is None  # only storable text gets in
            row.completion.model_dump_json()


@FUZZ
@given(rows=st.lists(problem_row(), max_size=15))
def test_every_problem_row_is_one_problem_or_one_reason(tmp_path_factory, rows) -> None:
    path = _write_lines(tmp_path_factory.mktemp("p") / "p.jsonl", [json.dumps(r).encode() for r in rows])
    out = list(load_source(SourceConfig(path=str(path))))
    assert len(out) == len(rows)
    for item in out:
        if isinstance(item, BadRow):
            assert item.reason
        else:
            item.model_dump_json()  # a problem is always storable and sendable


def test_a_number_past_pythons_digit_limit_is_one_bad_row(tmp_path) -> None:
    """`json.loads` raises a plain ValueError on an integer of more than 4300 digits; one such
    row anywhere in a problems file stopped the whole run (RayTaskError) before."""
    good = json.dumps({"problem_id": "m1", "domain": "math", "prompt": "1+1?", "answer": "2"}).encode()
    huge = b'{"problem_id": "m2", "domain": "math", "prompt": "x", "answer": "1", "n": ' + b"7" * 5000 + b"}"
    out = list(load_source(SourceConfig(path=str(_write_lines(tmp_path / "p.jsonl", [good, huge, good.replace(b"m1", b"m3")])))))
    assert [type(item).__name__ for item in out] == ["MathProblem", "BadRow", "MathProblem"]
    assert "more than 4300 digits" in out[1].reason  # type: ignore[union-attr]


@FUZZ
@given(completion=TEXT | st.text(ANY_CHAR, min_size=1000, max_size=3000), model=TEXT)
def test_every_generation_serialises(completion, model) -> None:
    row = Generation(sample_id="s", source="t", problem_id="p", sample_index=0, completion=completion, model="m")
    again = Generation.model_validate_json(row.model_dump_json())
    assert (again.unstorable is None) == (lone_surrogate(completion) is None)
    assert again.completion == completion or again.unstorable


@FUZZ
@given(texts=st.lists(TEXT, min_size=1, max_size=8))
def test_the_store_writes_every_row_or_says_why(tmp_path_factory, texts) -> None:
    """Last line of defence: rows with text UTF-8 cannot hold become errors, never a
    failed shard (the stages do not produce them; the store must survive if one did)."""
    import datetime as dt

    from pipeline.store import RunStore
    from tests.pipeline.e2e import read_run

    out = tmp_path_factory.mktemp("store")
    now = dt.datetime.now(dt.UTC)
    rows = [
        {"sample_id": f"s{i}", "problem_id": text, "source": "t", "domain": "math", "sample_index": i, "prompt": text,
         "completion": text, "extracted": text, "status": "fail", "passed": False, "tests_passed": 0, "tests_total": 1,
         "reason": text, "duration_s": 0.0, "verifier_cpu_s": 0.0, "model": "m", "sampling": None, "prompt_tokens": 0,
         "completion_tokens": 0, "generation_s": 0.0, "run_id": "r", "created_at": now}
        for i, text in enumerate(texts)
    ]  # fmt: skip
    errors = [{"error_id": f"e{i}", "stage": "input", "source": "t", "problem_id": text, "sample_id": None,
               "reason": text, "row": text, "run_id": "r", "created_at": now} for i, text in enumerate(texts)]  # fmt: skip
    with RunStore(str(out), "r", {}, "h") as store:
        store.add_samples(rows)
        store.add_errors(errors)
        store.commit()
    _, verdicts, _, written_errors = read_run(out)
    verdict_ids = set(verdicts.column("sample_id").to_pylist()) if verdicts is not None else set()
    write_errors = [e for e in written_errors.to_pylist() if e["stage"] == "write"]
    assert len(verdict_ids) + len(write_errors) == len(texts)
    assert {e["sample_id"] for e in write_errors} == {f"s{i}" for i, t in enumerate(texts) if lone_surrogate(t)}
    assert all("lone surrogate" in e["reason"] for e in write_errors)
    assert sum(e["stage"] == "input" for e in written_errors.to_pylist()) == len(texts)


@FUZZ
@given(raw=st.binary(max_size=200) | JSON_VALUE.map(lambda v: json.dumps(v).encode()))
def test_any_config_file_is_a_config_or_a_clear_error(tmp_path_factory, raw) -> None:
    path = tmp_path_factory.mktemp("cfg") / "c.yaml"
    path.write_bytes(raw)
    try:
        config = load_config(path)
    except ConfigError as exc:
        assert str(exc)
    else:
        assert isinstance(config, RunConfig)


@settings(max_examples=2, deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
@given(completions=st.lists(completion_line(), min_size=20, max_size=60), problems=st.lists(problem_row(), max_size=10))
def test_a_run_on_fuzzed_files_completes_and_accounts_for_every_row(tmp_path_factory, completions, problems) -> None:
    from pipeline.run import run_pipeline
    from tests.pipeline.e2e import read_run

    assume(not completions[0].startswith(GZIP_MAGIC))  # such a file is refused before the run (test_replay_scan)
    work = tmp_path_factory.mktemp("run")
    good = [{"problem_id": f"m{i}", "domain": "math", "prompt": f"{i}?", "answer": str(i)} for i in range(3)]
    problem_lines = [json.dumps(r).encode() for r in good + problems]
    problem_file = _write_lines(work / "p.jsonl", problem_lines)
    completion_file = _write_lines(work / "c.jsonl", completions)
    config = RunConfig(
        sources=[SourceConfig(path=str(problem_file))],
        generator=GeneratorConfig(engine=ReplayConfig(path=str(completion_file))),
        output={"dir": str(work / "out")},
    )
    first = run_pipeline(config, run_id="fuzz")
    _, verdicts, _, errors = read_run(work / "out")
    verdict_rows = verdicts.num_rows if verdicts is not None else 0
    error_rows = errors.to_pylist() if errors is not None else []
    input_errors = [e for e in error_rows if e["stage"] == "input"]
    assert all(e["reason"] for e in error_rows)
    # Every problem row is a problem or one error; every completion line one verdict or one error.
    loaded = sum(not isinstance(item, BadRow) for item in load_source(config.sources[0]))
    assert sum(e["source"] != "completions" for e in input_errors) == len(problem_lines) - loaded
    assert verdict_rows + sum(e["source"] == "completions" for e in input_errors) == len([c for c in completions if c.strip()])
    assert not [e for e in error_rows if e["stage"] != "input"], error_rows
    assert first.status in ("complete", "failed")
    again = run_pipeline(config, run_id="fuzz")
    assert again.new_samples == 0 and again.new_errors == 0
