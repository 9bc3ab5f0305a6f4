"""The `assay` CLI's browsing and config commands, and its exit codes for bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "configs"


def test_problems_list_and_show_builtin() -> None:
    listed = runner.invoke(app, ["problems", "list", "builtin:math-synth", "--json"])
    assert listed.exit_code == 0
    ids = json.loads(listed.stdout)["problems"]
    assert len(ids) == 30 and ids[0] == "math-synth/0/1/0"
    shown = runner.invoke(app, ["problems", "show", "builtin:humaneval", "HumanEval/3"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["entry_point"] == "below_zero"
    missing = runner.invoke(app, ["problems", "show", "builtin:humaneval", "nope"])
    assert missing.exit_code == 2


def test_problems_list_shows_invalid_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"problem_id": "a", "domain": "math", "prompt": "?", "answer": "1"}\n{"broken\n')
    result = runner.invoke(app, ["problems", "list", str(path)])
    assert result.exit_code == 0
    assert "1 problems, 1 invalid rows" in result.stdout and "bad JSON" in result.stdout
    assert runner.invoke(app, ["problems", "list", str(tmp_path / "missing.jsonl")]).exit_code == 2


def test_problems_commands_exit_2_with_a_message_on_bad_input(tmp_path: Path) -> None:
    """A missing file, an unknown builtin or style: exit 2 and one line that says why (these
    were tracebacks and exit 1)."""
    for args, says in (
        (["problems", "show", str(tmp_path / "missing.jsonl"), "x"], "no such file"),
        (["problems", "show", "builtin:nope", "x"], "unknown builtin source"),
        (["problems", "list", "builtin:humaneval", "--style", "nope"], "style"),
        (["problems", "show", "builtin:humaneval", "HumanEval/0", "--style", "nope"], "style"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert says in result.output and "Traceback" not in result.output, (args, result.output)


def test_top_level_help_states_the_exit_codes() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "Exit codes: 0 done, 1 run failed, 2 bad config or input" in " ".join(result.stdout.split())


def test_config_schema_and_check() -> None:
    schema = json.loads(runner.invoke(app, ["config", "schema"]).stdout)
    assert "sources" in schema["properties"] and "generator" in schema["properties"]
    checked = runner.invoke(app, ["config", "check", str(CONFIGS / "quickstart.yaml")])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["generator"]["sampling"]["n"] == 4


def test_config_check_and_run_refuse_a_missing_source_or_model_before_ray(tmp_path: Path) -> None:
    """A mistyped model path failed in the generator actor after Ray's start (exit 1, "rerun to
    resume"), and `config check` accepted it and `builtin:humaneva`."""
    bad_model = tmp_path / "model.yaml"
    bad_model.write_text("sources: [{path: 'builtin:math-synth', n: 2}]\n"
                         f"generator: {{engine: {{backend: llamacpp, model_path: '{tmp_path}/no.gguf'}}}}\n")  # fmt: skip
    bad_source = tmp_path / "source.yaml"
    bad_source.write_text("sources: [{path: 'builtin:humaneva'}]\n")
    for config, message in ((bad_model, "model_path: no such file"), (bad_source, "unknown builtin source 'builtin:humaneva'")):
        checked = runner.invoke(app, ["config", "check", str(config)])
        assert checked.exit_code == 2 and message in checked.stderr and checked.stdout == ""
    started = runner.invoke(app, ["run", str(bad_model), "--out", str(tmp_path / "o")])
    assert started.exit_code == 2 and "model_path: no such file" in started.stderr and not (tmp_path / "o").exists()


def test_verify_and_report_reject_missing_inputs(tmp_path: Path) -> None:
    missing = tmp_path / "no.jsonl"
    result = runner.invoke(app, ["verify", "--problems", "builtin:humaneval", "--completions", str(missing), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and f"error: {missing}: no such file\n" in result.stderr
    result = runner.invoke(app, ["verify", "--problems", "builtin:humaneval", "--completions", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and f"error: {tmp_path}: a directory, not a file\n" in result.stderr
    assert runner.invoke(app, ["report", str(tmp_path)]).exit_code == 2


def test_output_to_pipes_is_never_hard_wrapped(tmp_path: Path) -> None:
    """A scheduled job's log gets whole lines: no wrapping at 80 columns, no colour codes."""
    deep = tmp_path / ("d" * 120) / ("e" * 120)
    deep.mkdir(parents=True)
    missing = deep / "completions-that-do-not-exist.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "TERM")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "verify", "--problems", "builtin:humaneval", "--completions", str(missing), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert len(str(missing)) > 200
    assert proc.returncode == 2
    assert f"error: {missing}: no such file" in proc.stderr.splitlines(), proc.stderr
    assert "\x1b" not in proc.stderr + proc.stdout
    # Usage errors and help are click's plain text in pipes: no boxes, brackets kept.
    usage = subprocess.run([sys.executable, "-m", "pipeline", "verify", "--bogus-option"], capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    assert usage.returncode == 2 and "Error: No such option: --bogus-option" in usage.stderr.splitlines()[-1]
    assert "╭" not in usage.stderr + usage.stdout
    # A real run's summary and logs too: the long output path stays whole on its line.
    completions = tmp_path / "c.jsonl"
    from pipeline.sources.math_synth import math_synth_problems

    first = math_synth_problems(1, seed=0, difficulty=1)[0]
    completions.write_text(json.dumps({"problem_id": first.problem_id, "completion": f"\\boxed{{{first.answer}}}"}) + "\n")
    out = deep / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "verify", "--problems", "builtin:math-synth", "--completions", str(completions), "--out", str(out),
         "--progress-every", "0.1"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert f"Output: {out}" in proc.stdout.splitlines(), proc.stdout
    assert "\x1b" not in proc.stderr + proc.stdout
    # Ray's internals (its C++ core's "core_worker.cc ..." lines) go to their own log, not to the user.
    assert "core_worker" not in proc.stderr and "Ray's own messages: " in proc.stderr, proc.stderr
    # Off a terminal, progress comes as plain lines a log keeps, on a clock: from the start,
    # before any result arrives (a first batch may take minutes), and the last one at the end.
    assert "progress: starting the workers and planning the samples, 0s elapsed" in proc.stderr, proc.stderr
    assert "progress: 1/1 samples (100%), 1 passed (100.0%) this run" in proc.stderr, proc.stderr
    # Every run ends with where its training rows are and its HTML report.
    assert f"Training rows (1 passing samples): {out}/data/*.parquet" in proc.stdout.splitlines()
    assert f"Report: {out}/report.html  (or: assay report {out})" in proc.stdout.splitlines()
    assert (out / "report.html").read_text().startswith("<!doctype html>")


def test_kubernetes_manifests_parse_and_point_at_a_real_config() -> None:
    rayjob = yaml.safe_load((CONFIGS / "k8s" / "rayjob.yaml").read_text())
    assert rayjob["kind"] == "RayJob" and "assay run" in rayjob["spec"]["entrypoint"]
    assert (CONFIGS / Path(rayjob["spec"]["entrypoint"].split()[2]).name).exists()
    cron = yaml.safe_load((CONFIGS / "k8s" / "cronjob.yaml").read_text())
    assert cron["kind"] == "CronJob" and cron["spec"]["concurrencyPolicy"] == "Forbid"


def test_help_explains_every_command() -> None:
    for command in (["run"], ["verify"], ["report"], ["problems", "list"], ["config", "schema"], ["sandbox", "check"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and f" {' '.join(command)} [OPTIONS]" in result.stdout
        help_text = result.stdout.split("Options:")[0].split("\n", 1)[1]
        assert len(help_text.split()) >= 5, result.stdout  # a sentence that explains, not just the usage line


def test_hostile_text_is_shown_literally_not_as_terminal_markup() -> None:
    from rich.console import Console

    from pipeline.terminal import safe

    console = Console(record=True, width=200, color_system=None)
    for hostile in ("[/bold] crash", "[link=https://evil.example]click[/link]", "[bold red]PASS[/]", "esc \x1b[31m red"):
        console.print(f"reason: {safe(hostile)}")  # a stray closing tag would raise MarkupError
    text = console.export_text()
    assert "[/bold] crash" in text and "[link=https://evil.example]click[/link]" in text and "[bold red]PASS[/]" in text
    assert "\x1b" not in text


def test_run_id_from_the_command_line_cannot_escape_the_output_root(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(f"sources: [{{path: builtin:math-synth, n: 1}}]\noutput: {{dir: '{tmp_path}/out/{{run_id}}'}}\n")
    result = runner.invoke(app, ["run", str(config), "--run-id", "../../escape"])
    assert result.exit_code == 2 and "run id" in result.stderr
    assert not (tmp_path.parent / "escape").exists()


def test_the_source_help_names_every_builtin_set() -> None:
    from pipeline.cli import SOURCE_HELP
    from pipeline.sources.registry import BUILTINS

    assert set(re.findall(r"builtin:([a-z-]+)", SOURCE_HELP)) == set(BUILTINS)


def test_the_style_help_names_every_style_the_config_accepts() -> None:
    from typing import get_args

    from pipeline.cli import STYLE_HELP
    from pipeline.config import SourceConfig

    styles = get_args(SourceConfig.model_fields["style"].annotation)
    named = set(re.findall(r"\b(?:assay|[a-z]+(?:-[a-z]+)?)(?=,|$| \()", STYLE_HELP.split(":", 1)[1]))
    assert named == set(styles)
