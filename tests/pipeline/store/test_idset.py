"""Committed ids as 16-byte keys (`pipeline.store.idset`): exact membership, merging."""

from __future__ import annotations

import numpy as np

from pipeline.store.idset import IdSet, contains, id_key, sorted_keys


def test_membership_len_and_merging(monkeypatch) -> None:
    monkeypatch.setattr(IdSet, "_MERGE", 3)  # merge the recent ids into the sorted array often
    ids = IdSet(["a", "b"])
    for i in range(10):
        ids.add(f"x{i}")
    ids.add("x1")  # already there (merged): not counted twice
    ids.add("a")
    assert len(ids) == 12
    assert all(f"x{i}" in ids for i in range(10)) and "a" in ids and "b" in ids
    assert "x10" not in ids and "" not in ids
    keys = ids.keys()
    assert len(keys) == 12 and np.all(keys[:-1] < keys[1:])  # sorted, unique
    assert contains(keys, "x7") and not contains(keys, "x70")


def test_keys_never_end_in_a_zero_byte() -> None:
    """NumPy's fixed-width bytes drop trailing zeros: a key ending in one would not equal
    its own array entry, and a committed sample would be planned again."""
    keys = [id_key(f"sample-{i}") for i in range(20_000)]
    assert all(k[-1] != 0 and len(k) == 16 for k in keys)
    array = sorted_keys(f"sample-{i}" for i in range(20_000))
    assert all(contains(array, f"sample-{i}") for i in range(0, 20_000, 97))


def test_of_keys_joins_shards_and_odd_ids_work() -> None:
    odd = ["\udcff lone surrogate", "ünïcødé", "x" * 10_000]
    ids = IdSet.of_keys([sorted_keys(["s1", "s2"]), sorted_keys(["s2", "s3", *odd])])
    assert len(ids) == 6 and all(i in ids for i in ["s1", "s2", "s3", *odd]) and "s4" not in ids
    assert len(IdSet.of_keys([])) == 0 and "s1" not in IdSet.of_keys([])
