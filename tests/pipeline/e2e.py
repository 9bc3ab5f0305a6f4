"""Helpers for the end-to-end tests: completion files and reading a run back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]


def mutate(solution: str) -> str:
    """A wrong but runnable variant of a canonical solution."""
    for old, new in (("return ", "return not "), (" + ", " - "), ("<", ">"), ("==", "!=")):
        if old in solution:
            return solution.replace(old, new, 1)
    return "    return None\n"


def write_jsonl(path: Path, rows: list) -> Path:
    with path.open("wb") as handle:
        for row in rows:
            handle.write(row if isinstance(row, bytes) else json.dumps(row).encode())
            handle.write(b"\n")
    return path


def read_run(out: Path) -> tuple[dict, pa.Table, pa.Table, pa.Table | None]:
    manifest = json.loads((out / "manifest.json").read_text())

    def table(kind: str) -> pa.Table | None:
        paths = [out / s["path"] for s in manifest["shards"] if s["kind"] == kind]
        return pa.concat_tables([pq.read_table(p) for p in paths]) if paths else None

    return manifest, table("verdicts"), table("data"), table("errors")


def assay(*args: str, timeout: float = 600, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The real CLI in a child process (its own Ray, like a user's shell)."""
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, **kwargs
    )
