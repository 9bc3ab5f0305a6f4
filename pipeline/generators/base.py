"""The generator contract shared by every backend."""

from __future__ import annotations

import abc
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.config import GeneratorConfig, LlamaCppConfig, OpenAIConfig, ReplayConfig, SamplingConfig
from pipeline.text import escaped, lone_surrogate, not_unicode


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SamplingParams(_Row):
    """What a sample was drawn with (stored with every sample)."""

    temperature: float
    top_p: float
    max_tokens: int
    seed: int

    @classmethod
    def of(cls, sampling: SamplingConfig, seed: int) -> SamplingParams:
        return cls(temperature=sampling.temperature, top_p=sampling.top_p, max_tokens=sampling.max_tokens, seed=seed)


class SampleSlot(_Row):
    """One sample still to produce for a problem."""

    index: int = Field(ge=0)
    sample_id: str
    seed: int
    locator: int | None = Field(None, description="replay only: where the completion is stored")


class GenerationRequest(_Row):
    source: str
    problem_id: str
    domain: Literal["code", "math"]
    messages: list[dict[str, str]]
    samples: list[SampleSlot] = Field(min_length=1)


class Generation(_Row):
    """One candidate, or the reason there is none (`error`)."""

    sample_id: str
    source: str
    problem_id: str
    sample_index: int
    completion: str | None = None
    error: str | None = None
    unstorable: str | None = None  # why the completion had to be escaped (`pipeline.text`): judged no_answer
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
        where = lone_surrogate(completion, "completion") if isinstance(completion, str) else None
        if where:
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
        return self._row(request, slot, error=error[:2000], sampling=SamplingParams.of(self.config.sampling, slot.seed))


def generator_fingerprint(config: GeneratorConfig) -> str:
    """What makes two runs' samples the same samples: the model, the sampling params
    (except n: raising n adds samples and keeps the first ones) and the prompts. Knobs
    that only change speed (actors, concurrency, batch sizes) are left out."""
    from pipeline.ids import fingerprint

    engine: dict[str, Any] = {"backend": config.engine.backend}
    if isinstance(config.engine, LlamaCppConfig):
        engine["model"] = config.engine.model_path or "builtin:smollm2-135m-instruct"
    elif isinstance(config.engine, ReplayConfig):
        engine["path"] = "replay"
    else:
        engine["model"] = config.engine.model
    sampling = config.sampling.model_dump(exclude={"n"})
    return fingerprint([engine, sampling, config.prompts.model_dump()])


def make_generator(config: GeneratorConfig, **kwargs: Any) -> Generator:
    """The backend a config names (imported lazily: each pulls in its own client)."""
    engine = config.engine
    if isinstance(engine, LlamaCppConfig):
        from pipeline.generators.llamacpp import LlamaCppGenerator

        return LlamaCppGenerator(config, **kwargs)
    if isinstance(engine, OpenAIConfig):
        from pipeline.generators.openai_compat import OpenAIGenerator

        return OpenAIGenerator(config, **kwargs)
    if isinstance(engine, ReplayConfig):
        from pipeline.generators.replay import ReplayGenerator

        return ReplayGenerator(config, **kwargs)
    raise ValueError(f"the {engine.backend!r} backend runs as a Ray Data processor, not a per-actor generator")
