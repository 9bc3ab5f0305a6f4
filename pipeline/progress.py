"""How a run's progress reaches a person: a live bar on a terminal, a plain line every
few seconds anywhere else (cron, Ray Jobs logs, CI), nothing with `--json`.

Samples, passes, tokens/s and time left: what someone waiting for a run wants to know,
not Ray Data's internals (blocks, object store, dataset ids), whose bars are off.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Literal

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.rows import SampleRow
from pipeline.store.manifest import WrittenShards


@dataclass
class RunProgress:
    """Where a run stands, for a person watching (the CLI draws it, or logs it)."""

    started: float  # time.monotonic() at the start of this attempt
    expected: int | None = None  # samples the plan holds in all; None until every planner has reported
    committed_before: int = 0  # of those, committed by earlier attempts (known with `expected`)
    added: int = 0  # samples committed this attempt
    judged: int = 0  # samples judged this attempt
    passed: int = 0  # of those, passing
    errors: int = 0  # rows that went to errors/ this attempt
    tokens: int = 0  # completion tokens generated this attempt
    first_at: float | None = None  # when the first judged samples came (the pipeline was full)
    first_judged: int = 0  # how many came then

    @property
    def done(self) -> int:
        """Samples of the plan committed, earlier attempts included."""
        return self.committed_before + self.added

    def plan(self, expected: int, committed_before: int) -> None:
        """The whole plan's size, once every planning task has reported (never a part of
        it: a partial total under the samples already done read as 300%)."""
        self.committed_before, self.expected = committed_before, expected

    def _first(self, judged: int) -> None:
        if self.first_at is None and judged:
            self.first_at, self.first_judged = time.monotonic(), judged

    def count(self, rows: list[SampleRow], added: int) -> None:
        self._first(len(rows))
        self.added += added
        self.judged += len(rows)
        self.passed += sum(r.passed for r in rows)
        self.tokens += sum(r.completion_tokens for r in rows)

    def count_written(self, written: WrittenShards, added: int) -> None:
        """The same for shards a worker wrote (`output.writes: workers`)."""
        self._first(len(written.sample_ids))
        self.added += added
        self.judged += len(written.sample_ids)
        self.passed += written.counts.passed
        self.tokens += written.completion_tokens

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.judged if self.judged else None

    @property
    def eta_s(self) -> float | None:
        """Time left at the rate samples came since the first ones: start-up (Ray, the
        model, the first batch's wait) is not part of the rate."""
        if self.expected is None:
            return None
        left = self.expected - self.done
        if left <= 0:
            return 0.0
        if self.first_at is None or self.judged <= self.first_judged:
            return None
        return left * (time.monotonic() - self.first_at) / (self.judged - self.first_judged)

    def line(self) -> str:
        """One plain line, for logs."""
        if self.expected is None and not self.judged and not self.errors:
            return f"progress: starting the workers and planning the samples, {_duration(self.elapsed_s)} elapsed"
        rate = "—" if self.pass_rate is None else f"{self.pass_rate:.1%}"
        eta = "?" if self.eta_s is None else _duration(self.eta_s)
        total = "?" if self.expected is None else f"{self.expected}"
        share = "" if self.expected is None else f" ({self.done / self.expected if self.expected else 1.0:.0%})"
        return (f"progress: {self.done}/{total} samples{share}, {self.passed} passed ({rate}) this run, "
                f"{self.tokens / max(self.elapsed_s, 1e-9):.0f} tokens/s, {_duration(self.elapsed_s)} elapsed, ~{eta} left")  # fmt: skip


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class ProgressView:
    """Draws a `RunProgress`: a bar, or a line every `every_s` seconds from a clock of its
    own, so a log shows the run alive even while the first batches are still generating."""

    def __init__(self, console: Console, mode: Literal["bar", "lines", "off"], every_s: float = 15.0) -> None:
        self.console, self.mode, self.every_s = console, mode, every_s
        self._bar: Progress | None = None
        self._task = None
        self._latest: RunProgress | None = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> ProgressView:
        if self.mode == "bar":
            self._bar = Progress(
                TextColumn("[bold]samples"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=self.console, transient=True,
                redirect_stdout=False, redirect_stderr=False,  # libraries' prints belong in their log, not the bar
            )  # fmt: skip
            self._bar.start()
        elif self.mode == "lines":
            self._ticker = threading.Thread(target=self._tick, name="assay-progress", daemon=True)
            self._ticker.start()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(self.every_s):
            if self._latest is not None:
                self.console.print(self._latest.line(), soft_wrap=True, markup=False)

    def __call__(self, tally: RunProgress) -> None:
        self._latest = tally
        if self._bar is not None:
            rate = "—" if tally.pass_rate is None else f"{tally.pass_rate:.1%}"
            eta = "" if tally.eta_s is None else f" · ~{int(tally.eta_s)}s left"
            detail = f"{tally.passed} passed ({rate}) · {tally.tokens / max(tally.elapsed_s, 1e-9):.0f} tok/s{eta}"
            if self._task is None:
                self._task = self._bar.add_task("run", total=tally.expected, completed=tally.done, detail=detail)
            self._bar.update(self._task, total=tally.expected, completed=tally.done, detail=detail)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._bar is not None:
            self._bar.stop()
        elif self.mode == "lines" and self._latest is not None and self._latest.judged:
            self.console.print(self._latest.line(), soft_wrap=True, markup=False)  # where it ended
