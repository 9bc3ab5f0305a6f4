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

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from pipeline.report.dedup import NearDupConfig, exact_key, unique_masks

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
    status: str | None = None  # the run's, from its manifest: a report of a run not complete says so
    status_reason: str | None = None  # why it is not (the manifest's outcome.failure)


    @property
    def problem_count(self) -> int:
        """Problems with a verdict: those judged (`problems`) and those whose every verdict
        is invalid_problem (`invalid_problems`), the run summary's count."""
        judged = {f"{p.source}/{p.problem_id}" for p in self.problems}
        return len(judged | set(self.invalid_problems))

    @property
    def judged_samples(self) -> int:
        """What every rate divides by: the samples, invalid_problem ones left out."""
        return self.samples - self.invalid_problem_samples


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


def _rates(rows: dict[str, list[int]]) -> dict[str, Rate]:
    return {k: Rate(samples=n, passed=c, pass_rate=c / n) for k, (n, c) in sorted(rows.items()) if n}


def _text_hash(domain: str, text: str) -> int:
    """64 bits of a text's exact-duplicate key: equal for duplicates; for two different
    accepted samples of one problem, equal with odds of 2^-64."""
    digest = hashlib.blake2b(exact_key(domain, text).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


_PAIR = np.dtype([("problem", np.int64), ("text", np.uint64)])


class ReportBuilder:
    """A report built one table of verdict rows at a time (one shard each). It holds its
    problems' counts (about 2 KB per problem with the finished report) and, per accepted
    sample, 16 bytes for exact-duplicate counting (its problem and a hash of its text;
    `finish` sorts them, briefly two to three times that). Near-duplicates (when asked)
    need the accepted texts themselves, in sample_id order per problem, and keep them
    until `finish`: as much memory as the accepted texts."""

    def __init__(self, run_id: str, near: NearDupConfig | None = None) -> None:
        self.run_id, self.near = run_id, near
        self.samples = 0
        self.by: dict[str, dict[str, list[int]]] = {name: defaultdict(lambda: [0, 0]) for name in ("domain", "source", "model")}
        self.problems: dict[tuple[str, str], list[Any]] = {}  # (source, id) → [index, domain, samples, passed]
        self.statuses: Counter[str] = Counter()
        self.reasons: Counter[tuple[str, str]] = Counter()
        self.invalid: set[tuple[str, str]] = set()
        self.verifier_cpu = self.verifier_wall = 0.0
        self.tokens = 0
        self._accepted: list[np.ndarray] = []  # _PAIR per accepted sample
        self._near_texts: dict[int, list[tuple[str, str]]] = defaultdict(list)  # problem index → [(sample_id, text)]
        self._arrived = 0  # accepted samples so far: their order where rows carry no sample_id

    def add(self, table: pa.Table) -> None:
        names = ("problem_id", "source", "domain", "model", "status", "passed", "reason")
        cols = {name: table.column(name).to_pylist() for name in names}
        self.samples += table.num_rows
        self.verifier_cpu += float(pc.sum(table.column("verifier_cpu_s")).as_py() or 0.0)
        self.verifier_wall += float(pc.sum(table.column("duration_s")).as_py() or 0.0)
        self.tokens += int(pc.sum(table.column("completion_tokens")).as_py() or 0)
        accepted_rows: list[int] = []
        for i in range(table.num_rows):
            passed = bool(cols["passed"][i])
            key = (cols["source"][i], cols["problem_id"][i])
            status = cols["status"][i]
            if status == "invalid_problem":
                # A broken problem says nothing about the model: counted, listed, kept out of every rate.
                self.statuses[status] += 1
                self.invalid.add(key)
                self.reasons[(status, normalise_reason(cols["reason"][i] or ""))] += 1
                continue
            for name, counts in self.by.items():
                tally = counts[cols[name][i] or "unknown"]
                tally[0] += 1
                tally[1] += passed
            problem = self.problems.get(key)
            if problem is None:
                problem = self.problems[key] = [len(self.problems), cols["domain"][i], 0, 0]
            problem[2] += 1
            problem[3] += passed
            self.statuses[status] += 1
            if passed:
                accepted_rows.append(i)
            else:
                self.reasons[(status, normalise_reason(cols["reason"][i] or ""))] += 1
        if accepted_rows:
            self._add_accepted(table.take(accepted_rows), [self.problems[(cols["source"][i], cols["problem_id"][i])] for i in accepted_rows])

    def _add_accepted(self, accepted: pa.Table, problems: list[list[Any]]) -> None:
        texts = [e or c or "" for e, c in zip(accepted.column("extracted").to_pylist(), accepted.column("completion").to_pylist(), strict=True)]
        pairs = np.empty(len(texts), dtype=_PAIR)
        pairs["problem"] = [p[0] for p in problems]
        pairs["text"] = [_text_hash(p[1], text) for p, text in zip(problems, texts, strict=True)]
        self._accepted.append(pairs)
        if self.near is not None:
            # sample_id order decides which near-duplicate is kept; without ids, arrival order.
            if "sample_id" in accepted.column_names:
                ids = accepted.column("sample_id").to_pylist()
            else:
                ids = [f"{self._arrived + i:012d}" for i in range(len(texts))]
            self._arrived += len(texts)
            for p, sample_id, text in zip(problems, ids, texts, strict=True):
                self._near_texts[p[0]].append((sample_id, text))

    def finish(self, top: int = 10) -> Report:
        unique, near_unique = self._unique_counts()
        problems = [
            ProblemStats(
                problem_id=pid, source=source, domain=domain, samples=n, passed=c, pass_rate=c / n,
                unique_passed=int(unique[index]), near_unique_passed=near_unique.get(index, 0) if self.near else None,
            )
            for (source, pid), (index, domain, n, c) in sorted(self.problems.items())
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
        statuses = self.statuses
        # Ties broken by name, not by arrival: the same rows give the same report, however sharded.
        reasons = [(status, reason, n) for (status, reason), n in sorted(self.reasons.items(), key=lambda item: (-item[1], item[0]))]
        passed_total = statuses.get("pass", 0)
        unique_total = int(unique.sum())
        near_total = sum(near_unique.values())
        judged = self.samples - statuses.get("invalid_problem", 0)
        return Report(
            run_id=self.run_id,
            samples=self.samples,
            passed=passed_total,
            pass_rate=passed_total / judged if judged else None,
            by_domain=_rates(self.by["domain"]),
            by_source=_rates(self.by["source"]),
            by_model=_rates(self.by["model"]),
            pass_at_k=ks,
            pass_at_k_problems=ks_count,
            bands=bands,
            problems=problems,
            by_status=dict(sorted(statuses.items(), key=lambda item: (-item[1], item[0]))),
            top_reasons=reasons[:top],
            reasons=reasons[:1000],
            pass_at_k_curve=_curve(problems),
            verifier_cpu_s_total=round(self.verifier_cpu, 3),
            verifier_cpu_s_per_accepted=round(self.verifier_cpu / passed_total, 4) if passed_total else None,
            verifier_wall_s_total=round(self.verifier_wall, 3),
            timeouts=statuses.get("timeout", 0),
            completion_tokens_total=self.tokens,
            tokens_per_accepted=round(self.tokens / passed_total, 1) if passed_total else None,
            accepted_unique=unique_total,
            accepted_duplicates=passed_total - unique_total,
            near_dup=self.near,
            accepted_near_unique=near_total if self.near else None,
            accepted_near_duplicates=unique_total - near_total if self.near else None,
            invalid_problem_samples=statuses.get("invalid_problem", 0),
            invalid_problems=sorted(f"{source}/{pid}" for source, pid in self.invalid),
        )

    def _unique_counts(self) -> tuple[np.ndarray, dict[int, int]]:
        """Per problem index: distinct accepted texts (exact), and, when asked, the samples
        kept once near-duplicates of an earlier one (by sample_id) are dropped too."""
        pairs = np.unique(np.concatenate(self._accepted)) if self._accepted else np.empty(0, dtype=_PAIR)
        unique = np.bincount(pairs["problem"], minlength=len(self.problems))
        near_unique: dict[int, int] = {}
        if self.near is not None:
            domains = {index: domain for index, domain, _, _ in self.problems.values()}
            for index, rows in self._near_texts.items():
                texts = [text for _, text in sorted(rows)]
                near_unique[index] = sum(unique_masks(domains[index], texts, self.near)[1] or [])
        return unique, near_unique


def build_report(run_id: str, table: pa.Table | Iterable[pa.Table], top: int = 10, near: NearDupConfig | None = None) -> Report:
    """The report of verdict rows: one table, or several (a run's shards, read one at a time)."""
    builder = ReportBuilder(run_id, near)
    for part in [table] if isinstance(table, pa.Table) else table:
        builder.add(part)
    return builder.finish(top)


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
