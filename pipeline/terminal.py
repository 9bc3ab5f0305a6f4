"""Text from data (reasons, problem ids, prompts, model names) made safe for the terminal.

Failure reasons come from candidate programs, i.e. from hostile model output. Rich would
read `[bold]`, `[/]` or `[link=...]` in them as markup (or crash on a stray closing
tag), and raw escape sequences would reach the terminal. Everything data-derived goes
through `safe` before rich sees it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator

from rich.console import Console
from rich.markup import escape

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(value: object) -> str:
    text = escape(_CONTROL.sub("\ufffd", str(value)))
    # An odd run of trailing backslashes would escape the `[` of whatever markup follows.
    trailing = len(text) - len(text.rstrip("\\"))
    return text + "\\" if trailing % 2 else text


# Wide enough that a summary table never needs to fold a cell; lines are never wrapped.
PLAIN_WIDTH = 240


def make_console(stderr: bool = False) -> Console:
    """A console for stdout (or stderr) that decorates only what a person watches.

    On a terminal: rich's colours and layout. Anywhere else (pipes, log files, cron, Ray
    Jobs logs) lines are printed whole, never hard-wrapped at 80 columns, with no colour
    codes, so error messages, paths and JSON-looking lines survive grep and copy-paste.
    Emoji codes are off either way: `:thumbs_up:` in a problem id is data, not a glyph.
    """
    stream = sys.stderr if stderr else sys.stdout
    if _isatty(stream):
        return Console(stderr=stderr, emoji=False, highlight=False)
    return Console(stderr=stderr, emoji=False, highlight=False, soft_wrap=True, width=PLAIN_WIDTH, color_system=None)


def help_markup() -> str | None:
    """Typer's help and usage errors: rich panels on a terminal, click's plain text in
    pipes and logs (rich would box and wrap them at 80 columns there)."""
    return "rich" if _isatty(sys.stdout) else None


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


@contextlib.contextmanager
def library_output_to(path: str) -> Iterator[None]:
    """While a run works, what libraries print goes to the file `path`, not to the user.

    stdout is reserved for the summary (`--json` must be exact JSON), and Ray's internals
    are not the user's business: its driver prints cluster messages to stdout from a
    background thread ("(raylet) A worker died ..."), and its C++ core writes lines such
    as "core_worker.cc ... constructor arguments in the object store" to file
    descriptor 2. Both descriptors 1 and 2 point at `path` for the run; Assay's own
    messages, written through `sys.stderr`, reach the real stderr through a copy of it.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        real_out, real_err = os.dup(1), os.dup(2)
    except OSError:  # no descriptors (embedded use): only the Python-level redirect
        with contextlib.redirect_stdout(sys.stderr):
            yield
        return
    own_stderr = sys.stderr is sys.__stderr__  # not a test runner's capture
    user_err = os.fdopen(os.dup(real_err), "w", buffering=1, encoding="utf-8", errors="replace") if own_stderr else None
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    previous_err = sys.stderr
    if user_err is not None:
        sys.stderr = user_err
    try:
        with contextlib.redirect_stdout(sys.__stdout__ or previous_err):
            yield
    finally:
        for stream in (sys.__stdout__, sys.__stderr__, user_err):
            with contextlib.suppress(Exception):
                stream.flush()  # type: ignore[union-attr]
        sys.stderr = previous_err
        os.dup2(real_out, 1)
        os.dup2(real_err, 2)
        os.close(real_out)
        os.close(real_err)
        if user_err is not None:
            with contextlib.suppress(Exception):
                user_err.close()
