"""`ShardWriter`: shards written on Ray workers instead of the driver
(`output.writes: workers`).

The driver is the one serial part of a run: on the default path it reads every judged
row, checks its id and encodes it into Parquet (about 35 µs a row, `bench/driver_rows.py`),
so a cluster judging faster than some 20,000 samples a second waits for it. With
`writes: workers` this stage, after verification, encodes and writes each batch of
`shard_rows` rows itself, under a name no other writer uses (`part-w<random>`), and sends
the driver one small `written` row: the shard records, the ids and the counts. The
driver commits them by listing them in manifest.json (`RunStore.add_written`), so the
commit point, the lock and exactly-once are the same as on the driver's path: a file
nobody listed is deleted when the run is next opened.

What it costs: Ray Data gives a writer whole upstream blocks of at least `shard_rows`
rows and cuts them into batches of `shard_rows`, so most shards hold `shard_rows` rows
and some fewer; a shard is written only when its rows have reached the writer or the
input ends, so `output.commit_every_s` does not apply, and a killed run redoes the rows
its writers held (a few shards' worth each: Ray Data keeps two tasks in flight per
actor). Worth it where verification is fast and the rows many; for LLM-bound runs the
driver's path loses less on a kill.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from pydantic import ValidationError

from pipeline.rows import ErrorRow, SampleRow
from pipeline.storage import is_local, resolve
from pipeline.store.files import storable, write_samples
from pipeline.store.manifest import WrittenShards

WRITTEN = "written"  # the kind of the rows this stage sends the driver


def _ids(text: str) -> dict[str, str]:
    """source, problem_id and sample_id of a row its model would not read."""
    try:
        row = json.loads(text)  # lenient where pydantic is not (lone surrogate escapes)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        return {}
    return {k: str(row[k]) for k in ("source", "problem_id", "sample_id") if isinstance(row, dict) and row.get(k) is not None}


class ShardWriter:
    """Ray Data stage: `sample` rows in, written as a verdicts shard (and a data shard of
    the passing ones); out, one `written` row per batch, and every other row (errors,
    the planners' tallies) unchanged: errors are few, and the driver drops the ones a
    rerun meets again (their ids are deterministic)."""

    def __init__(self, location: str, compression: str, run_id: str) -> None:
        self.fs, self.root = resolve(location)
        self.local = is_local(location)
        self.compression = None if compression == "none" else compression
        self.run_id = run_id

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        out: list[tuple[str, str]] = []
        samples: list[dict] = []
        for kind, text in zip(batch["kind"], batch["row"], strict=True):
            if kind != "sample":
                out.append((kind, text))  # errors too: few and small, the driver stores them (and drops repeats)
                continue
            try:
                samples.append(SampleRow.model_validate_json(text).model_dump())
            except ValidationError as exc:  # our stages never send one; if they do, that row fails alone
                reason = f"cannot store this sample row: {str(exc)[:500]}"
                out.append(("error", ErrorRow.of("write", reason, self.run_id, row=str(text)[:2000], **_ids(text)).model_dump_json()))
        samples, unstorable = storable(samples)
        out.extend(("error", ErrorRow.model_validate(row).model_dump_json()) for row in unstorable)
        if samples:
            out.append((WRITTEN, self._write(samples).model_dump_json()))
        return {"kind": [k for k, _ in out], "row": [r for _, r in out], "problem": [None] * len(out)}

    def _write(self, samples: list[dict]) -> WrittenShards:
        name = f"part-w{secrets.token_hex(8)}"  # unique: no other writer, now or after a retry, uses it
        shards, counts = write_samples(self.fs, self.root, self.local, name, samples, self.compression)
        return WrittenShards(
            shards=shards,
            sample_ids=[row["sample_id"] for row in samples],
            counts=counts,
            completion_tokens=sum(row["completion_tokens"] for row in samples),
        )
