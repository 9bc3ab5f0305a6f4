"""Extraction on the shapes real chat and base models produce."""

from __future__ import annotations

import ast
import time

import pytest

from verifiers.code.extract import extract_code

PROMPT = '''from typing import List


def below_zero(operations: List[int]) -> bool:
    """ Return True if the balance ever falls below zero.
    >>> below_zero([1, 2, -4, 5])
    True
    """
'''

BODY = """    balance = 0
    for op in operations:
        balance += op
        if balance < 0:
            return True
    return False
"""

FULL = "def below_zero(operations: List[int]) -> bool:\n" + BODY

CASES = [
    # (name, completion, expected "how", snippet that must be in the program)
    ("base-model continuation", BODY, "continuation", "balance += op"),
    ("bare full function", FULL, "full", "from typing import List"),
    ("fenced with prose", f"Sure! Here is the solution:\n\n```python\n{FULL}```\n\nThis runs in O(n).", "fence", "balance"),
    ("fence without language", f"```\n{FULL}```", "fence", "balance"),
    (
        "example fence then solution fence",
        f"For example:\n```python\nprint(below_zero([1, -2]))\n```\nSolution:\n```python\n{FULL}```",
        "fence",
        "def below_zero",
    ),
    (
        "solution then usage fence: the defining block wins",
        f"```python\n{FULL}```\nUsage:\n```python\nassert below_zero([-1])\n```",
        "fence",
        "def below_zero",
    ),
    ("shell fence ignored", f"```bash\npip install x\n```\n```python\n{FULL}```", "fence", "def below_zero"),
    ("unclosed fence (max_tokens)", f"Here you go:\n```python\n{FULL}", "fence", "return False"),
    ("prose around unfenced code", f"Here is my answer.\n{FULL}\nHope this helps!", "prose-stripped", "return False"),
    (
        "main guard kept",
        f"```python\n{FULL}\nif __name__ == '__main__':\n    print(below_zero([1]))\n```",
        "fence",
        "__main__",
    ),
    ("tilde fence", f"~~~py\n{FULL}~~~", "fence", "balance"),
    ("CRLF line ends", f"```python\r\n{FULL.replace(chr(10), chr(13) + chr(10))}```", "fence", "balance"),
    ("NUL bytes", f"```python\n{FULL}\0```", "fence", "balance"),
]


@pytest.mark.parametrize("name,completion,how,snippet", CASES, ids=[c[0] for c in CASES])
def test_extracts_runnable_program(name, completion, how, snippet):
    got = extract_code(completion, PROMPT, "below_zero")
    assert got is not None, name
    assert got.how == how
    assert snippet in got.code
    tree = ast.parse(got.code)  # a whole program
    assert any(isinstance(n, ast.FunctionDef) and n.name == "below_zero" for n in tree.body)


@pytest.mark.parametrize(
    "completion",
    ["", "   \n\n", "I cannot solve this problem.", "The answer is 42.", "```\n\n```", "```bash\nls\n```", PROMPT[:0]],
)
def test_nothing_to_run_is_no_answer(completion):
    assert extract_code(completion, PROMPT, "below_zero") is None


def test_repeating_the_prompt_is_not_an_answer():
    assert extract_code("", PROMPT, "below_zero") is None
    assert extract_code(PROMPT, PROMPT, "below_zero") is None
    assert extract_code(f"```python\n{PROMPT}```", PROMPT, "below_zero") is None


def test_prompt_helpers_are_kept_for_full_function_answers():
    prompt = 'def encode(s):\n    return s[::-1]\n\n\ndef decode(s):\n    """inverse of encode"""\n'
    got = extract_code("```python\ndef decode(s):\n    return encode(s)\n```", prompt, "decode")
    assert got is not None and "def encode" in got.code and got.code.index("def encode") < got.code.index("def decode")
    # the model's own helper wins over the prompt's
    got = extract_code("def encode(s):\n    return s\n\ndef decode(s):\n    return encode(s)\n", prompt, "decode")
    assert got.code.count("def encode") == 1


def test_a_continuation_ends_where_the_base_model_ran_on():
    """SandboxFusion's HumanEval and EvoEval fixtures (external/graders.jsonl): a base model's
    continuation runs past its function, as HumanEval's samplers (which stop at `\\ndef`)
    would not let it."""
    # a next `def` cut off by max_tokens: the program did not parse (no_answer before)
    got = extract_code(BODY + "\n\ndef random", PROMPT, "below_zero")
    assert got is not None and got.how == "continuation" and "def random" not in got.code
    ast.parse(got.code)
    # the model starts the function over and is cut off: the half-written copy, which the
    # tests would call, is not the answer
    restart = BODY + "def below_zero(operations: List[int]) -> bool:\n    balance = 0\n    ret\n"
    got = extract_code(restart, PROMPT, "below_zero")
    assert got is not None and got.code.count("def below_zero") == 1 and "ret\n" not in got.code.replace("return", "")
    # ... found in the program, never in a string; a decorator goes with the copy it decorates
    quoted = '    doc = """\ndef below_zero(ops):\n"""\n' + BODY
    got = extract_code(quoted, PROMPT, "below_zero")
    assert got is not None and got.how == "continuation" and "return False" in got.code
    decorated = BODY + "\nimport functools\n@functools.cache\ndef below_zero(operations):\n    return 12345\n"
    got = extract_code(decorated, PROMPT, "below_zero")
    assert got is not None and "@functools.cache" not in got.code and "12345" not in got.code
    # what parses as written is kept whole: a helper the body calls stays
    helper = "    return _negative(operations)\n\n\ndef _negative(ops):\n    return min(ops, default=0) < 0\n"
    got = extract_code(helper, PROMPT, "below_zero")
    assert got is not None and "def _negative" in got.code
    # ... and a helper before a cut-off tail stays too
    got = extract_code(helper + "\n\nprint(below_zero([1, -", PROMPT, "below_zero")
    assert got is not None and "def _negative" in got.code and "print(" not in got.code


def test_broken_fenced_code_is_kept_for_a_compile_error():
    got = extract_code("```python\ndef below_zero(ops):\n    return (\n```", PROMPT, "below_zero")
    assert got is not None  # judged as compile_error, not no_answer


def test_programs_without_entry_point():
    got = extract_code("Read input:\n```python\nn = int(input())\nprint(n * 2)\n```")
    assert got is not None and got.code.startswith("n = int(input())")


def test_huge_completion_is_handled():
    text = "```python\n" + FULL + "```\n" + "x" * 2_000_000
    assert extract_code(text, PROMPT, "below_zero") is not None


def test_a_huge_continuation_is_not_cut_again_and_again():
    """Each cut parses the whole text again (seconds on a megabyte of statements): only
    texts up to 256 KB are cut."""
    import time

    for size in (200_000, 1_000_000):
        text = "    a;a;a;a;a;a;a;a\n" * (size // 20) + "".join(f"ga rbage{i}\n" for i in range(9))
        started = time.process_time()
        got = extract_code(text, PROMPT, "below_zero")
        assert time.process_time() - started < 8
        assert (got is not None) == (size == 200_000)


def test_a_hostile_function_header_costs_linear_time():
    """A 1 MB `def` line of colons and comments after a fenced draft: extraction must not
    backtrack over it (a regex version took 3.7 s for 40 KB, quadratic)."""
    import time

    text = "```python\ndef f(x):\n    return x\n```\ndef f(" + ":#" * 500_000 + "\n"
    started = time.process_time()
    extract_code(text, entry_point="f")
    assert time.process_time() - started < 2


STRIP_TAGS = '''def strip_tags(text):
    """Drop a reasoning model's thinking: everything up to the tag."""
    return text.split("</think>", 1)[-1].replace("<code>", "").replace("</code>", "")
'''


@pytest.mark.parametrize(
    "completion",
    [
        f"<think>\nSplit on the closing tag.\n</think>\nHere it is:\n```python\n{STRIP_TAGS}```",
        f"Split on the closing tag (the template opened the thinking).\n</think>\n```python\n{STRIP_TAGS}```",
        f"```python\n{STRIP_TAGS}```",
        f"<think>\n```python\nprint('</think>')\n```\nthat draft is wrong\n</think>\n```python\n{STRIP_TAGS}```",
    ],
    ids=["thinking-then-answer", "r1-no-opening-tag", "no-thinking", "tag-in-a-draft"],
)
def test_tags_inside_the_answers_code_are_code(completion):
    """`</think>` and `<code>` in a string of the answer's own program are not markup: the
    thinking ends at the first `</think>` outside fenced code, and HTML tags are read
    only between fences (before, the program was cut at its own string, a false fail)."""
    got = extract_code(completion, entry_point="strip_tags")
    assert got is not None and got.code == STRIP_TAGS


def test_an_unclosed_draft_fence_in_the_thinking_does_not_hide_the_answer():
    completion = "<think>\n```python\ndef f(x):\n    return x\n</think>\n```python\ndef f(x):\n    return x + 1\n```"
    got = extract_code(completion, entry_point="f")
    assert got is not None and "x + 1" in got.code


def test_inline_html_code_in_prose_after_a_fence_is_not_the_program():
    got = extract_code("```python\nn = int(input())\nprint(n * 2)\n```\nFor input 3 it runs <code>print(3 * 2)</code>, which prints 6.")
    assert got is not None and got.code.startswith("n = int(input())")


def test_an_entry_point_bound_to_a_lambda_is_the_answer():
    """`name = lambda ...` defines the entry point: the block that binds it is the answer,
    not a usage block after it (before, the usage block was judged: a false fail)."""
    completion = "```python\nis_even = lambda n: n % 2 == 0\n```\nUsage:\n```python\nprint(is_even(4))\n```"
    got = extract_code(completion, entry_point="is_even")
    assert got is not None and got.code.startswith("is_even = lambda")
    bare = extract_code("is_even: Callable = lambda n: n % 2 == 0\n", entry_point="is_even")
    assert bare is not None and "lambda" in bare.code
    # ... but after a block with the `def`, a block that rebinds the name is an aside
    aside = "```python\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n```\nFaster:\n```python\nfib = cache(fib)\n```"
    got = extract_code(aside, entry_point="fib")
    assert got is not None and got.code.startswith("def fib")


RIGHT = "def add(a, b):\n    return a + b\n"


@pytest.mark.parametrize(
    "completion,prompt,entry_point,expected",
    [
        ("Okay, first draft:\n```python\ndef add(a, b):\n    return a - b\nHmm wait, subtraction.\n</think>\n\nHere:\n```python\n"
         f"{RIGHT}```\n", "", "add", "a + b"),
        ("Okay.\n```python\ndef add(a, b):\n    return a + b\nThat's it.\n</think>\n\n```python\ndef add(a, b):\n    return a * b\n```\n",
         "", "add", "a * b"),
        ("Draft:\n```python\nn = int(input())\nprint(n - 1)\nHmm, n+1.\n</think>\n\n```python\nn = int(input())\nprint(n + 1)\n```\n",
         "", None, "n + 1"),
        ("Draft:\n```python\ndef add(a, b):\n    return a - b\nhmm plus\n</think>\n    return a + b\n", 'def add(a, b):\n    """Add."""\n',
         "add", "a + b"),
        ("We split at </think>.\ndef strip_tags(s):\n    return s\nno.\n</think>\nFinal:\ndef strip_tags(s):\n    return s.split('</think>', 1)[-1]\n",
         "", "strip_tags", "split('</think>'"),
        (f"[PYTHON]\n{RIGHT}[/PYTHON]\n\nExample usage:\n```\n>>> add(2, 3)\n5\n```\n", "", "add", "a + b"),
        ("[PYTHON]\nn = int(input())\nprint(n + 1)\n[/PYTHON]\n\nSample input:\n```\n3\n```\nSample output:\n```\n4\n```\n", "", None, "n + 1"),
        ("Here is the code:\n```\n[BEGIN]\n'def add(a, b):\\r\\n  return a + b'\n[DONE]\n```\n", "", "add", "a + b"),
        (f'<pre><code class="language-python">{RIGHT.replace(">", "&gt;")}</code></pre>', "", "add", "a + b"),
        ("Draft:\n```python\ndef add(a, b):\n    return a - b\nDone.</think>\n\n```python\ndef add(a, b):\n    return a * b\n```\n",
         "", "add", "a * b"),  # no opening tag, the draft fence left open, the thinking ended inline
    ],
    ids=["draft-fence-left-open", "draft-right-answer-wrong", "stdin-draft-left-open", "continuation-after-open-draft",
         "prose-names-the-tag", "codellama-then-usage-fence", "codellama-then-sample-fences", "begin-done-in-a-fence", "html-pre-code",
         "draft-left-open-thinking-ended-inline"],
)
def test_thinking_and_tags_on_real_reply_shapes(completion, prompt, entry_point, expected):
    """Shapes a red-team pass found after the first version of the rules above: a
    thinking trace (no opening tag, as R1 and QwQ templates write it) whose draft fence is
    never closed ends at the line that is `</think>` alone, and `[PYTHON]`/`[BEGIN]`
    answers beside an untagged usage or sample fence are still the answer."""
    got = extract_code(completion, prompt, entry_point)
    assert got is not None and expected in got.code, got


def test_unclosed_html_tags_cost_linear_time():
    import time

    started = time.process_time()
    extract_code("<code " * 100_000, entry_point="f")  # 11.5 s for a fifth of this with `[^>]*`
    assert time.process_time() - started < 2


def test_a_reply_of_many_fences_costs_a_bounded_number_of_parses():
    """200,000 tiny fences (4 MB) before the answer: only the last MAX_BLOCKS are
    candidates (each costs a parse; all of them took 9.5 s)."""
    import time

    text = "```python\nx = '</think>'\n```\n" * 200_000 + f"```python\n{RIGHT}```\n"
    started = time.process_time()
    got = extract_code(text, entry_point="add")
    assert got is not None and "a + b" in got.code
    assert time.process_time() - started < 5


def test_a_large_reply_is_parsed_once(monkeypatch):
    """A 1 MB reply (the pipeline's default cap) takes seconds to parse; extraction asks
    several questions of it and parsed it three times (12 s for 500,000 lines)."""
    text = "a\n" * 500_000
    parsed: list[int] = []
    real = ast.parse
    monkeypatch.setattr(ast, "parse", lambda source, *a, **k: parsed.append(len(source)) or real(source, *a, **k))
    assert extract_code(text, entry_point="g") is None
    assert sum(size >= len(text) - 2 for size in parsed) == 1, parsed[:10]


@pytest.mark.parametrize("after", ["1\n12\n830455698\n890287984", "needed = target - (a + b)", "YES", "O(1)", "3 4\n5 6"])
def test_untagged_output_or_a_formula_after_the_program_is_not_the_program(after: str) -> None:
    """Replies to APPS and CodeContests show sample output, or a formula, in an untagged block
    after the ```python program; it parses as Python, computes nothing, and was judged instead
    (two of 624 Qwen-Coder replies, tests/verifiers/code/external/contests_outputs.jsonl.gz)."""
    program = "import sys\nprint(sum(map(int, sys.stdin.read().split())))\n"
    found = extract_code(f"```python\n{program}```\nSample output:\n```\n{after}\n```\n")
    assert found is not None and found.code == program


def test_an_untagged_program_after_a_tagged_draft_is_still_the_answer() -> None:
    final = "import sys\nprint(sum(map(int, sys.stdin.read().split())))\n"
    found = extract_code(f"```python\nprint(3)\n```\nActually, final:\n```\n{final}```\n")
    assert found is not None and found.code == final


SPLIT_REPLY = """First a helper:
```python
import heapq
LIMIT = 10**6
data = load_rows()

def build_min_heap(xs):
    h = [x for x in xs if x < LIMIT]
    heapq.heapify(h)
    return h

def unused():
    return 1
```
Then the solution:
```python
def raw_heap(xs):
    return build_min_heap(xs)
```
Usage:
```python
result = raw_heap([3, 1, 2])
print(result)
```
"""


def test_a_solution_split_over_blocks_runs_whole() -> None:
    """A reply that writes a helper in one fence and the function that calls it in the next
    (usama-nadeem-turing/MBPP, row 753: `raw_heap` and `build_min_heap`) was a NameError: the
    chosen block now takes what it reads from the other blocks, and only that."""
    found = extract_code(SPLIT_REPLY, entry_point="raw_heap")
    assert found is not None
    namespace: dict = {}
    exec(found.code, namespace)  # our own test text
    assert namespace["raw_heap"]([3, 1, 2]) == [1, 3, 2]
    # what it reads, in turn (the import, the constant); never a call's result, a demo, or the unused
    for absent in ("load_rows", "unused", "print(result)"):
        assert absent not in found.code
    assert found.code.endswith("def raw_heap(xs):\n    return build_min_heap(xs)\n")


def test_the_chosen_blocks_own_definitions_are_never_replaced() -> None:
    reply = ("```python\ndef helper(x):\n    return x\n\ndef f(x):\n    return helper(x)\n```\nFixed:\n"
             "```python\ndef helper(x):\n    return x + 1\n\ndef f(x):\n    return helper(x) * 2\n```\n")
    found = extract_code(reply, entry_point="f")
    assert found is not None and found.code == "def helper(x):\n    return x + 1\n\ndef f(x):\n    return helper(x) * 2\n"


def test_a_block_that_reads_nothing_from_others_is_unchanged() -> None:
    final = "import sys\nprint(sum(map(int, sys.stdin.read().split())))\n"
    found = extract_code(f"```python\ndef solve():\n    pass\n```\nBetter:\n```python\n{final}```\n")
    assert found is not None and found.code == final


@pytest.mark.parametrize(("text", "expected"), [
    # evalplus/evalplus @ 26d6d00, tests/test_legacy_sanitizer.py, test_code_extract: the longest code
    # between the prose, not the first (Assay ran `import numpy as np` alone, a NameError)
    ("Here is some python code generated\nimport numpy as np\nSorry, I made a mistake, let me try again\n"
     "from numpy import sin, cos, tan\n\ndef f(x):\n    return tan(x)\nAs you can observe from above\n    ",
     "from numpy import sin, cos, tan\n\ndef f(x):\n    return tan(x)\n"),
    ("import numpy as np\n\n\nimport pandas\nSorry, let me try again\nfrom numpy import sin, cos, tan\ndef f(x):\n"
     "    return tan(x)\n", "from numpy import sin, cos, tan\ndef f(x):\n    return tan(x)\n"),
    # NVIDIA-NeMo/Gym @ 07d6b0d, the critpt and code-generation apps' tests: a reply indented alike
    # (no answer before)
    ("  def solve():\n    return 42  ", "def solve():\n  return 42  "),
    ("  print('hi')  ", "print('hi')  "),
])  # fmt: skip
def test_unfenced_code_in_prose_or_indented_alike(text: str, expected: str) -> None:
    found = extract_code(text)
    assert found is not None and found.code == expected


def test_between_prose_the_run_that_writes_the_entry_point_wins() -> None:
    text = "import os\nimport sys\nimport re\nSorry, the answer:\ndef f(x):\n    return x\nThat is all."
    found = extract_code(text, entry_point="f")
    assert found is not None and "def f(x)" in found.code


def _fenced(*blocks: str) -> str:
    return "".join(f"Next:\n```python\n{block}```\n" for block in blocks)


def test_split_blocks_never_replace_the_prompts_helper() -> None:
    """A red team (2026-12-07): a restated prompt helper (`def poly(xs, x): ...  # as defined in
    the prompt`) in another block was taken and replaced the prompt's own: a false fail."""
    prompt = "import math\n\n\ndef poly(xs: list, x: float):\n    return sum(c * math.pow(x, i) for i, c in enumerate(xs))\n\n\ndef find_zero(xs: list):\n    pass\n"
    reply = _fenced("def poly(xs: list, x: float):\n    ...  # as defined in the prompt\n",
                    "def find_zero(xs: list):\n    lo, hi = -1.0, 1.0\n    return poly(xs, lo)\n")
    found = extract_code(reply, prompt, "find_zero")
    assert found is not None and "math.pow" in found.code and "as defined in the prompt" not in found.code


def test_split_blocks_go_after_the_chosen_blocks_future_import() -> None:
    reply = _fenced("from typing import Optional\n\nclass TreeNode:\n    pass\n",
                    "from __future__ import annotations\n\ndef depth(root: Optional[TreeNode]) -> int:\n    return 0\n")
    found = extract_code(reply, entry_point="depth")
    assert found is not None and found.code.startswith("from __future__ import annotations\n")
    compile(found.code, "<reply>", "exec", dont_inherit=True)  # a misplaced future import does not compile


def test_split_blocks_take_no_sample_values_and_guard_imports() -> None:
    """A trace's `k = 2` filled in a buggy answer's missing name; a demo's `import pytest` could
    stop the program from loading where the sandbox lacks it."""
    reply = _fenced("k = 2\nMOD = 7\nimport pytest\n",
                    "def f(nums):\n    if False:\n        pytest.fail()\n    return sum(nums[:k]) % MOD\n")
    found = extract_code(reply, entry_point="f")
    assert found is not None and "k = 2" not in found.code and "MOD = 7" in found.code
    assert "try:\n    import pytest\nexcept ImportError:\n    pass" in found.code


def test_a_demo_that_feeds_stdin_is_not_the_program() -> None:
    main = "import sys\n\ndef main():\n    print(sum(map(int, sys.stdin.read().split())))\n\nmain()\n"
    found = extract_code(_fenced(main, 'import io, sys\nsys.stdin = io.StringIO("1 2")\nmain()\n'))
    assert found is not None and found.code == main


def test_a_stdio_solution_before_its_worked_example_is_the_program() -> None:
    text = ("Solution:\n\nn = int(input())\nprint(n * 2)\n\nFor the example, the values would be:\n\n"
            "n = 3\nexpected = 6\nanswer = n * 2\nassert answer == expected\n")
    found = extract_code(text)
    assert found is not None and found.code == "n = int(input())\nprint(n * 2)\n"


def test_taking_definitions_from_a_large_block_costs_linear_time() -> None:
    """`ast.get_source_segment` for every statement of a 100 KB block took 70 s (quadratic)."""
    import time

    block = "".join(f"v{k} = {k}\n" for k in range(8000)) + "".join(f"@d\ndef g{k}():\n    pass\n" for k in range(4000))
    started = time.process_time()
    found = extract_code(_fenced(block, "def f(x):\n    return x + missing + v7 + g3()\n"), entry_point="f")
    assert found is not None and time.process_time() - started < 3


ADD = "def add(a, b):\n    return a + b\n"


@pytest.mark.parametrize(
    "reply",
    [
        # an opening fence after prose: the closing fence's line opened a "block" of the prose after it
        f"Here is the solution:```python\n{ADD}```\nThis adds two numbers.",
        f"Here is the solution: ```\n{ADD}```\nIt returns the sum.",
        # a closing fence after the code's last line: the block ran to the end of the reply
        f"Sure! ```python\n{ADD.rstrip()}```",
        f"```python\n{ADD.rstrip()}```\nThis adds.\n```python\nprint(add(1, 2))\n```",
        # a block closed and a draft's successor opened on one line
        f"Draft: ```python\ndef add(a, b):\n    return a - b\n``` then, fixed: ```python\n{ADD}```",
    ],
)
def test_fences_that_share_a_line_with_text_are_fences(reply: str) -> None:
    """Models open a fence after prose and close it after code on the same line; Markdown reads
    neither as a fence, regex extractors (and NeMo Gym's unit tests) do. Before, "Here is the
    solution:```python ... ```\\nThis adds." ran the prose line as the program: a false fail."""
    found = extract_code(reply, entry_point="add")
    assert found is not None and found.code == ADD, found


@pytest.mark.parametrize(
    "reply",
    [
        # an inline span closed at the end of a line is no fence
        f"The function is ```add```\n```python\n{ADD}```\n",
        # a program's own backticks stay where they are
        'def add(a, b):\n    return a + b\n\nFENCE = "```"\nprint(FENCE + "python")\n',
    ],
)
def test_inline_spans_and_a_programs_own_backticks_are_not_moved(reply: str) -> None:
    found = extract_code(reply, entry_point="add")
    assert found is not None and found.code.startswith(ADD) and ("FENCE" in found.code) == ("FENCE" in reply), found


def test_a_line_of_backticks_costs_linear_time() -> None:
    started = time.perf_counter()
    for line in ("a" + "`" * 200_000 + "b c", "x " + "`" * 200_000 + "python", "``` " * 50_000):
        extract_code(f"{line}\n{ADD}", entry_point="add")
    assert time.perf_counter() - started < 3


F3 = "```"
OWN_BACKTICKS = [
    # a comment that ends in three backticks is the program's (a red team's finds, session 31)
    (f"{F3}python\ndef f(a, b):\n    return a + b\n\n# a faster version; docs use {F3}\ndef f(a, b):\n    return a - b\n{F3}\n",
     "return a - b"),
    (f'{F3}python\ndef strip_fence(s):\n    lines = s.split("\\n")\n    # drop the opening and the closing {F3}\n'
     f'    return "\\n".join(lines[1:-1])\n{F3}\n', "join(lines[1:-1])"),
    (f'{F3}python\ndef strip_fence(s):\n    # the first line is the opener, e.g. {F3}python\n    return s[1:-1]\n{F3}\n', "s[1:-1]"),
    # a prose line that ends by mentioning them, before an untagged block
    (f"Here's my program, formatted between {F3}\n\n{F3}\nn = int(input())\nprint(n * 2)\n{F3}\n\nExplanation: twice n.\n",
     "print(n * 2)"),
]


@pytest.mark.parametrize(("reply", "kept"), OWN_BACKTICKS)
def test_backticks_that_end_a_line_of_a_well_fenced_reply_stay_where_they_are(reply: str, kept: str) -> None:
    """Fences that share a line with text are read only where Markdown's reading finds nothing that
    runs: a first version moved every such fence, and a program's own comment closed its block (the
    reply's redefinition of `f` was dropped and an earlier, passing one judged instead)."""
    found = extract_code(reply)
    assert found is not None and kept in found.code and "Explanation" not in found.code, found
