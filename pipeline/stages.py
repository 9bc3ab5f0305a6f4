"""The Ray Data stages of a run: callable classes, one instance per actor.

Rows travel between stages as JSON text in one column: the models are the contract,
and Arrow never has to guess a type from a batch that happens to hold only nulls.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import TypeAdapter

from pipeline.config import GeneratorConfig, RunConfig
from pipeline.generators.base import Generation, GenerationRequest, make_generator
from pipeline.ids import error_id
from pipeline.schema import Problem, Status, Verdict

_PROBLEM = TypeAdapter(Problem)


def problem_key(source: str, problem_id: str) -> str:
    return f"{source}\x00{problem_id}"


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
        requests = [GenerationRequest.model_validate_json(text) for text in batch["request"]]
        try:
            generations = self.generator.generate(requests)
        except Exception as exc:  # noqa: BLE001 - a broken backend fails rows, not the run
            reason = f"generator crashed: {type(exc).__name__}: {exc}"
            generations = [self.generator._failed(r, slot, reason) for r in requests for slot in r.samples]
        return {"generation": [g.model_dump_json() for g in generations]}


class VerifyStage:
    """Generation rows in; `kind` ("sample" | "error") and `row` (JSON) out.

    Owns one verifier per domain, each with its own sandbox pool, created on first use.
    """

    def __init__(self, run_config: str, problems: Any, run_id: str) -> None:
        import ray

        self.config = RunConfig.model_validate_json(run_config)
        if isinstance(problems, ray.ObjectRef):
            problems = ray.get(problems)
        self._problem_json: dict[str, str] = problems
        self._problems: dict[str, Any] = {}
        self.run_id = run_id
        self._verifiers: dict[str, Any] = {}

    def _problem(self, key: str):
        if key not in self._problems:
            self._problems[key] = _PROBLEM.validate_json(self._problem_json[key])
        return self._problems[key]

    def _verifier(self, domain: str):
        if domain not in self._verifiers:
            from sandbox.config import make_sandbox

            if domain == "code":
                from verifiers.code.verifier import HARNESS_MODULE, PythonCodeVerifier

                sandbox = make_sandbox(self.config.sandbox, preload=(HARNESS_MODULE,))
                self._verifiers[domain] = (PythonCodeVerifier(sandbox, self_test=self.config.verify.self_test), sandbox)
            else:
                from verifiers.math.verifier import MathVerifier

                sandbox = make_sandbox(self.config.sandbox, preload=("verifiers.math.symbolic",))
                self._verifiers[domain] = (MathVerifier(sandbox), sandbox)
        return self._verifiers[domain][0]

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        kinds: list[str] = []
        rows: list[str] = []
        pending: dict[str, list[tuple[Generation, Any]]] = {"code": [], "math": []}
        limit = self.config.verify.max_completion_bytes
        for text in batch["generation"]:
            generation = Generation.model_validate_json(text)
            key = problem_key(generation.source, generation.problem_id)
            if generation.error is not None or key not in self._problem_json:
                reason = generation.error if generation.error is not None else "completion for an unknown problem"
                kinds.append("error")
                rows.append(json.dumps(self._error(generation, "generate", reason, now)))
                continue
            problem = self._problem(key)
            size = len(generation.completion.encode("utf-8", "surrogatepass"))
            if size > limit:
                verdict = Verdict.of(Status.no_answer, f"completion is {size:,} bytes, over the {limit:,}-byte limit: not read")
                kinds.append("sample")
                rows.append(json.dumps(self._sample(generation, problem, verdict, now)))
                continue
            pending[problem.domain].append((generation, problem))
        workers = self.config.verify.workers_per_actor or _cores()
        for domain, items in pending.items():
            if not items:
                continue
            verdicts = self._verifier(domain).verify_many(((p, g.completion) for g, p in items), workers=workers)
            for (generation, problem), verdict in zip(items, verdicts, strict=True):
                if verdict.status is Status.verifier_error:
                    # Our failure, not the sample's: recorded, not committed, retried by a rerun.
                    kinds.append("error")
                    rows.append(json.dumps(self._error(generation, "verify", verdict.reason, now)))
                    continue
                kinds.append("sample")
                rows.append(json.dumps(self._sample(generation, problem, verdict, now)))
        return {"kind": kinds, "row": rows}

    def _sample(self, generation: Generation, problem: Any, verdict: Verdict, now: str) -> dict:
        sampling = generation.sampling.model_dump() if generation.sampling else None
        return {
            "sample_id": generation.sample_id,
            "problem_id": generation.problem_id,
            "source": generation.source,
            "domain": problem.domain,
            "sample_index": generation.sample_index,
            "prompt": problem.prompt,
            "completion": generation.completion,
            "extracted": verdict.extracted,
            "status": verdict.status.value,
            "passed": verdict.passed,
            "tests_passed": verdict.tests_passed,
            "tests_total": verdict.tests_total,
            "reason": verdict.reason,
            "duration_s": verdict.duration_s,
            "verifier_cpu_s": verdict.cpu_s,
            "model": generation.model,
            "sampling": sampling,
            "prompt_tokens": generation.prompt_tokens,
            "completion_tokens": generation.completion_tokens,
            "generation_s": generation.latency_s,
            "run_id": self.run_id,
            "created_at": now,
        }

    def _error(self, generation: Generation, stage: str, reason: str, now: str) -> dict:
        return {
            "error_id": error_id(stage, generation.sample_id, reason),
            "stage": stage,
            "source": generation.source,
            "problem_id": generation.problem_id,
            "sample_id": generation.sample_id,
            "reason": reason,
            "row": None,
            "run_id": self.run_id,
            "created_at": now,
        }

    def __del__(self) -> None:
        for verifier, sandbox in self._verifiers.values():
            verifier.close()
            sandbox.close()


def _cores() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)))
