"""A/B: the sandbox's cost per trivial run, this checkout against another revision.

Single runs of `sandbox_overhead.py` cannot separate a 10 % change from this machine's
drift (the same code measured 4.9 and 8.3 ms a run within the hour). This script checks
out `--base` into a temporary git worktree and alternates short rounds of the two, each
in a fresh process with its own zygote, so both see the same drift; it reports medians
and the median of the paired ratios (each round against the base round just before it).

Per round: `--runs` executions of `pass` at full concurrency (one slot per core), wall
time and the whole machine's CPU time (`/proc/stat`) per execution.

Revisions before the zygote was started from its own checkout (`backend._ZYGOTE_MAIN`)
launched it with `python -I -m sandbox.local.zygote`, which an editable install resolves
to *this* checkout; for those the script rewrites that one line in the worktree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_LAUNCH = '[sys.executable, "-I", "-m", "sandbox.local.zygote", str(theirs.fileno()), json.dumps(settings)]'

ROUND = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from sandbox.base import ExecRequest
from sandbox.local.backend import NamespaceSandbox

def machine_cpu():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")

sb = NamespaceSandbox(workers=len(os.sched_getaffinity(0)))
req = ExecRequest(python="pass")
for _ in range(30):
    sb.run(req)
n = int(sys.argv[2])
cpu, t = machine_cpu(), time.perf_counter()
list(sb.run_many([req] * n))
wall, cpu = time.perf_counter() - t, machine_cpu() - cpu
sb.close()
print(json.dumps({"wall_ms": wall / n * 1e3, "cpu_ms": cpu / n * 1e3}))
"""


def checkout(rev: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(into), rev], check=True, capture_output=True)
    backend = into / "sandbox" / "local" / "backend.py"
    text = backend.read_text()
    if OLD_LAUNCH in text:
        fixed = f'[sys.executable, "-I", "-c", "import runpy, sys; sys.path.insert(0, {str(into)!r}); runpy.run_module(\'sandbox.local.zygote\', run_name=\'__main__\')", str(theirs.fileno()), json.dumps(settings)]'
        backend.write_text(text.replace(OLD_LAUNCH, fixed))
    return into


def one_round(checkout_dir: Path, runs: int) -> dict:
    out = subprocess.run([sys.executable, "-c", ROUND, str(checkout_dir), str(runs)], cwd=checkout_dir, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="git revision to compare this checkout against")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--runs", type=int, default=400, help="executions per round")
    ap.add_argument("--out", default="bench/results/sandbox_ab.json")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="assay-ab-") as tmp:
        base = checkout(args.base, Path(tmp) / "base")
        try:
            rounds: dict[str, list[dict]] = {"base": [], "head": []}
            for i in range(args.rounds):
                for name, where in (("base", base), ("head", ROOT)):
                    rounds[name].append(one_round(where, args.runs))
                print(f"round {i + 1}: base {rounds['base'][-1]['wall_ms']:.2f} ms, head {rounds['head'][-1]['wall_ms']:.2f} ms", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False, capture_output=True)

    report: dict = {"base": args.base, "rounds": args.rounds, "runs": args.runs}
    for metric in ("wall_ms", "cpu_ms"):
        for name in ("base", "head"):
            report[f"{name}_{metric}_median"] = round(statistics.median(r[metric] for r in rounds[name]), 3)
        ratios = [h[metric] / b[metric] for b, h in zip(rounds["base"], rounds["head"], strict=True)]
        report[f"head_over_base_{metric}"] = round(statistics.median(ratios), 3)
    print(json.dumps(report, indent=2))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    Path(args.out).write_text(json.dumps({**report, "raw": rounds}, indent=2))


if __name__ == "__main__":
    main()
