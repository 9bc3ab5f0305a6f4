"""Answer extraction and number reading: pure functions, no sandbox, no root."""

from __future__ import annotations

import time

import pytest

from verifiers.math.extract import extract_answer, final_answer_of_reference
from verifiers.math.numbers import normalize, plain_number
from verifiers.math.verifier import cut_short, fast_verdict
from verifiers.schema import Status, Verdict

FOUND = [
    # (solution text, answer, where it was found)
    ("We add them. So the total is \\boxed{42}.", "42", "boxed"),
    ("\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}", "(2, 2), (6, 2)", "boxed"),
    ("\\(\\boxed{1}\\) and \\(\\boxed{-2}\\).", "1, -2", "boxed"),
    ("First \\boxed{200}, then \\boxed{255}. The final answer is $10,455$", "10,455", "final_statement"),
    ("The answer is: \\frac{3}{2}.", "\\frac{3}{2}", "final_statement"),
    ("The answer is: (-1,6).", "(-1,6)", "final_statement"),
    ("Natalia sold 48/2 = 24 clips.\n#### 72", "72", "final_statement"),
    ("Final Answer: The largest $n$ is 34.", "34", "final_statement"),
    ("Answer \\[ \n 9 \n \\]", "9", "final_statement"),
    ("Therefore x = \\frac{1+\\sqrt{5}}{2}.", "x = \\frac{1+\\sqrt{5}}{2}", "final_statement"),
    ("To check our answer: $17\\cdot 44 = 748$. So it is \\boxed{44}.", "44", "boxed"),
    ("$\\frac13 $", "\\frac13", "whole"),
    ("x^2 + 2*x + 1", "x^2 + 2*x + 1", "whole"),
    ("\\$10", "10", "whole"),
    ("Therefore $x \\geq 5$ is the solution.", "x \\geq 5", "inline_math"),
    ("The identity matrix is $ \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix} $.", "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "inline_math"),
    ("So the point is $(7, 6)$. <|im_start|>user\nWhat is 5?", "(7, 6)", "inline_math"),
    ("She earns $5 and spends $3 a day. So she saves 2 dollars.", "2", "last_number"),
    ("Alice wins with probability 2/3. I hope it is correct.", "2/3", "last_number"),
    ("<think>maybe it is 3</think> The answer is 4", "4", "final_statement"),
    # a restated problem is not a base model's next question: nothing was answered before it
    ("Let me restate.\nProblem: what is 2+2?\nSo the answer is \\boxed{4}.", "4", "boxed"),
    ("The answer is \\boxed{5}.\n\nQuestion: What is 3+4? The answer is 7.", "5", "boxed"),
    ("He ran 2 1/2 miles.", "2 1/2", "last_number"),
    ("So he earns $20 per hour.", "20", "last_number"),
    ("The area is 2² m.", "2^{2}", "last_number"),
    # Real model output shapes (Qwen2.5-Math on MATH, external/realout.jsonl): the blank box
    # the problem asks to fill, restated, is no hedge; a run of six #s in the garbage after
    # the answer is no GSM8K `####`.
    (BLANK_BOX := "The right side is \\[12x - 7 - x + \\boxed{\\phantom{2}}.\\] So the box holds \\(\\boxed{4}\\).", "4", "boxed"),
    (BLANK_SPACES := "Fill in $\\boxed{\\quad}$ and $\\boxed{\\underline{\\hspace{1cm}}}$: it is \\boxed{7}.", "7", "boxed"),
    ("The area is \\(\\boxed{25}\\).pd Brig that ######\n]]);\n.inject ###", "25", "boxed"),
]

NOTHING = [
    # A denominator, an exponent or an intermediate value must never become the answer.
    "so x = 1 + \\sqrt{5} over 2, i.e. \\frac{1+\\sqrt{5}}{2}",
    "Then 3+4=7. Let me check that again.",
    "I don't know.",
    "Thus $\\boxed{3",  # cut off inside the box
    "The value is 2^{10",
]


@pytest.mark.parametrize(("text", "answer", "source"), FOUND, ids=[t[:40] for t, _, _ in FOUND])
def test_the_committed_answer_and_where_it_was_found(text: str, answer: str, source: str) -> None:
    found = extract_answer(text)
    assert found is not None and (found.text, found.source) == (answer, source)


@pytest.mark.parametrize("text", NOTHING)
def test_no_answer_is_invented(text: str) -> None:
    assert extract_answer(text) is None


def test_hedges_and_one_value_written_twice() -> None:
    assert extract_answer("It is either \\boxed{3} or \\boxed{4}.").hedged
    twice = "$d = \\boxed{15\\frac{39}{40}},$ or $\\boxed{\\frac{639}{40}}$ inches."
    verdict, _ = fast_verdict("\\frac{639}{40}", normalize("\\frac{639}{40}"), plain_number("\\frac{639}{40}"), twice)
    assert verdict is not None and verdict.passed  # the same value twice is no hedge
    hedge, _ = fast_verdict("3", "3", plain_number("3"), "\\boxed{3} or \\boxed{4}")
    assert hedge is not None and hedge.status is Status.fail and "hedges" in hedge.reason


def test_references_as_datasets_write_them() -> None:
    assert final_answer_of_reference("$\\frac{1}{2}$") == "\\frac{1}{2}"
    assert final_answer_of_reference("\\(x = 3\\).") == "x = 3"
    assert final_answer_of_reference(" So the answer is: \\[ \\boxed{32349} \\]") == "32349"
    solution = "We compute the sum of the roots carefully, which gives the value below.\n\nThus the answer is $\\boxed{7}$."
    assert final_answer_of_reference(solution) == "7"


@pytest.mark.parametrize(
    ("text", "value", "decimal_comma"),
    [
        ("1,000", 1000, False), ("1 000", 1000, False), ("1\\,000", 1000, False), ("1 000 000", 1000000, False),
        ("1,22", 1.22, True), ("1000,99", 1000.99, True), ("0,111", 0.111, True),
        ("15\\frac{39}{40}", 639 / 40, False), ("25\\%", 25, False),
    ],
)  # fmt: skip
def test_numbers_and_the_separator_policy(text: str, value: float, decimal_comma: bool) -> None:
    number = plain_number(text, decimal_comma=decimal_comma)
    assert number is not None and abs(float(number.value) - value) < 1e-9


def test_ambiguous_separators_are_never_read_as_one_number_by_accident() -> None:
    assert plain_number("1 2") is None and normalize("1 2") == "1 2"  # two numbers, never 12
    assert plain_number("32, 349") is None  # a list, never 32349
    assert plain_number("1,22") is None and plain_number("0,111") is None  # lists unless the other side is one number


def test_a_cut_off_completion_counts_only_a_committed_answer() -> None:
    guess = Verdict.of(Status.passed, "same answer", extracted="12", answer_source="last_number")
    assert cut_short(guess).status is Status.no_answer and "max_tokens" in cut_short(guess).reason
    boxed = Verdict.of(Status.passed, "same answer", extracted="12", answer_source="boxed")
    assert cut_short(boxed) == boxed


def test_a_blank_box_restated_from_the_problem_is_no_hedge() -> None:
    """MATH's "What number must be placed in the box ... + \\boxed{\\phantom{2}}?": eight
    Qwen2.5-Math solutions restate the blank box before answering \\boxed{4}, and were
    failed as hedging between it and 4 (external/realout.jsonl)."""
    for text in (BLANK_BOX, BLANK_SPACES):
        found = extract_answer(text)
        assert found is not None and not found.hedged, found
    assert extract_answer("It is \\boxed{\\phantom{2}3} or \\boxed{4}.").hedged  # a box with a value is never blank


@pytest.mark.parametrize(
    ("reference", "answer", "equal"),
    [
        ("4:30p..", "4:30 \\text{ p.m.}", True),  # Qwen2.5-Math on MATH (external/realout.jsonl): was failed as 4/(30p) vs 2/15
        ("\\text{4:30 p.m.}", "4:30 \\text{pm}", True),
        ("4:30 p.m.", "16:30", True),
        ("9:00 a.m.", "9:00 \\text{ AM}", True),
        ("12:15 a.m.", "0:15", True),
        ("3:00", "3:00 p.m.", True),  # the reference names no half of the day
        ("4:30 p.m.", "4:30 \\text{ a.m.}", False),
        ("4:30 p.m.", "4:30", True),  # the clock reading decides where one side names no half of the day
        ("4:30", "2:15", False),  # was equal as a ratio: a false pass
        ("2:5", "2:5", True),  # ratios are not times (one-digit "minutes")
        # after a red-team pass: MATH's "HH:MM:SS, without am or pm" (reference
        # `4\!:\!51\!:\!06 \text{ p.m.}`), seconds compared, LaTeX spacing and dots kept apart
        ("4\\!:\\!51\\!:\\!06 \\text{ p.m.}", "4:51:06", True),
        ("4:51:06 \\text{ p.m.}", "4:51:36 \\text{ p.m.}", False),
        ("4:51:06 \\text{ p.m.}", "4:51 \\text{ p.m.}", False),
        ("4:30 \\textrm{ P.M.}", "4:30 pm", True),
        ("1:20", "13:20", False),  # two bare readings compare as written: a ratio may look like a time
        ("7:32", "19:32", False),
    ],
)
def test_times_of_day(reference: str, answer: str, equal: bool) -> None:
    verdict, pending = fast_verdict(reference, normalize(reference), plain_number(reference), f"So it is \\boxed{{{answer}}}.")
    assert pending is None and verdict is not None and verdict.passed is equal, verdict


def test_a_stray_brace_in_a_box_loses_only_that_box() -> None:
    """`\\left\\{ ... \\right.` in a box (piecewise answers, systems): a first linear
    version never closed that box and so read no box after it (a hedge became a pass)."""
    text = "First, $\\boxed{7}$ is a step. The set is $\\boxed{\\left\\{ x \\mid x > 0 \\right.}$. Final: $\\boxed{5}$."
    found = extract_answer(text)
    assert found is not None and found.text == "5" and found.hedged


@pytest.mark.parametrize(
    "text",
    ["The answer is 4." + " " * 2000 + "x",  # a final statement's denial search: 77 s (cubic)
     "\\boxed{" * 120_000 + "1" + "}" * 120_000,  # nested boxes: 6-8 s for 100 KB (a scan per box, then pairs)
     "\\boxed{1} " * 5_000,
     "We compute.\n**5**" + " " * 40_000 + "x",  # a bold value's end: 6.6 s (quadratic), red team 2026-12-06
     "\\boxed{3}" + "\n " * 40_000 + "x",  # the next-question cut's `\n\s*`: 12.6 s for 20,000 (quadratic)
     "\\boxed{3}" + "\nQ:" * 30_000,  # a prefix searched for an answer at every next question
     "\\boxed{3}. " + "Wait " * 30_000 + "4",  # the retraction cue's check for a confirming "Wait"
     "\\boxed{3}" + "; wait" * 30_000 + " check",  # that check scanned to the sentence's end from every clause
     "The roots are " + "$2$ and " * 20_000 + "$3$.",
     "\\boxed{3} Hope this helps" + " " * 40_000 + "x",  # the sign-off pattern anchored at the end: 27 s
     "\\boxed{3} " + "Hope this helps. " * 10_000,
     "\\(" * 40_000, "\\[" * 40_000, "So x <" + " " * 40_000 + "5", "The answer is that " + "1 and " * 20_000 + "2",
     # a red team's (2026-12-06), each quadratic before: 48 s, 14 s, 52 s, over 60 s, over 60 s at 100 KB
     "Therefore " + "\\\\(" * 30_000, "\\boxed{3}\nQ" + " " * 100_000 + "x", "答案" + " " * 100_000 + "x",
     "Thus" + " " * 100_000 + "x y", "word" + "\n" * 100_000 + " w", "The answer is 3" + "\nx" * 50_000 + "$",
     "\\boxed{1} \\text{" + "and " * 25_000 + "\\boxed{2}", "\\boxed{1} \\text{" + " " * 100_000 + "x\\boxed{2}",
     "The answer is x" + "$" * 100_000 + "x", "".join(f"\\boxed{{{i}}}x" for i in range(5_000)) + "".join(f"\\boxed{{{i + 10**6}}} " for i in range(3_000)),
     "<answer>" + "1+" * 20_000 + "1</answer>" + "".join(f"\\boxed{{{i}}}x" for i in range(5_000)),
     "The size is \\boxed{1 " + "GB/" * 90 + "x}",
     # the cue that calls a last box final (2026-12-07): the gap between two boxes is scanned once
     "\\boxed{1}" + " finally" * 20_000 + "\\boxed{3}", "\\boxed{1}" + "\n**Final Answer:** " * 8_000 + "\\boxed{3}",
     "\\boxed{1}" + " " * 100_000 + ", finally \\boxed{3}",
     # a value offered after a box (2026-12-06): spaces both parts of the cue could take, 3.6 s at 16 KB
     "\\boxed{3}" + " " * 100_000 + "x", "\\boxed{3}" + " \t$" * 30_000 + "or 4"],  # `MB` read two ways by the unit pattern: 2^k (minutes at 90)  # an unclosed inline math body scanned to the end from each: 3.9 s for 20,000
    ids=["spaces-after-a-statement", "nested-boxes", "many-boxes", "spaces-after-a-bold-value", "blank-lines-after-a-box",
         "many-next-questions", "many-retractions", "many-retraction-clauses", "many-values-joined-by-and",
         "spaces-after-a-sign-off", "many-sign-offs", "unclosed-inline-math", "unclosed-display-math",
         "spaces-after-a-bound", "many-numbers-in-a-statement",
         "line-breaks-then-openers", "spaces-after-a-next-question", "spaces-after-an-answer-cue", "spaces-after-thus",
         "blank-lines-in-a-conclusion", "lines-without-dollars", "an-open-text-with-and", "an-open-text-with-spaces",
         "dollars-after-an-answer", "many-boxes-and-a-long-answer", "a-long-tag-and-many-boxes", "unit-symbols-read-two-ways",
         "many-final-cues", "many-final-answer-lines", "spaces-before-a-final-cue", "spaces-after-a-box",
         "spaces-and-dollars-before-an-or"],
)
def test_hostile_texts_are_read_in_linear_time(text: str) -> None:
    """The verifier's own process reads every completion (extraction and the fast paths): one
    text must not stall a run."""
    import time

    from verifiers.math.numbers import normalize, plain_number
    from verifiers.math.verifier import fast_verdict

    started = time.process_time()
    fast_verdict("3", normalize("3"), plain_number("3"), text)
    assert time.process_time() - started < 2


def test_a_hostile_reference_is_read_in_linear_time() -> None:
    """A dataset's answer field as a sentence: `1111…ab!` took 24 s at 40 KB (`_NUMBER_WITH_WORD`)."""
    import time

    started = time.process_time()
    final_answer_of_reference("The answer is " + "1" * 100_000 + "ab!")
    assert time.process_time() - started < 2


@pytest.mark.parametrize(("reference", "answer"), [("20:15:12", "20:15:14"), ("1:25", "1:2.5"), ("12:30", "1\\,2:30")])
def test_what_is_no_time_of_day(reference: str, answer: str) -> None:
    """A bare three-part ratio, a decimal, digits split by LaTeX spacing: not read as times
    (a red-team pass found each equal to a time it is not)."""
    verdict, pending = fast_verdict(reference, normalize(reference), plain_number(reference), f"So it is \\boxed{{{answer}}}.")
    assert verdict is None or not verdict.passed, verdict


@pytest.mark.parametrize(("text", "answer", "alternatives"), [
    ("<answer>\\frac{1}{2}</answer>", "\\frac{1}{2}", ()),  # ms-swift: no answer before
    ("Reasoning \\boxed{7} ...\n### Final Answer:\n\n<answer>54</answer>", "54", ()),  # the tag, not the box
    ("<think>the answer is 4</think><answer>The answer is 5</answer>", "5", ()),
    ("<answer>\\boxed{5}</answer>", "5", ()),
    ("<ANSWER> 5 </ANSWER>", "5", ()),
    ("<answer>She has 18 dollars left.</answer>", "18", ()),
    ("<answer>4</answer> wait, <answer>5</answer>", "5", ("4",)),  # tags that answer differently: a hedge
])  # fmt: skip
def test_an_answer_tag_is_the_committed_answer(text: str, answer: str, alternatives: tuple) -> None:
    found = extract_answer(text)
    assert found is not None and (found.text, found.source, found.alternatives) == (answer, "answer_tag", alternatives)
    assert found.committed


def test_an_empty_or_unclosed_answer_tag() -> None:
    found = extract_answer("Put the answer in <answer></answer> tags. \\boxed{5}")  # a tag named, not used
    assert found is not None and (found.text, found.source) == ("5", "boxed")
    found = extract_answer("<answer>5")  # unclosed (cut): read as any text, not committed
    assert found is not None and found.source == "last_number" and not found.committed


@pytest.mark.parametrize("text", ["<answer>" * 200_000, "</answer>" * 200_000, "<answer>1</answer>" * 100_000])
def test_many_answer_tags_are_read_in_linear_time(text: str) -> None:
    started = time.process_time()
    extract_answer(text)
    assert time.process_time() - started < 2.0


@pytest.mark.parametrize("text", ["Answer is 5.", "answer is 5", "Answer is: 5", "answer = 5", "**Answer**: 5"])
def test_an_answer_line_with_is_or_equals(text: str) -> None:
    found = extract_answer(text)  # was "is 5", read as I*s*5
    assert found is not None and (found.text, found.source) == ("5", "final_statement")


def test_a_reference_written_as_a_sentence() -> None:
    assert final_answer_of_reference("The answer is 15.") == "15"  # HELM's references
    assert final_answer_of_reference("answer is 0.6666667") == "0.6666667"
    reference = final_answer_of_reference("The answer is 15.")
    verdict, _ = fast_verdict(reference, normalize(reference), plain_number(reference), "The answer is 15 eggs.")
    assert verdict is not None and verdict.passed, verdict


@pytest.mark.parametrize("reference", [
    "The answer is $\\frac{1}{2}$ for part (a) and $3$ for part (b).",  # several answers: kept whole
    "The answer is 15 because 3*5=15.",
    "The answer is $15$ since $3 \\cdot 5 = 15$.",
    "The answer is 3 when n is odd and 5 when n is even.",
])  # fmt: skip
def test_a_reference_sentence_with_more_than_its_answer_is_kept_whole(reference: str) -> None:
    assert final_answer_of_reference(reference) == reference.rstrip(".")


@pytest.mark.parametrize(("text", "expected"), [
    ("x = **5**", "x = 5"), ("**5**", "5"), ("42**", "42"), ("x**2", "x**2"), ("2 ** 3", "2 ** 3"), ("z^*", "z^*"),
])  # fmt: skip
def test_markdown_bold_is_no_part_of_the_answer(text: str, expected: str) -> None:
    from verifiers.math.extract import strip_wrappers

    assert strip_wrappers(text) == expected


@pytest.mark.parametrize("text", ["The answer is 5? No wait.", "The answer is $x = 5$? Let me check."])
def test_an_answer_asked_is_not_stated(text: str) -> None:
    found = extract_answer(text)
    assert found is None or found.source != "final_statement", found
