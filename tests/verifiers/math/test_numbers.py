"""Table tests of the pure number layer of the math verifier (no sandbox, no root):
what `plain_number` reads, what `normalize` keeps apart, when two numbers are equal."""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifiers.math.numbers import is_empty_answer, normalize, numbers_equal, plain_number

READS = [
    # (text, value, exact, percent)
    ("42", Fraction(42), True, False),
    ("-7", Fraction(-7), True, False),
    ("1,000", Fraction(1000), True, False),  # thousands separator
    ("1 000 000", Fraction(1000000), True, False),  # space thousands
    ("0.5", Fraction(1, 2), False, False),
    ("\\frac{3}{4}", Fraction(3, 4), True, False),
    ("\\dfrac{3}{4}", Fraction(3, 4), True, False),
    ("-\\frac{1}{2}", Fraction(-1, 2), True, False),
    ("15\\frac{39}{40}", Fraction(639, 40), True, False),  # mixed number
    ("3/8", Fraction(3, 8), True, False),
    ("25\\%", Fraction(25), True, True),
    ("90^\\circ", Fraction(90), True, False),
    ("12\\text{ cm}", Fraction(12), True, False),  # a unit is not mathematics
    ("$5$", Fraction(5), True, False),
    ("2.5 \\times 10^{3}", Fraction(2500), False, False),
    ("007", Fraction(7), True, False),
]


@pytest.mark.parametrize(("text", "value", "exact", "percent"), READS)
def test_plain_number_reads(text: str, value: Fraction, exact: bool, percent: bool) -> None:
    number = plain_number(text)
    assert number is not None, text
    assert (number.value, number.exact, number.percent) == (value, exact, percent)


@pytest.mark.parametrize("text", ["x+1", "\\sqrt{2}", "\\pi", "(1,2)", "3 \\pm 1", "1 2", "\\frac{1}{0}", "9" * 500])
def test_plain_number_leaves_the_rest_to_the_symbolic_path(text: str) -> None:
    assert plain_number(text) is None


def test_decimal_comma_only_when_asked() -> None:
    assert plain_number("1,22") is None  # a list, or a typo: not a number on its own
    number = plain_number("1,22", decimal_comma=True)
    assert number is not None and number.value == Fraction(122, 100)
    assert plain_number("1,000", decimal_comma=True).value == 1000  # still thousands


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("1/2", "0.5", True),
        ("0.3333333", "\\frac{1}{3}", True),  # a decimal within the tolerance
        ("0.33", "\\frac{1}{3}", False),
        ("25\\%", "0.25", True),
        ("25\\%", "25", True),
        ("3", "3.0000001", True),
        ("1000", "1001", False),
        ("-2", "2", False),
    ],
)
def test_numbers_equal(a: str, b: str, equal: bool) -> None:
    assert numbers_equal(plain_number(a), plain_number(b)) is equal


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("$\\dfrac{1}{2}$", "\\frac{1}{2}"),
        ("\\left( 1, 2 \\right)", "(1, 2)"),
        ("x = 3.", "x=3"),
        ("32, 349", "32, 349"),  # a list stays a list
        ("1 2", "1 2"),  # two numbers never become 12
    ],
)
def test_normalize(text: str, canonical: str) -> None:
    assert normalize(text) == canonical


@pytest.mark.parametrize(("text", "empty"), [("\\emptyset", True), ("\\varnothing", True), ("no solution", True), ("0", False), ("{0}", False)])
def test_empty_answers(text: str, empty: bool) -> None:
    assert is_empty_answer(text) is empty
