"""Benchmark: generation throughput of the two local generator paths, each against its
plain baseline in the same run.

1. Embedded (`llamacpp`): completion tokens/s of `assay run` (Ray, generate actor,
   verifier actor, shard writer) against raw llama-cpp-python generating the same
   prompts with the same threads and sampling in one loop. Two pipeline figures: the
   generate actor's own rate (tokens / its summed latency: what Ray costs the model) and
   end to end (tokens / wall time including Ray start-up and model load).
2. `openai` backend against a local `llama_cpp.server` serving the embedded model:
   requests/s of the async backend (bounded concurrency) against a plain sequential
   `openai.OpenAI` client sending the same requests. llama_cpp.server decodes one
   request at a time, so this measures client-side overhead and overlap, not batching.
3. Model copies (`--copies`): the raw loop with all the cores' threads in one process
   against one one-thread process per core, each generating its share of the same
   prompts at once (why the quickstart runs two one-thread generate actors).

Usage:
  python bench/generation.py [--problems 24] [--n 4] [--max-tokens 64] [--out bench/results/generation.json]
  python bench/generation.py --copies [--problems 24] [--n 4] [--max-tokens 128]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import RunConfig  # noqa: E402
from pipeline.generators.base import GenerationRequest, SampleSlot  # noqa: E402
from pipeline.generators.config import SamplingConfig  # noqa: E402
from pipeline.generators.llamacpp import embedded_model_path  # noqa: E402
from pipeline.generators.openai_compat import OpenAIConfig  # noqa: E402
from pipeline.generators.registry import GeneratorConfig  # noqa: E402
from pipeline.prompts import build_messages  # noqa: E402
from pipeline.sources.math_synth import math_synth_problems  # noqa: E402


def raw_llama(problems, config: RunConfig, threads: int) -> dict:
    from llama_cpp import Llama

    sampling = config.generator.sampling
    llm = Llama(model_path=str(embedded_model_path()), n_ctx=2048, n_threads=threads, n_threads_batch=threads, verbose=False)
    tokens = 0
    started = time.perf_counter()
    for problem in problems:
        messages = build_messages(problem, config.generator.prompts)
        for index in range(sampling.n):
            out = llm.create_chat_completion(messages=messages, temperature=sampling.temperature, top_p=sampling.top_p,
                                             max_tokens=sampling.max_tokens, seed=index)  # fmt: skip
            tokens += out["usage"]["completion_tokens"]
    elapsed = time.perf_counter() - started
    return {"tokens": tokens, "seconds": elapsed, "tokens_per_s": tokens / elapsed}


def _one_thread_copy(problems, config: RunConfig) -> dict:
    os.environ["OMP_NUM_THREADS"] = "1"  # before llama_cpp loads libgomp, as the generator does
    return raw_llama(problems, config, 1)


def copies_comparison(problems, config: RunConfig, threads: int) -> dict:
    """One process with `threads` threads against `threads` one-thread processes at once."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    one = raw_llama(problems, config, threads)
    shares = [problems[i::threads] for i in range(threads)]
    started = time.perf_counter()
    with ProcessPoolExecutor(threads, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_one_thread_copy, shares, [config] * threads))
    elapsed = time.perf_counter() - started  # includes each copy's model load (about 0.3 s)
    tokens = sum(part["tokens"] for part in parts)
    return {
        "one_process_threads": threads,
        "one_process_tokens_per_s": round(one["tokens_per_s"], 1),
        "copies": threads,
        "copies_tokens_per_s": round(tokens / elapsed, 1),
        "copies_vs_one": round(tokens / elapsed / one["tokens_per_s"], 3),
    }


def pipeline_llama(config: RunConfig, workdir: Path) -> dict:
    import pyarrow.parquet as pq

    from pipeline.run import run_pipeline

    started = time.perf_counter()
    summary = run_pipeline(config, out=str(workdir / "embedded"), run_id="bench")
    elapsed = time.perf_counter() - started
    table = pq.read_table(workdir / "embedded" / "verdicts", columns=["completion_tokens", "generation_s"])
    tokens = sum(table.column("completion_tokens").to_pylist())
    busy = sum(table.column("generation_s").to_pylist())
    assert summary.samples == summary.expected_samples
    return {"tokens": tokens, "seconds": elapsed, "tokens_per_s_end_to_end": tokens / elapsed, "tokens_per_s_actor": tokens / busy}


def openai_comparison(problems, n_requests: int, max_tokens: int) -> dict:
    import openai

    from pipeline.generators.openai_compat import OpenAIGenerator
    from tests.pipeline.generators.conftest import free_port

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(embedded_model_path()), "--host", "127.0.0.1",
         "--port", str(port), "--model_alias", "smollm2", "--verbose", "False"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        client = openai.OpenAI(base_url=base, api_key="none", max_retries=0)
        for _ in range(300):
            try:
                client.models.list()
                break
            except openai.APIConnectionError:
                time.sleep(0.2)
        prompts = [build_messages(problems[i % len(problems)], RunConfig(sources=[{"path": "x"}]).generator.prompts) for i in range(n_requests)]
        started = time.perf_counter()
        for i, messages in enumerate(prompts):
            client.chat.completions.create(model="smollm2", messages=messages, max_tokens=max_tokens, temperature=0.8, seed=i)
        sequential = time.perf_counter() - started
        generator = OpenAIGenerator(GeneratorConfig(engine=OpenAIConfig(model="smollm2", base_url=base, concurrency=8, use_n=False),
                                                    sampling=SamplingConfig(n=1, max_tokens=max_tokens, temperature=0.8)))  # fmt: skip
        requests = [GenerationRequest(source="b", problem_id=f"p{i}", domain="math", messages=m, samples=[SampleSlot(index=0, sample_id=f"s{i}", seed=i)])
                    for i, m in enumerate(prompts)]  # fmt: skip
        started = time.perf_counter()
        out = generator.generate(requests)
        concurrent = time.perf_counter() - started
        assert all(g.error is None for g in out), [g.error for g in out if g.error][:3]
        generator.close()
    finally:
        server.terminate()
        server.wait(10)
    return {
        "requests": n_requests,
        "sequential_client_per_s": n_requests / sequential,
        "assay_backend_per_s": n_requests / concurrent,
        "ratio": sequential / concurrent,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", type=int, default=24)
    parser.add_argument("--n", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--requests", type=int, default=48)
    parser.add_argument("--copies", action="store_true", help="only question 3: one multi-thread process vs one-thread copies")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "generation.json"))
    args = parser.parse_args()
    threads = len(os.sched_getaffinity(0))
    problems = math_synth_problems(args.problems, seed=11)
    config = RunConfig.model_validate(
        {
            "sources": [{"path": "builtin:math-synth", "n": args.problems, "seed": 11}],
            "generator": {"engine": {"backend": "llamacpp", "cpus_per_actor": threads - 0.5},
                          "sampling": {"n": args.n, "max_tokens": args.max_tokens, "temperature": 0.8}},
            "verify": {"cpus_per_actor": 0.5},
        }
    )  # fmt: skip
    if args.copies:
        print(json.dumps(copies_comparison(problems, config, threads), indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        inside = pipeline_llama(config, Path(tmp))
    raw = raw_llama(problems, config, threads)
    served = openai_comparison(problems, args.requests, args.max_tokens)
    result = {
        "machine": f"{platform.machine()}, {threads} cores, Python {platform.python_version()}",
        "embedded": {
            "samples": args.problems * args.n,
            "raw_tokens_per_s": round(raw["tokens_per_s"], 1),
            "pipeline_actor_tokens_per_s": round(inside["tokens_per_s_actor"], 1),
            "pipeline_end_to_end_tokens_per_s": round(inside["tokens_per_s_end_to_end"], 1),
            "actor_vs_raw": round(inside["tokens_per_s_actor"] / raw["tokens_per_s"], 3),
            "end_to_end_vs_raw": round(inside["tokens_per_s_end_to_end"] / raw["tokens_per_s"], 3),
        },
        "openai_vs_sequential": {k: round(v, 3) if isinstance(v, float) else v for k, v in served.items()},
    }
    print(json.dumps(result, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
