"""The contracts every domain shares: the problem base, the statuses and the verdict.

Frozen pydantic models with `extra="forbid"` (an unknown key holding null aside): a row that does not fit is rejected with
the field that is wrong, never half-accepted. Each domain's problem model lives in its
own package (`verifiers/code/problem.py`, `verifiers/math/problem.py`); `verifiers.domains`
joins them into the `Problem` union.
"""

from __future__ import annotations

import enum
import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from verifiers.text import lone_surrogate, not_unicode


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _unknown_nulls_dropped(cls, data: Any) -> Any:
        """A key this model does not have, holding null, carries nothing: Parquet and Hugging Face
        struct columns give every row each key of the column's other rows (a call test's case gets
        a stdio case's `stdin: null`), and such rows were rejected. An unknown key with a value is
        still an error."""
        if isinstance(data, dict) and any(value is None for value in data.values()):
            return {key: value for key, value in data.items() if value is not None or key in cls.model_fields}
        return data


class InputRow(Row):
    """A row read from a user's data: all its text must be storable (`verifiers.text`)."""

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        where = lone_surrogate(data)
        if where:
            raise ValueError(not_unicode(where))
        return data


class ProblemBase(InputRow):
    """What every problem has; a domain adds its `domain` literal and its own fields."""

    problem_id: str = Field(min_length=1)
    domain: str  # a subclass narrows it to its Literal name: the union's discriminator
    prompt: str
    metadata: dict[str, Any] = Field(default_factory=dict)

    def digest(self) -> str:
        """The problem's content hash: what a verifier caches per-problem work by, since
        ids are unique only within a source. Not cached on the object: `model_copy`
        copies such a cache, and a changed copy would claim the original's results."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def template_fields(self) -> dict[str, str]:
        """Values for the prompt template's `{name}` slots besides `{prompt}` (a code
        problem's `{language}` and `{fence}`)."""
        return {}


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


class Verdict(Row):
    """One candidate's judgement. `passed` is true only for status `pass`."""

    status: Status
    passed: bool = False
    tests_passed: int = Field(0, ge=0)
    tests_total: int = Field(0, ge=0)
    reason: str = Field("", max_length=2000)
    duration_s: float = Field(0.0, ge=0)
    cpu_s: float = Field(0.0, ge=0, description="sandbox CPU seconds spent judging this sample")
    cpu_limit_s: float | None = Field(None, gt=0, description="code: the CPU seconds each sandboxed run of this sample was allowed")
    score: float | None = Field(None, ge=0, le=1, description="the fraction of cases passed, where every case ran (stdio run_all_cases)")
    language: str | None = Field(None, description="code: the language the sample was judged in")
    extracted: str | None = None
    answer_source: str | None = Field(
        None, description="math: where the answer was found (boxed, final_statement, whole, inline_math, last_number, choice, answer_tag)"
    )

    @model_validator(mode="after")
    def _passed_iff_pass(self) -> Verdict:
        if self.passed != (self.status is Status.passed):
            raise ValueError("passed must be true exactly when status is 'pass'")
        return self

    @classmethod
    def of(cls, status: Status, reason: str = "", **fields: Any) -> Verdict:
        return cls(status=status, passed=status is Status.passed, reason=reason[:2000], **fields)
