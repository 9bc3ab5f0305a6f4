"""Local paths and pyarrow filesystem URIs (s3://, gs://, hdfs://, file://) alike."""

from __future__ import annotations

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
    return open(location.removeprefix("file://"), "rb")  # noqa: SIM115 - the caller closes it
