"""The generator contract shared by every backend, and the `Backend` record each backend
file registers (`pipeline.generators.registry`)."""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from pipeline.generators.config import EngineConfig, SamplingConfig
from pipeline.rows import SamplingParams
from verifiers.schema import Row
from verifiers.text import escaped, lone_surrogate, not_unicode

if TYPE_CHECKING:
    from pipeline.generators.registry import GeneratorConfig


def sampling_params(sampling: SamplingConfig, seed: int) -> SamplingParams:
    return SamplingParams(temperature=sampling.temperature, top_p=sampling.top_p, max_tokens=sampling.max_tokens, seed=seed)


class SampleSlot(Row):
    """One sample still to produce for a problem."""

    index: int = Field(ge=0)
    sample_id: str
    seed: int
    locator: int | None = Field(None, description="replay only: where the completion is stored")
    digest: str | None = Field(None, description="replay only: digest of the row found there when planned, checked when it is read back")


class GenerationRequest(Row):
    source: str
    problem_id: str
    domain: str
    messages: list[dict[str, str]]
    samples: list[SampleSlot] = Field(min_length=1)


class Generation(Row):
    """One candidate, or the reason there is none (`error`)."""

    sample_id: str
    source: str
    problem_id: str
    sample_index: int
    completion: str | None = None
    error: str | None = None
    unstorable: str | None = None  # why the completion had to be escaped (`verifiers.text`): judged no_answer
    finish_reason: str | None = None  # "stop", "length" (cut by max_tokens), ... as the backend says; None: unknown
    model: str
    sampling: SamplingParams | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0

    @model_validator(mode="before")
    @classmethod
    def _storable_completion(cls, data: Any) -> Any:
        """A model's output is never lost nor silently changed: what UTF-8 cannot hold is
        escaped, and the row says so (every backend builds its rows through here)."""
        completion = data.get("completion") if isinstance(data, dict) else None
        if isinstance(completion, str) and (where := lone_surrogate(completion, "completion")):
            data = {**data, "completion": escaped(completion), "unstorable": not_unicode(where)}
        return data


class Generator(abc.ABC):
    """Turns requests into generations; one instance lives in one Ray actor.

    `generate` returns exactly one `Generation` per requested sample, in any order, and
    never raises for a failed request: the failure is the row's `error`.
    """

    model_name: str = "unknown"

    def __init__(self, config: GeneratorConfig) -> None:
        self.config = config

    @abc.abstractmethod
    def generate(self, requests: list[GenerationRequest]) -> list[Generation]: ...

    def close(self) -> None:
        """Release the model or connections."""

    def _row(self, request: GenerationRequest, slot: SampleSlot, **fields: Any) -> Generation:
        """The generation for one requested sample (identity from the request and slot)."""
        fields.setdefault("model", self.model_name)
        return Generation(
            sample_id=slot.sample_id, source=request.source, problem_id=request.problem_id, sample_index=slot.index, **fields
        )

    def _failed(self, request: GenerationRequest, slot: SampleSlot, error: str) -> Generation:
        return self._row(request, slot, error=error[:2000], sampling=sampling_params(self.config.sampling, slot.seed))


@dataclass(frozen=True)
class Backend:
    """A generator backend as the registry knows it.

    `config` is its engine model (a subclass of `EngineConfig` whose `backend` Literal is
    its name). A backend runs either as `generator`, one instance per Ray actor fed by
    Assay's generate stage, or as `stage`, its own Ray Data processor (vLLM). `plan`
    replaces the planner for a backend whose samples already exist (replay)."""

    config: type[EngineConfig]
    generator: Callable[..., Generator] | None = None  # (GeneratorConfig) -> Generator
    stage: Callable[[Any, GeneratorConfig], Any] | None = None  # (Ray Dataset of requests, config) -> Dataset of generations
    plan: Callable[..., Any] | None = None  # (config, committed keys, run_id) -> planned rows (pipeline.plan)

    def __post_init__(self) -> None:
        if (self.generator is None) == (self.stage is None):
            raise ValueError(f"{self.config.__name__}: a backend is a per-actor generator or a Ray Data stage, exactly one")

    @property
    def name(self) -> str:
        return str(self.config.model_fields["backend"].default)
