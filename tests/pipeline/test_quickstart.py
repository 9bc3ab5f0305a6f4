"""The quickstart config itself (what `make run` runs), with shorter completions to keep
the suite fast: 20 HumanEval + 30 synthesized math problems, 4 samples each, embedded
model, local Ray and sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.run import run_pipeline
from tests.pipeline.e2e import read_run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quickstart_sized_run(tmp_path: Path) -> None:
    import datasets

    config = load_config(ROOT / "configs" / "quickstart.yaml")
    sampling = config.generator.sampling.model_copy(update={"max_tokens": 32})
    config = config.model_copy(update={"generator": config.generator.model_copy(update={"sampling": sampling})})
    summary = run_pipeline(config, out=str(tmp_path / "quickstart"))
    assert summary.status == "complete"
    assert summary.problems == 50 and summary.samples == summary.expected_samples == 200
    assert {d: s.samples for d, s in summary.by_domain.items()} == {"code": 80, "math": 120}
    manifest, verdicts, data, errors = read_run(tmp_path / "quickstart")
    assert errors is None
    loaded = datasets.load_dataset("parquet", data_files=str(tmp_path / "quickstart" / "verdicts" / "*.parquet"), split="train")
    assert len(loaded) == 200 == manifest["counts"]["samples"]
    assert len(set(loaded["sample_id"])) == 200
    assert sum(manifest["counts"]["by_status"].values()) == 200
    passed = sum(loaded["passed"])
    assert passed == manifest["counts"]["passed"] == (0 if data is None else data.num_rows)
    if data is not None:
        shards = datasets.load_dataset("parquet", data_files=str(tmp_path / "quickstart" / "data" / "*.parquet"), split="train")
        assert all(shards["passed"]) and set(shards["status"]) == {"pass"}
