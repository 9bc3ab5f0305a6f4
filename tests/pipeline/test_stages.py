"""The verify stage in-process (what each Ray actor runs), on real sandboxes."""

from __future__ import annotations

import json

from pipeline.config import RunConfig
from pipeline.generators.base import Generation
from pipeline.stages import VerifyStage, problem_key


def _stage(humaneval) -> VerifyStage:
    problem = humaneval["HumanEval/0"]
    config = RunConfig.model_validate({"sources": [{"path": "builtin:humaneval"}]})
    return VerifyStage(config.model_dump_json(), {problem_key("humaneval", problem.problem_id): problem.model_dump_json()}, "r")


def _generation(humaneval, text: str, sid: str = "s1", error: str | None = None) -> str:
    return Generation(sample_id=sid, source="humaneval", problem_id="HumanEval/0", sample_index=0,
                      completion=None if error else text, error=error, model="m").model_dump_json()  # fmt: skip


def test_samples_generation_errors_and_unknown_problems(humaneval) -> None:
    stage = _stage(humaneval)
    problem = humaneval["HumanEval/0"]
    unknown = Generation(sample_id="s3", source="humaneval", problem_id="nope", sample_index=0, completion="x", model="m")
    out = stage({"generation": [_generation(humaneval, problem.prompt + problem.reference_solution),
                                _generation(humaneval, "", "s2", error="HTTP 500 (after 3 attempts)"),
                                unknown.model_dump_json()]})  # fmt: skip
    rows = {json.loads(r)["sample_id"]: (k, json.loads(r)) for k, r in zip(out["kind"], out["row"])}
    assert rows["s1"][0] == "sample" and rows["s1"][1]["status"] == "pass" and rows["s1"][1]["verifier_cpu_s"] > 0
    assert rows["s2"] == ("error", rows["s2"][1]) and rows["s2"][1]["stage"] == "generate" and "HTTP 500" in rows["s2"][1]["reason"]
    assert rows["s3"][0] == "error" and "unknown problem" in rows["s3"][1]["reason"]


def test_verifier_failures_are_errors_to_retry_not_verdicts(humaneval) -> None:
    stage = _stage(humaneval)
    problem = humaneval["HumanEval/0"]
    verifier = stage._verifier("code")
    verifier.sandbox.close()  # our infrastructure is gone: every attempt fails
    out = stage({"generation": [_generation(humaneval, problem.prompt + problem.reference_solution)]})
    assert out["kind"] == ["error"]
    row = json.loads(out["row"][0])
    assert row["stage"] == "verify" and "verifier failed" in row["reason"] and row["sample_id"] == "s1"
