"""The pipeline on a real multi-process Ray cluster, and submitted as a Ray Job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pipeline.e2e import ROOT, assay, read_run
from tests.pipeline.generators.conftest import free_port
from tests.pipeline.test_run_e2e import EXPECTED, write_config

# serial: `ray start` is the machine's current cluster while it runs, and `ray stop` stops every Ray here
pytestmark = [pytest.mark.slow, pytest.mark.serial]


def test_run_on_a_two_node_cluster(tmp_path: Path) -> None:
    from ray.cluster_utils import Cluster

    # Each node is its own raylet; the worker node alone carries the `verifier` resource,
    # so verification provably runs on a node other than the head.
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    try:
        cluster.add_node(num_cpus=2, resources={"verifier": 1})
        cluster.wait_for_nodes()
        config = write_config(tmp_path / "run.yaml", **{"ray.address": cluster.address, "verify.resources": {"verifier": 1}})
        result = assay("run", str(config), "--out", str(tmp_path / "out"), "--json")
        assert result.returncode == 0, result.stderr[-3000:]
        summary = json.loads(result.stdout)
        assert summary["status"] == "complete" and summary["samples"] == EXPECTED
        nodes = [n for n in cluster.list_all_nodes()]
        assert len(nodes) == 2
    finally:
        cluster.shutdown()


def test_submitted_as_a_ray_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import secrets

    ray_cli = str(Path(sys.executable).parent / "ray")
    port, dashboard = free_port(), free_port()
    # The job API takes a token, as on a real cluster; this one lives only in this test.
    monkeypatch.setenv("RAY_AUTH_MODE", "token")
    monkeypatch.setenv("RAY_AUTH_TOKEN", secrets.token_hex(32))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = subprocess.run(
        [ray_cli, "start", "--head", f"--port={port}", f"--dashboard-port={dashboard}", "--dashboard-host=127.0.0.1",
         "--num-cpus=2", "--include-dashboard=true", "--disable-usage-stats"],
        capture_output=True, text=True, env=env, timeout=180,
    )  # fmt: skip
    assert start.returncode == 0, start.stderr[-3000:]
    try:
        # An embedded run beside it starts a Ray of its own, as documented: ray.init() with
        # no address would join the cluster `ray start` left running.
        beside = tmp_path / "beside"
        embedded = {k: v for k, v in env.items() if not k.startswith("RAY_AUTH")}
        result = assay("run", str(write_config(tmp_path / "beside.yaml", **{"ray.num_cpus": 2})), "--out", str(beside), "--json",
                       env=embedded)  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        assert json.loads(result.stdout)["samples"] == EXPECTED
        config = write_config(tmp_path / "run.yaml")
        out = tmp_path / "out"
        # `ray job submit` is the Jobs API's own client: what the README tells users to run.
        submit = subprocess.run(
            [ray_cli, "job", "submit", "--address", f"http://127.0.0.1:{dashboard}",
             "--runtime-env-json", json.dumps({"env_vars": {"PYTHONPATH": str(ROOT)}}),
             "--", sys.executable, "-m", "pipeline", "run", str(config), "--out", str(out), "--json"],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
        assert submit.returncode == 0, (submit.stdout + submit.stderr)[-3000:]
        assert "succeeded" in (submit.stdout + submit.stderr).lower()
        assert '"status": "complete"' in submit.stdout  # the job's own --json summary, relayed
        manifest, verdicts, _, _ = read_run(out)
        assert manifest["status"] == "complete" and verdicts.num_rows == EXPECTED
        jobs = subprocess.run([ray_cli, "list", "jobs", "--address", f"http://127.0.0.1:{dashboard}", "--format", "json"],
                              capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
        assert jobs.returncode == 0, jobs.stderr[-2000:]
        assert str(beside) not in jobs.stdout and str(out) in jobs.stdout  # only the submitted run joined this cluster
    finally:
        subprocess.run([ray_cli, "stop", "--force"], capture_output=True, timeout=120, env=env)
