"""From a full solution text to the final answer it commits to (no evaluation, no sympy).

Order of evidence: the last `\\boxed{...}` / `\\fbox{...}` (balanced braces), then a
"final answer is ..." / "Answer: ..." line, then, if allowed, the last number in the
text. A multiple-choice letter is recognised when the problem has choices. An answer
that hedges between values ("3 or 4", two different boxed values) is reported as such
so that the verifier can refuse it when the reference is a single value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_FINAL = re.compile(
    r"(?:final\s+answer\s*(?:is|:)|the\s+answer\s+is|answer\s*:|ans\s*:)\s*(?P<ans>.+?)\s*(?:$|\n)", re.I
)
_NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:/\d+)?%?|(?<![\w.])-?\.\d+")
_HEDGE = re.compile(r"\s(?:or|and/or)\s", re.I)
_CHOICE = re.compile(r"^\(?([A-Ea-e])\)?(?:[.):]|\s|$)")


@dataclass(frozen=True)
class ExtractedAnswer:
    text: str  # the answer as written (LaTeX or plain)
    how: str  # boxed | final-line | last-number | choice
    alternatives: tuple[str, ...] = ()  # other values the text also committed to (a hedge)

    @property
    def hedged(self) -> bool:
        return bool(self.alternatives)


def extract_answer(text: str, last_number_fallback: bool = True, choices: str = "") -> ExtractedAnswer | None:
    """Find the final answer in `text`.

    Args:
        text: the model's full solution.
        last_number_fallback: when nothing is boxed or announced, take the last number.
        choices: letters of a multiple-choice problem (e.g. "ABCD"); enables letter answers.
    """
    text = text.replace("\0", "")
    boxed = _boxed_contents(text)
    if boxed:
        distinct = list(dict.fromkeys(b.strip() for b in boxed if b.strip()))
        if distinct:
            last = distinct[-1]
            others = tuple(b for b in distinct[:-1] if _norm(b) != _norm(last))
            return _with_choice(ExtractedAnswer(last, "boxed", others + _hedges(last)), choices)
    finals = [m.group("ans") for m in _FINAL.finditer(text)]
    if finals:
        answer = _strip_wrappers(finals[-1])
        if answer:
            return _with_choice(ExtractedAnswer(answer, "final-line", _hedges(answer)), choices)
    if choices:
        letters = re.findall(rf"\(([{choices}])\)|\b([{choices}])\)", text)
        picked = [a or b for a, b in letters]
        if picked:
            return ExtractedAnswer(picked[-1].upper(), "choice")
    if last_number_fallback:
        numbers = _NUMBER.findall(text)
        if numbers:
            return ExtractedAnswer(numbers[-1].rstrip("."), "last-number")
    return None


def _boxed_contents(text: str) -> list[str]:
    out = []
    for match in _BOXED.finditer(text):
        depth, start = 1, match.end()
        for i in range(start, min(len(text), start + 10_000)):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    out.append(text[start:i])
                    break
    return out


def _strip_wrappers(answer: str) -> str:
    answer = answer.strip().rstrip(".").strip()
    for left, right in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"), ("**", "**")):
        if answer.startswith(left) and answer.endswith(right) and len(answer) > len(left) + len(right):
            answer = answer[len(left) : -len(right)].strip()
    return answer.rstrip(".").strip()


def _hedges(answer: str) -> tuple[str, ...]:
    """'3 or 4' -> ('3',): the answer commits to more than one value."""
    parts = [p.strip() for p in _HEDGE.split(answer) if p.strip()]
    return tuple(parts[:-1]) if len(parts) > 1 else ()


def _with_choice(answer: ExtractedAnswer, choices: str) -> ExtractedAnswer:
    if choices:
        m = _CHOICE.match(_strip_wrappers(answer.text).replace("\\text{", "").replace("}", ""))
        if m and m.group(1).upper() in choices.upper():
            return ExtractedAnswer(m.group(1).upper(), "choice", answer.alternatives)
    return answer


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)
