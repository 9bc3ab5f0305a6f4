"""Shard files: the rows as Arrow, the Arrow as Parquet bytes, the bytes in place.

Shared by the two writers of a run (`RunStore` on the driver, `ShardWriter` on Ray
workers), so a shard is the same file whoever writes it. A file is only part of a run
once manifest.json lists it; until then it may be deleted (`RunStore` removes unlisted
files when it opens a run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from pydantic import BaseModel

from pipeline.rows import ErrorRow
from pipeline.store.manifest import Counts, ShardRecord
from pipeline.store.schema import SAMPLE_SCHEMA
from verifiers.text import escaped, lone_surrogate, not_unicode

KINDS = ("data", "verdicts", "errors")
OBJECT_STORES = frozenset({"s3", "gcs", "abfs"})

_SAMPLE_TEXT = ("sample_id", "problem_id", "source", "prompt", "completion", "extracted", "reason", "model", "run_id", "finish_reason")


def dicts(rows: Sequence[BaseModel | dict]) -> list[dict]:
    """Rows as Arrow takes them (the row models of `pipeline.rows`, or their dicts)."""
    return [row.model_dump() if isinstance(row, BaseModel) else row for row in rows]


def storable(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(samples, errors): a sample whose text UTF-8 cannot hold (the stages never make
    one) becomes an error of stage `write` instead of failing its whole shard."""
    samples, errors = [], []
    for row in rows:
        where = next((w for k in _SAMPLE_TEXT if (w := lone_surrogate(row.get(k), k))), None)
        if where is None:
            samples.append(row)
            continue
        ids = {k: row.get(k) for k in ("source", "problem_id", "sample_id")}
        at = row.get("created_at") or dt.datetime.now(dt.UTC)
        errors.append(
            ErrorRow.of("write", f"cannot store this sample: {not_unicode(where)}", str(row.get("run_id")), at=at, **ids).model_dump()
        )
    return samples, errors


def escaped_errors(rows: list[dict]) -> list[dict]:
    """Error rows carry diagnostics from anywhere (ids, reasons, excerpts): escape
    whatever UTF-8 cannot hold rather than lose the row."""
    return [{k: escaped(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]


def encode(table: pa.Table, compression: str | None) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression=compression)
    return sink.getvalue().to_pybytes()


def write_samples(fs: pafs.FileSystem, root: str, local: bool, name: str, rows: list[dict], compression: str | None) -> tuple[list[ShardRecord], Counts]:
    """Sample rows as `verdicts/name.parquet` (all) and `data/name.parquet` (the passing
    ones, if any), with their counts."""
    table = pa.Table.from_pylist(rows, schema=SAMPLE_SCHEMA)
    shards = [write_shard(fs, root, local, "verdicts", name, table, compression)]
    passing = table.filter(table.column("passed"))
    if passing.num_rows:
        shards.append(write_shard(fs, root, local, "data", name, passing, compression))
    counts = Counts()
    for row in rows:
        counts.add_sample(row["status"], row["domain"], row["source"])
    return shards, counts


def write_shard(fs: pafs.FileSystem, root: str, local: bool, kind: str, name: str, table: pa.Table, compression: str | None) -> ShardRecord:
    """`table` as `kind/name.parquet` under `root`, durable before this returns."""
    payload = encode(table, compression)
    relative = f"{kind}/{name}.parquet"
    put(fs, root, local, relative, payload)
    return ShardRecord(path=relative, kind=kind, rows=table.num_rows, bytes=len(payload), sha256=hashlib.sha256(payload).hexdigest())


def put(fs: pafs.FileSystem, root: str, local: bool, relative: str, payload: bytes) -> None:
    """Write `payload` so that `root/relative` is either absent, its old content, or
    all of the new one, never part of it."""
    final = f"{root}/{relative}"
    unique = f"{os.getpid()}-{os.urandom(4).hex()}"
    if not local:
        fs.create_dir(os.path.dirname(final), recursive=True)
        if fs.type_name in OBJECT_STORES:
            # An object store publishes a PUT whole or not at all.
            with fs.open_output_stream(final) as stream:
                stream.write(payload)
            return
        # Other filesystems (HDFS, ...): write aside, then move into place.
        temp = f"{os.path.dirname(final)}/.{os.path.basename(final)}.tmp-{unique}"
        try:
            with fs.open_output_stream(temp) as stream:
                stream.write(payload)
            fs.move(temp, final)
        except BaseException:
            with contextlib.suppress(Exception):
                fs.delete_file(temp)
            raise
        return
    os.makedirs(os.path.dirname(final), exist_ok=True)
    temp = f"{os.path.dirname(final)}/.{os.path.basename(final)}.tmp-{unique}"
    try:
        with open(temp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:  # a full disk: no half-written file left beside the run's own
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    directory = os.open(os.path.dirname(final), os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
