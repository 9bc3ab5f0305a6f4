"""Fast paths that need no sympy: plain numbers and canonical strings, parsed by hand.

Everything here is pure string work on untrusted text: no eval, no sympy, bounded
sizes. When both answers are plain numbers the verdict is decided here; otherwise the
symbolic path (in the sandbox) decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from verifiers.math.vocab import CONNECTIVES, DEGREE, DENIALS, DOUBTS, LIST_ELLIPSIS, PLUS_MINUS, TEXT, WORD_COMMANDS

_MAX_DIGITS = 400  # longer numerals go to the symbolic path, never to int() on a megabyte

_WRAPPERS = re.compile(r"^\$+|(?<!\$)\$+$|^\\\(|\\\)$|^\\\[|\\\]$")
_SPACING = re.compile(r"\\[,;:!]|\\q?quad|~|\\ ")
# Two-letter units are listed (a bare letter pair may be a product of variables).
# Units are text: never a function name (`2\operatorname{Tr}`) or a bold symbol
_UNIT_TAIL = re.compile(rf"^(?P<num>[-+]?[\d.,]*\d)(?P<unit>{WORD_COMMANDS}\{{[^{{}}]*\}}"
                        r"|(?:[a-zA-Z]{3,}|cm|mm|km|kg|mg|ml|mL|ft|yd|mi|oz|lb|hr)(?:[/^][a-zA-Z0-9{}]+)?"
                        r"|[mgsKNJWVL]/(?:s|h|min|mol|kg|g|m|cm|km|L|mL|K|W|J|N|C|A|V|Pa|day|yr)(?:\^\{?-?\d\}?)?)$")
# Unit abbreviations without vowels, written against the number (`60mph`): not products.
_ABBREVIATIONS = {"mph", "kph", "kmh", "hrs", "hr", "lbs", "yrs", "pcs", "sqft", "kgs", "mins", "secs", "pts", "qts",
                  "gms", "cts", "ft", "yd", "mi", "oz", "lb"}
_ONE_LETTER_UNITS = {"m", "g", "s", "h", "d", "l", "L", "t", "K", "N", "J", "W", "V"}  # never i, e, x, n
# Words after a number that are mathematics, not units: "2pi" is not 2 of anything.
_MATH_WORDS = {"pi", "sqrt", "log", "ln", "sin", "cos", "tan", "cot", "sec", "csc", "exp", "arcsin", "arccos",
               "arctan", "sinh", "cosh", "tanh", "inf", "infty", "infinity", "frac", "cdot", "times", "mod"}
_INT = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+|[-+]?\d+")
_DEC = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d*)\.\d+|[-+]?\d+\.")
_SCI = re.compile(r"(?P<m>[-+]?\d*\.?\d+)\s*(?:[eE]|\\times\s*10\^|\\cdot\s*10\^|\*\s*10\s*\^|×\s*10\^|x\s*10\^)\s*\{?(?P<e>[-+]?\d+)\}?")
_FRAC = re.compile(r"(?P<sign>-?)\\[dt]?frac\s*\{\s*(?P<n>[-+]?\d+)\s*\}\s*\{\s*(?P<d>[-+]?\d+)\s*\}")
_FRAC_UNBRACED = re.compile(r"(?P<sign>-?)\\[dt]?frac\s*(?P<n>\d)(?P<d>\d)")  # \frac34: TeX reads one digit each
_THOUSANDS_SPACE = re.compile(r"(?<![\d.])\d{1,3}(?: \d{3})+(?![\d.])")
_MIXED = re.compile(r"(?P<sign>-?)(?P<w>\d+)\s*\\[dt]?frac\s*\{\s*(?P<n>\d+)\s*\}\s*\{\s*(?P<d>\d+)\s*\}")
# A decimal comma: "1,22", "1000,99", "0,111". Never "1,000" (thousands) and never a list.
_DECIMAL_COMMA = re.compile(r"[-+]?(?:0|[1-9]\d*),(?:\d{1,2}|\d{4,})|[-+]?0,\d+")
_SLASH = re.compile(r"(?P<n>[-+]?\d+)\s*/\s*(?P<d>[-+]?\d+)")
_MIXED_SLASH = re.compile(r"(?P<sign>-?)(?P<w>\d+) (?P<n>\d+)/(?P<d>\d+)")  # "2 1/2": two and a half
# 0.1\overline{6} = 1/6: a repeating decimal is an exact value.
_REPEATING = re.compile(r"(?P<sign>[-+]?)(?P<i>\d*)\.(?P<f>\d*)\\overline\{(?P<r>\d+)\}")
# Words after a number that scale it or raise it to a power ("10 thousand", "10k", "10
# squared"): never units that can be dropped.
# `12^{\mathrm{th}}`, `3^{rd}`, `1^\text{st}`: an ordinal's suffix after a number (never an
# index's, `x_2^{nd}`), not a power; its letters together (`2^{n d}` and `2^s t` are powers)
_ORDINAL_SUFFIX = re.compile(
    r"(?<![\w{])(\d+)\^(?:\{(?:st|nd|rd|th)\}|\{\\(?:text|mathrm|textrm)\{(?:st|nd|rd|th)\}\}"
    r"|\\(?:text|mathrm|textrm)\{(?:st|nd|rd|th)\}|(?:st|nd|rd|th)(?![a-zA-Z]))")
# An answer of words alone (`\text{ellipse}`, `Navin`): letters, in text commands or bare
_WORD_TEXT = re.compile(r"\\(?:text|textrm|textbf|textit|textup|mbox)\s*\{([^{}]*)\}")
_LETTERS = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_MAGNITUDES = {"hundred": 100, "hundreds": 100, "dozen": 12, "dozens": 12, "lakh": 10**5, "lakhs": 10**5, "crore": 10**7,
               "crores": 10**7, "thousand": 10**3, "thousands": 10**3, "k": 10**3, "million": 10**6, "millions": 10**6, "mn": 10**6,
               "billion": 10**9, "billions": 10**9, "bn": 10**9, "trillion": 10**12, "trillions": 10**12}
_POWERS = {"squared": 2, "cubed": 3}
_EMPTY = {"\\emptyset", "\\varnothing", "∅", "{}", "\\{\\}", "nosolution", "nosolutions", "none", "norealsolutions",
          "therearenosolutions", "nosuchvalue"}


@dataclass(frozen=True)
class PlainNumber:
    value: Fraction
    exact: bool  # False for decimals and scientific notation (compared with a tolerance)
    percent: bool = False


def normalize(answer: str) -> str:
    """A canonical spelling for exact-match comparison (never changes the meaning)."""
    s = answer.strip()
    s = _ORDINAL_SUFFIX.sub(r"\1", _WRAPPERS.sub("", s).strip())
    s = s.replace("\\left", "").replace("\\right", "").replace("\\displaystyle", "")
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    s = _SPACING.sub(" ", s)  # a space, not nothing: `2\,5` is not 25, `2,\ 5` is a list, `10\,000` is 10000
    s = _THOUSANDS_SPACE.sub(lambda m: m.group(0).replace(" ", ""), s)  # "1 000 000": one number
    s = re.sub(r"(?<=\d)\s+(?=\d)", "\ue000", s)  # "1 2" stays two numbers, never 12
    s = re.sub(r"(?<=\d),\s+(?=\d)", ",\ue000", s)  # "32, 349" is a list, never 32349
    s = re.sub(r"\s+", "", s).replace("\ue000", " ")
    s = _LIST_ELLIPSIS.sub(r",\\ldots", s)  # `1, 2, 3, ...`, `\dots`, `\cdots`, `…`: one open sequence
    s = s.rstrip(".")
    s = s.replace("{,}", ",")
    return s


_LIST_ELLIPSIS = re.compile(rf"{LIST_ELLIPSIS}$")


def words_of(answer: str) -> tuple[str, bool] | None:
    """An answer that is words and nothing else, lower-cased, and whether it said so with a
    text command (`\\text{Navin}` -> ("navin", True), `ellipse` -> ("ellipse", False)); None
    for anything with a digit, a symbol or a command other than those."""
    s = normalize(answer)
    wrapped = _WORD_TEXT.fullmatch(s)
    s = wrapped.group(1) if wrapped else s
    if not _LETTERS.fullmatch(s):
        return None
    return s.lower(), wrapped is not None


def is_empty_answer(answer: str) -> bool:
    """'no solution', the empty set and their spellings."""
    s = TEXT.sub(r"\1", normalize(answer)).lower().replace(" ", "")
    return s in _EMPTY


# A unit symbol of the SI or of data (`kHz`, `V`, `mW`, `MiB`, `V/K`, `m/s^2`, `\text{ kg}`), after a
# number or a closing bracket. Dropped only where the reference holds no letters: against a
# number, `8kHz` is 8 of something, never 8*k*H*z.
_SI = (r"(?>(?:[yzafpnµμumcdhkMGTPE]|da)?(?:Hz|V|W|J|N|A|Pa|eV|Wb|Ω|ohms?|K|C|F|H|T|S|mol|g|m|s|L|l|B|bits?|bytes?|bps|Bps"
       r"|cal|atm|bar|min|hr|h|rad|Da)|KB|[KMGT]iB)(?:\^\{?-?\d\}?)?")  # atomic: `MB` read one way only (2^k ways took minutes)
_SI_TAIL = re.compile(rf"(?<=[\d\])}}])\s*(?:{WORD_COMMANDS}\{{\s*)?{_SI}(?:\s*[/·*]\s*(?:\({_SI}\)|{_SI}))*\s*\}}?\.?$")


# After `\pi` only a length or an angle unit, set apart (`2\pi cm`, `4\pi cm^2`, `2\pi rad`): `2\pi h`,
# `\pi m`, `2\pi mg` and `\pi kT` are as often products of variables
_PI_UNIT = re.compile(r"(?<=\\pi)\s+(?:[cmk]m|rad)(?:\^\{?[23]\}?)?\.?$")


def without_si_unit(answer: str) -> str:
    """`answer` without a trailing SI or data unit symbol (`8kHz` -> `8`, `[12, 8, 5] mW` -> `[12, 8, 5]`,
    `1.28 x 10^-6 V/K` -> `1.28 x 10^-6`); unchanged when it has none. Short answers only."""
    if len(answer) > 300:
        return answer
    if pi_unit := _PI_UNIT.search(answer.rstrip()):
        return answer.rstrip()[: pi_unit.start()].rstrip()
    tail = _SI_TAIL.search(answer.rstrip())
    if tail is None or tail.group().count("}") > tail.group().count("{"):  # `\\frac{1}{2}`: mathematics' brace
        return answer
    if re.fullmatch(rf"(?:{WORD_COMMANDS}\{{)?K\}}?\.?", tail.group()):  # `5K`, `5\\text{K}`: thousands; `5 K` is kelvin
        return answer
    if re.fullmatch(rf"(?:{WORD_COMMANDS}\{{)?[a-zA-Z]\}}?\.?", tail.group()):
        return answer  # one letter against the number (`2m`, `4N`): as often a variable as a unit; `0.17 V` is a unit
    return answer.rstrip()[: tail.start()].rstrip()


def unit_of(answer: str) -> tuple[str, str] | None:
    """A number written with a unit (`5 cm`, `5\\text{ meters}`, `2 hours`) as (the number, the
    unit by one name for its spellings: `m`, `meter`, `metres` are `m`); None for anything else and
    for a word that is no unit of the table (`5 apples`). Two values in different units are
    different answers (`5 m` against `5 cm` passed until 2026-12-06: both were 5); Assay converts none."""
    if len(answer) > 100:
        return None
    written = _NUMBER_AND_UNIT.fullmatch(answer.strip())
    if written is None:
        return None
    parts = [_UNIT_NAMES.get(part.lower()) for part in written.group("unit").split("/")]  # `m/s`, `km/h`
    return (written.group("number"), "/".join(parts)) if all(parts) else None  # type: ignore[arg-type]


_NUMBER_AND_UNIT = re.compile(rf"\$?(?P<number>[-+]?\d[\d.,]*(?:/\d+)?)\s*(?:\\[ ,;:!]|~|\s)*(?:{WORD_COMMANDS}\s*\{{[\s~]*)?"
                              r"(?P<unit>[A-Za-z]{1,12}(?:/[A-Za-z]{1,12})?)\s*\}?\s*\.?\$?")
_UNIT_NAMES = {spelling: name for name, spellings in {
    "mm": "mm millimeter millimeters millimetre millimetres", "cm": "cm centimeter centimeters centimetre centimetres",
    "m": "m meter meters metre metres", "km": "km kilometer kilometers kilometre kilometres",
    "in": "inch inches", "ft": "ft foot feet", "yd": "yd yard yards", "mi": "mi mile miles",
    "ms": "ms millisecond milliseconds", "s": "s sec secs second seconds", "min": "min mins minute minutes",
    "h": "h hr hrs hour hours", "day": "day days", "week": "week weeks", "month": "month months",
    "year": "yr yrs year years", "mg": "mg milligram milligrams", "g": "g gram grams", "kg": "kg kilogram kilograms",
    "t": "tonne tonnes", "lb": "lb lbs pound pounds", "oz": "oz ounce ounces", "ml": "ml milliliter milliliters millilitre millilitres",
    "l": "l liter liters litre litres", "dollar": "dollar dollars", "cent": "cent cents",
}.items() for spelling in spellings.split()}  # fmt: skip


def _is_unit(tail: str, answer: str) -> bool:
    """Is the tail after a number a unit or a word (dropped), not mathematics? `\\text{i}`,
    `\\mathrm{e}` and `\\text{x}` are a number and a symbol, and so is `6abc`: a bare word
    is a unit only when the answer sets it apart (`5 apples`), or when it reads as a word
    (four letters or more with a vowel: `5apples`)."""
    wrapped = TEXT.match(tail)
    if wrapped and tail[wrapped.end() :][:1] in ("", "^"):
        word = wrapped.group(1).strip()
        if any(_ALTERNATIVE.search(text) for text in TEXT.findall(answer)):  # `5\text{ (or 7)}`: no unit
            return False
        if "?" in word or {w.lower() for w in re.findall(r"[A-Za-z]+", word)} & {*DENIALS, *DOUBTS}:
            return False  # `5\text{ (wrong)}`, `5\text{ (maybe)}`: a remark on the value, not its unit
        return ("\\" not in word and (len(word) > 1 or word in _ONE_LETTER_UNITS or word.lower() in _MAGNITUDES)
                and word.lower() not in _MATH_WORDS)  # fmt: skip
    word = tail.split("/")[0].split("^")[0]
    if word.lower() in _MATH_WORDS:
        return False
    apart = re.search(r"\d(?:\s|~|\\[ ,;:])+" + re.escape(word[0]), answer) is not None
    return len(word) == 2 or apart or word.lower() in _ABBREVIATIONS or (len(word) >= 4 and any(v in word.lower() for v in "aeiou"))


_PERCENT_WORD = re.compile(r"(?<=[\d}])(?:\\text\{)?(?:percent(?:age)?|percent|pct)\.?\}?$", re.I)


def plain_number(answer: str, decimal_comma: bool = False) -> PlainNumber | None:
    """Parse integers (with thousands separators or leading zeros), decimals, fractions,
    mixed numbers, percentages, scientific notation and degrees; None for anything else.

    Commas: `1,000` and `1 000` are thousands. With `decimal_comma` (the other side is a
    single number, so a list is not meant) a comma that cannot be a thousands separator
    is a decimal point: `1,22`, `1000,99`, and `0,111` (a leading zero never starts a
    thousands group). Without it those are left to the symbolic path, which reads a list.
    """
    s = normalize(answer)
    if len(s) > _MAX_DIGITS or PLUS_MINUS.search(s):
        return None
    s = DEGREE.sub("", s)
    s = _PERCENT_WORD.sub("%", s)  # `28 percent`, `4 4/9 pct`: as `28%` (was 28)
    scale, power = 1, 1
    unit = _UNIT_TAIL.match(s)
    if unit and _is_unit(unit.group("unit"), answer):
        word = TEXT.sub(r"\1", unit.group("unit")).strip()
        scale = _MAGNITUDES.get(word.lower(), 1)  # `10\text{ million}` is 10^7
        if word == "K" and re.search(r"\d(?:\s|\\[ ,;:]|~|\\text\{\s)+K", answer):
            scale = 1  # `300\text{ K}`, `300 K`: kelvin; `5K`, `5\text{K}`: thousands
        power = _POWERS.get(word.lower(), 1)
        s = unit.group("num")  # "12\text{ cm}", "5apples": units and words, not mathematics
    percent = s.endswith("\\%") or s.endswith("%")
    if percent:
        s = s[:-2] if s.endswith("\\%") else s[:-1]
    s = s.strip("{}") if s.startswith("{") and s.endswith("}") and s.count("{") == 1 else s
    number = _number(s, decimal_comma, percent)
    if number is None or (scale == 1 and power == 1):
        return number
    return PlainNumber(number.value**power * scale, number.exact, percent)


def _number(s: str, decimal_comma: bool, percent: bool) -> PlainNumber | None:
    if decimal_comma and _DECIMAL_COMMA.fullmatch(s):
        return PlainNumber(Fraction(s.replace(",", ".")), False, percent)
    if _INT.fullmatch(s) and not re.match(r"[-+]?0,", s):
        return PlainNumber(Fraction(int(s.replace(",", ""))), True, percent)
    if _DEC.fullmatch(s):
        return PlainNumber(Fraction(s.replace(",", "")), False, percent)
    m = _SCI.fullmatch(s)
    if m and abs(int(m.group("e"))) <= 300:
        return PlainNumber(Fraction(m.group("m")) * Fraction(10) ** int(m.group("e")), False, percent)
    m = _REPEATING.fullmatch(s)
    if m and len(m.group("r")) <= 50:
        fixed, repeat = m.group("f"), m.group("r")
        value = int(m.group("i") or 0) + Fraction(int(fixed or 0), 10 ** len(fixed))
        value += Fraction(int(repeat), (10 ** len(repeat) - 1) * 10 ** len(fixed))
        return PlainNumber(-value if m.group("sign") == "-" else value, True, percent)
    m = _MIXED.fullmatch(s) or _MIXED_SLASH.fullmatch(s)
    if m and int(m.group("d")) != 0 and int(m.group("n")) < int(m.group("d")):  # 15\frac{39}{40}, 2 1/2: mixed numbers
        value = int(m.group("w")) + Fraction(int(m.group("n")), int(m.group("d")))
        return PlainNumber(-value if m.group("sign") else value, True, percent)
    m = _FRAC.fullmatch(s) or _FRAC_UNBRACED.fullmatch(s) or _SLASH.fullmatch(s)
    if m and int(m.group("d")) != 0:  # \frac{3}{4}, \frac34, 3/4
        value = Fraction(int(m.group("n")), int(m.group("d")))
        return PlainNumber(-value if m.groupdict().get("sign") else value, True, percent)
    return None


def numbers_equal(reference: PlainNumber, candidate: PlainNumber, rel_tol: float = 1e-6) -> bool:
    """Exact when both are exact; otherwise within `rel_tol` of the larger, and never by
    more than `rel_tol` itself: relative below 1 (1e-7 is not 9e-7), absolute from 1 up
    (1000000.5 is not 1000000; a rounded 1.234568e8 is not 123456789). A percentage also
    matches its value divided by 100 (25% and 0.25)."""
    targets = [reference.value]
    if reference.percent != candidate.percent:
        targets.append(reference.value / 100 if reference.percent else reference.value * 100)
    for target in targets:
        if reference.exact and candidate.exact and target == candidate.value:
            return True
        if not (reference.exact and candidate.exact):
            scale = min(max(abs(target), abs(candidate.value)), Fraction(1))
            if abs(target - candidate.value) <= Fraction(str(rel_tol)) * scale:
                return True
    return False


# A time of day: "4:30 p.m.", "4:30p", "9:00 \text{AM}", "4\!:\!51\!:\!06 \text{ p.m.}", "16:30".
# Minutes and seconds are two digits (a ratio is "2:5"); a three-part value is a time only
# with a.m./p.m. (a bare "20:15:12" is a ratio).
_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?P<half>[ap]\.?(?:m\.?)?\.?)?", re.I)
# LaTeX wrappers and spacing, never between two digits ("1\,2:30" is no time)
_CLOCK_NOISE = re.compile(r"\\(?:textrm|textbf|text|mathrm|mbox)\s*|[{}()$]|\\!|(?<!\d)(?:\s|~|\\[,;: ])+|(?:\s|~|\\[,;: ])+(?!\d)")


@dataclass(frozen=True)
class ClockTime:
    hour: int  # 0-23 when the half of the day is known, else as written
    minute: int
    second: int
    known_half: bool  # a.m./p.m. written, or a 24-hour time (hour 0 or past 12)
    written_half: bool = False  # a.m./p.m. written


def clock_time(answer: str, bare_seconds: bool = False) -> ClockTime | None:
    """A time of day, or None. Compared as ratios, `4:30` was `2:15` and `4:30 p.m.` was
    never `4:30 \\text{ p.m.}` (real Qwen2.5-Math outputs on MATH). `H:MM:SS` without
    a.m./p.m. is a time only with `bare_seconds` (the other side is a time)."""
    if len(answer) > 80 or ":" not in answer:
        return None
    match = _CLOCK.fullmatch(_CLOCK_NOISE.sub("", answer))
    if match is None or (match["s"] is not None and match["half"] is None and not bare_seconds):
        return None
    hour, minute, second, half = int(match["h"]), int(match["m"]), int(match["s"] or 0), match["half"]
    if half:
        if not 1 <= hour <= 12:
            return None
        return ClockTime(hour % 12 + (12 if half[0] in "pP" else 0), minute, second, True, written_half=True)
    return ClockTime(hour, minute, second, hour > 12 or hour == 0) if hour <= 23 else None  # 0:15 and 16:30 are 24-hour


def same_time(reference: ClockTime, answer: ClockTime) -> bool:
    """The same time of day, to the second. Where one side writes a.m./p.m. and the other
    names no half of the day (a problem may ask for "HH:MM:SS" without "am" or "pm"), the
    clock reading decides; two bare readings compare as written (`1:20` is not `13:20`: a
    ratio may look like a time)."""
    if (reference.known_half and answer.known_half) or not (reference.written_half or answer.written_half):
        return (reference.hour, reference.minute, reference.second) == (answer.hour, answer.minute, answer.second)
    return (reference.hour % 12, reference.minute, reference.second) == (answer.hour % 12, answer.minute, answer.second)


# `x \equiv 3 \pmod{7}`, `n \equiv 3 \mod 7`, `\equiv 3 \ (\text{mod } 7)`: a residue and its modulus.
_CONGRUENCE = re.compile(
    r"(?:[a-zA-Z](?:_\{?\w+\}?)?)?\\equiv(?P<r>-?\d+)"
    r"(?:\\[pb]?mod\{?(?P<m1>\d+)\}?|\((?:\\[pb]?)?mod(?P<m2>\d+)\))"
)


def congruence(answer: str) -> tuple[int, int] | None:
    """(residue, modulus) of a congruence answer, or None. Math-Verify drops `\\pmod{5}`:
    `n \\equiv 2 \\pmod{6}` was `n \\equiv 2 \\pmod{5}`, and `\\pmod` read as `\\pm`."""
    if len(answer) > 80 or "equiv" not in answer:
        return None
    s = re.sub(r"\s|\\[,;:! ]|\\q?quad|\\left|\\right", "", answer)
    s = re.sub(r"\\(?:text|textrm|mathrm|operatorname)\{([^{}]*)\}", r"\1", s)  # `(\text{mod } 7)`
    match = _CONGRUENCE.fullmatch(s.replace("\\text{(", "("))
    if match is None or int(match["m1"] or match["m2"]) < 1:
        return None
    return int(match["r"]), int(match["m1"] or match["m2"])


_ALTERNATIVE = re.compile(rf"\d|(?<![a-zA-Z])/|/(?![a-zA-Z])|\b(?:{'|'.join(CONNECTIVES)})\b", re.IGNORECASE)  # `g/mol`: a unit
_BASED = re.compile(r"(?P<d>[0-9A-Za-z]*\d[0-9A-Za-z]*|[A-Za-z]+)_\{?(?:\\text\{)?(?P<b>\d{1,2})\}?\}?")
_DIGITS = re.compile(r"[0-9A-Za-z]*\d[0-9A-Za-z]*")


def digits_in_base(s: str) -> tuple[str, int | None] | None:
    """(digits, base) of `1011_2` or `A1_{16}`, (digits, None) of plain digits, else None;
    `s` is `normalize`d. latex2sympy drops the base: `1011_3` was `1011_2`."""
    if len(s) > 80:
        return None
    based = _BASED.fullmatch(s)
    if based and 2 <= int(based["b"]) <= 36:  # and digits of that base: `x_2` is a name
        if all(int(d, 36) < int(based["b"]) for d in based["d"]):
            return based["d"].upper().lstrip("0") or "0", int(based["b"])
        return None
    return (s.upper().lstrip("0") or "0", None) if _DIGITS.fullmatch(s) else None
