"""Local paths and pyarrow filesystem URIs (s3://, gs://, hdfs://, file://) alike."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.fs as pafs


def resolve(location: str) -> tuple[pafs.FileSystem, str]:
    """(filesystem, path inside it) for a local path or a URI."""
    if "://" in location:
        return pafs.FileSystem.from_uri(location)
    from pathlib import Path

    return pafs.LocalFileSystem(), str(Path(location).resolve())


def file_identity(location: str) -> list[Any]:
    """Size and mtime of a file; of a directory, its files' relative paths, sizes and mtimes
    (a dataset directory). None where it cannot be read: the run will say why. What the run
    hash knows of an input file (`pipeline.run_ids.run_hash`): not its content, which would
    mean reading every byte of it before each run."""
    try:
        fs, path = resolve(location)
        info = fs.get_file_info(path)
        if info.type != pafs.FileType.Directory:
            return [info.size, info.mtime_ns]
        inner = fs.get_file_info(pafs.FileSelector(path, recursive=True))
        return sorted([i.path.removeprefix(path), i.size, i.mtime_ns] for i in inner if i.type == pafs.FileType.File)
    except (OSError, ValueError):
        return [None, None]


def is_local(location: str) -> bool:
    return "://" not in location or location.startswith("file://")


class UnreadableFile(ValueError):
    """An input file that cannot be read as what its name says (not Parquet, compressed)."""


_GZIP = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"


def open_input(location: str) -> BinaryIO:
    """A seekable binary file; line iteration works for both kinds. A gzip file is refused
    with that reason: read as text it would be a few lines of noise."""
    if not is_local(location):
        fs, path = resolve(location)
        handle = fs.open_input_file(path)
    else:
        handle = open(location.removeprefix("file://"), "rb")  # the caller closes it
    start = handle.read(2)
    handle.seek(0)
    if start == _GZIP:
        handle.close()
        raise UnreadableFile(f"{location}: the file is gzip-compressed; decompress it first (gunzip)")
    return handle


def parquet_rows(location: str, handle: BinaryIO) -> Iterator[dict | RowError]:
    """Each row of a Parquet file as a dict, or why it cannot be read: a string value that is
    not UTF-8 costs its own row, never the others. A file that is not Parquet at all, or
    that breaks partway, raises `UnreadableFile`."""
    import pyarrow.parquet as pq

    try:
        for batch in pq.ParquetFile(handle).iter_batches(batch_size=1024):
            try:
                rows = batch.to_pylist()
            except UnicodeDecodeError:  # one bad value fails the whole batch's conversion
                rows = [_parquet_row(batch.slice(i, 1)) for i in range(batch.num_rows)]
            yield from rows
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFile(f"{location}: not a readable Parquet file: {exc}") from None


def _parquet_row(one: pa.RecordBatch) -> dict | RowError:
    try:
        row: dict = one.to_pylist()[0]
        return row
    except UnicodeDecodeError:
        bad = []
        for name in one.schema.names:
            try:
                one.column(name).to_pylist()
            except UnicodeDecodeError:
                bad.append(name)
        return RowError(f"not UTF-8 in column {', '.join(bad)}")


def parse_json_line(raw: bytes) -> object | str:
    """One JSONL line: the decoded value, or why it is not one (a message, not an exception).
    A byte-order mark before it is ignored (editors write one at a file's start)."""
    try:
        return json.loads(raw.removeprefix(_BOM).decode("utf-8"))
    except UnicodeDecodeError as exc:
        return RowError(f"not UTF-8 (byte {exc.start})")
    except json.JSONDecodeError as exc:
        return RowError(f"bad JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return RowError("JSON nested too deeply to read")
    except ValueError as exc:  # Python's guard against quadratic int conversion; the run goes on
        if "digits" in str(exc):
            return RowError(f"bad JSON: a number of more than {sys.get_int_max_str_digits()} digits")
        return RowError(f"bad JSON: {exc}")


EXCERPT_CHARS = 500  # of a rejected row, kept beside its reason


def excerpt(item: object) -> str:
    """A short, printable view of a rejected row: its raw line, or its value as JSON (a
    value nested too deeply for JSON is shown by its keys)."""
    if isinstance(item, bytes):
        return item[:EXCERPT_CHARS].decode("utf-8", "replace")
    try:
        return json.dumps(item, default=str)[:EXCERPT_CHARS]
    except (ValueError, RecursionError):
        shown = list(item)[:20] if isinstance(item, dict) else item
        return repr(shown)[:EXCERPT_CHARS]


class RowError(str):
    """Why a row cannot be read: a line that is not JSON, a Parquet value that is not UTF-8
    (a str, so it drops into messages)."""
