"""Faults during a run, as a scheduled job meets them: a verifier actor killed, the
sandbox's fork server killed, the output disk full, two runs at once on a busy 2-core
machine. Each ends with clear messages, nothing lost or duplicated, and the verdicts of
a clean run (after one rerun where the fault stopped the run)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.pipeline.e2e import ROOT, mutate, read_run, write_jsonl

PROBLEMS = 16  # HumanEval problems; each gets its canonical solution, a mutant and a slow correct one


@pytest.fixture(scope="module")
def completions(tmp_path_factory, humaneval) -> Path:
    rows = []
    for problem in list(humaneval.values())[:PROBLEMS]:
        body = problem.reference_solution
        rows.append({"problem_id": problem.problem_id, "completion": problem.prompt + body, "model": "canonical"})
        rows.append({"problem_id": problem.problem_id, "completion": problem.prompt + mutate(body), "model": "mutant"})
        # Correct but slow (wall time, not CPU): keeps the verifier busy long enough to be hit.
        rows.append({"problem_id": problem.problem_id, "completion": "import time\ntime.sleep(0.4)\n" + problem.prompt + body, "model": "slow"})
    return write_jsonl(tmp_path_factory.mktemp("faults") / "completions.jsonl", rows)


def _config(path: Path, completions: Path, **verify) -> Path:
    config = {
        "sources": [{"path": "builtin:humaneval", "limit": PROBLEMS}],
        "generator": {"engine": {"backend": "replay", "path": str(completions), "batch_size": 8}},
        "verify": {"batch_size": 4, **verify},
        "output": {"shard_rows": 8},
    }
    path.write_text(yaml.safe_dump(config))
    return path


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _start(config: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(config), "--out", str(out), "--json"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def _finish(proc: subprocess.Popen, timeout: float = 600) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # Ray's agents must not outlive the test
        except ProcessLookupError:
            pass
    return proc.returncode, out, err


def _verdicts(out: Path) -> dict[str, str]:
    _, verdicts, _, _ = read_run(out)
    rows = verdicts.to_pylist()
    counts = Counter(r["sample_id"] for r in rows)
    assert max(counts.values()) == 1, "a sample was committed twice"
    return {r["sample_id"]: r["status"] for r in rows}


@pytest.fixture(scope="module")
def clean(tmp_path_factory, completions) -> dict[str, str]:
    work = tmp_path_factory.mktemp("clean")
    code, out, err = _finish(_start(_config(work / "c.yaml", completions), work / "out"))
    assert code == 0, err[-3000:]
    verdicts = _verdicts(work / "out")
    assert len(verdicts) == 3 * PROBLEMS
    assert Counter(verdicts.values())["pass"] == 2 * PROBLEMS  # canonical and slow pass, mutants do not
    return verdicts


def _pids(needle: str, under: int) -> list[int]:
    """Processes whose command line contains `needle`, in the session of `under`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if needle in cmdline and os.getsid(int(entry.name)) == os.getsid(under):
                found.append(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
    return found


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_two_runs_at_once_on_a_busy_machine_match_a_clean_run(tmp_path: Path, completions: Path, clean) -> None:
    procs = [_start(_config(tmp_path / f"c{i}.yaml", completions, workers_per_actor=4), tmp_path / f"out{i}") for i in range(2)]
    results = [_finish(p) for p in procs]
    for code, _, err in results:
        assert code == 0, err[-3000:]
    for i in range(2):
        assert _verdicts(tmp_path / f"out{i}") == clean
        _, _, _, errors = read_run(tmp_path / f"out{i}")
        assert errors is None  # nothing left for a rerun to fix


def _run_and_kill(tmp_path: Path, completions: Path, victim: str) -> tuple[int, str, str]:
    """Start a run; once its verifier's sandbox is up (judging has begun), SIGKILL every
    process whose command line holds `victim`; let the run finish."""
    proc = _start(_config(tmp_path / "c.yaml", completions), tmp_path / "out")
    try:
        _wait_for(lambda: _pids("sandbox.local.zygote", proc.pid), 300, "the verifier's sandbox")
        victims = _wait_for(lambda: _pids(victim, proc.pid), 60, victim)
        time.sleep(1.0)
        for pid in victims:  # the zygote's forked runs share its command line and may be gone already
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    except BaseException:
        _finish(proc, timeout=1)
        raise
    return _finish(proc)


@pytest.mark.slow
def test_a_verifier_actor_killed_mid_run_is_replaced_and_nothing_is_lost(tmp_path: Path, completions: Path, clean) -> None:
    code, out, err = _run_and_kill(tmp_path, completions, "VerifyStage")  # the Ray actor's process
    assert code == 0, err[-3000:]
    assert json.loads(out)["status"] == "complete"
    assert _verdicts(tmp_path / "out") == clean


@pytest.mark.slow
def test_the_sandbox_fork_server_killed_mid_run_is_restarted_and_verdicts_hold(tmp_path: Path, completions: Path, clean) -> None:
    code, _, err = _run_and_kill(tmp_path, completions, "sandbox.local.zygote")
    assert code == 0, err[-3000:]
    assert _verdicts(tmp_path / "out") == clean
    _, _, _, errors = read_run(tmp_path / "out")
    assert errors is None  # judged again within the run, not left for a rerun


@pytest.mark.slow
def test_a_full_output_disk_stops_the_run_clearly_and_the_rerun_completes(tmp_path: Path, completions: Path, clean) -> None:
    from tests.conftest import tmpfs_mounted

    with tmpfs_mounted(tmp_path / "disk", "size=1m") as disk:
        filler = disk / "filler"
        with filler.open("wb") as handle:  # fill the disk, then free just enough to start
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        with filler.open("r+b") as handle:
            handle.truncate(max(0, filler.stat().st_size - 40 * 1024))
        out = disk / "out"
        code, summary, err = _finish(_start(_config(tmp_path / "c.yaml", completions), out))
        shown = summary[-3000:] + err[-3000:]
        assert code == 1, shown
        assert "No space left on device" in err and "rerun the same command to resume" in err, shown
        assert "Traceback" not in err
        partial = _verdicts(out) if (out / "manifest.json").exists() and read_run(out)[1] is not None else {}
        assert len(partial) < len(clean)
        filler.unlink()
        code, _, err = _finish(_start(_config(tmp_path / "c.yaml", completions), out))
        assert code == 0, err[-3000:]
        assert _verdicts(out) == clean
    shutil.rmtree(tmp_path / "disk", ignore_errors=True)


@pytest.mark.slow
def test_sigterm_is_an_interruption_what_was_judged_is_kept_and_the_rerun_completes(tmp_path: Path, completions: Path) -> None:
    """docker stop, Kubernetes and `timeout` send SIGTERM: Ray's handler ended the driver with
    exit 15 and nothing said, and the manifest kept saying `running`."""
    out = tmp_path / "out"
    proc = _start(_config(tmp_path / "c.yaml", completions), out)
    try:
        def committed() -> bool:
            try:
                return any(s["kind"] == "verdicts" for s in json.loads((out / "manifest.json").read_text())["shards"])
            except (OSError, ValueError):
                return False

        _wait_for(committed, 300, "a first commit")
        assert proc.poll() is None, "the run finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGTERM)  # the driver alone, as `docker stop` signals PID 1
    except BaseException:
        _finish(proc, timeout=1)
        raise
    code, _, err = _finish(proc, timeout=120)
    assert code == 1, err[-3000:]
    assert "interrupted (SIGTERM): committed shards are kept; rerun the same command to resume" in err, err[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["outcome"]["failure"].startswith("SIGTERM; ")
    from typer.testing import CliRunner

    from pipeline.cli import app

    report = CliRunner().invoke(app, ["report", str(out), "--no-html"])
    assert "Run status: interrupted (SIGTERM; committed shards are kept, rerun to resume)" in report.stdout, report.stdout
    kept = _verdicts(out)
    assert 0 < len(kept) < 3 * PROBLEMS
    code, summary, err = _finish(_start(_config(tmp_path / "c.yaml", completions), out))
    assert code == 0, err[-3000:]
    assert json.loads(summary)["status"] == "complete"
    verdicts = _verdicts(out)  # (each sample id once)
    assert len(verdicts) == 3 * PROBLEMS and kept.items() <= verdicts.items()


def test_a_driver_failure_mid_iteration_waits_for_ray_datas_threads_before_ray_shuts_down(tmp_path: Path, completions: Path) -> None:
    """Ray Data's iterator threads finish the fetch in hand after the driver stops
    reading; a call into Ray after ray.shutdown() ends the process at once, exit code 1,
    nothing on stderr (a full-disk run did just that in CI). The failure is injected on
    the second commit while the iterator's worker is slowed mid-fetch."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.pipeline.driver_failure", str(_config(tmp_path / "c.yaml", completions)), str(tmp_path / "out")],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    state = json.loads(proc.stdout.strip().splitlines()[-1])
    assert state["error"] == "[Errno 28] No space left on device"
    assert state["slowed"] >= 1, "the iterator's worker was never slowed (renamed thread?): the test no longer tests anything"
    assert state["alive_at_shutdown"] == []
