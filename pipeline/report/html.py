"""A self-contained HTML report: inline CSS and SVG plots, no scripts, no network."""

from __future__ import annotations

import html
from collections.abc import Sequence

from pipeline.report.metrics import Report

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2433;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
.muted{color:#667}.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #dde;border-radius:8px;padding:.7rem 1rem;min-width:140px}
.card b{display:block;font-size:1.4rem}table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .7rem;border-bottom:1px solid #eef;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.plots{display:flex;gap:1.5rem;flex-wrap:wrap}figure{margin:0}
figcaption{font-weight:600;margin-bottom:.3rem}details{margin:.2rem 0}code{font-size:12px}svg text{font:11px system-ui,sans-serif;fill:#334}
"""
COLORS = {"pass": "#2e9e5b", "fail": "#d9534f", "compile_error": "#b5651d", "runtime_error": "#e08e0b", "timeout": "#7b61c4",
          "memory_limit": "#5b7bd5", "output_limit": "#3aa6b9", "no_answer": "#999", "invalid_problem": "#555", "verifier_error": "#000"}  # fmt: skip


def _e(value: object) -> str:
    return html.escape(str(value))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def bar_chart(labels: Sequence[str], values: Sequence[float], colors: Sequence[str] | None = None, width: int = 460, title: str = "") -> str:
    """Vertical bars with value labels."""
    height, left, bottom, top = 220, 36, 40, 14
    peak = max(values, default=0) or 1
    slot = (width - left - 10) / max(len(values), 1)
    parts = [f'<svg role="img" aria-label="{_e(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#99a"/>')
    for i, (label, value) in enumerate(zip(labels, values)):
        h = (height - bottom - top) * value / peak
        x = left + i * slot + slot * 0.15
        color = colors[i] if colors else "#4a78c2"
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{height - bottom - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{color}"><title>{_e(label)}: {value:g}</title></rect>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom - h - 3:.1f}" text-anchor="middle">{value:g}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 14}" text-anchor="middle">{_e(label[:14])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(points: Sequence[tuple[float, float]], width: int = 460, title: str = "", log_x: bool = True) -> str:
    """A line over (x, y in [0, 1]) points, x on a log scale."""
    import math

    height, left, bottom, top, right = 220, 40, 34, 12, 14
    parts = [f'<svg role="img" aria-label="{_e(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="none" stroke="#dde"/>')
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + (height - top - bottom) * (1 - tick)
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:.0%}</text>')
    if points:
        xs = [math.log(x) if log_x else x for x, _ in points]
        lo, hi = min(xs), max(xs)
        span = (hi - lo) or 1

        def px(x: float) -> float:
            return left + (width - left - right) * ((math.log(x) if log_x else x) - lo) / span

        def py(y: float) -> float:
            return top + (height - top - bottom) * (1 - y)

        path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(points))
        parts.append(f'<path class="curve" d="{path}" fill="none" stroke="#2e9e5b" stroke-width="2"/>')
        for x, y in points:
            if x in (1, 5, 10, points[-1][0]):
                parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="#2e9e5b"><title>pass@{x:g} = {y:.3f}</title></circle>')
                parts.append(f'<text x="{px(x):.1f}" y="{height - bottom + 14}" text-anchor="middle">k={x:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rate_table(title: str, rates: dict) -> str:
    rows = "".join(f"<tr><td>{_e(k)}</td><td class=n>{r.samples}</td><td class=n>{r.passed}</td><td class=n>{_pct(r.pass_rate)}</td></tr>" for k, r in rates.items())
    return f"<table><tr><th>{_e(title)}</th><th class=n>samples</th><th class=n>passed</th><th class=n>pass rate</th></tr>{rows}</table>"


def render_html(report: Report, manifest_summary: dict | None = None) -> str:
    cards = [
        ("samples", report.samples), ("passed", report.passed), ("pass rate", _pct(report.pass_rate)),
        *((k, f"{v:.3f}") for k, v in report.pass_at_k.items()),
        ("unique accepted", report.accepted_unique),
    ]  # fmt: skip
    bands = report.bands
    statuses = list(report.by_status.items())
    body = [
        f"<h1>Assay run {_e(report.run_id)}</h1>",
        f"<p class=muted>{report.problem_count} problems · {report.samples} samples, {report.judged_samples} judged"
        + (f" ({report.invalid_problem_samples} invalid_problem: the problem's reference fails its own tests; left out of every rate)"
           if report.invalid_problem_samples else "")
        + " · generated by <code>assay report</code></p>",
        "<div class=cards>" + "".join(f"<div class=card><span class=muted>{_e(k)}</span><b>{_e(v)}</b></div>" for k, v in cards) + "</div>",
        "<h2>Plots</h2><div class=plots>",
        "<figure id=hist><figcaption>Problems by pass rate</figcaption>"
        + bar_chart([b.label for b in bands], [len(b.problems) for b in bands], title="problems by pass rate") + "</figure>",
        "<figure id=status><figcaption>Samples by status</figcaption>"
        + bar_chart([s for s, _ in statuses], [n for _, n in statuses], [COLORS.get(s, "#888") for s, _ in statuses], title="samples by status") + "</figure>",
        "<figure id=passk><figcaption>pass@k</figcaption>" + line_chart(report.pass_at_k_curve, title="pass@k curve") + "</figure>",
        "</div>",
        "<h2>Pass rates</h2><div class=plots>",
        _rate_table("domain", report.by_domain), _rate_table("source", report.by_source), _rate_table("model", report.by_model),
        "</div>",
        "<h2>Difficulty bands</h2><table><tr><th>pass rate</th><th class=n>problems</th><th>which</th></tr>",
    ]  # fmt: skip
    for band in bands:
        listed = ", ".join(_e(p) for p in band.problems[:200]) + (" …" if len(band.problems) > 200 else "")
        body.append(f"<tr><td>{_e(band.label)}</td><td class=n>{len(band.problems)}</td><td><details><summary>show</summary>{listed}</details></td></tr>")
    body.append("</table><h2>Why samples fail</h2><table><tr><th>status</th><th>reason</th><th class=n>samples</th></tr>")
    for status, reason, count in report.top_reasons:
        body.append(f"<tr><td>{_e(status)}</td><td><code>{_e(reason)}</code></td><td class=n>{count}</td></tr>")
    body.append("</table><h2>Cost</h2><table>")
    for label, value in (
        ("verifier CPU seconds, total (sandbox)", f"{report.verifier_cpu_s_total:,.2f}"),
        ("verifier CPU seconds per accepted sample", report.verifier_cpu_s_per_accepted if report.verifier_cpu_s_per_accepted is not None else "—"),
        ("verifier wall seconds, summed over samples", f"{report.verifier_wall_s_total:,.1f}"),
        ("timeouts", report.timeouts),
        ("completion tokens, total", f"{report.completion_tokens_total:,}"),
        ("completion tokens per accepted sample", report.tokens_per_accepted if report.tokens_per_accepted is not None else "—"),
        ("accepted samples, unique / duplicates", f"{report.accepted_unique} / {report.accepted_duplicates}"),
        *(
            [(f"near-duplicates beyond those (MinHash, Jaccard ≥ {report.near_dup.threshold:g}) / left", f"{report.accepted_near_duplicates} / {report.accepted_near_unique}")]
            if report.near_dup is not None else []
        ),
    ):
        body.append(f"<tr><td>{_e(label)}</td><td class=n>{_e(value)}</td></tr>")
    body.append("</table>")
    return f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Assay run {_e(report.run_id)}</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>"
