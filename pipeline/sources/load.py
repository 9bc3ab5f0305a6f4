"""Read a `SourceConfig` into validated problems, and the rows that are not, with reasons.

Formats: JSONL, Parquet, a directory written by `datasets.save_to_disk`, a directory
of data files `datasets.load_dataset` reads, `builtin:humaneval`, `builtin:math-synth`,
`builtin:code-easy`.
A bad row never stops the others: it comes out as a `BadRow`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.config import SourceConfig
from pipeline.storage import JsonLineError, is_local, open_input, parse_json_line
from verifiers.domains import PROBLEM
from verifiers.schema import ProblemBase
from verifiers.text import escaped

_JSON_FIELDS = ("tests", "metadata", "limits")  # Parquet/HF columns often hold these as JSON text


class SourceError(ValueError):
    """The source as a whole cannot be read (missing file, unknown builtin)."""


@dataclass(frozen=True)
class BadRow:
    source: str
    reason: str
    row: str  # excerpt of the input
    problem_id: str | None = None


def load_source(source: SourceConfig) -> Iterator[ProblemBase | BadRow]:
    """Problems in source order; duplicates of a problem_id are bad rows."""
    seen: set[str] = set()
    count = 0
    for number, item in _problems(source):
        if isinstance(item, BadRow):
            yield item
            continue
        if item.problem_id in seen:
            yield BadRow(source.label, f"row {number}: duplicate problem_id in this source", item.problem_id, item.problem_id)
            continue
        seen.add(item.problem_id)
        yield item
        count += 1
        if source.limit and count >= source.limit:
            return


def _problems(source: SourceConfig) -> Iterator[tuple[int, ProblemBase | BadRow]]:
    """(row number, problem or bad row) in source order."""
    path = source.path
    if path.startswith("builtin:"):
        yield from enumerate(_builtin(source), start=1)
        return
    label = source.label
    for number, raw in _rows(path, source.split):
        if isinstance(raw, BadRow):
            yield number, BadRow(label, raw.reason, raw.row)
            continue
        yield number, to_problem(raw, source, number)


def _builtin(source: SourceConfig) -> Iterator[ProblemBase]:
    from pipeline.sources.registry import BUILTINS

    name = source.path.removeprefix("builtin:")
    if name not in BUILTINS:
        raise SourceError(f"unknown builtin source {source.path!r}; known: {', '.join('builtin:' + n for n in BUILTINS)}")
    yield from BUILTINS[name](source)


def _rows(path: str, split: str) -> Iterator[tuple[int, dict | BadRow]]:
    if is_local(path):
        local = Path(path.removeprefix("file://"))
        if not local.exists():
            raise SourceError(f"{path}: no such file or directory")
        if local.is_dir():
            yield from enumerate(_dataset_rows(local, split), start=1)
            return
    if path.endswith((".parquet", ".pq")):
        import pyarrow.parquet as pq

        with open_input(path) as handle:
            number = 0
            for batch in pq.ParquetFile(handle).iter_batches(batch_size=1024):
                for row in batch.to_pylist():
                    number += 1
                    yield number, row
        return
    with open_input(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            yield number, _json_row(number, line)


def _json_row(number: int, line: bytes) -> dict | BadRow:
    excerpt = line[:500].decode("utf-8", "replace")
    row = parse_json_line(line)
    if isinstance(row, JsonLineError):
        return BadRow("", f"line {number}: {row}", excerpt)
    if not isinstance(row, dict):
        return BadRow("", f"line {number}: expected an object, got {type(row).__name__}", excerpt)
    return row


def _dataset_rows(directory: Path, split: str) -> Iterator[dict]:
    import datasets

    if (directory / "dataset_dict.json").exists() or (directory / "state.json").exists():
        loaded = datasets.load_from_disk(str(directory))
        if isinstance(loaded, datasets.DatasetDict):
            if split not in loaded:
                raise SourceError(f"{directory}: no split {split!r} (has {', '.join(loaded)})")
            loaded = loaded[split]
    else:
        try:
            loaded = datasets.load_dataset(str(directory), split=split)
        except Exception as exc:  # noqa: BLE001 - datasets raises many types; say which directory
            raise SourceError(f"{directory}: datasets cannot load it: {exc}") from None
    yield from loaded


def to_problem(raw: dict, source: SourceConfig, number: int) -> ProblemBase | BadRow:
    """One input row, renamed and converted, or a BadRow naming the field that is wrong."""
    row = {source.fields.get(key, key): value for key, value in raw.items()}
    try:
        excerpt = json.dumps(raw, default=str)[:500]
    except (ValueError, RecursionError):  # nested too deeply to print
        excerpt = repr(raw)[:500] if not isinstance(raw, dict) else f"{{{', '.join(map(repr, list(raw)[:20]))}}}"
    where = f"row {number}"
    problem_id = row.get("problem_id") or row.get("task_id")
    try:
        if source.style != "assay":
            from pipeline.sources.registry import STYLES

            return _sendable(STYLES[source.style](row))
        if source.domain and "domain" not in row:
            row["domain"] = source.domain
        for key in _JSON_FIELDS:
            if isinstance(row.get(key), str):
                row[key] = json.loads(row[key])
        # Mixed-domain tables have null columns for the other domain's fields.
        row = {k: v for k, v in row.items() if v is not None}
        problem = PROBLEM.validate_python(row)
        return _sendable(problem)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in exc.errors()[:5])
        return BadRow(source.label, f"{where}: {reasons}", excerpt, _str_or_none(problem_id))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        # a converter meeting a field of the wrong type (`time_limit: "1s"` where an object goes)
        return BadRow(source.label, f"{where}: {type(exc).__name__}: {str(exc)[:500]}", excerpt, _str_or_none(problem_id))


def _sendable(problem: ProblemBase) -> ProblemBase:
    """A problem travels to verifier actors as JSON: one that cannot be written out (tests
    nested deeper than the serialiser goes) is a bad row here, not a crash later."""
    from pydantic_core import PydanticSerializationError

    if isinstance(problem, BadRow):
        return problem
    try:
        problem.model_dump_json()
    except PydanticSerializationError as exc:
        raise ValueError(f"cannot be serialised: {str(exc)[:200]}") from None
    return problem


def _str_or_none(value: Any) -> str | None:
    return None if value is None else escaped(str(value)[:200])
