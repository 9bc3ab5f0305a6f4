"""Difficulty selection for curation: the problems whose pass rate lies in a band.

Bounds are compared as exact fractions (`passed / samples` against the decimal the
user typed), so a problem at exactly 1/10 is inside `--min-rate 0.1`, never lost to
floating-point rounding.
"""

from __future__ import annotations

from fractions import Fraction

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.report.dedup import NearDupConfig, unique_mask
from pipeline.report.metrics import ProblemStats


def in_band(problem: ProblemStats, min_rate: str | float, max_rate: str | float) -> bool:
    rate = Fraction(problem.passed, problem.samples)
    return Fraction(str(min_rate)) <= rate <= Fraction(str(max_rate))


def select_problems(problems: list[ProblemStats], min_rate: str | float, max_rate: str | float) -> list[ProblemStats]:
    if Fraction(str(min_rate)) > Fraction(str(max_rate)):
        raise ValueError(f"--min-rate {min_rate} is above --max-rate {max_rate}")
    return [p for p in problems if in_band(p, min_rate, max_rate)]


def passing_samples(verdicts: pa.Table, chosen: list[ProblemStats]) -> pa.Table:
    """The passing samples of the chosen problems (same schema as data/ shards)."""
    keys = pa.array([f"{p.source}\x00{p.problem_id}" for p in chosen], pa.string())
    row_keys = pc.binary_join_element_wise(verdicts.column("source"), verdicts.column("problem_id"), "\x00")
    mask = pc.and_(pc.is_in(row_keys, value_set=keys), verdicts.column("passed"))
    return verdicts.filter(mask)


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
