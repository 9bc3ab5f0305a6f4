"""What a run reports at its end (`RunSummary`, also `--json`) and the table `assay run`,
`assay verify` and `assay report` print."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from pipeline.store.manifest import Manifest
from pipeline.terminal import safe


class DomainSummary(BaseModel):
    """One row of the pass-rate table, as `assay report` counts it: `samples` are the judged
    ones (invalid_problem verdicts left out, counted in `invalid_problem`), so that
    `pass_rate` is `passed / samples`."""

    samples: int
    passed: int
    pass_rate: float | None
    invalid_problem: int = 0


class RunSummary(BaseModel):
    """What `assay run`/`verify` print (and `--json` emits)."""

    run_id: str
    out: str
    status: Literal["complete", "partial", "failed", "running", "interrupted"]
    failure: str | None = None  # one line: why the run failed (status "failed")
    problems: int
    expected_samples: int
    samples: int  # every committed verdict (invalid_problem included): what expected_samples is compared with
    passed: int
    pass_rate: float | None  # passed / (samples - invalid_problem_samples)
    invalid_problem_samples: int = 0  # verdicts of problems whose reference fails its own tests: left out of every rate
    new_samples: int
    missing_samples: int
    by_status: dict[str, int]
    by_domain: dict[str, DomainSummary]
    by_source: dict[str, DomainSummary]
    errors_by_stage: dict[str, int]
    new_errors: int
    shards: dict[str, list[str]]
    seconds: float
    report_html: str | None = None  # written by the CLI after the run

    @classmethod
    def of(cls, manifest: Manifest, out: str, new_samples: int, new_errors: int, seconds: float) -> RunSummary:
        counts = manifest.counts
        table = lambda d: {k: DomainSummary(samples=v.samples - v.invalid_problem, passed=v.passed, pass_rate=v.pass_rate,
                                            invalid_problem=v.invalid_problem) for k, v in sorted(d.items())}  # fmt: skip
        return cls(
            run_id=manifest.run_id,
            out=out,
            status=manifest.status,
            failure=manifest.outcome.failure,
            problems=manifest.problems,
            expected_samples=manifest.expected_samples,
            samples=counts.samples,
            passed=counts.passed,
            pass_rate=counts.pass_rate,
            invalid_problem_samples=counts.by_status.get("invalid_problem", 0),
            new_samples=new_samples,
            missing_samples=manifest.missing_samples,
            by_status=dict(sorted(counts.by_status.items())),
            by_domain=table(counts.by_domain),
            by_source=table(counts.by_source),
            errors_by_stage=dict(sorted(counts.errors_by_stage.items())),
            new_errors=new_errors,
            shards={kind: manifest.shard_paths(kind) for kind in ("data", "verdicts", "errors")},
            seconds=round(seconds, 2),
        )


def invalid_note(samples: int, problems: list[str] | None = None) -> str:
    """The line under a pass-rate table (the run's summary and `assay report` alike) that
    says what it leaves out."""
    which = "" if problems is None else f" of {len(problems)} problem{'s' if len(problems) != 1 else ''} ({safe(', '.join(problems[:5]))}{', ...' if len(problems) > 5 else ''})"
    return (f"[yellow]{samples} invalid_problem sample{'s' if samples != 1 else ''}{which}[/yellow]: the problem's reference "
            "solution fails its own tests; left out of the pass rates above (and of pass@k and the bands)")  # fmt: skip


def not_done(errors_by_stage: dict[str, int]) -> str:
    """What happened to samples that are missing, by the stages of the run's errors: a sandbox
    that failed during verification was once reported as "could not be generated"."""
    done = {"generate": "generated", "verify": "verified", "write": "stored"}
    failed = [done[stage] for stage in done if errors_by_stage.get(stage)]
    if failed == ["verified"]:
        return "verified: the verifier or its sandbox failed on our side"
    return " or ".join(failed) if failed else "generated or verified"


STATUS_ORDER = (
    "pass", "fail", "compile_error", "runtime_error", "timeout", "memory_limit",
    "output_limit", "no_answer", "invalid_problem", "verifier_error",
)  # fmt: skip


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def print_summary(summary: RunSummary, console: Console) -> None:
    if summary.failure:
        console.print(f"[red]Run failed:[/red] {safe(summary.failure)}")
    state = {"complete": "[green]complete[/green]", "partial": "[yellow]partial[/yellow]", "failed": "[red]failed[/red]"}.get(
        summary.status, summary.status
    )
    console.print(
        f"[bold]Run {safe(summary.run_id)}[/bold] — {state}: {summary.samples}/{summary.expected_samples} samples "
        f"from {summary.problems} problems, {summary.new_samples} new this time, {summary.seconds:.1f}s"
    )
    rates = Table(title="Pass rate", title_justify="left")
    rates.add_column("")
    rates.add_column("samples", justify="right")
    rates.add_column("passed", justify="right")
    rates.add_column("pass rate", justify="right")
    # Judged samples only, as `assay report` counts them: each row's rate is passed / samples.
    for domain, entry in summary.by_domain.items():
        if entry.samples:
            rates.add_row(f"domain {safe(domain)}", str(entry.samples), str(entry.passed), _rate(entry.pass_rate))
    if len(summary.by_source) > 1 or set(summary.by_source) != set(summary.by_domain):
        for source, entry in summary.by_source.items():
            if entry.samples:
                rates.add_row(f"source {safe(source)}", str(entry.samples), str(entry.passed), _rate(entry.pass_rate))
    judged = summary.samples - summary.invalid_problem_samples
    rates.add_row("[bold]all[/bold]", str(judged), str(summary.passed), f"[bold]{_rate(summary.pass_rate)}[/bold]")
    console.print(rates)
    if summary.invalid_problem_samples:
        console.print(invalid_note(summary.invalid_problem_samples))
    statuses = Table(title="Verdicts by status", title_justify="left")
    statuses.add_column("status")
    statuses.add_column("samples", justify="right")
    ordered = sorted(summary.by_status, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 99)
    for status in ordered:
        statuses.add_row(safe(status), str(summary.by_status[status]))
    console.print(statuses)
    if summary.errors_by_stage:
        parts = ", ".join(f"{count} {stage}" for stage, count in summary.errors_by_stage.items())
        console.print(f"[yellow]Rows not processed:[/yellow] {safe(parts)} (reasons in {safe(summary.out)}/errors/)")
    if summary.missing_samples:
        console.print(
            f"[yellow]{summary.missing_samples} samples are missing[/yellow] (they could not be {not_done(summary.errors_by_stage)}; "
            "see errors/). Rerun the same command to retry just those."
        )
    console.print(f"Output: {safe(summary.out)}")
    for kind in ("data", "verdicts", "errors"):
        paths = summary.shards[kind]
        if paths:
            shown = ", ".join(paths[:3]) + (f", … ({len(paths)} shards)" if len(paths) > 3 else "")
            console.print(f"  {kind + '/':10} {safe(shown)}")
