"""Run a command and sample the summed RSS of it and every process it starts (Ray's
GCS, raylet, workers, sandboxes): what the pipeline benchmarks call peak memory.

Shared memory (Ray's object store) counts in every process that maps it, so the sum
overstates what the machine gives up; ratios between runs are what the targets use."""

from __future__ import annotations

import subprocess
import tempfile
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
    driver_cpu_s: float  # user + system CPU of the command's own process (the run's driver)


def run_sampled(cmd: Sequence[str], cwd: Path, env: dict[str, str], every_s: float = 0.5) -> Finished:
    # Output goes to files, not pipes: nobody reads a pipe while the loop samples, and a
    # summary over 64 KB (a 10M-sample run lists 4,000 shards) would block the command.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        driver = psutil.Process(proc.pid)
        peak, cpu = 0, 0.0
        while proc.poll() is None:
            try:
                times = driver.cpu_times()
                cpu = times.user + times.system
                tree = [driver, *driver.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(every_s)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Finished(proc.returncode, out.read(), err.read(), seconds, peak / 2**20, cpu)
