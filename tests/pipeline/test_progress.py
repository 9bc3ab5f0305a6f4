"""What the progress line tells a person: never more done than planned, a total only once
the whole plan is known, and time left from the rate once samples flow."""

from __future__ import annotations

import time
from types import SimpleNamespace

from pipeline.progress import RunProgress


def _rows(count: int, passed: bool = True) -> list:
    return [SimpleNamespace(passed=passed, completion_tokens=10) for _ in range(count)]


def test_before_the_plan_is_known_the_line_says_what_is_happening_and_no_total() -> None:
    progress = RunProgress(started=time.monotonic())
    assert progress.line().startswith("progress: starting the workers and planning the samples, ")
    progress.count(_rows(4), added=4)
    assert progress.line().startswith("progress: 4/? samples, 4 passed (100.0%)") and "~? left" in progress.line()


def test_the_total_counts_samples_committed_by_earlier_attempts_once() -> None:
    progress = RunProgress(started=time.monotonic())
    progress.count(_rows(6), added=6)
    progress.plan(expected=20, committed_before=10)
    assert (progress.done, progress.expected) == (16, 20)
    assert progress.line().startswith("progress: 16/20 samples (80%), 6 passed")
    progress.count(_rows(4, passed=False), added=4)
    assert progress.done == progress.expected == 20 and progress.eta_s == 0.0


def test_time_left_is_taken_from_the_rate_after_the_first_results_not_from_start_up() -> None:
    progress = RunProgress(started=time.monotonic() - 100)  # 100 s of start-up before any result
    progress.plan(expected=100, committed_before=0)
    progress.count(_rows(10), added=10)
    assert progress.eta_s is None  # one batch tells no rate
    progress.first_at = time.monotonic() - 10  # the first batch came 10 s ago ...
    progress.count(_rows(10), added=10)  # ... and 10 more since: 1 sample/s
    assert 75 <= progress.eta_s <= 85  # 80 left; from the start of the run it would say 400 s
