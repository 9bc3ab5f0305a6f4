"""The registries: every backend, sandbox kind, domain and source is known by one entry,
and a generator backend registered from outside the package is picked up by a real run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from pipeline.config import RunConfig, SourceConfig
from pipeline.generators.registry import BACKENDS, GeneratorConfig, make_generator
from pipeline.sources.registry import BUILTINS, STYLES
from sandbox.config import KINDS
from tests.pipeline.e2e import ROOT, read_run
from verifiers.domains import DOMAINS


def test_what_is_registered() -> None:
    assert set(BACKENDS) >= {"llamacpp", "openai", "vllm", "replay"}
    assert set(KINDS) == {"local", "docker", "unsafe"}
    assert set(DOMAINS) == {"code", "math"}
    assert set(BUILTINS) == {"humaneval", "code-easy", "math-synth"}
    assert set(STYLES) == {"humaneval", "mbpp", "apps", "livecodebench", "codecontests", "codecontests-cpp", "codecontests-java",
                           "codeforces", "codeforces-cpp", "taco", "leetcode", "kodcode", "evalplus"}
    # a config can name every registered style (SourceConfig.style cannot import the registry: it is imported by it)
    assert set(get_args(SourceConfig.model_fields["style"].annotation)) == set(STYLES) | {"assay"}
    for name, backend in BACKENDS.items():
        assert type(GeneratorConfig.model_validate({"engine": _minimal(name)}).engine) is backend.config


def _minimal(name: str) -> dict:
    return {"backend": name, **{"openai": {"model": "m"}, "vllm": {"model": "m"}, "replay": {"path": "p"}}.get(name, {})}


def test_unknown_names_are_errors_that_list_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="llamacpp"):
        GeneratorConfig.model_validate({"engine": {"backend": "nope"}})
    with pytest.raises(ValidationError, match="code, math"):
        SourceConfig(path="x.jsonl", domain="chemistry")
    with pytest.raises(ValidationError, match="code, math"):
        GeneratorConfig.model_validate({"sampling": {"stop": {"chemistry": ["x"]}}})
    with pytest.raises(ValidationError, match="local"):
        RunConfig.model_validate({"sources": [{"path": "builtin:humaneval"}], "sandbox": {"kind": "vm"}})


def test_a_stage_backend_is_not_a_per_actor_generator() -> None:
    with pytest.raises(ValueError, match="Ray Data processor"):
        make_generator(GeneratorConfig.model_validate({"engine": _minimal("vllm")}))


PLUGIN = '''
"""A generator backend from outside Assay: answers each math prompt with its last number, boxed."""
import re
from typing import Literal

from pipeline.generators.base import Backend, Generation, GenerationRequest, Generator
from pipeline.generators.config import EngineConfig


class EchoConfig(EngineConfig):
    backend: Literal["echo"] = "echo"


class EchoGenerator(Generator):
    model_name = "echo-plugin"

    def generate(self, requests: list[GenerationRequest]) -> list[Generation]:
        out = []
        for request in requests:
            last = re.findall(r"-?\\d+", request.messages[-1]["content"])[-1]
            out += [self._row(request, slot, completion=f"\\\\boxed{{{last}}}", finish_reason="stop") for slot in request.samples]
        return out


BACKEND = Backend(config=EchoConfig, generator=EchoGenerator)
'''


@pytest.mark.slow
def test_a_backend_registered_by_a_plugin_runs_end_to_end(tmp_path: Path) -> None:
    """One file plus one registry line: here the line is an entry point of an installed
    distribution (`assay.generators`), the way a backend outside this repository registers."""
    site = tmp_path / "site"
    (site / "assay_echo-0.1.dist-info").mkdir(parents=True)
    (site / "assay_echo.py").write_text(PLUGIN)
    (site / "assay_echo-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: assay-echo\nVersion: 0.1\n")
    (site / "assay_echo-0.1.dist-info" / "entry_points.txt").write_text("[assay.generators]\necho = assay_echo:BACKEND\n")
    config = tmp_path / "echo.yaml"
    config.write_text(textwrap.dedent("""
        sources: [{path: "builtin:math-synth", n: 4, difficulty: 0}]
        generator: {engine: {backend: echo}, sampling: {n: 2}}
        ray: {num_cpus: 2}
    """))
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{site}"}
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", str(config), "--out", str(out), "--json"],
                            capture_output=True, text=True, timeout=600, cwd=ROOT, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert summary["status"] == "complete" and summary["samples"] == 8
    _, verdicts, _, errors = read_run(out)
    rows = verdicts.to_pylist()
    assert errors is None and {r["model"] for r in rows} == {"echo-plugin"}
    assert all(r["completion"].startswith("\\boxed{") and r["status"] in ("pass", "fail") for r in rows)
