"""The registry of sources: built-in problem sets (`builtin:NAME`) and the row styles
of known datasets, one line each.

A new built-in set is one file in this package returning problems, plus its line in
`BUILTINS`; a new dataset style is one converter (a row dict to a problem) plus its line
in `CONVERTERS` (converters.py; `STYLES` here is that table), and its name in
`SourceConfig.style`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pipeline.config import SourceConfig
from pipeline.sources.code_easy import code_easy_problems
from pipeline.sources.converters import CONVERTERS
from pipeline.sources.humaneval import humaneval_problems
from pipeline.sources.math_synth import math_synth_problems
from verifiers.schema import ProblemBase

BUILTINS: dict[str, Callable[[SourceConfig], Iterable[ProblemBase]]] = {
    "humaneval": lambda source: humaneval_problems(),
    "code-easy": lambda source: code_easy_problems(),
    "math-synth": lambda source: math_synth_problems(source.n, seed=source.seed, difficulty=source.difficulty),
}

STYLES: dict[str, Callable[[dict], ProblemBase]] = dict(CONVERTERS)  # the converters' own table
