"""Benchmark: the driver's cost per sample row, the one serial part of a run.

What the driver does with each row a verify actor sends back: validate its JSON
(`SampleRow`), check its id against the committed ids (`IdSet`), and write it into a
zstd Parquet shard. 20,000 rows of a typical math sample, in one loop, one core.

Usage: python bench/driver_rows.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.rows import SampleRow
from pipeline.store.idset import IdSet
from pipeline.store.schema import SAMPLE_SCHEMA


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    n = parser.parse_args().rows
    row = SampleRow(
        sample_id="a" * 32, problem_id="p123", source="math", domain="math", sample_index=3, prompt="What is 2+2? " * 5,
        completion="The answer is \\boxed{4}. " * 8, extracted="4", answer_source="boxed", status="pass", passed=True,
        tests_passed=1, tests_total=1, reason="same answer", duration_s=0.001, verifier_cpu_s=0.0, model="m", run_id="r",
        created_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    texts = [row.model_copy(update={"sample_id": f"{i:032x}"}).model_dump_json() for i in range(n)]
    committed = IdSet()
    started = time.perf_counter()
    rows = [SampleRow.model_validate_json(text) for text in texts]
    validated = time.perf_counter()
    dicts = [r.model_dump() for r in rows]
    fresh = [d for d in dicts if d["sample_id"] not in committed]
    for d in fresh:
        committed.add(d["sample_id"])
    checked = time.perf_counter()
    pq.write_table(pa.Table.from_pylist(fresh, schema=SAMPLE_SCHEMA), io.BytesIO(), compression="zstd")
    written = time.perf_counter()
    per = {"validate": validated - started, "dump and id check": checked - validated, "Arrow and Parquet": written - checked}
    print(", ".join(f"{k} {1e6 * v / n:.1f} us" for k, v in per.items()), end="; ")
    print(f"total {1e6 * (written - started) / n:.1f} us a row -> {n / (written - started):,.0f} rows/s on one core")


if __name__ == "__main__":
    main()
