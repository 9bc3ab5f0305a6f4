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
def stdout_to_stderr() -> Iterator[None]:
    """While a run works, whatever libraries print to stdout goes to stderr.

    stdout is reserved for the summary (and `--json` must be exact JSON), but Ray's
    driver prints cluster messages there ("(raylet) A worker died ...") from a background
    thread. Both the Python-level stream and file descriptor 1 are redirected, so C-level
    writes are caught too.
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no fd 1 (embedded use): the Python-level redirect still applies
        saved = None
    if saved is not None:
        os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)
