"""What every generator backend is configured with: sampling, prompts, and the base of
each backend's own engine model (which lives in the backend's file)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.identity import NOT_IDENTITY


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SamplingConfig(_Config):
    n: int = Field(4, ge=1, le=1024, description="samples per problem", json_schema_extra=NOT_IDENTITY)
    temperature: float = Field(0.8, ge=0, le=5)
    top_p: float = Field(0.95, gt=0, le=1)
    max_tokens: int = Field(512, ge=1, le=131072)
    seed: int = Field(0, description="base seed; each sample gets its own seed derived from it")
    stop: dict[str, list[str]] = Field(
        default_factory=dict, description="stop strings per domain, e.g. {code: ['\\n```\\n']} to end after the code block"
    )

    @field_validator("stop")
    @classmethod
    def _known_domains(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        from verifiers.domains import domain_of

        for name in value:
            domain_of(name)
        return value


class PromptConfig(_Config):
    """Prompt templates per domain. `{prompt}` is the problem's prompt."""

    system: str | None = None
    code: str = (
        "Complete the following {language} task. Reply with the full solution in one "
        "```{fence} fenced code block.\n\n{prompt}"
    )
    math: str = (
        "Solve the following problem. Reason step by step, then give the final answer "
        "as \\boxed{{...}}.\n\n{prompt}"
    )
    few_shot: list[dict[str, str]] = Field(
        default_factory=list, description="chat messages placed before the problem: [{role, content}, ...]"
    )

    @field_validator("code", "math")
    @classmethod
    def _has_slot(cls, value: str) -> str:
        if "{prompt}" not in value:
            raise ValueError("template must contain {prompt}")
        return value


class EngineConfig(_Config):
    """The base of a backend's engine config: `backend` is its registry name (a Literal
    in the subclass), and the fields Ray schedules it by."""

    backend: str
    batch_size: int = Field(16, ge=1, description="problems per Ray Data batch", json_schema_extra=NOT_IDENTITY)

    def ray_options(self) -> dict[str, Any]:
        """Ray resources per generator actor. The default suits a backend that waits on
        the network, not the CPU."""
        return {"num_cpus": 0.25}

    def check_here(self) -> str | None:
        """What is wrong with the engine that the caller's machine can tell before Ray starts
        (a missing local file), or None. Only for a locally started Ray: a cluster's workers
        see their own file systems."""
        return None

    def outside_identity(self) -> list[Any]:
        """Identity of what the config only points at (e.g. a file's size and mtime):
        part of the run hash (`pipeline.run_ids.run_hash`), so another file at the same path
        is another run."""
        return []

