"""`verifiers/math/angles.py` on its own: which degrees become radians, and that hostile
text stays cheap to scan (it runs on untrusted answers before latex2sympy). The verdicts
these rewrites lead to are red-team cases (`test_red_team.py`)."""

from __future__ import annotations

import time

import pytest

from verifiers.math.angles import in_radians

RADIANS = "(\\frac{30\\pi}{180})"


@pytest.mark.parametrize(("text", "expected"), [
    ("\\sin 30^\\circ", f"\\sin {RADIANS}"),
    ("\\sin(30^{\\circ})", f"\\sin({RADIANS})"),
    ("\\sin{30^\\circ}", f"\\sin{{{RADIANS}}}"),  # the group's brace is not the mark's
    ("\\sin^2 30°", f"\\sin^2 {RADIANS}"),
    ("\\cos\\left(30\\degree\\right)", f"\\cos\\left({RADIANS}\\right)"),
    ("\\operatorname{tan} 30^{\\text{o}}", f"\\tan  {RADIANS}"),
    ("\\sin(\\cos 30^\\circ)", f"\\sin(\\cos {RADIANS})"),
    ("\\sin(a+b)^\\circ", "\\sin(\\frac{(a+b)\\pi}{180})"),
    ("\\sin \\theta^\\circ", "\\sin (\\frac{\\theta\\pi}{180})"),
])  # fmt: skip
def test_a_trigonometric_functions_angle_in_degrees_is_in_radians(text: str, expected: str) -> None:
    assert in_radians(text) == expected


@pytest.mark.parametrize("text", [
    "30^\\circ",  # a plain angle keeps its mark (dropped later: 90^\circ is 90)
    "\\theta = \\arccos\\frac12 = 60^\\circ",  # an inverse's value, not its argument
    "30^\\circ, \\sin x",
    "f \\circ g",
    "\\sin 2x^\\circ",  # a product in degrees: left as written
    "\\sin 30^{\\circ",  # unbalanced
])  # fmt: skip
def test_other_degrees_are_left_as_written(text: str) -> None:
    assert in_radians(text) == text


def test_degrees_and_minutes_are_one_angle() -> None:
    assert in_radians("30^\\circ 15'") == "(30+\\frac{15}{60})^{\\circ}"
    assert in_radians("10^\\circ 20' 30''") == "(10+\\frac{20}{60}+\\frac{30}{3600})^{\\circ}"
    assert in_radians("\\sin 30^\\circ 15'") == "\\sin (\\frac{(30+\\frac{15}{60})\\pi}{180})"


@pytest.mark.parametrize("text", [
    "\\sin(" + "1" * 200_000 + ")",  # digits that never meet a degree mark
    "\\x " + "1" * 200_000,
    "\\sin(" * 30_000 + "30^\\circ" + ")" * 30_000,  # nested arguments
    "\\sin" * 50_000 + "(1)",
    "\\sin(" + "1^\\circ " * 50_000 + ")",
    "\\sin^{" * 20_000 + "2" + "}" * 20_000 + " 30^\\circ",
])  # fmt: skip
def test_hostile_text_is_scanned_in_linear_time(text: str) -> None:
    started = time.process_time()
    in_radians(text)
    assert time.process_time() - started < 2.0  # ~0.1 s here; a quadratic scan takes minutes
