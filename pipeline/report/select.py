"""Difficulty selection for curation: the problems whose pass rate lies in a band.

Bounds are compared as exact fractions (`passed / samples` against the decimal the
user typed), so a problem at exactly 1/10 is inside `--min-rate 0.1`, never lost to
floating-point rounding.
"""

from __future__ import annotations

from fractions import Fraction

import pyarrow as pa
import pyarrow.compute as pc

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
