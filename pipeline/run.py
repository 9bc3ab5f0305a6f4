"""One run, end to end: problems → generate → verify → shards.

The driver loads and validates problems (`plan`), opens the run directory (lock,
manifest, committed sample ids), asks only for the samples not committed yet, lets Ray
judge them (`execute`), commits what comes back as shards, and decides the run's
outcome. Memory is bounded by Ray Data's backpressure and one shard's worth of rows.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable

from pipeline.config import RUN_ID_PATTERN, ConfigError, RunConfig
from pipeline.execute import execute
from pipeline.plan import input_error, load_problems, plan
from pipeline.progress import RunProgress
from pipeline.rows import SampleRow
from pipeline.run_ids import default_run_id, output_location, resumable_run_id
from pipeline.store import RunStore
from pipeline.store.manifest import Outcome
from pipeline.summary import RunSummary

Event = Callable[[str], None]


def run_pipeline(
    config: RunConfig,
    out: str | None = None,
    run_id: str | None = None,
    log: Event = lambda _: None,
    progress: Callable[[RunProgress], None] | None = None,
    max_rejected: float = 1.0,
) -> RunSummary:
    started = time.monotonic()
    if run_id is not None and not re.fullmatch(RUN_ID_PATTERN, run_id):
        raise ConfigError(f"run id {run_id!r}: use letters, digits, '.', '_' and '-' (it becomes a directory name)")
    explicit = run_id or config.run_id
    run_id = explicit or default_run_id(config)
    location = output_location(config, run_id, out)
    if not explicit:
        run_id = resumable_run_id(location, run_id)
    problems, bad_rows = load_problems(config, log)
    with RunStore(
        location,
        run_id,
        config.model_dump(mode="json"),
        config.config_hash(),
        shard_rows=config.output.shard_rows,
        compression=config.output.compression,
        commit_every_s=config.output.commit_every_s,
        on_commit=lambda shard: log(f"committed {shard.path} ({shard.rows} rows)"),
    ) as store:
        manifest = store.manifest
        manifest.attempts += 1
        new_errors = store.add_errors([input_error(bad, run_id) for bad in bad_rows])
        planned = plan(config, problems, store.committed_samples, run_id)
        new_errors += store.add_errors(planned.errors)
        manifest.expected_samples, manifest.problems = planned.expected, planned.problems
        already = len(store.committed_samples)
        log(f"run {run_id} → {location}: {planned.problems} problems, {planned.expected} samples, {already} already committed")
        new_samples = 0
        tally = RunProgress(expected=planned.expected, done=already, started=time.monotonic())
        try:
            if planned.requests:
                for rows in execute(config, problems, planned.requests, run_id):
                    if rows and isinstance(rows[0], SampleRow):
                        added = store.add_samples(rows)
                        new_samples += added
                        tally.count(rows, added)
                    else:
                        new_errors += store.add_errors(rows)
                        tally.errors += len(rows)
                    if progress is not None:
                        progress(tally)
        except BaseException:
            # Whatever was judged is complete: keep it, so the rerun does not pay for it again.
            with contextlib.suppress(Exception):
                store.commit()
            raise
        store.commit()
        # Complete when every sample this plan asked for is committed (a run whose n was
        # lowered keeps its extra samples, but they do not make up for missing ones).
        manifest.missing_samples = len(planned.ids - store.committed_samples)
        counts = manifest.counts
        manifest.outcome = Outcome(
            input_rows=len(problems) + len(bad_rows) + planned.input_rows,
            rejected_rows=len(bad_rows) + len(planned.errors),
            max_rejected=max_rejected,
            judged_samples=counts.samples - counts.by_status.get("invalid_problem", 0),
        )
        manifest.outcome.failure = run_failure(manifest.outcome, planned.expected, manifest.missing_samples)
        if manifest.outcome.failure:
            manifest.status = "failed"
        else:
            manifest.status = "complete" if manifest.missing_samples == 0 else "partial"
        manifest.pass_rate = manifest.counts.pass_rate
        store.write_manifest()
        return RunSummary.of(manifest, location, new_samples, new_errors, time.monotonic() - started)


def run_failure(outcome: Outcome, planned: int, missing: int) -> str | None:
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
            return f"no sample was judged: {missing} samples could not be generated (reasons in errors/)"
        return "no sample was judged: every verdict is invalid_problem (the problems' references fail their own tests)"
    return None
