"""`builtin:math-synth`: fresh, uncontaminated math problems with sympy-computed answers.

Deterministic for a seed: `math_synth_problems(n, seed=s, difficulty=d)` returns the same
problems every time (one `random.Random(seed)` drives everything). Difficulty 1-3 widens
the number ranges and the degrees; difficulty 0 is one-step arithmetic on one-digit
numbers ("What is 6 + 3?"), which even a 135M-parameter model gets right sometimes (the
quickstart uses it so that a first run keeps real training rows). Kinds, in rotation: arithmetic, fractions, linear
equations, quadratic equations, 2x2 systems, derivatives, definite integrals, number
theory (gcd, lcm, modular arithmetic). Reference answers are LaTeX (`sympy.latex`), the
form the math verifier compares.

The generator runs sympy on numbers it chose itself (trusted input), so it needs no
sandbox.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import sympy

from verifiers.math.problem import MathProblem

x, y = sympy.symbols("x y")
KINDS = ("arithmetic", "fractions", "linear", "quadratic", "system", "derivative", "integral", "number_theory")


def math_synth_problems(n: int = 30, seed: int = 0, difficulty: int = 1) -> list[MathProblem]:
    """`n` problems cycling through KINDS; difficulty 0 (one step) to 3 (hard)."""
    if not 0 <= difficulty <= 3:
        raise ValueError("difficulty must be 0, 1, 2 or 3")
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(f"assay-math-synth:{seed}:{difficulty}")
    problems = []
    for i in range(n):
        kind = "one_step" if difficulty == 0 else KINDS[i % len(KINDS)]
        prompt, answer = _MAKERS[kind](rng, difficulty)
        problems.append(
            MathProblem(
                problem_id=f"math-synth/{seed}/{difficulty}/{i}",
                prompt=prompt,
                answer=answer,
                metadata={"source": "math-synth", "kind": kind, "difficulty": difficulty, "seed": seed},
            )
        )
    return problems


def _one_step(rng: random.Random, _d: int) -> tuple[str, str]:
    a, b = rng.randint(2, 9), rng.randint(1, 9)
    op = rng.choice("+-*")
    if op == "-" and b > a:
        a, b = b, a
    value = {"+": a + b, "-": a - b, "*": a * b}[op]
    return f"What is {a} {op.replace('*', 'times')} {b}?", str(value)


def _nonzero(rng: random.Random, bound: int) -> int:
    return rng.choice([v for v in range(-bound, bound + 1) if v != 0])


def _arithmetic(rng: random.Random, d: int) -> tuple[str, str]:
    bound = 10 ** (d + 1)
    a, b, c = rng.randint(2, bound), rng.randint(2, bound), rng.randint(2, 9 * d)
    expr = sympy.Add(a, sympy.Mul(b, c, evaluate=False), evaluate=False)
    return f"Compute ${sympy.latex(expr)}$.", sympy.latex(a + b * c)


def _fractions(rng: random.Random, d: int) -> tuple[str, str]:
    bound = 6 * d
    p = sympy.Rational(rng.randint(1, bound), rng.randint(2, bound))
    q = sympy.Rational(rng.randint(1, bound), rng.randint(2, bound))
    op = rng.choice(["+", "-", "\\times"])
    value = {"+": p + q, "-": p - q, "\\times": p * q}[op]
    return f"Compute ${sympy.latex(p)} {op} {sympy.latex(q)}$ and give the answer as a fraction in lowest terms.", sympy.latex(value)


def _linear(rng: random.Random, d: int) -> tuple[str, str]:
    a, b = _nonzero(rng, 5 * d), rng.randint(-20 * d, 20 * d)
    root = sympy.Rational(rng.randint(-10 * d, 10 * d), rng.choice([1, 1, 2, 3][: 1 + d]))
    c = a * root + b
    eq = sympy.Eq(a * x + b, c)
    (solution,) = sympy.solve(eq, x)
    return f"Solve for $x$: ${sympy.latex(eq.lhs)} = {sympy.latex(eq.rhs)}$.", sympy.latex(solution)


def _quadratic(rng: random.Random, d: int) -> tuple[str, str]:
    r1, r2 = rng.randint(-6 * d, 6 * d), rng.randint(-6 * d, 6 * d)
    while r2 == r1:
        r2 = rng.randint(-6 * d, 6 * d)
    k = rng.randint(1, d)
    poly = sympy.expand(k * (x - r1) * (x - r2))
    roots = sorted(sympy.solve(sympy.Eq(poly, 0), x))
    prompt = f"Find all real solutions of ${sympy.latex(poly)} = 0$. Give them separated by commas."
    return prompt, ", ".join(sympy.latex(r) for r in roots)


def _system(rng: random.Random, d: int) -> tuple[str, str]:
    sx, sy = rng.randint(-5 * d, 5 * d), rng.randint(-5 * d, 5 * d)
    while True:
        a, b, c, e = (_nonzero(rng, 4 * d) for _ in range(4))
        if a * e - b * c != 0:
            break
    eq1, eq2 = sympy.Eq(a * x + b * y, a * sx + b * sy), sympy.Eq(c * x + e * y, c * sx + e * sy)
    sol = sympy.solve([eq1, eq2], [x, y])
    prompt = (f"Solve the system ${sympy.latex(eq1.lhs)} = {sympy.latex(eq1.rhs)}$ and "
              f"${sympy.latex(eq2.lhs)} = {sympy.latex(eq2.rhs)}$. Give the answer as $(x, y)$.")
    return prompt, f"({sympy.latex(sol[x])}, {sympy.latex(sol[y])})"


def _derivative(rng: random.Random, d: int) -> tuple[str, str]:
    terms = [rng.randint(-9, 9) * x**k for k in range(1, 2 + d)] + [rng.randint(-9, 9)]
    f = sympy.Add(*terms)
    if rng.random() < 0.3 * d:
        f = f + rng.randint(1, 5) * sympy.sin(x)
    return f"Find the derivative of $f(x) = {sympy.latex(f)}$ with respect to $x$.", sympy.latex(sympy.diff(f, x))


def _integral(rng: random.Random, d: int) -> tuple[str, str]:
    f = sum(rng.randint(-5, 5) * x**k for k in range(0, 1 + d)) or x
    a = rng.randint(-3, 1)
    b = a + rng.randint(1, 3)
    value = sympy.integrate(f, (x, a, b))
    return f"Compute $\\int_{{{a}}}^{{{b}}} \\left({sympy.latex(f)}\\right)\\, dx$.", sympy.latex(value)


def _number_theory(rng: random.Random, d: int) -> tuple[str, str]:
    which = rng.choice(["gcd", "lcm", "mod"])
    bound = 60 * 10 ** (d - 1)
    a, b = rng.randint(2, bound), rng.randint(2, bound)
    if which == "gcd":
        g = rng.randint(2, 12)
        a, b = a * g, b * g
        return f"What is $\\gcd({a}, {b})$?", sympy.latex(sympy.gcd(a, b))
    if which == "lcm":
        return f"What is the least common multiple of ${a}$ and ${b}$?", sympy.latex(sympy.lcm(a, b))
    e, m = rng.randint(2, 20 * d), rng.randint(3, 40)
    return f"What is the remainder when ${a}^{{{e}}}$ is divided by ${m}$?", sympy.latex(pow(a, e, m))


_MAKERS: dict[str, Callable[[random.Random, int], tuple[str, str]]] = {
    "one_step": _one_step,
    "arithmetic": _arithmetic,
    "fractions": _fractions,
    "linear": _linear,
    "quadratic": _quadratic,
    "system": _system,
    "derivative": _derivative,
    "integral": _integral,
    "number_theory": _number_theory,
}
