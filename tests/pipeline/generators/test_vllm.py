"""vLLM on Ray: the pieces that run anywhere, and the real engine where a GPU is."""

from __future__ import annotations

import json

import pytest

from pipeline.generators.base import GenerationRequest, SampleSlot
from pipeline.generators.config import SamplingConfig
from pipeline.generators.registry import GeneratorConfig
from pipeline.generators.vllm_ray import (
    VLLMConfig,
    expand_requests,
    processor_config,
    to_generation,
    vllm_available,
)

CONFIG = GeneratorConfig(engine=VLLMConfig(model="HuggingFaceTB/SmolLM2-135M-Instruct", tensor_parallel_size=2, concurrency=3), sampling=SamplingConfig(n=2, max_tokens=32))
REQUEST = GenerationRequest(
    source="s", problem_id="p", domain="code", messages=[{"role": "user", "content": "hi"}],
    samples=[SampleSlot(index=0, sample_id="a", seed=1), SampleSlot(index=1, sample_id="b", seed=2)],
)  # fmt: skip


def test_requests_expand_to_one_row_per_sample_and_back() -> None:
    rows = expand_requests({"kind": "request", "row": REQUEST.model_dump_json(), "problem": "{\"p\": 1}"})
    assert all(r["problem"] == "{\"p\": 1}" for r in rows)  # the problem travels with each sample
    assert [r["messages"] for r in rows] == [REQUEST.messages] * 2
    done = to_generation({**rows[1], "generated_text": "out", "num_input_tokens": 5, "num_generated_tokens": 3}, "m", CONFIG)
    assert (done.sample_id, done.sample_index, done.completion, done.prompt_tokens, done.completion_tokens) == ("b", 1, "out", 5, 3)
    assert done.sampling.seed == 2
    failed = to_generation({**rows[0], "__inference_error__": "CUDA out of memory"}, "m", CONFIG)
    assert failed.completion is None and "CUDA out of memory" in failed.error


def test_processor_config_carries_the_parallelism() -> None:
    config = processor_config(CONFIG)
    assert config.model_source == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert config.engine_kwargs["tensor_parallel_size"] == 2
    assert config.batch_size == 64


def test_real_vllm_engine_on_ray(tmp_path) -> None:
    if reason := vllm_available():
        pytest.skip(f"vLLM backend cannot run here: {reason}")
    import ray

    from pipeline.generators.base import Generation
    from pipeline.generators.vllm_ray import vllm_stage

    ray.init(ignore_reinit_error=True)
    ds = ray.data.from_items([{"kind": "request", "row": REQUEST.model_dump_json(), "problem": "{}"},
                              {"kind": "planned", "row": "{}", "problem": None}])  # fmt: skip
    rows = vllm_stage(ds, CONFIG.model_copy(update={"engine": VLLMConfig(model=CONFIG.engine.model)})).take_all()
    assert sorted(r["kind"] for r in rows) == ["generations", "generations", "planned"]  # other rows pass through
    generations = [Generation.model_validate(g) for r in rows if r["kind"] == "generations" for g in json.loads(r["row"])]
    assert sorted(g.sample_id for g in generations) == ["a", "b"]
    assert all(g.error is None and g.completion for g in generations)
