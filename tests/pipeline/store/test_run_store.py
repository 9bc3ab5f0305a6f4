"""RunStore: atomic shard commits, resume, cleanup of uncommitted files, the run lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.store import RunLocked, RunMismatch, RunStore


def _sample(i: int, passed: bool) -> dict:
    return {
        "sample_id": f"s{i}", "problem_id": f"p{i % 3}", "source": "src", "domain": "math", "sample_index": i,
        "prompt": "q", "completion": "c", "extracted": "x", "status": "pass" if passed else "fail", "passed": passed,
        "tests_passed": int(passed), "tests_total": 1, "reason": "", "duration_s": 0.01, "verifier_cpu_s": 0.01, "model": "m",
        "sampling": {"temperature": 0.5, "top_p": 1.0, "max_tokens": 10, "seed": i}, "prompt_tokens": 3,
        "completion_tokens": 4, "generation_s": 0.1, "run_id": "r", "created_at": dt.datetime.now(dt.UTC),
    }  # fmt: skip


def _store(path: Path, **kw) -> RunStore:
    return RunStore(str(path), kw.pop("run_id", "r"), {"k": 1}, kw.pop("config_hash", "h"), shard_rows=kw.pop("shard_rows", 4))


def test_commits_full_shards_then_the_rest_and_checksums_match(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        assert store.add_samples([_sample(i, i % 2 == 0) for i in range(10)]) == 10
        # two full shards are committed at once; two rows wait for the final commit
        assert [s.path for s in store.manifest.shards if s.kind == "verdicts"] == ["verdicts/part-00000.parquet", "verdicts/part-00001.parquet"]
        store.commit()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    verdicts = [s for s in manifest["shards"] if s["kind"] == "verdicts"]
    data = [s for s in manifest["shards"] if s["kind"] == "data"]
    assert [s["rows"] for s in verdicts] == [4, 4, 2]
    assert sum(s["rows"] for s in data) == 5
    for shard in manifest["shards"]:
        assert hashlib.sha256((tmp_path / shard["path"]).read_bytes()).hexdigest() == shard["sha256"]
    rows = pq.read_table(tmp_path / "data").to_pylist()
    assert all(r["passed"] for r in rows) and len(rows) == 5
    assert manifest["counts"]["samples"] == 10 and manifest["counts"]["passed"] == 5


def test_resume_skips_committed_and_removes_uncommitted_files(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        store.add_samples([_sample(i, True) for i in range(4)])
        ids = [_sample(i, True)["sample_id"] for i in range(4)]
        assert all(i in store.committed_samples for i in ids)
    # what a killed run leaves: a temp file and a renamed shard the manifest never listed
    (tmp_path / "verdicts" / ".part-00001.parquet.tmp-123-0a1b2c3d").write_bytes(b"partial")
    orphan = tmp_path / "verdicts" / "part-00001.parquet"
    orphan.write_bytes((tmp_path / "verdicts" / "part-00000.parquet").read_bytes())
    with _store(tmp_path) as store:
        assert len(store.committed_samples) == 4 and all(i in store.committed_samples for i in ids)
        assert _sample(4, True)["sample_id"] not in store.committed_samples
        assert not orphan.exists() and not list((tmp_path / "verdicts").glob(".*tmp*"))
        assert store.add_samples([_sample(i, True) for i in range(6)]) == 2  # s0..s3 are already there
        store.commit()
    ids = pq.read_table(tmp_path / "verdicts").column("sample_id").to_pylist()
    assert sorted(ids) == [f"s{i}" for i in range(6)]


def test_a_folder_of_the_users_own_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    """`--out .` in a project folder once deleted its `data/problems.jsonl` as an uncommitted shard."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "problems.jsonl").write_text("{}\n")
    (tmp_path / "data" / "train-00000-of-00001.parquet").write_bytes(b"PAR1")
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "verdicts").mkdir()
    (tmp_path / "verdicts" / "part-0.parquet").write_bytes(b"PAR1")  # pyarrow's write_dataset name: not Assay's
    with pytest.raises(RunMismatch, match="not Assay's .*data/problems.jsonl"):
        with _store(tmp_path):
            pass
    assert (tmp_path / "data" / "problems.jsonl").read_text() == "{}\n"
    assert (tmp_path / "data" / "train-00000-of-00001.parquet").exists() and (tmp_path / "notes.txt").exists()
    assert (tmp_path / "verdicts" / "part-0.parquet").exists()
    (tmp_path / "data" / "problems.jsonl").unlink()
    (tmp_path / "data" / "train-00000-of-00001.parquet").unlink()
    (tmp_path / "notes.txt").unlink()
    with pytest.raises(RunMismatch, match="verdicts/part-0.parquet"):  # alone, it is still the user's
        with _store(tmp_path):
            pass
    assert (tmp_path / "verdicts" / "part-0.parquet").exists()


def test_a_killed_first_run_is_resumed_and_only_shards_are_ever_deleted(tmp_path: Path) -> None:
    # a first run killed before its first commit leaves shards and no manifest: still its folder
    (tmp_path / "verdicts").mkdir()
    (tmp_path / "verdicts" / "part-00000.parquet").write_bytes(b"partial")
    with _store(tmp_path) as store:
        assert not (tmp_path / "verdicts" / "part-00000.parquet").exists()
        store.add_samples([_sample(0, True)])
        store.commit()
    mine = tmp_path / "data" / "keep.jsonl"  # a file put into a run's folder later is never deleted
    mine.write_text("x")
    with _store(tmp_path) as store:
        store.commit()
    assert mine.read_text() == "x"


def test_another_run_or_config_in_the_same_directory_is_refused(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        store.add_samples([_sample(0, True)])
        store.commit()
    with pytest.raises(RunMismatch, match="--run-id r"):
        with _store(tmp_path, run_id="other"):
            pass
    with pytest.raises(RunMismatch, match="another config"):
        with _store(tmp_path, config_hash="different"):
            pass


def _hold_lock(path: str, ready, release) -> None:
    with _store(Path(path)):
        ready.set()
        release.wait(30)


def test_a_second_writer_is_locked_out_until_the_first_is_gone(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(RunLocked, match=f"pid {holder.pid}"):
            with _store(tmp_path):
                pass
    finally:
        os.kill(holder.pid, 9)  # even a killed holder releases the lock
        holder.join()
    with _store(tmp_path):
        pass


def test_errors_are_deduplicated_by_id(tmp_path: Path) -> None:
    error = {"error_id": "e1", "stage": "input", "source": "s", "problem_id": None, "sample_id": None,
             "reason": "bad JSON", "row": "{", "run_id": "r", "created_at": dt.datetime.now(dt.UTC)}  # fmt: skip
    with _store(tmp_path) as store:
        assert store.add_errors([error]) == 1
        store.commit()
    with _store(tmp_path) as store:
        assert store.add_errors([error]) == 0
    assert pq.read_table(tmp_path / "errors").num_rows == 1


def test_a_partial_shard_is_committed_when_the_last_commit_is_old(tmp_path: Path) -> None:
    import time

    store = RunStore(str(tmp_path), "r", {}, "h", shard_rows=1000, commit_every_s=0.2)
    with store:
        store.add_samples([_sample(0, True)])
        assert not store.manifest.shards  # neither full nor old
        time.sleep(0.25)
        store.add_samples([_sample(1, True)])
        assert [s.rows for s in store.manifest.shards if s.kind == "verdicts"] == [2]


def _error(stage: str, sample_id: str, reason: str = "connection failed") -> dict:
    from pipeline.rows import ErrorRow

    return ErrorRow.of(stage, reason, "r", source="src", problem_id="p0", sample_id=sample_id).model_dump()


def _listed_errors(path: Path) -> tuple[dict, list[dict]]:
    manifest = json.loads((path / "manifest.json").read_text())
    listed = [s["path"] for s in manifest["shards"] if s["kind"] == "errors"]
    assert sorted(f"errors/{p.name}" for p in (path / "errors").iterdir()) == sorted(listed)  # nothing else on disk
    for shard in manifest["shards"]:
        assert hashlib.sha256((path / shard["path"]).read_bytes()).hexdigest() == shard["sha256"]
    return manifest, [row for p in listed for row in pq.read_table(path / p).to_pylist()]


def test_errors_of_samples_judged_by_a_later_attempt_are_retired_exactly_once(tmp_path: Path) -> None:
    """A rerun that judged the samples an earlier attempt could not generate once left their
    errors in errors/ and in the counts: 4 verdicts and 4 errors for 4 samples."""
    with _store(tmp_path) as store:  # attempt 1: s0, s1 not generated, s2 not verified; s3's input error names a judged id
        store.add_errors([_error("generate", "s0"), _error("generate", "s1"), _error("verify", "s2"),
                          _error("input", "s3", "line 4: duplicate sample_id")])  # fmt: skip
        store.add_samples([_sample(3, True)])
        store.commit()
        assert store.retire_errors() == 0
    with _store(tmp_path) as store:  # attempt 2 judges s0 and s2
        store.add_samples([_sample(0, True), _sample(2, False)])
        store.commit()
        assert store.retire_errors() == 2
        store.add_errors([_error("generate", "s9")])  # later errors get a shard name of their own
        store.commit()
    manifest, errors = _listed_errors(tmp_path)
    assert sorted((e["stage"], e["sample_id"]) for e in errors) == [("generate", "s1"), ("generate", "s9"), ("input", "s3")]
    assert manifest["counts"]["errors_by_stage"] == {"generate": 2, "input": 1} and manifest["counts"]["samples"] == 3
    with _store(tmp_path) as store:  # reopened: nothing more to retire; an error of a judged sample is retired in its own attempt too
        assert store.retire_errors() == 0 and len(store.committed_errors) == 3
        assert store.add_errors([_error("verify", "s2")]) == 1
        store.commit()
        assert store.retire_errors() == 1
    manifest, errors = _listed_errors(tmp_path)
    assert len(errors) == 3 and manifest["counts"]["errors_by_stage"] == {"generate": 2, "input": 1}


def test_a_write_error_of_this_attempt_is_never_retired(tmp_path: Path) -> None:
    """A sample UTF-8 cannot hold becomes a `write` error; its id was marked committed first, and
    the end of the attempt retired its error: the sample had neither verdict nor error."""
    bad = dict(_sample(1, True), completion="\udcff")
    with _store(tmp_path) as store:
        assert store.add_samples([_sample(0, True), bad]) == 1
        store.commit()
        assert store.retire_errors() == 0
    manifest, errors = _listed_errors(tmp_path)
    assert [(e["stage"], e["sample_id"]) for e in errors] == [("write", "s1")] and manifest["counts"]["errors_by_stage"] == {"write": 1}


def test_an_interrupt_during_a_commit_waits_until_the_rows_are_out_of_the_buffer(tmp_path: Path) -> None:
    """SIGINT or SIGTERM between the manifest write and the buffer's cut left committed rows
    buffered, and the interrupted run's last commit wrote them twice (a review simulated it)."""
    import signal
    import threading

    awake = threading.Event()  # another thread, as a Ray driver has many: the kernel may hand it the signal
    helper = threading.Thread(target=awake.wait, daemon=True)
    helper.start()
    with _store(tmp_path) as store:
        store.add_samples([_sample(i, True) for i in range(3)])
        listed = store._list

        def list_then_interrupt(*args, **kwargs):
            listed(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGINT)  # arrives right after the commit point

        store._list = list_then_interrupt  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            store.commit()
        store._list = listed  # type: ignore[method-assign]
        store.commit()  # what an interrupted run does last
    awake.set()
    ids = pq.read_table(tmp_path / "verdicts").column("sample_id").to_pylist()
    assert sorted(ids) == ["s0", "s1", "s2"]


def test_a_file_the_disk_cannot_hold_leaves_no_part_of_it_behind(tmp_path: Path) -> None:
    """A full disk left `.manifest.json.tmp-…` (half a manifest) in the run's directory."""
    import pyarrow.fs as pafs

    from pipeline.store.files import put
    from tests.conftest import tmpfs_mounted

    with tmpfs_mounted(tmp_path / "disk", "size=1m") as disk:
        put(pafs.LocalFileSystem(), str(disk), True, "manifest.json", b"{}")
        with pytest.raises(OSError, match="No space left on device"):
            put(pafs.LocalFileSystem(), str(disk), True, "manifest.json", b"x" * (2 << 20))
        assert sorted(p.name for p in disk.iterdir()) == ["manifest.json"] and (disk / "manifest.json").read_bytes() == b"{}"
