"""Benchmark: the math verifier against Math-Verify, same cases, same run.

Question: on labeled data, does Assay make no more false positives than Math-Verify,
and how many checks per second does each do on this machine's cores?

Data, four subsets:
  suites    other projects' grader test suites (tests/verifiers/math/external/cases.jsonl:
            Math-Verify, NeMo-Skills, lighteval, hendrycks/math, open-r1, TRL, MARIO_EVAL,
            AReaL, slime, rllm, SkyRL; labels theirs)
  realdist  MATH-500 and GSM8K worked solutions against the datasets' answers, and against
            another problem's different answer (external/realdist.jsonl)
  realout   real model outputs (Qwen2.5-Math, GPT-3 on GSM8K, Abel and WizardMath) with their
            datasets' correctness labels (external/realout.jsonl)
  table     Assay's own labeled table (tests/verifiers/math/cases.py, answers in \\boxed{})
  synth     builtin:math-synth (difficulty 1-3): the answer, the same value in another
            sympy form, and a wrong value (answer + 1)
Math-Verify runs in one process per core (its signal-based timeouts need a main thread),
as `verify(parse(gold), parse(text))`; the gold is given as the suite gives it (suites),
or wrapped in `$...$` unless it already holds `$` or `\\boxed` (the rest).

Usage:
  python bench/math_verifier.py [--synth 240] [--rounds 3] [--out bench/results/math_verifier.json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sympy
from latex2sympy2_extended import latex2sympy

from pipeline.sources.math_synth import math_synth_problems
from tests.verifiers.math.cases import TABLE
from verifiers.math.problem import MathProblem
from verifiers.math.verifier import MathVerifier, make_math_sandbox

EXTERNAL = Path(__file__).resolve().parents[1] / "tests" / "verifiers" / "math" / "external"


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (EXTERNAL / name).read_text().splitlines() if line.strip()]


def _mv_gold(gold: str) -> str:
    return gold if "$" in gold or "\\boxed" in gold else f"${gold}$"


def dataset(n_synth: int) -> tuple[list[tuple[str, str, bool, str]], list[str]]:
    """Rows (reference, completion, label, the reference as Math-Verify is given it)."""
    rows, kinds = [], []
    for case in _jsonl("cases.jsonl"):
        rows.append((case["gold"], case["pred"], case["equal"], case["gold"]))
        kinds.append("suites")
    for case in _jsonl("realdist.jsonl"):
        rows.append((case["gold"], case["pred"], case["equal"], _mv_gold(case["gold"])))
        kinds.append("realdist")
    for case in _jsonl("realout.jsonl"):
        rows.append((case["gold"], case["pred"], case["equal"], _mv_gold(case["gold"])))
        kinds.append("realout")
    for ref, ans, label in TABLE:
        rows.append((ref, f"So the result is $\\boxed{{{ans}}}$.", label, f"${ref}$"))
        kinds.append("table")
    per = max(1, n_synth // 3)
    for d in (1, 2, 3):
        for p in math_synth_problems(per, seed=100 + d, difficulty=d):
            rows.append((p.answer, f"The answer is $\\boxed{{{p.answer}}}$.", True, f"${p.answer}$"))
            kinds.append("synth")
            if p.metadata["kind"] not in ("quadratic", "system"):
                value = latex2sympy(p.answer)
                rows.append((p.answer, f"Thus $\\boxed{{{sympy.latex(sympy.factor(value))}}}$.", True, f"${p.answer}$"))
                rows.append((p.answer, f"Thus $\\boxed{{{sympy.latex(value + 1)}}}$.", False, f"${p.answer}$"))
                kinds += ["synth", "synth"]
    return rows, kinds


def _math_verify_chunk(rows: list[tuple[str, str, bool]]) -> list[bool]:
    import warnings

    from math_verify import parse, verify

    warnings.filterwarnings("ignore")
    out = []
    for _ref, text, _label, mv_gold in rows:
        try:
            out.append(bool(verify(parse(mv_gold), parse(text))))
        except Exception:  # noqa: BLE001 - Math-Verify's own failure: "not equal"
            out.append(False)
    return out


def run_math_verify(rows: list, workers: int) -> tuple[float, list[bool]]:
    chunks = [rows[i::workers] for i in range(workers)]
    with mp.get_context("fork").Pool(workers) as pool:
        pool.map(_math_verify_chunk, [rows[:2]] * workers)  # warm imports
        t = time.perf_counter()
        parts = pool.map(_math_verify_chunk, chunks)
        seconds = time.perf_counter() - t
    merged: list[bool] = [False] * len(rows)
    for w, part in enumerate(parts):
        for j, value in enumerate(part):
            merged[w + j * workers] = value
    return seconds, merged


def run_assay(verifier: MathVerifier, rows: list, workers: int) -> tuple[float, list[bool]]:
    items = [(MathProblem(problem_id=f"b{i}", prompt="", answer=ref), text) for i, (ref, text, *_) in enumerate(rows)]
    t = time.perf_counter()
    verdicts = list(verifier.verify_many(items, workers=workers))
    return time.perf_counter() - t, [v.passed for v in verdicts]


def accuracy(pred: list[bool], rows: list, kinds: list[str], kind: str | None = None) -> dict:
    pairs = [(p, r[2]) for p, r, k in zip(pred, rows, kinds) if kind is None or k == kind]
    return {
        "cases": len(pairs),
        "false_positives": sum(p and not label for p, label in pairs),
        "false_negatives": sum(label and not p for p, label in pairs),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synth", type=int, default=240)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default="bench/results/math_verifier.json")
    args = ap.parse_args()
    workers = len(os.sched_getaffinity(0))
    rows, kinds = dataset(args.synth)
    verifier = MathVerifier(make_math_sandbox(workers=workers))
    subsets = {kind: [r for r, k in zip(rows, kinds) if k == kind] for kind in ("suites", "realdist", "realout", "table", "synth")}
    seconds: dict[str, dict[str, list[float]]] = {n: {k: [] for k in subsets} for n in ("assay", "math-verify")}
    preds: dict[str, list[bool]] = {"assay": [], "math-verify": []}
    for _ in range(args.rounds):
        for name, fn in (("assay", lambda sub: run_assay(verifier, sub, workers)), ("math-verify", lambda sub: run_math_verify(sub, workers))):
            preds[name] = []
            for kind, sub in subsets.items():
                s, p = fn(sub)
                seconds[name][kind].append(s)
                preds[name] += p
    verifier.close()
    kinds = [k for k, sub in subsets.items() for _ in sub]
    rows = [r for sub in subsets.values() for r in sub]
    med = {n: {k: statistics.median(v) for k, v in per.items()} for n, per in seconds.items()}
    rate = {n: len(rows) / sum(per.values()) for n, per in med.items()}
    rate_by_subset = {n: {k: len(subsets[k]) / v for k, v in per.items()} for n, per in med.items()}
    result = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cores": workers},
        "checks": len(rows),
        "seconds_median": med,
        "checks_per_second": rate,
        "checks_per_second_by_subset": rate_by_subset,
        "checks_per_second_per_core": {k: v / workers for k, v in rate.items()},
        "ratio_assay_vs_math_verify": rate["assay"] / rate["math-verify"],
        "accuracy": {name: {"all": accuracy(p, rows, kinds), **{k: accuracy(p, rows, kinds, k) for k in subsets}}
                     for name, p in preds.items()},
        "targets": {"false_passes": "0", "false_fails": "assay <= math-verify on each subset", "ratio": ">= 3 on each subset"},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"{len(rows)} checks ({', '.join(f'{len(v)} {k}' for k, v in subsets.items())}), {workers} cores, median of {args.rounds}")
    for name in ("assay", "math-verify"):
        a = result["accuracy"][name]
        print(f"  {name:12s} {rate[name]:7.1f} checks/s  false passes {a['all']['false_positives']:3d} ("
              + ", ".join(f"{k} {a[k]['false_positives']}" for k in subsets) + f")  false fails {a['all']['false_negatives']:3d} ("
              + ", ".join(f"{k} {a[k]['false_negatives']}" for k in subsets) + ")")
    for kind in subsets:
        print(f"  {kind:6s} subset: assay {rate_by_subset['assay'][kind]:7.1f}/s, math-verify {rate_by_subset['math-verify'][kind]:7.1f}/s,"
              f" ratio {rate_by_subset['assay'][kind] / rate_by_subset['math-verify'][kind]:.2f}x")
    print(f"  assay / math-verify = {result['ratio_assay_vs_math_verify']:.2f}x overall (target >= 3x)")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
