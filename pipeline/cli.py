"""The `assay` command line."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from pipeline.terminal import help_markup, library_output_to, make_console, safe

app = typer.Typer(
    help="Assay: generate candidate solutions with an LLM, verify them in a sandbox, keep what passes.\n\n"
    "Exit codes: 0 done, 1 run failed, 2 bad config or input.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=help_markup(),
)
sandbox_app = typer.Typer(help="Inspect the isolation used to run untrusted code.", no_args_is_help=True, rich_markup_mode=help_markup())
app.add_typer(sandbox_app, name="sandbox")
problems_app = typer.Typer(help="Browse problem sources (files, HF dataset dirs, builtin:*).", no_args_is_help=True, rich_markup_mode=help_markup())
app.add_typer(problems_app, name="problems")
config_app = typer.Typer(help="Run configuration files.", no_args_is_help=True, rich_markup_mode=help_markup())
app.add_typer(config_app, name="config")
console = make_console()
err = make_console(stderr=True)

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
# SourceConfig.style's values (a test keeps them in step; importing the config here would
# slow every --help)
STYLE_HELP = ("problem row shape: assay (Assay's own schema), or a dataset's: humaneval, mbpp, apps, livecodebench, "
              "codecontests, codecontests-cpp, codecontests-java, codeforces, codeforces-cpp, taco, leetcode, kodcode, evalplus")
# the registry's built-in sets (a test keeps them in step, as STYLE_HELP's styles)
SOURCE_HELP = "a JSONL or Parquet file, an HF dataset dir, or builtin:humaneval, builtin:math-synth, builtin:code-easy"
FAIL_UNDER_HELP = "exit 1 if the pass rate is below this (0-1); a run with no judged sample fails too"
PROGRESS_HELP = "when stderr is not a terminal, print a progress line this often (on a terminal: a live bar)"
MAX_REJECTED_HELP = (
    "exit 1 if more than this share of input rows (problems and completions) is rejected; "
    "default 1: only when every row is rejected. A nightly job might use 0.05"
)


class SandboxKind(str, Enum):
    """The sandboxes `assay verify` offers (a config file may name any registered one)."""

    local = "local"
    docker = "docker"


@app.callback()
def _main() -> None:
    pass  # the group's help (and its exit codes) is the Typer app's `help`


@sandbox_app.command("check")
def sandbox_check(
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON on stdout"),
) -> None:
    """Print the isolation this machine provides and run a self-test of real attacks.

    Exits 0 when untrusted code can be run safely here (a sandbox backend works and every
    self-test passed), 1 otherwise.
    """
    from sandbox.check import run_check
    from verifiers.code.languages import LANGUAGES

    report = run_check()
    # Which code languages this machine can judge (their toolchains, under /usr, are what
    # the local sandbox's read-only view shows); a missing one does not make the sandbox unsafe.
    languages = [{"name": name, "ok": not language.missing(), "detail": language.missing() or ", ".join(language.toolchain) or "the warm interpreter"}
                 for name, language in LANGUAGES.items()]  # fmt: skip
    if as_json:
        print(json.dumps({**report.model_dump(), "languages": languages, "ok": report.ok}, indent=2))
        raise typer.Exit(0 if report.ok else 1)
    console.print(f"[bold]Assay sandbox check[/bold] — {safe(report.platform)}")
    for title, probes in (("Kernel features", report.features), ("Backends", report.backends), ("Self-test", report.self_test)):
        table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
        for probe in probes:
            mark = "[green]ok[/green]" if probe.ok else "[red]NO[/red]"
            if title == "Backends" and probe.name == "unsafe":
                mark = "[yellow]--[/yellow]"
            table.add_row(mark, safe(probe.name), f"[dim]{safe(probe.detail)}[/dim]")
        console.print(table)
    table = Table(title="Code languages (local sandbox)", title_justify="left", show_header=False, box=None, padding=(0, 2))
    for language in languages:
        table.add_row("[green]ok[/green]" if language["ok"] else "[yellow]--[/yellow]", language["name"], f"[dim]{safe(str(language['detail']))}[/dim]")
    console.print(table)
    if not report.self_test:
        console.print("[red]No isolating backend could run the self-test.[/red]")
    verdict = "[green]safe to verify untrusted code[/green]" if report.ok else "[red]NOT safe: see above[/red]"
    console.print(f"Result: {verdict}")
    raise typer.Exit(0 if report.ok else 1)


# --------------------------------------------------------------------------- run / verify


def _library_log() -> str:
    """Where Ray's own messages go during a run (the user's terminal shows Assay's)."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "assay-logs"
    folder.mkdir(exist_ok=True)
    return str(folder / f"run-{os.getpid()}.log")


AUTO_REPORT_MAX_SAMPLES = 1_000_000  # `assay report` streams the shards but holds ~2 KB per problem, 16 B per accepted sample


def _write_report(out: str, samples: int) -> str | None:
    """The HTML report beside every run's shards (a failure to write it is only logged).
    Above AUTO_REPORT_MAX_SAMPLES it is left to `assay report`: a nightly job of tens of
    millions of samples must not end by holding a row per problem for the report."""
    from pipeline.report.build import load_report, write_html

    if samples > AUTO_REPORT_MAX_SAMPLES:
        err.print(f"[dim]{samples:,} samples: no automatic HTML report over {AUTO_REPORT_MAX_SAMPLES:,} (run `assay report {safe(out)}`)[/dim]")
        return None
    try:
        return write_html(load_report(out), out)
    except Exception as exc:  # noqa: BLE001 - the run itself is committed; the report is a convenience
        err.print(f"[yellow]no HTML report:[/yellow] {type(exc).__name__}: {safe(exc)}")
        return None


def _print_next_steps(summary) -> None:
    """Where the training rows are and one line to load them, in three tools."""
    if summary.shards["data"]:
        rows = f"{summary.out.rstrip('/')}/data/*.parquet"
        console.print(f"[bold]Training rows[/bold] ({summary.passed} passing samples): {safe(rows)}")
        console.print(f"  datasets: datasets.load_dataset(\"parquet\", data_files=\"{safe(rows)}\", split=\"train\")", soft_wrap=True)
        console.print(f"  polars:   polars.read_parquet(\"{safe(rows)}\")", soft_wrap=True)
        console.print(f"  duckdb:   duckdb.sql(\"SELECT * FROM '{safe(rows)}'\")", soft_wrap=True)
    else:
        console.print("No passing sample yet, so no training rows (data/ is empty); every verdict is in verdicts/.")
    if summary.report_html:
        console.print(f"[bold]Report[/bold]: {safe(summary.report_html)}  (or: assay report {safe(summary.out)})")


def _execute(
    config,
    out: Optional[str],
    run_id: Optional[str],
    as_json: bool,
    fail_under: Optional[float],
    max_rejected: float,
    progress_every: float = 15.0,
) -> None:
    from pipeline.config import ConfigError
    from pipeline.progress import ProgressView
    from pipeline.run import run_pipeline
    from pipeline.sources.load import SourceError
    from pipeline.store import RunLocked, RunMismatch
    from pipeline.summary import print_summary
    from sandbox.base import SandboxUnavailable

    def log(message: str) -> None:  # stderr; with --json only warnings (stdout is the summary)
        if not as_json or message.startswith("warning:"):
            err.print(f"[dim]{safe(message)}[/dim]")

    mode = "off" if as_json else ("bar" if sys.stderr.isatty() else "lines")
    ray_log = _library_log()
    log(f"Ray's own messages: {ray_log}")
    try:
        # stdout is for the summary alone (exact JSON with --json); Ray's own output goes to a file
        with library_output_to(ray_log), ProgressView(err, mode, progress_every) as view:
            summary = run_pipeline(config, out=out, run_id=run_id, log=log, progress=view, max_rejected=max_rejected)
    except (ConfigError, SourceError, RunMismatch, FileNotFoundError, FileExistsError, NotADirectoryError) as exc:
        # (the last two: --out names a file, or a path through one)
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except SandboxUnavailable as exc:  # checked before Ray starts (pipeline.run.check_sandbox)
        err.print(f"[red]error:[/red] the sandbox cannot start here: {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except RunLocked as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(EXIT_FAILED) from None
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (pipeline.run.Terminated)
        how = " (SIGTERM)" if str(exc) == "SIGTERM" else ""
        err.print(f"[yellow]interrupted{how}[/yellow]: committed shards are kept; rerun the same command to resume")
        raise typer.Exit(EXIT_FAILED) from None
    except Exception as exc:  # noqa: BLE001 - infrastructure (Ray, storage): say so, keep what is committed
        err.print(f"[red]run failed:[/red] {type(exc).__name__}: {safe(exc)}")
        err.print(f"Committed shards are kept; rerun the same command to resume. Ray's own output: {safe(ray_log)}")
        raise typer.Exit(EXIT_FAILED) from None
    summary.report_html = _write_report(summary.out, summary.samples)
    if as_json:
        print(summary.model_dump_json(indent=2))
    else:
        print_summary(summary, console)
        _print_next_steps(summary)
    code = 0
    if summary.status != "complete":
        code = EXIT_FAILED
    if fail_under is not None and summary.pass_rate is None:
        err.print(f"[red]no pass rate to compare with --fail-under {fail_under:.1%}: no sample was judged[/red]")
        code = EXIT_FAILED
    elif fail_under is not None and summary.pass_rate < fail_under:
        err.print(f"[red]pass rate {summary.pass_rate:.1%} is under --fail-under {fail_under:.1%}[/red]")
        code = EXIT_FAILED
    raise typer.Exit(code)


def _load(config_path: Path):
    from pipeline.config import ConfigError, load_config

    try:
        return load_config(config_path)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None


@app.command()
def run(
    config_path: Path = typer.Argument(..., metavar="CONFIG.yaml", help="run configuration (see configs/)"),
    out: Optional[str] = typer.Option(None, "--out", help="output directory or URI (default: the config's output.dir)"),
    run_id: Optional[str] = typer.Option(None, "--run-id", help="default: the config's run_id, else date + config hash"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON on stdout"),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0, max=1, help=FAIL_UNDER_HELP),
    max_rejected: float = typer.Option(1.0, "--max-rejected", min=0, max=1, help=MAX_REJECTED_HELP),
    progress_every: float = typer.Option(15.0, "--progress-every", min=0.1, metavar="SECONDS", help=PROGRESS_HELP),
) -> None:
    """Generate, verify and keep: the whole pipeline for one config.

    Prints progress while it works (a live bar on a terminal, a line every
    --progress-every seconds in logs), then a summary, where the training rows are with
    one line to load them, and the HTML report it wrote beside them. Try it with
    configs/quickstart.yaml (what `make run` runs); configs/ has examples for an
    OpenAI-compatible endpoint, vLLM on Ray GPUs and a cluster job.

    Rerunning the same run id resumes: committed samples are skipped, so an interrupted
    run finishes without duplicates, and a finished run is a no-op that prints its
    summary. Exit codes: 0 complete, 1 failed or incomplete (or under --fail-under),
    2 bad config or input. A run that judged no sample, or rejected more input rows than
    --max-rejected allows, has failed.
    """
    _execute(_load(config_path), out, run_id, as_json, fail_under, max_rejected, progress_every)


@app.command()
def verify(
    problems: str = typer.Option(..., "--problems", help=f"problem source: {SOURCE_HELP}"),
    completions: str = typer.Option(..., "--completions", help="JSONL or Parquet rows: problem_id, completion, and optionally sample_id, model and finish_reason"),
    out: str = typer.Option(..., "--out", help="output directory or URI"),
    style: str = typer.Option("assay", "--style", help=STYLE_HELP),
    sandbox: SandboxKind = typer.Option(
        SandboxKind.local, "--sandbox", case_sensitive=False,
        help="where candidates run: local (Linux namespaces and cgroups; needs root) or docker (locked-down containers "
        "of the assay-sandbox image, `make sandbox-image`; for machines without root)",
    ),
    run_id: Optional[str] = typer.Option(None, "--run-id", help="default: date + hash of the config and the completions file"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON on stdout"),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0, max=1, help=FAIL_UNDER_HELP),
    max_rejected: float = typer.Option(1.0, "--max-rejected", min=0, max=1, help=MAX_REJECTED_HELP),
    progress_every: float = typer.Option(15.0, "--progress-every", min=0.1, metavar="SECONDS", help=PROGRESS_HELP),
) -> None:
    """Verify existing completions (no generation). Same output layout as `assay run`.

    For other settings (more actors, a cluster, limits), write a config with the `replay`
    generator instead: configs/verify_only.yaml.
    """
    from pydantic import ValidationError

    from pipeline.config import RunConfig, SourceConfig, format_errors
    from pipeline.generators.registry import GeneratorConfig
    from pipeline.generators.replay import ReplayConfig
    from sandbox.config import DockerSandboxConfig, LocalSandboxConfig

    # Nothing generates here: the one verify actor's sandbox may use the whole machine,
    # two programs per core.
    slots = 2 * len(os.sched_getaffinity(0))
    try:
        config = RunConfig(
            sources=[SourceConfig(path=problems, style=style)],
            generator=GeneratorConfig(engine=ReplayConfig(path=completions)),
            sandbox=LocalSandboxConfig(workers=slots) if sandbox is SandboxKind.local else DockerSandboxConfig(pool_size=slots),
        )
    except ValidationError as exc:
        err.print(f"[red]error:[/red] bad arguments\n{safe(format_errors(exc))}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if not completions.startswith(("s3://", "gs://", "hdfs://")) and not Path(completions).is_file():
        what = "a directory, not a file" if Path(completions).is_dir() else "no such file"
        err.print(f"[red]error:[/red] {safe(completions)}: {what}")
        raise typer.Exit(EXIT_BAD_INPUT)
    _execute(config, out, run_id, as_json, fail_under, max_rejected, progress_every)


@app.command()
def report(
    run_dir: str = typer.Argument(..., metavar="DIR", help="a run's output directory (or URI)"),
    other: Optional[str] = typer.Argument(None, metavar="[DIR2]", help="a second run: show what changed from DIR to DIR2"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON on stdout"),
    html: Optional[str] = typer.Option(None, "--html", help="where to write the HTML report (default: DIR/report.html; one run only)"),
    no_html: bool = typer.Option(False, "--no-html", help="do not write the HTML report (one run only: a comparison writes none)"),
    top: int = typer.Option(10, "--top", help="how many failure reasons and changed problems to list"),
    near_dup: Optional[float] = typer.Option(
        None, "--near-dup", min=0.01, max=1.0, metavar="JACCARD",
        help="also count near-duplicate accepted samples (MinHash over 5-token shingles) at this similarity, e.g. 0.85",
    ),
) -> None:
    """Pass rates, pass@k, difficulty bands, failure reasons and costs of a run.

    With one run: prints the report and writes a self-contained HTML report (plots
    included, no network needed) to DIR/report.html. With two runs: what changed from
    DIR to DIR2 (pass rates, problems that flipped, new failure reasons).
    """
    from pipeline.report.build import load_report, write_html
    from pipeline.report.dedup import NearDupConfig
    from pipeline.report.diff import diff_reports
    from pipeline.report.load import NotARun
    from pipeline.report.metrics import report_dict
    from pipeline.report.render import print_diff, print_report

    near = NearDupConfig(threshold=near_dup) if near_dup is not None else None
    try:
        first = load_report(run_dir, top, near)
        second = load_report(other, top, near) if other else None
    except NotARun as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if second is not None:
        diff = diff_reports(first, second, top)
        if as_json:
            print(diff.model_dump_json(indent=2))
        else:
            print_diff(diff, console)
        return
    written = None
    unwritten = False  # the HTML report could not be written: the report itself still prints
    if not no_html:
        try:
            written = write_html(first, run_dir, html)
        except OSError as exc:  # a read-only run directory, a full disk: a convenience, not the report
            target = html or f"{run_dir.rstrip('/')}/report.html"
            why = os.strerror(exc.errno) if exc.errno else str(exc)
            hint = "" if html else " (--html PATH writes it elsewhere, --no-html skips it)"
            err.print(f"[yellow]warning:[/yellow] no HTML report: cannot write {safe(target)}: {safe(why)}{hint}")
            unwritten = True
    if as_json:
        print(json.dumps({**report_dict(first), "html": written}, indent=2))
    else:
        print_report(first, console)
        if written:
            console.print(f"HTML report: {safe(written)}")
    if unwritten and html:
        raise typer.Exit(EXIT_FAILED)  # the file asked for by name is not there


class Dedup(str, Enum):
    none = "none"
    exact = "exact"
    near = "near"


@app.command("select")
def select(
    run_dir: str = typer.Argument(..., metavar="RUN", help="a run's output directory"),
    min_rate: str = typer.Option("0", "--min-rate", help="lowest per-problem pass rate kept (inclusive)"),
    max_rate: str = typer.Option("1", "--max-rate", help="highest per-problem pass rate kept (inclusive)"),
    out: Path = typer.Option(..., "--out", help="JSONL file of the selected problems (problem_id, source, domain, samples, passed, pass_rate)"),
    samples: Optional[Path] = typer.Option(None, "--samples", help="also write their passing samples to this Parquet file"),
    dedup: Dedup = typer.Option(
        Dedup.none, "--dedup", case_sensitive=False,
        help="drop duplicate passing samples of a problem (the lowest sample_id is kept): exact = same normalised text; "
        "near = also MinHash near-duplicates (see --near-dup)",
    ),
    near_dup: float = typer.Option(0.85, "--near-dup", min=0.01, max=1.0, metavar="JACCARD", help="similarity for --dedup near"),
) -> None:
    """Pick problems by their pass rate in a run, the way RL data teams filter.

    For example, keep the problems the model solves sometimes but not always
    (--min-rate 0.1 --max-rate 0.9), and their passing samples (--samples).
    """
    from pipeline.report.load import NotARun
    from pipeline.report.select import curate

    try:
        done = curate(run_dir, min_rate, max_rate, out, samples, dedup.value, near_dup)
    except (NotARun, ValueError, ZeroDivisionError) as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    message = f"{done.problems} problems with pass rate in [{min_rate}, {max_rate}] → {out}"
    if done.samples is not None:
        message += f"; {done.samples} passing samples → {samples}"
        if dedup is not Dedup.none:
            message += f" ({done.duplicates_dropped} {dedup.value} duplicates dropped)"
    console.print(safe(message))


# --------------------------------------------------------------------------- problems / config


def _problems_of(spec: str, style: str) -> tuple[list, list]:
    """A source's problems and its invalid rows; a bad source or style exits 2."""
    from pydantic import ValidationError

    from pipeline.config import SourceConfig, format_errors
    from pipeline.sources.load import BadRow, SourceError, load_source

    rows: list = []
    bad: list = []
    try:
        for item in load_source(SourceConfig(path=spec, style=style)):
            (bad if isinstance(item, BadRow) else rows).append(item)
    except ValidationError as exc:
        err.print(f"[red]error:[/red] bad arguments\n{safe(format_errors(exc))}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except SourceError as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    return rows, bad


@problems_app.command("list")
def problems_list(
    source: str = typer.Argument(..., metavar="SOURCE", help=SOURCE_HELP),
    style: str = typer.Option("assay", "--style", help=STYLE_HELP),
    limit: int = typer.Option(50, "--limit", help="show at most this many"),
    as_json: bool = typer.Option(False, "--json", help="print every problem id and invalid row as JSON on stdout"),
) -> None:
    """List the problems of a source, and the rows that are not valid problems."""
    rows, bad = _problems_of(source, style)
    if as_json:
        print(json.dumps({"problems": [p.problem_id for p in rows], "invalid": [b.reason for b in bad]}, indent=2))
        return
    table = Table(title=f"{safe(source)}: {len(rows)} problems" + (f", {len(bad)} invalid rows" if bad else ""), title_justify="left")
    for column in ("problem_id", "domain", "tests / answer", "prompt"):
        table.add_column(column, overflow="ellipsis", no_wrap=True, max_width=60)
    for problem in rows[:limit]:
        detail = problem.answer if problem.domain == "math" else f"{problem.tests.kind}"
        table.add_row(safe(problem.problem_id), problem.domain, safe(detail), safe(" ".join(problem.prompt.split())[:60]))
    console.print(table)
    for row in bad[:limit]:
        console.print(f"[yellow]invalid:[/yellow] {safe(row.reason)}")


@problems_app.command("show")
def problems_show(
    source: str = typer.Argument(..., metavar="SOURCE", help=SOURCE_HELP),
    problem_id: str = typer.Argument(..., metavar="PROBLEM_ID", help="as `assay problems list` shows it"),
    style: str = typer.Option("assay", "--style", help=STYLE_HELP),
) -> None:
    """Print one problem as JSON."""
    rows, _bad = _problems_of(source, style)
    for item in rows:
        if item.problem_id == problem_id:
            print(item.model_dump_json(indent=2))
            return
    err.print(f"[red]error:[/red] no problem {safe(repr(problem_id))} in {safe(source)}")
    raise typer.Exit(EXIT_BAD_INPUT)


@config_app.command("schema")
def config_schema() -> None:
    """Print the JSON schema of run configs (for editors and validation)."""
    from pipeline.config import RunConfig

    print(json.dumps(RunConfig.model_json_schema(), indent=2))


@config_app.command("check")
def config_check(config_path: Path = typer.Argument(..., metavar="CONFIG.yaml", help="a run configuration (see configs/)")) -> None:
    """Validate a config file and print it with every default filled in. Also opens each source,
    the completions file and a local model file, as a run does before it starts: a mistyped
    `builtin:humaneva` or model path is an error here (exit 2), not in the run; and starts the
    sandbox once, as a run does, unless Ray is a cluster's (`ray.address`)."""
    from pipeline.plan import check_sources
    from pipeline.run import check_sandbox
    from pipeline.sources.load import SourceError
    from sandbox.base import SandboxUnavailable

    config = _load(config_path)
    try:
        check_sources(config)
    except SourceError as exc:
        err.print(f"[red]error:[/red] {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        check_sandbox(config)
    except SandboxUnavailable as exc:
        err.print(f"[red]error:[/red] the sandbox cannot start here: {safe(exc)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    print(json.dumps(config.model_dump(mode="json"), indent=2))
