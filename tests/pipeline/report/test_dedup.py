"""Dedup of accepted samples: exact after normalising, near by MinHash, in reports and in
`assay select --dedup`, on a real small run (real Ray, real sandbox)."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import RunConfig, SourceConfig
from pipeline.generators.registry import GeneratorConfig
from pipeline.generators.replay import ReplayConfig
from pipeline.report.build import load_report
from pipeline.report.dedup import NearDupConfig, exact_key, shingles, unique_mask
from pipeline.run import run_pipeline
from tests.pipeline.e2e import write_jsonl

runner = CliRunner()

CANONICAL = (
    "    for idx, elem in enumerate(numbers):\n"
    "        for idx2, elem2 in enumerate(numbers):\n"
    "            if idx != idx2:\n"
    "                distance = abs(elem - elem2)\n"
    "                if distance < threshold:\n"
    "                    return True\n\n"
    "    return False\n"
)
COMMENTED = CANONICAL.replace("    return False\n", "    # nothing was close\n    return False\n")  # exact duplicate
EXTRA_LINE = "    count = len(numbers)\n" + CANONICAL  # near-duplicate: one harmless line more
SORTED = (  # a different correct program
    "    ordered = sorted(numbers)\n"
    "    return any(b - a < threshold for a, b in zip(ordered, ordered[1:]))\n"
)


def jaccard(a: str, b: str, ngram: int = 5) -> float:
    x, y = shingles(exact_key("code", a), ngram), shingles(exact_key("code", b), ngram)
    return len(x & y) / len(x | y)


def test_the_fixtures_are_what_their_names_say() -> None:
    assert exact_key("code", COMMENTED) == exact_key("code", CANONICAL)
    assert jaccard(EXTRA_LINE, CANONICAL) > 0.8
    assert jaccard(SORTED, CANONICAL) < 0.1


def test_near_duplicates_follow_the_true_similarity() -> None:
    """Random edits of one program: those far above the threshold are dropped, those far
    below are kept (MinHash estimates; the margin covers its error at 128 permutations)."""
    rng = random.Random(7)
    base = [f"x{i} = y{i} + {i}" for i in range(40)]
    near = NearDupConfig(threshold=0.7)
    checked = 0
    for _ in range(60):
        edited = list(base)
        for _ in range(rng.randint(0, 30)):
            edited[rng.randrange(len(edited))] = f"z{rng.randrange(1000)} = {rng.randrange(1000)}"
        a, b = "\n".join(base) + "\n", "\n".join(edited) + "\n"
        truth = jaccard(b, a)
        kept = unique_mask("code", [a, b], near)
        if truth >= near.threshold + 0.15:
            assert kept == [True, False], truth
            checked += 1
        elif truth <= near.threshold - 0.15:
            assert kept == [True, True], truth
            checked += 1
    assert checked >= 30


def test_unique_mask_keeps_the_first_copy_only() -> None:
    texts = [CANONICAL, COMMENTED, EXTRA_LINE, SORTED]
    assert unique_mask("code", texts) == [True, False, True, True]
    assert unique_mask("code", texts, NearDupConfig(threshold=0.8)) == [True, False, False, True]
    assert unique_mask("math", ["x = \\boxed{2}", "x  =  \\boxed{2}\n", "\\boxed{3}"]) == [True, False, True]


@pytest.fixture(scope="module")
def run(tmp_path_factory, humaneval) -> Path:
    tmp = tmp_path_factory.mktemp("dedup")
    prompt = humaneval["HumanEval/0"].prompt
    bodies = [CANONICAL, COMMENTED, EXTRA_LINE, SORTED, "    return False\n"]  # the last fails
    rows = [{"problem_id": "HumanEval/0", "sample_id": f"s{i}", "completion": prompt + body} for i, body in enumerate(bodies)]
    config = RunConfig(
        sources=[SourceConfig(path="builtin:humaneval")],
        generator=GeneratorConfig(engine=ReplayConfig(path=str(write_jsonl(tmp / "c.jsonl", rows)))),
        output={"dir": str(tmp / "run")},
    )
    assert run_pipeline(config, run_id="dedup").status == "complete"
    return tmp / "run"


def test_report_counts_exact_and_near_duplicates(run: Path) -> None:
    plain = load_report(str(run))
    assert (plain.passed, plain.accepted_unique, plain.accepted_duplicates) == (4, 3, 1)
    assert plain.accepted_near_duplicates is None and plain.problems[0].near_unique_passed is None
    near = load_report(str(run), near=NearDupConfig(threshold=0.8))
    assert (near.accepted_unique, near.accepted_near_duplicates, near.accepted_near_unique) == (3, 1, 2)
    assert near.problems[0].near_unique_passed == 2
    shown = runner.invoke(app, ["report", str(run), "--no-html", "--near-dup", "0.8"], terminal_width=200)
    assert shown.exit_code == 0 and "1 more, 2 accepted samples left" in " ".join(shown.stdout.split())


def test_select_drops_duplicates_keeping_the_lowest_sample_id(run: Path, tmp_path: Path, humaneval) -> None:
    kept = {}
    for mode in ("none", "exact", "near"):
        out = tmp_path / f"{mode}.parquet"
        result = runner.invoke(app, ["select", str(run), "--out", str(tmp_path / "p.jsonl"), "--samples", str(out),
                                     "--dedup", mode, "--near-dup", "0.8"])  # fmt: skip
        assert result.exit_code == 0, result.stdout
        kept[mode] = sorted(pq.read_table(out).column("completion").to_pylist())
    prompt = humaneval["HumanEval/0"].prompt
    assert len(kept["none"]) == 4
    assert kept["exact"] == sorted(prompt + body for body in (CANONICAL, EXTRA_LINE, SORTED))
    assert kept["near"] == sorted(prompt + body for body in (CANONICAL, SORTED))
