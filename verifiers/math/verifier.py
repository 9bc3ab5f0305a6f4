"""`MathVerifier`: is the model's final answer equivalent to the reference?

Three stages, cheapest first:

1. extraction (`extract.py`): the final answer, or `no_answer`; a hedge between several
   values fails when the reference is a single value, unless every value is the
   reference's and the final one's (`Pending.pairs`);
2. fast paths in this process, no sympy: identical canonical spellings, plain numbers
   (integers with separators or leading zeros, decimals, fractions, percentages,
   scientific notation, degrees, units), multiple-choice letters, "no solution";
3. everything else goes to `symbolic.compare_batch` in the sandbox, in batches, with a
   deadline per pair and the sandbox's CPU and memory limits over the batch. If the
   batch itself is killed (a computation stuck in C code, a memory blow-up), its pairs
   are retried one by one so that only the culprit gets `timeout`/`memory_limit`.

Nothing here uses signals or `eval`; it is safe in threads (Ray actors included).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple

from sandbox.base import KilledBy, Limits, Sandbox
from verifiers.base import Domain, Verifier
from verifiers.math.extract import CJK, COMMITTED_SOURCES, extract_answer, final_answer_of_reference, hedge_parts, one_word_reply
from verifiers.math.numbers import (
    PlainNumber,
    clock_time,
    congruence,
    digits_in_base,
    is_empty_answer,
    normalize,
    numbers_equal,
    plain_number,
    same_time,
    unit_of,
    without_si_unit,
    words_of,
)
from verifiers.math.problem import MathProblem
from verifiers.math.vocab import INEQUALITY, TEXT
from verifiers.schema import Status, Verdict

SYMBOLIC = "verifiers.math.symbolic:compare_batch"
_MAX_HEDGE_VALUES = 4  # more values than this offered at once is a hedge, whatever they are


class Pending(NamedTuple):
    """What the sandbox's symbolic stage decides: `answer` against `reference`, or for a hedge
    (`\\boxed{120}, or $5!$`) each of `pairs`: the sample passes only when every pair is equal."""

    reference: str
    answer: str
    source: str
    pairs: tuple[tuple[str, str], ...] = ()  # what must compare equal; () is (reference, answer)
    hedge: str = ""  # for a hedge, what it hedges between ("hedges between 120, 6!")

_MULTI_VALUED = re.compile(r"\\pm(?![a-zA-Z])|±|\\cup|\bor\b|或|\\text\{\s*or\s*\}|\\\{[^{}]*,")  # `\{1, 2\}`: a set
_THOUSANDS = re.compile(r"\d{1,3}(?:(?:,|\{,\})\d{3})+(?!\d)")
_LETTER = re.compile(r"^\(?([A-Ea-e])\)?$")
_LABELLED = re.compile(r"^\(([A-Ea-e])\)\s+(-?\d[\d.,]*%?|\[[^\[\]]*\])$")  # `(c) 25`, `(a) [0,1]`: never `(a)(a+1)`
_TRUTH = {"true": True, "yes": True, "false": False, "no": False}  # a yes/no question's answer is its truth value
_LETTERS = re.compile(r"[a-zA-Z]")
_COMMANDS = re.compile(r"\\[a-zA-Z]+")


def make_math_sandbox(workers: int | None = None) -> Sandbox:
    """The local sandbox with sympy and Math-Verify preloaded in its fork server."""
    from sandbox.local.backend import NamespaceSandbox

    return NamespaceSandbox(preload=("verifiers.math.symbolic",), workers=workers)


class MathVerifier(Verifier):
    """Judges final answers of `MathProblem`s.

    Args:
        sandbox: runs the symbolic comparisons (default: `make_math_sandbox()`).
        last_number_fallback: take the last number of the text when nothing is boxed
            or announced as the answer.
        per_item_s: deadline for one symbolic comparison.
        batch_size: pairs per sandboxed call.
        memory_mb: memory for one batch.
    """

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        last_number_fallback: bool = True,
        per_item_s: float = 3.0,
        batch_size: int = 32,
        memory_mb: int = 1024,
    ) -> None:
        self._owns_sandbox = sandbox is None
        self.sandbox = sandbox or make_math_sandbox()
        self.last_number_fallback = last_number_fallback
        self.per_item_s = per_item_s
        self.batch_size = batch_size
        self.memory_mb = memory_mb
        self._reference_cache: dict[str, tuple[str, str, PlainNumber | None]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._owns_sandbox:
            self.sandbox.close()

    def cut_short(self, verdict: Verdict) -> Verdict:
        return cut_short(verdict)

    # -- the Verifier contract ---------------------------------------------------------

    def _verify(self, problem: object, completion: str) -> Verdict:
        return next(self._verify_many([(problem, completion)], workers=1))  # `verify` has screened it

    def _verify_many(self, items: list[tuple[object, str]], workers: int) -> Iterator[Verdict]:
        """Fast paths in this thread; what they leave goes to the sandbox in batches, a full
        batch as soon as it fills."""
        started = time.monotonic()
        verdicts: list[Verdict | None] = []
        pending: list[tuple[int, Pending]] = []
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # A full batch goes to the sandbox while the fast paths read on; the rest is
            # shared out so that no worker idles while another judges it all.
            sent: list[tuple[list, Future[list[Verdict]]]] = []
            for index, (problem, completion) in enumerate(items):
                verdict, pair = self._fast(problem, completion)
                verdicts.append(verdict)
                if verdict is None and pair is not None:
                    pending.append((index, pair))
                    if len(pending) == self.batch_size:
                        sent.append((pending, pool.submit(self._symbolic_or_retry, pending)))
                        pending = []
            shares = min(workers, len(pending))
            for batch in (pending[k::shares] for k in range(shares)):
                sent.append((batch, pool.submit(self._symbolic_or_retry, batch)))
            for batch, future in sent:
                for (index, pair), verdict in zip(batch, future.result()):
                    verdicts[index] = verdict.model_copy(update={"extracted": pair.answer, "answer_source": pair.source})
        elapsed = round((time.monotonic() - started) / max(1, len(items)), 4)
        for verdict in verdicts:
            yield verdict.model_copy(update={"duration_s": elapsed})  # type: ignore[union-attr]

    def _symbolic_or_retry(self, batch: list[tuple[int, Pending]]) -> list[Verdict]:
        """Infrastructure failures are retried, then become verifier_error (never the sample's).
        One verdict per sample: a hedge's values are compared one by one, then folded."""
        asked = [pending.pairs or ((pending.reference, pending.answer),) for _, pending in batch]
        pairs = [pair for pending_pairs in asked for pair in pending_pairs]
        error: Exception | None = None
        for _ in range(self.retries + 1):
            try:
                compared = iter(self._symbolic(pairs))
                return [_all_equal(pending, [next(compared) for _ in pending_pairs]) for (_, pending), pending_pairs in zip(batch, asked)]
            except Exception as exc:  # noqa: BLE001 - our failure
                error = exc
        why = f"verifier failed {self.retries + 1} times: {type(error).__name__}: {error}"
        return [Verdict.of(Status.verifier_error, why) for _ in batch]

    # -- stages ------------------------------------------------------------------------

    def _fast(self, problem: object, completion: str) -> tuple[Verdict | None, Pending | None]:
        if not isinstance(problem, MathProblem):
            return Verdict.of(Status.invalid_problem, f"not a math problem: {type(problem).__name__}"), None
        ref_text, ref_norm, ref_number = self._reference(problem)
        return fast_verdict(ref_text, ref_norm, ref_number, completion, self.last_number_fallback, _choices(problem))

    def _reference(self, problem: MathProblem) -> tuple[str, str, PlainNumber | None]:
        key = f"{problem.problem_id}\0{problem.answer}"
        with self._lock:
            cached = self._reference_cache.get(key)
        if cached is None:
            text = final_answer_of_reference(problem.answer)
            cached = (text, normalize(text), plain_number(text))
            with self._lock:
                if len(self._reference_cache) > 100_000:
                    self._reference_cache.clear()
                self._reference_cache[key] = cached
        return cached

    def _symbolic(self, pairs: list[tuple[str, str]]) -> list[Verdict]:
        """Compare in the sandbox; a killed batch is retried pair by pair."""
        # One stuck pair must not burn a whole batch's worth of time: the batch gets one
        # deadline plus a little per pair; a killed batch is bisected.
        cpu = self.per_item_s * 2 + 0.25 * len(pairs) + 1
        limits = Limits(cpu_s=cpu, memory_mb=self.memory_mb, wall_s=cpu * 3 + 5)
        result = self.sandbox.call(SYMBOLIC, [list(p) for p in pairs], self.per_item_s, limits=limits)
        share = round(result.result.cpu_s / len(pairs), 4)  # the batch's CPU, split evenly
        if result.ok and isinstance(result.value, list) and len(result.value) == len(pairs):
            return [_verdict(item).model_copy(update={"cpu_s": share}) for item in result.value]
        if len(pairs) > 1 and result.result.killed_by is not None:
            half = len(pairs) // 2
            return self._symbolic(pairs[:half]) + self._symbolic(pairs[half:])
        if result.result.killed_by is KilledBy.memory:
            return [Verdict.of(Status.memory_limit, "comparison ran out of memory", tests_total=1, cpu_s=share)]
        if result.result.killed_by is not None:
            return [Verdict.of(Status.timeout, f"comparison exceeded {self.per_item_s:g}s", tests_total=1, cpu_s=share)]
        raise RuntimeError(f"symbolic comparison failed: {result.error}")


def _multi_valued(reference: str) -> bool:
    """Does the reference hold several answers (`2, 3`, `\\pm 2`, `x = 1 or x = 2`), so
    that naming several values is not a hedge? `1,000` is one number and `(1, 2)` one
    tuple: only a comma outside every bracket separates answers."""
    if _MULTI_VALUED.search(reference):
        return True
    depth = 0
    for char in _THOUSANDS.sub("0", reference):
        depth += (char in "([{") - (char in ")]}")
        if char == "," and depth <= 0:
            return True
    return False


def fast_verdict(
    reference: str, ref_norm: str, ref_number: PlainNumber | None, completion: str, last_number_fallback: bool = True,
    choices: str = "",
) -> tuple[Verdict | None, Pending | None]:
    """Everything decided in this process, without sympy: extraction, then the fast paths.
    Returns a verdict, or the `Pending` comparisons the sandboxed symbolic stage must decide.
    Pure: no sandbox, no root, safe on hostile text."""
    found = extract_answer(completion, last_number_fallback, choices)
    if found is None:
        return Verdict.of(Status.no_answer, "no final answer found: nothing boxed, stated or concluded"), None
    answer = found.text
    if not _balanced(reference):
        return Verdict.of(Status.invalid_problem, "the reference answer is malformed (unbalanced brackets)"), None

    def done(status: Status, why: str) -> tuple[Verdict, None]:
        return Verdict.of(status, why, extracted=answer, answer_source=found.source, tests_total=1,
                          tests_passed=int(status is Status.passed)), None  # fmt: skip

    answer = _as_compared(answer, reference, ref_number)
    if found.hedged and not _multi_valued(reference):
        parts = hedge_parts(answer)  # '3 or 4': the last value is 4, the alternatives hold 3
        if not _same_values(parts[-1], found.alternatives) and not _conditions(parts, found.alternatives):
            hedge = f"hedges between {', '.join((*found.alternatives, answer))[:200]}"
            offered = (*found.alternatives, *parts)
            values = tuple(dict.fromkeys(offered))  # the last one is the final answer
            if len(values) > _MAX_HEDGE_VALUES or len(offered) > 20:  # (`5 or 5 or …`, 40 times: a hedge by its length)
                return done(Status.fail, hedge)
        else:
            values = ()  # one value written twice (`\frac{639}{40}` and `15\frac{39}{40}`)
        if len(values) > 1:
            # Values that are one value hedge nothing (`\boxed{120}, or $5!$ ways`): each must be
            # the reference's value (by the fast paths or the symbolic stage) and the final one's
            # (by both, where the fast paths decide): the reference's leniencies would let `50\%`
            # and `0.5\%` both match 0.5, `1:20 a.m.` and `p.m.` 1:20, `11` and `11_2` 11
            judged = [_value_verdict(reference, ref_norm, ref_number, value, value, found.source, completion) for value in values]
            wrong = next((v for v in judged if isinstance(v, Verdict) and not v.passed), None)
            if wrong is not None:
                return done(Status.fail, hedge) if wrong.status is Status.fail else done(wrong.status, wrong.reason)
            final = values[-1]
            for value in values[:-1]:  # the fast paths' verdict between the values too, where they have one
                mutual = _value_verdict(final, normalize(final), plain_number(final), value, value, found.source, completion)
                if isinstance(mutual, Verdict) and not mutual.passed:
                    return done(Status.fail, hedge)
            compared = [(reference, value) for value, v in zip(values, judged) if not isinstance(v, Verdict)]
            compared += [(final, value) for value in values[:-1]]
            return None, Pending(reference, answer, found.source, tuple(compared), hedge)
        if len(parts) > 1 and _one_value(parts):
            answer = parts[-1]  # `0.1814 or 18.14%`: one value written twice is that value
    judged_alone = _value_verdict(reference, ref_norm, ref_number, answer, found.text, found.source, completion)
    if isinstance(judged_alone, Verdict):
        return done(judged_alone.status, judged_alone.reason)
    return None, judged_alone


def _as_compared(answer: str, reference: str, ref_number: PlainNumber | None) -> str:
    """The answer as it is compared with this reference: an option's label and its value (`(c)
    25`) as the label against a letter, else the value; a number's SI unit dropped against a
    number or numbers (`8kHz`, `0.17 V`, `[12, 8, 5] mW`)."""
    labelled = _LABELLED.match(answer.strip())
    if labelled and not _LABELLED.match(reference.strip()):
        answer = labelled.group(1) if _LETTER.match(normalize(reference)) else labelled.group(2)
    if ref_number is not None or not _LETTERS.search(_COMMANDS.sub("", reference)):
        answer = without_si_unit(answer)
    return answer


def _value_verdict(
    reference: str, ref_norm: str, ref_number: PlainNumber | None, answer: str, written: str, source: str, completion: str
) -> Verdict | Pending:
    """One answer value against the reference by the fast paths, or what the symbolic stage
    must decide. `written`: the value as the text wrote it (with its unit)."""

    def done(status: Status, why: str) -> Verdict:
        return Verdict.of(status, why)

    ans_norm = normalize(answer)
    if ans_norm == ref_norm:
        return done(Status.passed, "same answer")
    if CJK.search(ans_norm) or CJK.search(ref_norm):
        # words in Chinese, Japanese or Korean: compared as text (`分层抽样`, `\text{增函数}`), never read
        # as mathematics
        same = TEXT.sub(r"\1", ans_norm) == TEXT.sub(r"\1", ref_norm)
        return done(Status.passed if same else Status.fail, "text in Chinese, Japanese or Korean " + ("matches" if same else "differs"))
    ref_letter, ans_letter = (_LETTER.match(TEXT.sub(r"\1", s).strip()) for s in (ref_norm, ans_norm))  # `\text{(C)}`, `\text{b}` too
    if ref_letter and (ans_letter or source == "choice"):
        same = ans_letter is not None and ans_letter.group(1).upper() == ref_letter.group(1).upper()
        return done(Status.passed if same else Status.fail, "choice " + ("matches" if same else "differs"))
    if is_empty_answer(reference) or is_empty_answer(answer):
        same = is_empty_answer(reference) and is_empty_answer(answer)
        if same or plain_number(answer) is not None or ref_number is not None:
            return done(Status.passed if same else Status.fail, "no solution" + (" on both sides" if same else " on one side"))
    ref_words, ans_words = words_of(reference), words_of(answer)
    if ref_words and ans_words and ref_words[0] in _TRUTH and ans_words[0] in _TRUTH:
        same = _TRUTH[ref_words[0]] == _TRUTH[ans_words[0]]  # `true` for `True`, `yes` for `True`: never t*r*u*e
        return done(Status.passed if same else Status.fail, "truth values " + ("match" if same else "differ"))
    one_word = source == "whole" and one_word_reply(completion)  # a reply of one word: `white`, `IV`; not `$yx$`
    if ref_words and ans_words and (ref_words[1] or ans_words[1] or one_word) and max(len(ref_words[0]), len(ans_words[0])) > 1:
        # `\text{ellipse}` against `ellipse`, `IV` against `VI`: words, not a product of the letters
        same = ref_words[0] == ans_words[0] and (_case_free(ref_words[0]) or _bare_word(reference) == _bare_word(answer))
        return done(Status.passed if same else Status.fail, "words " + ("match" if same else "differ"))
    if one_word and not ref_words and not _LETTERS.search(_COMMANDS.sub("", reference)):
        return done(Status.fail, "a word against a reference without letters")  # `II` is not -1, `IV` not 4
    ref_clock, ans_clock = clock_time(reference), clock_time(answer)
    ref_clock = ref_clock or (clock_time(reference, bare_seconds=True) if ans_clock else None)
    ans_clock = ans_clock or (clock_time(answer, bare_seconds=True) if ref_clock else None)
    if ref_clock is not None and ans_clock is not None:
        same = same_time(ref_clock, ans_clock)
        return done(Status.passed if same else Status.fail, "times of day " + ("equal" if same else "differ"))
    ref_digits, ans_digits = digits_in_base(ref_norm), digits_in_base(ans_norm)  # normalized once, above
    if ref_digits and ans_digits and (ref_digits[1] or ans_digits[1]) and ref_digits[1] != 10 and ans_digits[1] != 10:
        # a numeral in a base: the same digits, and the same base where both name one
        bases_agree = None in (ref_digits[1], ans_digits[1]) or ref_digits[1] == ans_digits[1]
        same = ref_digits[0] == ans_digits[0] and bases_agree
        return done(Status.passed if same else Status.fail, "numerals in a base " + ("agree" if same else "differ"))
    ans_number = plain_number(answer, decimal_comma=ref_number is not None)
    ref_congruence, ans_congruence = congruence(reference), congruence(answer)
    if ref_congruence or ans_congruence:
        same = _same_residue(ref_congruence, ans_congruence, ref_number, ans_number)
        if same is not None:
            return done(Status.passed if same else Status.fail, "congruences " + ("agree" if same else "differ"))
    if ref_number is None and ans_number is not None:
        ref_number = plain_number(reference, decimal_comma=True)
    ref_unit, ans_unit = unit_of(reference), unit_of(written)
    if ref_unit and ans_unit:  # `5 m` against `5 cm` or `5 meters`: the units first, then the numbers
        ref_number, ans_number = plain_number(ref_unit[0], decimal_comma=True), plain_number(ans_unit[0], decimal_comma=True)
        if ref_unit[1] != ans_unit[1] or ref_number is None or ans_number is None:
            return done(Status.fail, f"values in different units ({ref_unit[1]}, {ans_unit[1]})")
    if ans_number is not None and ref_number is not None:
        same = numbers_equal(ref_number, ans_number)
        return done(Status.passed if same else Status.fail, "numbers " + ("equal" if same else "differ"))
    return Pending(reference, answer, source)




def _case_free(word: str) -> bool:
    """A word whose case does not matter (`White`, `ellipse`): three letters or more, with a vowel.
    `Mg` against `mg`, `IV` against `iv`: symbols, whose case does."""
    return len(word) >= 3 and any(vowel in word for vowel in "aeiou")


def _bare_word(text: str) -> str:
    return TEXT.sub(r"\1", normalize(text)).strip()


def cut_short(verdict: Verdict) -> Verdict:
    """The verdict of a completion cut by max_tokens (finish_reason "length"): only an
    answer committed before the cut (a closed box, a final-answer statement) counts. The
    last math or number of a text that was still going is not its answer: `no_answer`."""
    if verdict.answer_source is None or verdict.answer_source in COMMITTED_SOURCES:
        return verdict
    why = f"cut off at max_tokens before a committed answer ({verdict.answer_source} {str(verdict.extracted)[:80]!r} not counted)"
    return verdict.model_copy(update={"status": Status.no_answer, "passed": False, "tests_passed": 0, "reason": why})


def _same_residue(ref: tuple[int, int] | None, ans: tuple[int, int] | None, ref_number: PlainNumber | None,
                  ans_number: PlainNumber | None) -> bool | None:
    """Two congruences agree when their moduli are one and their residues congruent; a
    congruence and a whole number when the number is its residue as written (`3` for
    `x \\equiv 3 \\pmod 7`). None when that is not the question."""
    if ref and ans:
        return ref[1] == ans[1] and (ref[0] - ans[0]) % ref[1] == 0
    number = ans_number if ref else ref_number
    if number is None or not number.exact or number.value.denominator != 1:
        return None
    return (ref or ans)[0] == number.value  # type: ignore[index]


def _one_value(parts: list[str]) -> bool:
    """Every part the same value exactly, a percentage as its hundredth (`0.1814 or 18.14%`; never
    `5 or 5%`, which `numbers_equal` lets match a reference of either)."""
    numbers = [plain_number(part) for part in parts]
    if any(n is None for n in numbers):
        return len({normalize(part) for part in parts}) == 1
    values = {n.value / 100 if n.percent else n.value for n in numbers}  # type: ignore[union-attr]
    return len(values) == 1


def _same_values(answer: str, alternatives: tuple[str, ...]) -> bool:
    """`\\boxed{15\\frac{39}{40}}` or `\\boxed{\\frac{639}{40}}`, `x = 2 \\text{ or } x = 2`: one value
    written twice is no hedge. `answer` is the last value."""
    if len(alternatives) > 20:
        return False  # a hedge by its length, whatever it repeats: not worth a comparison
    if all(normalize(a) == normalize(answer) for a in alternatives):
        return True
    value = plain_number(answer)
    others = [plain_number(a) for a in alternatives]
    return value is not None and all(o is not None and numbers_equal(value, o) for o in others)


_EQUALS = re.compile(r"(?<![<>!=])=(?!=)")  # an equation, not `<=`


_LETTER_NAME = re.compile(r"(?<![\\a-zA-Z])[a-zA-Z](?![a-zA-Z])")  # `x`, never a letter of `\\frac` or a word


def _conditions(parts: list[str], alternatives: tuple[str, ...]) -> bool:
    """`x<-1 \\text{ or } x>1`: inequalities on one variable joined by "or" in one answer
    describe one set (the symbolic stage reads their union), they do not hedge between
    values. Never for other boxes (`\\boxed{a>b}` or `\\boxed{a<b}`) or several variables.
    `parts` are the answer's own "or" parts."""
    if not 2 <= len(parts) <= 20 or {normalize(a) for a in alternatives} - {normalize(p) for p in parts[:-1]}:
        return False
    names = [set(_LETTER_NAME.findall(part)) for part in parts]
    return (all(INEQUALITY.search(part) and not _EQUALS.search(part) for part in parts)
            and len(names[0]) == 1 and all(n == names[0] for n in names))  # fmt: skip


def _choices(problem: MathProblem) -> str:
    return str(problem.metadata.get("choices", "")) if problem.metadata else ""


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text.replace("\\{", "").replace("\\}", ""):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _all_equal(pending: Pending, compared: list[Verdict]) -> Verdict:
    """A sample's verdict from its comparisons: the one comparison's, or for a hedge a pass
    only when every comparison is equal, else a fail (our own failure stays verifier_error)."""
    if not pending.hedge:
        return compared[0]
    if all(verdict.passed for verdict in compared):
        offers = pending.hedge.replace("hedges between", "offers", 1)
        return compared[0].model_copy(update={"reason": f"{offers}: one value, the reference's"[:500], "cpu_s": sum(v.cpu_s for v in compared)})
    worst = next(v for v in compared if not v.passed)
    if worst.status is Status.verifier_error:
        return worst
    return Verdict.of(Status.fail, f"{pending.hedge}: {worst.reason}"[:500], tests_total=1, cpu_s=sum(v.cpu_s for v in compared))


def _verdict(item: object) -> Verdict:
    if not isinstance(item, dict):
        return Verdict.of(Status.verifier_error, "malformed comparison result")
    outcome, why = item.get("outcome"), str(item.get("why", ""))[:500]
    status = {
        "equal": Status.passed,
        "unequal": Status.fail,
        "bad_reference": Status.invalid_problem,
        "timeout": Status.timeout,
        "memory": Status.memory_limit,
    }.get(outcome, Status.verifier_error)
    return Verdict.of(status, why or str(outcome), tests_total=1, tests_passed=int(status is Status.passed))


DOMAIN = Domain(
    name="math",
    problem=MathProblem,
    verifier=lambda sandbox, **_options: MathVerifier(sandbox),
    sandbox_preload=("verifiers.math.symbolic",),
)
