"""When a run has failed although nothing crashed: it judged no sample, or it rejected
more of its input than allowed (exit 1, status `failed`, the reason first)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from tests.pipeline.e2e import write_jsonl

runner = CliRunner()


def _math(problem_id: str, answer: str) -> dict:
    return {"problem_id": problem_id, "domain": "math", "prompt": f"What is {answer}?", "answer": answer}


def _verify(problems: Path, completions: Path, out: Path, *extra: str):
    return runner.invoke(app, ["verify", "--problems", str(problems), "--completions", str(completions), "--out", str(out), *extra])


def test_a_run_whose_every_row_is_rejected_fails_with_the_reason(tmp_path: Path) -> None:
    # Rows in a language Assay does not judge, and completions for them.
    problems = write_jsonl(tmp_path / "p.jsonl", [
        {"problem_id": f"c{i}", "domain": "code", "language": "cobol", "prompt": "?", "tests": {"kind": "assert", "code": "assert 1"}}
        for i in range(3)
    ])  # fmt: skip
    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": f"c{i % 3}", "completion": "x"} for i in range(5)])
    result = _verify(problems, completions, tmp_path / "out")
    assert result.exit_code == 1, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("Run failed: 8 of 8 input rows were rejected") and "no sample was planned" in first, first
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["outcome"] | {"failure": None} == {
        "input_rows": 8, "rejected_rows": 8, "max_rejected": 1.0, "judged_samples": 0, "failure": None,
    }  # fmt: skip
    assert manifest["counts"]["errors_by_stage"] == {"input": 8}
    # --json says the same, and a rerun fails the same way.
    again = _verify(problems, completions, tmp_path / "out", "--json")
    assert again.exit_code == 1 and json.loads(again.stdout)["status"] == "failed"
    assert json.loads(again.stdout)["failure"].startswith("8 of 8 input rows were rejected")


def test_rejections_under_the_limit_pass_and_over_a_stricter_one_fail(tmp_path: Path) -> None:
    problems = write_jsonl(tmp_path / "p.jsonl", [_math(f"m{i}", str(i)) for i in range(4)] + [{"problem_id": "bad", "domain": "math"}])
    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": f"m{i}", "completion": f"\\boxed{{{i}}}"} for i in range(4)])
    out = tmp_path / "out"
    result = _verify(problems, completions, out)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Rows not processed: 1 input" in result.stdout and "Run failed" not in result.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["outcome"]["rejected_rows"] == 1
    assert manifest["outcome"]["input_rows"] == 9 and manifest["outcome"]["judged_samples"] == 4
    # 1 of 9 rows (11%) is over a 5% limit: the same (already judged) run now fails.
    strict = _verify(problems, completions, out, "--max-rejected", "0.05")
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[0] == "Run failed: 1 of 9 input rows were rejected (11.1%, over the limit of 5.0%) (reasons in errors/)"
    assert json.loads((out / "manifest.json").read_text())["outcome"]["max_rejected"] == 0.05
    assert _verify(problems, completions, out, "--max-rejected", "0.2").exit_code == 0


def test_fail_under_on_a_run_with_no_sample_fails(tmp_path: Path) -> None:
    problems = write_jsonl(tmp_path / "p.jsonl", [])
    completions = write_jsonl(tmp_path / "c.jsonl", [])
    result = _verify(problems, completions, tmp_path / "out", "--fail-under", "0")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "Run failed: no sample was planned: the sources hold no problem"
    assert "no pass rate to compare with --fail-under 0.0%: no sample was judged" in result.stderr


def test_an_edited_problems_file_is_not_resumed_as_the_old_run(tmp_path: Path) -> None:
    """Fixing a wrong answer and rerunning the same day was a silent no-op that kept the verdict
    judged against the old answer (a review's find, 2026-12-06)."""
    import os

    problems = write_jsonl(tmp_path / "p.jsonl", [_math("m1", "7")])  # the answer is wrong
    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": "m1", "completion": "\\boxed{1}"}])
    out = tmp_path / "out"
    first = _verify(problems, completions, out, "--json")
    assert first.exit_code == 0, first.stdout + first.stderr
    assert json.loads(first.stdout)["by_status"] == {"fail": 1}
    before = (out / "manifest.json").read_text()
    write_jsonl(problems, [_math("m1", "1")])  # fixed: the same size
    os.utime(problems, ns=(1, 1))
    again = _verify(problems, completions, out, "--json")
    assert again.exit_code == 2, again.stdout + again.stderr
    assert "other input files" in again.stderr and json.loads(before)["run_id"] in again.stderr
    assert (out / "manifest.json").read_text() == before


class _Endpoint:
    """A minimal OpenAI-compatible chat endpoint on `port` that answers every prompt with \\boxed{2}."""

    def __init__(self, port: int) -> None:
        import threading
        import time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                choices = [{"index": i, "message": {"role": "assistant", "content": "\\boxed{2}"}, "finish_reason": "stop"}
                           for i in range(body.get("n", 1))]  # fmt: skip
                data = json.dumps({"id": "x", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
                                   "choices": choices, "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}}).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_rerun_that_judges_the_failed_samples_leaves_no_error_of_them(tmp_path: Path) -> None:
    """Endpoint down on the first attempt, up on the second: the errors of the first stayed in
    errors/ and in every summary ("Rows not processed: 4 generate" beside 4 of 4 verdicts)."""
    import pyarrow.parquet as pq

    from pipeline.config import RunConfig
    from pipeline.run import run_pipeline
    from tests.pipeline.generators.conftest import free_port

    port = free_port()
    config = RunConfig.model_validate({
        "sources": [{"path": "builtin:math-synth", "n": 2}],
        "generator": {"engine": {"backend": "openai", "model": "m", "base_url": f"http://127.0.0.1:{port}/v1", "max_retries": 0},
                      "sampling": {"n": 2}},
        "output": {"dir": str(tmp_path / "out")},
    })  # fmt: skip
    down = run_pipeline(config, run_id="flaky")
    assert (down.status, down.samples, down.errors_by_stage) == ("failed", 0, {"generate": 4})
    endpoint = _Endpoint(port)
    try:
        up = run_pipeline(config, run_id="flaky")
    finally:
        endpoint.close()
    assert (up.status, up.samples, up.new_samples, up.missing_samples) == ("complete", 4, 4, 0)
    assert up.errors_by_stage == {}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["errors_by_stage"] == {} and [s for s in manifest["shards"] if s["kind"] == "errors"] == []
    assert not any((tmp_path / "out" / "errors").iterdir())
    assert pq.read_table(tmp_path / "out" / "verdicts").num_rows == 4


def test_an_output_holding_another_tools_or_a_damaged_manifest_is_refused_with_exit_2(tmp_path: Path) -> None:
    """Once exit 1 with a pydantic dump and "rerun the same command to resume", which failed the same way."""
    problems = write_jsonl(tmp_path / "p.jsonl", [_math("m1", "1")])
    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": "m1", "completion": "\\boxed{1}"}])
    out = tmp_path / "out"
    out.mkdir()
    for text, why in (('{"name": "my-web-app", "icons": []}', "manifest.json is not an Assay run's manifest (run_id: Field required"),
                      ('{"format": "assay-run/1", "run_', "manifest.json is not valid JSON")):  # fmt: skip
        (out / "manifest.json").write_text(text)
        result = _verify(problems, completions, out)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert f"is not an Assay run directory: {why}" in " ".join(result.stderr.split()), result.stderr
        assert "rerun" not in result.stderr and "Traceback" not in result.stderr
        assert sorted(p.name for p in out.iterdir()) == [".assay.lock", "manifest.json"] and (out / "manifest.json").read_text() == text


def test_a_read_only_output_is_refused_with_exit_2(tmp_path: Path) -> None:
    from tests.conftest import tmpfs_mounted

    problems = write_jsonl(tmp_path / "p.jsonl", [_math("m1", "1")])
    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": "m1", "completion": "\\boxed{1}"}])
    with tmpfs_mounted(tmp_path / "ro", "ro,size=1m") as disk:
        for out in (disk, disk / "out"):  # an existing directory, and one to create
            result = _verify(problems, completions, out)
            assert result.exit_code == 2, result.stdout + result.stderr
            assert "cannot write the run there: Read-only file system" in " ".join(result.stderr.split()), result.stderr
            assert "rerun" not in result.stderr


def test_a_sandbox_that_cannot_start_stops_the_run_at_start_up_with_exit_2(tmp_path: Path) -> None:
    """An unusable docker sandbox (no engine; an image older than the checkout) once cost a
    run of retries per sample, ending exit 1 with "samples could not be generated"."""
    import yaml

    from tests.pipeline.generators.conftest import free_port

    problems = write_jsonl(tmp_path / "p.jsonl", [_math("m1", "1")])
    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": "m1", "completion": "\\boxed{1}"}])
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump({
        "sources": [{"path": str(problems)}],
        "generator": {"engine": {"backend": "replay", "path": str(completions)}},
        "sandbox": {"kind": "docker", "base_url": f"tcp://127.0.0.1:{free_port()}"},
    }))  # fmt: skip
    out = tmp_path / "out"
    for args in (["run", str(config), "--out", str(out)], ["config", "check", str(config)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert "error: the sandbox cannot start here: no Docker engine answers" in " ".join(result.stderr.split())
        assert not out.exists()  # stopped before anything was written, or Ray started


def test_samples_the_sandbox_failed_to_verify_are_reported_as_not_verified(tmp_path: Path) -> None:
    """The unsafe backend refuses judged runs (HumanEval's assert tests): every sample ends as
    a verify error, which the run once reported as "could not be generated"."""
    import yaml

    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": f"HumanEval/{i}", "completion": "def f(): pass"} for i in range(2)])
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump({
        "sources": [{"path": "builtin:humaneval", "limit": 2}],
        "generator": {"engine": {"backend": "replay", "path": str(completions)}},
        "verify": {"retries": 0, "self_test": False},
        "sandbox": {"kind": "unsafe", "i_understand_this_is_not_a_sandbox": True},
    }))  # fmt: skip
    result = runner.invoke(app, ["run", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Run failed: no sample was judged: 2 samples could not be verified: the verifier or its sandbox failed on our side (reasons in errors/)"
    assert "2 samples are missing (they could not be verified: the verifier or its sandbox failed on our side; see errors/)" in " ".join(result.stdout.split())
    assert "generated" not in result.stdout


def test_the_run_summary_and_the_report_count_invalid_problem_samples_alike(tmp_path: Path) -> None:
    """A problem whose reference fails its tests: the summary's table counted its sample in
    `samples` but not in the rate (5 samples, 2 passed, 50%), `assay report` showed 4 samples
    of 3 problems."""
    def inc(problem_id: str, reference: str) -> dict:
        return {"problem_id": problem_id, "domain": "code", "prompt": "def inc(x):", "entry_point": "inc", "reference_solution": reference,
                "tests": {"kind": "call", "fn_name": "inc", "cases": [{"args": [1], "expected": 2}]}}  # fmt: skip

    good, wrong = "def inc(x):\n    return x + 1\n", "def inc(x):\n    return x + 2\n"
    problems = write_jsonl(tmp_path / "p.jsonl", [inc("ok", good), inc("brokenref", wrong)])
    completions = write_jsonl(tmp_path / "c.jsonl", [{"problem_id": "ok", "completion": good}, {"problem_id": "ok", "completion": wrong},
                                                     {"problem_id": "brokenref", "completion": good}])  # fmt: skip
    out = tmp_path / "out"
    run = _verify(problems, completions, out, "--json")
    assert run.exit_code == 0, run.stdout + run.stderr
    summary = json.loads(run.stdout)
    report = json.loads(runner.invoke(app, ["report", str(out), "--json", "--no-html"]).stdout)
    assert (summary["samples"], summary["invalid_problem_samples"], summary["passed"], summary["pass_rate"]) == (3, 1, 1, 0.5)
    assert (report["samples"], report["invalid_problem_samples"], report["passed"], report["pass_rate"]) == (3, 1, 1, 0.5)
    assert summary["by_domain"]["code"] == {"samples": 2, "passed": 1, "pass_rate": 0.5, "invalid_problem": 1}
    assert {k: report["by_domain"]["code"][k] for k in ("samples", "passed", "pass_rate")} == {"samples": 2, "passed": 1, "pass_rate": 0.5}
    assert summary["problems"] == 2 and report["invalid_problems"] == ["p/brokenref"] and len(report["problems"]) == 1
    # The tables say the same: 2 judged samples, 1 passed, 50%, and what was left out.
    text = _verify(problems, completions, out).stdout
    shown = runner.invoke(app, ["report", str(out), "--no-html"]).stdout
    assert "Run failed" not in text and "from 2 problems" in text and "Run " in shown and "3 samples from 2 problems" in shown
    for printed in (text, shown):
        assert "1 invalid_problem sample" in printed and "left out of the pass rates above" in " ".join(printed.split())
        assert any(line.split("│")[2:5] == ["       2 ", "      1 ", "     50.0% "] for line in printed.splitlines() if "code" in line), printed


def test_the_same_files_named_another_way_resume_the_run(tmp_path: Path, monkeypatch) -> None:
    """`--problems ./problems.jsonl` after `--problems problems.jsonl` was "holds run X, not Y", exit 2."""
    write_jsonl(tmp_path / "p.jsonl", [_math("m1", "1")])
    write_jsonl(tmp_path / "c.jsonl", [{"problem_id": "m1", "completion": "\\boxed{1}"}])
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["verify", "--problems", "p.jsonl", "--completions", "c.jsonl", "--out", "out", "--json"])
    assert first.exit_code == 0, first.stdout + first.stderr
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    again = runner.invoke(app, ["verify", "--problems", "../p.jsonl", "--completions", f"{tmp_path}/./c.jsonl", "--out", "../out", "--json"])
    assert again.exit_code == 0, again.stdout + again.stderr
    assert (json.loads(again.stdout)["run_id"], json.loads(again.stdout)["new_samples"]) == (json.loads(first.stdout)["run_id"], 0)
