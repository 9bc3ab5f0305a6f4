"""Run identity: what makes two runs the same run, and two samples the same samples.

A config field that only changes how fast a run goes or where it is written (actors,
concurrency, retries, batch sizes, the output directory, Ray) is marked on its model
with `json_schema_extra=NOT_IDENTITY`; so is `sampling.n`, because raising n extends a
run with new samples. Everything else is identity. This one rule gives both the run's
config hash (a resume must match it) and the generator fingerprint in every sample id.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

NOT_IDENTITY: dict[str, Any] = {"identity": False}


def identity(model: BaseModel) -> dict[str, Any]:
    """`model` as JSON data, without the fields marked NOT_IDENTITY (at any depth)."""
    return _prune(model, model.model_dump(mode="json"))


def _prune(model: BaseModel, data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, field in type(model).model_fields.items():
        if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("identity") is False:
            continue
        value = getattr(model, name)
        out[name] = _prune(value, data[name]) if isinstance(value, BaseModel) else data[name]
    return out


def identity_hash(model: BaseModel, size: int = 16) -> str:
    return hashlib.sha256(json.dumps(identity(model), sort_keys=True).encode()).hexdigest()[:size]
