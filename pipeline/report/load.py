"""Read a run back: its manifest and the verdict shards it lists."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.storage import resolve
from pipeline.store.manifest import Manifest, read_manifest
from pipeline.store.schema import SAMPLE_SCHEMA


class NotARun(ValueError):
    """The directory has no readable manifest.json."""


def load_manifest(location: str) -> Manifest:
    try:
        manifest = read_manifest(*resolve(location))
    except (OSError, ValueError) as exc:
        raise NotARun(f"{location}: not a run directory (unreadable manifest.json: {exc})") from None
    if manifest is None:
        raise NotARun(f"{location}: not a run directory (no manifest.json)")
    return manifest


def iter_verdicts(location: str, manifest: Manifest | None = None, columns: list[str] | None = None, kind: str = "verdicts") -> Iterator[pa.Table]:
    """The committed rows of `kind` (verdicts, or data: the passing ones), one shard at a
    time; only shards the manifest lists (never a half-written one), in today's schema: a
    column that shards written by an older Assay lack reads as nulls."""
    manifest = manifest or load_manifest(location)
    schema = SAMPLE_SCHEMA if columns is None else pa.schema([SAMPLE_SCHEMA.field(c) for c in columns])
    fs, root = resolve(location)
    for path in manifest.shard_paths(kind):
        with fs.open_input_file(f"{root}/{path}") as handle:
            shard = pq.ParquetFile(handle)
            present = [name for name in schema.names if name in shard.schema_arrow.names]
            yield _conform(shard.read(columns=present), schema)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    arrays = [
        table.column(field.name).cast(field.type) if field.name in table.column_names else pa.nulls(table.num_rows, field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
