"""Output on object storage, over the real S3 protocol: a moto S3 server on 127.0.0.1
and pyarrow's S3 filesystem, exactly as `output.dir: s3://...` is used in production."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.request

import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from pipeline.store import RunLocked, RunStore
from tests.pipeline.generators.conftest import free_port
from tests.pipeline.store.test_run_store import _sample


@pytest.fixture(scope="module")
def s3():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except OSError:
            assert time.monotonic() < deadline, "moto S3 server did not start"
            time.sleep(0.2)
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {k: os.environ.get(k) for k in env}  # pyarrow's S3 client reads credentials from the environment
    os.environ.update(env)
    fs = pafs.S3FileSystem(endpoint_override=f"127.0.0.1:{port}", scheme="http", region="us-east-1", allow_bucket_creation=True)
    fs.create_dir("assay")
    yield fs, f"endpoint_override=127.0.0.1:{port}&scheme=http&region=us-east-1"
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    server.terminate()
    server.wait(10)


def test_commits_resume_and_cleanup_on_s3(s3) -> None:
    fs, query = s3
    uri = f"s3://assay/run1?{query}"
    with RunStore(uri, "r", {}, "h", shard_rows=2) as store:
        store.add_samples([_sample(i, i % 2 == 0) for i in range(5)])
        store.commit()
    manifest = json.loads(fs.open_input_stream("assay/run1/manifest.json").read())
    assert [s["rows"] for s in manifest["shards"] if s["kind"] == "verdicts"] == [2, 2, 1]
    # an uncommitted object a killed run left behind
    with fs.open_output_stream("assay/run1/verdicts/part-00003.parquet") as out:
        out.write(b"junk")
    with RunStore(uri, "r", {}, "h", shard_rows=2) as store:
        assert len(store.committed_samples) == 5
        assert store.add_samples([_sample(i, True) for i in range(7)]) == 2
        store.commit()
    table = pq.read_table("assay/run1/verdicts", filesystem=fs)
    assert sorted(table.column("sample_id").to_pylist()) == sorted(f"s{i}" for i in range(7))
    assert fs.get_file_info("assay/run1/_lease.json").type == pafs.FileType.NotFound  # released


def test_lease_refuses_a_second_writer_and_expires(s3) -> None:
    fs, query = s3
    uri = f"s3://assay/run2?{query}"
    with RunStore(uri, "r", {}, "h"):
        with pytest.raises(RunLocked, match="leased by"):
            with RunStore(uri, "r", {}, "h"):
                pass
    stale = {"owner": "a dead run", "heartbeat": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()}
    with fs.open_output_stream("assay/run2/_lease.json") as out:
        out.write(json.dumps(stale).encode())
    with RunStore(uri, "r", {}, "h"):  # a stale lease is taken over
        pass


@pytest.mark.parametrize("writes", ["driver", "workers"])
def test_a_whole_run_written_to_s3_and_reported(s3, tmp_path, humaneval, writes) -> None:
    from pipeline.config import RunConfig, SourceConfig
    from pipeline.generators.registry import GeneratorConfig
    from pipeline.generators.replay import ReplayConfig
    from pipeline.report.build import load_report
    from pipeline.run import run_pipeline
    from tests.pipeline.e2e import mutate, write_jsonl

    fs, query = s3
    rows = []
    for problem in list(humaneval.values())[:4]:
        rows.append({"problem_id": problem.problem_id, "completion": problem.prompt + problem.reference_solution})
        rows.append({"problem_id": problem.problem_id, "completion": problem.prompt + mutate(problem.reference_solution)})
    config = RunConfig(
        sources=[SourceConfig(path="builtin:humaneval")],
        generator=GeneratorConfig(engine=ReplayConfig(path=str(write_jsonl(tmp_path / "c.jsonl", rows)))),
        output={"dir": f"s3://assay/{{run_id}}?{query}", "writes": writes},
    )
    summary = run_pipeline(config, run_id=f"s3run-{writes}")
    assert summary.status == "complete" and summary.samples == 8 and summary.passed == 4
    data = pq.read_table(f"assay/s3run-{writes}/data", filesystem=fs)
    assert data.num_rows == 4 and all(data.column("passed").to_pylist())
    names = [info.base_name for info in fs.get_file_info(pafs.FileSelector(f"assay/s3run-{writes}/verdicts"))]
    assert names and all(name.startswith("part-w") == (writes == "workers") for name in names)
    report = load_report(f"s3://assay/s3run-{writes}?{query}")
    assert report.passed == 4 and report.pass_at_k["pass@1"] == pytest.approx(0.5)


def test_a_writer_that_lost_its_lease_cannot_commit_or_clobber(s3) -> None:
    fs, query = s3
    uri = f"s3://assay/run3?{query}"
    first = RunStore(uri, "r", {}, "h", shard_rows=100)
    first.__enter__()
    # the lease goes stale (a long stall) and a second writer takes over
    stale = {"owner": "first", "token": first.lock.token, "heartbeat": "2000-01-01T00:00:00+00:00"}
    with fs.open_output_stream("assay/run3/_lease.json") as out:
        out.write(json.dumps(stale).encode())
    with RunStore(uri, "r", {}, "h", shard_rows=100) as second:
        second.add_samples([_sample(1, True)])
        second.commit()
        first.add_samples([_sample(2, True)])
        with pytest.raises(RunLocked, match="lost the lease"):
            first.commit()
        assert len(first._samples) == 1 and first.manifest.counts.samples == 0  # nothing half-committed
        first.__exit__(None, None, None)  # must not delete the second writer's lease
        assert fs.get_file_info("assay/run3/_lease.json").type == pafs.FileType.File
    manifest = json.loads(fs.open_input_stream("assay/run3/manifest.json").read())
    shards = [s["path"] for s in manifest["shards"] if s["kind"] == "verdicts"]
    assert len(shards) == 1 and second.lock.token in shards[0]  # shard names carry the writer's token
    table = pq.read_table("assay/run3/" + shards[0], filesystem=fs)
    assert table.column("sample_id").to_pylist() == ["s1"]
