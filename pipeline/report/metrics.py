"""Metrics of one run, computed from its verdict shards.

* pass rates per domain, source, model and problem;
* unbiased pass@k (Chen et al. 2021): 1 - C(n-c, k) / C(n, k) per problem, averaged,
  for each k <= the problem's n;
* per-problem pass-rate distribution in difficulty bands, with the problems in each;
* failures by status and the most frequent reasons;
* verifier cost (sandbox CPU seconds per accepted sample, timeouts) and generation cost
  (completion tokens per accepted sample);
* duplicates among accepted samples per problem (exact after normalising whitespace and
  comments; near-duplicates by MinHash when asked: `dedup.py`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import BaseModel

from pipeline.report.dedup import NearDupConfig, unique_masks
from pipeline.rows import REPORT_COLUMNS

KS = (1, 5, 10)
# Difficulty bands over a problem's pass rate: exactly 0, (0, 0.1], (0.1, 0.3], ..., exactly 1.
BAND_EDGES = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
REASON_DIGITS = re.compile(r"\d+")


class Rate(BaseModel):
    samples: int
    passed: int
    pass_rate: float


class ProblemStats(BaseModel):
    problem_id: str
    source: str
    domain: str
    samples: int
    passed: int
    pass_rate: float
    unique_passed: int  # exact duplicates removed
    near_unique_passed: int | None = None  # near-duplicates removed too (when asked)


class Band(BaseModel):
    label: str
    low: float
    high: float
    problems: list[str]


class Report(BaseModel):
    run_id: str
    samples: int
    passed: int
    pass_rate: float | None
    by_domain: dict[str, Rate]
    by_source: dict[str, Rate]
    by_model: dict[str, Rate]
    pass_at_k: dict[str, float]
    pass_at_k_problems: dict[str, int]
    bands: list[Band]
    problems: list[ProblemStats]
    by_status: dict[str, int]
    top_reasons: list[tuple[str, str, int]]  # status, reason, count
    reasons: list[tuple[str, str, int]]  # every failure reason (numbers blanked), up to 1000
    pass_at_k_curve: list[tuple[int, float]]  # k = 1 .. the largest n
    verifier_cpu_s_total: float  # sandbox CPU seconds
    verifier_cpu_s_per_accepted: float | None
    verifier_wall_s_total: float
    timeouts: int
    completion_tokens_total: int
    tokens_per_accepted: float | None
    accepted_unique: int
    accepted_duplicates: int
    near_dup: NearDupConfig | None = None  # the settings, when near-duplicates were counted
    accepted_near_unique: int | None = None
    accepted_near_duplicates: int | None = None  # beyond the exact ones
    invalid_problem_samples: int  # left out of every rate
    invalid_problems: list[str]


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimator of pass@k for one problem with n samples, c correct (k <= n)."""
    if n - c < k:
        return 1.0
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def band_of(rate: float) -> int:
    """Index into `band_labels()`: 0 for exactly 0, the last for exactly 1."""
    if rate <= 0.0:
        return 0
    if rate >= 1.0:
        return len(BAND_EDGES)
    for i in range(1, len(BAND_EDGES)):
        if rate <= BAND_EDGES[i]:
            return i
    return len(BAND_EDGES) - 1


def band_labels() -> list[tuple[str, float, float]]:
    labels = [("0", 0.0, 0.0)]
    for low, high in zip(BAND_EDGES, BAND_EDGES[1:]):
        labels.append((f"({low:g}, {high:g}{')' if high == 1.0 else ']'}", low, high))
    labels.append(("1", 1.0, 1.0))
    return labels


def normalise_reason(reason: str) -> str:
    """Reasons with their numbers blanked, so 'line 12: ...' and 'line 13: ...' group."""
    return REASON_DIGITS.sub("N", reason.strip())[:160]


def _rates(rows: dict[str, list[bool]]) -> dict[str, Rate]:
    return {k: Rate(samples=len(v), passed=sum(v), pass_rate=sum(v) / len(v)) for k, v in sorted(rows.items()) if v}


def build_report(run_id: str, table: pa.Table, top: int = 10, near: NearDupConfig | None = None) -> Report:
    if "sample_id" in table.column_names:
        table = table.sort_by("sample_id")  # which duplicate is kept must not depend on shard order
    cols = {name: table.column(name).to_pylist() for name in REPORT_COLUMNS if name != "sample_id"}
    count = table.num_rows
    by: dict[str, dict[str, list[bool]]] = {"domain": defaultdict(list), "source": defaultdict(list), "model": defaultdict(list)}
    per_problem: dict[tuple[str, str], list[int]] = defaultdict(list)
    domains: dict[tuple[str, str], str] = {}
    accepted: dict[tuple[str, str], list[str]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    reasons: Counter[tuple[str, str]] = Counter()
    invalid: set[tuple[str, str]] = set()
    for i in range(count):
        passed = bool(cols["passed"][i])
        key = (cols["source"][i], cols["problem_id"][i])
        if cols["status"][i] == "invalid_problem":
            # A broken problem says nothing about the model: counted, listed, kept out of every rate.
            statuses["invalid_problem"] += 1
            invalid.add(key)
            reasons[("invalid_problem", normalise_reason(cols["reason"][i] or ""))] += 1
            continue
        for name in by:
            by[name][cols[name][i] or "unknown"].append(passed)
        per_problem[key].append(int(passed))
        domains[key] = cols["domain"][i]
        statuses[cols["status"][i]] += 1
        if passed:
            accepted[key].append(cols["extracted"][i] or cols["completion"][i] or "")
        else:
            reasons[(cols["status"][i], normalise_reason(cols["reason"][i] or ""))] += 1
    masks = {key: unique_masks(domains[key], texts, near) for key, texts in accepted.items()}
    unique = {key: sum(exact) for key, (exact, _) in masks.items()}
    near_unique = {key: sum(kept) for key, (_, kept) in masks.items() if kept is not None}
    problems = [
        ProblemStats(
            problem_id=pid, source=source, domain=domains[(source, pid)], samples=len(v), passed=sum(v),
            pass_rate=sum(v) / len(v), unique_passed=unique.get((source, pid), 0),
            near_unique_passed=near_unique.get((source, pid), 0) if near else None,
        )
        for (source, pid), v in sorted(per_problem.items())
    ]  # fmt: skip
    ks: dict[str, float] = {}
    ks_count: dict[str, int] = {}
    for k in KS:
        if (mean := _mean_pass_at_k(problems, k)) is not None:
            ks[f"pass@{k}"], ks_count[f"pass@{k}"] = mean, sum(p.samples >= k for p in problems)
    bands = [Band(label=label, low=low, high=high, problems=[]) for label, low, high in band_labels()]
    one_source = len({p.source for p in problems}) == 1  # once: per problem it made reports quadratic
    for p in problems:
        bands[band_of(p.pass_rate)].problems.append(p.problem_id if one_source else f"{p.source}/{p.problem_id}")
    passed_total = statuses.get("pass", 0)
    verifier_cpu = float(sum(v or 0.0 for v in cols["verifier_cpu_s"]))
    tokens = int(sum(v or 0 for v in cols["completion_tokens"]))
    unique_total = sum(unique.values())
    near_total = sum(near_unique.values())
    judged = count - statuses.get("invalid_problem", 0)
    return Report(
        run_id=run_id,
        samples=count,
        passed=passed_total,
        pass_rate=passed_total / judged if judged else None,
        by_domain=_rates(by["domain"]),
        by_source=_rates(by["source"]),
        by_model=_rates(by["model"]),
        pass_at_k=ks,
        pass_at_k_problems=ks_count,
        bands=bands,
        problems=problems,
        by_status=dict(statuses.most_common()),
        top_reasons=[(status, reason, n) for (status, reason), n in reasons.most_common(top)],
        reasons=[(status, reason, n) for (status, reason), n in reasons.most_common(1000)],
        pass_at_k_curve=_curve(problems),
        verifier_cpu_s_total=round(verifier_cpu, 3),
        verifier_cpu_s_per_accepted=round(verifier_cpu / passed_total, 4) if passed_total else None,
        verifier_wall_s_total=round(float(sum(v or 0.0 for v in cols["duration_s"])), 3),
        timeouts=statuses.get("timeout", 0),
        completion_tokens_total=tokens,
        tokens_per_accepted=round(tokens / passed_total, 1) if passed_total else None,
        accepted_unique=unique_total,
        accepted_duplicates=passed_total - unique_total,
        near_dup=near,
        accepted_near_unique=near_total if near else None,
        accepted_near_duplicates=unique_total - near_total if near else None,
        invalid_problem_samples=statuses.get("invalid_problem", 0),
        invalid_problems=sorted(f"{source}/{pid}" for source, pid in invalid),
    )


def _curve(problems: list[ProblemStats], points: int = 64) -> list[tuple[int, float]]:
    """Mean pass@k over the problems with at least k samples, for k up to the largest n."""
    if not problems:
        return []
    top = max(p.samples for p in problems)
    ks = sorted({max(1, round(top ** (i / (points - 1)))) for i in range(points)} | {1, top}) if top > points else range(1, top + 1)
    return [(k, _mean_pass_at_k(problems, k)) for k in ks]


def _mean_pass_at_k(problems: list[ProblemStats], k: int) -> float | None:
    """Mean pass@k over the problems with at least k samples (None if there are none)."""
    eligible = [p for p in problems if p.samples >= k]
    return sum(pass_at_k(p.samples, p.passed, k) for p in eligible) / len(eligible) if eligible else None


def report_dict(report: Report) -> dict[str, Any]:
    return report.model_dump(mode="json", exclude={"reasons"})
