"""builtin:math-synth: deterministic, varied, and every reference answer is right."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest
import sympy
from latex2sympy2_extended import latex2sympy

from pipeline.sources.math_synth import KINDS, math_synth_problems
from verifiers.math.problem import MathProblem
from verifiers.schema import Status

x, y = sympy.symbols("x y")


def math_in(prompt: str) -> list[str]:
    return re.findall(r"\$([^$]+)\$", prompt)


def test_deterministic_for_a_seed_and_different_across_seeds():
    a, b = math_synth_problems(40, seed=7, difficulty=2), math_synth_problems(40, seed=7, difficulty=2)
    assert [p.model_dump() for p in a] == [p.model_dump() for p in b]
    c = math_synth_problems(40, seed=8, difficulty=2)
    assert sum(p.prompt != q.prompt for p, q in zip(a, c)) >= 30
    assert len({p.problem_id for p in a}) == 40


def test_covers_every_kind_and_difficulty_widens_numbers():
    easy, hard = math_synth_problems(80, seed=1, difficulty=1), math_synth_problems(80, seed=1, difficulty=3)
    assert {p.metadata["kind"] for p in easy} == set(KINDS)
    def biggest(ps):
        return max(int(n) for p in ps if p.metadata["kind"] == "arithmetic" for n in re.findall(r"\d+", p.prompt))
    assert biggest(hard) > biggest(easy)
    with pytest.raises(ValueError):
        math_synth_problems(3, difficulty=4)


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_reference_answers_are_correct(difficulty):
    """Recomputed here independently, from the problem statement itself."""
    for p in math_synth_problems(48, seed=difficulty * 11, difficulty=difficulty):
        kind, parts = p.metadata["kind"], math_in(p.prompt)
        answer = p.answer
        if kind in ("arithmetic", "integral"):
            expr = latex2sympy(parts[0])
            value = expr.doit() if hasattr(expr, "doit") else expr
            assert sympy.simplify(value - latex2sympy(answer)) == 0, p
        elif kind == "linear":
            lhs, rhs = (latex2sympy(s) for s in parts[1].split("="))
            assert sympy.simplify(lhs.subs(x, latex2sympy(answer)) - rhs) == 0, p
        elif kind == "quadratic":
            poly = latex2sympy(parts[0].split("=")[0])
            roots = [latex2sympy(r) for r in answer.split(",")]
            assert len(roots) == 2 and all(sympy.simplify(poly.subs(x, r)) == 0 for r in roots), p
        elif kind == "system":
            sx, sy = (latex2sympy(v) for v in answer.strip("()").split(","))
            for eq in parts[:2]:
                lhs, rhs = (latex2sympy(s) for s in eq.split("="))
                assert sympy.simplify(lhs.subs({x: sx, y: sy}) - rhs) == 0, p
        elif kind == "derivative":
            f = latex2sympy(parts[0].split("=", 1)[1])
            assert sympy.simplify(sympy.diff(f, x) - latex2sympy(answer)) == 0, p
        elif kind == "fractions":  # exact rationals from the statement's text, in lowest terms
            left, op, right = re.fullmatch(r"(\S+) (\+|-|\\times) (\S+)", parts[0]).groups()
            a, b = _fraction(left), _fraction(right)
            assert _fraction(answer) == {"+": a + b, "-": a - b, "\\times": a * b}[op], p
            if m := re.fullmatch(r"-? ?\\frac\{(\d+)\}\{(\d+)\}", answer):
                assert math.gcd(int(m[1]), int(m[2])) == 1 and int(m[2]) > 1, p
        elif kind == "number_theory":
            numbers = [int(n) for n in re.findall(r"\d+", p.prompt)]
            if "gcd" in p.prompt:
                expected = math.gcd(*numbers)
            elif "least common multiple" in p.prompt:
                expected = math.lcm(*numbers)
            else:
                base, exponent, modulus = numbers
                expected = pow(base, exponent, modulus)
            assert int(answer) == expected, p
        else:
            pytest.fail(f"no independent check for the kind {kind!r}")


def _fraction(latex: str) -> Fraction:
    """`\\frac{a}{b}`, `-\\frac{a}{b}` or an integer, as an exact fraction."""
    if m := re.fullmatch(r"(-?) ?\\frac\{(\d+)\}\{(\d+)\}", latex):
        return Fraction(int(m[2]), int(m[3])) * (-1 if m[1] else 1)
    return Fraction(int(latex))


def test_one_step_problems_have_their_answers():
    """Difficulty 0, the quickstart's easy math: one operation on small numbers."""
    import re

    problems = math_synth_problems(30, seed=0, difficulty=0)
    assert {p.metadata["kind"] for p in problems} == {"one_step"}
    for p in problems:
        a, op, b = re.fullmatch(r"What is (\d+) (\+|-|times) (\d+)\?", p.prompt).groups()
        expected = {"+": int(a) + int(b), "-": int(a) - int(b), "times": int(a) * int(b)}[op]
        assert p.answer == str(expected) and expected >= 0, p
    with pytest.raises(ValueError):
        math_synth_problems(3, difficulty=-1)


def test_references_verify_in_other_forms_and_wrong_answers_fail(math_verifier):
    problems = math_synth_problems(32, seed=3, difficulty=2)
    items, expected = [], []
    for p in problems:
        items.append((p, f"The answer is $\\boxed{{{p.answer}}}$."))
        expected.append(True)
        if p.metadata["kind"] not in ("quadratic", "system"):
            value = latex2sympy(p.answer)
            items.append((p, f"\\boxed{{{sympy.latex(sympy.factor(value))}}}"))
            expected.append(True)
            items.append((p, f"\\boxed{{{sympy.latex(value + 1)}}}"))
            expected.append(False)
    verdicts = list(math_verifier.verify_many(items))
    wrong = [(p.answer, text, v.status.value, v.reason) for (p, text), v, e in zip(items, verdicts, expected) if v.passed != e]
    assert wrong == []
    assert all(v.status in (Status.passed, Status.fail) for v in verdicts)
    assert isinstance(problems[0], MathProblem)
