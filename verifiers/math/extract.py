"""From a full solution text to the final answer it commits to (no evaluation, no sympy).

A pass needs an answer the text commits to. Evidence, strongest first; where the
answer was found is recorded as the verdict's `answer_source`:

* `boxed`: the last `\\boxed{}` / `\\fbox{}` group. Boxes joined only by "and", commas
  or spacing (`\\boxed{(2,2)} \\text{ and } \\boxed{(6,2)}`) are one answer with several
  values. Other boxes that differ in value are a hedge.
* `final_statement`: "The final answer is ...", "the answer is ...", "Answer: ...",
  "#### 42", when it comes after the last box. In a sentence ("The largest $n$ is 34")
  the value after the last "is" / "=".
* `whole`: the completion is nothing but an answer: short, no prose (`$\\frac13$`,
  `x^2+2x+1`, `\\text{E}`), as graders that compare extracted answers pass them.
* `inline_math`: the last `$...$`, `$$...$$`, `\\(...\\)` or `\\[...\\]` of the final
  sentence, when nothing but a few words follows it ("Therefore $x \\geq 5$ is the
  solution.").
* `last_number`: the last number of the final sentence, only when that sentence holds no
  other mathematics (no LaTeX, no operator next to the number): "She has 18 dollars
  left." The bare last number of a text whose final answer is an expression
  (`\\frac{1+\\sqrt5}{2}`: 2), or of a text that moves on after it ("... 3+4. Let me
  check."), is never taken: a denominator or an intermediate value must not pass.
* `bold`: a value in bold that ends the text's last line right after "=" or "is"/"are",
  the line's only bold (`v/c = z = **0.033**`, `The midpoint is **(-1, 6)**.`), starting
  like a number or mathematics, on a line that neither lists, bounds nor doubts it: chat
  models conclude so without a box.
* `choice`: a multiple-choice letter, when the problem has choices.
* `answer_tag`: the text has a closed `<answer>...</answer>` (the R1-style format): the
  answer is read from the last such tag (a box or statement inside it, the one number of
  a sentence, or else its whole content as a box's is read) and is committed; earlier
  tags, a box or statement after it, or a tag begun after it that differ are a hedge.

A value "or" joins to the one before it is a hedge; one "and" joins to it makes a list of both
("The roots are $2$ and $3$."). A value stated after the text takes its answer back ("Answer: 3.
No, it should be 4.") is an alternative: a hedge unless it is the same value.

Text after the model's end-of-turn tokens, and `<think>` sections, are not the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifiers.math.numbers import without_si_unit
from verifiers.math.vocab import DENIALS, DIGIT_WORDS, GREEK_NAMES, LIST_ELLIPSIS, TEXT, TEXT_COMMANDS

MAX_BOX_CHARS = 10_000

_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
# What a blank box holds: "What number must be placed in the box: ... + \boxed{\phantom{2}}?",
# which solutions restate (MATH test problem; Qwen2.5-Math outputs were read as a hedge).
_SPACE = r"\s|~|\\[,;:! ]|\\q?quad\b|\\[hv]?phantom\s*\{[^{}]*\}|\\hspace\*?\s*\{[^{}]*\}"
_BLANK = re.compile(rf"(?:{_SPACE}|\\(?:square|Box)\b|\\?_|\\underline\s*\{{(?:{_SPACE})*\}})*")
_FINAL = re.compile(
    r"(?:\bfinal\s+answer\s*(?:is|:|=)?|\bthe\s+answer\s+is\s*:?|(?:^|(?<=[.!?]\s))[ \t>*#]*(?:(?:so|thus|therefore|hence),?\s+)?the\s+(?:correct|right)\s+(?:answer|option|choice)\s+is\s*:?|^[ \t>*#]*(?:answer|ans)\b\**\s*(?:(?:is\b|=)\s*:?|:)?|(?<!#)####(?!#)"
    r"|【\s*答案\s*】|答案\s*(?:应该?\s*)?(?:是|为)\s*[:：]?|答案\s*[:：])",
    re.I | re.M,
)
# Chinese, Japanese and Korean script (ideographs, kana, hangul). Assay reads such words only
# where it is told how (the answer cue 答案, the connectives 为/是/等于, 或 as "or", a unit after
# a number); an answer that still holds them is compared as text, never read by the symbolic
# stage (whose parser takes the last number of 答案不是 3, "the answer is not 3").
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# A unit word after a number (`3个`, `5 元`, `\frac{1}{2}米`): dropped, as `5 apples`' is.
_CJK_UNIT = re.compile(
    r"(?<=[\d}$])\s*(?:个|元|角|米|厘米|毫米|千米|公里|平方米|平方厘米|平方千米|立方米|立方厘米|克|千克|公斤|吨|升|毫升|秒|分钟|"
    r"小时|天|周|年|岁|人|名|本|只|条|次|种|倍|辆|件|页|张|块|支|道|组|场|台|棵|户|份|盒|瓶|袋|箱|层|步|根|颗|对)[。.]?$"
)
# (`<eoa>`, `<eom>`: MOSS's end of an answer and of a turn, which GAOKAO-Bench's prompts ask for)
_END_TOKENS = re.compile(r"<\|im_start\|>|<\|im_end\|>|<\|endoftext\|>|<\|eot_id\|>|<\|end\|>|</s>|<eoa>|<eom>|<｜end▁of▁sentence｜>")
# thinking sections: `<think>`, `<thinking>`, Sky-T1's and OpenThoughts' `<|begin_of_thought|>`
_THOUGHT_START = re.compile(r"<think(?:ing)?>|<\|begin_of_thought\|>", re.I)
_THOUGHT_END = re.compile(r"</think(?:ing)?>|<\|end_of_thought\|>", re.I)
_OPENING_TOKEN = re.compile(r"\s*<\|im_start\|>(?!\s*(?:user|system|tool)\b)(?:assistant\b)?")
# A base model that goes on to write the next few-shot question after answering (lm-eval's
# stop sequence).
_NEXT_QUESTION = re.compile(r"\n[^\S\n]*(?:Question|Problem|Q)(?:[^\S\n]*\d+)?\s*:", re.I)  # `\n\s*` was quadratic on blank lines
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5), "⅗": (3, 5),
           "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}
# Closing pleasantries are not where a solution concludes.
_SIGN_OFF = re.compile(r"I hope (?:it|this) (?:is|was) (?:correct|helpful)|Hope (?:this|it) helps|Let me know if", re.I)
_SIGN_OFF_REST = re.compile(r"[^.!?\n]*[.!?]?\s*")
# A `\(` or `\[` body holds no other opener of its kind (`\\[2pt]` is none): from each of 20,000
# unclosed `\(` a lazy body scanned to the end (3.9 s).
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$|(?<!\\)\\\(((?:(?!(?<!\\)\\\().)+?)\\\)|(?<!\\)\\\[((?:(?!(?<!\\)\\\[).)+?)\\\]", re.S)
# "2 1/2" is one number (a mixed number), never its last 1/2; "10 080" one number
# (thousands spaced), never its last group "080".
_NUMBER = re.compile(r"(?<![\w.])-?\d+ \d+/\d+(?![\d/])|(?<![\w.])-?\d{1,3}(?: \d{3})+(?![\d.,/])|(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?(?:[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?%?|(?<![\w.])-?\.\d+")
_PROSE_WORD = re.compile(r"(?<![\\a-zA-Z])[a-zA-Z]{2,}")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}")
_MATH_WORDS = {"sin", "cos", "tan", "cot", "sec", "csc", "cosec", "log", "ln", "exp", "sqrt", "pi", "mod", "lim", "max", "min",
               "gcd", "lcm", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "det", "inf", "infty", "infinity"}
_HEDGE = re.compile(r"\s(?:or|and/or)\s|或者?", re.I)
_TEXT_HEDGE = re.compile(rf"{TEXT_COMMANDS}\s*\{{\s*(or|and/or)\s*\}}", re.I)  # `x = 2 \text{ or } x = 3`
# A letter alone, "(B)", "B." or "B) 12"; a lowercase one only alone or bracketed: the
# article in "a positive number" is not choice A.
_CHOICE = re.compile(r"^(?:\(([A-Ea-e])\)|([A-E])(?:[.):]|\s|$)|([a-e])[.):]?$)")
# What may stand between boxes of one answer: spacing, commas, "and", "&", line breaks.
_JOINER = re.compile(
    r"(?:[\s,;&$]|\\[,;:! ()\[\]]|\\q?quad|\\\\|\\text\s*\{(?=[^{}]*\band\b)[^{}]*\}|\\text\s*\{\s*(?:[,;]\s*)?\}|\band\b)*", re.I
)
_OR = re.compile(r"(?:[\s,;$]|\\q?quad|\\text\s*\{\s*or\s*\}|\bor\b)*", re.I)
# After a committed value only a few words may follow: units, "is the solution", a period.
_TAIL = re.compile(r"[^\d$\\.!?\n]{0,80}[.!?。！？]?\s*")
# A value the text then denies, or asks about, is not where it concludes: "$x = 5$ is not
# a solution", "so it cannot be 5", "Is it 5?".
_DENIED_AFTER = re.compile(
    r"\b(?:not|isn't|aren't|never|no longer|rejected|discarded|extraneous|invalid|impossible)\b|\?|[？]"
    r"|不是|不符|不合|不满足|不成立|不对|不可能|不正确|不行|不适合|不一定|不确定|未必|舍|矛盾|错|无解"
    r"|ではない|ではありません|じゃない|아닙니다|아니다|아니에요", re.I)
_DENIED_BEFORE = re.compile(
    r"(?:\bnot|n't|\bcannot|\bnever|\bnor|\bother than|\b(?:more|less|fewer|greater|smaller) than|\bat (?:least|most)|≠|\\neq|\\ne"
    r"|不是|不等于|不为|不可能是|不会是|不会等于|不能为|不能是|不一定是|未必是|可能是|大概是|也许是|或许是|约为|并非|大于|小于|至少|至多|不超过)"
    r"\s*(?:be\s+|equal\s+to\s+|equals\s+)?$", re.I)
# "The answer is 5, not 7": the alternative after "not" is not the answer.
# (after a space or comma; a lookbehind, so a search is linear: `\s*,?\s*` in front took
# 77 s on a line of 2,000 spaces)
_NOT_ALTERNATIVE = re.compile(r"(?<![^\s,])(?:and\s+)?(?:not|rather than|instead of)\s", re.I)
_CURRENCY = re.compile(r"^\\\$\s*|\\\$$")
_CONCLUDE = re.compile(r"\s*(?:therefore|thus|hence|so)\b,?\s*(?=(?:\$\s*)?\\?[a-zA-Z]\w*\s*=)", re.I)
_CONNECTIVE = re.compile(r"\b(?:is|are|equals|be|was)\b|=|:|：|为|是|等于", re.I)


# The sources that survive a cut-off text: a closed box or answer tag, a final statement, a
# choice. Anything else (the last math or number of a text still going) is no answer then.
COMMITTED_SOURCES = ("boxed", "final_statement", "choice", "answer_tag")


@dataclass(frozen=True)
class ExtractedAnswer:
    text: str  # the answer as written (LaTeX or plain)
    source: str  # boxed | final_statement | whole | inline_math | bold | last_number | choice | answer_tag
    alternatives: tuple[str, ...] = ()  # other values the text also committed to (a hedge)

    @property
    def hedged(self) -> bool:
        return bool(self.alternatives)

    @property
    def committed(self) -> bool:
        """Found in a form that survives a cut-off text (COMMITTED_SOURCES)."""
        return self.source in COMMITTED_SOURCES


def extract_answer(text: str, last_number_fallback: bool = True, choices: str = "") -> ExtractedAnswer | None:
    """Find the final answer in `text` (see the module docstring for the rules)."""
    text = _answer_region(text)
    tags, after = _answer_tags(text)
    if tags:
        found = _from_tags(tags, after)
        text = tags[-1]
    else:
        found = _extract(text, last_number_fallback)
    if found is not None and not found.text.isascii():
        found = ExtractedAnswer(_cjk_plain(ascii_math(found.text)), found.source, tuple(map(ascii_math, found.alternatives)))
    if choices:
        if found is not None:
            found = _with_choice(found, choices)
        if found is None or found.source != "choice":
            # a letter the text names, unless its sentence denies it ("Option (B) is incorrect.")
            picked = [m.group(1) or m.group(2) for m in re.finditer(rf"\(([{choices}])\)|\b([{choices}])\)", text)
                      if not _DENIED_CHOICE.match(text, m.end())]  # fmt: skip
            if picked and (found is None or found.source in ("last_number",)):
                return ExtractedAnswer(picked[-1].upper(), "choice")
        if found is not None and found.source == "choice":
            also = {m.group(1) or m.group(2) for m in re.finditer(rf"(?<![A-Za-z])\(?([{choices}])\)?\s+(?:is|are)\s+also\b"
                                                               rf"|\b[Aa]lso\s+(?:option\s+|choice\s+)?\(?([{choices}])\)?(?![A-Za-z])", text)
                    if not _ALSO_DENIED.match(text, m.end())}  # "Option (A) is also incorrect": no second answer  # fmt: skip
            extra = tuple(sorted({a.upper() for a in also} - {found.text}))
            found = ExtractedAnswer(found.text, found.source, found.alternatives + extra) if extra else found
    return found


# what denies a choice in its own sentence: "(B) is incorrect", "B is wrong", "(C) is not"
_DENIED_CHOICE = re.compile(r"[^.\n]{0,40}?\b(?:is|are)\s+(?:not|wrong|incorrect|false|invalid)\b", re.I)


def final_answer_of_reference(reference: str) -> str:
    """A dataset's answer field as the answer itself: a `\\boxed{}` inside it, or the final
    answer of a whole worked solution given as the reference ("The answer is 15." too);
    wrappers removed."""
    if _BOXED.search(reference) or _answer_sentence(reference) or len(reference) > 80 and _prose_words(reference) > 3:
        found = _extract(_answer_region(reference), last_number_fallback=False)
        if found is not None:
            return _cjk_plain(ascii_math(found.text))
    if stated := _stated_number(reference.strip().rsplit("\n", 1)[-1].strip()):
        # "The number is 4.", or a worked solution's last line "The value of x is 10." (MetaMathQA's
        # ending): the number, not a product of its letters nor the solution's last number
        return stated
    plain = strip_wrappers(reference)
    if "$" in plain and "\\$" not in reference and _OUTSIDE_NUMBERS.fullmatch(_MATH.sub(" ", reference.strip())):
        plain = plain.replace("$", "")  # `$\frac{1}{3}$, 0`: math partly delimited, all of it the answer
    return _cjk_plain(ascii_math(plain))


# outside the reference's math spans only numbers and separators (never `$n$ is $12$`, `$3$ to $5$`)
_OUTSIDE_NUMBERS = re.compile(r"[\s,;]*(?:[-+]?\d+(?:\.\d+)?(?:[\s,;]+|$))*")  # a separator after each: linear


# --------------------------------------------------------------------------- stages


def _stated_number(line: str) -> str | None:
    """The number a line states in its first sentence, when the rest is other sentences ("The
    value of x is 20. Greg found 20 dollars.")."""
    stated = _NUMBER_STATED.match(line)
    if stated is None or not (stated.end() == len(line) or _NEXT_SENTENCE.match(line, stated.end())):
        return None
    # ... and the other sentences name no other number ("x is 2. The minimum value is 7." is 7's)
    others = {number.replace(",", "") for number in _ANY_NUMBER.findall(line, stated.end())}
    return stated.group(1) if others <= {stated.group(1)} else None


_ANY_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


_NEXT_SENTENCE = re.compile(r"(?<=\.)\s+[A-Z]")
_NUMBER_STATED = re.compile(
    r"(?:(?:therefore|thus|hence|so),?\s+)?(?:the|its|our)\s+(?!time\b)[a-z]+(?:\s+[a-z]+){0,5}\s+(?:is|equals)\s+\$?(-?\d+(?:\.\d+)?)\$?\.?", re.I
)


def _answer_sentence(reference: str) -> bool:
    """"The answer is 15." or "Answer: 5 apples": a marker, then the answer alone (never
    "... $\\frac12$ for part (a) and $3$ for part (b)", "15 because 3*5=15")."""
    markers = list(_FINAL.finditer(reference))
    if not markers:
        return False
    marker = markers[-1]
    rest = reference[marker.end() :]
    words = _PROSE_WORD.findall(TEXT.sub(" ", _MATH.sub(" ", rest)))
    return bool(strip_wrappers(rest)) and (not words or _NUMBER_WITH_WORD.fullmatch(strip_wrappers(rest)) is not None)


_NUMBER_WITH_WORD = re.compile(r"-?(?:[\d,]*\.\d+|[\d,]*\d)\s*[a-zA-Z]+")  # `15 eggs`


def _answer_region(text: str) -> str:
    text = text.replace("\0", "")
    if not text.isascii() and CJK.search(text):
        text = _spaced_script(text)
    if "<" in text:
        # a reasoning model's thinking is no answer: only the text after its last closing tag, and
        # nothing of a thought never closed (`<think>so it is \\boxed{5}`, cut off, passed against 5)
        closings = [m.end() for m in _THOUGHT_END.finditer(text)]
        text = text[closings[-1] :] if closings else text
        opened = _THOUGHT_START.search(text)
        text = text[: opened.start()] if opened else text
    if "<" in text:
        # `<|im_start|>` (or `<|im_start|>assistant`) before any content opens the reply; any
        # other token ends it, also at the start (a user turn echoed, then the answer, is no answer)
        start = opening.end() if (opening := _OPENING_TOKEN.match(text)) else 0
        cut = _END_TOKENS.search(text, start)
        text = text[start : cut.start() if cut else len(text)]
    # only once an answer was given: a question before any answer is the problem restated
    if _NEXT_QUESTION.search(text):
        answered = [m.end() for m in (_BOXED.search(text), _FINAL.search(text)) if m is not None]
        cut = _NEXT_QUESTION.search(text, min(answered)) if answered else None
        text = text[: cut.start()] if cut else text
    low = text.lower()  # the scans below only where their words are (each costs tens of µs on a solution)
    return _without_sign_offs(text) if "hope" in low or "let me know" in low else text


def _without_sign_offs(text: str) -> str:
    """The text without the closing pleasantries that end it ("I hope it is correct.", "Let me know
    if ..."). Each is sought in the last 1,000 characters, at most five: one pattern anchored at the
    end (`(...)+\\s*$`) took 27 s on a sign-off followed by 40,000 spaces."""
    for _ in range(5):
        stripped = text.rstrip()
        found = None
        for found in _SIGN_OFF.finditer(stripped, max(0, len(stripped) - 1000)):  # noqa: B007 - the last one
            pass
        if found is None or not _SIGN_OFF_REST.fullmatch(stripped, found.end()):
            break
        text = stripped[: found.start()].rstrip()
    return text


_MAX_TAGS = 22  # enough for "more than 20 alternatives is a hedge" (verifier._same_values)
_PLACEHOLDER = re.compile(r"[\s.…]*")  # `<answer></answer>`, `<answer>...</answer>`: the format named in prose


def _answer_tags(text: str) -> tuple[list[str], str]:
    """The contents of the closed `<answer>...</answer>` tags that hold something, in order
    (at most the last `_MAX_TAGS`; found from the end, so a text of many unclosed tags
    costs one scan), and the text after the last of them."""
    if "<" not in text:
        return [], ""
    low, tags, end, after = text.lower(), [], len(text), None
    while len(tags) < _MAX_TAGS and (close := low.rfind("</answer>", 0, end)) >= 0:
        start = low.rfind("<answer>", 0, close)
        if start < 0:
            break
        content = text[start + len("<answer>") : close]
        if not _PLACEHOLDER.fullmatch(content):
            after = text[close + len("</answer>") :] if after is None else after
            tags.append(content)
        end = start
    return tags[::-1], after or ""


def _from_tags(tags: list[str], after: str) -> ExtractedAnswer | None:
    """The last tag's answer, read as a box's content is (its hedges are hedges) unless it
    holds a box or a final statement; earlier tags and whatever the text commits to after
    the last one are alternatives (a hedge where they differ)."""
    found = _tag_answer(tags[-1])
    if found is None:
        return None
    others = [answer.text for answer in map(_tag_answer, tags[:-1]) if answer is not None]
    later = _extract(after, last_number_fallback=False)
    if later is not None and later.committed:
        others += [later.text, *later.alternatives]
    low = after.lower()
    reopened = low.rfind("<answer>")  # a new answer begun after the last one, never closed (cut off)
    if reopened >= 0 and "</answer>" not in low[reopened:] and (rest := strip_wrappers(after[reopened + len("<answer>") :])):
        others.append(rest)
    others += _offered_after(after)
    own = _norm(found.text)
    alternatives = tuple(dict.fromkeys(o for o in others if _norm(o) != own))
    return ExtractedAnswer(found.text, "answer_tag", tuple(dict.fromkeys(found.alternatives + alternatives)))


def _tag_answer(content: str) -> ExtractedAnswer | None:
    """A tag's answer: its box or final statement; the one number of a sentence ("She has
    18 dollars left."); else its whole content, as a box's is read (`3 or 5` hedges, and
    `between 3 and 5` is no number)."""
    found = _extract(content, last_number_fallback=True)
    if found is not None and found.source in ("boxed", "final_statement"):
        return found
    if found is not None and found.source == "last_number" and len(_NUMBER.findall(content)) == 1 and not _hedges(content):
        return found
    answer = strip_wrappers(content)
    return ExtractedAnswer(answer, "answer_tag", _hedges(answer)) if answer else None


def ascii_math(text: str) -> str:
    """Unicode mathematics as LaTeX, so no symbol is silently dropped: `2²` is `2^{2}`
    (never 2), `√2` is `\\sqrt{2}`, `2½` is `2\\frac{1}{2}`, `∞` is `\\infty`."""
    if text.isascii():
        return text
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+", lambda m: "^{" + m.group(0).translate(_SUPERSCRIPTS) + "}", text)
    text = re.sub(r"√\s*(\d+(?:\.\d+)?|[a-zA-Z]|\{[^{}]*\}|\([^()]*\))",
                  lambda m: "\\sqrt{" + m.group(1).strip("{}()") + "}", text)  # fmt: skip
    text = re.sub("[" + "".join(_VULGAR) + "]", lambda m: "\\frac{{{}}}{{{}}}".format(*_VULGAR[m.group(0)]), text)
    return text.replace("∞", "\\infty").replace("π", "\\pi")


def _extract(text: str, last_number_fallback: bool) -> ExtractedAnswer | None:
    boxes = _boxes(text)
    alone_after: int | None = None
    finals = list(_FINAL.finditer(text)) if "ans" in text.lower() or "####" in text or "答案" in text else []
    last_box_end = boxes[-1][1] if boxes else -1
    if finals and finals[-1].start() >= last_box_end:
        after = text[finals[-1].end() :]
        answer = _statement_answer(after)
        if answer:
            return ExtractedAnswer(answer, "final_statement", _hedges(answer) + _withdrawn(after, at_start=False))
        # a statement Assay cannot read that ends the text ("the answer is that it takes 64 seconds
        # to send the 4 MB file"): its last number is its answer only when it is its only number
        alone_after = finals[-1].end() if "\n" not in after.strip() else None
    if boxes:
        found = _from_boxes(text, boxes)
        after_box = text[boxes[-1][1] :]
        also = _withdrawn(after_box, at_start=True) + _offered_after(after_box)
        return ExtractedAnswer(found.text, found.source, found.alternatives + also) if found and also else found
    whole = _whole(text)
    if whole:
        return ExtractedAnswer(whole, "whole")
    inline = _last_inline_math(text)
    if inline:
        return ExtractedAnswer(inline, "inline_math", _hedges(inline))
    concluded = _conclusion(text)
    if concluded:
        return ExtractedAnswer(concluded, "final_statement", _hedges(concluded))
    bold = _bold_at_the_end(text)
    if bold:
        return ExtractedAnswer(bold, "bold", _hedges(bold))
    if last_number_fallback:
        number = _last_number(text, alone_after)
        if number:
            return ExtractedAnswer(number, "last_number", _hedges(number))
    truth = _TRUTH_AT_THE_END.search(text[-200:])
    if truth and not _TRUTH_DOUBTED.search(_sentence_before(text[-200:], truth.start())):
        return ExtractedAnswer(truth.group(1), "final_statement")
    return None


# "This argument is True.", "So the statement is false.": a truth value that ends the text
_TRUTH_DOUBTED = re.compile(r"\b(?:whether|if|determine|check|not|cannot|can't|unclear|unknown|remains)\b", re.I)
_TRUTH_AT_THE_END = re.compile(r"(?<![^\s,])(?:is|are)\s+(true|false)\s*[.!]?\s*$", re.I)


_BRACE = re.compile(r"\\(?:boxed|fbox)\s*\{|[{}]")


def _boxes(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of each complete outermost box; an unclosed box (a cut text)
    is none, and a box inside a box (`\\boxed{\\boxed{3}}`) is the same answer as the
    outer one. One pass over the braces: linear in the text. A stray brace inside a box
    (`\\left\\{ x \\right.`) loses that box only, never the boxes after it."""
    closed = []
    frames: list[tuple[int, int] | None] = []  # one per open brace: (box start, content start), or None
    for match in _BRACE.finditer(text):
        if match.group() == "{":
            frames.append(None)
        elif match.group() != "}":
            frames.append((match.start(), match.end()))
        elif frames and (frame := frames.pop()) is not None and match.start() - frame[1] <= MAX_BOX_CHARS:
            closed.append((frame[0], match.end(), frame[1], match.start()))
    out, reach = [], -1
    for start, end, content, content_end in sorted(closed):
        if end <= reach:
            continue  # inside a box already kept
        reach = end
        box = text[content:content_end].strip()
        if not _BLANK.fullmatch(box):  # a blank box is the one the problem asks to fill, restated
            out.append((start, end, box))
    return out


def _from_boxes(text: str, boxes: list[tuple[int, int, str]]) -> ExtractedAnswer | None:
    if not boxes:
        return None
    group = [boxes[-1]]
    for box in reversed(boxes[:-1]):  # boxes joined by "and"/commas: one answer
        if _JOINER.fullmatch(text[box[1] : group[0][0]]):
            group.insert(0, box)
        else:
            break
    values = list(dict.fromkeys(b[2] for b in group))
    answer = values[0] if len(values) == 1 else ", ".join(values)
    last = group[-1][2]
    others = [b[2] for b in boxes[: len(boxes) - len(group)]]
    if others and _called_final(text, boxes[len(boxes) - len(group) - 1][1], group[0][0], group[-1][1]):
        others = []  # "first \boxed{0}, finally \boxed{42}": the reply names its final answer
    seen = {_norm(last), _norm(answer)}  # once: a joined answer can be long
    alternatives = tuple(dict.fromkeys(o for o in others if _norm(o) not in seen))
    return ExtractedAnswer(answer, "boxed", alternatives + _hedges(answer))


def _called_final(text: str, previous_end: int, start: int, end: int) -> bool:
    """Does the reply call its last box (text[start:end]) its final answer, after an earlier box
    that ends at previous_end? Only "first \\boxed{0}, finally \\boxed{42}", or a line that opens
    with the cue ("**Final Answer:** \\boxed{42}"), with no doubt between the two boxes (or,
    either, alternatively, if, maybe, ...; a question) and no question after it: "\\boxed{3} or
    finally \\boxed{4}" and "If x>0, final answer: \\boxed{3}. If x<0, final answer: \\boxed{4}"
    stay hedges."""
    gap = text[previous_end:start]
    if _DOUBT.search(gap) or text[end : end + 20].lstrip(" $)]\\").startswith("?"):
        return False
    return bool(_FINALLY_AFTER_BOX.fullmatch(gap) or _FINAL_LINE.search(gap[-120:]))


_CUE_END = r"[\s:,*_]*(?:is\s*)?(?:\$\$?\s*|\\\[\s*|\\\([ \t]*)?"
_FINALLY_AFTER_BOX = re.compile(rf"[\s,;.]*(?:and\s+)?finally{_CUE_END}", re.I)
_FINAL_LINE = re.compile(rf"(?:^|\n|[.!]\s)[ \t>#*_-]*(?:(?:so|thus|therefore|hence),?\s+)?(?:the\s+)?"
                         rf"(?:final\s+answer|finally|in\s+the\s+end|ultimately){_CUE_END}$", re.I)
_DOUBT = re.compile(r"\b(?:or|either|alternatively|if|maybe|perhaps|possibly|might|could|unless|otherwise)\b|\?", re.I)


def _statement_answer(after: str) -> str:
    """The value a final-answer statement commits to, from the text after its marker."""
    return _APPROXIMATE.sub("", _stated(after))


# "approximately 5", "about 0.18": the value itself
_APPROXIMATE = re.compile(r"^(?:approximately|approx\.|about|roughly|around|\\approx|≈|~)\s*(?=[-+$\\\d.(\[])", re.I)
# "Answer: True - on a tree ...", "the answer is False: the transform is not even": the truth value first
_TRUTH_FIRST = re.compile(r"(?:true|false|yes)\b(?=\s*(?:$|[.:;,!\-–—(]))|no\b(?=\s*(?:$|[.!:;\-–—]))", re.I)


def _stated(after: str) -> str:
    after = after.lstrip(" \t:*：\u3000")
    lead = _MATH.match(after.lstrip())
    if lead:  # "Answer: $\\frac{3}{2}$", "The answer is\n\\[ x = 3 \\]": the math block itself
        rest = after.lstrip()[lead.end() :]
        if rest.lstrip().startswith("?"):  # asked, not stated
            return ""
        if _TAIL.fullmatch(rest) or not re.match(r"[^.!?\n]*\d", rest) or _NOT_ALTERNATIVE.match(rest.lstrip().removeprefix(",").lstrip()):
            return strip_wrappers(next(g for g in lead.groups() if g is not None))
    after = after.strip()
    line = after[: _line_end(after)]
    # The sentence ends at a period followed by a new sentence (not a decimal point).
    line = re.split(r"(?<=[.!?])\s+(?=[A-Z])|(?<=[。！？])", line, maxsplit=1)[0].strip()
    denied = _NOT_ALTERNATIVE.search(line)
    line = line[: denied.start()].rstrip().removesuffix(",").strip() if denied and denied.start() > 0 else line
    if not line or line.endswith("?"):  # "Answer is 5? Let me check.": asked, not stated
        return ""
    line = _without_closing_remark(line)
    truth = _TRUTH_FIRST.match(line)
    if truth and not re.search(r"\b(?:true|false)\b", line[truth.end() :], re.I):
        return truth.group()  # never "True (for n >= 2), False otherwise"
    if _prose_words(TEXT.sub(" ", _MATH.sub(" ", line))) > 1:
        # "The largest $n$ is 34.": the value after the last connective.
        outside = _MATH.sub(lambda m: "\0" * len(m.group(0)), line)
        cuts = [m.end() for m in _CONNECTIVE.finditer(outside)]
        if cuts:
            if _DENIED_BEFORE.search(line[: cuts[-1]]):
                return ""  # 答案不是 3, "the answer is not 3"
            line = line[cuts[-1] :].strip()
        elif CJK.search(line) and not re.search(r"[\d$\\]", line) and len(line) <= 40:
            return strip_wrappers(line)  # 【答案】分层抽样: an answer in words, compared as text
        maths = list(_MATH.finditer(line))
        if maths:
            return strip_wrappers(next(g for g in maths[-1].groups() if g is not None))
        if _prose_words(line) > 2:
            # "Jane started growing Sphere 3 hours ago.": a sentence with one number in it.
            # ... but never one the sentence takes back ("5 (wait, actually six)": the six is a word)
            numbers = _NUMBER.findall(line)
            one = len(numbers) == 1 and not re.search(r"[\\^{}_=+*/]", line) and not _TAKEN_BACK.search(line)
            return numbers[0].rstrip(".") if one else ""
    return strip_wrappers(line)


def _without_closing_remark(line: str) -> str:
    """The value before a closing remark that cannot change it: `1 (yes)` (read as 1·y·e·s),
    `1.32 MiB (in 3 sig. fig.)` (two numbers: no answer). Only remarks of `_REMARK_WORDS` and a
    precision's digits, so `5 (or 6)`, `5 (wait, actually six)` and `x (which equals 17)` stay."""
    text = line.rstrip(" .!")
    start = text.rfind("(")
    if start <= 0 or not text.endswith(")") or ")" in text[start:-1] or not re.search(r"\d", text[:start]):
        return line
    remark = _PRECISION.sub(" ", text[start + 1 : -1])
    words = re.findall(r"[^\s.,;:]+", remark)
    return text[:start].rstrip() if words and all(w.lower() in _REMARK_WORDS for w in words) else line


# a closing remark's words that never change the value before it (`(yes)`, `(rounded to the nearest tenth)`)
_REMARK_WORDS = {"yes", "no", "true", "false", "i.e", "ie", "approximately", "approx", "about", "roughly", "exactly", "exact",
                 "rounded", "to", "in", "the", "a", "nearest", "whole", "number", "integer", "tenth", "hundredth",
                 "thousandth", "sig", "fig", "figs", "significant", "figures", "decimal", "place", "places", "dp", "d.p", "sf",
                 "s.f", "final", "answer", "value"}  # fmt: skip
_PRECISION = re.compile(r"\b\d{1,2}\s*(?=(?:sig|significant|decimal|d\.?p\b|s\.?f\b))", re.I)  # `3 sig. fig.`: a precision's digits


_TAKEN_BACK = re.compile(r"\b(?:wait|actually|correction|sorry|oops|mistake|rather)\b", re.I)


def _line_end(after: str) -> int:
    """Where a statement's line ends: at a blank line, or at the first newline after its last `$`
    (a `\\n(?![^$]*\\$)` scanned to the end from every newline: quadratic)."""
    blank = re.search(r"\n\s*\n", after)
    single = after.find("\n", after.rfind("$") + 1)
    ends = [e for e in (blank.start() if blank else -1, single) if e >= 0]
    return min(ends) if ends else len(after)


def _whole(text: str) -> str:
    """The text itself, when it is nothing but an answer."""
    stripped = _CURRENCY.sub("", text.strip())
    if stripped.count("$") == 1:  # "$1,000.99": a currency sign or a stray delimiter, not math
        stripped = stripped.replace("$", "").strip()
    if not stripped or len(stripped) > 300:
        return ""
    answer = strip_wrappers(stripped)
    if "$" in answer or "\n" in answer.strip():
        return ""  # several math segments or lines: a solution, not an answer
    if _prose_words(TEXT.sub(" ", answer)) and not _ONE_WORD.fullmatch(answer) and _prose_words(TEXT.sub(" ", without_si_unit(answer))):
        return ""  # prose; but a reply of one word (`white`, `Yes`) is that word, and `2\pi cm` a value and its unit
    return answer


_ONE_WORD = re.compile(r"[A-Za-z]{2,40}")


def one_word_reply(text: str) -> bool:
    """A reply that is one word and no mathematics (`white`, `IV`): the verifier compares it as
    a word, never as a product of letters (`VI` is not `IV`, `on` is not `no`)."""
    return bool(_ONE_WORD.fullmatch(text.strip().rstrip(".!"))) and _prose_words(text) == 1


def _last_inline_math(text: str) -> str:
    maths = list(_MATH.finditer(text))
    if not maths:
        return ""
    last = maths[-1]
    if not _TAIL.fullmatch(text[last.end() :]) or _DENIED_AFTER.search(text[last.end() :]):
        return ""  # the text goes on after it, or denies it: not where it concludes
    if _DENIED_BEFORE.search(before := _sentence_before(text, last.start())) or _bounded(before):
        return ""  # "So x cannot be $3$.", "$x$ is not $3$", "So x < $3$"
    content = next(g for g in last.groups() if g is not None).strip()
    if _prose_words(TEXT.sub(" ", content)) > 1:
        return ""  # "$5 and spends $": dollar amounts, not mathematics
    return _with_alternative(text, last.start(), strip_wrappers(content))


def _conclusion(text: str) -> str:
    """"Therefore x = \\frac{1+\\sqrt5}{2}." as the text's last sentence: the equation."""
    last = re.split(r"(?<=[.!?])\s+(?=\S)|(?<!\n)\n+(?=\S)", text.strip())[-1]
    match = _CONCLUDE.match(last)
    if not match or _prose_words(TEXT.sub(" ", last[match.end() :])) > 1:
        return ""
    return strip_wrappers(last[match.end() :])


# The text's last line ends with one bold value after "=" or "is"/"are": `v/c = z = **0.033**`,
# `The midpoint is **(-1, 6)**.` Nothing else on that line may hedge, bound or doubt it (a
# comma before a word is a sentence's, `Therefore, the point is`; one before a value lists).
_BOLD_LEAD = re.compile(r"(?:=|\b(?:is|are))\s+$")
_BOLD_DOUBT = re.compile(
    r"\b(?:or|and|between|perhaps|maybe|might|could|try|trying|tried|suppose|assume|guess|claimed|wrong|incorrect|"
    r"previously|initially|if|let|not|no|never)\b|[;<>≤≥≈]|,(?!\s*[a-zA-Z]{2})|\\(?:[lg]eq?|[lg]t|approx|neq?)(?![a-zA-Z])|#", re.I)


def _bold_at_the_end(text: str) -> str:
    """A chat model's way to conclude: a value in bold that ends the text (after a closing
    pleasantry is dropped), the line's only bold, right after "=" or "is"/"are", starting
    like a number or mathematics, with at most a unit's word beside it. Never a heading
    (`### Step **5**`), part of an expression (`1.**5**`, `2^**5**`), one of several values
    (`6 or **5**`, `1, 2, **5**`), a bound (`x ≥ **5**`) or a doubted value (`Suppose x = **5**`)."""
    end = len(text.rstrip())
    end -= text[:end].endswith(".")
    if not text[:end].endswith("**") or end < 5:
        return ""
    opening = text.rfind("**", 0, end - 2)
    line_start = text.rfind("\n", 0, max(opening, 0)) + 1
    if opening < 0 or not 0 < opening - line_start or text[opening - 1] not in " \t":
        return ""
    line, value = text[line_start:opening], text[opening + 2 : end - 2]
    if not value.strip() or "*" in value or "\n" in value or len(value) > 200 or "**" in line:
        return ""
    if not _BOLD_LEAD.search(line) or _BOLD_DOUBT.search(line) or _DENIED_BEFORE.search(line) or _DENIED_AFTER.search(value):
        return ""
    value = strip_wrappers(value)
    if not re.match(r"[-+(\\$\d]", value) or _prose_words(TEXT.sub(" ", value)) > 1:
        return ""
    return value


def _last_number(text: str, alone_after: int | None = None) -> str:
    """The last number of the text, when nothing around it makes it part of something else. With
    `alone_after`, no other number may come between that position and it."""
    # The last number is followed by a short tail (`_TAIL`): look near the end first.
    start = max(0, len(text.rstrip()) - 1000)
    numbers = list(_NUMBER.finditer(text, start))
    if start and (not numbers or numbers[-1].start() < start + 200):
        numbers = list(_NUMBER.finditer(text))
    if not numbers:
        return ""
    last = numbers[-1]
    if not _TAIL.fullmatch(text[last.end() :]) or _DENIED_AFTER.search(text[last.end() :]) or _QUALIFIED_AFTER.match(text, last.end()):
        return ""
    sentence = re.split(r"(?<=[.!?])\$*\s+|(?<=\$\$)\s+|(?<=[。！？])|\n", text[: last.start()])[-1]
    if sentence.endswith("$") and not sentence.endswith("$$") and text.count("$") % 2:
        sentence = sentence[:-1].removesuffix("\\")  # "He earns $20 per hour.": a currency sign, not math
    stated = _STATED_BEFORE.search(sentence)  # "the order of the group Z_{18} is 18.": LaTeX before, not around it
    if (re.search(r"[\\^{}_$]", sentence) and not stated) or re.search(r"[-+*/^]\s*$", sentence) or re.match(r"\s*[*/^(]", text[last.end() :]):
        return ""  # part of an expression: "\frac{1}{2}", "2^3", "1/2", "3(x+1)"
    if _DENIED_BEFORE.search(sentence) or _bounded(sentence):
        return ""  # "so it cannot be 5", "more than 5 solutions", "x <= 5": not a value the text commits to
    listed = _LIST_BEFORE.search(text, max(0, last.start() - 500), last.start())
    closer = re.match(r"\s*([\])])", text[last.end() :])
    first = listed.start() if listed else last.start()
    if alone_after is not None and any(not _NUMBER_WORD.match(text, m.end()) for m in _NUMBER.finditer(text, alone_after, first)):
        return ""  # "the answer is that 125 trees grow on 5 vertices": which one? (a `3D` object, the `2nd` are words)
    if listed and closer and "([".index(listed.group(1)) == ")]".index(closer.group(1)):
        # `[0, 3, 5]`, "the vertex cover is [2, 4].": the list is the answer, never its last number
        return _with_alternative(text, listed.start(), text[listed.start() : last.end() + closer.end()])
    if listed or (closer and closer.group(1) == "]" and not re.search(r"\[\s*$", sentence)):
        return ""  # the end of a list Assay cannot read (`[a, 5]`); `[90]` is the number
    value = last.group(0).rstrip(".")
    if not value.endswith("%") and _PERCENT_AFTER.match(text, last.end()):
        value += "%"  # "28 percent" is 28%, which also matches 0.28 (it was 28 alone)
    return _with_alternative(text, last.start(), value)


_PERCENT_AFTER = re.compile(r"\s*(?:percent(?:age)?|per\s?cent|pct)\b", re.I)
# A bound right before a value: "x <= 5", "$x \\le$ $5$", "less than or equal to 5": not the value itself
_BOUND_BEFORE = re.compile(r"(?:(?<![=\-])[<>](?!-)=?|[≤≥≠]|\\(?:le|ge|leq|geq|lt|gt|leqslant|geqslant|neq?)(?![a-zA-Z])"
                           r"|\b(?:less|greater|more|fewer|smaller|larger) than or equal to)(?:\s*\$)?\s*$", re.I)
_TAG_BEFORE = re.compile(r"<[a-zA-Z/][\w-]*>(?:\s*\$)?\s*$")  # `<answer>5`: a tag's `>`, no bound
# A number qualified right after it is no value: "2 or more", "2 at most", "4 pi", "3 times"
_QUALIFIED_AFTER = re.compile(r"\s*(?:or (?:more|less|fewer|greater|larger|smaller|above|below)|at (?:most|least)|times\b|pi\b|π)", re.I)
# A value stated in words right before the number: "the order of Z_{18} is 18" (an equation's last
# number, `5^5 + 5^2 = 3125`, is as often a step of a text that was cut as its answer)
_STATED_BEFORE = re.compile(r"\b(?:is|are|equals|was)\s+$")
_NUMBER_WORD = re.compile(r"(?:[Dd]|st|nd|rd|th)\b")  # after a number: `3D`, `2nd`, words rather than quantities
# The numbers of a bracketed list before its last number: `[0, 3, ` of `[0, 3, 5]`
_LIST_BEFORE = re.compile(r"(?<![\w)\]])([\[(])(?:\s*-?\d+(?:\.\d+)?\s*,)+\s*$")  # never `f(3, 10)`


def _bounded(sentence: str) -> bool:
    """Does `sentence` end with a bound ("x <=", `\\le`, "less than or equal to") before its value?"""
    return _BOUND_BEFORE.search(sentence) is not None and not _TAG_BEFORE.search(sentence)


# "So $x=2$ or $2\sqrt{3}$.", "either 2 or 3", "x = 2 or x = 3", "2 (or 3)", "2 or maybe 3", "1 或 3":
# the value joined by "or" to the one before it (a name and "=", or a doubt, may stand between)
_OR_BEFORE = re.compile(
    r"(?:(?<![^\s$(])or|或者?|还是)(?:\s*(?:maybe|possibly|perhaps|even|是|为))?\s*(?:\$?\s*[a-zA-Z]\w{0,20}\s*=\s*)?$", re.I)


# "The roots are $2$ and $3$.", "x = 2 and x = 3", "x=2 和 x=3": two values, one answer
_AND_BEFORE = re.compile(r"(?:(?<![^\s$(])and|和|与|及|以及)\s*(?:\$?\s*[a-zA-Z]\w{0,20}\s*=\s*)?$", re.I)

# A committed answer the text then takes back: "Answer: 3. No, it should be 4.", "\boxed{3}
# Wait, that is wrong: it is $4$." The value the retraction restates (`_RESTATED`) joins the answer
# as an alternative: a hedge, unless it is the same value. A check ("Wait, let me verify") is none.
_RETRACTION = re.compile(
    r"(?!(?:no|nope|wait|actually|oops|hmm)\b[^.!?\n]{0,100}\b(?:check|verif|confirm|make sure|ensure|re-?examine|recompute|simpler|another way))"
    r"(?:(?:no|nope)\s*[,.!]|wait\b|actually\b|oops\b|correction\b"
    r"|scratch that\b|on second thought\b|i made an? (?:mistake|error)\b|i was wrong\b"
    r"|that(?:'s| is| was) (?:wrong|incorrect|not right|a mistake)\b|不对|不，|错了|更正|纠正|我算错)", re.I)
# Where a retraction states the new answer: "it should be 4", "that is wrong: it is $4$", "I made a
# mistake: $x = 4$", "the correct answer is 4", 应该是4
_RESTATED = re.compile(
    r"(?:\bshould (?:be|have been)|\b(?:correct |right |final |actual )?answer (?:is|should be)|\bis actually"
    r"|\b(?:mistake|error|wrong|incorrect)\b[^.\n]{0,40}?[:;,]\s*(?:it(?:'s| is)\s+)?|应该是|应为|应该为)\s*:?\s*", re.I)
_CLAUSE = re.compile(r"[^.!?;:\n。！？；：]+")  # a retraction opens a clause (found clause by clause: linear)


def _withdrawn(tail: str, at_start: bool) -> tuple[str, ...]:
    """The value a retraction in `tail` (the text after a committed answer) restates ("No, it should
    be 4"), as a one-value tuple; () when the text takes nothing back or restates no value.
    `at_start`: `tail` begins right after the answer (a box), so a retraction may open it."""
    if not at_start:  # the text after an answer marker: the answer's own line comes first
        tail = tail.lstrip()
        first = re.search(r"\n|(?<=[.!?])\s|(?<=[。！？])", tail)
        if first is None:
            return ()
        tail = tail[first.start() :]
    for clause in _CLAUSE.finditer(tail):
        opening = len(clause.group()) - len(clause.group().lstrip(" \t*"))
        cue = _RETRACTION.match(tail, clause.start() + opening)
        if cue is not None:
            break
    else:
        return ()
    for restated in _RESTATED.finditer(tail, cue.end(), cue.end() + 300):
        rest = tail[restated.end() : restated.end() + 200]
        math, number = _MATH.match(rest), _NUMBER.match(rest)
        if math:
            return (strip_wrappers(next(g for g in math.groups() if g is not None)),)
        if number:
            return (number.group(0).rstrip("."),)
    return ()  # "Actually, there's a simpler way: $6 \\times 6 = 36$": no new answer stated


def _offered_after(tail: str) -> tuple[str, ...]:
    """A value the sentence offers right after a committed answer (a box, a tag) beside it: after
    "or" (`\\boxed{5} or 6`, `$x = \\boxed{5}$ or $x = 6$`, `\\boxed{5} (or 6)`), or in a remark that
    says another value also works (`\\boxed{5} (the other root, $n = 6$, also works)`). One value
    (the first math, else number, else word after the cue), as a one-value tuple: a hedge, as two
    boxes are, unless it is the same value. () when nothing is offered."""
    cue = _OR_AFTER.match(tail)
    if cue is None:
        remark = _REMARK_AFTER.match(tail)
        if remark is None or not _ALSO.search(remark.group(1)) or _DENIED_WORD.search(remark.group(1)):
            return ()  # `(the other root, $x = -4$, is extraneous)` offers nothing
        rest = remark.group(1)
    else:
        rest = tail[cue.end() : cue.end() + 200]
        rest = re.split(r"(?<=[.!?])\s|\n", rest, maxsplit=1)[0]
        if _RESTATED_AFTER_OR.match(rest):
            return ()  # `\\boxed{\\frac13} (or about 0.333)`, `or equivalently $\\frac{10}{2}$`: the same value
    math, number, word = _MATH.search(rest), _NUMBER.search(rest), _OFFERED_WORD.match(rest)
    if math:
        return (strip_wrappers(next(g for g in math.groups() if g is not None)),)
    if number:
        return (number.group(0).rstrip("."),)
    return (DIGIT_WORDS.get(word.group(1).lower(), word.group(1)),) if word else ()  # `or five`: 5


# "or" right after the answer, past its closing delimiters and a comma or full stop (`$ or $`, `. Or`)
_OR_AFTER = re.compile(r"(?:[ \t$,;]|\\[)\]])*+\(?\s*(?:or|and/or|alternatively|或者?)(?![^\W_])", re.I)  # possessive: linear
# ... or, without math or a number, a word that is a value or a bound: `(or C)`, `(or no)`, `or more`
_OFFERED_WORD = re.compile(r"[\s(]*(?:\\text\s*\{\s*)?([A-Ea-e]|yes|no|true|false|more|less|fewer|greater|larger|smaller|so"
                           r"|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
# a remark in brackets right after the answer ... that says another value works too
_REMARK_AFTER = re.compile(r"(?:[\s$]|\\[)\]])*+\(([^()]{1,200})\)")
_ALSO = re.compile(r"\b(?:also|too|as well|alternatively|equally)\b", re.I)
_ALSO_DENIED = re.compile(r"[\s,]*(?:\w+\s+){0,2}?(?:not|wrong|incorrect|false|invalid)\b", re.I)
_DENIED_WORD = re.compile(rf"\b(?:{'|'.join(DENIALS)}|not)\b", re.I)
# after "or": an approximation or a restatement of the same value, not another one
_RESTATED_AFTER_OR = re.compile(r"\s*(?:about|approximately|approx\.?|roughly|around|nearly|equivalently|in other words|i\.e\.|"
                                r"\$?\s*\\approx|≈|~)", re.I)


def _sentence_before(text: str, start: int) -> str:
    """The text of `start`'s sentence before it (at most 300 characters)."""
    window = text[max(0, start - 300) : start]
    ends = [m.end() for m in re.finditer(r"[.!?。！？](?=\s)|\n\s*\n", window)]
    return window[ends[-1] :] if ends else window


def _with_alternative(text: str, start: int, value: str) -> str:
    """`value` (found at `start`), or "<the value before> or <value>" when an "or" joins them (a
    hedge, unless the reference has several values), or "<the value before>, <value>" when an
    "and" does (one answer of two values: "The roots are $2$ and $3$." is not 3); "" when it
    joins words Assay cannot read."""
    before = _sentence_before(text, start)
    joined = _OR_BEFORE.search(before) or _AND_BEFORE.search(before)
    if not joined:
        return value
    head = before[: joined.start()].rstrip(" \t\n(")
    spans = [m for m in _MATH.finditer(head) if m.end() == len(head)]
    numbers = [m for m in _NUMBER.finditer(head) if m.end() == len(head)]
    if spans:
        previous = strip_wrappers(next(g for g in spans[-1].groups() if g is not None))
    elif numbers:
        previous = numbers[-1].group(0)
    else:
        return ""
    if joined.re is _OR_BEFORE:
        return f"{previous} or {value}"
    if re.search(r"\bbetween\b", head, re.I):
        return ""  # "between 2 and 3": a range in words
    names = [re.match(r"\s*\\?([a-zA-Z]+)(?:_\{?\w*\}?|\d*)\s*=", v) for v in (previous, value)]
    if names[0] and names[1] and names[0].group(1) != names[1].group(1):
        return value  # "$a = 2$ and $b = 3$": two unknowns, the last one asked for (`z_1`, `z_2` are one)
    return f"{previous}, {value}"


def _cjk_plain(answer: str) -> str:
    """Chinese, Japanese or Korean text made plain where Assay can: `3个`, `5 元` the number,
    `2或3` `2 or 3`, full-width forms ASCII; any other text unchanged."""
    if not CJK.search(answer):
        return answer
    return _CJK_OR.sub(" or ", _CJK_UNIT.sub("", _spaced_script(answer)).rstrip()).strip()


_CJK_OR = re.compile(r"或者?(?!许)")  # 或 is "or"; 或许 is "perhaps"
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # `３．５`, `（3，4）`, `？`
_SCRIPT_THEN_VALUE = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])(?=[\d$\\-])")
_VALUE_THEN_SCRIPT = re.compile(r"(?<=[\d$])(?=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")


def _spaced_script(text: str) -> str:
    """Full-width ASCII forms as ASCII, and a space between a word of the script and a number
    or mathematics (`结果为3。`: the number 3, which `\\w` would have glued to the word)."""
    text = text.translate(_FULL_WIDTH)
    return _VALUE_THEN_SCRIPT.sub(" ", _SCRIPT_THEN_VALUE.sub(" ", text))


# --------------------------------------------------------------------------- helpers


def strip_wrappers(answer: str) -> str:
    """`$x$`, `\\(x\\)`, `\\[x\\]`, `**x**`, `\\boxed{}` of the whole, trailing periods."""
    answer = answer.strip()
    for _ in range(3):
        before = answer
        if ellipsis := _LIST_ELLIPSIS.search(answer, max(0, len(answer) - 40)):  # `1, 2, 3, ...` goes on: no full stop
            answer = answer[: ellipsis.start()] + ", \\ldots" + (ellipsis.group("close") or "")
        else:
            answer = answer.rstrip(".,;。，；").strip()
        for left, right in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"), ("**", "**")):
            if answer.startswith(left) and answer.endswith(right) and len(answer) > len(left) + len(right):
                answer = answer[len(left) : -len(right)].strip()
        answer = _BOLD_END.sub("", answer).strip()  # `**The final answer is 42**`: the bold's other half, `x = **5**`
        if answer == before:
            break
    return answer


# an open sequence (`1, 2, 3, ...`, `\dots`, `\cdots`, `…`), written alike as `\ldots`
_LIST_ELLIPSIS = re.compile(rf"{LIST_ELLIPSIS}\s*(?P<close>\$\$?|\\[)\]])?$")  # keeps a closing delimiter


# Markdown bold around a value, `x = **5**`: an opening run after a space, a closing one
# before a space or the end; never Python's power, `x**2`, `2 ** 3`, nor `z^*`.
_BOLD_END = re.compile(r"(?:^|(?<=\s))\*{2,}(?=[^\s*])|(?<=[^\s*^])\*{2,}(?=\s|$|[.,;:!?)])")


def _prose_words(text: str) -> int:
    """Words of two letters or more that are neither LaTeX nor function names."""
    text = re.sub(r"\\[a-zA-Z]+", " ", _ENVIRONMENT.sub(" ", text))
    return sum(word.lower() not in _MATH_WORDS and not _GREEK.fullmatch(word) for word in _PROSE_WORD.findall(text)) + len(CJK.findall(text))


_GREEK = re.compile(GREEK_NAMES)  # `theta/2`, `alpha + beta`: plain text's symbols, not prose


def hedge_parts(answer: str) -> list[str]:
    """'3 or 4' -> ['3', '4']; an answer without "or" is its one part."""
    return [_APPROXIMATE.sub("", p.strip()) for p in _HEDGE.split(_TEXT_HEDGE.sub(r" \1 ", answer)) if p.strip()] or [answer]


def _hedges(answer: str) -> tuple[str, ...]:
    """'3 or 4' -> ('3',): the answer commits to more than one value."""
    parts = hedge_parts(answer)
    return tuple(parts[:-1]) if len(parts) > 1 else ()


def _with_choice(answer: ExtractedAnswer, choices: str) -> ExtractedAnswer:
    text = re.sub(r"\\text\w*\s*\{", "", strip_wrappers(answer.text)).replace("}", "")
    if {w.lower() for w in re.findall(r"[A-Za-z]+", text)} & set(DENIALS):
        return answer  # `\boxed{\text{B is wrong}}`: a letter denied, no choice
    m = _CHOICE.match(text)
    letter = next((g for g in m.groups() if g), "").upper() if m else ""
    if letter and letter in choices.upper():
        # "(B) and (C)", "B, C": several letters are several answers, a hedge.
        named = {x.upper() for x in re.findall(rf"(?<![A-Za-z])\(?([{choices}])\)?(?![A-Za-z])", text)}
        return ExtractedAnswer(letter, "choice", answer.alternatives + tuple(sorted(named - {letter})))
    return answer


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)
