"""Benchmark: verify-only throughput through the Ray pipeline vs the raw verifier, and
the pipeline's peak memory as the run grows.

Question: what does running the code verifier inside the Ray Data pipeline (replay
generator, verifier actor, shard writer, manifest) cost against calling
`PythonCodeVerifier.verify_many` directly in one process on the same samples, and does
memory stay flat from 2,000 to 20,000 samples?

Samples: HumanEval canonical solutions and operator mutants, cycled to the size asked
(every row a distinct sample: its position makes its id).

Each pipeline size runs in its own child process (`assay verify`), sampled every 0.2 s
for the summed RSS of the driver and every Ray process it started.

Usage:
  python bench/pipeline_verify.py [--samples 20000] [--small 2000] [--out bench/results/pipeline_verify.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from process_tree import run_sampled

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.sources.humaneval import humaneval_problems  # noqa: E402
from tests.pipeline.e2e import mutate  # noqa: E402


def completions(count: int) -> list[dict]:
    pool = []
    for problem in humaneval_problems():
        pool.append({"problem_id": problem.problem_id, "completion": problem.prompt + problem.reference_solution})
        pool.append({"problem_id": problem.problem_id, "completion": problem.prompt + mutate(problem.reference_solution)})
    return [pool[i % len(pool)] for i in range(count)]


def raw_verifier(rows: list[dict], workers: int) -> float:
    from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox

    problems = {p.problem_id: p for p in humaneval_problems()}
    sandbox = make_code_sandbox(workers=workers)
    verifier = PythonCodeVerifier(sandbox)
    started = time.perf_counter()
    verdicts = list(verifier.verify_many(((problems[r["problem_id"]], r["completion"]) for r in rows), workers=workers))
    elapsed = time.perf_counter() - started
    sandbox.close()
    assert len(verdicts) == len(rows)
    return elapsed


def pipeline(rows: list[dict], workdir: Path) -> dict:
    source = workdir / f"completions-{len(rows)}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = workdir / f"out-{len(rows)}"
    cmd = [sys.executable, "-m", "pipeline", "verify", "--problems", "builtin:humaneval", "--completions", str(source),
           "--out", str(out), "--json"]  # fmt: skip
    done = run_sampled(cmd, ROOT, {**os.environ, "PYTHONPATH": str(ROOT)}, every_s=0.2)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode()[-3000:]}")
    summary = json.loads(done.stdout)
    assert summary["samples"] == len(rows), summary
    return {"seconds": done.seconds, "verify_seconds": summary["seconds"], "peak_rss_mb": done.peak_rss_mb, "passed": summary["passed"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "pipeline_verify.json"))
    args = parser.parse_args()
    rows = completions(args.samples)
    with tempfile.TemporaryDirectory() as tmp:
        small = pipeline(completions(args.small), Path(tmp))
        large = pipeline(rows, Path(tmp))
    raw = raw_verifier(rows, args.workers)
    result = {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}",
        "samples": args.samples,
        "raw_verifier_s": round(raw, 1),
        "raw_per_s": round(args.samples / raw, 1),
        "pipeline_s": round(large["seconds"], 1),
        "pipeline_per_s": round(args.samples / large["seconds"], 1),
        "pipeline_vs_raw": round(raw / large["seconds"], 3),
        "peak_rss_mb": {str(args.small): round(small["peak_rss_mb"]), str(args.samples): round(large["peak_rss_mb"])},
        "memory_ratio_large_vs_small": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
    }
    print(json.dumps(result, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
