"""`assay run` end to end with the embedded model on real Ray: shards, resume after
`kill -9`, the run lock, a multi-node Ray cluster and a Ray Jobs submission."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.pipeline.e2e import ROOT, assay, read_run, write_jsonl

SMALL = {
    "run_id": "small",
    "sources": [{"path": "builtin:humaneval", "limit": 3}, {"path": "builtin:math-synth", "n": 5}],
    "generator": {"engine": {"backend": "llamacpp"}, "sampling": {"n": 3, "max_tokens": 12}},
    "output": {"shard_rows": 4},
}
EXPECTED = (3 + 5) * 3


def write_config(path: Path, **overrides) -> Path:
    config = json.loads(json.dumps(SMALL))
    for dotted, value in overrides.items():
        node = config
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    path.write_text(yaml.safe_dump(config))
    return path


def sample_ids(out: Path) -> list[str]:
    _, verdicts, _, _ = read_run(out)
    return verdicts.column("sample_id").to_pylist()


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> Path:
    """One uninterrupted run: the reference for every resume test."""
    base = tmp_path_factory.mktemp("clean")
    config = write_config(base / "run.yaml")
    result = assay("run", str(config), "--out", str(base / "out"), "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    return base / "out"


def test_embedded_run_writes_every_sample_once(clean_run: Path) -> None:
    manifest, verdicts, data, errors = read_run(clean_run)
    ids = verdicts.column("sample_id").to_pylist()
    assert len(ids) == len(set(ids)) == EXPECTED == manifest["expected_samples"] == manifest["counts"]["samples"]
    rows = verdicts.to_pylist()
    assert {r["domain"] for r in rows} == {"code", "math"}
    assert {r["source"] for r in rows} == {"humaneval", "math-synth"}
    assert all(r["model"] == "SmolLM2-135M-Instruct.Q4_1" and r["completion_tokens"] > 0 for r in rows)
    assert all(r["sampling"]["max_tokens"] == 12 for r in rows)
    assert sorted({r["sample_index"] for r in rows}) == [0, 1, 2]
    assert all(r["status"] in {"pass", "fail", "compile_error", "runtime_error", "no_answer", "timeout"} for r in rows)
    assert (data is None and manifest["counts"]["passed"] == 0) or all(data.column("passed").to_pylist())
    assert manifest["run_id"] == "small" and manifest["status"] == "complete"


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _committed_shards(out: Path) -> int:
    try:
        manifest = json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        return 0
    return sum(1 for s in manifest["shards"] if s["kind"] == "verdicts")


def _start(config: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(config), "--out", str(out), "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def _kill_group(proc: subprocess.Popen) -> None:
    """Ray's agents can outlive a killed driver; don't leak them into the rest of the suite."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_gives_the_clean_run_sample_ids(tmp_path: Path, clean_run: Path) -> None:
    # small batches all the way, so shards are committed one by one while work remains
    config = write_config(tmp_path / "run.yaml", **{"generator.engine.batch_size": 1, "verify.batch_size": 2})
    out = tmp_path / "out"
    proc = _start(config, out)
    _wait_for(lambda: _committed_shards(out) >= 1 or proc.poll() is not None, 300, "a first committed shard")
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)  # the driver only: Ray's own processes must cope
    proc.wait()
    _kill_group(proc)
    partial = sample_ids(out)
    assert 0 < len(partial) < EXPECTED
    result = assay("run", str(config), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert summary["new_samples"] == EXPECTED - len(partial)
    ids = sample_ids(out)
    assert len(ids) == len(set(ids)), "a sample was committed twice"
    assert sorted(ids) == sorted(sample_ids(clean_run))


def _replay_config(path: Path, completions: Path) -> Path:
    path.write_text(yaml.safe_dump({
        "sources": [{"path": "builtin:humaneval", "limit": 12}],
        # small batches all the way, so shards are committed one by one while work remains
        "generator": {"engine": {"backend": "replay", "path": str(completions), "batch_size": 1}},
        "verify": {"batch_size": 1},
        "output": {"shard_rows": 4, "writes": "workers"},
    }))  # fmt: skip
    return path


@pytest.mark.slow
def test_workers_writing_shards_survive_kill_9_and_every_sample_is_judged_once(tmp_path: Path, humaneval) -> None:
    """`output.writes: workers`: shards written on Ray workers, listed by the driver."""
    rows, slow = [], "import time\ntime.sleep(0.2)  # so that the run can be killed midway\n"
    for problem in list(humaneval.values())[:12]:
        rows.append({"problem_id": problem.problem_id, "completion": f"```python\n{slow}{problem.prompt}{problem.reference_solution}```"})
        rows.append({"problem_id": problem.problem_id, "completion": f"```python\n{slow}{problem.prompt}    return None\n```"})
    rows.append({"problem_id": "no-such-problem", "completion": "x"})  # an input error, met again by the rerun
    config, out = _replay_config(tmp_path / "run.yaml", write_jsonl(tmp_path / "completions.jsonl", rows)), tmp_path / "out"
    proc = _start(config, out)
    _wait_for(lambda: _committed_shards(out) >= 1 or proc.poll() is not None, 300, "a first committed shard")
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _kill_group(proc)
    partial = sample_ids(out)
    assert 0 < len(partial) < 24
    result = assay("run", str(config), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout)["new_samples"] == 24 - len(partial)
    manifest, verdicts, data, errors = read_run(out)
    assert errors.column("problem_id").to_pylist() == ["no-such-problem"] and manifest["counts"]["errors_by_stage"] == {"input": 1}
    assert all(s["path"].split("/")[1].startswith("part-w") for s in manifest["shards"] if s["kind"] != "errors")
    listed = {s["path"] for s in manifest["shards"]}
    assert {f"{p.parent.name}/{p.name}" for p in out.glob("*/*.parquet")} == listed  # nothing unlisted left behind
    ids = verdicts.column("sample_id").to_pylist()
    assert len(ids) == len(set(ids)) == 24 == manifest["counts"]["samples"]
    for row in verdicts.to_pylist():  # the canonical solutions pass, `return None` fails
        assert row["passed"] == (not row["completion"].endswith("    return None\n```")), row["reason"]
    assert sorted(data.column("sample_id").to_pylist()) == sorted(r["sample_id"] for r in verdicts.to_pylist() if r["passed"])
    assert manifest["counts"]["passed"] == data.num_rows == 12


@pytest.mark.slow
def test_a_second_run_on_the_same_output_refuses_to_start(tmp_path: Path) -> None:
    config = write_config(tmp_path / "run.yaml")
    out = tmp_path / "out"
    first = _start(config, out)
    try:
        _wait_for(lambda: (out / ".assay.lock").exists() and (out / ".assay.lock").read_text() != "", 120, "the lock")
        second = assay("run", str(config), "--out", str(out))
        assert second.returncode == 1
        assert "is being written by pid" in second.stderr
    finally:
        _kill_group(first)
        first.wait()


def test_bad_config_exits_2_naming_the_field(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("sources: [{path: builtin:humaneval}]\ngenerator: {sampling: {n: -1}}\n")
    result = assay("run", str(config))
    assert result.returncode == 2
    assert "generator.sampling.n" in result.stderr and "bad.yaml" in result.stderr


def test_fail_under_turns_a_low_pass_rate_into_exit_1(clean_run: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path / "run.yaml")
    # the finished clean run is a no-op here: it only prints its summary and checks the rate
    result = assay("run", str(config), "--out", str(clean_run), "--fail-under", "0.99")
    assert result.returncode == 1 and "under --fail-under" in result.stderr


def test_dead_endpoint_ends_partial_with_reasons_and_a_rerun_retries(tmp_path: Path) -> None:
    from tests.pipeline.generators.conftest import free_port

    engine = {"backend": "openai", "model": "m", "base_url": f"http://127.0.0.1:{free_port()}/v1", "max_retries": 1, "backoff_s": 0.01}
    config = write_config(tmp_path / "run.yaml", **{"generator.engine": engine})
    out = tmp_path / "out"
    result = assay("run", str(config), "--out", str(out), "--json")
    assert result.returncode == 1, result.stderr[-2000:]  # nothing was judged: the run failed
    summary = json.loads(result.stdout)
    assert summary["status"] == "failed" and summary["samples"] == 0
    assert summary["failure"] == f"no sample was judged: {EXPECTED} samples could not be generated (reasons in errors/)"
    assert summary["missing_samples"] == EXPECTED and summary["errors_by_stage"] == {"generate": EXPECTED}
    _, verdicts, _, errors = read_run(out)
    assert verdicts is None
    reasons = errors.column("reason").to_pylist()
    assert len(reasons) == EXPECTED and all("connection failed" in r and "after 2 attempts" in r for r in reasons)
    again = assay("run", str(config), "--out", str(out))
    assert again.returncode == 1 and "samples are missing" in again.stdout and "Rerun" in again.stdout
    assert again.stdout.startswith("Run failed: no sample was judged")


@pytest.mark.slow
def test_ctrl_c_keeps_what_was_judged_and_the_rerun_completes(tmp_path: Path) -> None:
    # One big shard, committed on a timer, so the first commit tells that samples flow.
    # Longer completions than the other tests, so there is time to interrupt.
    config = write_config(tmp_path / "run.yaml", **{"generator.engine.batch_size": 1, "verify.batch_size": 2,
                                                     "generator.sampling.max_tokens": 64,
                                                     "output.shard_rows": 1000, "output.commit_every_s": 2})  # fmt: skip
    out = tmp_path / "out"
    log = tmp_path / "stderr.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(config), "--out", str(out)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)  # fmt: skip
        try:
            _wait_for(lambda: "committed verdicts" in log.read_text(), 180, "samples to flow")
            time.sleep(1)
            assert proc.poll() is None, "the run finished before it could be interrupted"
            proc.send_signal(signal.SIGINT)
            assert proc.wait(120) == 1
        finally:
            _kill_group(proc)
    text = log.read_text()
    assert "interrupted" in text and "rerun the same command to resume" in text
    kept = sample_ids(out)
    assert 0 < len(kept) < EXPECTED
    result = assay("run", str(config), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["new_samples"] == EXPECTED - len(kept)
    ids = sample_ids(out)
    assert len(ids) == len(set(ids)) == EXPECTED and set(kept) <= set(ids)


def test_raising_n_extends_a_finished_run(tmp_path: Path, clean_run: Path) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(clean_run, out)
    config = write_config(tmp_path / "run.yaml", **{"generator.sampling.n": 4})
    result = assay("run", str(config), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary["new_samples"] == 8 and summary["samples"] == 32  # one more sample for each of 8 problems
    ids = sample_ids(out)
    assert len(set(ids)) == 32 and set(sample_ids(clean_run)) <= set(ids)
    # lowering n again: nothing to do, nothing missing, the extra samples stay
    lower = write_config(tmp_path / "lower.yaml", **{"generator.sampling.n": 2})
    result = assay("run", str(lower), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["new_samples"], summary["missing_samples"], summary["expected_samples"]) == ("complete", 0, 0, 16)
    history = json.loads((out / "manifest.json").read_text())["history"]
    ns = [h["config"]["generator"]["sampling"]["n"] for h in history]
    assert ns[0] == 3 and ns[-2:] == [4, 2]  # (other tests may have rerun the clean run in between)
