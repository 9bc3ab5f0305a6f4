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
from pipeline.storage import RowError, UnreadableFile, excerpt, is_local, open_input, parquet_rows, parse_json_line
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
    try:
        yield from _file_rows(path, split)
    except UnreadableFile as exc:  # not Parquet after all, gzip, broken partway
        raise SourceError(str(exc)) from None
    except OSError as exc:  # gone or unreadable since it was checked, a disk error partway
        raise SourceError(f"{path}: {exc}") from None


def _file_rows(path: str, split: str) -> Iterator[tuple[int, dict | BadRow]]:
    if is_local(path):
        local = Path(path.removeprefix("file://"))
        if not local.exists():
            raise SourceError(f"{path}: no such file or directory")
        if local.is_dir():
            yield from enumerate(_dataset_rows(local, split), start=1)
            return
    if path.endswith((".parquet", ".pq")):
        with open_input(path) as handle:
            for number, row in enumerate(parquet_rows(path, handle), start=1):
                yield number, BadRow("", f"row {number}: {row}", "") if isinstance(row, RowError) else row
        return
    with open_input(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            yield number, _json_row(number, line)


def _json_row(number: int, line: bytes) -> dict | BadRow:
    row = parse_json_line(line)
    if isinstance(row, RowError):
        return BadRow("", f"line {number}: {row}", excerpt(line))
    if not isinstance(row, dict):
        return BadRow("", f"line {number}: expected an object, got {type(row).__name__}", excerpt(line))
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
            raise SourceError(f"{directory}: datasets cannot load it: {_with_cause(exc)}") from None
    yield from loaded


def _with_cause(exc: BaseException) -> str:
    """The error and its direct cause: `datasets` wraps the one that names the bad row
    (`DatasetGenerationError` from `ArrowInvalid: JSON parse error: ... in row 1`)."""
    cause = exc.__cause__ or exc.__context__
    return f"{exc}: {type(cause).__name__}: {cause}" if cause is not None else str(exc)


def to_problem(raw: dict, source: SourceConfig, number: int) -> ProblemBase | BadRow:
    """One input row, renamed and converted, or a BadRow naming the field that is wrong."""
    row = {source.fields.get(key, key): value for key, value in raw.items()}
    shown = excerpt(raw)
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
        return BadRow(source.label, f"{where}: {reasons}", shown, _str_or_none(problem_id))
    except Exception as exc:  # noqa: BLE001 - whatever one row makes a converter raise costs that row only
        # `time_limit: "1s"` where an object goes; an MBPP reference that is not Python (SyntaxError)
        return BadRow(source.label, f"{where}: {type(exc).__name__}: {str(exc)[:500]}", shown, _str_or_none(problem_id))


def _sendable(problem: ProblemBase) -> ProblemBase:
    """A problem travels to verifier actors as JSON: one that cannot be written out, or read
    back there (fields nested deeper than either side goes), is a bad row here, not a
    sample that fails on every run later."""
    from pydantic_core import PydanticSerializationError

    if isinstance(problem, BadRow):
        return problem
    try:
        text = problem.model_dump_json()
    except PydanticSerializationError as exc:
        raise ValueError(f"cannot be serialised: {str(exc)[:200]}") from None
    try:
        PROBLEM.validate_json(text)  # what the verify stage does with it
    except ValidationError as exc:
        raise ValueError(f"cannot be read back from JSON: {exc.errors()[0]['msg'][:200]}") from None
    return problem


def _str_or_none(value: Any) -> str | None:
    return None if value is None else escaped(str(value)[:200])
