"""The registry of generator backends: one line per backend.

A new backend is one file in this package defining its engine config (an
`EngineConfig` subclass with a `backend` Literal) and its `Generator` (or a Ray Data
stage), ending in `BACKEND = Backend(...)`; plus its line in `_BUILT_IN` below. A backend
kept outside this repository registers the same `Backend` as an entry point of its own
distribution, in the group `assay.generators` (see docs/architecture.md).
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Annotated, Union

from pydantic import BaseModel, ConfigDict, Field

from pipeline.generators import llamacpp, openai_compat, replay, vllm_ray
from pipeline.generators.base import Backend, Generator
from pipeline.generators.config import PromptConfig, SamplingConfig

_BUILT_IN = (
    llamacpp.BACKEND,
    openai_compat.BACKEND,
    vllm_ray.BACKEND,
    replay.BACKEND,
)
_BACKENDS = _BUILT_IN + tuple(point.load() for point in entry_points(group="assay.generators"))
BACKENDS: dict[str, Backend] = {backend.name: backend for backend in _BACKENDS}
if len(BACKENDS) != len(_BACKENDS):
    raise ImportError(f"two generator backends share a name: {', '.join(b.name for b in _BACKENDS)}")

# Any registered engine config, picked by its `backend` field.
EngineConfigs = Annotated[Union[tuple(b.config for b in _BACKENDS)], Field(discriminator="backend")]  # type: ignore[valid-type]


class GeneratorConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    engine: EngineConfigs = Field(default_factory=llamacpp.LlamaCppConfig)
    sampling: SamplingConfig = Field(default_factory=SamplingConfig)
    prompts: PromptConfig = Field(default_factory=PromptConfig)

    @property
    def backend(self) -> Backend:
        return BACKENDS[self.engine.backend]


def make_generator(config: GeneratorConfig, **kwargs: object) -> Generator:
    """The per-actor generator of the backend a config names."""
    backend = config.backend
    if backend.generator is None:
        raise ValueError(f"the {backend.name!r} backend runs as a Ray Data processor, not a per-actor generator")
    return backend.generator(config, **kwargs)
