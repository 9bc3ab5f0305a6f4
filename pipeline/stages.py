"""The Ray Data stages of a run: callable classes, one instance per actor.

Rows travel between stages as JSON text in one column: the models are the contract,
and Arrow never has to guess a type from a batch that happens to hold only nulls.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
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


class GenerateStage:
    """Request rows (`request`) in, generation rows (`generation`) out."""

    def __init__(self, generator_config: str) -> None:
        self.config = GeneratorConfig.model_validate_json(generator_config)
        self.generator = make_generator(self.config)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        requests = [GenerationRequest.model_validate_json(text) for text in batch["request"]]  # ours, from the planner
        try:
            generations = self.generator.generate(requests)
        except Exception as exc:  # noqa: BLE001 - a broken backend fails rows, not the run
            reason = f"generator crashed: {type(exc).__name__}: {exc}"
            generations = [self.generator._failed(r, slot, reason) for r in requests for slot in r.samples]
        return {"generation": [_generation_json(g, self.generator) for g in generations]}


def _generation_json(generation: Generation, generator: Any) -> str:
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
    """Generation rows in; `kind` ("sample" | "error") and `row` (JSON) out.

    Owns one verifier per domain, each with its own sandbox pool, created on first use.
    """

    def __init__(self, run_config: str, problems: Any, run_id: str) -> None:
        import ray

        self.config = RunConfig.model_validate_json(run_config)
        if isinstance(problems, ray.ObjectRef):
            problems = ray.get(problems)
        self._problem_json: dict[ProblemKey, str] = problems
        self._problems: dict[ProblemKey, ProblemBase] = {}
        self.run_id = run_id
        self._verifiers: dict[str, tuple[Verifier, Any]] = {}

    def _problem(self, key: ProblemKey) -> ProblemBase:
        if key not in self._problems:
            self._problems[key] = PROBLEM.validate_json(self._problem_json[key])
        return self._problems[key]

    def _verifier(self, name: str) -> Verifier:
        if name not in self._verifiers:
            from sandbox.config import make_sandbox

            domain = domain_of(name)
            sandbox = make_sandbox(self.config.sandbox, preload=domain.sandbox_preload)
            self._verifiers[name] = (domain.verifier(sandbox, self_test=self.config.verify.self_test), sandbox)
        return self._verifiers[name][0]

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        now = dt.datetime.now(dt.UTC)
        out: list[Finished] = []
        pending: dict[str, list[_ToJudge]] = defaultdict(list)
        for text in batch["generation"]:
            try:
                item = self._triage(Generation.model_validate_json(text), now)
            except Exception as exc:  # noqa: BLE001 - one row's failure is that row's error
                out.append(self._error(_identity(text), "verify", f"cannot handle this row: {type(exc).__name__}: {exc}", now))
                continue
            if isinstance(item, _ToJudge):
                pending[item.problem.domain].append(item)
            else:
                out.append(item)
        for domain, items in pending.items():
            out.extend(self._judge(domain, items, now))
        return {"kind": [kind for kind, _ in out], "row": [row for _, row in out]}

    def _triage(self, generation: Generation, now: dt.datetime) -> Finished | _ToJudge:
        """A finished row (an error, or a verdict that needs no verifier), or work to judge."""
        key = ProblemKey(generation.source, generation.problem_id)
        if generation.error is not None or key not in self._problem_json:
            reason = generation.error if generation.error is not None else "completion for an unknown problem"
            return self._error(generation, "generate", reason, now)
        problem = self._problem(key)
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
        workers = settings.workers_per_actor or _cores()
        verdicts: dict[int, Verdict] = {}
        todo = list(range(len(items)))
        for round_ in range(settings.retries + 1):
            if round_:
                time.sleep(min(30.0, settings.retry_backoff_s * 2 ** (round_ - 1)))
            try:
                pairs = ((items[i].problem, items[i].generation.completion) for i in todo)
                judged = list(self._verifier(domain).verify_many(pairs, workers=workers))
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


def _identity(text: str) -> dict:
    """sample_id, source and problem_id of a row that could not be read as a Generation."""
    try:
        row = json.loads(text)
        return {k: escaped(str(row[k])) for k in ("sample_id", "source", "problem_id") if row.get(k) is not None}
    except Exception:  # noqa: BLE001
        return {}


def _cores() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)))
