"""The `assay` command line."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Assay: generate candidate solutions with an LLM, verify them in a sandbox, keep what passes.",
    no_args_is_help=True,
    add_completion=False,
)
sandbox_app = typer.Typer(help="Inspect the isolation used to run untrusted code.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")
console = Console()


@app.callback()
def _main() -> None:
    """Exit codes: 0 done, 1 run failed, 2 bad config or input."""


@sandbox_app.command("check")
def sandbox_check(
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON on stdout"),
) -> None:
    """Print the isolation this machine provides and run a self-test of real attacks.

    Exits 0 when untrusted code can be run safely here (a sandbox backend works and every
    self-test passed), 1 otherwise.
    """
    from sandbox.check import run_check

    report = run_check()
    if as_json:
        print(json.dumps({**report.model_dump(), "ok": report.ok}, indent=2))
        raise typer.Exit(0 if report.ok else 1)
    console.print(f"[bold]Assay sandbox check[/bold] — {report.platform}")
    for title, probes in (("Kernel features", report.features), ("Backends", report.backends), ("Self-test", report.self_test)):
        table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
        for probe in probes:
            mark = "[green]ok[/green]" if probe.ok else "[red]NO[/red]"
            if title == "Backends" and probe.name == "unsafe":
                mark = "[yellow]--[/yellow]"
            table.add_row(mark, probe.name, f"[dim]{probe.detail}[/dim]")
        console.print(table)
    if not report.self_test:
        console.print("[red]No isolating backend could run the self-test.[/red]")
    verdict = "[green]safe to verify untrusted code[/green]" if report.ok else "[red]NOT safe: see above[/red]"
    console.print(f"Result: {verdict}")
    raise typer.Exit(0 if report.ok else 1)
