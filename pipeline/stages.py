"""The Ray Data stages of a run: callable classes, one instance per actor.

Rows travel as three string columns (`pipeline.plan.ROW_SCHEMA`): `kind`, `row` (JSON of
a model: the models are the contract, and Arrow never guesses a type from a batch that
happens to hold only nulls) and `problem` (the problem's JSON, travelling with its
work). Each stage transforms its own kind and passes every other row on unchanged:

  request ──GenerateStage──▶ generations (one row per problem: its samples' generations)
  generations ──VerifyStage──▶ sample | error (one per generation)
  error, planned: passed through to the driver
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.config import RunConfig
from pipeline.generators.base import Generation, GenerationRequest
from pipeline.generators.registry import GeneratorConfig, make_generator
from pipeline.rows import ErrorRow, ProblemKey, SampleRow, Stage
from verifiers.base import Verifier
from verifiers.domains import PROBLEM, domain_of
from verifiers.schema import ProblemBase, Status, Verdict
from verifiers.text import escaped


def bind(stage: type, **kwargs: Any) -> type:
    """`stage` with its constructor arguments baked in.

    Ray Data would otherwise keep them in the object store, where a restarted actor
    cannot count on finding them; a class defined here travels by value instead.
    """
    return type(stage.__name__, (stage,), {"__init__": lambda self: stage.__init__(self, **kwargs)})


Batch = dict[str, Any]  # Ray Data's numpy batch: kind, row, problem


def _rows(batch: Batch) -> Iterator[tuple[str, str, str | None]]:
    return zip(batch["kind"], batch["row"], batch["problem"], strict=True)


def _batch(rows: list[tuple[str, str, str | None]]) -> dict[str, list]:
    return {"kind": [r[0] for r in rows], "row": [r[1] for r in rows], "problem": [r[2] for r in rows]}


class GenerateStage:
    """Request rows in; one `generations` row per problem out (a JSON list of its
    samples' `Generation`s, with the problem)."""

    def __init__(self, generator_config: str) -> None:
        self.config = GeneratorConfig.model_validate_json(generator_config)
        self.generator = make_generator(self.config)

    def __call__(self, batch: Batch) -> dict[str, list]:
        out: list[tuple[str, str, str | None]] = []
        requests: list[GenerationRequest] = []
        problems: dict[ProblemKey, str | None] = {}
        for kind, text, problem in _rows(batch):
            if kind != "request":
                out.append((kind, text, problem))
                continue
            request = GenerationRequest.model_validate_json(text)  # ours, from the planner
            requests.append(request)
            problems[ProblemKey(request.source, request.problem_id)] = problem
        if not requests:
            return _batch(out)
        try:
            generations = self.generator.generate(requests)
        except Exception as exc:  # noqa: BLE001 - a broken backend fails rows, not the run
            reason = f"generator crashed: {type(exc).__name__}: {exc}"
            generations = [self.generator._failed(r, slot, reason) for r in requests for slot in r.samples]
        grouped: dict[ProblemKey, list[str]] = {key: [] for key in problems}
        for generation in generations:
            grouped.setdefault(ProblemKey(generation.source, generation.problem_id), []).append(_generation_json(generation))
        for key, texts in grouped.items():
            if texts:
                out.append(("generations", "[" + ",".join(texts) + "]", problems.get(key)))
        return _batch(out)


def _generation_json(generation: Generation) -> str:
    """One row's JSON; a row that cannot be written out fails alone, with the reason."""
    try:
        return generation.model_dump_json()
    except Exception as exc:  # noqa: BLE001 - whatever a backend put in a row
        reason = f"generated row cannot be serialised: {type(exc).__name__}: {exc}"
        failed = Generation(
            sample_id=generation.sample_id, source=generation.source, problem_id=generation.problem_id,
            sample_index=generation.sample_index, error=escaped(reason)[:2000], model=escaped(str(generation.model)),
            sampling=generation.sampling,
        )  # fmt: skip
        return failed.model_dump_json()


@dataclass(frozen=True)
class _ToJudge:
    """A generation whose verdict needs its domain's verifier."""

    generation: Generation
    problem: ProblemBase


Finished = tuple[str, str]  # ("sample" | "error", the row's JSON)


class VerifyStage:
    """`generations` rows in (a problem and its samples' generations); one `sample` or
    `error` row per generation out.

    Owns one verifier per domain, each with its own sandbox pool, created on first use.
    Holds no problem set: each row brings its problem.
    """

    def __init__(self, run_config: str, run_id: str) -> None:
        self.config = RunConfig.model_validate_json(run_config)
        self.run_id = run_id
        self._verifiers: dict[str, tuple[Verifier, Any]] = {}
        self._lock = threading.Lock()  # the actor may judge several batches at once (threads)

    def _verifier(self, name: str) -> Verifier:
        with self._lock:
            if name not in self._verifiers:
                from sandbox.config import make_sandbox

                domain = domain_of(name)
                sandbox = make_sandbox(_sized(self.config.sandbox), preload=domain.sandbox_preload)
                verifier = domain.verifier(sandbox, self_test=self.config.verify.self_test, time_limits=self.config.verify.time_limits)
                self._verifiers[name] = (verifier, sandbox)
            return self._verifiers[name][0]

    def __call__(self, batch: Batch) -> dict[str, list]:
        now = dt.datetime.now(dt.UTC)
        out: list[Finished] = []
        pending: dict[str, list[_ToJudge]] = defaultdict(list)
        for kind, text, problem_json in _rows(batch):
            if kind != "generations":
                out.append((kind, text))
                continue
            try:
                items = json.loads(text)
            except Exception as exc:  # noqa: BLE001 - this row fails alone
                out.append(self._error({}, "verify", f"cannot handle this row: {type(exc).__name__}: {exc}", now))
                continue
            items = items if isinstance(items, list) else [items]
            try:
                problem = PROBLEM.validate_json(problem_json or "")
            except Exception as exc:  # noqa: BLE001 - this problem's samples fail alone
                why = f"cannot read the problem this row carries: {type(exc).__name__}: {str(exc)[:500]}"
                out.extend(self._error(_identity(item), "verify", why, now) for item in items)
                continue
            for item in items:
                try:
                    judged = self._triage(Generation.model_validate(item), problem, now)
                except Exception as exc:  # noqa: BLE001 - one sample's failure is that sample's error
                    out.append(self._error(_identity(item), "verify", f"cannot handle this row: {type(exc).__name__}: {exc}", now))
                    continue
                if isinstance(judged, _ToJudge):
                    pending[problem.domain].append(judged)
                else:
                    out.append(judged)
        for domain, todo in pending.items():
            out.extend(self._judge(domain, todo, now))
        return {"kind": [kind for kind, _ in out], "row": [row for _, row in out], "problem": [None] * len(out)}

    def _triage(self, generation: Generation, problem: ProblemBase, now: dt.datetime) -> Finished | _ToJudge:
        """A finished row (an error, or a verdict that needs no verifier), or work to judge."""
        if generation.error is not None:
            return self._error(generation, "generate", generation.error, now)
        if generation.problem_id != problem.problem_id:
            return self._error(generation, "verify", "the generation does not belong to the problem it travelled with", now)
        if generation.unstorable:
            return self._sample(generation, problem, Verdict.of(Status.no_answer, generation.unstorable), now)
        limit = self.config.verify.max_completion_bytes
        size = len((generation.completion or "").encode("utf-8", "surrogatepass"))
        if size > limit:
            verdict = Verdict.of(Status.no_answer, f"completion is {size:,} bytes, over the {limit:,}-byte limit: not read")
            return self._sample(generation, problem, verdict, now)
        return _ToJudge(generation, problem)

    def _judge(self, domain: str, items: list[_ToJudge], now: dt.datetime) -> list[Finished]:
        """Verdicts for `items`. A `verifier_error` is our failure (a busy machine, a lost
        sandbox worker), not the sample's: such samples are judged again, after a growing
        pause, up to `verify.retries` rounds; only then do they go to errors/ (never a
        verdict), where a rerun picks them up."""
        settings = self.config.verify
        verdicts: dict[int, Verdict] = {}
        todo = list(range(len(items)))
        for round_ in range(settings.retries + 1):
            if round_:
                time.sleep(min(30.0, settings.retry_backoff_s * 2 ** (round_ - 1)))
            try:
                verifier = self._verifier(domain)
                workers = settings.workers_per_actor or self._verifiers[domain][1].workers  # the sandbox's slots
                pairs = ((items[i].problem, items[i].generation.completion) for i in todo)
                judged = list(verifier.verify_many(pairs, workers=workers))
                if len(judged) != len(todo):
                    raise RuntimeError(f"the verifier returned {len(judged)} verdicts for {len(todo)} samples")
            except Exception as exc:  # noqa: BLE001 - a verifier bug or a broken sandbox: retry, then per-row errors
                judged = [Verdict.of(Status.verifier_error, f"verifier raised {type(exc).__name__}: {exc}")] * len(todo)
            for index, verdict in zip(todo, judged, strict=True):
                verdicts[index] = verdict
            todo = [i for i in todo if verdicts[i].status is Status.verifier_error]
            if not todo:
                break
        out: list[Finished] = []
        for index, item in enumerate(items):
            verdict = verdicts[index]
            if item.generation.finish_reason == "length":
                verdict = self._verifier(domain).cut_short(verdict)
            if verdict.status is Status.verifier_error:
                reason = f"{verdict.reason} (after {settings.retries + 1} attempts in this run)"
                out.append(self._error(item.generation, "verify", reason, now))
            else:
                out.append(self._sample(item.generation, item.problem, verdict, now))
        return out

    def _sample(self, generation: Generation, problem: ProblemBase, verdict: Verdict, now: dt.datetime) -> Finished:
        return "sample", SampleRow.of(generation, problem.prompt, problem.domain, verdict, self.run_id, now).model_dump_json()

    def _error(self, generation: Generation | dict, stage: Stage, reason: str, now: dt.datetime) -> Finished:
        ident = generation if isinstance(generation, dict) else generation.model_dump(include={"sample_id", "source", "problem_id"})
        row = ErrorRow.of(stage, reason[:2000], self.run_id, at=now, **{k: ident.get(k) for k in ("sample_id", "source", "problem_id")})
        return "error", row.model_dump_json()

    def __del__(self) -> None:
        for verifier, sandbox in self._verifiers.values():
            verifier.close()
            sandbox.close()


def _identity(row: Any) -> dict:
    """sample_id, source and problem_id of a row that could not be read as a Generation."""
    if not isinstance(row, dict):
        return {}
    return {k: escaped(str(row[k])) for k in ("sample_id", "source", "problem_id") if row.get(k) is not None}





def _sized(sandbox: Any) -> Any:
    """The sandbox config with its slots sized from the CPUs Ray gave this actor (two per
    CPU, at least two) when the config leaves them open: every actor on a node sees all
    of its cores, and sizing each pool from them would crowd the node with runs."""
    if getattr(sandbox, "workers", 0) is not None:
        return sandbox  # set by the user, or a backend without slots
    try:
        import ray

        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU") if ray.is_initialized() else None
    except Exception:  # noqa: BLE001 - outside a Ray worker: the backend's default
        cpus = None
    return sandbox.model_copy(update={"workers": max(2, round(2 * cpus))}) if cpus else sandbox
