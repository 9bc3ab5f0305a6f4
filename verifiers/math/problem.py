"""A math problem: prompt and reference answer (a value, or a worked solution ending in one)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from verifiers.schema import ProblemBase


class MathProblem(ProblemBase):
    domain: Literal["math"] = "math"
    answer: str = Field(min_length=1)
