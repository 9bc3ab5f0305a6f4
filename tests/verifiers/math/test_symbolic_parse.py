"""The staged LaTeX parser in `verifiers/math/symbolic.py` gives the library's own
results: on every answer of the imported suites and of Assay's table, SLL-first parsing
builds exactly the expression full-LL parsing builds (or falls back to it). Pure
parsing, in this process: no sandbox, no root."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import sympy
from antlr4.atn.PredictionMode import PredictionMode
from latex2sympy2_extended.math_normalization import NormalizationConfig, normalize_latex

from tests.verifiers.math.cases import TABLE
from verifiers.math import symbolic
from verifiers.math.extract import extract_answer, final_answer_of_reference

HERE = Path(__file__).parent / "external"
CASES = [json.loads(line) for line in (HERE / "cases.jsonl").read_text().splitlines() if line.strip()]
FULL_LL = symbolic._StagedLatexParser.__mro__[1]  # latex2sympy2_extended's own converter


class _SLLOnly(FULL_LL):  # type: ignore[misc, valid-type]
    def create_parser(self, latex_str: str) -> object:
        parser = super().create_parser(latex_str)
        parser._interp.predictionMode = PredictionMode.SLL
        return parser


class _FirstStageOnly(FULL_LL):  # type: ignore[misc, valid-type]
    """SLL with full context at the decisions that need it, and no fallback."""

    def create_parser(self, latex_str: str) -> object:
        parser = super().create_parser(latex_str)
        parser._interp = symbolic._MixedPredictionSimulator(parser, parser.atn, parser.decisionsToDFA, parser.sharedContextCache)
        return parser


def _answers() -> list[str]:
    texts = {final_answer_of_reference(c["gold"]) for c in CASES}
    texts |= {found.text for c in CASES if (found := extract_answer(c["pred"], True, "")) is not None}
    texts |= {text for ref, ans, _ in TABLE for text in (ref, ans)}
    return sorted(texts)


def _read(converter: type, text: str) -> str:
    try:  # every converter with the staged parser's configuration (symbols keep their case)
        config = dataclasses.replace(symbolic._CONVERSION, lowercase_symbols=False)
        return sympy.srepr(converter(config=config).parse(normalize_latex(text, NormalizationConfig())))
    except Exception as exc:  # noqa: BLE001 - failing alike is agreeing
        return f"error: {type(exc).__name__}"


def test_sll_first_builds_what_full_ll_builds() -> None:
    answers = _answers()
    assert len(answers) > 600
    full = {t: _read(FULL_LL, t) for t in answers}
    staged = {t: _read(symbolic._StagedLatexParser, t) for t in answers}
    sll_only = {t: _read(_SLLOnly, t) for t in answers}
    first = {t: _read(_FirstStageOnly, t) for t in answers}
    read = [t for t in answers if not full[t].startswith("error")]
    assert len(read) > 500
    assert [(t, full[t], staged[t]) for t in answers if full[t] != staged[t]] == []
    # the fast stage carries the load, and where it reads a text it reads it as LL does
    for stage in (sll_only, first):
        assert [t for t in answers if not stage[t].startswith("error") and stage[t] != full[t]] == []
    assert sum(sll_only[t] == full[t] for t in read) > 0.8 * len(read)
    # pure SLL fails on every letter with a superscript or subscript; with full context at that one
    # decision, the first stage reads them all
    powers = [t for t in read if sll_only[t].startswith("error") and first[t] == full[t]]
    assert len(powers) > 20 and [t for t in powers if "^" not in t and "_" not in t] == []
    assert sum(first[t] == full[t] for t in read) > 0.98 * len(read)


def test_math_verify_uses_the_staged_parser() -> None:
    from latex2sympy2_extended import latex2sympy2

    assert latex2sympy2._Latex2Sympy is symbolic._StagedLatexParser
    assert symbolic.compare_one("\\left( \\frac{1}{5}, \\frac{1}{6} \\right)", "(1/5, 1/6)")["outcome"] == "equal"
    # a text SLL cannot read is read by full LL, as before
    assert symbolic.compare_one("27 x^{2} - 2 x + 5 \\cos{(x )} + 9", "9 + 27x^2 - 2x + 5\\cos(x)")["outcome"] == "equal"


def test_exact_numbers_compare_exactly_however_close() -> None:
    # relative difference 7^-1000000: under any fixed precision (a red-team find)
    assert symbolic.compare_one("\\frac{1}{7^{10^{6}}}", "\\frac{1}{7^{10^{6}}+1}")["outcome"] == "unequal"
    assert symbolic.compare_one("\\frac{3}{6}", "\\frac{1}{2}")["outcome"] == "equal"
    assert symbolic._exact_rational(symbolic._parse("2^{2^{40}}")[0]) is None  # too big to compute: evalf decides


def test_a_numeral_with_a_subscript_is_its_value_in_that_base_or_no_number() -> None:
    # latex2sympy drops a numeral's subscript: `2 \cdot 101_2` was 202, `2 \cdot 4343_0` was 8686
    def outcome(reference: str, answer: str) -> str:
        return symbolic.compare_one(reference, answer)["outcome"]

    assert outcome("10", "2 \\cdot 101_2") == outcome("14", "2(111_{2})") == outcome("2", "10_{\\text{2}}") == "equal"
    # a braced base inside a brace: the numerator's own `}` stays (`\frac{101_{2}}{3}` lost it)
    assert outcome("\\frac53", "\\frac{101_{2}}{3}") == outcome("\\frac23", "\\frac{10_{\\text{2}}}{3}") == "equal"
    assert outcome("202", "2 \\cdot 101_2") == outcome("8686", "2 \\cdot 4343_0") == "unequal"
    assert outcome("4343", "4343_{(0)}") == outcome("4343", "4343_{1.5}") == outcome("12", "12_1") == "unequal"
    assert outcome("5", "5_{40}") == outcome("12", "12_2") == "unequal"  # no base 40; no digit 2 in base 2
    assert outcome("4343_0", "4343") == "bad_reference"
    # Python's digit groups are one number; names and logarithms keep their subscripts
    assert outcome("1000", "1_000") == outcome("1000000", "1_000_000") == outcome("3", "\\log_2 8") == "equal"
    assert outcome("a_{10} + x_1", "x_1 + a_{10}") == outcome("1024", "2^{10}") == "equal"
    assert outcome("1", "1_000") == "unequal"


def test_named_functions_written_upright_or_over_a_set_are_read() -> None:
    # latex2sympy kept `\text{gcd}(12, 18)` as text and did not read `\max\{3, 5\}`
    def outcome(reference: str, answer: str) -> str:
        return symbolic.compare_one(reference, answer)["outcome"]

    assert outcome("6", "\\text{gcd}(12,18)") == outcome("36", "\\mathrm{lcm}\\left(12,18\\right)") == "equal"
    assert outcome("5", "\\max\\{3,5\\}") == outcome("3", "\\min\\{3, 5\\}") == outcome("\\frac12", "\\max\\{\\frac{1}{2}, \\frac13\\}") == "equal"
    assert outcome("3", "\\max\\{3,5\\}") == outcome("18", "\\text{gcd}(12,18)") == "unequal"
    assert outcome("5", "5 \\text{ min}") == "equal"  # minutes, not a call


def test_expressions_that_differ_at_a_point_are_decided_without_simplifying() -> None:
    """isaacphysics' `ArcSin(x) + ... + Tan(x)` is read as products of letters and undefined
    functions; Math-Verify's simplification of the difference took 6-23 s (a timeout in the
    sandbox). A point where the two sides differ decides it at once; identities still go to
    the full comparison (also through undefined functions' values)."""
    import time

    started = time.process_time()
    ref, ans = "1 + \\tan(x) + \\arcsin(x) + \\arccos(x) + \\arctan(x)", "ArcSin(x) + ArcCos(x) + ArcTan(x) + Sin(x)^{2} + Cos(x)^{2} + Tan(x)"
    assert symbolic.compare_one(ref, ans)["outcome"] == "unequal"
    assert time.process_time() - started < 2
    for ref, ans in (("f(x) + f(x)", "2f(x)"), ("\\sin^2 x + \\cos^2 x + y", "1 + y"), ("\\frac{x^2-1}{x-1}", "x+1"),
                     ("\\tan(x) + 1", "\\frac{\\sin(x)}{\\cos(x)} + 1")):
        assert symbolic.compare_one(ref, ans)["outcome"] == "equal", (ref, ans)
    assert symbolic.compare_one("f(x) + 1", "f(x) + 2")["outcome"] == "unequal"


def test_a_comparison_worker_never_returns_into_the_callers_stack() -> None:
    """`compare_batch` forks a worker per batch; an exception its guard does not take
    (SystemExit from odd code, MemoryError while reporting) made the worker return from
    `compare_batch` and go on as a second copy of the caller (in a sandbox run, a second
    reply; in any other process, a clone of it). The worker ends there, and the pair reads
    as the worker's death."""
    import subprocess
    import sys

    script = (
        "import os\n"
        "from verifiers.math import symbolic\n"
        "def boom(reference, answer):\n"
        "    raise SystemExit(3)\n"
        "symbolic._compare_guarded = boom\n"
        "try:\n"
        "    results = symbolic.compare_batch([['1', '1']])\n"
        "except BaseException:\n"
        "    print('escaped', flush=True)\n"
        "    os._exit(0)\n"
        "print([r['outcome'] for r in results], flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[3])
    assert done.stdout.splitlines() == ["['memory']"], done.stdout + done.stderr
