"""The value model of the code verifier's channel, as pure functions (no sandbox): what
crosses by value, what stays opaque, and how the verifier compares."""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import fractions
import json

import pytest

from verifiers.code.compare import values_match
from verifiers.code.harness import Opaque, decode, encode

Point = collections.namedtuple("Point", "x y")

ROUND_TRIPS = [
    (1, 2.5), {1, 2}, frozenset({3}), b"\x00\xff", 1 + 2j, {"a": [1, (2, 3)]},
    collections.Counter("abca"), collections.OrderedDict([("b", 1), ("a", 2)]), collections.deque([1, 2], maxlen=5),
    Point(1, 2), fractions.Fraction(3, 4), decimal.Decimal("1.10"),
    dt.date(2024, 2, 29), dt.time(12, 30), dt.datetime(2024, 1, 2, 3, 4, 5), dt.timedelta(days=1, seconds=5),
]  # fmt: skip


@pytest.mark.parametrize("value", ROUND_TRIPS, ids=lambda v: type(v).__name__)
def test_standard_library_values_cross_by_value_as_genuine_instances(value) -> None:
    back = decode(json.loads(json.dumps(encode(value))))
    assert back == value and type(back).__name__ == type(value).__name__
    assert type(back).__module__ in ("builtins", "collections", "fractions", "decimal", "datetime", "__main__") or back._fields


def test_defaultdict_crosses_as_a_dict_that_equals_the_candidates() -> None:
    value = collections.defaultdict(int, {"a": 1})
    back = decode(json.loads(json.dumps(encode(value))))
    assert isinstance(back, collections.defaultdict) and back == {"a": 1}


def test_numpy_values_cross_as_numpy() -> None:
    numpy = pytest.importorskip("numpy")
    back = decode(json.loads(json.dumps(encode(numpy.array([[1, 2], [3, 4]])))))
    assert isinstance(back, numpy.ndarray) and back.shape == (2, 2) and (back == numpy.array([[1, 2], [3, 4]])).all()
    assert decode(json.loads(json.dumps(encode(numpy.float64(0.5))))) == 0.5
    assert isinstance(decode(json.loads(json.dumps(encode(numpy.array(["a"], dtype=object))))), Opaque)


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True


class SneakyCounter(collections.Counter):
    def __eq__(self, other: object) -> bool:
        return True


class SneakyPoint(Point):
    def __eq__(self, other: object) -> bool:
        return True


def test_ranges_and_dict_views_cross_as_themselves_and_iterators_stay_behind() -> None:
    """A `range` and dict views are data. A builtin iterator (a generator, a `map`) is not
    materialized: the judge gets a handle and steps it in the candidate's process (lazily,
    as plain CPython would); for `call` tests, without a judge, it is opaque."""
    from verifiers.code.harness import Handles

    def back(value: object) -> object:
        return decode(json.loads(json.dumps(encode(value))))

    assert back(range(1, 10, 3)) == range(1, 10, 3)
    assert back({1: "a", 2: "b"}.keys()) == {1, 2} and back({1: "a"}.items()) == {(1, "a")}
    assert list(back({1: "a", 2: "b"}.values())) == ["a", "b"]
    handles = Handles()
    generator = (x * x for x in range(4))
    assert encode(generator, handles=handles) == {"t": "handle", "id": 0, "type": "generator"} and handles.objects == [generator]
    assert isinstance(back(map(str, [1])), Opaque)
    assert not values_match(back(iter([1, 2])), [1, 2])  # nor for call tests (LiveCodeBench compares the returned value)


@pytest.mark.parametrize("value", [AlwaysEqual(), SneakyCounter("a"), SneakyPoint(1, 2)], ids=lambda v: type(v).__name__)
def test_custom_classes_and_subclasses_with_their_own_dunders_stay_opaque(value) -> None:
    back = decode(json.loads(json.dumps(encode(value))))
    assert isinstance(back, Opaque)
    with pytest.raises(TypeError):
        back == 1  # noqa: B015 - the comparison itself must refuse
    assert not values_match(back, 1) and not values_match(back, {"a": 1})


@pytest.mark.parametrize(
    "hostile",
    [{"t": "Fraction", "v": ["x", 1]}, {"t": "deque", "v": [1], "maxlen": -1}, {"t": "timedelta", "v": [10**20, 0, 0]},
     {"t": "ndarray", "dtype": "O", "shape": [1], "v": [1]}, {"t": "date", "v": "not a date"}, {"t": "dict", "v": [[[1], 2]]},
     {"t": "range", "v": [0, 1.5, 1]}, {"t": "range", "v": [0, 1, 0]}, {"t": "dict_keys", "v": [[1]]}],
)  # fmt: skip
def test_malformed_data_from_the_candidate_is_opaque_never_an_exception(hostile) -> None:
    assert isinstance(decode(hostile), Opaque)


def test_call_tests_compare_standard_types_by_their_own_semantics() -> None:
    assert values_match(collections.Counter("aab"), {"a": 2, "b": 1})
    assert values_match(collections.OrderedDict(a=1), {"a": 1})
    assert values_match(Point(1, 2), [1, 2])
    assert values_match(fractions.Fraction(1, 2), 0.5) and values_match(fractions.Fraction(4, 2), 2)
    assert values_match(decimal.Decimal("2.50"), 2.5)
    assert not values_match(collections.deque([1, 2]), [1, 2])  # deque == list is False in Python too
    assert values_match(True, 1) and values_match(1.0, 1)  # numbers by value, as Python's ==
    assert not values_match(None, 0) and not values_match("1", 1)


@pytest.mark.parametrize("value", [{12, 13, 14, 15, 16}, {1, 9, 17, 25, 2, 10}, frozenset({12, 13, 14, 15, 16}),
                                   set([12, 13, 14, 15, 16]), {x * 8 for x in range(7)}])
def test_a_set_crosses_in_the_order_it_iterates(value) -> None:
    """CPython's iteration order depends on how a set was built; the receiver's set iterates as the
    sender's did (`tuple(s)` of a test's `{12, ..., 16}` is `(16, 12, 13, 14, 15)` in plain Python)."""
    back = decode(json.loads(json.dumps(encode(value))))
    assert tuple(back) == tuple(value) and type(back) is type(value)


def test_sets_and_dicts_of_keys_built_to_collide_are_refused_fast() -> None:
    """Ints i * (2**61 - 1) all hash to 0: a set of 30,000 took 10 s to build and compare in
    the verifier's process (a red team's forged reply). Real keys seldom share a hash."""
    import time

    colliding = [i * (2**61 - 1) for i in range(30_000)]
    start = time.perf_counter()
    for forged in ({"t": "set", "v": colliding}, {"t": "dict", "v": [[k, 0] for k in colliding]},
                   {"t": "Counter", "v": [[k, 1] for k in colliding]}, {"t": "dict_keys", "v": colliding}):
        assert isinstance(decode(forged), Opaque)
    assert time.perf_counter() - start < 1.0
    assert decode({"t": "set", "v": [-1, -2, *range(10_000)]}) == {-1, -2, *range(10_000)}  # -1 and -2 share one
