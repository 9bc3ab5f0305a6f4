"""The quickstart config itself, exactly as `make run` runs it: embedded model, built-in
problems (easy ones the 135M model solves some of the time beside harder ones), local
Ray and sandbox. A first run must end with real training rows that load in the tools a
data team uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.run import run_pipeline
from tests.pipeline.e2e import read_run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_quickstart_keeps_passing_samples_in_both_domains(tmp_path: Path) -> None:
    import datasets
    import duckdb
    import polars

    config = load_config(ROOT / "configs" / "quickstart.yaml")
    out = tmp_path / "quickstart"
    seen: list[tuple[int | None, int, int]] = []  # (expected, done, judged) at each progress update
    summary = run_pipeline(config, out=str(out), progress=lambda p: seen.append((p.expected, p.done, p.judged)))
    assert summary.status == "complete"
    # Progress a person can read: the total is known before the first verdicts, never a
    # part of it (done over total read as 300%), and verdicts come a problem at a time.
    first = next(snapshot for snapshot in seen if snapshot[2])
    assert first[0] == 120 and first[1] <= 2 * config.generator.sampling.n, first
    assert all(expected is None or done <= expected for expected, done, _ in seen), seen
    assert len({done for _, done, _ in seen}) >= 10 and seen[-1][:2] == (120, 120)
    assert summary.problems == 30 and summary.samples == summary.expected_samples == 120
    # Seeded sampling: the same passes on every run on this machine; at least one per domain.
    assert summary.by_domain["code"].passed >= 1 and summary.by_domain["math"].passed >= 1, summary.by_domain
    manifest, verdicts, data, errors = read_run(out)
    assert errors is None and data is not None and data.num_rows == summary.passed
    rows = str(out / "data" / "*.parquet")
    loaded = datasets.load_dataset("parquet", data_files=rows, split="train")
    assert len(loaded) == summary.passed and all(loaded["passed"]) and set(loaded["status"]) == {"pass"}
    frame = polars.read_parquet(rows)
    assert frame.height == summary.passed and set(frame["domain"].unique().to_list()) == {"code", "math"}
    count = duckdb.sql(f"SELECT count(*), count(DISTINCT sample_id) FROM '{rows}'").fetchall()
    assert count == [(summary.passed, summary.passed)]
    every = datasets.load_dataset("parquet", data_files=str(out / "verdicts" / "*.parquet"), split="train")
    assert len(every) == 120 == manifest["counts"]["samples"] and len(set(every["sample_id"])) == 120
