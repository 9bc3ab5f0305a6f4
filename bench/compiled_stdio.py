"""Benchmark: a C++ stdio problem with 100 cases, Assay against running the same binary bare.

Question: what does judging a compiled program cost in Assay — one sandboxed build, then
one sandboxed run per case — against compiling it once on the host and running the
binary on each case with `subprocess` (no isolation), one case after another in both?

Usage:
  python bench/compiled_stdio.py [--cases 100] [--rounds 3] [--out bench/results/compiled_stdio.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verifiers.code.compare import stdout_matches  # noqa: E402
from verifiers.code.problem import CodeLimits, CodeProblem, StdioCase, StdioTests  # noqa: E402
from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox  # noqa: E402

PROGRAM = """#include <bits/stdc++.h>
int main() {
    int n; std::cin >> n;
    std::vector<long long> a(n);
    for (auto &x : a) std::cin >> x;
    std::sort(a.begin(), a.end());
    long long best = LLONG_MIN;
    for (int i = 1; i < n; i++) best = std::max(best, a[i] - a[i - 1]);
    std::cout << best << "\\n";
}
"""


def cases(count: int) -> list[StdioCase]:
    rng = random.Random(7)
    out = []
    for _ in range(count):
        values = [rng.randint(-10**9, 10**9) for _ in range(rng.randint(2, 2000))]
        ordered = sorted(values)
        answer = max(b - a for a, b in zip(ordered, ordered[1:]))
        out.append(StdioCase(stdin=f"{len(values)}\n{' '.join(map(str, values))}\n", stdout=f"{answer}\n"))
    return out


def run_assay(verifier: PythonCodeVerifier, problem: CodeProblem, salt: int) -> tuple[float, float, bool]:
    """(build + runs, runs alone, passed): the second verify of the same source finds its
    build in the verifier's cache."""
    completion = f"```cpp\n{PROGRAM}// round {salt}\n```"  # a new source each round: built afresh
    started = time.perf_counter()
    first = verifier.verify(problem, completion)
    total = time.perf_counter() - started
    started = time.perf_counter()
    again = verifier.verify(problem, completion)
    return total, time.perf_counter() - started, first.passed and again.passed


def run_bare(problem: CodeProblem, work: Path) -> tuple[float, float, bool]:
    source = work / "main.cpp"
    source.write_text(PROGRAM)
    started = time.perf_counter()
    subprocess.run(["g++", "-O2", "-std=c++20", "-pipe", "-o", str(work / "main"), str(source)], check=True)
    built = time.perf_counter()
    ok = True
    for case in problem.tests.cases:
        result = subprocess.run([str(work / "main")], input=case.stdin.encode(), capture_output=True, timeout=10)
        ok = ok and stdout_matches(result.stdout.decode(), case.stdout)
    return built - started, time.perf_counter() - built, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench/results/compiled_stdio.json"))
    args = parser.parse_args()
    problem = CodeProblem(problem_id="max-gap", prompt="", language="cpp", tests=StdioTests(cases=cases(args.cases)),
                          limits=CodeLimits(cpu_s=2))  # fmt: skip
    verifier = PythonCodeVerifier(make_code_sandbox(workers=1))
    assay, assay_runs, bare_build, bare_runs = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):  # interleaved, so machine noise hits both alike
            seconds, runs_s, passed = run_assay(verifier, problem, i)
            assert passed
            assay.append(seconds)
            assay_runs.append(runs_s)
            build_s, runs_s, ok = run_bare(problem, Path(tmp))
            assert ok
            bare_build.append(build_s)
            bare_runs.append(runs_s)
    verifier.close()
    med = {"assay_total_s": statistics.median(assay), "assay_runs_s": statistics.median(assay_runs),
           "bare_build_s": statistics.median(bare_build),
           "bare_runs_s": statistics.median(bare_runs)}  # fmt: skip
    bare_total = med["bare_build_s"] + med["bare_runs_s"]
    result = {"machine": platform.platform(), "cpus": os.cpu_count(), "cases": args.cases, "rounds": args.rounds, **med,
              "bare_total_s": bare_total, "ratio_bare_over_assay": bare_total / med["assay_total_s"]}  # fmt: skip
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"{args.cases} cases, median of {args.rounds} rounds, one case at a time in both")
    print(f"  bare:  build {med['bare_build_s']:.2f}s + runs {med['bare_runs_s']:.2f}s "
          f"({med['bare_runs_s'] / args.cases * 1e3:.1f} ms a case) = {bare_total:.2f}s")
    assay_build = med["assay_total_s"] - med["assay_runs_s"]
    print(f"  assay: build {assay_build:.2f}s + runs {med['assay_runs_s']:.2f}s "
          f"({med['assay_runs_s'] / args.cases * 1e3:.1f} ms a case) = {med['assay_total_s']:.2f}s "
          f"({bare_total / med['assay_total_s']:.2f}x bare's speed)")


if __name__ == "__main__":
    main()
