"""`RunStore`: exactly-once shard commits for one run directory.

Commit protocol (the manifest is the only commit point):
  1. write each new shard under a temporary name, fsync, rename to `part-NNNNN.parquet`
     (or, with `output.writes: workers`, a Ray worker writes it as
     `part-w<random>.parquet`: `pipeline.store.shard_writer`);
  2. rewrite manifest.json atomically (temp + fsync + rename) listing the new shards.
A crash before 2 leaves files the manifest does not list; opening the run deletes them,
and their samples are produced again. A crash after 2 loses nothing. So every sample id
is in the committed shards exactly once, however often the run is killed and resumed.
An error row of a sample judged since (`retire_errors`) is dropped the same way: its shard
is rewritten without it under a new name, and one manifest write swaps the two.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipeline.rows import ErrorRow, SampleRow
from pipeline.storage import is_local, resolve
from pipeline.store.files import KINDS, dicts, escaped_errors, put, storable, write_samples, write_shard
from pipeline.store.idset import IdSet, sorted_keys
from pipeline.store.lock import RunLock, RunLocked
from pipeline.store.manifest import Attempt, BadManifest, Counts, Manifest, ShardRecord, WrittenShards, read_manifest
from pipeline.store.schema import ERROR_SCHEMA

__all__ = ["NotARunDirectory", "OutputNotWritable", "RunLocked", "RunMismatch", "RunStore", "code_version"]


# What a run writes: its shards (and their temporary names while written), and at the top the
# manifest, the lock or lease, and the report. Nothing else is ever deleted or called Assay's.
# (`part-00003`, on object stores `part-00003-<token>`, worker-written `part-w<16 hex>`; never
# pyarrow's own `part-0.parquet`, which a user's dataset folder may hold)
_OWN_SHARD = re.compile(r"\.?part-(?:\d{5}(?:-[0-9a-f]{16,64})?|w[0-9a-f]{16})\.parquet(?:\.tmp-\d+-[0-9a-f]{8})?")
_NUMBERED = re.compile(r"[a-z]+/part-(\d+)")  # the driver's shard names (a worker's are part-w<random>)
_OWN_FILE = re.compile(r"manifest\.json|\.manifest\.json\.tmp-[\w-]+|\.assay\.lock|_lease\.json|report\.html")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done: their handlers raise at any bytecode,
    and one between the manifest write and the buffer's cut left committed rows buffered, which
    the interrupted run's final commit wrote a second time (a review's find, 2026-12-06). The
    handlers are swapped for ones that only note the signal (a thread's signal mask would not
    do: another thread takes the signal, and Python runs the handler in the main thread anyway),
    and what was noted is handed to the old handlers after. Handlers run in the main thread
    only, so elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {signum: signal.signal(signum, lambda got, _frame: noted.append(got)) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(noted):
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


class RunMismatch(ValueError):
    """The directory cannot hold this run: it holds a different run (another run id or
    config), or is not a run directory, or cannot be written (the subclasses below). Exit 2:
    rerunning the same command cannot help."""


class NotARunDirectory(RunMismatch):
    """The directory's manifest.json is not an Assay run's (another tool's, or damaged)."""


class OutputNotWritable(RunMismatch):
    """The output directory cannot be created or written (read-only, no permission)."""


_NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)  # not ENOSPC: space can be freed and the run rerun


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    from importlib.metadata import version

    text = f"assay {version('assay')}"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5
        )
        if commit.returncode == 0:
            text += f" ({commit.stdout.strip()})"
    except (OSError, subprocess.SubprocessError):
        pass
    return text


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RunStore:
    """Open with `with RunStore(...) as store:`; holds the run lock while open."""

    def __init__(
        self,
        location: str,
        run_id: str,
        config: dict[str, Any],
        config_hash: str,
        shard_rows: int = 5000,
        compression: str = "zstd",
        commit_every_s: float = 300.0,
        on_commit: Callable[[ShardRecord], None] = lambda _: None,
    ) -> None:
        self.location = location
        self.fs, self.root = resolve(location)
        self.local = is_local(location)
        self.run_id, self.config, self.config_hash = run_id, config, config_hash
        self.shard_rows = shard_rows
        self.compression = None if compression == "none" else compression
        self.on_commit = on_commit
        self.commit_every_s = commit_every_s
        self._last_commit = time.monotonic()
        self.lock = RunLock(self.fs, self.root, self.local)
        self.manifest: Manifest | None = None
        self._samples: list[dict] = []
        self._errors: list[dict] = []
        self.committed_samples = IdSet()
        self.committed_errors = IdSet()

    @property
    def address(self) -> str:
        """Where another process (a Ray worker) finds this run: the URI, or the absolute
        path (a relative one would resolve against the worker's own directory)."""
        return self.location if not self.local else self.root

    # -- open / close -------------------------------------------------------------

    def __enter__(self) -> RunStore:
        try:
            self.fs.create_dir(self.root, recursive=True)
            self.lock.acquire()
        except OSError as exc:
            if not (isinstance(exc, PermissionError) or (self.local and exc.errno in _NOT_WRITABLE)):
                raise  # a network store's failure may pass: "rerun" is the right advice there
            why = os.strerror(exc.errno) if exc.errno else str(exc)
            raise OutputNotWritable(f"{self.location}: cannot write the run there: {why}") from None
        try:
            self._open()
        except BaseException:
            self.lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()

    def _open(self) -> None:
        try:
            existing = read_manifest(self.fs, self.root)
        except BadManifest as exc:
            raise NotARunDirectory(
                f"{self.location} is not an Assay run directory: {exc}. Use another --out (Assay changes nothing in this one)"
            ) from None
        if existing is not None:
            if existing.run_id != self.run_id:
                raise RunMismatch(
                    f"{self.location} holds run {existing.run_id!r}, not {self.run_id!r} (another config, other input "
                    f"files or another day): use another --out, or --run-id {existing.run_id} to resume it with the "
                    "config and input files it was made with"
                )
            if existing.config_hash != self.config_hash:
                raise RunMismatch(
                    f"{self.location} holds run {self.run_id!r} made with another config or other input files "
                    f"(hash {existing.config_hash}, now {self.config_hash}); resuming would mix samples. "
                    "Use another --out or --run-id."
                )
            self.manifest = existing
        else:
            foreign = self._foreign_files()
            if foreign:
                raise RunMismatch(
                    f"{self.location} holds files that are not Assay's ({', '.join(foreign[:3])}) and no run: "
                    "--out must be a new or empty directory, or a run's own (Assay deletes what a killed run "
                    "left in data/, verdicts/ and errors/, and would mix its shards with your files)"
                )
            now = _now()
            self.manifest = Manifest(
                run_id=self.run_id,
                config=self.config,
                config_hash=self.config_hash,
                code_version=code_version(),
                created_at=now,
                updated_at=now,
            )
        self.manifest.history.append(Attempt(started_at=_now(), code_version=code_version(), config=self.config))
        self.remove_uncommitted()
        # One shard's ids at a time, kept as 16-byte keys (`idset`): a run of millions of
        # samples resumes without holding millions of id strings.
        self.committed_samples = IdSet.of_keys(sorted_keys(self._column(p, "sample_id")) for p in self.manifest.shard_paths("verdicts"))
        self.committed_errors = IdSet.of_keys(sorted_keys(self._column(p, "error_id")) for p in self.manifest.shard_paths("errors"))

    def remove_uncommitted(self) -> None:
        """Delete shard files a killed run wrote but never committed (also, at the end of
        a run, what a retried worker task wrote twice). Only while no writer is at work,
        and only while we hold the run: another holder's shards are not ours to judge."""
        self.lock.check()
        listed = {s.path for s in self.manifest.shards}
        for kind in KINDS:
            selector = pafs.FileSelector(f"{self.root}/{kind}", allow_not_found=True)
            for info in self.fs.get_file_info(selector):
                relative = f"{kind}/{info.base_name}"
                if info.type == pafs.FileType.File and relative not in listed and _OWN_SHARD.fullmatch(info.base_name):
                    self.fs.delete_file(info.path)

    def _foreign_files(self) -> list[str]:
        """Files in the directory (and its shard folders) that no run of Assay writes: a user's
        own data, which an `--out` pointing at a project folder once deleted."""
        foreign = []
        for info in self.fs.get_file_info(pafs.FileSelector(self.root, allow_not_found=True)):
            if info.type == pafs.FileType.Directory and info.base_name in KINDS:
                for inner in self.fs.get_file_info(pafs.FileSelector(info.path, recursive=True)):
                    if not _OWN_SHARD.fullmatch(inner.base_name):
                        foreign.append(f"{info.base_name}/{inner.base_name}")
            elif not _OWN_FILE.fullmatch(info.base_name):
                foreign.append(info.base_name)
        return sorted(foreign)

    def _column(self, relative: str, name: str) -> list[str]:
        with self.fs.open_input_file(f"{self.root}/{relative}") as handle:
            return pq.read_table(handle, columns=[name]).column(name).to_pylist()

    # -- writing ------------------------------------------------------------------

    def add_samples(self, rows: Sequence[SampleRow | dict]) -> int:
        """Buffer sample rows not committed yet; commits whenever a shard is full.
        Returns how many rows were new.

        Last line of defence: a row whose text UTF-8 cannot hold (the stages never make
        one) becomes an error of stage `write` instead of failing the whole shard."""
        new: dict[str, dict] = {}
        for row in dicts(rows):
            if row["sample_id"] not in self.committed_samples:
                new.setdefault(row["sample_id"], row)  # a repeat in `rows` is dropped
        fresh, unstorable = storable(list(new.values()))
        for row in fresh:  # pending now; committed at flush. Never an unstorable one: its `write`
            self.committed_samples.add(row["sample_id"])  # error is current, not retired as judged
        if unstorable:
            self.add_errors(unstorable)
        self._samples.extend(fresh)
        self._maybe_commit(len(self._samples))
        return len(fresh)

    def add_errors(self, rows: Sequence[ErrorRow | dict]) -> int:
        fresh = []
        for row in escaped_errors(dicts(rows)):
            if row["error_id"] not in self.committed_errors:
                self.committed_errors.add(row["error_id"])  # pending now (a repeat in `rows` is dropped)
                fresh.append(row)
        self._errors.extend(fresh)
        self._maybe_commit(len(self._errors))
        return len(fresh)

    def add_written(self, written: WrittenShards) -> int:
        """Commit the shards a Ray worker wrote (`output.writes: workers`). Returns how
        many samples were new.

        The files are only listed: their rows never pass through the driver. If one of
        their ids is already committed or repeated (an id twice in the input would be
        one), the rows are read back and take the driver's path instead, which drops the
        repeats."""
        ids = written.sample_ids
        if len(set(ids)) < len(ids) or any(i in self.committed_samples for i in ids):
            return self._take_back(written)
        self.lock.check()
        for shard in written.shards:
            # A writer on another node with a local output path wrote to its own disk.
            info = self.fs.get_file_info(f"{self.root}/{shard.path}")
            if info.type != pafs.FileType.File or info.size != shard.bytes:
                raise RuntimeError(
                    f"{shard.path}: a shard writer wrote {shard.bytes:,} bytes, the driver sees "
                    f"{'no file' if info.type != pafs.FileType.File else f'{info.size:,} bytes'}: with output.writes: workers "
                    "the output must be storage every node reaches (an object store or a shared filesystem)"
                )
        counts = self.manifest.counts.model_copy(deep=True)
        counts.merge(written.counts)
        self._list(written.shards, counts)
        self.committed_samples.update(ids)
        for shard in written.shards:
            self.on_commit(shard)
        return len(ids)

    def _take_back(self, written: WrittenShards) -> int:
        """A worker's shards as rows on the driver's path; their files are deleted."""
        rows: list[dict] = []
        for shard in written.shards:
            path = f"{self.root}/{shard.path}"
            if shard.kind == "verdicts":
                with self.fs.open_input_file(path) as handle:
                    rows = pq.read_table(handle).to_pylist()
            self.fs.delete_file(path)
        return self.add_samples(rows)

    def _maybe_commit(self, buffered: int) -> None:
        """Whole shards as soon as they fill; a partial one when the last commit is old
        (a slow run must not hold hours of paid generations in memory)."""
        if buffered >= self.shard_rows:
            self.commit(full_only=True)
        elif time.monotonic() - self._last_commit >= self.commit_every_s:
            self.commit()

    def commit(self, full_only: bool = False) -> list[ShardRecord]:
        """Write what is buffered as shards and record them in the manifest
        (`full_only`: only whole shards; the rest stays buffered).

        All or nothing: rows leave the buffer, and counts change, only once the manifest
        listing their shards is written; a failure midway leaves unlisted files (removed
        when the run is next opened) and the buffer as it was."""
        self._last_commit = time.monotonic()
        take_samples = self._take(len(self._samples), full_only)
        take_errors = self._take(len(self._errors), full_only)
        if not take_samples and not take_errors:
            return []
        manifest = self.manifest
        self.lock.check()
        new: list[ShardRecord] = []
        counts = manifest.counts.model_copy(deep=True)
        for start in range(0, take_samples, self.shard_rows):
            batch = self._samples[start : min(start + self.shard_rows, take_samples)]
            shards, added = write_samples(self.fs, self.root, self.local, self._name(self._next_number("verdicts", new)), batch, self.compression)
            new.extend(shards)
            counts.merge(added)
        for start in range(0, take_errors, self.shard_rows):
            batch = self._errors[start : min(start + self.shard_rows, take_errors)]
            table = pa.Table.from_pylist(batch, schema=ERROR_SCHEMA)
            new.append(write_shard(self.fs, self.root, self.local, "errors", self._name(self._next_number("errors", new)), table, self.compression))
            for row in batch:
                counts.add_error(row["stage"])
        with _signals_held():  # listed and out of the buffer together: never written twice by an interrupted run's last commit
            self._list(new, counts)
            del self._samples[:take_samples]
            del self._errors[:take_errors]
        for shard in new:
            self.on_commit(shard)
        return new

    def retire_errors(self) -> int:
        """Drop from errors/ the rows of samples that have a verdict now: the `generate`,
        `verify` or `write` error of an earlier attempt whose sample a later one judged.
        Every error row is then current: its sample is missing, and the counts add up (a
        review found a rerun's summary counting 4 verdicts and the 4 errors they replaced,
        2026-12-06). `input` errors stay: they are about input rows, and a duplicate
        sample_id's error names the id its first row was judged under. Returns how many
        rows were dropped.

        Exactly once: the shards that hold such rows are rewritten without them under new
        names, one manifest write swaps them for the old ones (the commit point), then the
        old files are deleted (a crash before that leaves them unlisted: removed when the
        run is next opened). Call after `commit`, with nothing buffered."""
        self.lock.check()
        replaced: list[ShardRecord] = []
        new: list[ShardRecord] = []
        counts = self.manifest.counts.model_copy(deep=True)
        dropped = 0
        for shard in [s for s in self.manifest.shards if s.kind == "errors"]:
            with self.fs.open_input_file(f"{self.root}/{shard.path}") as handle:
                ids = pq.read_table(handle, columns=["stage", "sample_id"]).to_pylist()
            stale = [r["stage"] != "input" and r["sample_id"] is not None and r["sample_id"] in self.committed_samples for r in ids]
            if not any(stale):
                continue
            with self.fs.open_input_file(f"{self.root}/{shard.path}") as handle:
                table = pq.read_table(handle)
            for row, gone in zip(ids, stale, strict=True):
                if gone:
                    counts.errors_by_stage[row["stage"]] = counts.errors_by_stage.get(row["stage"], 0) - 1
                    dropped += 1
            counts.errors_by_stage = {stage: n for stage, n in counts.errors_by_stage.items() if n > 0}
            replaced.append(shard)
            kept = table.filter(pa.array([not gone for gone in stale]))
            if kept.num_rows:
                name = self._name(self._next_number("errors", new))
                new.append(write_shard(self.fs, self.root, self.local, "errors", name, kept, self.compression))
        if not replaced:
            return 0
        self._list(new, counts, drop=replaced)
        for shard in replaced:
            with contextlib.suppress(OSError):
                self.fs.delete_file(f"{self.root}/{shard.path}")
        return dropped

    def _list(self, shards: list[ShardRecord], counts: Counts, drop: Sequence[ShardRecord] = ()) -> None:
        """The commit point: the manifest lists `shards` (and no longer `drop`) with the new
        `counts`, on disk, or (when writing it fails) stays as it was."""
        manifest = self.manifest
        previous = (list(manifest.shards), manifest.counts, manifest.pass_rate)
        if drop:
            gone = {s.path for s in drop}
            manifest.shards = [s for s in manifest.shards if s.path not in gone]
        manifest.shards.extend(shards)
        manifest.counts, manifest.pass_rate = counts, counts.pass_rate
        try:
            self.write_manifest()
        except BaseException:
            manifest.shards, manifest.counts, manifest.pass_rate = previous
            raise

    def _take(self, buffered: int, full_only: bool) -> int:
        return buffered - buffered % self.shard_rows if full_only else buffered

    def _next_number(self, kind: str, pending: list[ShardRecord]) -> int:
        """One past the highest number of a listed or pending shard of `kind`: a count would
        name a listed shard again once `retire_errors` has replaced some."""
        numbers = [int(m.group(1)) for s in (*self.manifest.shards, *pending) if s.kind == kind and (m := _NUMBERED.match(s.path))]
        return max(numbers, default=-1) + 1

    def _name(self, number: int) -> str:
        # On object stores the writer's token is part of the name: a writer that lost its
        # lease can never overwrite the shards of the one that took it over.
        return f"part-{number:05d}" + ("" if self.local else f"-{self.lock.token}")

    def write_manifest(self) -> None:
        self.lock.check()  # never commit after another writer took over
        self.manifest.updated_at = _now()
        put(self.fs, self.root, self.local, "manifest.json", self.manifest.model_dump_json(indent=2).encode())
