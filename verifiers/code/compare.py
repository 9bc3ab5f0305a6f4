"""Comparing a candidate's outputs with expected ones, outside the sandbox.

Values arrive decoded from plain data (see `harness.decode`), so no candidate-defined
`__eq__` can run here; expected values come from the problem's JSON.
"""

from __future__ import annotations

import math
import re
from typing import Any

from verifiers.code.harness import Opaque


_NUMERIC = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
_REAL = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?", re.ASCII)


def values_match(got: Any, expected: Any, float_tolerance: float = 1e-6) -> bool:
    """Type-strict equality with an explicit float policy.

    * bool equals only bool; int equals only int (never True == 1, never 1.0 == 1);
    * an expected float accepts an int or float within `float_tolerance` (relative and
      absolute); nan equals nan, inf equals inf of the same sign;
    * lists and tuples compare element-wise and interchangeably (JSON has no tuples);
    * dicts need the same keys; sets compare as sets; str, bytes and None exactly;
    * a non-plain value (`Opaque`) equals nothing.
    """
    if isinstance(got, Opaque) or isinstance(expected, Opaque):
        return False
    if type(expected) is bool or type(got) is bool:
        return type(got) is type(expected) and got == expected
    if type(expected) is float:
        if type(got) not in (int, float):
            return False
        try:
            got_f = float(got)
        except OverflowError:  # an int beyond float range is no float answer
            return False
        if math.isnan(expected) or math.isnan(got_f):
            return math.isnan(expected) and math.isnan(got_f)
        return math.isclose(got_f, expected, rel_tol=float_tolerance, abs_tol=float_tolerance)
    if type(expected) is int:
        return type(got) is int and got == expected
    if type(expected) in (list, tuple):
        return (
            type(got) in (list, tuple)
            and len(got) == len(expected)
            and all(values_match(g, e, float_tolerance) for g, e in zip(got, expected))
        )
    if type(expected) is dict:
        return (
            type(got) is dict
            and set(got) == set(expected)
            and all(values_match(got[k], expected[k], float_tolerance) for k in expected)
        )
    if type(expected) in (set, frozenset):
        return type(got) in (set, frozenset) and got == expected
    if expected is None or type(expected) in (str, bytes, complex):
        return type(got) is type(expected) and got == expected
    return False


def stdout_matches(got: str, expected: str, float_tolerance: float | None = None) -> bool:
    """Whitespace-tolerant: the same tokens in the same order (line breaks and runs of
    spaces do not matter); numeric tokens within `float_tolerance` when it is set."""
    got_tokens, expected_tokens = got.split(), expected.split()
    if got_tokens == expected_tokens:
        return True
    if float_tolerance is None or len(got_tokens) != len(expected_tokens):
        return False
    for g, e in zip(got_tokens, expected_tokens):
        if g == e:
            continue
        # the tolerance is for real numbers only: integer tokens must match exactly
        if not (_REAL.fullmatch(e) and _NUMERIC.fullmatch(g)):
            return False
        try:
            gf, ef = float(g), float(e)
        except (ValueError, OverflowError):
            return False
        if not math.isclose(gf, ef, rel_tol=float_tolerance, abs_tol=float_tolerance):
            return False
    return True
