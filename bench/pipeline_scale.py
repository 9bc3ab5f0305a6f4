"""Benchmark: does a run's memory stay flat as it grows, and how fast is verify-only math?

Question (issue 16): peak memory of a verify-only math run at 1M samples against the same
run at 100k (target ≤ 1.25×), samples/s of the fast math path (target ≥ 3,000/s on this
machine), and whether a code set of 2,000 problems with ~1 MB of tests each runs within
this machine's memory with several verifier actors (2 here).

Each run is `assay run` with the replay generator (what `assay verify` runs) in a child
process; every 0.5 s the summed RSS of the driver
and every process it started (Ray's GCS, raylet, workers, sandboxes) is sampled. Shared
memory (Ray's object store) is counted in every process that maps it, so the sums
overstate; the ratio between sizes is what the target is about.

Data (generated, deterministic):
  math   problems "What is i + j?" with 4 completions each: 3 boxed right answers and
         one wrong (every sample takes the fast numeric path)
  code   stdio tests of 10 cases, each 20,000 integers on stdin (~1 MB of tests per
         problem), one correct completion per problem

`--baseline REF` also runs the math sizes with the code at git REF (a worktree), in the
same invocation, for a before/after. `--writes driver workers` runs them with each shard
writer (`output.writes`); `driver_cpu_us_per_sample` is the driver process's own CPU per
sample, the serial part of a run that `writes: workers` moves onto the workers.

Usage:
  python bench/pipeline_scale.py [--sizes 100000 1000000] [--code-problems 2000] [--baseline 8eeaa2c] [--writes driver workers]

`samples_per_s` is over the whole command (Ray start, planning, the run, the HTML report);
`run_samples_per_s` over the run alone (what `assay run` reports as its seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from process_tree import run_sampled

ROOT = Path(__file__).resolve().parents[1]


def math_data(workdir: Path, samples: int) -> tuple[Path, Path]:
    problems, completions = workdir / f"math-{samples}.jsonl", workdir / f"math-{samples}-c.jsonl"
    with problems.open("w") as p, completions.open("w") as c:
        for i in range(samples // 4):
            a, b = i % 997, i // 997
            p.write(json.dumps({"problem_id": f"m{i}", "domain": "math", "prompt": f"What is {a} + {b}?", "answer": str(a + b)}) + "\n")
            for k in range(4):
                answer = a + b if k < 3 else a + b + 1
                c.write(json.dumps({"problem_id": f"m{i}", "completion": f"So {a} + {b} = {answer}. The answer is $\\boxed{{{answer}}}$."}) + "\n")
    return problems, completions


def code_data(workdir: Path, count: int) -> tuple[Path, Path]:
    problems, completions = workdir / f"code-{count}.jsonl", workdir / f"code-{count}-c.jsonl"
    with problems.open("w") as p, completions.open("w") as c:
        for i in range(count):
            cases = []
            for k in range(10):
                xs = [(i * 7 + k * 13 + j) % 100_000 for j in range(20_000)]
                cases.append({"stdin": " ".join(map(str, xs)) + "\n", "stdout": f"{sum(xs) + i}\n"})
            p.write(json.dumps({"problem_id": f"c{i}", "domain": "code", "prompt": f"Print the sum of the integers on stdin plus {i}.",
                                "tests": {"kind": "stdio", "cases": cases}}) + "\n")  # fmt: skip
            program = f"import sys\nprint(sum(map(int, sys.stdin.read().split())) + {i})\n"
            c.write(json.dumps({"problem_id": f"c{i}", "completion": f"```python\n{program}```"}) + "\n")
    return problems, completions


def run(code_root: Path, problems: Path, completions: Path, out: Path, verify_actors: int = 1, cpus_per_actor: float = 1,
        writes: str = "driver") -> dict:  # fmt: skip
    """`assay run` with the replay generator (what `assay verify` builds), so the verifier
    actors and the shard writer can be set."""
    config = out.with_suffix(".yaml")
    config.write_text(json.dumps({
        "sources": [{"path": str(problems)}],
        "generator": {"engine": {"backend": "replay", "path": str(completions)}},
        "verify": {"actors": verify_actors, "cpus_per_actor": cpus_per_actor},
        **({"output": {"writes": writes}} if writes != "driver" else {}),  # a baseline may not know the key
    }))  # fmt: skip
    cmd = [sys.executable, "-m", "pipeline", "run", str(config), "--out", str(out), "--json"]
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    done = run_sampled(cmd, code_root, env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode()[-3000:]}")
    summary = json.loads(done.stdout)
    return {"seconds": round(done.seconds, 1), "run_seconds": summary["seconds"], "samples": summary["samples"],
            "passed": summary["passed"], "samples_per_s": round(summary["samples"] / done.seconds, 1),
            "run_samples_per_s": round(summary["samples"] / summary["seconds"], 1),
            "peak_rss_mb": round(done.peak_rss_mb), "driver_cpu_s": round(done.driver_cpu_s, 1),
            "driver_cpu_us_per_sample": round(1e6 * done.driver_cpu_s / max(summary["samples"], 1), 1)}  # fmt: skip


def report(code_root: Path, out: Path) -> dict:
    """`assay report OUT --no-html` on a finished run: its peak memory and time."""
    cmd = [sys.executable, "-m", "pipeline", "report", str(out), "--no-html"]
    done = run_sampled(cmd, code_root, {**os.environ, "PYTHONPATH": str(code_root)})
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode()[-3000:]}")
    return {"seconds": round(done.seconds, 1), "peak_rss_mb": round(done.peak_rss_mb)}


def worktree(ref: str, tmp: Path) -> Path:
    path = tmp / f"assay-{ref}"
    subprocess.run(["git", "worktree", "add", "--detach", str(path), ref], cwd=ROOT, check=True, capture_output=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--code-problems", type=int, default=2000)
    parser.add_argument("--baseline", default=None, help="git ref to run the math sizes with too")
    parser.add_argument("--writes", nargs="+", default=["driver"], choices=["driver", "workers"],
                        help="who writes shards (output.writes); each is a contender for the math sizes")  # fmt: skip
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "pipeline_scale.json"))
    args = parser.parse_args()
    result: dict = {"machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}", "math": {}}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        roots = {"assay" if writes == "driver" else f"assay writes={writes}": (ROOT, writes) for writes in args.writes}
        if args.baseline:
            roots[f"baseline {args.baseline}"] = (worktree(args.baseline, tmp), "driver")
        try:
            for size in args.sizes:
                problems, completions = math_data(tmp, size)
                for label, (root, writes) in roots.items():
                    out = tmp / f"out-{label.replace(' ', '-').replace('=', '-')}-{size}"
                    measured = run(root, problems, completions, out, writes=writes)
                    assert measured["samples"] == size, measured
                    measured["report"] = report(root, out)
                    result["math"].setdefault(label, {})[str(size)] = measured
                    print(label, size, measured, flush=True)
            for sizes in result["math"].values():
                small, large = sizes[str(min(args.sizes))], sizes[str(max(args.sizes))]
                sizes["memory_ratio_large_vs_small"] = round(large["peak_rss_mb"] / small["peak_rss_mb"], 3)
            if args.code_problems:
                problems, completions = code_data(tmp, args.code_problems)
                for writes in args.writes:
                    key = "code" if writes == "driver" else f"code writes={writes}"
                    result[key] = {"problems": args.code_problems, "tests_mb_per_problem": round(problems.stat().st_size / args.code_problems / 2**20, 2),
                                   "verify_actors": 2, **run(ROOT, problems, completions, tmp / f"out-{key.replace(' ', '-').replace('=', '-')}",
                                                             verify_actors=2, cpus_per_actor=0.5, writes=writes)}  # fmt: skip
                    print(key, result[key], flush=True)
        finally:
            for root, _ in roots.values():
                if root != ROOT:
                    subprocess.run(["git", "worktree", "remove", "--force", str(root)], cwd=ROOT, capture_output=True)
    print(json.dumps(result, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
