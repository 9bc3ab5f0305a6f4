"""Terminal rendering of reports and diffs (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipeline.report.diff import RunDiff
from pipeline.report.metrics import Report
from pipeline.summary import invalid_note
from pipeline.terminal import safe


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _signed(value: float | None) -> str:
    if value is None:
        return "—"
    colour = "green" if value > 0 else "red" if value < 0 else "dim"
    return f"[{colour}]{value:+.1%}[/{colour}]"


def print_report(report: Report, console: Console) -> None:
    console.print(
        f"[bold]Run {safe(report.run_id)}[/bold]: {report.samples} samples from {report.problem_count} problems, "
        f"{report.passed} passed ({_pct(report.pass_rate)} of {report.judged_samples} judged)"
    )
    if report.status not in (None, "complete"):
        console.print(f"[yellow]Run status: {safe(report.status)}[/yellow]" + (f" ({safe(report.status_reason)})" if report.status_reason else ""))
    rates = Table(title="Pass rate", title_justify="left")
    for column in ("", "samples", "passed", "pass rate"):
        rates.add_column(column, justify="left" if not column else "right", no_wrap=True)
    for kind, table in (("domain", report.by_domain), ("source", report.by_source), ("model", report.by_model)):
        for key, rate in table.items():
            rates.add_row(f"{kind} {safe(key)}", str(rate.samples), str(rate.passed), _pct(rate.pass_rate))
    console.print(rates)
    if report.invalid_problem_samples:
        console.print(invalid_note(report.invalid_problem_samples, report.invalid_problems))
    if report.pass_at_k:
        console.print("pass@k: " + ", ".join(f"{k} = {v:.3f} ({report.pass_at_k_problems[k]} problems)" for k, v in report.pass_at_k.items()))
    bands = Table(title="Problems by pass rate", title_justify="left")
    bands.add_column("pass rate", no_wrap=True)
    bands.add_column("problems", justify="right", no_wrap=True)
    bands.add_column("examples", overflow="ellipsis", no_wrap=True, max_width=50)
    for band in report.bands:
        bands.add_row(band.label, str(len(band.problems)), safe(", ".join(band.problems[:6])))
    console.print(bands)
    statuses = Table(title="Failures", title_justify="left")
    statuses.add_column("status", no_wrap=True)
    statuses.add_column("samples", justify="right", no_wrap=True)
    statuses.add_column("most frequent reason", overflow="ellipsis", no_wrap=True, max_width=60)
    first_reason: dict[str, str] = {}
    for status, reason, _ in report.reasons:
        first_reason.setdefault(status, reason)
    for status, count in report.by_status.items():
        statuses.add_row(safe(status), str(count), safe(first_reason.get(status, "")))
    console.print(statuses)
    console.print(
        f"Cost: verifier {report.verifier_cpu_s_total:,.2f} CPU s in all, "
        f"{report.verifier_cpu_s_per_accepted if report.verifier_cpu_s_per_accepted is not None else '—'} CPU s per accepted sample, "
        f"{report.timeouts} timeouts; {report.completion_tokens_total:,} completion tokens, "
        f"{report.tokens_per_accepted if report.tokens_per_accepted is not None else '—'} per accepted sample"
    )
    console.print(f"Accepted samples: {report.accepted_unique} unique, {report.accepted_duplicates} duplicates (same problem, same normalised text)")
    if report.near_dup is not None:
        console.print(
            f"Near-duplicates (MinHash, Jaccard ≥ {report.near_dup.threshold:g} over {report.near_dup.ngram}-token shingles): "
            f"{report.accepted_near_duplicates} more, {report.accepted_near_unique} accepted samples left"
        )


def print_diff(diff: RunDiff, console: Console) -> None:
    console.print(
        f"[bold]{safe(diff.run_a)} → {safe(diff.run_b)}[/bold]: pass rate {_pct(diff.pass_rate_a)} → {_pct(diff.pass_rate_b)} "
        f"({_signed(diff.pass_rate_delta)})"
    )
    for domain, delta in diff.by_domain_delta.items():
        console.print(f"  domain {safe(domain)}: {_signed(delta)}")
    console.print(f"Newly solved ({len(diff.newly_solved)}): {safe(', '.join(diff.newly_solved[:20])) or '—'}")
    console.print(f"Newly unsolved ({len(diff.newly_unsolved)}): {safe(', '.join(diff.newly_unsolved[:20])) or '—'}")
    if diff.only_in_a or diff.only_in_b:
        console.print(f"[dim]{diff.only_in_a} problems only in {safe(diff.run_a)}, {diff.only_in_b} only in {safe(diff.run_b)}[/dim]")
    if diff.biggest_changes:
        table = Table(title="Biggest changes per problem", title_justify="left")
        for column in ("problem", "before", "after", "change"):
            table.add_column(column, justify="left" if column == "problem" else "right")
        for d in diff.biggest_changes:
            table.add_row(safe(d.problem), _pct(d.rate_a), _pct(d.rate_b), _signed(d.delta))
        console.print(table)
    if diff.new_failure_reasons:
        table = Table(title="New failure reasons", title_justify="left")
        table.add_column("status")
        table.add_column("reason", overflow="ellipsis", max_width=90)
        table.add_column("samples", justify="right")
        for status, reason, count in diff.new_failure_reasons:
            table.add_row(safe(status), safe(reason), str(count))
        console.print(table)
