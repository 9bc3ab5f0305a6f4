"""Text from data (reasons, problem ids, prompts, model names) made safe for the terminal.

Failure reasons come from candidate programs, i.e. from hostile model output. Rich would
read `[bold]`, `[/]` or `[link=...]` in them as markup (or crash on a stray closing
tag), and raw escape sequences would reach the terminal. Everything data-derived goes
through `safe` before rich sees it.
"""

from __future__ import annotations

import re

from rich.markup import escape

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(value: object) -> str:
    text = escape(_CONTROL.sub("\ufffd", str(value)))
    # An odd run of trailing backslashes would escape the `[` of whatever markup follows.
    trailing = len(text) - len(text.rstrip("\\"))
    return text + "\\" if trailing % 2 else text
