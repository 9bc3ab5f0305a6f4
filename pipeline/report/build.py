"""From a run directory to a `Report`, and the HTML file beside it."""

from __future__ import annotations

from pipeline.report.dedup import NearDupConfig
from pipeline.report.html import render_html
from pipeline.report.load import iter_verdicts, load_manifest
from pipeline.report.metrics import Report, build_report
from pipeline.rows import REPORT_COLUMNS
from pipeline.storage import resolve


def load_report(location: str, top: int = 10, near: NearDupConfig | None = None) -> Report:
    """A run's report, read one verdict shard at a time (`ReportBuilder` says what it holds)."""
    manifest = load_manifest(location)
    report = build_report(manifest.run_id, iter_verdicts(location, manifest, REPORT_COLUMNS), top=top, near=near)
    return report.model_copy(update={"status": manifest.status, "status_reason": manifest.outcome.failure})


def write_html(report: Report, run_dir: str, path: str | None = None) -> str:
    """Write the HTML report (default: RUN/report.html); returns where it went."""
    target = path or f"{run_dir.rstrip('/')}/report.html"
    fs, resolved = resolve(target)
    with fs.open_output_stream(resolved) as stream:
        stream.write(render_html(report).encode("utf-8"))
    return target
