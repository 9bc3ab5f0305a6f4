"""Benchmark: judging one program per language in the docker sandbox against the local one.

Question: what does a compiled (or JIT) language cost to judge in containers — one build
container, then a fresh container per case — against the local sandbox on the same
machine, in the same run? Each language's honest `a + b` program (the tests' own) is
judged on 3 stdio cases; the build is not cached between rounds (the verifier is new).

Usage (needs a Docker engine and the image: `make docker-test-engine`):
  python bench/docker_languages.py [--rounds 2] [--languages cpp,c,java,go,rust,javascript]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.base import SandboxUnavailable  # noqa: E402
from sandbox.config import DockerSandboxConfig, make_sandbox  # noqa: E402
from tests.verifiers.code.test_languages import HONEST, fenced, problem  # noqa: E402
from verifiers.code.languages import LANGUAGES  # noqa: E402
from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox  # noqa: E402


def judge_seconds(sandbox, language: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        verifier = PythonCodeVerifier(sandbox)  # a fresh build cache: every round builds
        started = time.perf_counter()
        verdict = verifier.verify(problem(language), fenced(language, HONEST[language]))
        times.append(time.perf_counter() - started)
        assert verdict.passed, verdict
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--languages", default="cpp,c,java,go,rust,javascript")
    args = parser.parse_args()
    languages = [name for name in args.languages.split(",") if not LANGUAGES[name].missing()]
    try:
        docker = make_sandbox(DockerSandboxConfig(pool_size=2))
    except SandboxUnavailable as exc:
        raise SystemExit(f"no docker sandbox here: {exc}") from None
    local = make_code_sandbox(workers=2)
    rows = []
    try:
        for language in languages:
            d, lo = judge_seconds(docker, language, args.rounds), judge_seconds(local, language, args.rounds)
            rows.append({"language": language, "docker_s": round(d, 3), "local_s": round(lo, 3), "ratio": round(d / lo, 2)})
            print(f"{language:11s} docker {d:6.2f} s   local {lo:6.2f} s   docker/local {d / lo:5.2f}x", flush=True)
    finally:
        docker.close()
        local.close()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    out = ROOT / "bench" / "results" / "docker_languages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"commit": commit, "machine": platform.machine(), "rounds": args.rounds, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
