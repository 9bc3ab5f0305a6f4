"""A run whose driver fails on its second commit while Ray Data's batch iterator is
still fetching; prints, as JSON, the error and the Ray Data threads alive when Ray shut
down. Run as a script by test_faults (a call into Ray after its shutdown ends the whole
process, so it must not be pytest's).

usage: python -m tests.pipeline.driver_failure CONFIG.yaml OUT
"""

from __future__ import annotations

import errno
import json
import sys
import threading
import time

import ray

from pipeline.config import load_config
from pipeline.execute import DATA_THREADS
from pipeline.run import run_pipeline
from pipeline.store import RunStore

state: dict = {"commits": 0, "slowed": 0, "alive_at_shutdown": None}
real_add, real_get, real_shutdown = RunStore.add_samples, ray.get, ray.shutdown


def add_samples(self, rows):
    state["commits"] += 1
    if state["commits"] == 2:
        raise OSError(errno.ENOSPC, "No space left on device")
    return real_add(self, rows)


def get(*args, **kwargs):
    # After the first commit the iterator's worker fetches slowly, so it is mid-fetch
    # when the driver fails on the next one.
    if state["commits"] >= 1 and threading.current_thread().name.startswith("iter_threaded"):
        state["slowed"] += 1
        time.sleep(4)
    return real_get(*args, **kwargs)


def shutdown(*args, **kwargs):
    watched = (*DATA_THREADS, "Prefetcher", "assay-plan-watcher")  # every thread of the run that calls into Ray
    state["alive_at_shutdown"] = sorted(t.name for t in threading.enumerate() if t.is_alive() and t.name.startswith(watched))
    return real_shutdown(*args, **kwargs)


RunStore.add_samples, ray.get, ray.shutdown = add_samples, get, shutdown
try:
    run_pipeline(load_config(sys.argv[1]), out=sys.argv[2])
    state["error"] = None
except OSError as exc:
    state["error"] = str(exc)
print(json.dumps(state), flush=True)
