"""Text that cannot be stored: lone surrogates.

Shards store text as UTF-8 (Arrow/Parquet strings). Every Unicode scalar value fits,
NUL and control characters included, but a lone surrogate (U+D800..U+DFFF not part of
a pair) is not a character: JSON can spell one (`"\\udcff"`) and Python decodes it
into a `str`, yet no UTF-8 encoder accepts it. Assay's policy:

* input rows (problems, completions to replay) holding one are rejected with the field
  and position (an `input` error): Assay never alters input silently;
* a completion an endpoint generated with one is kept, escaped as the six characters
  `\\udcff`, and judged `no_answer` with a reason saying so (it can never pass);
* a verifier called as a library with such a completion judges it `no_answer` with the
  same reason (`verifiers/base.py`, for every domain);
* diagnostic text (error reasons, excerpts, ids in `errors/`) is escaped the same way.
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value: Any, where: str = "") -> str | None:
    """Where the first lone surrogate in a (nested) value is, e.g.
    "U+DCFF at character 12 of completion", or None when all of it is storable text."""
    if isinstance(value, str):
        if value.isascii():
            return None
        match = _SURROGATE.search(value)
        if match is None:
            return None
        return f"U+{ord(match.group()):04X} at character {match.start()}" + (f" of {where}" if where else "")
    if isinstance(value, dict):
        for key, item in value.items():
            found = lone_surrogate(key, f"{where} (a key)") or lone_surrogate(item, f"{where}.{key}".lstrip("."))
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = lone_surrogate(item, f"{where}[{index}]")
            if found:
                return found
    return None


def escaped(text: str) -> str:
    """`text` with each lone surrogate written as `\\uXXXX` (storable, visible)."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def not_unicode(where: str) -> str:
    return f"not valid Unicode text: a lone surrogate, {where} (text is stored as UTF-8, which cannot hold it)"
