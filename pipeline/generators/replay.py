"""`replay`: completions that already exist (JSONL or Parquet), so `assay verify` runs
the same pipeline as `assay run`.

The driver scans the file once (`scan_completions`), keeping only where each row is;
generator actors read rows back by that position. Rows that cannot be used (bad JSON,
not UTF-8, missing or mistyped fields) are reported by the scan with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pyarrow.parquet as pq
from pydantic import Field, ValidationError

from pipeline.generators.base import (
    Backend,
    Generation,
    GenerationRequest,
    Generator,
    SampleSlot,
)
from pipeline.generators.config import EngineConfig
from pipeline.identity import NOT_IDENTITY

if TYPE_CHECKING:
    from pipeline.generators.registry import GeneratorConfig
from pipeline.rows import Completion
from pipeline.storage import JsonLineError, open_input, parse_json_line


class ReplayConfig(EngineConfig):
    """Existing completions (JSONL or Parquet rows: problem_id, completion, [sample_id], [model])."""

    backend: Literal["replay"] = "replay"
    path: str = Field(min_length=1)
    batch_size: int = Field(64, ge=1, json_schema_extra=NOT_IDENTITY)

    def outside_identity(self) -> list[Any]:
        return file_identity(self.path)


@dataclass(frozen=True)
class ScannedRow:
    locator: int  # byte offset (JSONL) or row index (Parquet)
    completion: Completion | None
    error: str | None = None
    where: str = ""  # "line 12" / "row 12", for messages


def _is_parquet(path: str) -> bool:
    return path.endswith((".parquet", ".pq"))


def scan_completions(path: str) -> Iterator[ScannedRow]:
    """Every row of a completions file, parsed and validated, with its position."""
    if _is_parquet(path):
        with open_input(path) as handle:
            row = 0
            for batch in pq.ParquetFile(handle).iter_batches(batch_size=1024):
                for item in batch.to_pylist():
                    scanned = _validated(row, item)
                    where = f"row {row + 1}"
                    error = f"{where}: {scanned.error}" if scanned.error else None
                    yield ScannedRow(row, scanned.completion, error, where)
                    row += 1
        return
    with open_input(path) as handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            scanned = _parse_line(offset, number, raw)
            yield ScannedRow(scanned.locator, scanned.completion, scanned.error, f"line {number}")
            offset += len(raw)


def _parse_line(offset: int, number: int, raw: bytes) -> ScannedRow:
    if not raw.strip():
        return ScannedRow(offset, None, f"line {number}: empty line")
    item = parse_json_line(raw)
    if isinstance(item, JsonLineError):
        return ScannedRow(offset, None, f"line {number}: {item}")
    row = _validated(offset, item)
    return row if row.error is None else ScannedRow(offset, None, f"line {number}: {row.error}")


def _validated(locator: int, item: object) -> ScannedRow:
    if not isinstance(item, dict):
        return ScannedRow(locator, None, f"expected an object, got {type(item).__name__}")
    known = {k: v for k, v in item.items() if k in Completion.model_fields}
    try:
        return ScannedRow(locator, Completion.model_validate(known))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "row"
        return ScannedRow(locator, None, f"{field}: {first['msg']}")


class ReplayGenerator(Generator):
    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__(config)
        assert isinstance(config.engine, ReplayConfig)
        self.path = config.engine.path
        self.model_name = "replay"
        self._row_groups: tuple[list[int], pq.ParquetFile] | None = None

    def generate(self, requests: list[GenerationRequest]) -> list[Generation]:
        out = []
        with open_input(self.path) as handle:
            for request in requests:
                for slot in request.samples:
                    try:
                        completion = self._read(handle, slot.locator)
                    except Exception as exc:  # noqa: BLE001 - the file changed under us, say so per row
                        out.append(self._failed(request, slot, f"cannot re-read completion: {exc}"))
                        continue
                    out.append(self._row(request, slot, completion=completion.completion, model=completion.model or "replay",
                                         finish_reason=completion.finish_reason))  # fmt: skip
        return out

    def _read(self, handle, locator: int | None) -> Completion:
        if locator is None:
            raise ValueError("no locator")
        if _is_parquet(self.path):
            return self._read_parquet_row(handle, locator)
        handle.seek(locator)
        row = _parse_line(locator, 0, handle.readline())
        if row.completion is None:
            raise ValueError(row.error)
        return row.completion

    def _read_parquet_row(self, handle, row: int) -> Completion:
        parquet = pq.ParquetFile(handle)
        start = 0
        for group in range(parquet.num_row_groups):
            size = parquet.metadata.row_group(group).num_rows
            if row < start + size:
                item = parquet.read_row_group(group).slice(row - start, 1).to_pylist()[0]
                scanned = _validated(row, item)
                if scanned.completion is None:
                    raise ValueError(scanned.error)
                return scanned.completion
            start += size
        raise ValueError(f"row {row} is past the end of the file")


def file_identity(location: str) -> list[Any]:
    """Size and mtime of a file (None when it cannot be read: the run will say why)."""
    from pipeline.storage import resolve

    try:
        fs, path = resolve(location)
        info = fs.get_file_info(path)
        return [info.size, info.mtime_ns]
    except (OSError, ValueError):
        return [None, None]


def plan_replay(config: Any, problems: dict, committed: set[str], run_id: str) -> Any:
    """The samples are the file's completions: each is matched to its problem, given an id
    (its own, or one from its position and text) and planned unless committed."""
    from collections import defaultdict

    from pipeline.ids import replay_sample_id
    from pipeline.plan import Plan
    from pipeline.rows import ErrorRow, ProblemKey

    engine = config.generator.engine
    by_id: dict[str, list[str]] = defaultdict(list)
    for key in problems:
        by_id[key.problem_id].append(key.source)
    slots: dict[ProblemKey, list[SampleSlot]] = defaultdict(list)
    ordinals: dict[ProblemKey, int] = defaultdict(int)
    seen_ids: set[str] = set()
    errors = []
    rows = 0
    error = lambda reason, **ids: ErrorRow.of("input", reason, run_id, source="completions", **ids)
    for scanned in scan_completions(engine.path):
        rows += 1
        if scanned.completion is None:
            errors.append(error(scanned.error))
            continue
        completion = scanned.completion
        sources = by_id.get(completion.problem_id, [])
        if len(sources) != 1:
            why = "no such problem in the sources" if not sources else f"problem_id is in several sources: {', '.join(sources)}"
            errors.append(error(f"{scanned.where}: {why}", problem_id=completion.problem_id, sample_id=completion.sample_id))
            continue
        key = ProblemKey(sources[0], completion.problem_id)
        ordinal = ordinals[key]
        ordinals[key] += 1
        sid = completion.sample_id or replay_sample_id(key.source, key.problem_id, ordinal, completion.completion)
        if sid in seen_ids:
            errors.append(error(f"{scanned.where}: duplicate sample_id", problem_id=completion.problem_id, sample_id=sid))
            continue
        seen_ids.add(sid)
        if sid not in committed:
            slots[key].append(SampleSlot(index=ordinal, sample_id=sid, seed=0, locator=scanned.locator))
    requests = []
    chunk = max(1, engine.batch_size // 4)
    for key, pending in slots.items():
        domain = problems[key].domain
        for start in range(0, len(pending), chunk):
            requests.append(GenerationRequest(source=key.source, problem_id=key.problem_id, domain=domain, messages=[], samples=pending[start : start + chunk]))
    return Plan(requests, seen_ids, len(ordinals), errors, rows)


BACKEND = Backend(config=ReplayConfig, generator=ReplayGenerator, plan=plan_replay)
