"""The fast lane of the symbolic stage: answers simple enough to read without ANTLR.

Runs only *inside* the math sandbox (it calls sympy's `parse_expr`, which evaluates),
as the first step of `symbolic.compare_one`. ANTLR parsing costs milliseconds an answer;
most answers are simple expressions (polynomials, fractions, roots, trig, pi), or tuples,
intervals, sets and `x = ...` of them. Each expression is translated by hand to Python
syntax and read with `parse_expr`.

The lane only decides when sympy *proves* two expressions equal (their difference
simplifies to 0) or different (non-zero at random points), and only between answers of
the same shape, with the meaning Math-Verify gives that shape:

* `(a, b)`, `[a, b]` (tuples or intervals, same brackets, same length) and `(a, b]`,
  `[a, b)` (half-open intervals): equal when every element is; different when one
  element is, except that half-open intervals must also be non-empty (all empty sets are
  equal);
* `\\{a, b\\}` and unbracketed lists `a, b` (sets): equal when each element has an equal
  on the other side (duplicates collapse); different when one has none;
* `x = a` (one letter on the left): the right side counts, against `x = b` (same letter)
  or a bare `b`.

Anything else (two shapes, a text it does not fully read, a difference it cannot
decide) returns None, and the full Math-Verify path decides.
"""

from __future__ import annotations

import functools
import keyword
import random
import re
from typing import Any

import sympy

_LANE_TOKEN = re.compile(r"\\(?:frac|dfrac|tfrac|sqrt|pi|cdot|times|sin|cos|tan|ln|exp)(?![a-zA-Z])|[a-df-hj-zA-DF-HJ-MP-RT-Z]|\d+|[-+*/^(){} ]")
_LETTER = "[a-df-hj-zA-DF-HJ-MP-RT-Z]"  # not e, i, E, I, N, O, Q, S: constants and sympy names
_EQUATION = re.compile(rf"({_LETTER})\s*=\s*([^=]+)")
_CLOSING = {"(": ")", "[": "]", "{": "}"}



def _braced(text: str, start: int) -> tuple[str, int]:
    """Content of the {...} group opening at `start`, and the index after it."""
    if start >= len(text) or text[start] != "{":
        raise ValueError("expected {")
    depth = 0
    for i in range(start, len(text)):
        depth += (text[i] == "{") - (text[i] == "}")
        if depth == 0:
            return text[start + 1 : i], i + 1
    raise ValueError("unbalanced braces")


def _to_python(tex: str) -> str:
    out, i = [], 0
    while i < len(tex):
        if tex.startswith(("\\frac", "\\dfrac", "\\tfrac"), i):
            i = tex.index("frac", i) + 4
            num, i = _braced(tex, i)
            den, i = _braced(tex, i)
            out.append(f"(({_to_python(num)})/({_to_python(den)}))")
        elif tex.startswith("\\sqrt", i):
            inner, i = _braced(tex, i + 5)
            out.append(f" sqrt({_to_python(inner)})")
        elif tex[i] == "^":
            i += 1
            if i < len(tex) and tex[i] == "{":
                inner, i = _braced(tex, i)
                out.append(f"**({_to_python(inner)})")
            elif i < len(tex) and tex[i].isalnum():
                out.append(f"**{tex[i]}")
                i += 1
            else:
                raise ValueError("bad exponent")
            if i < len(tex) and tex[i] == "^":
                raise ValueError("double exponent")  # `2^3^2`: Python reads 2^9, Math-Verify (2^3)^2
        elif tex[i] in "{}":
            out.append("(" if tex[i] == "{" else ")")
            i += 1
        elif tex.startswith(("\\cdot", "\\times"), i):
            out.append("*")
            i += 5 if tex.startswith("\\cdot", i) else 6
        elif tex[i] == "\\":
            m = re.match(r"\\([a-z]+)", tex[i:])
            name = m.group(1) if m else ""
            out.append(" pi " if name == "pi" else f" {name}")
            i += 1 + len(name)
        else:
            out.append(f" {tex[i]} " if tex[i].isalpha() else tex[i])  # `mu`, `0x10`, `ysqrt`: never one Python name
            i += 1
    return "".join(out)


def _unbrace_arguments(tex: str) -> str:
    """`\\cos{(x)} + 1` (sympy's own LaTeX) is `\\cos(x) + 1`: a brace holding exactly one
    parenthesised group, followed by + or - or the end, is that group. Other braced
    arguments stay, for the full path."""
    for match in reversed(list(re.finditer(r"\\(?:sin|cos|tan|ln|exp)\s*(?=\{)", tex))):
        try:
            inner, end = _braced(tex, match.end())
        except ValueError:
            return tex
        group = inner.strip()
        # only where a sum goes on or ends: Math-Verify reads `\\sin{(x)}y` as sin(xy)
        if group.startswith("(") and _closes_at_end(group) and re.match(r"\s*(?:[-+]|$)", tex[end:]):
            tex = tex[: match.end()] + group + tex[end:]
    return tex


@functools.lru_cache(maxsize=1024)
def _read(tex: str) -> Any:
    """One expression, or None when the text is not lane material."""
    tex = _unbrace_arguments(re.sub(r"\\(?:left|right)(?![a-zA-Z])", "", tex).replace("\\,", " ").strip())
    if not tex or len(tex) > 300 or "." in tex or "=" in tex or "," in tex:
        return None
    if any(keyword.iskeyword(w) for w in re.findall(r"(?<![\\a-zA-Z])[a-zA-Z]{2,}", tex)):
        return None  # `1, 2, and 3`: words, not products of letters
    if re.search(r"\d\s*\\[dt]?frac|//|\\[dt]?frac\{d[^{}]*\}\{d", tex):
        return None  # `2\frac{1}{2}` is a mixed number for Math-Verify; `//` is Python's floor division
    if re.search(r"(?<![\d.])0\d|\d\s+\d", tex):
        return None  # `042`, `1 000`: sympy would read 0 * 42 and 1 * 000
    if "".join(_LANE_TOKEN.findall(tex)).replace(" ", "") != tex.replace(" ", ""):
        return None  # something the lane does not know: the full path decides
    if len(re.findall(r"\\(?:sin|cos|tan|ln|exp)", tex)) != len(re.findall(r"\\(?:sin|cos|tan|ln|exp)\s*\(", tex)):
        return None  # `\sin x \cos x`: how far an argument reaches is for the full parser
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    names = {c: sympy.Symbol(c) for c in set(re.findall(r"(?<!\\)\b[a-zA-Z]\b", tex))}
    names.update(pi=sympy.pi, sqrt=sympy.sqrt, sin=sympy.sin, cos=sympy.cos, tan=sympy.tan, ln=sympy.log, exp=sympy.exp)
    code = _to_python(tex)
    expr = parse_expr(code, local_dict=names, global_dict={"__builtins__": {}, "Integer": sympy.Integer,
                      "Symbol": sympy.Symbol, "Rational": sympy.Rational, "Float": sympy.Float},
                      transformations=(*standard_transformations, implicit_multiplication_application, convert_xor))
    return expr if isinstance(expr, sympy.Expr) else None


def _compare_expressions(reference: str, answer: str) -> dict | None:
    try:
        a, b = _read(reference), _read(answer)
    except Exception:  # noqa: BLE001 - not lane material
        return None
    if a is None or b is None or a.has(sympy.I) or b.has(sympy.I):
        return None
    diff = a - b
    if sympy.expand(diff) == 0 or sympy.simplify(diff) == 0:
        return {"outcome": "equal", "why": ""}
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    rng = random.Random(0)
    for _ in range(3):
        point = {s: sympy.Rational(rng.randint(11, 97), rng.randint(11, 97)) for s in symbols}
        value = diff.evalf(50, subs=point)
        if value.is_number and value.is_real and abs(value) > sympy.Float("1e-20", 50) * max(1, abs(a.evalf(50, subs=point))):
            return {"outcome": "unequal", "why": f"{str(a)[:80]} vs {str(b)[:80]}"}
    return None


def lane_compare(reference: str, answer: str) -> dict | None:
    """{"outcome": "equal"|"unequal", "why"} when the lane can decide; else None."""
    try:
        return _decide(reference, answer)
    except Exception:  # noqa: BLE001 - anything the lane trips on is the full path's to decide
        return None


def _decide(reference: str, answer: str) -> dict | None:
    ref, ans = _shape(reference), _shape(answer)
    if ref is None or ans is None:
        return None
    (ref_kind, ref_items), (ans_kind, ans_items) = ref, ans
    if ref_kind.startswith("=") or ans_kind.startswith("="):
        # `x = a` against `x = b` or against a bare `b`: the right sides decide
        if ref_kind == ans_kind or "expr" in (ref_kind, ans_kind):
            return _compare_expressions(ref_items[0], ans_items[0])
        return None
    if ref_kind != ans_kind:
        return None
    if ref_kind == "expr":
        return _compare_expressions(ref_items[0], ans_items[0])
    if ref_kind == "set":
        return _compare_sets(ref_items, ans_items)
    if len(ref_items) != len(ans_items):  # a tuple or interval
        return None
    half_open = ref_kind in ("(]", "[)")
    if half_open and len(ref_items) != 2:
        return None
    decided = [_compare_expressions(a, b) for a, b in zip(ref_items, ans_items)]
    if half_open and not (_nonempty(ref_items) and _nonempty(ans_items)):
        decided = [d if d is not None and d["outcome"] == "equal" else None for d in decided]  # all empty sets are equal
    if any(d is not None and d["outcome"] == "unequal" for d in decided):
        return {"outcome": "unequal", "why": next(d["why"] for d in decided if d and d["outcome"] == "unequal")}
    if all(d is not None for d in decided):
        return {"outcome": "equal", "why": ""}
    return None


def _nonempty(ends: list[str]) -> bool:
    """A half-open interval whose ends are numbers, the lower one first (Math-Verify reads
    `(3, 1]` as the empty set, equal to every other empty interval)."""
    low, high = _read(ends[0]), _read(ends[1])
    if low is None or high is None or low.free_symbols or high.free_symbols:
        return False
    return bool((high - low).evalf(50) > 0)


def _compare_sets(ref_items: list[str], ans_items: list[str]) -> dict | None:
    table = [[_compare_expressions(a, b) for b in ans_items] for a in ref_items]
    if any(d is None for row in table for d in row) or len(ref_items) * len(ans_items) > 400:
        return None
    equal = [[d is not None and d["outcome"] == "equal" for d in row] for row in table]
    covered = all(any(row) for row in equal) and all(any(col) for col in zip(*equal))
    return {"outcome": "equal", "why": ""} if covered else {"outcome": "unequal", "why": "the sets differ"}


def _shape(text: str) -> tuple[str, list[str]] | None:
    """(kind, parts): "expr" [e]; "=x" [rhs]; "set" [elements]; "(]" etc. [elements]."""
    tex = re.sub(r"\\(?:left|right)(?![a-zA-Z])|\\[,;! ]|\\quad|\\qquad", " ", text).strip()
    if len(tex) > 300:
        return None
    equation = _EQUATION.fullmatch(tex)
    if equation:
        rhs = equation.group(2).strip()
        return (f"={equation.group(1)}", [rhs]) if _split(rhs) == [rhs] else None
    if "=" in tex:
        return None
    if tex.startswith("\\{") and tex.endswith("\\}"):
        parts = _split(tex[2:-2])
        return ("set", parts) if parts else None
    if tex[:1] in "([" and tex[-1:] in ")]" and _closes_at_end(tex):
        parts = _split(tex[1:-1])
        return (tex[0] + tex[-1], parts) if parts and len(parts) >= 2 else ("expr", [tex])
    parts = _split(tex)
    if parts is None:
        return None
    if len(parts) == 1:
        return "expr", parts
    # an unbracketed list is a set; `1,000` and `1,5` (no space) are numbers, for the full path
    return ("set", parts) if re.search(r",\S", tex) is None else None


def _closes_at_end(tex: str) -> bool:
    """The bracket opening at 0 is closed by the last character, not earlier: `(a)(b)` is not a tuple."""
    depth = 0
    for i, ch in enumerate(tex):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0:
            return i == len(tex) - 1
    return False


def _split(tex: str) -> list[str] | None:
    """Top-level comma-separated parts (stripped); None when brackets do not balance or a part is empty."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(tex):
        depth += (ch in "([{") - (ch in ")]}")
        if depth < 0:
            return None
        if ch == "," and depth == 0:
            parts.append(tex[start:i].strip())
            start = i + 1
    parts.append(tex[start:].strip())
    return parts if depth == 0 and all(parts) else None
