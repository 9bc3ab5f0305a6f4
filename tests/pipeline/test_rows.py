"""The row contracts (`pipeline.rows`) and run identity (`pipeline.identity`): pure, no Ray."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from pydantic import ValidationError

from pipeline.config import RunConfig
from pipeline.identity import identity
from pipeline.plan import generator_fingerprint
from pipeline.rows import REPORT_COLUMNS, ErrorRow, ProblemKey, SampleRow, SamplingParams
from pipeline.store.schema import ERROR_SCHEMA, SAMPLE_SCHEMA
from verifiers.schema import Status, Verdict

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def _sample(**changes: object) -> SampleRow:
    fields = dict(
        sample_id="s1", problem_id="p1", source="src", domain="math", sample_index=0, prompt="1+1?",
        completion="\\boxed{2}", extracted="2", answer_source="boxed", finish_reason="stop", status="pass",
        passed=True, tests_passed=1, tests_total=1, reason="", duration_s=0.01, verifier_cpu_s=0.0, model="m",
        sampling=SamplingParams(temperature=0.8, top_p=0.95, max_tokens=64, seed=7), prompt_tokens=5,
        completion_tokens=3, generation_s=0.2, run_id="r", created_at=NOW,
    )  # fmt: skip
    return SampleRow(**{**fields, **changes})


def test_the_published_columns() -> None:
    """The shard layout other tools read: a change here is a contract change."""
    assert SAMPLE_SCHEMA.names == [
        "sample_id", "problem_id", "source", "domain", "sample_index", "prompt", "completion", "language", "extracted",
        "answer_source", "finish_reason", "status", "passed", "tests_passed", "tests_total", "reason", "duration_s",
        "verifier_cpu_s", "cpu_limit_s", "score", "model", "sampling", "prompt_tokens", "completion_tokens", "generation_s",
        "run_id", "created_at",
    ]  # fmt: skip
    assert SAMPLE_SCHEMA.field("cpu_limit_s").type == pa.float64() and SAMPLE_SCHEMA.field("cpu_limit_s").nullable
    assert SAMPLE_SCHEMA.field("sampling").type == pa.struct(
        [("temperature", pa.float64()), ("top_p", pa.float64()), ("max_tokens", pa.int64()), ("seed", pa.int64())]
    )
    assert SAMPLE_SCHEMA.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert SAMPLE_SCHEMA.field("passed").type == pa.bool_() and SAMPLE_SCHEMA.field("tests_total").type == pa.int64()
    assert ERROR_SCHEMA.names == ["error_id", "stage", "source", "problem_id", "sample_id", "reason", "row", "run_id", "created_at"]
    assert set(REPORT_COLUMNS) <= set(SAMPLE_SCHEMA.names) and "passed" in REPORT_COLUMNS and "prompt" not in REPORT_COLUMNS


def test_a_sample_row_survives_a_shard_round_trip() -> None:
    row = _sample()
    table = pa.Table.from_pylist([row.model_dump()], schema=SAMPLE_SCHEMA)
    assert SampleRow(**table.to_pylist()[0]) == row
    no_sampling = _sample(sampling=None, extracted=None, finish_reason=None)
    assert SampleRow(**pa.Table.from_pylist([no_sampling.model_dump()], schema=SAMPLE_SCHEMA).to_pylist()[0]) == no_sampling


def test_sample_row_of_a_generation_and_verdict() -> None:
    from pipeline.generators.base import Generation

    generation = Generation(sample_id="s", source="a", problem_id="p", sample_index=2, completion="x", model="m", finish_reason="length")
    verdict = Verdict.of(Status.fail, "wrong", tests_passed=1, tests_total=3, cpu_s=0.5)
    row = SampleRow.of(generation, "the prompt", "code", verdict, "run", NOW)
    assert (row.status, row.passed, row.tests_passed, row.tests_total, row.verifier_cpu_s) == ("fail", False, 1, 3, 0.5)
    assert (row.sample_index, row.finish_reason, row.prompt, row.domain) == (2, "length", "the prompt", "code")


def test_one_error_id_recipe() -> None:
    a = ErrorRow.of("verify", "boom", "r1", source="s", problem_id="p", sample_id="x", at=NOW)
    again = ErrorRow.of("verify", "boom", "r2", source="s", problem_id="p", sample_id="x")
    assert a.error_id == again.error_id  # the same failure of the same sample: stored once across attempts
    assert a.error_id != ErrorRow.of("verify", "other", "r1", source="s", problem_id="p", sample_id="x").error_id
    assert a.error_id != ErrorRow.of("generate", "boom", "r1", source="s", problem_id="p", sample_id="x").error_id
    assert a.error_id != ErrorRow.of("verify", "boom", "r1", source="s", problem_id="p", sample_id="y").error_id


def test_error_rows_escape_what_utf8_cannot_hold() -> None:
    row = ErrorRow.of("input", "bad \udcff here", "r", row="\ud800")
    assert row.reason == "bad \\udcff here" and row.row == "\\ud800"
    row.reason.encode("utf-8")  # storable
    with pytest.raises(ValidationError):
        ErrorRow.of("nowhere", "x", "r")  # type: ignore[arg-type]


def test_problem_key() -> None:
    key = ProblemKey("humaneval", "HumanEval/0")
    assert key == ("humaneval", "HumanEval/0") and key != ProblemKey("mbpp", "HumanEval/0")
    assert key != ProblemKey("humaneval\x00Human", "Eval/0")  # no string joining: no collisions
    assert {key: 1}[ProblemKey("humaneval", "HumanEval/0")] == 1


BASE = {"sources": [{"path": "builtin:math-synth"}]}


def _config(**generator: object) -> RunConfig:
    return RunConfig.model_validate({**BASE, "generator": generator})


def test_identity_leaves_out_only_the_marked_fields() -> None:
    config = RunConfig.model_validate({**BASE, "verify": {"actors": 3, "self_test": False}, "output": {"dir": "x"}})
    data = identity(config)
    assert "output" not in data and "ray" not in data and "run_id" not in data
    assert "actors" not in data["verify"] and data["verify"]["self_test"] is False
    assert "n" not in data["generator"]["sampling"] and "batch_size" not in data["generator"]["engine"]
    assert "n_ctx" in data["generator"]["engine"] and "workers" not in data["sandbox"]


def test_generator_fingerprint_is_the_generators_identity() -> None:
    base = generator_fingerprint(_config())
    assert base == generator_fingerprint(_config(sampling={"n": 64}))  # more samples extend the run
    assert base == generator_fingerprint(_config(engine={"backend": "llamacpp", "actors": 2, "cpus_per_actor": 2}))
    assert base != generator_fingerprint(_config(sampling={"temperature": 0.1}))
    assert base != generator_fingerprint(_config(engine={"backend": "llamacpp", "n_ctx": 1024}))
    assert base != generator_fingerprint(_config(prompts={"math": "Answer: {prompt}"}))
    openai = {"backend": "openai", "model": "m", "base_url": "http://a"}
    assert generator_fingerprint(_config(engine=openai)) == generator_fingerprint(_config(engine={**openai, "concurrency": 5}))
    assert generator_fingerprint(_config(engine=openai)) != generator_fingerprint(_config(engine={**openai, "model": "m2"}))
