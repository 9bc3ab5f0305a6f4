"""One run, end to end: problems → generate → verify → shards (DESIGN.md, "Data flow").

The driver loads and validates problems, opens the run directory (lock, manifest,
committed sample ids), and asks only for the samples not committed yet. Ray Data
streams requests through a generator actor pool and a verifier actor pool; the driver
consumes verdicts as they arrive and commits them as shards. Memory is bounded by Ray
Data's backpressure and one shard's worth of rows in the driver.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from pipeline.config import RUN_ID_PATTERN, ConfigError, LlamaCppConfig, OpenAIConfig, ReplayConfig, RunConfig, VLLMConfig
from pipeline.generators.base import GenerationRequest, SampleSlot, generator_fingerprint
from pipeline.ids import error_id, fingerprint, replay_sample_id, sample_id, sample_seed
from pipeline.prompts import build_messages
from pipeline.schema import CodeProblem, MathProblem
from pipeline.sources.load import BadRow, load_source
from pipeline.stages import GenerateStage, VerifyStage, bind, problem_key
from pipeline.store import Manifest, RunStore
from pipeline.store.manifest import Outcome

Event = Callable[[str], None]


class DomainSummary(BaseModel):
    samples: int
    passed: int
    pass_rate: float | None


class RunSummary(BaseModel):
    """What `assay run`/`verify` print (and `--json` emits)."""

    run_id: str
    out: str
    status: Literal["complete", "partial", "failed", "running"]
    failure: str | None = None  # one line: why the run failed (status "failed")
    problems: int
    expected_samples: int
    samples: int
    passed: int
    pass_rate: float | None
    new_samples: int
    missing_samples: int
    by_status: dict[str, int]
    by_domain: dict[str, DomainSummary]
    by_source: dict[str, DomainSummary]
    errors_by_stage: dict[str, int]
    new_errors: int
    shards: dict[str, list[str]]
    seconds: float
    report_html: str | None = None  # written by the CLI after the run

    @classmethod
    def of(cls, manifest: Manifest, out: str, new_samples: int, new_errors: int, seconds: float) -> RunSummary:
        counts = manifest.counts
        table = lambda d: {k: DomainSummary(samples=v.samples, passed=v.passed, pass_rate=v.pass_rate) for k, v in sorted(d.items())}  # noqa: E731
        return cls(
            run_id=manifest.run_id,
            out=out,
            status=manifest.status,
            failure=manifest.outcome.failure,
            problems=manifest.problems,
            expected_samples=manifest.expected_samples,
            samples=counts.samples,
            passed=counts.passed,
            pass_rate=counts.pass_rate,
            new_samples=new_samples,
            missing_samples=manifest.missing_samples,
            by_status=dict(sorted(counts.by_status.items())),
            by_domain=table(counts.by_domain),
            by_source=table(counts.by_source),
            errors_by_stage=dict(sorted(counts.errors_by_stage.items())),
            new_errors=new_errors,
            shards={kind: manifest.shard_paths(kind) for kind in ("data", "verdicts", "errors")},
            seconds=round(seconds, 2),
        )


def default_run_id(config: RunConfig, today: dt.date | None = None) -> str:
    """Same config, same day → same run (a rerun resumes); a new day → a new run."""
    if config.run_id:
        return config.run_id
    digest = config.config_hash()
    engine = config.generator.engine
    if isinstance(engine, ReplayConfig):
        # Another completions file at the same path is another run, not a resume of this one.
        digest = fingerprint([digest, _file_identity(engine.path)])
    return f"{(today or dt.date.today()).isoformat()}-{digest[:8]}"


def _resumable_run_id(location: str, run_id: str) -> str:
    """A default run id names the config and the day. A run interrupted before midnight
    and rerun after it, into the same directory, is the same run: keep its id."""
    from pipeline.storage import resolve
    from pipeline.store.manifest import read_manifest

    try:
        manifest = read_manifest(*resolve(location))
    except (OSError, ValueError):
        manifest = None  # unreadable: RunStore will say so
    if manifest is None:
        return run_id
    existing = manifest.run_id
    same_config = existing.split("-")[-1] == run_id.split("-")[-1] and len(existing) == len(run_id)
    return existing if same_config else run_id


def _file_identity(location: str) -> list:
    from pipeline.storage import resolve

    try:
        fs, path = resolve(location)
        info = fs.get_file_info(path)
        return [info.size, info.mtime_ns]
    except (OSError, ValueError):
        return [None, None]


def output_location(config: RunConfig, run_id: str, out: str | None = None) -> str:
    template = out or config.output.dir
    return template.replace("{run_id}", run_id).replace("{date}", dt.date.today().isoformat())


# --------------------------------------------------------------------------- driver


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
        run_id = _resumable_run_id(location, run_id)
    problems, bad_rows = _load_problems(config, log)
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
        new_errors = store.add_errors([_input_error(bad, run_id) for bad in bad_rows])
        plan = _plan(config, problems, store.committed_samples, run_id)
        requests, expected = plan.requests, plan.expected
        new_errors += store.add_errors(plan.errors)
        manifest.expected_samples, manifest.problems = expected, plan.problems
        already = len(store.committed_samples)
        log(f"run {run_id} → {location}: {plan.problems} problems, {expected} samples, {already} already committed")
        new_samples = 0
        tally = RunProgress(expected=expected, done=already, started=time.monotonic())
        try:
            if requests:
                for kind, rows in _execute(config, problems, requests, run_id):
                    if kind == "sample":
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
        manifest.missing_samples = len(plan.ids - store.committed_samples)
        counts = manifest.counts
        manifest.outcome = Outcome(
            input_rows=len(problems) + len(bad_rows) + plan.input_rows,
            rejected_rows=len(bad_rows) + len(plan.errors),
            max_rejected=max_rejected,
            judged_samples=counts.samples - counts.by_status.get("invalid_problem", 0),
        )
        manifest.outcome.failure = run_failure(manifest.outcome, plan.expected, manifest.missing_samples)
        if manifest.outcome.failure:
            manifest.status = "failed"
        else:
            manifest.status = "complete" if manifest.missing_samples == 0 else "partial"
        manifest.pass_rate = manifest.counts.pass_rate
        store.write_manifest()
        return RunSummary.of(manifest, location, new_samples, new_errors, time.monotonic() - started)


@dataclass
class RunProgress:
    """Where a run stands, for a person watching (the CLI draws it, or logs it)."""

    expected: int  # samples the run has in all
    done: int  # samples committed, earlier attempts included
    started: float  # time.monotonic() at the start of this attempt
    judged: int = 0  # samples judged this attempt
    passed: int = 0  # of those, passing
    errors: int = 0  # rows that went to errors/ this attempt
    tokens: int = 0  # completion tokens generated this attempt

    def count(self, rows: list[dict], added: int) -> None:
        self.done += added
        self.judged += len(rows)
        self.passed += sum(bool(r.get("passed")) for r in rows)
        self.tokens += sum(int(r.get("completion_tokens") or 0) for r in rows)

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.judged if self.judged else None

    @property
    def eta_s(self) -> float | None:
        left = self.expected - self.done
        return left * self.elapsed_s / self.judged if self.judged and left > 0 else (0.0 if left <= 0 else None)

    def line(self) -> str:
        """One plain line, for logs."""
        rate = "—" if self.pass_rate is None else f"{self.pass_rate:.1%}"
        eta = "?" if self.eta_s is None else _duration(self.eta_s)
        share = self.done / self.expected if self.expected else 1.0
        return (f"progress: {self.done}/{self.expected} samples ({share:.0%}), {self.passed} passed ({rate}) this run, "
                f"{self.tokens / max(self.elapsed_s, 1e-9):.0f} tokens/s, {_duration(self.elapsed_s)} elapsed, ~{eta} left")  # fmt: skip


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


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


def _load_problems(config: RunConfig, log: Event) -> tuple[dict[str, CodeProblem | MathProblem], list[BadRow]]:
    problems: dict[str, CodeProblem | MathProblem] = {}
    bad: list[BadRow] = []
    limit = config.verify.max_problem_bytes
    for source in config.sources:
        label = source.label
        count = 0
        for item in load_source(source):
            if isinstance(item, BadRow):
                bad.append(item if item.source else BadRow(label, item.reason, item.row, item.problem_id))
            elif (size := len(item.model_dump_json())) > limit:
                why = f"problem is {size:,} bytes (prompt, tests, answer as JSON), over verify.max_problem_bytes = {limit:,}"
                bad.append(BadRow(label, why, item.problem_id, item.problem_id))
            else:
                problems[problem_key(label, item.problem_id)] = item
                count += 1
        log(f"source {label}: {count} problems")
    if bad:
        log(f"{len(bad)} input rows rejected (see errors/)")
    return problems, bad


def _input_error(bad: BadRow, run_id: str) -> dict:
    return _error_row("input", bad.source, bad.problem_id, None, bad.reason, bad.row, run_id)


def _error_row(stage: str, source: str, problem_id: str | None, sample: str | None, reason: str, row: str | None, run_id: str) -> dict:
    return {
        "error_id": error_id(stage, source, problem_id, sample, reason, row),
        "stage": stage,
        "source": source,
        "problem_id": problem_id,
        "sample_id": sample,
        "reason": reason,
        "row": row,
        "run_id": run_id,
        "created_at": dt.datetime.now(dt.timezone.utc),
    }


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Plan:
    requests: list[GenerationRequest]  # every sample not committed yet
    ids: set[str]  # every sample the run has (committed or not)
    problems: int  # problems with at least one sample
    errors: list[dict]  # input rows that cannot become samples
    input_rows: int = 0  # completion rows read (replay)

    @property
    def expected(self) -> int:
        return len(self.ids)


def _plan(config: RunConfig, problems: dict[str, CodeProblem | MathProblem], committed: set[str], run_id: str) -> Plan:
    if isinstance(config.generator.engine, ReplayConfig):
        return _plan_replay(config, problems, committed, run_id)
    sampling = config.generator.sampling
    fingerprint = generator_fingerprint(config.generator)
    requests = []
    ids: set[str] = set()
    for key, problem in problems.items():
        source = key.split("\x00", 1)[0]
        slots = []
        for index in range(sampling.n):
            seed = sample_seed(sampling.seed, problem.problem_id, index)
            sid = sample_id(source, problem.problem_id, fingerprint, index, seed)
            ids.add(sid)
            if sid not in committed:
                slots.append(SampleSlot(index=index, sample_id=sid, seed=seed))
        if slots:
            messages = build_messages(problem, config.generator.prompts)
            requests.append(
                GenerationRequest(source=source, problem_id=problem.problem_id, domain=problem.domain, messages=messages, samples=slots)
            )
    return Plan(requests, ids, len(problems), [])


def _plan_replay(config: RunConfig, problems: dict[str, CodeProblem | MathProblem], committed: set[str], run_id: str) -> Plan:
    from pipeline.generators.replay import scan_completions

    engine = config.generator.engine
    by_id: dict[str, list[str]] = defaultdict(list)
    for key in problems:
        source, problem_id = key.split("\x00", 1)
        by_id[problem_id].append(source)
    slots: dict[str, list[SampleSlot]] = defaultdict(list)
    ordinals: dict[str, int] = defaultdict(int)
    seen_ids: set[str] = set()
    errors = []
    rows = 0
    for scanned in scan_completions(engine.path):
        rows += 1
        if scanned.completion is None:
            errors.append(_error_row("input", "completions", None, None, scanned.error, None, run_id))
            continue
        completion = scanned.completion
        sources = by_id.get(completion.problem_id, [])
        if len(sources) != 1:
            why = "no such problem in the sources" if not sources else f"problem_id is in several sources: {', '.join(sources)}"
            errors.append(_error_row("input", "completions", completion.problem_id, completion.sample_id, f"{scanned.where}: {why}", None, run_id))
            continue
        source = sources[0]
        key = problem_key(source, completion.problem_id)
        ordinal = ordinals[key]
        ordinals[key] += 1
        sid = completion.sample_id or replay_sample_id(source, completion.problem_id, ordinal, completion.completion)
        if sid in seen_ids:
            errors.append(_error_row("input", "completions", completion.problem_id, sid, f"{scanned.where}: duplicate sample_id", None, run_id))
            continue
        seen_ids.add(sid)
        if sid not in committed:
            slots[key].append(SampleSlot(index=ordinal, sample_id=sid, seed=0, locator=scanned.locator))
    requests = []
    chunk = max(1, engine.batch_size // 4)
    for key, pending in slots.items():
        source, problem_id = key.split("\x00", 1)
        problem = problems[key]
        for start in range(0, len(pending), chunk):
            requests.append(
                GenerationRequest(
                    source=source, problem_id=problem_id, domain=problem.domain, messages=[], samples=pending[start : start + chunk]
                )
            )
    return Plan(requests, seen_ids, len(ordinals), errors, rows)


# --------------------------------------------------------------------------- Ray


def _execute(
    config: RunConfig, problems: dict[str, CodeProblem | MathProblem], requests: list[GenerationRequest], run_id: str
) -> Iterator[tuple[str, list[dict]]]:
    import ray

    started_ray = _init_ray(config)
    try:
        ctx = ray.data.DataContext.get_current()
        # Ray Data's own bars show its internals (blocks, object store, dataset ids):
        # the CLI shows samples, passes and time left instead (RunProgress).
        ctx.enable_progress_bars = False
        ctx.enable_operator_progress_bars = False
        ctx.enable_rich_progress_bars = False
        ctx.use_ray_tqdm = False
        ctx.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        items = [{"request": r.model_dump_json()} for r in requests]
        ds = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), 256)))
        ds = _generate(ds, config)
        problem_json = {key: problem.model_dump_json() for key, problem in problems.items()}
        ds = ds.map_batches(
            bind(VerifyStage, run_config=config.model_dump_json(), problems=ray.put(problem_json), run_id=run_id),
            batch_size=config.verify.batch_size,
            compute=ray.data.ActorPoolStrategy(size=config.verify.actors),
            num_cpus=config.verify.cpus_per_actor,
            resources=config.verify.resources or None,
        )
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            samples, errors = [], []
            for kind, text in zip(batch["kind"], batch["row"]):
                row = json.loads(text)
                row["created_at"] = dt.datetime.fromisoformat(row["created_at"])
                (samples if kind == "sample" else errors).append(row)
            if samples:
                yield "sample", samples
            if errors:
                yield "error", errors
    finally:
        if started_ray:
            ray.shutdown()


def _generate(ds: Any, config: RunConfig) -> Any:
    engine = config.generator.engine
    if isinstance(engine, VLLMConfig):
        from pipeline.generators.vllm_ray import vllm_stage

        return vllm_stage(ds, config.generator)
    if isinstance(engine, LlamaCppConfig):
        resources = {"num_cpus": engine.cpus_per_actor}
    elif isinstance(engine, OpenAIConfig):
        resources = {"num_cpus": 0.25}  # waits on the network, not the CPU
    else:
        resources = {"num_cpus": 0.25}
    import ray

    return ds.map_batches(
        bind(GenerateStage, generator_config=config.generator.model_dump_json()),
        batch_size=engine.batch_size,
        compute=ray.data.ActorPoolStrategy(size=getattr(engine, "actors", 1)),
        **resources,
    )


def _init_ray(config: RunConfig) -> bool:
    """Connect to the configured cluster (or the one a Ray Job runs in: $RAY_ADDRESS),
    else start a quiet local one. True if we started it."""
    import os

    import ray

    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    address = config.ray.address or os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, **kwargs)
        return False
    ray.init(num_cpus=config.ray.num_cpus, include_dashboard=False, **kwargs)
    return True
