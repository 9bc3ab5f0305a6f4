"""Table tests of the code verifier's comparisons (pure functions; no sandbox, no root)."""

from __future__ import annotations

from collections import Counter, OrderedDict
from decimal import Decimal
from fractions import Fraction

import pytest

from verifiers.code.compare import stdout_matches, values_match
from verifiers.code.harness import Opaque

VALUES = [
    # (got, expected, tolerance, match)
    (1, 1, 1e-6, True),
    (True, 1, 1e-6, False),  # bool is not int
    (1, True, 1e-6, False),
    (1.0, 1, 1e-6, False),  # an expected int needs an int
    (1, 1.0, 1e-6, True),  # an expected float accepts an int
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
    ],
)
def test_stdout_matches(got: str, expected: str, tolerance: float | None, match: bool) -> None:
    assert stdout_matches(got, expected, tolerance) is match
