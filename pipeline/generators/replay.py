"""`replay`: completions that already exist (JSONL or Parquet), so `assay verify` runs
the same pipeline as `assay run`.

The driver scans the file once (`scan_completions`), keeping only where each row is;
generator actors read rows back by that position. Rows that cannot be used (bad JSON,
not UTF-8, missing or mistyped fields) are reported by the scan with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow.parquet as pq
from pydantic import ValidationError

from pipeline.config import GeneratorConfig, ReplayConfig
from pipeline.generators.base import Generation, GenerationRequest, Generator
from pipeline.schema import Completion
from pipeline.storage import JsonLineError, open_input, parse_json_line


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
