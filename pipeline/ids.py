"""Deterministic identifiers: the basis of resuming without duplicates.

A sample's id depends only on what defines it (problem, source, generator identity,
sample index, seed), never on when or where it was produced, so a rerun computes the
same ids and skips the ones already committed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def _digest(payload: Any, size: int = 24) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:size]


def sample_id(source: str, problem_id: str, generator_fingerprint: str, sample_index: int, seed: int) -> str:
    return _digest(["sample", source, problem_id, generator_fingerprint, sample_index, seed])


def replay_sample_id(source: str, problem_id: str, ordinal: int, completion: str) -> str:
    """For given completions without an id: their position among the problem's
    completions and their content."""
    text_hash = hashlib.sha256(completion.encode("utf-8", "surrogatepass")).hexdigest()
    return _digest(["replay", source, problem_id, ordinal, text_hash])


def sample_seed(base_seed: int, problem_id: str, sample_index: int) -> int:
    """A per-sample seed (31 bits, what every backend accepts)."""
    return int(_digest(["seed", base_seed, problem_id, sample_index], 8), 16) & 0x7FFFFFFF


def fingerprint(payload: Any) -> str:
    return _digest(payload, 16)


def error_id(*parts: Any) -> str:
    return _digest(["error", *parts])
