"""The data model every stage shares (DESIGN.md, "Data model" and "Verdicts").

Frozen pydantic models with `extra="forbid"`: a row that does not fit is rejected with
the field that is wrong, never half-accepted.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.text import lone_surrogate, not_unicode


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _InputRow(_Row):
    """A row read from a user's data: all its text must be storable (`pipeline.text`)."""

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        where = lone_surrogate(data)
        if where:
            raise ValueError(not_unicode(where))
        return data


# --------------------------------------------------------------------------- code tests


class AssertTests(_Row):
    """Python test code: HumanEval style (`def check(candidate)`, called with the entry
    point) or MBPP style (plain `assert f(x) == y` lines naming the candidate's functions)."""

    kind: Literal["assert"] = "assert"
    code: str = Field(min_length=1)


class CallCase(_Row):
    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    expected: Any = None


class CallTests(_Row):
    """Call `fn_name` with each case's arguments; compare the return value with `expected`."""

    kind: Literal["call"] = "call"
    fn_name: str = Field(min_length=1)
    cases: list[CallCase] = Field(min_length=1)
    float_tolerance: float = Field(1e-6, ge=0, description="relative and absolute tolerance for floats")


class StdioCase(_Row):
    stdin: str = ""
    stdout: str


class StdioTests(_Row):
    """Run the program with each case's stdin; compare its stdout, whitespace-tolerant."""

    kind: Literal["stdio"] = "stdio"
    cases: list[StdioCase] = Field(min_length=1)
    float_tolerance: float | None = Field(None, ge=0, description="compare numeric tokens with this tolerance")


CodeTests = Annotated[AssertTests | CallTests | StdioTests, Field(discriminator="kind")]


class CodeLimits(_Row):
    """Per-problem limits for one candidate run (all tests of a sample share one run)."""

    cpu_s: float = Field(10.0, gt=0, le=600)
    memory_mb: int = Field(512, ge=32, le=16384)


# --------------------------------------------------------------------------- problems


class CodeProblem(_InputRow):
    problem_id: str = Field(min_length=1)
    domain: Literal["code"] = "code"
    prompt: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    language: Literal["python"] = "python"
    entry_point: str | None = None
    tests: CodeTests
    reference_solution: str | None = None
    limits: CodeLimits = Field(default_factory=CodeLimits)

    @model_validator(mode="after")
    def _entry_point_for_check(self) -> CodeProblem:
        if isinstance(self.tests, AssertTests) and "def check(" in self.tests.code and not self.entry_point:
            raise ValueError("tests define check(candidate) but the problem has no entry_point")
        return self


class MathProblem(_InputRow):
    problem_id: str = Field(min_length=1)
    domain: Literal["math"] = "math"
    prompt: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    answer: str = Field(min_length=1)


Problem = Annotated[CodeProblem | MathProblem, Field(discriminator="domain")]


class Completion(_InputRow):
    """Input row of `assay verify`: a raw model output for a problem."""

    problem_id: str = Field(min_length=1)
    completion: str
    sample_id: str | None = None
    model: str | None = None
    finish_reason: str | None = Field(None, description='"length" marks a completion cut by max_tokens')


# --------------------------------------------------------------------------- verdicts


class Status(str, enum.Enum):
    passed = "pass"
    fail = "fail"
    compile_error = "compile_error"
    runtime_error = "runtime_error"
    timeout = "timeout"
    memory_limit = "memory_limit"
    output_limit = "output_limit"
    no_answer = "no_answer"
    invalid_problem = "invalid_problem"
    verifier_error = "verifier_error"


class Verdict(_Row):
    """One candidate's judgement. `passed` is true only for status `pass`."""

    status: Status
    passed: bool = False
    tests_passed: int = Field(0, ge=0)
    tests_total: int = Field(0, ge=0)
    reason: str = Field("", max_length=2000)
    duration_s: float = Field(0.0, ge=0)
    cpu_s: float = Field(0.0, ge=0, description="sandbox CPU seconds spent judging this sample")
    extracted: str | None = None
    answer_source: str | None = Field(
        None, description="math: where the answer was found (boxed, final_statement, whole, inline_math, last_number, choice)"
    )

    @model_validator(mode="after")
    def _passed_iff_pass(self) -> Verdict:
        if self.passed != (self.status is Status.passed):
            raise ValueError("passed must be true exactly when status is 'pass'")
        return self

    @classmethod
    def of(cls, status: Status, reason: str = "", **fields: Any) -> Verdict:
        return cls(status=status, passed=status is Status.passed, reason=reason[:2000], **fields)
