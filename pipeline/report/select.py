"""Difficulty selection for curation: the problems whose pass rate lies in a band.

Bounds are compared as exact fractions (`passed / samples` against the decimal the
user typed), so a problem at exactly 1/10 is inside `--min-rate 0.1`, never lost to
floating-point rounding.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel

from pipeline.report.dedup import NearDupConfig, unique_mask
from pipeline.report.metrics import ProblemStats
from pipeline.rows import ProblemKey
from pipeline.store.schema import SAMPLE_SCHEMA


def in_band(problem: ProblemStats, min_rate: str | float, max_rate: str | float) -> bool:
    rate = Fraction(problem.passed, problem.samples)
    return Fraction(str(min_rate)) <= rate <= Fraction(str(max_rate))


def select_problems(problems: list[ProblemStats], min_rate: str | float, max_rate: str | float) -> list[ProblemStats]:
    if Fraction(str(min_rate)) > Fraction(str(max_rate)):
        raise ValueError(f"--min-rate {min_rate} is above --max-rate {max_rate}")
    return [p for p in problems if in_band(p, min_rate, max_rate)]


def passing_samples(shards: Iterable[pa.Table], chosen: list[ProblemStats]) -> pa.Table:
    """The passing samples of the chosen problems (same schema as data/ shards), from a
    run's shards read one at a time (the data/ shards: each commit writes them with the
    verdict shards they are the passing rows of)."""
    keys = {ProblemKey(p.source, p.problem_id) for p in chosen}
    kept = []
    for shard in shards:
        sources, ids = shard.column("source").to_pylist(), shard.column("problem_id").to_pylist()
        in_chosen = pa.array([ProblemKey(s, i) in keys for s, i in zip(sources, ids, strict=True)], pa.bool_())
        kept.append(shard.filter(pc.and_(in_chosen, shard.column("passed"))))
    return pa.concat_tables(kept) if kept else SAMPLE_SCHEMA.empty_table()


def drop_duplicates(samples: pa.Table, near: NearDupConfig | None = None) -> pa.Table:
    """Passing samples without duplicates of an earlier sample (by sample_id) of the same
    problem: exact ones always, near ones when `near` is given."""
    samples = samples.sort_by("sample_id")
    texts = [e or c or "" for e, c in zip(samples.column("extracted").to_pylist(), samples.column("completion").to_pylist())]
    groups: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(zip(samples.column("source").to_pylist(), samples.column("problem_id").to_pylist())):
        groups.setdefault(key, []).append(i)
    domains = samples.column("domain").to_pylist()
    keep = [False] * samples.num_rows
    for rows in groups.values():
        for row, kept in zip(rows, unique_mask(domains[rows[0]], [texts[i] for i in rows], near)):
            keep[row] = kept
    return samples.filter(pa.array(keep, pa.bool_()))


class Curation(BaseModel):
    """What `curate` wrote."""

    problems: int  # problems in the band, one JSONL row each in `out`
    samples: int | None = None  # passing samples written, when asked for
    duplicates_dropped: int = 0


def curate(
    run_dir: str,
    min_rate: str,
    max_rate: str,
    out: Path,
    samples: Path | None = None,
    dedup: Literal["none", "exact", "near"] = "none",
    near_dup: float = 0.85,
) -> Curation:
    """`assay select`: the problems of a run whose pass rate lies in [min_rate, max_rate]
    to `out` (JSONL), and optionally their passing samples to `samples` (Parquet, the
    data/ schema), without duplicates of a problem's earlier samples when `dedup` says so.
    Raises ValueError (or `NotARun`) for bounds or a directory that cannot be used."""
    from pipeline.report.load import iter_verdicts, load_manifest
    from pipeline.report.metrics import build_report
    from pipeline.rows import REPORT_COLUMNS

    bounds = (Fraction(min_rate), Fraction(max_rate))
    if not (0 <= bounds[0] <= 1 and 0 <= bounds[1] <= 1):
        raise ValueError("rates must be between 0 and 1")
    manifest = load_manifest(run_dir)
    # One manifest for both reads: the counts and the samples come from the same shards.
    report = build_report(manifest.run_id, iter_verdicts(run_dir, manifest, REPORT_COLUMNS))
    chosen = select_problems(report.problems, min_rate, max_rate)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w") as handle:
        for p in chosen:
            row = {"problem_id": p.problem_id, "source": p.source, "domain": p.domain, "samples": p.samples, "passed": p.passed, "pass_rate": p.pass_rate}
            handle.write(json.dumps(row) + "\n")
    result = Curation(problems=len(chosen))
    if samples is not None:
        table = passing_samples(iter_verdicts(run_dir, manifest, kind="data"), chosen)
        before = table.num_rows
        if dedup != "none":
            table = drop_duplicates(table, NearDupConfig(threshold=near_dup) if dedup == "near" else None)
        samples.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, samples)
        result = Curation(problems=len(chosen), samples=table.num_rows, duplicates_dropped=before - table.num_rows)
    return result
