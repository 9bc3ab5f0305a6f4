"""From raw model output to a Python program.

Models answer in many shapes: a bare continuation of the prompt's function header, a
full function or program, markdown fences with prose around them (often several
fences: an example, the solution, a usage demo). `extract_code` picks the code that is
meant as the solution and returns it ready to run, or None when there is nothing to run
(`no_answer`). It never executes anything.
"""

from __future__ import annotations

import ast
import builtins
import functools
import html
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from verifiers.code.harness import imported_names, names_defined, names_read

_FENCE = r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+#.-]*)"
_FENCE_OPEN = re.compile(_FENCE)
_TAGGED_FENCE = re.compile(_FENCE + r"(?<=[\w+#.-])", re.M)  # an opening fence: a closing one has no tag
_CODE_START = re.compile(r"^(def |async def |class |import |from \S+ import |@|if __name__|[A-Za-z_][\w.]* *=[^=])")
_PYTHON_TAGS = ("python", "py", "python3")  # as languages.py lists Python's fences
_NOT_PYTHON = {"bash", "sh", "shell", "console", "text", "txt", "json", "output", "plaintext", "cpp", "c", "java",
               "javascript", "js", "rust", "go", "sql", "yaml", "html", "markdown", "md"}


# Tagged answers real models write: Code Llama instruct `[PYTHON]...[/PYTHON]`, the MBPP
# paper's prompt format `[BEGIN] '...' [DONE]`, HTML `<code>...</code>` (also
# `<code class="language-python">`). An unclosed tag (a reply cut by max_tokens) runs to
# the end, like an unclosed fence.
_TAGGED = re.compile(r"\[PYTHON\](?P<py>.*?)(?:\[/PYTHON\]|\Z)|\[BEGIN\](?P<begin>.*?)(?:\[DONE\]|\Z)", re.S | re.I)
_HTML_CODE = re.compile(r"<code(?:\s[^<>]*)?>(?P<code>.*?)(?:</code>|\Z)", re.S | re.I)  # [^<>]: linear on `<code ` * n


def _as_fence(match: re.Match) -> str:
    body = next(g for g in match.groups() if g is not None).strip("\n")
    stripped = body.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        try:  # the MBPP prompt format quotes the code as a Python string literal
            literal = ast.literal_eval(stripped)
            body = literal.replace("\r\n", "\n") if isinstance(literal, str) else body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            body = stripped[1:-1]  # quoted, but with raw line breaks inside
    body = html.unescape(body) if "code" in match.re.groupindex else body
    return f"\n```python\n{body}\n```\n"


MAX_BLOCKS = 200  # only a reply's last fenced blocks are candidates: no real reply has more, and each costs a parse
MAX_PROSE_LINES = 2000  # prose stripping tries a bounded number of parses on at most this much
MAX_PARSE_ATTEMPTS = 100


@dataclass(frozen=True)
class ExtractedCode:
    code: str  # the program to run
    how: str  # "fence", "full", "continuation" or "prose-stripped": for reasons and debugging


def extract_code(text: str, prompt: str = "", entry_point: str | None = None) -> ExtractedCode | None:
    """Extract the solution program from `text`.

    Args:
        text: raw model output (any size; NUL bytes and prose are fine).
        prompt: what the model was shown; a HumanEval-style prompt ends in a function
            header that a bare completion continues, and its imports are kept.
        entry_point: the function the tests call, if any.

    Returns:
        The program, or None when nothing in `text` is runnable Python.
    """
    try:
        return _extract(text, prompt, entry_point)
    finally:
        _parse_or_error.cache_clear()


def _extract(text: str, prompt: str, entry_point: str | None) -> ExtractedCode | None:
    text = _TAGGED.sub(_as_fence, _answer_part(text))
    found = _extract_from(text, prompt, entry_point)
    if (found is None or not _parses(found.code)) and (split := _fences_on_own_lines(text)) != text:
        # Markdown's reading found nothing that runs, and fences share lines with text
        again = _extract_from(split, prompt, entry_point)
        if again is not None and _parses(again.code):
            return again
    return found


def _extract_from(text: str, prompt: str, entry_point: str | None) -> ExtractedCode | None:
    blocks, tail = _fenced_blocks(text)
    if not blocks and _HTML_CODE.search(text):
        # HTML only where the reply has no Python fence (`<code>` in prose beside one is an
        # aside), and never inside a fence (`"<code>"` in a program's string is the program's)
        text = _between_fences(text, lambda plain: _HTML_CODE.sub(_as_fence, plain))
        blocks, tail = _fenced_blocks(text)
    if blocks:
        if entry_point and (final := _function_written(tail, entry_point)) is not None:  # a final answer after the fences
            after = _complete(tail, prompt, entry_point, None)
            if after is not None:
                return after
            return ExtractedCode(final, "fence")  # it does not compile: that is the answer, not a draft above
        chosen = _choose_block(blocks, entry_point)
        return _complete(_with_blocks_it_uses(chosen, [body for _, body in blocks], prompt), prompt, entry_point, "fence")
    if not text.strip():
        return None
    return _complete(text, prompt, entry_point, None)


def extract_source(text: str, fences: tuple[str, ...], marker: str | None) -> ExtractedCode | None:
    """The program in a language other than Python: the last fenced block tagged with one
    of `fences` (else the last untagged block), preferring blocks that contain `marker`
    (C's `main(`: not a helper snippet shown before the solution); without fences, the
    whole text when it contains `marker`. None when there is nothing to compile or run."""
    text = _answer_part(text)
    blocks, _tail = _fences(text)
    if not any(lang in fences or not lang for lang, _ in blocks):  # no block Markdown reads: try fences that share lines
        blocks, _tail = _fences(_fences_on_own_lines(text))
    tagged = [body for lang, body in blocks if lang in fences] or [body for lang, body in blocks if not lang]
    if tagged:
        complete = [body for body in tagged if marker is None or marker in body]
        return ExtractedCode((complete or tagged)[-1], "fence")
    if not blocks and marker is not None and marker in text:
        return ExtractedCode(text.strip() + "\n", "full")
    return None


def fenced_language(text: str, languages: dict[str, tuple[str, ...]]) -> str | None:
    """Which of `languages` (name -> fence tags) the text's last tagged code block is in;
    None when no block carries one of their tags."""
    text = _answer_part(text)
    blocks, _tail = _fences(text)
    if not blocks:  # as extract_source reads them
        blocks, _tail = _fences(_fences_on_own_lines(text))
    for tag, _body in reversed(blocks):
        for name, fences in languages.items():
            if tag in fences:
                return name
    return None


def _answer_part(text: str) -> str:
    """Line ends normalised, NULs dropped, and only what follows a reasoning model's
    `</think>`: the answer follows the thinking."""
    text = text.replace("\r\n", "\n").replace("\0", "")
    if "</think>" in text:
        return text[_thinking_end(text) :]
    # Thinking that never ended (cut off by max_tokens) holds drafts, not an answer.
    return "" if text.lstrip().startswith("<think>") else text


def _fences_on_own_lines(text: str) -> str:
    """Backtick fences that share a line with text, on lines of their own: models open a fence
    after prose (`Here is the code:```python`) and close it after code (`return a + b```` ``),
    which Markdown does not read as fences; regex extractors (`` ```python\n(.*?)``` ``, NeMo Gym's
    unit tests) do. Only a fence that ends its line (a tag may follow an opening one) is moved,
    and not one that closes an inline span opened earlier on the line (`the answer is ```x```` ``).
    A fallback: only where Markdown's reading finds nothing that runs (before, the prose after
    such a block was judged as the program), since a program's own comment or string may end in
    three backticks (`# docs use ```` ``), and a prose line may end by mentioning them."""
    if "```" not in text:
        return text
    lines: list[str] = []
    for line in text.split("\n"):
        lines += _split_trailing_fence(line)
    return "\n".join(lines)


def _split_trailing_fence(line: str) -> list[str]:
    body = line.rstrip(" \t")
    tag = len(body)
    while tag and (body[tag - 1].isalnum() or body[tag - 1] in "_+#.-"):  # a scan, not a regex: linear on `` ` `` * n
        tag -= 1
    run = tag
    while run and body[run - 1] == "`":
        run -= 1
    before = body[:run].rstrip(" \t")
    if tag - run < 3 or not before.strip():
        return [line]
    fence = body[run:]
    if "```" not in before:
        return [before, fence]
    # `` ``` then ```python ``: a block closed and another opened on one line
    closing = before.lstrip(" \t")
    rest = closing.lstrip("`")
    if len(closing) - len(rest) >= 3 and rest[:1] in (" ", "\t") and "```" not in rest:
        return [closing[: len(closing) - len(rest)], rest.strip(), fence]
    return [line]


_THINK_LINE = re.compile(r"^[ \t]*</think>[ \t]*$", re.M)


def _thinking_end(text: str) -> int:
    """Where the answer starts, in a text that holds `</think>`. The answer's own program
    (or a draft in the thinking) may hold the tag in a string, so: the first line that is
    the tag alone (as reasoning models end their thinking, even after a draft's fence
    left open); else the first `</think>` outside fenced code; else, in a reply that
    opened with `<think>`, the last one; else none (the whole text is the answer)."""
    if line := _THINK_LINE.search(text):
        return line.end()
    lines = text.split("\n")
    starts = [0]
    for line_text in lines:
        starts.append(starts[-1] + len(line_text) + 1)
    outside = 0  # the first line not yet checked that is outside every fence
    for first, last, _ in [*_fence_spans(lines), (len(lines), len(lines), "")]:
        for k in range(outside, min(first, len(lines))):
            if (at := lines[k].find("</think>")) >= 0:
                return starts[k] + at + len("</think>")
        outside = last + 1
    # Every `</think>` is in a fence. A reply that opened with `<think>` ends it at the last
    # one; so does a reply whose last `</think>` is followed by a tagged fence (a draft fence the
    # thinking left open, then the answer; R1 templates put `<think>` in the prompt).
    last = text.rindex("</think>") + len("</think>")
    if text.lstrip().startswith("<think>") or _TAGGED_FENCE.search(text, last):
        return last
    return 0


def _between_fences(text: str, edit: Callable[[str], str]) -> str:
    """`text` with `edit` applied to each stretch between fenced blocks, the blocks as
    they are: a tag (`<code>`) inside a program's string is the program's."""
    lines = text.split("\n")
    parts: list[str] = []
    done = 0
    for start, end, _ in _fence_spans(lines):
        parts += [edit("\n".join(lines[done:start])), "\n".join(lines[start : end + 1])]
        done = end + 1
    if done < len(lines) or not parts:
        parts.append(edit("\n".join(lines[done:])))
    return "\n".join(parts)


def _fenced_blocks(text: str) -> tuple[list[tuple[str, str]], str]:
    """Python (or untagged) code blocks in order as (tag, body), and the text after the
    last closing fence."""
    blocks, tail = _fences(text)
    return [(lang, body) for lang, body in blocks if lang not in _NOT_PYTHON], tail


def _fences(text: str) -> tuple[list[tuple[str, str]], str]:
    """Fenced blocks in order as (tag, body), and the text after the last closing fence.

    A line scanner (linear in the text): an opening fence runs to the next fence line
    of the same character and at least the same length, or to the end of the text (a
    reply cut off by max_tokens). Bodies are dedented (fences inside list items).
    """
    lines = text.split("\n")
    blocks: list[tuple[str, str]] = []
    tail_start = 0
    for start, end, lang in _fence_spans(lines):
        body = textwrap.dedent("\n".join(lines[start + 1 : end]))
        if body.strip():
            blocks.append((lang, body + "\n"))
        tail_start = end + 1
    return blocks[-MAX_BLOCKS:], "\n".join(lines[tail_start:])


def _fence_spans(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(opening line, closing line, language tag) of each fenced block; an unclosed
    fence closes after the last line (index len(lines))."""
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        fence = m.group("fence")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        yield i, j, m.group("lang").lower()
        i = j + 1


def _choose_block(blocks: list[tuple[str, str]], entry_point: str | None) -> str:
    bodies = [body for _, body in blocks]
    if entry_point:
        # The last block that writes the function is the answer, even when it does not
        # parse (a compile_error): an earlier draft that does is not what the reply ends
        # on. A block that does not parse counts only when it is Python (tagged so, or
        # untagged) and holds a whole `def name(...):` with a body, not a signature, a
        # console session or another language's `def`.
        # A block that only assigns the name (`name = lambda ...`) is the answer when no
        # block writes it with `def`: `fib = cache(fib)` after a `def fib` is an aside.
        attempts = [
            body for lang, body in blocks
            if _defines(body, entry_point, assigned=False)
            or (_defines(body, entry_point) is None and (lang in _PYTHON_TAGS or not lang) and _function_written(body, entry_point))
        ] or [body for _, body in blocks if _defines(body, entry_point)]  # fmt: skip
        if attempts:
            return attempts[-1]
    # Untagged sample output (`3`, `YES`, `O(1)`, a column of numbers) and formulas that replies
    # show after the program parse as Python, but are not the answer (`_shows_output`).
    for pool in ([body for lang, body in blocks if not _shows_output(lang, body) and not _feeds_stdin(body)], bodies):
        if parsing := [b for b in pool if _parses(b)]:
            return parsing[-1]
    return bodies[-1]


def _with_blocks_it_uses(chosen: str, bodies: list[str], prompt: str = "") -> str:
    """The chosen block, after the definitions it reads from the reply's other blocks: a solution
    split over two fences (`raw_heap` in one calls `build_min_heap` of another) runs as the reply
    wrote it, as harnesses that join every block run it. Taken are the top-level functions,
    classes and imports, and the constant-like assignments without a call (`MOD = 10**9 + 7`, not
    a trace's `k = 2`), of names the chosen block reads and neither it nor the prompt binds (a
    restated `poly` stub never replaces the prompt's own), the last block's version of each. They
    go before it (after its `from __future__` imports), so nothing in the chosen block is
    overridden; what runs of them is only what a definition runs (decorators, class bodies,
    default values), and a taken import that fails is skipped, as if never taken."""
    if len(bodies) < 2 or (tree := _parse(chosen)) is None:
        return chosen
    bound = names_defined(tree) | _prompt_names(prompt) | _BUILTINS
    if not (wanted := names_read(tree) - bound):
        return chosen  # the common case: other blocks are not even parsed
    offered: dict[str, tuple[list[str], ast.stmt]] = {}  # name -> (its block's lines, its statement), the last block's
    for body in bodies:
        if body is chosen or (other := _parse(body)) is None:
            continue
        lines = body.split("\n")  # once a block: a statement's text is cut from these
        for node in other.body:
            for name in _defined_by(node):
                offered[name] = (lines, node)
    taken: list[str] = []
    seen: set[str] = set()
    for _ in range(3):  # what a taken helper reads in turn, a few levels deep
        new = [source for name in sorted(wanted) if name in offered
               and (source := _statement_source(*offered[name])) not in seen]  # fmt: skip
        if not new:
            break
        seen.update(new)
        taken = list(dict.fromkeys(new)) + taken
        context = _parse("\n".join(taken))
        if context is None:
            break
        wanted = names_read(context) - names_defined(context) - bound
    if not taken:
        return chosen
    head, rest = _future_head(chosen, tree)
    if _parse(joined := head + "\n\n".join(taken) + "\n\n" + rest) is None:
        return chosen
    return joined


_BUILTINS = frozenset(dir(builtins))
_CONSTANT_NAME = re.compile(r"_*[A-Z][A-Z0-9_]*")


def _defined_by(node: ast.stmt) -> list[str]:
    """The names a top-level statement of another block may lend the chosen one."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [] if isinstance(node, ast.ImportFrom) and node.module == "__future__" else imported_names(node)
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        if any(isinstance(n, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)) for n in ast.walk(node.value)):
            return []  # it would run the other block's code (a demo's `result = solve(data)`)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [t.id for t in targets if isinstance(t, ast.Name) and _CONSTANT_NAME.fullmatch(t.id)]
    return []


def _statement_source(lines: list[str], node: ast.stmt) -> str:
    """A top-level statement's text (with its decorators), cut by its positions from its block's
    lines (`ast.get_source_segment` splits the whole block again for every statement: quadratic).
    An import is guarded: a module the sandbox lacks (a demo's `import pytest`) skips it."""
    decorators = getattr(node, "decorator_list", [])
    first, last = min([node.lineno, *(d.lineno for d in decorators)]), node.end_lineno or node.lineno
    start = 0 if decorators else node.col_offset  # offsets count UTF-8 bytes
    part = [line.encode() for line in lines[first - 1 : last]]
    part[-1] = part[-1][: node.end_col_offset]
    part[0] = part[0][start:]
    text = b"\n".join(part).decode("utf-8", "replace")
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return f"try:\n    {text}\nexcept ImportError:\n    pass"
    return text


@functools.lru_cache(maxsize=8)
def _prompt_names(prompt: str) -> frozenset[str]:
    tree = _parse(prompt)
    return frozenset(_top_level_names(tree)) if tree is not None else frozenset()


def _future_head(code: str, tree: ast.Module) -> tuple[str, str]:
    """`code` split after its docstring and `from __future__` imports, which must stay first."""
    head_end = 0
    for index, node in enumerate(tree.body):
        docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if not (docstring or isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            break
        head_end = node.end_lineno or node.lineno
    if not head_end:
        return "", code
    lines = code.split("\n")
    return "\n".join(lines[:head_end]) + "\n", "\n".join(lines[head_end:])


def _function_written(text: str, name: str) -> str | None:
    """The text from a line `def name(...):` (or `async def`) that has a body after it,
    or None; not in a console session (`>>>`)."""
    if ">>>" in text:
        return None
    # Linear on hostile text: the header is found by a regex without backtracking, and
    # its end (`:` before any comment) and the body's first line are checked by hand.
    for match in re.finditer(rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{re.escape(name)}[ \t]*\(", text, re.M):
        line_end = text.find("\n", match.end())
        if line_end < 0:
            return None
        header = text[match.end() : line_end].split("#", 1)[0].rstrip()
        body = text[line_end + 1 : text.find("\n", line_end + 1) % (len(text) + 1)]
        if header.endswith(":") and body.strip():
            return text[match.start() :]
    return None


def _shows_output(lang: str, body: str) -> bool:
    """An untagged block that computes nothing a run could show: sample output (`3`, `YES`,
    `1\n12\n830455698`) or a formula (`needed = target - (a + b)`): no call, definition or import.
    Such blocks parse as Python but are not the program (APPS and CodeContests replies put them
    after it)."""
    if lang:
        return False
    try:
        tree = ast.parse(body.strip())
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    one_expression = len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr) and "\n" not in body.strip()  # `O(1)`
    return one_expression or not any(isinstance(n, _PROGRAM_NODES) for n in ast.walk(tree))


def _feeds_stdin(body: str) -> bool:
    """A demo that runs the program on a sample (`sys.stdin = io.StringIO(sample)`, then
    `main()`): not the program, which would answer the sample's input to every test."""
    tree = _parse(body)
    return tree is not None and any(
        isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "stdin" for t in node.targets)
        for node in ast.walk(tree)
    )


_PROGRAM_NODES = (ast.Call, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.Import, ast.ImportFrom)


def _complete(code: str, prompt: str, entry_point: str | None, how: str | None) -> ExtractedCode | None:
    """Turn a code fragment into a whole program: as is, after the prompt, or de-prosed."""
    if entry_point and _defines(code, entry_point):
        if not _has_body(code, entry_point):
            return None  # the header and docstring again, with nothing to run
        return ExtractedCode(_with_prompt_context(code, prompt, entry_point), how or "full")
    if prompt and entry_point and f"def {entry_point}(" in prompt:
        sep = "" if prompt.endswith("\n") else "\n"
        joined = _continuation(prompt + sep, code, entry_point)
        if joined is not None and _defines(joined, entry_point) and _has_body(joined, entry_point):
            return ExtractedCode(joined, how or "continuation")
    if _parses(code) and _has_code(code):
        return ExtractedCode(_with_prompt_context(code, prompt, entry_point), how or "full")
    if (dedented := textwrap.dedent(code)) != code and _parses(dedented) and _has_code(dedented):
        return _complete(dedented, prompt, entry_point, how)  # a whole reply indented alike: `  def solve(): ...`
    stripped = _strip_prose(code, entry_point)
    if stripped is not None and stripped != code:
        return _complete(stripped, prompt, entry_point, how or "prose-stripped")
    return None if how is None else ExtractedCode(code, how)  # a broken fence: compile_error, not no_answer


_TOP_LEVEL_LINE = re.compile(r"^(?=\S)", re.M)
MAX_CONTINUATION_CUTS = 3
MAX_CUT_CHARS = 256 * 1024  # a cut costs a parse of the whole text: seconds on a megabyte


def _continuation(prompt: str, code: str, entry_point: str) -> str | None:
    """The prompt and a bare continuation of its header as one program, ended where a base
    model ran on past its function (HumanEval's samplers stop at `\\ndef`, `\\nclass`, `\\nif`,
    `\\nprint`, `\\n#`; SandboxFusion and EvalPlus cut continuations the same way); None when
    no such program parses.

    A second top-level `def entry_point` is the model starting over: the program ends
    before it, as the samplers would have stopped there (else a half-written copy, `...\\n
    ret`, is the function the tests call). What does not parse (a last `def` cut off by
    max_tokens) ends before the last top-level line at or before the syntax error; what
    parses keeps everything else it defines (helpers after the body)."""
    joined, base = prompt + code, len(prompt)
    for _ in range(MAX_CONTINUATION_CUTS if len(joined) <= MAX_CUT_CHARS else 1):
        tree, error = _parse_or_error(joined)
        if tree is not None:
            again = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == entry_point][1:]
            if again:  # found in the tree, so never a `def` inside a string
                cut = _line_start(joined, min([again[0].lineno, *(d.lineno for d in again[0].decorator_list)]))
                return joined[:cut] if cut > base else joined
            return joined
        if error is None:
            return None
        error_at = _line_start(joined, error.lineno or 1)
        starts = [m.start() for m in _TOP_LEVEL_LINE.finditer(joined, base + 1, error_at + 1)]
        if not starts:
            return None
        joined = joined[: starts[-1]]
    return None


def _line_start(text: str, line: int) -> int:
    """Offset of the 1-based `line` in `text` (its end when the text is shorter)."""
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset


def _strip_prose(text: str, entry_point: str | None = None) -> str | None:
    """The code between the prose: from each of the first code-looking lines, the longest run
    of lines that parses. With an entry point, the longest run that defines it, else the
    longest (EvalPlus's sanitizer keeps the longest); without one (a program), the first run that
    does more than import, so a stdio solution wins over its demo after it. "import numpy as np /
    Sorry, let me try again / from numpy import tan / def f(x): ..." is the second run.

    Bounded: at most MAX_PARSE_ATTEMPTS parses, each ending at the last line or just
    before a prose line, over at most MAX_PROSE_LINES lines.
    """
    lines = text.split("\n")[:MAX_PROSE_LINES]
    starts = [i for i, line in enumerate(lines) if _CODE_START.match(line)][:5]
    attempts = 0
    runs: list[str] = []
    runs_end = 0
    for start in starts:
        if start < runs_end:
            continue  # inside the last run found: a shorter copy of it
        prose_cuts = [k for k in range(len(lines) - 1, start, -1) if lines[k] and not lines[k][0].isspace()
                      and not _CODE_START.match(lines[k]) and not lines[k].startswith(("#", ")", "]", "}"))]
        for end in [len(lines), *prose_cuts[:19]]:
            attempts += 1
            if attempts > MAX_PARSE_ATTEMPTS:
                break
            chunk = "\n".join(lines[start:end]).strip("\n")
            if chunk and _parses(chunk) and _has_code(chunk):
                runs.append(chunk + "\n")
                runs_end = end
                break
    if not runs:
        return None
    if entry_point and (writing := [run for run in runs if _defines(run, entry_point)]):
        return max(writing, key=_code_lines)
    if entry_point:
        return max(runs, key=_code_lines)
    # a program: the first run that does more than import (a stdio solution before its demo)
    return next((run for run in runs if not _only_imports(run)), runs[0])


def _code_lines(run: str) -> int:
    return sum(1 for line in run.split("\n") if line.strip())


def _only_imports(code: str) -> bool:
    tree = _parse(code)
    return tree is not None and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)


def _with_prompt_context(code: str, prompt: str, entry_point: str | None) -> str:
    """Keep what a full-function answer relies on from the prompt: its imports and the
    helper functions or classes it defines (HumanEval/38's `encode_cyclic`, say)."""
    try:
        prompt_tree = ast.parse(prompt)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code
    if (code_tree := _parse(code)) is None:
        return code
    code_names = _top_level_names(code_tree)
    context = []
    for node in prompt_tree.body:
        segment = ast.get_source_segment(prompt, node, padded=False)
        if segment is None:
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)) and segment not in code:
            context.append(segment)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name != entry_point and node.name not in code_names:
                context.append(_with_decorators(prompt, node, segment))
    return "\n".join(context) + ("\n\n" if context else "") + code


def _with_decorators(source: str, node: ast.AST, segment: str) -> str:
    lines = source.split("\n")
    decorators = getattr(node, "decorator_list", [])
    if not decorators:
        return segment
    first = min(d.lineno for d in decorators) - 1
    return "\n".join(lines[first : node.end_lineno])


def _top_level_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(imported_names(node))
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _has_body(code: str, name: str) -> bool:
    """The function (or method, or class) does more than hold a docstring: a prompt alone
    is not an answer."""
    def real(body: list) -> list:
        doc = body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant)
        return body[1:] if doc else body

    for node in (tree.body if (tree := _parse(code)) else []):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return bool(real(node.body))
        if _assigns(node, name):
            return True
        if isinstance(node, ast.ClassDef):
            for method in node.body:
                if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.name == name:
                    return bool(real(method.body))
    return False


def _parse(code: str) -> ast.Module | None:
    """The program's tree, or None if it does not parse."""
    return _parse_or_error(code)[0]


@functools.lru_cache(maxsize=4)
def _parse_or_error(code: str) -> tuple[ast.Module | None, SyntaxError | None]:
    """The program's tree, or the syntax error. One extraction asks several questions of the
    same text, and a 1 MB reply takes seconds to parse: it is parsed once (`extract_code`
    empties this cache when it returns, so no tree outlives it). Callers only read the tree."""
    try:
        return ast.parse(code), None
    except SyntaxError as exc:
        return None, exc
    except (ValueError, RecursionError, MemoryError):
        return None, None


def _parses(code: str) -> bool:
    return _parse(code) is not None


def _has_code(code: str) -> bool:
    """Parses and is more than a docstring or a bare name (prose parses as nothing useful)."""
    if (tree := _parse(code)) is None:
        return False
    useful = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, (ast.Constant, ast.Name)))]
    return bool(useful)


def _defines(code: str, name: str, assigned: bool = True) -> bool | None:
    """True if `code` defines `name` at top level (a function or class, or if `assigned`
    an assignment) or as a method of a top-level class; None if it does not parse."""
    if (tree := _parse(code)) is None:
        return None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if assigned and _assigns(node, name):
            return True  # `name = lambda ...`
        if isinstance(node, ast.ClassDef) and any(
            isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name == name for m in node.body
        ):
            return True  # a method of `class Solution`, as LeetCode-style tests call it
    return False


def _assigns(node: ast.stmt, name: str) -> bool:
    """`name = ...` or `name: T = ...` at this statement."""
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    return isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name) and node.target.id == name
