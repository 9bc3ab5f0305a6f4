"""Reports on verdict tables from real small runs (real Ray, real sandbox): pass@k against
an independent computation, bands and selection at their exact boundaries, diffs,
dedup, and the HTML report rendered by headless Chromium."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import RunConfig, SourceConfig
from pipeline.generators.registry import GeneratorConfig
from pipeline.generators.replay import ReplayConfig
from pipeline.report.build import load_report
from pipeline.report.diff import diff_reports
from pipeline.report.metrics import band_labels, band_of, pass_at_k
from pipeline.run import run_pipeline
from tests.pipeline.e2e import mutate, write_jsonl

N = 10
CORRECT_A = [0, 1, 3, 5, 9, 10]  # per problem: rates 0, 0.1, 0.3, 0.5, 0.9, 1
CORRECT_B = [2, 1, 3, 5, 9, 0]  # problem 0 newly solved, problem 5 newly unsolved
runner = CliRunner()


def make_run(tmp: Path, name: str, correct: list[int], humaneval: dict, new_failure: bool = False) -> Path:
    rows = []
    for problem, c in zip(list(humaneval.values())[: len(correct)], correct):
        for i in range(N):
            if i < c:  # the canonical solution; every other copy with a comment (a duplicate after normalising)
                comment = f"    # variant {i}\n" if i % 2 else ""
                text = problem.prompt + comment + problem.reference_solution
            elif new_failure and i == N - 1:
                text = problem.prompt + "    raise LookupError('brand new failure [/bold] [link=https://x.example]y[/link]')\n"
            else:
                text = problem.prompt + mutate(problem.reference_solution)
            rows.append({"problem_id": problem.problem_id, "completion": text, "model": f"model-{name}"})
    completions = write_jsonl(tmp / f"{name}.jsonl", rows)
    config = RunConfig(
        sources=[SourceConfig(path="builtin:humaneval")],
        generator=GeneratorConfig(engine=ReplayConfig(path=str(completions))),
        output={"dir": str(tmp / name)},
    )
    summary = run_pipeline(config, run_id=name)
    assert summary.status == "complete" and summary.samples == N * len(correct)
    return tmp / name


@pytest.fixture(scope="module")
def runs(tmp_path_factory, humaneval) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("reports")
    return make_run(tmp, "a", CORRECT_A, humaneval), make_run(tmp, "b", CORRECT_B, humaneval, new_failure=True)


def independent_pass_at_k(n: int, c: int, k: int) -> float:
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def test_pass_at_k_matches_the_estimator_computed_independently(runs) -> None:
    report = load_report(str(runs[0]))
    assert [p.passed for p in report.problems] == CORRECT_A and all(p.samples == N for p in report.problems)
    for k in (1, 5, 10):
        expected = sum(independent_pass_at_k(N, c, k) for c in CORRECT_A) / len(CORRECT_A)
        assert report.pass_at_k[f"pass@{k}"] == pytest.approx(expected, abs=1e-12)
    assert report.pass_at_k["pass@1"] == pytest.approx(sum(CORRECT_A) / (N * len(CORRECT_A)))
    for n, c, k in ((1, 0, 1), (1, 1, 1), (7, 3, 7), (100, 1, 10), (50, 49, 5)):
        assert pass_at_k(n, c, k) == pytest.approx(independent_pass_at_k(n, c, k), abs=1e-12)


def test_pass_at_k_only_where_n_allows(tmp_path: Path, humaneval) -> None:
    run = make_run(tmp_path, "few", [1, 2], {k: humaneval[k] for k in list(humaneval)[:2]})
    report = load_report(str(run))
    assert set(report.pass_at_k) == {"pass@1", "pass@5", "pass@10"}  # n = 10
    assert report.pass_at_k_curve[0][0] == 1 and report.pass_at_k_curve[-1][0] == N
    # Problems with fewer than k samples are left out of pass@k, not counted as failures.
    from pipeline.report.metrics import ProblemStats, _mean_pass_at_k

    def stats(n: int, c: int) -> ProblemStats:
        return ProblemStats(problem_id=f"p{n}", source="s", domain="code", samples=n, passed=c, pass_rate=c / n, unique_passed=c)

    few, many = stats(3, 3), stats(10, 1)
    assert _mean_pass_at_k([few, many], 5) == pytest.approx(independent_pass_at_k(10, 1, 5))
    assert _mean_pass_at_k([few], 5) is None
    assert _mean_pass_at_k([few, many], 1) == pytest.approx((1.0 + 0.1) / 2)


def test_bands_are_exact_at_their_boundaries(runs) -> None:
    report = load_report(str(runs[0]))
    labels = [label for label, _, _ in band_labels()]
    placed = {band.label: band.problems for band in report.bands}
    ids = [p.problem_id for p in report.problems]
    assert placed["0"] == [ids[0]]
    assert placed["(0, 0.1]"] == [ids[1]]  # exactly 0.1
    assert placed["(0.1, 0.3]"] == [ids[2]]  # exactly 0.3
    assert placed["(0.3, 0.5]"] == [ids[3]]
    assert placed["(0.7, 0.9]"] == [ids[4]]
    assert placed["1"] == [ids[5]]
    assert band_of(0.1000001) == labels.index("(0.1, 0.3]") and band_of(0.99) == labels.index("(0.9, 1)")


def test_failures_costs_and_dedup(runs) -> None:
    report = load_report(str(runs[0]))
    assert report.by_status["pass"] == sum(CORRECT_A)
    assert report.by_model == {"model-a": report.by_domain["code"]}
    assert report.accepted_unique == sum(1 for c in CORRECT_A if c)  # comments don't make a new program
    assert report.accepted_duplicates == sum(CORRECT_A) - report.accepted_unique
    assert report.verifier_cpu_s_total > 0 and report.verifier_cpu_s_per_accepted > 0
    assert report.verifier_wall_s_total > 0
    assert report.top_reasons and all(status != "pass" for status, _, _ in report.top_reasons)


def test_diff_finds_flips_and_new_failure_reasons(runs) -> None:
    a, b = load_report(str(runs[0])), load_report(str(runs[1]))
    diff = diff_reports(a, b)
    ids = [f"humaneval/{p.problem_id}" for p in a.problems]
    assert diff.newly_solved == [ids[0]] and diff.newly_unsolved == [ids[5]]
    assert diff.pass_rate_delta == pytest.approx((sum(CORRECT_B) - sum(CORRECT_A)) / (N * 6))
    assert {d.problem for d in diff.biggest_changes} == {ids[0], ids[5]}
    assert any("brand new failure" in reason for _, reason, _ in diff.new_failure_reasons)
    cli = runner.invoke(app, ["report", str(runs[0]), str(runs[1]), "--json"])
    assert cli.exit_code == 0 and json.loads(cli.stdout)["newly_unsolved"] == [ids[5]]
    # the hostile reason is printed literally, in the diff and in the single-run report
    for args in (["report", str(runs[0]), str(runs[1])], ["report", str(runs[1]), "--no-html"]):
        text = runner.invoke(app, args, terminal_width=250)
        assert text.exit_code == 0, text.output
    assert "[/bold] [link=https://x.example]" in runner.invoke(app, ["report", str(runs[0]), str(runs[1])], terminal_width=250).stdout


def test_select_writes_the_band_inclusive_at_both_ends(runs, tmp_path: Path) -> None:
    out, samples = tmp_path / "sel.jsonl", tmp_path / "sel.parquet"
    result = runner.invoke(app, ["select", str(runs[0]), "--min-rate", "0.1", "--max-rate", "0.9", "--out", str(out), "--samples", str(samples)])
    assert result.exit_code == 0, result.stdout
    chosen = [json.loads(line) for line in out.read_text().splitlines()]
    assert [c["passed"] for c in chosen] == [1, 3, 5, 9]
    table = pq.read_table(samples)
    assert table.num_rows == 1 + 3 + 5 + 9 and all(table.column("passed").to_pylist())
    narrow = runner.invoke(app, ["select", str(runs[0]), "--min-rate", "0.3", "--max-rate", "0.3", "--out", str(out)])
    assert narrow.exit_code == 0 and [json.loads(line)["passed"] for line in out.read_text().splitlines()] == [3]
    bad = runner.invoke(app, ["select", str(runs[0]), "--min-rate", "0.9", "--max-rate", "0.1", "--out", str(out)])
    assert bad.exit_code == 2


def test_html_report_renders_in_headless_chromium(runs, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    from PIL import Image

    result = runner.invoke(app, ["report", str(runs[0]), "--json"])
    assert result.exit_code == 0
    page = Path(json.loads(result.stdout)["html"])
    assert page == runs[0] / "report.html"
    text = page.read_text()
    assert "<script" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]  # fmt: skip
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for figure in ("hist", "status", "passk"):
        assert f'id="{figure}"' in dom.stdout
    assert dom.stdout.count('class="bar"') >= 8 + len(load_report(str(runs[0])).by_status)
    assert 'class="curve"' in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    shot = tmp_path / "report.png"
    subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1200,1400", page.as_uri()], capture_output=True, timeout=120, check=True)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 1400)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # text, cards, plots: far from a blank page
    pixels = {colour for _, colour in colours}
    assert (0x2E, 0x9E, 0x5B) in pixels  # the pass bars / pass@k curve are painted
    assert (0xD9, 0x53, 0x4F) in pixels  # the fail bar


def test_broken_problems_stay_out_of_every_rate() -> None:
    import pyarrow as pa

    from pipeline.report.metrics import build_report

    rows = [("p1", "pass", True), ("p1", "fail", False), ("p2", "invalid_problem", False), ("p2", "invalid_problem", False)]
    table = pa.table({
        "problem_id": [r[0] for r in rows], "source": ["s"] * 4, "domain": ["code"] * 4, "model": ["m"] * 4,
        "status": [r[1] for r in rows], "passed": [r[2] for r in rows], "reason": ["x"] * 4, "duration_s": [0.1] * 4,
        "verifier_cpu_s": [0.1] * 4, "completion_tokens": [5] * 4, "extracted": ["a"] * 4, "completion": ["a"] * 4,
    })  # fmt: skip
    report = build_report("r", table)
    assert report.pass_rate == 0.5 and report.by_domain["code"].samples == 2
    assert [p.problem_id for p in report.problems] == ["p1"]
    assert report.invalid_problems == ["s/p2"] and report.invalid_problem_samples == 2
    assert report.by_status["invalid_problem"] == 2


def test_dedup_ignores_comments_and_spacing_but_not_structure() -> None:
    from pipeline.report.dedup import normalise_code

    a = "def f(x):\n    if x:\n        return x\n    return 0\n"
    assert normalise_code(a) == normalise_code("def f(x):  # note\n\n    if x:\n      return  x\n    return 0\n")
    assert normalise_code(a) != normalise_code("def f(x):\n    if x:\n        return x\n        return 0\n")


def test_runs_written_by_an_older_assay_still_report(runs, tmp_path: Path) -> None:
    """Shards without columns added since (verifier_cpu_s, sample_index): nulls, no crash."""
    old = tmp_path / "old"
    shutil.copytree(runs[0], old)
    for shard in [*(old / "verdicts").glob("*.parquet"), *(old / "data").glob("*.parquet")]:
        table = pq.read_table(shard)
        pq.write_table(table.drop_columns(["verifier_cpu_s", "sample_index"]), shard)
    report = load_report(str(old))
    assert [p.passed for p in report.problems] == CORRECT_A
    assert report.verifier_cpu_s_total == 0 and report.completion_tokens_total == load_report(str(runs[0])).completion_tokens_total
    shown = runner.invoke(app, ["report", str(old), "--no-html"])
    assert shown.exit_code == 0, shown.output
    picked = runner.invoke(app, ["select", str(old), "--out", str(tmp_path / "p.jsonl"), "--samples", str(tmp_path / "s.parquet")])
    assert picked.exit_code == 0, picked.output
    assert pq.read_table(tmp_path / "s.parquet").column("sample_index").null_count == sum(CORRECT_A)


def test_a_report_read_shard_by_shard_equals_one_read_whole() -> None:
    """`assay report` reads a run one shard at a time: counts, duplicates (exact and near,
    across shards) and pass@k must not depend on how the rows are split or ordered."""
    import random

    import pyarrow as pa

    from pipeline.report.dedup import NearDupConfig
    from pipeline.report.metrics import build_report

    rng = random.Random(7)
    long = "x = a\n    y = b\n    z = x + y\n    w = z * 2\n    v = w - z\n    u = v + x\n    return u"
    bodies = [long, long + " + 0", long.replace("u = v + x", "u = v + y"), long + "  # same", "return a - b"]
    rows = []
    for i in range(300):
        problem = f"p{i % 23}"
        status = rng.choice(["pass", "pass", "fail", "timeout"]) if problem != "p5" else "invalid_problem"
        rows.append({
            "sample_id": f"s{i:04d}", "problem_id": problem, "source": rng.choice(["a", "b"]), "domain": "code",
            "model": "m", "status": status, "passed": status == "pass", "reason": rng.choice(["wrong answer", "crashed"]),
            "duration_s": 0.01 * (i % 5), "verifier_cpu_s": None if i % 7 == 0 else 0.02, "completion_tokens": i % 11,
            "extracted": f"def f(a, b):\n    {rng.choice(bodies)}\n", "completion": "",
        })  # fmt: skip
    whole = pa.Table.from_pylist(rows)
    near = NearDupConfig(threshold=0.5)
    expected = build_report("r", whole, near=near).model_dump()
    expected_json = build_report("r", whole, near=near).model_dump_json()  # order too: ties broken by name
    shuffled = pa.Table.from_pylist(rng.sample(rows, len(rows)))
    parts = [shuffled.slice(0, 1), shuffled.slice(1, 150), shuffled.slice(151), shuffled.slice(151, 0)]
    assert build_report("r", iter(parts), near=near).model_dump_json() == expected_json
    assert expected["accepted_duplicates"] > 0 and expected["accepted_near_duplicates"] > 0  # the case is not vacuous
    assert expected["invalid_problem_samples"] == sum(r["problem_id"] == "p5" for r in rows)


def test_report_of_a_read_only_run_prints_the_report_and_a_warning(tmp_path: Path) -> None:
    """It crashed with a traceback writing report.html, and printed no report."""
    import datetime as dt

    from pipeline.store import RunStore

    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        run = disk / "run"
        with RunStore(str(run), "r", {}, "h") as store:  # a run's directory as a run leaves it
            store.add_samples([{
                "sample_id": f"s{i}", "problem_id": "p", "source": "s", "domain": "math", "sample_index": i, "prompt": "q",
                "completion": "c", "status": "pass" if i else "fail", "passed": bool(i), "tests_passed": 0, "tests_total": 1,
                "reason": "", "duration_s": 0.1, "verifier_cpu_s": 0.1, "model": "m", "run_id": "r", "created_at": dt.datetime.now(dt.UTC),
            } for i in range(2)])  # fmt: skip
            store.commit()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = runner.invoke(app, ["report", str(run)])
        assert result.exit_code == 0, result.stdout + result.stderr
        assert "Run r: 2 samples from 1 problems, 1 passed (50.0% of 2 judged)" in result.stdout
        warning = " ".join(result.stderr.split())
        assert f"warning: no HTML report: cannot write {run}/report.html: Read-only file system (--html PATH" in warning, warning
        as_json = runner.invoke(app, ["report", str(run), "--json"])
        assert as_json.exit_code == 0 and json.loads(as_json.stdout)["html"] is None and json.loads(as_json.stdout)["samples"] == 2
        elsewhere = runner.invoke(app, ["report", str(run), "--html", str(tmp_path / "r.html")])
        assert elsewhere.exit_code == 0 and (tmp_path / "r.html").exists()
        named = runner.invoke(app, ["report", str(run), "--html", str(disk / "r.html")])  # asked for by name: exit 1
        assert named.exit_code == 1 and "Run r: 2 samples" in named.stdout and "cannot write" in named.stderr
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
