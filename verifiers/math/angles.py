"""Angles in degrees, before latex2sympy reads a text (in the sandbox, from `symbolic`).

latex2sympy drops a degree mark, so `90^\\circ` is 90 (Assay's rule for a plain angle
too: `90^\\circ` matches 90). Inside a trigonometric function that made `\\sin 30^\\circ`
sin of 30 *radians*: equal to `\\sin 30` and not to 1/2. Here an angle in degrees that is
a sine's, cosine's, ... argument becomes radians, and degrees-minutes-seconds
(`30^\\circ 15'`, read as 30 + 15) become one number of degrees; a trigonometric name in
an upright font (`\\operatorname{sin}`, unread by latex2sympy) becomes the command.
Everything else is left as written. Pure `re`, no other imports: the sandbox image ships
this module.
"""

from __future__ import annotations

import re

from verifiers.math.vocab import DEGREE, TRIG_NAMES

# Functions of an angle (never their inverses, whose argument is a number).
_TRIG = re.compile(rf"\\{TRIG_NAMES}(?![a-zA-Z])")
# ... and every trigonometric name spelled in an upright font, which latex2sympy cannot read
_UPRIGHT_TRIG = re.compile(rf"\\(?:operatorname|mathrm|text|rm)\s*\{{\s*((?:arc)?{TRIG_NAMES}h?)\s*\}}")
# Atomic, and never from inside a number: a hostile run of digits stays linear to scan.
_NUMBER = r"(?<![\d.])(?>\d*\.?\d+)"
# An angle written alone: a number, a letter or a Greek letter, then the degree mark.
_ANGLE = re.compile(rf"(?P<value>{_NUMBER}|(?<![\\a-zA-Z])[a-zA-Z]|\\(?:alpha|beta|gamma|theta|phi|varphi|psi|omega)(?![a-zA-Z]))"
                    rf"\s*(?:{DEGREE.pattern})")
_BARE_ARGUMENT = re.compile(rf"[-+]?\s*{_ANGLE.pattern}")
_GROUP_END = re.compile(rf"\s*(?:{DEGREE.pattern})")  # `(a+b)^\circ`
_PRIME = r"(?:'|\\prime(?![a-zA-Z])|\^\s*\{?\s*\\prime\s*\}?)"
_DOUBLE_PRIME = r"(?:''|\"|\\prime\s*\\prime(?![a-zA-Z])|\^\s*\{?\s*\\prime\s*\\prime\s*\}?)"
_MINUTES = re.compile(rf"(?P<d>(?<![\d.])\d++)\s*(?:{DEGREE.pattern})\s*(?P<m>{_NUMBER})\s*{_PRIME}(?!')"
                      rf"(?:\s*(?P<s>{_NUMBER})\s*{_DOUBLE_PRIME})?")
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def in_radians(text: str) -> str:
    """`text` with every trigonometric function's angle in degrees written in radians."""
    if "\\" not in text and "°" not in text:
        return text
    text = _UPRIGHT_TRIG.sub(r"\\\1 ", text)
    text = _MINUTES.sub(_as_degrees, text)
    if not _TRIG.search(text):
        return text
    closing = _closing_brackets(text)
    edits: list[tuple[int, int, str]] = []
    converted_to = 0  # a function inside an argument already converted (`\sin(\cos 30^\circ)`) adds nothing
    for trig in _TRIG.finditer(text):
        if trig.start() >= converted_to:
            found, converted_to = _argument_edits(text, trig.end(), closing)
            edits.extend(found)
    out, last = [], 0
    for start, end, new in sorted(set(edits)):
        if start < last:  # nested (`\sin(\cos 30^\circ)`): the first edit holds it
            continue
        out.append(text[last:start] + new)
        last = end
    return "".join(out) + text[last:]


def _as_degrees(match: re.Match[str]) -> str:
    seconds = f"+\\frac{{{match.group('s')}}}{{3600}}" if match.group("s") else ""
    return f"({match.group('d')}+\\frac{{{match.group('m')}}}{{60}}{seconds})^{{\\circ}}"


def _radians_of(value: str) -> str:
    return f"(\\frac{{{value}\\pi}}{{180}})"


def _argument_edits(text: str, at: int, closing: dict[int, int]) -> tuple[list[tuple[int, int, str]], int]:
    """Edits that turn the angles of the argument starting at `at` into radians (a
    bracketed argument's angles, or a bare one: `\\sin 30^\\circ`, `\\sin^2 x^\\circ`), and
    where that argument ends."""
    at = _skip_power(text, _skip_space(text, at), closing)
    if text.startswith("\\left", at):
        at = _skip_space(text, at + len("\\left"))
    if at in closing:
        end = closing[at]
        mark = _GROUP_END.match(text, end)
        if mark:  # the whole group is in degrees: `\sin(a+b)^\circ`
            return [(at, mark.end(), _radians_of(text[at:end]))], mark.end()
        return [(m.start(), m.end(), _radians_of(m.group("value"))) for m in _ANGLE.finditer(text, at, end)], end
    bare = _BARE_ARGUMENT.match(text, at)
    if not bare:
        return [], at
    angle = _ANGLE.search(text, at, bare.end())
    assert angle is not None
    return [(angle.start(), angle.end(), _radians_of(angle.group("value")))], bare.end()


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\n~":
        at += 1
    return at


def _skip_power(text: str, at: int, closing: dict[int, int]) -> int:
    """Past `^2`, `^{2}`, `^{-1}` after a function's name."""
    if not text.startswith("^", at):
        return at
    at = _skip_space(text, at + 1)
    if at in closing and text[at] == "{":
        return _skip_space(text, closing[at])
    return _skip_space(text, at + 1)


def _closing_brackets(text: str) -> dict[int, int]:
    """For each opening bracket, the index just past the one that closes it (each kind
    counted on its own), in one pass."""
    pairs: dict[int, int] = {}
    open_at: dict[str, list[int]] = {opening: [] for opening in _CLOSE}
    closes = {closing: opening for opening, closing in _CLOSE.items()}
    for index, char in enumerate(text):
        if char in open_at:
            open_at[char].append(index)
        elif char in closes and open_at[closes[char]]:
            pairs[open_at[closes[char]].pop()] = index + 1
    return pairs
