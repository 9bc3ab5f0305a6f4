"""The pipeline's rows: what a run reads (`Completion`), what it writes (`SampleRow`,
`ErrorRow`) and the key of a problem within a run (`ProblemKey`).

The output rows are the one place their columns are listed: the shards' Arrow schemas
(`pipeline.store.schema`) and the report's columns are derived from these models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, NamedTuple

from pydantic import Field

from pipeline.ids import error_id
from verifiers.schema import InputRow, Row, Verdict
from verifiers.text import escaped


class ProblemKey(NamedTuple):
    """A problem within a run: ids are unique per source, not across sources."""

    source: str
    problem_id: str


class Completion(InputRow):
    """Input row of `assay verify`: a raw model output for a problem."""

    problem_id: str = Field(min_length=1)
    completion: str
    sample_id: str | None = None
    model: str | None = None
    finish_reason: str | None = Field(None, description='"length" marks a completion cut by max_tokens')


class SamplingParams(Row):
    """What a sample was drawn with (stored with every sample)."""

    temperature: float
    top_p: float
    max_tokens: int
    seed: int


_IN_REPORT: dict[str, Any] = {"report": True}  # a column `assay report` reads (`REPORT_COLUMNS`)


class SampleRow(Row):
    """One judged sample: a row of `verdicts/`, and of `data/` when it passed."""

    sample_id: str = Field(json_schema_extra=_IN_REPORT)
    problem_id: str = Field(json_schema_extra=_IN_REPORT)
    source: str = Field(json_schema_extra=_IN_REPORT)
    domain: str = Field(json_schema_extra=_IN_REPORT)
    sample_index: int
    prompt: str
    completion: str = Field(json_schema_extra=_IN_REPORT)
    language: str | None = Field(None, description="code: the language the sample was judged in (a problem may accept several)")
    extracted: str | None = Field(None, json_schema_extra=_IN_REPORT)
    answer_source: str | None = Field(None, description="math: boxed | final_statement | whole | inline_math | bold | last_number | choice | answer_tag")
    finish_reason: str | None = Field(None, description="from the generator: stop | length (cut by max_tokens) | ...; null: unknown")
    status: str = Field(json_schema_extra=_IN_REPORT)
    passed: bool = Field(json_schema_extra=_IN_REPORT)
    tests_passed: int
    tests_total: int
    reason: str = Field(json_schema_extra=_IN_REPORT)
    duration_s: float = Field(json_schema_extra=_IN_REPORT)
    verifier_cpu_s: float = Field(json_schema_extra=_IN_REPORT)
    cpu_limit_s: float | None = Field(None, description="code: CPU seconds each sandboxed run was allowed (from the reference; docs/code-verifier.md)")
    score: float | None = Field(None, description="the fraction of test cases passed, where every case ran (stdio run_all_cases); else null")
    model: str = Field(json_schema_extra=_IN_REPORT)
    sampling: SamplingParams | None = None
    prompt_tokens: int = 0
    completion_tokens: int = Field(0, json_schema_extra=_IN_REPORT)
    generation_s: float = 0.0
    run_id: str
    created_at: dt.datetime

    @classmethod
    def of(cls, generation: Any, prompt: str, domain: str, verdict: Verdict, run_id: str, at: dt.datetime) -> SampleRow:
        """The row of `generation` (a `pipeline.generators.base.Generation`) judged `verdict`."""
        return cls(
            sample_id=generation.sample_id, problem_id=generation.problem_id, source=generation.source, domain=domain,
            sample_index=generation.sample_index, prompt=prompt, completion=generation.completion,
            language=verdict.language, extracted=verdict.extracted, answer_source=verdict.answer_source, finish_reason=generation.finish_reason,
            status=verdict.status.value, passed=verdict.passed, tests_passed=verdict.tests_passed,
            tests_total=verdict.tests_total, reason=verdict.reason, duration_s=verdict.duration_s,
            verifier_cpu_s=verdict.cpu_s, cpu_limit_s=verdict.cpu_limit_s, score=verdict.score, model=generation.model, sampling=generation.sampling,
            prompt_tokens=generation.prompt_tokens, completion_tokens=generation.completion_tokens,
            generation_s=generation.latency_s, run_id=run_id, created_at=at,
        )  # fmt: skip


Stage = Literal["input", "generate", "verify", "write"]


class ErrorRow(Row):
    """A row of `errors/`: an input row, request or sample that ended without a verdict."""

    error_id: str
    stage: Stage
    source: str | None = None
    problem_id: str | None = None
    sample_id: str | None = None
    reason: str
    row: str | None = Field(None, description="an excerpt of the offending input, when there is one")
    run_id: str
    created_at: dt.datetime

    @classmethod
    def of(
        cls,
        stage: Stage,
        reason: str,
        run_id: str,
        *,
        source: str | None = None,
        problem_id: str | None = None,
        sample_id: str | None = None,
        row: str | None = None,
        at: dt.datetime | None = None,
        origin: str | None = None,
    ) -> ErrorRow:
        """The one recipe for an error row. Its id depends only on what went wrong where,
        so a rerun that meets the same failure does not store it twice. Text is escaped:
        diagnostics come from anywhere and must never fail to store (`verifiers.text`).

        `origin`: the input the row came from when `source` does not say it alone. Replay's
        completion rows are labelled `completions`, which a problems file named
        `completions.jsonl` is labelled too: the same bad line in both once gave one id, and
        one of the two errors was dropped as a repeat. Their ids hash an origin no source's
        errors have."""
        text = lambda value: None if value is None else escaped(str(value))
        fields = {"source": text(source), "problem_id": text(problem_id), "sample_id": text(sample_id), "reason": escaped(reason), "row": text(row)}
        where = () if origin is None else (origin,)
        return cls(
            error_id=error_id(stage, fields["source"], fields["problem_id"], fields["sample_id"], fields["reason"], fields["row"], *where),
            stage=stage, run_id=run_id, created_at=at or dt.datetime.now(dt.UTC), **fields,
        )  # fmt: skip


REPORT_COLUMNS = [name for name, field in SampleRow.model_fields.items() if field.json_schema_extra == _IN_REPORT]
