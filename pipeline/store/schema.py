"""The shards' Arrow schemas, derived from the row models (`pipeline.rows`).

Fixed, not inferred from data: every shard of every run has the same columns and types,
so `datasets`, pyarrow, polars and duckdb read a run's shards as one table.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

import pyarrow as pa
from pydantic import BaseModel

from pipeline.rows import ErrorRow, SampleRow

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.datetime: pa.timestamp("us", tz="UTC"),
}


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a row field: scalars, `X | None` (nullable X), `Literal[str...]`
    (string) and nested row models (struct)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return arrow_type(inner)
    if origin is typing.Literal:
        return pa.string()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(arrow_schema(annotation))
    return _SCALARS[annotation]


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    return pa.schema([(name, arrow_type(field.annotation)) for name, field in model.model_fields.items()])


SAMPLE_SCHEMA = arrow_schema(SampleRow)
ERROR_SCHEMA = arrow_schema(ErrorRow)
