"""One run, end to end: problems → generate → verify → shards.

The driver checks the sources can be read, opens the run directory (lock, manifest,
committed sample ids as 16-byte keys), lets Ray plan, generate and judge every sample
not committed yet (`execute`, `plan`), commits what comes back as shards, and decides
the run's outcome. It never holds the run's problems or requests: memory is bounded by
Ray Data's backpressure and one shard's worth of rows.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator

from pipeline.config import RUN_ID_PATTERN, ConfigError, RunConfig
from pipeline.execute import cpu_shortfall, execute
from pipeline.plan import Tally, check_sources
from pipeline.progress import RunProgress
from pipeline.rows import SampleRow
from pipeline.run_ids import default_run_id, output_location, resumable_run_id, run_hash
from pipeline.store import RunStore
from pipeline.store.manifest import Outcome, WrittenShards
from pipeline.summary import RunSummary, not_done

Event = Callable[[str], None]


class Terminated(KeyboardInterrupt):
    """SIGTERM (docker stop, Kubernetes, `timeout`), handled as Ctrl-C is: what was judged is
    committed, the run says it was interrupted and exits 1. Ray's own handler ended the
    driver with exit 15 and nothing said (a review's find, 2026-12-06)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated("SIGTERM")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises `Terminated` in the main thread while the run lasts (`init_ray` keeps
    it in place over the handler `ray.init` installs); elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_pipeline(
    config: RunConfig,
    out: str | None = None,
    run_id: str | None = None,
    log: Event = lambda _: None,
    progress: Callable[[RunProgress], None] | None = None,
    max_rejected: float = 1.0,
) -> RunSummary:
    with sigterm_as_interrupt():
        return _run(config, out, run_id, log, progress, max_rejected)


def _run(
    config: RunConfig, out: str | None, run_id: str | None, log: Event, progress: Callable[[RunProgress], None] | None, max_rejected: float
) -> RunSummary:
    started = time.monotonic()
    if run_id is not None and not re.fullmatch(RUN_ID_PATTERN, run_id):
        raise ConfigError(f"run id {run_id!r}: use letters, digits, '.', '_' and '-' (it becomes a directory name)")
    explicit = run_id or config.run_id
    run_id = explicit or default_run_id(config)
    location = output_location(config, run_id, out)
    if not explicit:
        run_id = resumable_run_id(location, run_id)
    check_sources(config)
    check_sandbox(config)
    if shortfall := cpu_shortfall(config):
        log(f"warning: {shortfall}")
    with RunStore(
        location,
        run_id,
        config.model_dump(mode="json"),
        run_hash(config),
        shard_rows=config.output.shard_rows,
        compression=config.output.compression,
        commit_every_s=config.output.commit_every_s,
        on_commit=lambda shard: log(f"committed {shard.path} ({shard.rows} rows)"),
    ) as store:
        manifest = store.manifest
        manifest.attempts += 1
        manifest.status = "running"  # (written with the first commit)
        already = len(store.committed_samples)
        log(f"run {run_id} → {location}: {already} samples already committed; planning as the run goes")
        new_samples = new_errors = 0
        tally = RunProgress(started=time.monotonic())
        if progress is not None:
            progress(tally)  # the view's clock starts now, before the first results

        def on_plan(reported: list[Tally]) -> None:  # from execute's watcher thread, once planning ends
            tally.plan(sum(p.expected for p in reported), sum(p.committed for p in reported))
            for part in reported:
                log(f"source {part.source}: {part.problems} problems, {part.expected} samples ({part.committed} committed before), "
                    f"{part.rejected_rows} of {part.input_rows} rows rejected")  # fmt: skip
            if progress is not None:
                progress(tally)

        parts: list[Tally] = []  # as they come with the rows
        try:
            for rows in execute(config, store.committed_samples.keys(), run_id, store.address, on_plan):
                if isinstance(rows[0], Tally):
                    parts.extend(rows)
                elif isinstance(rows[0], WrittenShards):
                    for written in rows:
                        added = store.add_written(written)
                        new_samples += added
                        tally.count_written(written, added)
                elif isinstance(rows[0], SampleRow):
                    added = store.add_samples(rows)
                    new_samples += added
                    tally.count(rows, added)
                else:
                    new_errors += store.add_errors(rows)
                    tally.errors += len(rows)
                if progress is not None:
                    progress(tally)
        except BaseException as exc:
            # Whatever was judged is complete: keep it, so the rerun does not pay for it again;
            # and the manifest no longer says `running` (nothing is).
            manifest.status = "interrupted"
            manifest.outcome.failure = f"{interruption(exc)}; committed shards are kept, rerun to resume"
            with contextlib.suppress(Exception):
                store.commit()
                store.write_manifest()
            raise
        store.commit()
        store.retire_errors()  # an earlier attempt's errors of samples judged since
        if tally.expected is None:  # the board never answered: the tallies that came with the rows
            on_plan(parts)
        planned = Tally(source="all")  # the manifest counts these, which came with the rows
        for part in parts:
            _add(planned, part)
        if config.output.writes == "workers":
            store.remove_uncommitted()  # what a retried worker task wrote and nobody listed
        manifest.expected_samples, manifest.problems = planned.expected, planned.problems
        # Complete when every sample this plan asked for is committed (a run whose n was
        # lowered keeps its extra samples, but they do not make up for missing ones).
        manifest.missing_samples = max(0, planned.expected - planned.committed - new_samples)
        counts = manifest.counts
        manifest.outcome = Outcome(
            input_rows=planned.input_rows,
            rejected_rows=planned.rejected_rows,
            max_rejected=max_rejected,
            judged_samples=counts.samples - counts.by_status.get("invalid_problem", 0),
        )
        manifest.outcome.failure = run_failure(manifest.outcome, planned.expected, manifest.missing_samples, counts.errors_by_stage)
        if manifest.outcome.failure:
            manifest.status = "failed"
        else:
            manifest.status = "complete" if manifest.missing_samples == 0 else "partial"
        manifest.pass_rate = manifest.counts.pass_rate
        store.write_manifest()
        return RunSummary.of(manifest, location, new_samples, new_errors, time.monotonic() - started)


def check_sandbox(config: RunConfig) -> None:
    """Build the configured sandbox once here, before Ray starts, and close it: a backend that
    cannot isolate on this machine (not root, no Docker engine, an image older than this
    checkout) raises `sandbox.base.SandboxUnavailable` with what is missing, and the run
    stops at start-up (exit 2) instead of retrying every sample and ending with verify
    errors. Only for a locally started Ray: a cluster's verifiers run on its own nodes."""
    import os

    if config.ray.address or os.environ.get("RAY_ADDRESS"):
        return
    from sandbox.config import make_sandbox

    make_sandbox(config.sandbox).close()


def interruption(exc: BaseException) -> str:
    """One line: what ended a run before its end."""
    if isinstance(exc, Terminated):
        return "SIGTERM"
    if isinstance(exc, KeyboardInterrupt):
        return "Ctrl-C (SIGINT)"
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _add(total: Tally, part: Tally) -> None:
    for field in ("input_rows", "rejected_rows", "problems", "expected", "committed"):
        setattr(total, field, getattr(total, field) + getattr(part, field))


def run_failure(outcome: Outcome, planned: int, missing: int, errors_by_stage: dict[str, int] | None = None) -> str | None:
    """The one-line reason a run failed, or None. A job wired to the exit code must not
    report success for a run that produced no verdict, or that rejected its input."""
    rejected, rows = outcome.rejected_rows, outcome.input_rows
    if rows and (rejected == rows or outcome.rejected_share > outcome.max_rejected):
        why = f"{rejected} of {rows} input rows were rejected ({outcome.rejected_share:.1%}"
        why += ")" if rejected == rows else f", over the limit of {outcome.max_rejected:.1%})"
        return why + ("; no sample was planned" if not planned else "") + " (reasons in errors/)"
    if not planned:
        return "no sample was planned: the sources hold no problem" + (" with a completion" if rows else "")
    if not outcome.judged_samples:
        if missing:
            return f"no sample was judged: {missing} samples could not be {not_done(errors_by_stage or {})} (reasons in errors/)"
        return "no sample was judged: every verdict is invalid_problem (the problems' references fail their own tests)"
    return None
