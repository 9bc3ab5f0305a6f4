"""Run a command and sample the summed RSS of it and every process it starts (Ray's
GCS, raylet, workers, sandboxes): what the pipeline benchmarks call peak memory.

Shared memory (Ray's object store) counts in every process that maps it, so the sum
overstates what the machine gives up; ratios between runs are what the targets use."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass
class Finished:
    returncode: int
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_rss_mb: float


def run_sampled(cmd: Sequence[str], cwd: Path, env: dict[str, str], every_s: float = 0.5) -> Finished:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    driver = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [driver, *driver.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(every_s)
    stdout, stderr = proc.communicate()
    return Finished(proc.returncode, stdout, stderr, time.perf_counter() - started, peak / 2**20)
