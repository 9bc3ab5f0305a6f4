"""What changed between two runs: pass rates overall and per problem, flips, new reasons."""

from __future__ import annotations

from pydantic import BaseModel

from pipeline.report.metrics import Report


class ProblemDelta(BaseModel):
    problem: str
    rate_a: float
    rate_b: float
    delta: float


class RunDiff(BaseModel):
    run_a: str
    run_b: str
    pass_rate_a: float | None
    pass_rate_b: float | None
    pass_rate_delta: float | None
    by_domain_delta: dict[str, float]
    newly_solved: list[str]  # no passing sample in A, at least one in B
    newly_unsolved: list[str]  # the other way round
    biggest_changes: list[ProblemDelta]
    only_in_a: int
    only_in_b: int
    new_failure_reasons: list[tuple[str, str, int]]


def _key(p) -> str:
    return f"{p.source}/{p.problem_id}"


def diff_reports(a: Report, b: Report, top: int = 15) -> RunDiff:
    pa_, pb = {_key(p): p for p in a.problems}, {_key(p): p for p in b.problems}
    common = sorted(pa_.keys() & pb.keys())
    deltas = [ProblemDelta(problem=k, rate_a=pa_[k].pass_rate, rate_b=pb[k].pass_rate, delta=pb[k].pass_rate - pa_[k].pass_rate) for k in common]
    deltas.sort(key=lambda d: (-abs(d.delta), d.problem))
    old_reasons = {(status, reason) for status, reason, _ in a.reasons}
    return RunDiff(
        run_a=a.run_id,
        run_b=b.run_id,
        pass_rate_a=a.pass_rate,
        pass_rate_b=b.pass_rate,
        pass_rate_delta=None if a.pass_rate is None or b.pass_rate is None else b.pass_rate - a.pass_rate,
        by_domain_delta={d: b.by_domain[d].pass_rate - a.by_domain[d].pass_rate for d in sorted(a.by_domain.keys() & b.by_domain.keys())},
        newly_solved=[k for k in common if pa_[k].passed == 0 and pb[k].passed > 0],
        newly_unsolved=[k for k in common if pa_[k].passed > 0 and pb[k].passed == 0],
        biggest_changes=[d for d in deltas if d.delta][:top],
        only_in_a=len(pa_.keys() - pb.keys()),
        only_in_b=len(pb.keys() - pa_.keys()),
        new_failure_reasons=[(s, r, n) for s, r, n in b.top_reasons if (s, r) not in old_reasons],
    )
