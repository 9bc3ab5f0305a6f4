"""`assay sandbox check` as a user runs it: the installed console script, real self-test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

# its self-test checks the whole host for leftover sandbox processes
pytestmark = pytest.mark.serial


def assay() -> list[str]:
    exe = shutil.which("assay", path=os.path.dirname(sys.executable))
    assert exe, "the `assay` console script is not installed in this environment"
    return [exe]


def test_sandbox_check_json_reports_and_passes():
    proc = subprocess.run([*assay(), "sandbox", "check", "--json"], capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    local = next(b for b in report["backends"] if b["name"] == "local")
    if not local["ok"]:
        assert proc.returncode == 1
        from tests.sandbox.conftest import machine_can_isolate

        reason = machine_can_isolate()
        assert reason, f"local sandbox failed on a capable machine: {local['detail']}"
        pytest.skip(f"this machine cannot isolate: {reason}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["ok"] is True
    names = {t["name"] for t in report["self_test"]}
    assert {"no network (loopback included)", "environment and host processes hidden"} <= names
    assert all(t["ok"] for t in report["self_test"])
    docker = next(b for b in report["backends"] if b["name"] == "docker")
    assert docker["ok"] or "Docker" in docker["detail"]
    # The code languages this machine can judge: each ok exactly when its toolchain is here.
    import os

    from verifiers.code.languages import LANGUAGES

    languages = {entry["name"]: entry for entry in report["languages"]}
    assert set(languages) == set(LANGUAGES) and languages["python"]["ok"]
    for name, language in LANGUAGES.items():
        assert languages[name]["ok"] == all(os.access(path, os.X_OK) for path in language.toolchain), languages[name]


def test_sandbox_check_human_output():
    proc = subprocess.run([*assay(), "sandbox", "check"], capture_output=True, text=True, timeout=120)
    assert "Self-test" in proc.stdout and "Result:" in proc.stdout


def test_help_explains_commands():
    proc = subprocess.run([*assay(), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "sandbox" in proc.stdout
