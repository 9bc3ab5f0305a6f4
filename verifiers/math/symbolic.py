r"""Symbolic equivalence with sympy. Runs only *inside* the sandbox (see `MathVerifier`).

Parsing untrusted answers can execute code (`parse_expr` evaluates) or explode (huge
powers, nested factorials), so this module is imported by the math sandbox's fork
server and called through `Sandbox.call` on a batch of (reference, answer) pairs. A
computation stuck inside C code ignores signals, so each batch runs in a forked worker
watched by a per-pair deadline (see `compare_batch`); the sandbox's CPU and memory
limits bound the whole batch. No signal handler runs in any caller's thread.

Parsing and structural comparison come from Math-Verify (LaTeX through
latex2sympy2_extended, plain expressions through sympy), with its own timeouts off.
Guards tighten it against known false positives and parser misreadings:

* exact numbers are compared exactly: Math-Verify compares numerically with a
  tolerance, which makes 1/2004! equal 1/2006!;
* a decimal against an expression is held to the fast path's 1e-6 rule, also number by
  number inside tuples, intervals and sets;
* a `±` on one side only is never equal to a single value;
* a function defined with other argument names (`f(z) = z` for `f(x) = x`) is compared
  with them renamed (`_argument_renamed`);
* a number before `\binom` multiplies it, a list joined by `\text{and}` is a list, and
  two numbers apart only by spacing are two items (`_explicit`: latex2sympy read
  `2\binom{30}{15}` as 2 + C(30, 15) and `2\,3` as 5).
* LaTeX that latex2sympy cannot read is never read as its last number by Math-Verify's
  plain-expression extraction (`_parse`), `\text{or}`-like words separate items and
  upright letters stay symbols (`_explicit`), moduli of congruences count.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import random
import re
import resource
import select
import signal
import warnings
from typing import Any

import sympy
from antlr4.atn.ParserATNSimulator import ParserATNSimulator
from antlr4.atn.PredictionMode import PredictionMode
from latex2sympy2_extended import latex2sympy2, math_normalization
from math_verify import parse, verify
from math_verify.parser import ExprExtractionConfig, LatexExtractionConfig
from sympy.core.function import AppliedUndef

from verifiers.math.angles import in_radians
from verifiers.math.lane import lane_compare
from verifiers.math.vocab import (
    CONNECTIVES,
    DENIALS,
    DIGIT_WORDS,
    DOUBTS,
    GREEK_NAMES,
    INEQUALITY,
    PLUS_MINUS,
    TEXT,
    TEXT_COMMANDS,
    TRIG_NAMES,
)

warnings.filterwarnings("ignore", message="Timeout is disabled")  # ours are outside, see compare_batch
_CONFIGS = [LatexExtractionConfig(boxed_match_priority=0), ExprExtractionConfig()]
_LATEX_ONLY = _CONFIGS[:1]
_PLAIN_ONLY = _CONFIGS[1:]
_LATEX_COMMAND = re.compile(r"\\[a-zA-Z{}]")
# Python-style text the plain-expression parser would also read by its last number:
# `gcd(12, 18)` was 18, `Eq(x**2/16 + y**2/12, 1)` was 1 (and so equal to any `Eq(..., 1)`).
# Only the functions that parser reads are let through.
_UNREAD_CALL = re.compile(rf"(?<![\\a-zA-Z])(?!(?:a(?:rc)?)?{TRIG_NAMES}h?\s*\(|(?:log|ln|exp|sqrt)\s*\()"
                          r"[a-zA-Z]{2,}\s*\(|\*\*")
# Calls latex2sympy reads once they are written as LaTeX (`sin(pi/4)` was s*i*n*(p*i/4)),
# and pi in text that holds no LaTeX at all
_PLAIN_CALL = re.compile(rf"(?<![\\a-zA-Z])(gcd|lcm|max|min|(?:arc)?{TRIG_NAMES}|exp|ln)\s*(?=\()")
_AS_LATEX = {"lcm": "\\operatorname{lcm}"}


def _as_latex(match: re.Match[str]) -> str:
    return _AS_LATEX.get(match.group(1), f"\\{match.group(1)}")


# The same functions called, written upright (`\text{gcd}(12, 18)`: latex2sympy kept it as
# text; not `5 \text{ min}`, minutes) or over a set (`\max\{3, 5\}`: not read at all)
_UPRIGHT_CALL = re.compile(r"\\(?:text|textrm|mathrm|rm|operatorname)\s*\{\s*(gcd|lcm|max|min)\s*\}(?=\s*(?:\(|\\\{|\\left))")
_OVER_A_SET = re.compile(r"(\\(?:max|min|gcd|operatorname\{lcm\}))\s*\\\{((?:[^{}]|\{[^{}]*\})*)\\\}")
_PLAIN_PI = re.compile(r"(?<![a-zA-Z])pi(?![a-zA-Z])")
# Plain text's Greek letters (`theta/2`: latex2sympy read t*h*e*t*a), `sqrt(` and `**(` before a
# parenthesised group, and Python's `==`
_PLAIN_GREEK = re.compile(rf"(?<![\\a-zA-Z])({GREEK_NAMES})(?![a-zA-Z])")
_PLAIN_GROUP_OPENER = re.compile(r"(?<![\\a-zA-Z])sqrt\s*\(|\*\*\s*\(")
# a letter or a Greek name and then digits, in plain text: an index (`m1`, `theta2`), not a product
# the cosecant as British and Indian textbooks write it (`\operatorname{cosec} x`, `cosec(x)`), which
# latex2sympy read as letters
_COSEC = re.compile(r"\\(?:operatorname|text|mathrm|rm)\s*\{\s*cosec\s*\}|\\?(?<![a-zA-Z])cosec(?![a-zA-Z])")
# a number in e-notation, as the fast path reads it (`numbers._SCI`)
_E_NOTATION = re.compile(r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))[eE]([-+]?\d{1,3})\s*")  # the whole answer: in `2e-1` e is Euler's
_PLAIN_INDEX = re.compile(rf"(?<![\\a-zA-Z_])([a-zA-Z]|{GREEK_NAMES})(\d+)(?![\w.])")


def _plain_syntax(text: str) -> str:
    """Plain-text mathematics (no backslash), as sympy prints it or a person types it, in the
    LaTeX latex2sympy reads: `sqrt((2*s)/(a))` is `\\sqrt{(2*s)/(a)}` (Math-Verify's own rewrite
    stops at the first `)`: `\\sqrt{(2*s}/(a))`), `x**((1)/(2))` is `x^{(1)/(2)}`, `theta` is
    `\\theta`, `t == 1` is `t = 1`. One pass over the text matches the parentheses."""
    closing: dict[int, int] = {}
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            closing[opened.pop()] = i
    edits: dict[int, tuple[int, str]] = {}  # start -> (end, replacement)
    for match in _PLAIN_GROUP_OPENER.finditer(text):
        paren = match.end() - 1
        if paren in closing:
            edits[match.start()] = (match.end(), "\\sqrt{" if match.group().startswith("s") else "^{")
            edits[closing[paren]] = (closing[paren] + 1, "}")
    if edits:
        parts, at = [], 0
        for start in sorted(edits):
            end, replacement = edits[start]
            parts += [text[at:start], replacement]
            at = end
        text = "".join(parts) + text[at:]
    text = re.sub(r"(?<![<>=!])==(?!=)", "=", text)
    text = _PLAIN_INDEX.sub(r"\1_{\2}", text)  # `m1 + m2` was m*1 + m*2 = 3m
    return _PLAIN_GREEK.sub(r"\\\1 ", text)


# Python's power, `x**2 + y**2 = 1`, `e**x`, `(x+1)**(n-1)`: latex2sympy reads only `^`
_PYTHON_POWER = re.compile(r"\*\*\s*(-?\d+(?:\.\d+)?|[A-Za-z]\w*|\([^()]*\))")
# A numeral with a number as its subscript: latex2sympy drops the subscript (`101_2` was 101,
# `4343_0` was 4343). Python's digit groups (`1_000_000`) are one number; a base from 2 to 36
# with digits of that base gives the numeral's value; any other subscript makes it no number.
_SUBSCRIPTED = re.compile(
    r"(?<![\w.\\^])(?P<d>\d+)(?:(?P<groups>(?:_\d{3})+)(?![\w{])"
    r"|_(?:\{\s*(?:\\text\s*\{\s*\(?\s*(?P<text>[\d.]+)\s*\)?\s*\}|\(?\s*(?P<braced>[\d.]+)\s*\)?)\s*\}"
    r"|\(?(?P<bare>\d{1,2})\)?(?![\d.])))"
)


def _numerals_in_base(text: str) -> str | None:
    """`text` with every subscripted numeral read (see `_SUBSCRIPTED`), or None if one is
    no number."""
    bad = False

    def value(match: re.Match[str]) -> str:
        nonlocal bad
        if match["groups"]:
            return match["d"] + match["groups"].replace("_", "")
        base = match["text"] or match["braced"] or match["bare"]
        if base.isdigit() and 2 <= int(base) <= 36 and all(int(d) < int(base) for d in match["d"]):
            return f"{{{int(match['d'], int(base))}}}"
        bad = True
        return match.group(0)

    text = _SUBSCRIPTED.sub(value, text)
    return None if bad else text


_LEADING_NOT_MATH = re.compile(
    r"^(?:\s|\{|\\(?:approx|sim|simeq|cong|Rightarrow|rightarrow|Longrightarrow|implies|therefore|to|bf|it|rm|large"
    r"|Large|LARGE|huge|small|displaystyle|textstyle|q?quad|[ ,;:!])(?![a-zA-Z]))*"
)
_DECIMAL = re.compile(r"\d\.\d|\d\.(?!\d)|\be-?\d|\d[eE][-+]?\d")
_MODULUS = re.compile(r"\\[pb]?mod(?:\s|\{)*(\w+)")


class _MixedPredictionSimulator(ParserATNSimulator):
    """SLL prediction everywhere but at the decisions that need full context.

    One decision of this grammar, which of a letter's superscript and subscript come and in
    what order (`atom_expr`: `x^2_1`, `x_1^2`, `x_1`, `x^2`), conflicts under SLL, whose fixed
    choice (the first alternative, superscript then subscript) is wrong unless both follow:
    SLL fails on every letter with a power alone (`x^2 + 1`, `y = x^{2}`) or an index alone
    (`S_{ABC}`), which full LL at every decision then read at ~10x the cost. Full context at
    this one decision reads them for about what SLL costs. The DFA both modes fill is the
    same cache (ANTLR's two-stage parsing shares it too).
    """

    full_context = frozenset(
        d for d, state in enumerate(latex2sympy2.PSParser.atn.decisionToState)
        if state.ruleIndex == latex2sympy2.PSParser.RULE_atom_expr
    )  # fmt: skip

    def adaptivePredict(self, input: Any, decision: int, outerContext: Any) -> int:
        self.predictionMode = PredictionMode.LL if decision in self.full_context else PredictionMode.SLL
        return super().adaptivePredict(input, decision, outerContext)


_MIXED = "sll with full context where needed"
# SLL; then full context at that one decision (pure SLL reads `x_1^2` right by luck, and
# full context there costs ~10x on long sums of such letters); then full LL everywhere.
_STAGES: tuple[Any, ...] = (PredictionMode.SLL, _MIXED, PredictionMode.LL)


_CONVERSION = latex2sympy2.ConversionConfig()


class _StagedLatexParser(latex2sympy2._Latex2Sympy):
    """latex2sympy2_extended's converter with ANTLR's staged parsing.

    Its grammar makes ANTLR fall back to full-context (LL) prediction on most inputs, and
    LL predictions are never cached: ~10 ms a parse. SLL prediction is cached and ~10x
    faster; where SLL succeeds it builds the same tree for this grammar's inputs (checked on
    every answer of the labeled sets, `tests/verifiers/math/test_symbolic_parse.py`). Where
    it reports a syntax error, SLL with full context at the one decision it gets wrong
    (`_MixedPredictionSimulator`) tries, and where that fails too, full LL, exactly as
    before. So results are the library's own, only sooner.
    """

    def __init__(self, *args: Any, config: latex2sympy2.ConversionConfig = _CONVERSION, **kwargs: Any) -> None:
        # `M` and `m` are two symbols: the library lowercases every symbol by default, and then
        # `\\frac{M}{m}` equalled its reciprocal `\\frac{m}{M}` (a physics answer's common slip)
        super().__init__(*args, config=dataclasses.replace(config, lowercase_symbols=False), **kwargs)

    def create_parser(self, latex_str: str) -> Any:
        parser = super().create_parser(latex_str)
        if self._prediction_mode is _MIXED:
            parser._interp = _MixedPredictionSimulator(parser, parser.atn, parser.decisionsToDFA, parser.sharedContextCache)
        else:
            parser._interp.predictionMode = self._prediction_mode
        return parser

    def handle_gcd_lcm(self, f: str, args: Any) -> Any:
        # the library took the gcd of unevaluated powers as polynomials: `\\gcd(10^{20}, 5)` was 1
        return super().handle_gcd_lcm(f, [_small_powers_evaluated(arg) for arg in args])

    def parse(self, latex_str: str) -> Any:
        variances, names = dict(self.variances), dict(self.var)  # `x = 3` assigns while converting
        for mode in _STAGES[:-1]:
            self._prediction_mode = mode
            try:
                return super().parse(latex_str)
            except Exception:  # noqa: BLE001 - a syntax error: the next stage decides
                self.variances, self.var = dict(variances), dict(names)
        self._prediction_mode = _STAGES[-1]
        return super().parse(latex_str)


# Math-Verify's normalisation drops a unit word at the end of the text after a number, a brace or a
# space, and its list has letters and pairs of letters: `a^2+2bc` was `a^2+2`, `2\\pi r h` was 2πr,
# `|x|+3t` was |x|+3. Units of one or two letters are left to the verifier, which drops an SI unit
# only against a reference without letters (`verifiers/math/numbers.py` `without_si_unit`); here
# they are the letters they are. Words (`feet`, `degree`, `mph`) are still dropped.
_UNIT_WORDS = "|".join(u for u in math_normalization.units if len(u.strip(" .")) > 2 and "." not in u)
math_normalization.units_regex = re.compile(rf"(\d|\}}|\s)\s*(?:{_UNIT_WORDS})(?:s|es)?\s*$")

def _small_powers_evaluated(value: Any) -> Any:
    """An exact number with integer powers of at most 10,000 digits, evaluated (`10^{20}` as the
    integer); anything else as it is."""
    try:
        powers = list(value.atoms(sympy.Pow)) if isinstance(value, sympy.Basic) and value.is_number else []
        if powers and all(p.base.is_Integer and p.exp.is_Integer and 0 <= p.exp * len(str(abs(p.base))) <= 10_000 for p in powers):
            return value.doit()
    except (TypeError, ValueError, AttributeError):
        pass
    return value


# `latex2sympy()` (which Math-Verify calls) looks the converter class up by this name.
latex2sympy2._Latex2Sympy = _StagedLatexParser  # type: ignore[misc]


@functools.lru_cache(maxsize=256)
def _parse(answer: str, whole: bool = True) -> list:
    # Plain-expression extraction reads the last number of a text it cannot read whole: on
    # LaTeX latex2sympy failed on, that is a misreading (`\langle 1, 2\rangle` read as 2),
    # unless the LaTeX is only a leading relation or a font (`\approx 3.14`, `{\bf 5}`).
    # Plain text LaTeX cannot read either is read only when the plain-expression parser reads all
    # of it (`whole`): `7 // 2` was 2 and `(7, 2` was 2 (a false pass against 2), and so was `(H, 5)`
    # with an integer H of more than 4300 digits, which latex2sympy cannot convert. A reference (a
    # dataset's, not a model's) is still read by its last number, as Math-Verify reads it: a worked
    # solution's "... so the number of eggs is 12."
    unread = _LATEX_COMMAND.search(answer, _LEADING_NOT_MATH.match(answer).end()) or _UNREAD_CALL.search(answer)  # type: ignore[union-attr]
    for text in (f"${answer}$", answer):
        parsed = _parse_with(text, _LATEX_ONLY)
        if parsed and (unread or not isinstance(parsed[0], str)):
            return parsed
        # `first_match` for an answer: the value must come from the match `_reads_all` checks. With
        # `any_match`, a first match that failed to convert (`5-1-1-…-1`, 999 terms: sympy's recursion
        # limit) gave way to a later one (its first number, 5) under the first one's text: a false pass.
        if not unread and (plain := _parse_with(bare := _without_remark(answer), _PLAIN_ONLY, "first_match" if whole else "any_match")):
            return plain if not whole or _reads_all(plain, bare) else []
        if parsed:
            return parsed  # a conversion that failed leaves the text, compared as text
    return []


def _parse_with(text: str, configs: list, extraction_mode: str = "any_match") -> list:
    try:
        return parse(text, extraction_config=configs, parsing_timeout=None, extraction_mode=extraction_mode)
    except Exception:  # noqa: BLE001 - unparseable is an outcome, not a crash
        return []


def _reads_all(parsed: list, answer: str) -> bool:
    """The plain-expression parser's match is the answer: before it at most a name it is the value
    of (`n = 3`), after it at most a unit or a word (`1.69 Å`, a stray `\\`), never another number
    or operator (`7 ?? 5`, `(7, 2`)."""
    matched = parsed[-1] if isinstance(parsed[-1], str) else ""
    lead = _LEADING_NOT_MATH.match(answer).end()  # type: ignore[union-attr] - `\\approx`, `{\\bf`: see _parse
    at = answer.find(matched, lead) if matched else -1
    return (at >= 0 and bool(_NAMED.fullmatch(answer[lead:at])) and bool(_ONLY_WORDS.fullmatch(answer[at + len(matched) :]))
            and _balanced(matched))  # fmt: skip


def _balanced(text: str) -> bool:
    """Parentheses and brackets that close in order: `7 )( 5` was read as 5."""
    depth = 0
    for char in text:
        depth += (char in "([") - (char in ")]")
        if depth < 0:
            return False
    return depth == 0


def _without_remark(answer: str) -> str:
    """Without a closing remark in words (`12 (i.e., a dozen)`, `20 W (3 sig. fig.)`) or a final `;`."""
    text = answer.rstrip().rstrip(".").rstrip()
    if text.endswith(";"):
        return text[:-1]
    start = text.rfind("(")
    if text.endswith(")") and start > 0 and _REMARK_WORD.search(text, start, len(text) - 1) and ")" not in text[start:-1]:
        return text[:start].rstrip()
    return answer


_REMARK_WORD = re.compile(r"[A-Za-z]{3}")
# before the value: an approximation sign, a currency, a name it is the value of (`n =`, `r^* =`, `E(2001, 501) =`)
_NAMED = re.compile(r"[\s${}]*(?:≈|~|…|\.\.\.)?\s*(?:(?:Rs\.?|USD|£|€|¥)\s*)?"
                    r"(?:[A-Za-z]\w{0,20}(?:\^\*|'|\([^()=<>]{0,40}\))?\s*=\s*)?")
_ONLY_WORDS = re.compile(r"[^\d@#|()\[\]{<>;,/*+\-^=!?&~:_]*")  # a closing brace of a font group may follow


def _exactly_equal(a: Any, b: Any) -> bool | None:
    """For two exact numbers: equal to 60 significant digits relative to their size.
    None when this guard does not apply (not both exact numbers)."""
    if not (isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr)):
        return None
    if not (a.is_number and b.is_number) or a.has(sympy.Float) or b.has(sympy.Float):
        return None
    exact_a, exact_b = _exact_rational(a), _exact_rational(b)
    if exact_a is not None and exact_b is not None:  # `1/7^(10^6)` vs `1/(7^(10^6)+1)`: closer than 1e-60
        return bool(exact_a == exact_b)
    diff = (a - b).evalf(80)
    if diff.is_zero:
        return True
    try:
        size = max(abs(a.evalf(80)), abs(b.evalf(80)))
        return bool(abs(diff) <= size * sympy.Float("1e-60", 80))
    except TypeError:  # complex, undefined or unevaluated (`Mod(17, 5)`) magnitudes: leave it to Math-Verify
        return None


def _close_decimal(a: Any, b: Any) -> bool | None:
    """For two real numbers, one written as a decimal: within 1e-6 of the larger, and never
    by more than 1e-6 (the fast path's rule, `numbers.numbers_equal`). Math-Verify rounds
    both to 6 decimal places, so `0.00366` was `1 - 65/(24e)` (0.0036598...). Tuples,
    intervals and sets are held to it number by number. None when this guard does not
    apply."""
    pairs = _number_pairs(a, b)
    if not pairs:
        return None
    close = [_close_number(x, y) for x, y in pairs]
    return False if False in close else True if True in close else None


def _number_pairs(a: Any, b: Any) -> list[tuple[Any, Any]] | None:
    """The numbers of two same-shaped values, paired (a set's by size)."""
    if isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and a.is_number and b.is_number:
        return [(a, b)]
    if isinstance(a, sympy.Interval) and isinstance(b, sympy.Interval):
        return [(a.start, b.start), (a.end, b.end)]
    if isinstance(a, (sympy.Tuple, sympy.FiniteSet)) and type(a) is type(b) and len(a.args) == len(b.args):
        items_a, items_b = list(a.args), list(b.args)
        if isinstance(a, sympy.FiniteSet):
            try:
                items_a, items_b = sorted(items_a, key=lambda v: float(v)), sorted(items_b, key=lambda v: float(v))
            except (TypeError, ValueError):
                return None
        return [(x, y) for x, y in zip(items_a, items_b) if isinstance(x, sympy.Expr) and isinstance(y, sympy.Expr)]
    return None


def _close_number(a: Any, b: Any) -> bool | None:
    if not (isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and a.is_number and b.is_number):
        return None
    if not (a.has(sympy.Float) or b.has(sympy.Float)):
        return None  # two exact numbers: `_exactly_equal`'s question, not this one
    try:
        if not (a.is_real and b.is_real):
            return None
        va, vb = a.evalf(30), b.evalf(30)
        tolerance = sympy.Float("1e-6", 30) * min(sympy.Integer(1), max(abs(va), abs(vb)))
        return bool(abs(va - vb) <= tolerance * (1 + sympy.Float("1e-9", 30)))  # at the bound (1/3, 0.333333) too
    except (TypeError, ValueError, ArithmeticError):
        return None


_EXACT_BITS = 8_000_000  # ~2.4 million digits: exact arithmetic stays well inside a pair's deadline


def _exact_rational(expr: Any) -> sympy.Rational | None:
    """The exact value of integers under + - * / and integer powers, if no intermediate
    value is over `_EXACT_BITS`; None for anything else (roots, factorials, 2^(2^40))."""
    if isinstance(expr, sympy.Rational):
        return expr
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        parts = [_exact_rational(arg) for arg in expr.args]
        if any(part is None for part in parts):
            return None
        total = sympy.Integer(0 if isinstance(expr, sympy.Add) else 1)
        for part in parts:
            total = total + part if isinstance(expr, sympy.Add) else total * part
            if max(abs(total.p).bit_length(), total.q.bit_length()) > _EXACT_BITS:
                return None
        return total
    if isinstance(expr, sympy.Pow):
        base, exponent = _exact_rational(expr.base), _exact_rational(expr.exp)
        if base is None or exponent is None or not exponent.is_Integer or (base == 0 and exponent < 0):
            return None
        if abs(int(exponent)) * max(abs(base.p).bit_length(), base.q.bit_length()) > _EXACT_BITS:
            return None
        return base**exponent
    return None


def _i_symbols(expr: Any) -> list:
    """Symbols named i (latex2sympy may give them assumptions such as real=True)."""
    return [s for s in getattr(expr, "free_symbols", ()) if getattr(s, "name", "") == "i"]


def _mentions_imaginary(expr: Any) -> bool:
    return isinstance(expr, sympy.Basic) and (expr.has(sympy.I) or bool(_i_symbols(expr)))


def _as_imaginary(expr: Any) -> Any:
    if not isinstance(expr, sympy.Basic):
        return expr
    # i is the unit. A name alone on a side of an equation loses the assumptions latex2sympy
    # gave it: its real z made `z = 1 + 2i` a false equation, and so equal to `z = 1 - 2i`.
    # Other names stay real (`|a + bi|` is `\sqrt{a^2+b^2}`).
    alone = {side for side in expr.args if isinstance(side, sympy.Symbol)} if isinstance(expr, sympy.Equality) else set()
    mapping = {s: sympy.I if s.name == "i" else sympy.Symbol(s.name) for s in expr.free_symbols
               if isinstance(s, sympy.Symbol) and (s.name == "i" or s in alone)}  # fmt: skip
    if isinstance(expr, sympy.Equality):  # `e^{i\pi} = -1` stays an equation, never the value True
        return sympy.Eq(*(side.subs(mapping) for side in expr.args), evaluate=False)
    return expr.subs(mapping)


# latex2sympy reads a number before `\binom` as a mixed number: `2\binom{30}{15}` was
# 2 + C(30, 15). A list joined by "and" (`(0, 0), \text{and} (1, 1)`, `-176 \text{ and } 224`)
# lost all but its last item, or ran its numbers together (-176224).
_NUMBER_BEFORE_BINOM = re.compile(r"(\d)(?:\s|\\[ ,;:!]|~)*(?=\\[dt]?binom\b)")
_AND = re.compile(rf"{TEXT_COMMANDS}\s*\{{\s*and\s*\}}")
_LEADING_SPACE = re.compile(r"(?:\s|,|~|\\[ ,;:!])*")  # spaces, commas and LaTeX spacing beside an "and"


_PHANTOM = re.compile(r"\\[hv]?phantom\s*\{[^{}]*\}")  # invisible: Math-Verify read `\phantom{4}` as 4

# Two numbers apart only by spacing: latex2sympy read `2\,3` and `2 \quad 3` as 5, `2~3`
# as 2 and `2\enspace 3` as 3, so a hedge between two values passed. Thousands groups
# split by a thin space (`2\,300`) are one number, as in the fast path; any other gap
# separates two items of a list.
_SPACING = r"(?:~|\\[ ,;:]|\\(?:q?quad|enspace|thinspace|medspace|thickspace)(?![a-zA-Z])|\\hspace\*?\s*\{[^{}]*\})"
_GAP = rf"(?:\s|{_SPACING})+"
# Before a minus only LaTeX spacing separates (`2 \quad -3`); a plain space is a difference (`2 -3x`).
_ITEM_GAP = rf"(?:{_GAP}(?=\d)|\s*{_SPACING}{_GAP}?(?=-\d))"
_THOUSANDS_GAP = re.compile(r"(?<![\w.])\d{1,3}(?:(?:\s|~|\\[ ,])\d{3})+(?!\d)")
# A run of such numbers starts the text or follows an operator or an opening bracket, never
# a command (`\frac 1 2` is 1/2, `\log_ 2 32` is 5).
_SPACED_NUMBERS = re.compile(rf"(?:^|(?<=[-(\[{{,;=+<>:|]))\s*-?\d+(?:\.\d+)?(?:{_ITEM_GAP}-?\d+(?:\.\d+)?)+(?![\d.])")
_NUMBER_GAP = re.compile(rf"(?<=\d){_ITEM_GAP}")
_DIGIT_GAP = re.compile(r"(?:\s|~|\\[ ,])")


# An upright letter is still a symbol: latex2sympy dropped `\mathrm{i}` and `\text{b}` as
# units (`1+\mathrm{i}` was 1, and equal to `1-\mathrm{i}`; `2\text{b}` was 2) and read
# `\mathrm{e}` as a plain e. Not the letters of units (`5\,\mathrm{d}`: m, g, s, h, d, l, t),
# not a degree's o, and not a whole answer (`\text{b}` is a choice).
_UPRIGHT_SYMBOL = re.compile(r"\\(?:mathrm|mathbf|text|textrm|textit|mathit|rm|operatorname)\s*\{\s*([abcefijknpqruvwxyz]|\\pi)\s*\}")


# An upright capital is a symbol too (`\frac{\mathrm{N}_{1}}{\mathrm{~N}}`, GAOKAO's references:
# latex2sympy dropped the denominator's `\mathrm{N}` as a unit), except right after a number,
# where it is one (`5\,\mathrm{N}`, `3 \mathrm{~J}`).
_UPRIGHT_CAPITAL = re.compile(r"\\(?:mathrm|rm)\s*\{[\s~]*([A-Z])\s*\}")


def _capital_symbol(match: re.Match[str]) -> str:
    text, start, letter = match.string, match.start(), match.group(1)
    if re.search(r"[\d})](?:\s|~|\\[ ,;:!]|\\q?quad)*$", text[max(0, start - 40) : start]):
        return match.group(0)  # a unit after its number (`5\,\mathrm{N}`, `\frac{1}{2}\mathrm{~J}`, `(5+5)\,\mathrm{N}`)
    return letter if text[match.end() :].lstrip().startswith("_") else f"{{{letter}}}"  # `{N}_1` does not parse


# Words that join alternatives or conditions: latex2sympy dropped everything from such a
# `\text{` to the end as a unit, so `5 \text{ (or } 7 \text{)}` was 5. They separate items.
_NUMBER = re.compile(r"[-+]?[\d.{}^*/+\- ]*\d[\d.{}^*/+\- ]*")  # `7`, `2^3`
_NUMBER_WORDS = {*DIGIT_WORDS, "hundred", "thousand", "million"}
_WORD = re.compile(r"[A-Za-z]{2,}")
_WORDS = re.compile(rf"{_WORD.pattern}|[()]")  # words and brackets: what is left is the remark's math
_EMPTY_ITEMS = re.compile(r",(?:\s*,)+")


_BRACKETS = (("\\langle", "("), ("\\rangle", ")"), ("\\lbrace", "\\{"), ("\\rbrace", "\\}"))


def _separate_alternatives(match: re.Match[str]) -> str:
    """A connective alone (`\text{ or }`, `\text{/}`) separates items; so does an alternative
    number (`\text{ (or 7)}`, `\text{/7}`) or a piecewise rest (`\text{ (if n is even, else
    7)}`). Any other remark (`\text{ (or 480 minutes)}`, `\text{ (when x = 2)}`) restates or
    qualifies the answer and stays, for latex2sympy to drop as before."""
    content = match.group(1).replace("\\", " ")
    words = {w.lower() for w in _WORD.findall(content)}
    rest = _WORDS.sub(" ", content).strip(" /,.;:")
    if not rest and ((words and words <= set(CONNECTIVES)) or content.strip() == "/"):
        return ", "
    if _NUMBER.fullmatch(rest) and (words <= {"or"} and (words or content.lstrip().startswith("/"))):
        return f", {rest}, "
    if not rest and "or" in words and words - {"or"} <= _NUMBER_WORDS:  # `\text{ (or six)}`
        spelled = words - {"or"}
        if len(spelled) == 1 and (word := next(iter(spelled))) in DIGIT_WORDS:
            return f", {DIGIT_WORDS[word]}, "  # `5 \text{ (or five)}` restates 5; `(or six)` is another value
        return ", " + " ".join(sorted(spelled)) + ", "
    if words & {"else", "otherwise"}:
        return f", {rest}, "
    if words & set(DENIALS):
        return ", \\text{denied}, "  # `5 \text{ (rejected)}`: the answer takes itself back, an item no value equals
    if _DIGIT_AFTER.match(match.string, match.end()) and _DIGIT_BEFORE.search(match.string, 0, match.start()):
        return ", "  # a remark between two values (`5 \text{ (even n), } 6 \text{ (odd n)}`): two items
    values = _NUMBER.findall(_OF_A_NAME.sub(" ", content))  # never a condition's `a = 2`
    if values and (words & {*DOUBTS, "if", "unless", "either"} or "?" in content or not words):
        # another value offered beside the answer: `\text{ (also 6)}`, `(6?)`, `[6]`, `(6 if n odd)`, or a
        # remark between two values (`5 \text{ (even n), } 6`): items of a list
        return ", " + ", ".join(v.strip() for v in values) + ", "
    return match.group(0)


# capitals in a font command glued to a letter: Math-Verify drops a `\text{}` at the end as a unit,
# so `A\text{BCD}` (every choice) was A and passed against A
_GLUED_CAPITALS = re.compile(r"(?<=[A-Za-z])\\text\s*\{([A-Z]+)\}")
_OF_A_NAME = re.compile(r"[=<>]\s*[-+]?[\d.]+")
_DIGIT_AFTER = re.compile(r"\s*[-+]?\d")
_DIGIT_BEFORE = re.compile(r"\d\s*$")


# Lines (`x=3 \\ x=4`, `aligned`, `cases`) are items of a list: latex2sympy kept one of them,
# so a second value passed. Matrices keep their rows.
_MATRIX = re.compile(r"\\begin\s*\{\s*(?:[pbvBV]?matrix|smallmatrix|array)")
_LINES_ENV = re.compile(r"\\(?:begin|end)\s*\{\s*(?:aligned|align|gathered|gather|cases|split|eqnarray)\*?\s*\}")
# A prime is part of a name: latex2sympy deleted it (`y' = 2x` was `y = 2x`).
_PRIME = re.compile(r"(?<=[a-zA-Z])('+)")


_LINE_BREAK = re.compile(r"\\\\(?![a-zA-Z])")  # `\\frac` is an escaped command, no break


def _lines(text: str) -> str:
    if _MATRIX.search(text):
        return text
    if _LINES_ENV.search(text):  # inside `aligned` or `cases` every `\\` ends a line
        return _LINES_ENV.sub("", text).replace("&", "").replace("\\\\", ", ")
    return _LINE_BREAK.sub(", ", text)


# latex2sympy reads `\mod` (Mod) but not its binary spelling `\bmod`.
_BMOD = re.compile(r"\\bmod(?![a-zA-Z])")
# latex2sympy reads no `E_1` (E is its Euler number) and `I_1` as the unit I alone: an indexed
# E or I is a name of its own, spelled as one it reads (`\mathcal{E}_1`), the same on both sides
_INDEXED_E_OR_I = re.compile(r"(?<![\\a-zA-Z])([EI])(?=\s*_)")
# latex2sympy also drops the power of a capital I (`I^2R` was I*R, `LI^2` was L*I): a current or a
# moment of inertia, as a name of its own (commands are matched first, so never part of one)
_POWERED_I = re.compile(r"\\[a-zA-Z]+|I(?=\s*\^)")
# nor a symbol command as an index (`L_{\odot}`, the sun's luminosity): the index as a name
_SYMBOLS = r"\\(odot|star|ast|oplus|otimes|bullet|circ|dagger|ddagger|earth|sun)(?![a-zA-Z])"
_SYMBOL_INDEX = re.compile(rf"_\s*(?:\{{\s*{_SYMBOLS}\s*\}}|{_SYMBOLS})")  # the whole index, braced or not

def _indexed_name(match: re.Match) -> str:
    """`E_1` as `\\mathcal{E}_1`; not the argument of a command (`\\mathrm{E}_1`, `\\text{I}_2`)."""
    before = match.string[: match.start()]
    if before.endswith("{") and re.search(r"\\(?:text[a-z]*|math[a-z]+|operatorname|mbox)\s*\{$", before):
        return match.group(0)
    return f"\\mathcal{{{match.group(1)}}}"


def _explicit(text: str) -> str:
    text = text.replace("·", "\\cdot ").replace("–", "-")  # a middle dot and an en dash
    if number := _E_NOTATION.fullmatch(text):  # `4.5e33`: not 4.5·e·33, nor an index `e_{33}`
        text = f"{number.group(1)} \\times 10^{{{number.group(2)}}}"
    if "\\" not in text:
        text = _plain_syntax(_PLAIN_PI.sub(r"\\pi ", text))
    if "cosec" in text:  # after the plain-text rewrite, which applies only to text without a backslash
        text = _COSEC.sub(r"\\csc ", text)
    text = _GLUED_CAPITALS.sub(r"\1", text)  # `A\text{BCD}`: letters of the answer, not a unit to drop
    text = _PLAIN_CALL.sub(_as_latex, text)  # before the angles: `sin(30^\circ)`
    text = _UPRIGHT_CALL.sub(_as_latex, text)
    text = _OVER_A_SET.sub(r"\1(\2)", text)
    text = _PYTHON_POWER.sub(r"^{\1}", text)
    text = in_radians(text)
    text = _BMOD.sub(r"\\mod ", text)
    text = _SYMBOL_INDEX.sub(lambda m: f"_{{{m.group(1) or m.group(2)}}}", _INDEXED_E_OR_I.sub(_indexed_name, text))
    text = _POWERED_I.sub(lambda m: m.group() if m.group().startswith("\\") else "\\mathcal{I}", text)
    text = _PRIME.sub(lambda m: f"_{{prime{len(m.group(1))}}}", _lines(text))
    for spelled, bracket in _BRACKETS:  # latex2sympy reads neither: `\langle 1, 2\rangle` was text
        text = text.replace(spelled, bracket)
    if not _UPRIGHT_SYMBOL.fullmatch(text.strip()):
        # not before a subscript: latex2sympy reads `\mathbf{e}_1` as e_1, and not `{e}_1`
        text = _UPRIGHT_SYMBOL.sub(lambda m: m.group(0) if text[m.end() :].lstrip().startswith("_") else f"{{{m.group(1)}}}", text)
    if not _UPRIGHT_CAPITAL.fullmatch(text.strip()):
        text = _UPRIGHT_CAPITAL.sub(_capital_symbol, text)
    separated = TEXT.sub(_separate_alternatives, text)
    if separated != text:  # `1, 2, \text{ or } 3` and `\text{either } 1 \text{ or } 2`: no empty items
        text = _EMPTY_ITEMS.sub(",", separated).strip(" ,")
    text = _THOUSANDS_GAP.sub(lambda m: _DIGIT_GAP.sub("", m.group(0)), _PHANTOM.sub("", text))
    text = _SPACED_NUMBERS.sub(lambda m: _NUMBER_GAP.sub(", ", m.group(0)), text)
    text = _NUMBER_BEFORE_BINOM.sub(r"\1 \\cdot ", text)
    parts = _AND.split(text)
    if len(parts) == 1:
        return text
    return ", ".join(_trim(part, left=k > 0, right=k < len(parts) - 1) for k, part in enumerate(parts))


def _trim(part: str, left: bool, right: bool) -> str:
    if left:
        part = part[_LEADING_SPACE.match(part).end() :]  # type: ignore[union-attr]
    end = len(part)
    while right and end:
        if end >= 2 and part[end - 2] == "\\" and part[end - 1] in " ,;:!":
            end -= 2
        elif part[end - 1] in " \t\n,~":
            end -= 1
        else:
            break
    return part[:end]


def compare_one(reference: str, answer: str) -> dict:
    raw = (reference, answer)
    read = _numerals_in_base(reference), _numerals_in_base(answer)
    if read[0] is None:
        return {"outcome": "bad_reference", "why": "the reference holds a number with a subscript that is no base (2 to 36)"}
    if read[1] is None:
        return {"outcome": "unequal", "why": "the answer holds a number with a subscript that is no base (2 to 36)"}
    reference, answer = _explicit(read[0]), _explicit(read[1])
    if not PLUS_MINUS.search(reference + answer):
        decided = lane_compare(reference, answer)
        if decided is not None:
            return decided
    moduli = [_MODULUS.findall(reference), _MODULUS.findall(answer)]
    if moduli[0] and moduli[1] and moduli[0] != moduli[1]:  # Math-Verify drops `\pmod{5}`
        return {"outcome": "unequal", "why": "a congruence modulo another number"}
    gold = _parse(reference, whole=False)
    if not gold:
        return {"outcome": "bad_reference", "why": "the reference answer does not parse"}
    pred = _parse(answer)
    if not pred:
        return {"outcome": "unequal", "why": "the answer does not parse"}
    if bool(PLUS_MINUS.search(reference)) != bool(PLUS_MINUS.search(answer)):
        # `\pm 2021` is the two values {2021, -2021}: equal to that set, never to one of them.
        expanded = [_pm_set(reference), _pm_set(answer)]
        if expanded[0] or expanded[1]:
            gold_set, pred_set = _parse(expanded[0] or reference), _parse(expanded[1] or answer)
            if gold_set and pred_set and verify(gold_set, pred_set, timeout_seconds=None):
                return {"outcome": "equal", "why": ""}
        return {"outcome": "unequal", "why": "± on one side only"}
    gold, pred = _as_condition_sets(gold, pred, raw)
    if _mentions_imaginary(gold[0]) or _mentions_imaginary(pred[0]):
        # one side was read as complex (I), the other with a plain symbol i
        gold, pred = [_as_imaginary(gold[0]), *gold[1:]], [_as_imaginary(pred[0]), *pred[1:]]
    if _only_case_differs(gold[0], pred[0]):  # Math-Verify compares names of symbols lowercased: `T_1` was `t_1`
        return {"outcome": "unequal", "why": f"symbols that differ in case: {str(gold[0])[:40]} vs {str(pred[0])[:40]}"}
    if _differ_at_a_point(gold[0], pred[0]):
        return {"outcome": "unequal", "why": f"{str(gold[0])[:80]} vs {str(pred[0])[:80]} (differ at a point)"}
    if isinstance(gold[0], sympy.Equality) and _false_equation(pred[0]):
        return {"outcome": "unequal", "why": f"a false equation: {str(pred[0])[:80]}"}
    gold, pred = [_values_named(gold[0]), *gold[1:]], [_values_named(pred[0]), *pred[1:]]
    gold, pred = [_as_assignments(gold[0], pred[0], raw[0]), *gold[1:]], [_as_assignments(pred[0], gold[0], raw[1]), *pred[1:]]
    equal = verify(gold, pred, timeout_seconds=None)
    if not equal and _is_interval(gold[0]) and _is_inequality(pred[0]):
        # Math-Verify reads an inequality reference against an interval answer, not the reverse
        equal = verify(pred, gold, timeout_seconds=None)
    if not equal and (renamed := _argument_renamed(gold[0], pred[0])) is not None:
        equal = verify(gold, [renamed], timeout_seconds=None)
    if not equal and (relabelled := _value_named_y(gold[0], pred[0])) is not None:
        equal = verify(gold, [relabelled], timeout_seconds=None)
    if equal and not _DECIMAL.search(reference) and not _DECIMAL.search(answer):
        exact = _exactly_equal(gold[0], pred[0])
        if exact is False:
            return {"outcome": "unequal", "why": "numerically close but not equal"}
    elif equal and _close_decimal(gold[0], pred[0]) is False:
        return {"outcome": "unequal", "why": "a decimal that differs by more than 1e-6 of the value"}
    return {"outcome": "equal" if equal else "unequal", "why": "" if equal else f"{str(gold[0])[:80]} vs {str(pred[0])[:80]}"}


# "or" and "and" between conditions: after `_explicit` they would be items of a list.
_OR = re.compile(rf"{TEXT_COMMANDS}\s*\{{\s*or\s*\}}|\\(?:lor|vee)(?![a-zA-Z])|\s+or\s+")
_AND_CONDITION = re.compile(rf"{TEXT_COMMANDS}\s*\{{\s*and\s*\}}|\\(?:land|wedge)(?![a-zA-Z])|\s+and\s+")
_RELATION = re.compile(rf"{INEQUALITY.pattern}|\\neq?(?![a-zA-Z])")


def _as_condition_sets(gold: list, pred: list, raw: tuple[str, str]) -> tuple[list, list]:
    """`x<1 \\text{ or } x>2` is the set its conditions describe, not a list of two of them:
    compared as sets with an interval, the empty set, `x \\in` a set, a condition on the same
    variable, or conditions on the same variable. Otherwise both sides as parsed."""
    described = [_set_of_conditions(text) for text in raw]
    sides = [gold, pred]
    for k in (0, 1):
        if described[k] is None:
            continue
        (conditions_set, variable), other, also = described[k], sides[1 - k][0], described[1 - k]
        if also is not None:  # conditions on both sides: sets only when the variable is the same
            return ([conditions_set], [also[0]]) if also[1] == variable else (gold, pred)
        if _is_interval(other) or other == sympy.EmptySet:
            sides[k] = [conditions_set]
        elif isinstance(other, sympy.Equality) and other.lhs == variable and isinstance(other.rhs, sympy.Set):
            sides[k], sides[1 - k] = [conditions_set], [other.rhs]  # `x \\in (2,\\infty)`
        elif _is_relation(other) and other.free_symbols == {variable} and (solved := _solution_set(other)) is not None:
            sides[k], sides[1 - k] = [conditions_set], [solved]  # `x \\neq 0` against `x<0 \\text{ or } x>0`
    return sides[0], sides[1]


def _set_of_conditions(text: str) -> tuple[Any, Any] | None:
    """Inequalities on one variable joined by "or" as the union of their sets (`x<1 \\text{ or }
    x>2`), joined by "and" as the intersection (`x>0 \\text{ and } x \\neq 1`), with that
    variable; None for anything else, and for both words at once (which binds first is not
    written)."""
    ors, ands = _OR.split(text), _AND_CONDITION.split(text)
    if len(ors) > 1 and len(ands) > 1:
        return None
    parts, combine = (ors, sympy.Union) if len(ors) > 1 else (ands, sympy.Intersection)
    if not 2 <= len(parts) <= 20 or not all(_RELATION.search(part) for part in parts):  # each part is a parse
        return None
    conditions = []
    for part in parts:
        parsed = _parse(_explicit(part))
        if not parsed or not _is_relation(parsed[0]):
            return None
        conditions.append(parsed[0])
    variables = set().union(*(c.free_symbols for c in conditions))
    if len(variables) != 1 or all(isinstance(c, sympy.Unequality) for c in conditions):
        return None
    sets = [_solution_set(c) for c in conditions]  # None where sympy cannot solve it (`\\sin x > 0`)
    return None if any(part is None for part in sets) else (combine(*sets), variables.pop())


def _only_case_differs(gold: Any, pred: Any) -> bool:
    """A symbol (or a product of symbols, which Math-Verify reads as one name) against one whose
    name differs only in letter case: `\\Omega` and `\\omega`, `M_1` and `m_1`."""
    names = [_symbol_name(gold), _symbol_name(pred)]
    return None not in names and names[0] != names[1] and names[0].lower() == names[1].lower()  # type: ignore[union-attr]


def _differ_at_a_point(gold: Any, pred: Any) -> bool:
    """Two expressions in variables that take clearly different values at a point are not
    equal, and Math-Verify, which can only call them equal when sympy simplifies their
    difference to 0, may spend seconds trying (`ArcSin(x) + ...` read as products of letters:
    6 s). Only plain expressions with exact numbers (decimals have their own tolerance) and
    none of Math-Verify's name rules (a single symbol, a product of symbols); a point where
    either side is not a finite number decides nothing. An undefined function's value (`s(x)`
    of `Sin(x)` read as letters) is a variable of its own, as it is to simplification. Points lie
    in (0, 1), where the inverse trigonometric functions are real."""
    from sympy.core.function import AppliedUndef

    if not (isinstance(gold, sympy.Expr) and isinstance(pred, sympy.Expr)) or gold.has(sympy.Float) or pred.has(sympy.Float):
        return False
    if _symbol_name(gold) is not None or _symbol_name(pred) is not None:
        return False
    applied = {a: sympy.Dummy() for a in (gold.atoms(AppliedUndef) | pred.atoms(AppliedUndef))}
    gold, pred = gold.xreplace(applied), pred.xreplace(applied)
    symbols = sorted(gold.free_symbols | pred.free_symbols, key=str)
    if not symbols or len(symbols) > 16:
        return False
    rng = random.Random(0)
    try:
        difference = gold - pred
        for _ in range(3):
            point = {s: sympy.Rational(rng.randint(11, 89), 97) for s in symbols}
            value, scale = difference.evalf(30, subs=point), gold.evalf(30, subs=point)
            if value.is_number and scale.is_number and value.is_finite and scale.is_finite:
                if abs(value) > sympy.Float("1e-20", 30) * max(1, abs(scale)):
                    return True
    except Exception:  # noqa: BLE001 - an expression sympy cannot evaluate is the full comparison's to decide
        return False
    return False


def _symbol_name(value: Any) -> str | None:
    if isinstance(value, sympy.Symbol):
        return value.name
    if isinstance(value, sympy.Mul) and all(isinstance(arg, sympy.Symbol) for arg in value.args):
        return "".join(arg.name for arg in value.args)
    return None


def _is_relation(value: Any) -> bool:
    return _is_inequality(value) or isinstance(value, sympy.Unequality)


def _solution_set(condition: Any) -> Any:
    """The set of a condition on one variable, or None."""
    if len(condition.free_symbols) != 1:
        return None
    try:
        return condition.as_set()
    except (NotImplementedError, ValueError, TypeError):
        return None


def _false_equation(value: Any) -> bool:
    """`e^{i\\pi} = 1`, `i^2 = 1`: an equation between numbers that does not hold. Against an
    equation it is unequal (Math-Verify found two identities alike); against a value its last
    side is the answer, as in Math-Verify's suite (`x = 5+5+1 = 7 = 11` is 11). A decimal is
    held to 1e-6 of the value, as everywhere (`\\pi = 3.1415927` holds)."""
    if not isinstance(value, sympy.Equality) or value.free_symbols:
        return False
    try:
        lhs, rhs = sympy.N(value.lhs, 30), sympy.N(value.rhs, 30)
        scale = 1e-6 if value.has(sympy.Float) else 1e-20
        return bool(lhs.is_number and rhs.is_number and abs(lhs - rhs) > scale * max(1, abs(rhs)))
    except (TypeError, ValueError, ArithmeticError):
        return False


def _values_named(value: Any) -> Any:
    """`f(2) = 3` with `f(2)` as a name: Math-Verify solves two equations for their free symbols, and
    with none (a function's value, `f'(2)`, `g(2)`) both solution lists were empty and any two such
    equations equal (`f(2) = 100` passed against `f(2) = 3`). Solved for the named value, they
    compare by it. Only relations with no free symbol: `f(x) = 2x + 3` stays a function."""
    if isinstance(value, (sympy.FiniteSet, sympy.Tuple)) and value.args and all(
            isinstance(item, sympy.core.relational.Relational) for item in value.args):  # `f(1) = 2, f(2) = 5`
        return type(value)(*(_values_named(item) for item in value.args))
    if not isinstance(value, sympy.core.relational.Relational) or value.free_symbols:
        return value
    applied = value.atoms(AppliedUndef)
    return value.xreplace({call: sympy.Symbol(str(call)) for call in applied}) if applied else value


def _as_assignments(value: Any, other: Any, text: str) -> Any:
    """Named values against a tuple, in order. Math-Verify compared `x=2, y=3` with the tuple
    `(3, 2)` and with `(x, y) = (3, 2)` as sets of values, so swapped values passed (a fourth red
    team's find, 2026-12-06). `(x, y) = (3, 2)` is the assignments `x = 3, y = 2`; a bare tuple
    against assignments is read as the values of the names in the order the text of those
    assignments writes them (`x=2, y=3` is `(2, 3)`)."""
    if isinstance(value, sympy.Equality) and isinstance(value.lhs, sympy.Tuple):
        names, rhs = value.lhs.args, value.rhs
        if isinstance(rhs, sympy.Interval) and rhs.left_open and rhs.right_open:
            rhs = sympy.Tuple(rhs.start, rhs.end)  # `(x, y) = (2, 3)`: an increasing pair reads as an open interval
        if (isinstance(rhs, sympy.Tuple) and len(names) == len(rhs.args) and all(isinstance(n, sympy.Symbol) for n in names)
                and len(set(names)) == len(names)):  # fmt: skip
            return sympy.FiniteSet(*(sympy.Eq(n, v, evaluate=False) for n, v in zip(names, rhs.args)))
        return value
    named = _assigned(other)
    if named is not None and len(named) == 2 and isinstance(value, sympy.Interval) and value.left_open and value.right_open:
        return sympy.Tuple(value.start, value.end)  # `(-1, 1)` against `a = 1, b = -1`: a pair, not an interval
    if named is not None and isinstance(value, sympy.Tuple) and len(named) == len(value.args):
        return value  # the tuple stays; `other` (the assignments) becomes a tuple in its own call
    own = _assigned(value)
    pair = isinstance(other, sympy.Interval) and other.left_open and other.right_open and len(own or ()) == 2
    if own is None or not (pair or isinstance(other, sympy.Tuple) and len(other.args) == len(own)):
        return value
    written = [m.group(1) for m in _ASSIGNED_NAME.finditer(text)]
    order = sorted(own, key=lambda name: written.index(str(name)) if str(name) in written else len(written) + sorted(map(str, own)).index(str(name)))
    return sympy.Tuple(*(own[name] for name in order))


def _assigned(value: Any) -> dict | None:
    """{name: value} of a set of assignments to distinct single names (`x = 2, y = 3`), or None."""
    if not isinstance(value, sympy.FiniteSet) or len(value.args) < 2:
        return None
    if not all(isinstance(e, sympy.Equality) and isinstance(e.lhs, sympy.Symbol) for e in value.args):
        return None
    names = {e.lhs: e.rhs for e in value.args}
    return names if len(names) == len(value.args) else None


_ASSIGNED_NAME = re.compile(r"(?<![\\a-zA-Z])([a-zA-Z](?:_\{?[a-zA-Z0-9]+\}?)?)\s*=")


def _is_interval(value: Any) -> bool:
    return isinstance(value, (sympy.Interval, sympy.Union))


def _is_inequality(value: Any) -> bool:
    relations = (sympy.StrictLessThan, sympy.StrictGreaterThan, sympy.LessThan, sympy.GreaterThan)
    return isinstance(value, relations) or (isinstance(value, (sympy.And, sympy.Or)) and all(
        isinstance(arg, relations) for arg in value.args))  # fmt: skip


def _argument_renamed(gold: Any, pred: Any) -> Any:
    """`f(z) = z` written with the reference's argument names, `f(x) = x`: a function's
    argument is a bound name (Math-Verify and Assay failed `f(n) = n` against `f(x) = x`).
    None when the answer is not such a definition of the same function, or when a renamed
    argument would capture a name the answer uses freely (`f(y) = x^2` is not `f(x) = x^2`)."""
    from sympy.core.function import AppliedUndef

    if not (isinstance(gold, sympy.Equality) and isinstance(pred, sympy.Equality)):
        return None
    head_g, head_p = gold.lhs, pred.lhs
    if not (isinstance(head_g, AppliedUndef) and isinstance(head_p, AppliedUndef) and head_g.func == head_p.func):
        return None
    names_g, names_p = head_g.args, head_p.args
    if (len(names_g) != len(names_p) or names_g == names_p or len(set(names_g)) != len(names_g) or len(set(names_p)) != len(names_p)
            or not all(isinstance(a, sympy.Symbol) for a in (*names_g, *names_p))):  # fmt: skip
        return None
    if (pred.rhs.free_symbols - set(names_p)) & set(names_g):
        return None
    mapping = dict(zip(names_p, names_g))
    return sympy.Eq(head_p.xreplace(mapping), pred.rhs.xreplace(mapping), evaluate=False)


def _value_named_y(gold: Any, pred: Any) -> Any:
    """`y = 2x + 3` for `f(x) = 2x + 3`: y names the function's value (MARIO_EVAL's suite
    labels them equal). The answer with the reference's left side, when one left side is
    y, the other a function of plain variables other than y, and the right sides use only those."""
    from sympy.core.function import AppliedUndef

    if not (isinstance(gold, sympy.Equality) and isinstance(pred, sympy.Equality)):
        return None
    named_y = [side for side in (gold.lhs, pred.lhs) if isinstance(side, sympy.Symbol) and side.name == "y"]
    applied = [side for side in (gold.lhs, pred.lhs) if isinstance(side, AppliedUndef)]
    if len(named_y) != 1 or len(applied) != 1 or not all(isinstance(a, sympy.Symbol) for a in applied[0].args):
        return None
    arguments = set(applied[0].args)
    if named_y[0] in arguments or not (gold.rhs.free_symbols | pred.rhs.free_symbols) <= arguments:
        return None  # `f(t) = 2x + 3` and `g(y) = 2x + 3` are not `y = 2x + 3`
    return sympy.Eq(gold.lhs, pred.rhs, evaluate=False)


def _pm_set(text: str) -> str:
    """'a \\pm b' written as the set of its two values, and a list whose items each hold at
    most one sign (`\\pm 1, \\pm 2`) as the set of all of them; '' when it is not that."""
    values = []
    for item in _top_level_items(text):
        signs = list(PLUS_MINUS.finditer(item))
        if len(signs) > 1:
            return ""
        if signs:
            sign = signs[0]
            values += [item[: sign.start()] + op + item[sign.end() :] for op in ("+", "-")]
        else:
            values.append(item)
    return f"\\{{{', '.join(values)}\\}}" if PLUS_MINUS.search(text) else ""


def _top_level_items(text: str) -> list[str]:
    """The items of a list: split at commas outside every bracket."""
    items, depth, start = [], 0, 0
    for k, char in enumerate(text):
        depth += (char in "([{") - (char in ")]}")
        if char == "," and depth == 0:
            items.append(text[start:k])
            start = k + 1
    return [*items, text[start:]]


# Answer shapes of every kind the grammar has. Parsing them once in the fork server fills
# ANTLR's shared prediction cache (its DFA), which every forked worker then inherits.
_WARM_UP_ANSWERS = (
    "\\frac{1}{2}", "0.5", "-3", "x^2+1", "(x+1)^2", "2x^{3} - 4x + \\cos{(x)} + 7", "\\sqrt{2}+\\sqrt[3]{5}",
    "\\frac{\\pi}{4}", "e^{2}", "\\ln 2", "\\log_{2} 8", "\\sin^2(x)+\\cos^2 x", "\\tan^{-1}(1)", "5!", "\\binom{5}{2}",
    "2+3i", "\\frac{1+i\\sqrt{3}}{2}", "50\\%", "30^\\circ", "\\infty", "-\\infty", "\\text{(C)}", "3\\text{ cm}",
    "(3,4)", "(1,2]", "[-1,1)", "(-\\infty,2] \\cup (3,\\infty)", "\\{1,2\\}", "\\{-1, 1\\}", "1, 2, 3", "-12;-11;-10",
    "x=3", "y = x^{2}", "2x+4y-3=0", "x^2/4 + y^2/3 = 1", "f(x)=1", "(p,q)=(3,2)", "a_3 = 2, a_{37} = 19", "S:T=7:32",
    "x<1", "x \\geq 5", "x >= 5", "-2 \\le x \\le 7", "0<f(x)<1", "x \\in [-2,7]", "x \\neq 1",
    "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\left[\\begin{array}{cc}1 & 2 \\\\3 & 4\\end{array}\\right]",
    "\\left( \\frac{1}{5}, -\\frac{1}{6} \\right)", "\\pm 2", "\\sum_{k=0}^{n-1} F_k", "\\int_0^1 x\\,dx", "|x-1|", "\\lfloor x \\rfloor",
    "x > 5", "x \\le 3", "-x \\geq -1", "1 \\leq |z| \\leq 2", "x \\lt 3", "3:4", "A:B=1", "\\text{odd}", "\\textbf{A}", "\\mathrm{E}",
    "\\begin{bmatrix} 0 & 1 \\\\ 1 & 0 \\end{bmatrix}", "[0,1) \\cup (1, 2]", "(1,2),(3,4)", "1;2;3", "x \\approx 1.5", "\\sec^2(y)",
    "\\$10", "\\cfrac{1}{3}", "\\frac34", "\\sqrt 2", "2^{10}", "x = 1 \\text{ and } x = 2", "1, 2, \\text{ and } 3", "101_2",
)


def warm_up() -> None:
    """Called once by the fork server: build the parsers' lazy state before forking."""
    for reference, answer in (("\\frac{1}{2}", "0.5"), ("x^2+1", "(x+1)^2"), ("\\{1,2\\}", "(1,2]"), ("x=3", "3")):
        compare_one(reference, answer)
    for answer in _WARM_UP_ANSWERS:
        _parse(answer)
    _parse.cache_clear()


def compare_batch(pairs: list[list[str]], per_item_s: float = 3.0, item_memory_mb: int = 512) -> list[dict]:
    """Compare each (reference, answer) pair under its own hard deadline.

    A forked worker compares the pairs in order and streams one JSON line per result;
    this process watches the clock. A pair that overruns its deadline (sympy stuck in C
    code ignores signals) gets its worker SIGKILLed and a `timeout`, and a new worker
    takes the rest; a pair that exhausts the worker's address-space limit gets `memory`.
    Forks happen once per batch plus once per culprit.
    """
    results: list[dict] = []
    while len(results) < len(pairs):
        start = len(results)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: whatever happens, it never returns into the caller's stack
            try:
                os.close(read_fd)
                _limit_address_space(item_memory_mb)
                with os.fdopen(write_fd, "w") as out:
                    for reference, answer in pairs[start:]:
                        out.write(json.dumps(_compare_guarded(str(reference), str(answer))) + "\n")
                        out.flush()
            finally:
                os._exit(0)  # a pair it could not report reads as the worker's death: `memory`
        os.close(write_fd)
        with os.fdopen(read_fd, "r") as replies:
            while len(results) < len(pairs):
                ready, _, _ = select.select([replies], [], [], per_item_s)
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    results.append({"outcome": "timeout", "why": f"no result within {per_item_s:g}s"})
                    break
                line = replies.readline()
                if not line:  # the worker died on this pair (e.g. killed for memory)
                    results.append({"outcome": "memory", "why": "the comparison's process died (out of memory)"})
                    break
                results.append(json.loads(line))
        os.waitpid(pid, 0)
    return results


def _limit_address_space(extra_mb: int) -> None:
    """Room for one comparison on top of what the warm interpreter already maps."""
    with open("/proc/self/statm") as fh:
        mapped = int(fh.read().split()[0]) * resource.getpagesize()
    limit = mapped + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _compare_guarded(reference: str, answer: str) -> dict:
    try:
        return compare_one(reference, answer)
    except MemoryError:
        return {"outcome": "memory", "why": "ran out of memory"}
    except RecursionError:
        return {"outcome": "unequal", "why": "too deeply nested to compare"}
    except Exception as exc:  # noqa: BLE001 - a sympy failure on odd input is "not shown equal"
        return {"outcome": "unequal", "why": f"{type(exc).__name__}: {exc}"[:200]}
