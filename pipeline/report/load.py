"""Read a run back: its manifest and the verdict shards it lists."""

from __future__ import annotations

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


def load_verdicts(location: str, manifest: Manifest | None = None, columns: list[str] | None = None) -> pa.Table:
    """All committed verdict rows (only shards the manifest lists: never a half-written one)."""
    manifest = manifest or load_manifest(location)
    fs, root = resolve(location)
    tables = []
    for path in manifest.shard_paths("verdicts"):
        with fs.open_input_file(f"{root}/{path}") as handle:
            tables.append(pq.read_table(handle, columns=columns))
    if not tables:
        schema = SAMPLE_SCHEMA if columns is None else pa.schema([SAMPLE_SCHEMA.field(c) for c in columns])
        return schema.empty_table()
    return pa.concat_tables(tables)
