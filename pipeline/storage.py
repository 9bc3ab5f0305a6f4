"""Local paths and pyarrow filesystem URIs (s3://, gs://, hdfs://, file://) alike."""

from __future__ import annotations

import json
from typing import BinaryIO

import pyarrow.fs as pafs


def resolve(location: str) -> tuple[pafs.FileSystem, str]:
    """(filesystem, path inside it) for a local path or a URI."""
    if "://" in location:
        return pafs.FileSystem.from_uri(location)
    from pathlib import Path

    return pafs.LocalFileSystem(), str(Path(location).resolve())


def is_local(location: str) -> bool:
    return "://" not in location or location.startswith("file://")


def open_input(location: str) -> BinaryIO:
    """A seekable binary file; line iteration works for both kinds."""
    if not is_local(location):
        fs, path = resolve(location)
        return fs.open_input_file(path)
    return open(location.removeprefix("file://"), "rb")  # the caller closes it


def parse_json_line(raw: bytes) -> object | str:
    """One JSONL line: the decoded value, or why it is not one (a message, not an exception)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return JsonLineError(f"not UTF-8 (byte {exc.start})")
    except json.JSONDecodeError as exc:
        return JsonLineError(f"bad JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return JsonLineError("JSON nested too deeply to read")


class JsonLineError(str):
    """The reason a line is not JSON (a str, so it drops into messages)."""
