"""The ids of a run's committed rows, in a fixed 16 bytes each.

A run of tens of millions of samples cannot keep every id as a Python string (~100
bytes each). At open, the committed ids become one sorted NumPy array of digests, which
Ray's object store shares zero-copy with every planning task; ids added during the
attempt are merged into it in chunks. Membership is exact up to a 120-bit digest
collision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

KEY = np.dtype("S16")


def id_key(row_id: str) -> bytes:
    """A row id's 16-byte key. The last byte is never 0: NumPy's fixed-width bytes drop
    trailing zeros, which would make a key compare unequal to its own array entry."""
    return hashlib.blake2b(row_id.encode("utf-8", "surrogatepass"), digest_size=15).digest() + b"\x01"


def sorted_keys(ids: Iterable[str]) -> np.ndarray:
    return np.unique(np.fromiter((id_key(i) for i in ids), dtype=KEY))


def contains(keys: np.ndarray, row_id: str) -> bool:
    """Whether a sorted key array (`sorted_keys`) holds `row_id`."""
    key = id_key(row_id)
    at = int(np.searchsorted(keys, key))
    return at < len(keys) and keys[at] == key


class IdSet:
    """A set of row ids at 16 bytes each: sorted key arrays, plus a small set of the
    latest additions that is merged into them every `_MERGE` ids."""

    _MERGE = 65_536

    def __init__(self, committed: Iterable[str] = ()) -> None:
        self._base = sorted_keys(committed)
        self._recent: set[bytes] = set()

    @classmethod
    def of_keys(cls, arrays: Iterable[np.ndarray]) -> IdSet:
        """From sorted key arrays (one per shard)."""
        ids = cls()
        parts = list(arrays)
        if parts:
            ids._base = np.unique(np.concatenate(parts))
        return ids

    def __contains__(self, row_id: str) -> bool:
        key = id_key(row_id)
        if key in self._recent:
            return True
        at = int(np.searchsorted(self._base, key))
        return at < len(self._base) and self._base[at] == key

    def add(self, row_id: str) -> None:
        if row_id in self:
            return
        self._recent.add(id_key(row_id))
        if len(self._recent) >= self._MERGE:
            self._base = self.keys()
            self._recent.clear()

    def update(self, ids: Iterable[str]) -> None:
        for row_id in ids:
            self.add(row_id)

    def __len__(self) -> int:
        return len(self._base) + len(self._recent)

    def keys(self) -> np.ndarray:
        """Every id's key, sorted: what the planners test membership against."""
        if not self._recent:
            return self._base
        # One new array (not union1d's concatenate + sort + unique copies): the recent
        # keys are new by construction, so they only need inserting at their places.
        recent = np.sort(np.fromiter(self._recent, dtype=KEY, count=len(self._recent)))
        return np.insert(self._base, np.searchsorted(self._base, recent), recent)
