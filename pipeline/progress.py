"""How a run's progress reaches a person: a live bar on a terminal, a plain line every
few seconds anywhere else (cron, Ray Jobs logs, CI), nothing with `--json`.

Samples, passes, tokens/s and time left: what someone waiting for a run wants to know,
not Ray Data's internals (blocks, object store, dataset ids), whose bars are off.
"""

from __future__ import annotations

import time
from typing import Literal

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.run import RunProgress


class ProgressView:
    def __init__(self, console: Console, mode: Literal["bar", "lines", "off"], every_s: float = 15.0) -> None:
        self.console, self.mode, self.every_s = console, mode, every_s
        self._bar: Progress | None = None
        self._task = None
        self._last = 0.0
        self._latest: RunProgress | None = None

    def __enter__(self) -> ProgressView:
        if self.mode == "bar":
            self._bar = Progress(
                TextColumn("[bold]samples"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=self.console, transient=True,
                redirect_stdout=False, redirect_stderr=False,  # libraries' prints belong in their log, not the bar
            )  # fmt: skip
            self._bar.start()
        self._last = time.monotonic()
        return self

    def __call__(self, tally: RunProgress) -> None:
        self._latest = tally
        if self._bar is not None:
            rate = "—" if tally.pass_rate is None else f"{tally.pass_rate:.1%}"
            eta = "" if tally.eta_s is None else f" · ~{int(tally.eta_s)}s left"
            detail = f"{tally.passed} passed ({rate}) · {tally.tokens / max(tally.elapsed_s, 1e-9):.0f} tok/s{eta}"
            if self._task is None:
                self._task = self._bar.add_task("run", total=tally.expected, completed=tally.done, detail=detail)
            self._bar.update(self._task, completed=tally.done, detail=detail)
        elif self.mode == "lines" and time.monotonic() - self._last >= self.every_s:
            self._last = time.monotonic()
            self.console.print(tally.line(), soft_wrap=True, markup=False)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif self.mode == "lines" and self._latest is not None and self._latest.judged:
            self.console.print(self._latest.line(), soft_wrap=True, markup=False)  # where it ended
