"""The verify stage in-process (what each Ray actor runs), on real sandboxes."""

from __future__ import annotations

import json

from pipeline.config import RunConfig
from pipeline.generators.base import Generation
from pipeline.stages import VerifyStage


def _stage(humaneval) -> VerifyStage:
    config = RunConfig.model_validate({"sources": [{"path": "builtin:humaneval"}], "verify": {"retry_backoff_s": 0.05}})
    return VerifyStage(config.model_dump_json(), "r")


def _generation(humaneval, text: str, sid: str = "s1", error: str | None = None) -> str:
    return Generation(sample_id=sid, source="humaneval", problem_id="HumanEval/0", sample_index=0,
                      completion=None if error else text, error=error, model="m").model_dump_json()  # fmt: skip


def _batch(humaneval, *generations: str, problem: str | None = None) -> dict[str, list]:
    """One `generations` row: the problem HumanEval/0 and these samples' generations."""
    problem = humaneval["HumanEval/0"].model_dump_json() if problem is None else problem
    return {"kind": ["generations"], "row": ["[" + ",".join(generations) + "]"], "problem": [problem]}


def test_samples_generation_errors_and_unknown_problems(humaneval) -> None:
    stage = _stage(humaneval)
    problem = humaneval["HumanEval/0"]
    unknown = Generation(sample_id="s3", source="humaneval", problem_id="nope", sample_index=0, completion="x", model="m")
    out = stage(_batch(humaneval, _generation(humaneval, problem.prompt + problem.reference_solution),
                       _generation(humaneval, "", "s2", error="HTTP 500 (after 3 attempts)"), unknown.model_dump_json()))  # fmt: skip
    rows = {json.loads(r)["sample_id"]: (k, json.loads(r)) for k, r in zip(out["kind"], out["row"])}
    assert rows["s1"][0] == "sample" and rows["s1"][1]["status"] == "pass" and rows["s1"][1]["verifier_cpu_s"] > 0
    assert rows["s2"] == ("error", rows["s2"][1]) and rows["s2"][1]["stage"] == "generate" and "HTTP 500" in rows["s2"][1]["reason"]
    assert rows["s3"][0] == "error" and "does not belong to the problem" in rows["s3"][1]["reason"]


def test_verifier_failures_are_errors_to_retry_not_verdicts(humaneval) -> None:
    stage = _stage(humaneval)
    problem = humaneval["HumanEval/0"]
    verifier = stage._verifier("code")
    verifier.sandbox.close()  # our infrastructure is gone: every attempt fails
    out = stage(_batch(humaneval, _generation(humaneval, problem.prompt + problem.reference_solution)))
    assert out["kind"] == ["error"]
    row = json.loads(out["row"][0])
    assert row["stage"] == "verify" and "verifier failed" in row["reason"] and row["sample_id"] == "s1"
    assert f"after {stage.config.verify.retries + 1} attempts in this run" in row["reason"]


def test_an_unstorable_completion_is_judged_no_answer_with_the_reason(humaneval) -> None:
    stage = _stage(humaneval)
    out = stage(_batch(humaneval, _generation(humaneval, "def has_close_elements(n, t):\n    return '\udcff'\n")))
    assert out["kind"] == ["sample"]
    row = json.loads(out["row"][0])
    assert row["status"] == "no_answer" and "lone surrogate, U+DCFF" in row["reason"]
    assert row["completion"].endswith("return '\\udcff'\n")  # kept, escaped, never passed
    assert "code" not in stage._verifiers  # nothing was run for it


def test_a_row_the_stage_cannot_read_is_that_rows_error_and_the_others_go_on(humaneval) -> None:
    stage = _stage(humaneval)
    problem = humaneval["HumanEval/0"]
    broken = json.dumps({"sample_id": "s9", "source": "humaneval", "problem_id": "HumanEval/0", "sample_index": "not a number"})
    out = stage(_batch(humaneval, broken, _generation(humaneval, problem.prompt + problem.reference_solution)))
    rows = {json.loads(r)["sample_id"]: (k, json.loads(r)) for k, r in zip(out["kind"], out["row"])}
    assert rows["s9"][0] == "error" and rows["s9"][1]["stage"] == "verify" and "cannot handle this row" in rows["s9"][1]["reason"]
    assert rows["s1"][0] == "sample" and rows["s1"][1]["status"] == "pass"


def test_verifier_errors_are_judged_again_within_the_run(humaneval) -> None:
    """A verifier that fails once (its sandbox gone) and is back for the next round: the
    sample gets its real verdict in this run, not an error for a rerun to fix."""
    import threading

    from sandbox.config import make_sandbox
    from verifiers.code.verifier import HARNESS_MODULE, PythonCodeVerifier

    config = RunConfig.model_validate({"sources": [{"path": "builtin:humaneval"}], "verify": {"retries": 2, "retry_backoff_s": 1.0}})
    problem = humaneval["HumanEval/0"]
    stage = VerifyStage(config.model_dump_json(), "r")
    stage._verifier("code").sandbox.close()  # round 1 fails: our infrastructure is down
    fresh = make_sandbox(config.sandbox, preload=(HARNESS_MODULE,))

    def recover() -> None:  # ... and is back before round 2
        stage._verifiers["code"] = (PythonCodeVerifier(fresh), fresh)

    timer = threading.Timer(0.3, recover)
    timer.start()
    try:
        out = stage(_batch(humaneval, _generation(humaneval, problem.prompt + problem.reference_solution)))
    finally:
        timer.cancel()
        fresh.close()
    assert out["kind"] == ["sample"] and json.loads(out["row"][0])["status"] == "pass"


def test_other_rows_pass_through_and_an_unreadable_problem_fails_its_samples(humaneval) -> None:
    stage = _stage(humaneval)
    batch = _batch(humaneval, _generation(humaneval, "x", "s1"), _generation(humaneval, "y", "s2"), problem='{"domain": "math"}')
    batch = {k: [*v, *extra] for (k, v), extra in zip(batch.items(), (["planned", "error"], ['{"t": 1}', '{"e": 2}'], [None, None]))}
    out = stage(batch)
    assert out["kind"][-2:] == ["planned", "error"] and out["row"][-2:] == ['{"t": 1}', '{"e": 2}']
    failed = [json.loads(r) for k, r in zip(out["kind"][:-2], out["row"][:-2]) if k == "error"]
    assert sorted(r["sample_id"] for r in failed) == ["s1", "s2"]
    assert all("cannot read the problem" in r["reason"] for r in failed)
