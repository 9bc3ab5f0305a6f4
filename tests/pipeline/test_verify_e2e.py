"""`assay verify` end to end on real Ray with real sandboxes: HumanEval canonical and
mutated completions, malformed input, shards that load with `datasets`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import RunConfig, SourceConfig
from pipeline.generators.registry import GeneratorConfig
from pipeline.generators.replay import ReplayConfig
from pipeline.run import run_pipeline
from tests.pipeline.e2e import assay, mutate, read_run, write_jsonl

PROBLEMS = 12  # the first HumanEval problems


@pytest.fixture(scope="module")
def humaneval_completions(tmp_path_factory, humaneval) -> Path:
    rows = []
    for problem in list(humaneval.values())[:PROBLEMS]:
        body = problem.reference_solution
        rows.append({"problem_id": problem.problem_id, "completion": f"```python\n{problem.prompt}{body}```", "model": "canonical"})
        rows.append({"problem_id": problem.problem_id, "completion": problem.prompt + mutate(body), "model": "mutant"})
    return write_jsonl(tmp_path_factory.mktemp("c") / "completions.jsonl", rows)


@pytest.fixture(scope="module")
def verified(tmp_path_factory, humaneval_completions) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    result = assay("verify", "--problems", "builtin:humaneval", "--completions", str(humaneval_completions), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert summary["status"] == "complete" and summary["samples"] == 2 * PROBLEMS
    return out


def test_only_canonical_samples_pass_and_land_in_data(verified: Path) -> None:
    manifest, verdicts, data, errors = read_run(verified)
    rows = verdicts.to_pylist()
    assert len(rows) == 2 * PROBLEMS and errors is None
    assert {r["model"] for r in rows if r["passed"]} == {"canonical"}
    assert sum(r["passed"] for r in rows) == PROBLEMS
    assert all(r["status"] != "pass" for r in rows if r["model"] == "mutant")
    assert data.num_rows == PROBLEMS and all(data.column("passed").to_pylist())
    assert len(set(verdicts.column("sample_id").to_pylist())) == 2 * PROBLEMS


def test_manifest_counts_match_the_shards(verified: Path) -> None:
    manifest, verdicts, data, _ = read_run(verified)
    counts = manifest["counts"]
    assert counts["samples"] == verdicts.num_rows and counts["passed"] == data.num_rows
    assert sum(counts["by_status"].values()) == verdicts.num_rows
    assert counts["by_domain"]["code"] == {"samples": 2 * PROBLEMS, "passed": PROBLEMS, "invalid_problem": 0}
    for kind, table in (("verdicts", verdicts), ("data", data)):
        assert sum(s["rows"] for s in manifest["shards"] if s["kind"] == kind) == table.num_rows
    assert manifest["status"] == "complete" and manifest["code_version"].startswith("assay ")
    assert manifest["pass_rate"] == pytest.approx(0.5)


def test_shards_load_with_datasets(verified: Path) -> None:
    import datasets

    data = datasets.load_dataset("parquet", data_files=str(verified / "data" / "*.parquet"), split="train")
    assert len(data) == PROBLEMS and all(data["passed"])
    assert {"sample_id", "problem_id", "prompt", "completion", "extracted", "status", "sampling", "run_id", "created_at"} <= set(data.column_names)
    verdicts = datasets.load_dataset("parquet", data_files=str(verified / "verdicts" / "*.parquet"), split="train")
    assert len(verdicts) == 2 * PROBLEMS


def test_rerun_of_a_finished_run_is_a_no_op(verified: Path, humaneval_completions: Path) -> None:
    before = (verified / "manifest.json").read_text()
    shards = sorted(p.name for p in (verified / "verdicts").iterdir())
    result = assay("verify", "--problems", "builtin:humaneval", "--completions", str(humaneval_completions), "--out", str(verified), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary["new_samples"] == 0 and summary["samples"] == 2 * PROBLEMS
    assert sorted(p.name for p in (verified / "verdicts").iterdir()) == shards
    assert json.loads(before)["counts"] == json.loads((verified / "manifest.json").read_text())["counts"]


def test_report_reads_the_run(verified: Path) -> None:
    result = assay("report", str(verified), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["passed"] == PROBLEMS
    text = assay("report", str(verified))
    assert "50.0%" in text.stdout and "pass@1 = 0.500" in text.stdout
    assert (verified / "report.html").exists()


def _nested(depth: int) -> dict:
    nested: dict = {}
    for _ in range(depth):
        nested = {"k": nested}
    return nested


def test_malformed_rows_end_in_errors_or_verdicts_and_the_run_completes(tmp_path: Path, humaneval) -> None:
    problems = write_jsonl(
        tmp_path / "problems.jsonl",
        [
            {"problem_id": "m1", "domain": "math", "prompt": "1+1?", "answer": "2"},
            {"problem_id": "add", "domain": "code", "prompt": "def add(a, b):\n", "entry_point": "add",
             "tests": {"kind": "call", "fn_name": "add", "cases": [{"args": [1, 2], "expected": 3}]}},
            {"problem_id": "empty-tests", "domain": "code", "prompt": "x", "tests": {"kind": "stdio", "cases": []}},
            b'{"problem_id": "truncated", "domain": "ma',
            {"problem_id": "no-answer-field", "domain": "math", "prompt": "?"},
            {"problem_id": "deep", "domain": "math", "prompt": "?", "answer": "1", "metadata": _nested(200)},  # unreadable as JSON later
        ],
    )  # fmt: skip
    completions = write_jsonl(
        tmp_path / "completions.jsonl",
        [
            {"problem_id": "m1", "completion": "so \\boxed{2}"},
            {"problem_id": "m1", "completion": "so \\boxed{3}"},
            {"problem_id": "m1", "completion": ""},
            {"problem_id": "add", "completion": "def add(a, b):\n    return a + b\n"},
            {"problem_id": "add", "completion": "x" * 10_000_000},  # 10 MB
            {"problem_id": "add", "completion": "def add(a, b):\n    return a \x00+ b\n"},
            b'{"problem_id": "m1", "completion": "\xff\xfe"}',  # not UTF-8
            b'{"problem_id": "m1", "completion": ',  # bad JSON
            {"completion": "no problem id"},
            {"problem_id": "m1", "completion": 42},  # wrong type
            {"problem_id": "unknown", "completion": "?"},
            {"problem_id": "unknown", "completion": "?"},  # the same bad row twice: two errors, not one
            {"problem_id": "m1", "completion": "dup", "sample_id": "fixed"},
            {"problem_id": "m1", "completion": "dup again", "sample_id": "fixed"},
            {"problem_id": "deep", "completion": "\\boxed{1}"},
        ],
    )
    completions.write_bytes(b"\xef\xbb\xbf" + completions.read_bytes())  # an editor's byte-order mark: not an error
    config = RunConfig(
        sources=[SourceConfig(path=str(problems))],
        generator=GeneratorConfig(engine=ReplayConfig(path=str(completions))),
        output={"dir": str(tmp_path / "out")},
    )
    summary = run_pipeline(config, run_id="malformed")
    assert summary.status == "complete"
    manifest, verdicts, data, errors = read_run(tmp_path / "out")
    by_text = {r["completion"][:40]: r for r in verdicts.to_pylist()}
    assert by_text["so \\boxed{2}"]["status"] == "pass"
    assert by_text["so \\boxed{3}"]["status"] == "fail"
    assert by_text[""]["status"] == "no_answer"
    assert by_text["x" * 40]["status"] == "no_answer" and "limit" in by_text["x" * 40]["reason"]
    assert by_text["dup"]["sample_id"] == "fixed"
    # NUL bytes are dropped by extraction; the judged code is recorded in `extracted`
    assert by_text["def add(a, b):\n    return a + b\n"]["status"] == "pass"
    nul = by_text["def add(a, b):\n    return a \x00+ b\n"]
    assert nul["status"] == "pass" and "\x00" not in nul["extracted"]
    assert verdicts.num_rows == 7 == summary.samples
    reasons = errors.column("reason").to_pylist()
    assert summary.errors_by_stage == {"input": len(reasons)}
    for expected in ("not UTF-8", "bad JSON", "problem_id", "completion", "no such problem", "duplicate sample_id",
                     "tests.stdio.cases", "answer", "cannot be read back from JSON"):  # fmt: skip
        assert any(expected in r for r in reasons), (expected, reasons)
    assert len(reasons) == 12
    assert sum("no such problem" in r for r in reasons) == 3


@pytest.mark.docker
def test_verify_can_judge_in_the_docker_sandbox(tmp_path: Path, humaneval) -> None:
    """`--sandbox docker`, for machines without root: the same verdicts from containers."""
    from sandbox.base import SandboxUnavailable
    from sandbox.config import DockerSandboxConfig, make_sandbox

    try:
        make_sandbox(DockerSandboxConfig()).close()
    except SandboxUnavailable as exc:
        pytest.skip(f"docker backend unavailable here: {exc} (`make docker-test-engine` sets one up on a Debian host, as root)")
    problems = list(humaneval.values())[:3]
    rows = [{"problem_id": p.problem_id, "completion": f"```python\n{p.prompt}{p.reference_solution}```"} for p in problems]
    rows += [{"problem_id": p.problem_id, "completion": p.prompt + mutate(p.reference_solution)} for p in problems]
    out = tmp_path / "out"
    result = assay("verify", "--problems", "builtin:humaneval", "--completions", str(write_jsonl(tmp_path / "c.jsonl", rows)),
                   "--out", str(out), "--sandbox", "docker", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    manifest, verdicts, data, _ = read_run(out)
    assert manifest["config"]["sandbox"]["kind"] == "docker"
    assert data.num_rows == 3 and set(data.column("problem_id").to_pylist()) == {p.problem_id for p in problems}
    assert verdicts.num_rows == 6
