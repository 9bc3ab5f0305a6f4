"""`vllm`: vLLM engines on Ray GPU workers through Ray Data's LLM processors.

Production path for GPU clusters: `ray.data.llm.build_processor` with a
`vLLMEngineProcessorConfig` (model, tensor/pipeline parallel size, batch size, replica
count) inserted as the generate stage. Request rows are expanded to one row per sample,
each with its own seed, and the processor's output is turned back into `Generation`
rows. Failed rows (`should_continue_on_error`) become per-row errors, like every other
backend. Imported lazily: vLLM is only needed where this backend runs.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from pipeline.generators.base import (
    Backend,
    Generation,
    GenerationRequest,
    sampling_params,
)
from pipeline.generators.config import EngineConfig
from pipeline.identity import NOT_IDENTITY

if TYPE_CHECKING:
    from pipeline.generators.registry import GeneratorConfig


class VLLMConfig(EngineConfig):
    """vLLM engines on Ray GPU workers via `ray.data.llm`."""

    backend: Literal["vllm"] = "vllm"
    model: str = Field(min_length=1, description="HF model id or local path")
    tensor_parallel_size: int = Field(1, ge=1)
    pipeline_parallel_size: int = Field(1, ge=1)
    concurrency: int = Field(1, ge=1, description="engine replicas (data parallel)", json_schema_extra=NOT_IDENTITY)
    batch_size: int = Field(64, ge=1, json_schema_extra=NOT_IDENTITY)
    accelerator_type: str | None = None
    engine_kwargs: dict[str, Any] = Field(default_factory=dict)


def vllm_available() -> str | None:
    """None when vLLM can run here, else the reason it cannot."""
    try:
        import vllm  # noqa: F401
    except ImportError:
        return "vLLM is not installed (pip install vllm on a machine with a CUDA GPU)"
    try:
        import torch

        if not torch.cuda.is_available():
            return "no CUDA GPU visible"
    except ImportError:
        return "torch is not installed"
    return None


def expand_requests(row: dict[str, Any]) -> list[dict[str, Any]]:
    """One request row (`pipeline.plan`) → one row per sample, in the processor's input
    shape, each carrying the request and its problem."""
    request = GenerationRequest.model_validate_json(row["row"])
    return [
        {
            "request": row["row"],
            "problem": row["problem"],
            "slot": slot.model_dump_json(),
            "messages": request.messages,
        }
        for slot in request.samples
    ]


def _generations_row(row: dict[str, Any], model: str, config: GeneratorConfig) -> dict[str, Any]:
    """A processed row as the verify stage takes it: one generation, with its problem."""
    return {"kind": "generations", "row": "[" + to_generation(row, model, config).model_dump_json() + "]", "problem": row["problem"]}


def processor_config(config: GeneratorConfig):
    from ray.data.llm import vLLMEngineProcessorConfig

    engine = config.engine
    assert isinstance(engine, VLLMConfig)
    return vLLMEngineProcessorConfig(
        model_source=engine.model,
        engine_kwargs={
            "tensor_parallel_size": engine.tensor_parallel_size,
            "pipeline_parallel_size": engine.pipeline_parallel_size,
            **engine.engine_kwargs,
        },
        concurrency=engine.concurrency,
        batch_size=engine.batch_size,
        accelerator_type=engine.accelerator_type,
        should_continue_on_error=True,
    )


def vllm_stage(ds: Any, config: GeneratorConfig) -> Any:
    """Insert the vLLM processor between request rows and generation rows."""
    from ray.data.llm import build_processor

    sampling = config.sampling
    engine = config.engine
    assert isinstance(engine, VLLMConfig)
    model = engine.model

    def preprocess(row: dict[str, Any]) -> dict[str, Any]:
        from pipeline.generators.base import SampleSlot

        slot = SampleSlot.model_validate_json(row["slot"])
        domain = GenerationRequest.model_validate_json(row["request"]).domain
        return {
            **row,
            "started": time.time(),
            "sampling_params": {
                "temperature": sampling.temperature,
                "top_p": sampling.top_p,
                "max_tokens": sampling.max_tokens,
                "seed": slot.seed,
                "stop": sampling.stop.get(domain) or None,
            },
        }

    def postprocess(row: dict[str, Any]) -> dict[str, Any]:
        return _generations_row(row, model, config)

    processor = build_processor(processor_config(config), preprocess=preprocess, postprocess=postprocess)
    # Only request rows go through the engine; the planners' other rows (errors, tallies)
    # take the other branch. The two branches each run the (cheap) planning read.
    others = ds.filter(lambda row: row["kind"] != "request")
    generated = processor(ds.filter(lambda row: row["kind"] == "request").flat_map(expand_requests))
    # Rows that failed inside the engine skip postprocess and carry __inference_error__.
    generated = generated.map(lambda row: row if row.get("kind") == "generations" else _generations_row(row, model, config))
    return generated.union(others)


def to_generation(row: dict[str, Any], model: str, config: GeneratorConfig) -> Generation:
    from pipeline.generators.base import SampleSlot

    request = GenerationRequest.model_validate_json(row["request"])
    slot = SampleSlot.model_validate_json(row["slot"])
    error = row.get("__inference_error__") or None
    return Generation(
        sample_id=slot.sample_id,
        source=request.source,
        problem_id=request.problem_id,
        sample_index=slot.index,
        completion=None if error else row.get("generated_text", ""),
        finish_reason=None if error else (row.get("finish_reason") or None),
        error=f"vLLM: {error}"[:2000] if error else None,
        model=model,
        sampling=sampling_params(config.sampling, slot.seed),
        prompt_tokens=int(row.get("num_input_tokens") or 0),
        completion_tokens=int(row.get("num_generated_tokens") or 0),
        latency_s=max(0.0, time.time() - float(row.get("started") or time.time())),
    )


BACKEND = Backend(config=VLLMConfig, stage=vllm_stage)
