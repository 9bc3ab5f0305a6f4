"""Shards written on workers (`output.writes: workers`): `ShardWriter` writes, the
driver's `RunStore.add_written` commits; the result is the driver path's, exactly once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from pipeline.rows import ErrorRow, SampleRow
from pipeline.store import RunStore
from pipeline.store.manifest import WrittenShards
from pipeline.store.shard_writer import WRITTEN, ShardWriter
from tests.pipeline.store.test_run_store import _sample, _store


def _batch(samples: list[dict], errors: list[ErrorRow] = (), extra: list[tuple[str, str]] = ()) -> dict:
    rows = [("sample", SampleRow.model_validate(s).model_dump_json()) for s in samples]
    rows += [("error", e.model_dump_json()) for e in errors] + list(extra)
    return {"kind": np.array([k for k, _ in rows], dtype=object), "row": np.array([r for _, r in rows], dtype=object),
            "problem": np.array([None] * len(rows), dtype=object)}  # fmt: skip


def _written(out: dict) -> list[WrittenShards]:
    return [WrittenShards.model_validate_json(r) for k, r in zip(out["kind"], out["row"], strict=True) if k == WRITTEN]


def _table(root: Path, kind: str) -> list[dict]:
    manifest = json.loads((root / "manifest.json").read_text())
    rows = [r for s in manifest["shards"] if s["kind"] == kind for r in pq.read_table(root / s["path"]).to_pylist()]
    return sorted(rows, key=lambda r: r.get("sample_id") or r["error_id"])


def _passed_on(out: dict) -> list[tuple[str, str]]:
    return [(k, r) for k, r in zip(out["kind"], out["row"], strict=True) if k != WRITTEN]


def test_worker_shards_hold_what_the_driver_would_write(tmp_path: Path) -> None:
    samples = [_sample(i, i % 2 == 0) for i in range(6)]
    error = ErrorRow.of("generate", "endpoint said 500", "r", source="src", problem_id="p1", sample_id="s99")
    with _store(tmp_path / "driver", shard_rows=100) as store:
        store.add_samples(samples)
        store.add_errors([error])
        store.commit()
    with _store(tmp_path / "workers", shard_rows=100) as store:
        out = ShardWriter(str(tmp_path / "workers"), "zstd", "r")(_batch(samples, [error], [("planned", '{"x": 1}')]))
        # errors and tallies go on to the driver, which stores errors as on its own path
        assert _passed_on(out) == [("error", error.model_dump_json()), ("planned", '{"x": 1}')]
        (written,) = _written(out)
        assert store.add_written(written) == 6
        assert store.add_errors([ErrorRow.model_validate_json(r) for k, r in _passed_on(out) if k == "error"]) == 1
        store.commit()
        driver, workers = json.loads((tmp_path / "driver/manifest.json").read_text()), store.manifest
        assert workers.counts.model_dump() == driver["counts"] and workers.pass_rate == 0.5
    for kind in ("verdicts", "data", "errors"):
        assert _table(tmp_path / "workers", kind) == _table(tmp_path / "driver", kind), kind
    for shard in written.shards:
        assert shard.path.split("/")[1].startswith("part-w")
        assert hashlib.sha256((tmp_path / "workers" / shard.path).read_bytes()).hexdigest() == shard.sha256
    with _store(tmp_path / "workers") as store:  # resumable: the ids are committed
        assert len(store.committed_samples) == 6 and "s3" in store.committed_samples


def test_an_unreadable_row_becomes_a_write_error_not_a_failed_batch(tmp_path: Path) -> None:
    surrogate = SampleRow.model_validate(_sample(1, True)).model_dump_json().replace('"completion":"c"', '"completion":"lone \\ud800"')
    nested = "[" * 100_000 + "]" * 100_000  # deeper than any JSON reader recurses
    extra = [("sample", surrogate), ("sample", '{"not": "a sample"}'), ("sample", nested)]
    out = ShardWriter(str(tmp_path), "zstd", "r")(_batch([_sample(0, True)], extra=extra))
    (written,) = _written(out)
    assert written.sample_ids == ["s0"]
    errors = [ErrorRow.model_validate_json(r) for k, r in _passed_on(out) if k == "error"]
    assert [e.stage for e in errors] == ["write", "write", "write"]
    assert all(e.reason.startswith("cannot store this sample row") for e in errors)
    assert sorted(str(e.sample_id) for e in errors) == ["None", "None", "s1"]  # the id is kept where it can be read


def test_shards_with_an_already_committed_id_are_read_back_and_the_repeat_dropped(tmp_path: Path) -> None:
    # what a retried task or an id twice in the input would send: rows the run already holds
    writer = ShardWriter(str(tmp_path), "zstd", "r")
    with _store(tmp_path, shard_rows=100) as store:
        first = _written(writer(_batch([_sample(i, True) for i in range(3)])))[0]
        again = _written(writer(_batch([_sample(i, True) for i in range(2, 5)])))[0]
        twice = _written(writer(_batch([_sample(5, True), _sample(5, True)])))[0]  # repeated within one shard
        assert store.add_written(first) == 3
        assert store.add_written(again) == 2  # s2 is dropped, s3 and s4 are new
        assert store.add_written(twice) == 1
        store.commit()
        listed = {s.path for s in store.manifest.shards}
    assert not any((tmp_path / s.path).exists() for s in again.shards + twice.shards)  # taken back: files gone
    assert [r["sample_id"] for r in _table(tmp_path, "verdicts")] == ["s0", "s1", "s2", "s3", "s4", "s5"]
    assert {f"{p.parent.name}/{p.name}" for p in tmp_path.glob("*/*.parquet")} == listed
    assert json.loads((tmp_path / "manifest.json").read_text())["counts"]["samples"] == 6


def test_a_shard_the_driver_cannot_see_is_never_listed(tmp_path: Path) -> None:
    # a writer on another node, given a local path, writes to its own disk
    with _store(tmp_path) as store:
        written = _written(ShardWriter(str(tmp_path), "zstd", "r")(_batch([_sample(0, True)])))[0]
        (tmp_path / written.shards[0].path).unlink()
        with pytest.raises(RuntimeError, match="storage every node reaches"):
            store.add_written(written)
        assert store.manifest.shards == [] and "s0" not in store.committed_samples


def test_repeats_within_one_call_are_dropped_on_the_drivers_path_too(tmp_path: Path) -> None:
    error = ErrorRow.of("input", "bad row", "r", source="src", row="x")
    with _store(tmp_path, shard_rows=100) as store:
        assert store.add_samples([_sample(0, True), _sample(0, True), _sample(1, False)]) == 2
        assert store.add_errors([error, error]) == 1
        store.commit()
    assert [r["sample_id"] for r in _table(tmp_path, "verdicts")] == ["s0", "s1"]
    assert len(_table(tmp_path, "errors")) == 1


def test_worker_shards_nobody_committed_are_removed_when_the_run_opens(tmp_path: Path) -> None:
    # a killed run: the worker wrote, the driver never listed
    _written(ShardWriter(str(tmp_path), "zstd", "r")(_batch([_sample(0, True)])))
    with _store(tmp_path) as store:
        assert len(store.committed_samples) == 0
    assert not list(tmp_path.glob("*/*.parquet"))


def test_a_failed_commit_leaves_the_manifest_and_the_committed_ids_as_they_were(tmp_path: Path, monkeypatch) -> None:
    with _store(tmp_path) as store:
        written = _written(ShardWriter(str(tmp_path), "zstd", "r")(_batch([_sample(0, True)])))[0]
        monkeypatch.setattr(RunStore, "write_manifest", lambda self: (_ for _ in ()).throw(OSError(28, "No space left on device")))
        with pytest.raises(OSError):
            store.add_written(written)
        assert store.manifest.shards == [] and store.manifest.counts.samples == 0 and "s0" not in store.committed_samples
