"""RunConfig: YAML loading, validation errors that name file and field, the example configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ConfigError, RunConfig, load_config
from pipeline.generators.llamacpp import LlamaCppConfig
from pipeline.generators.openai_compat import OpenAIConfig
from pipeline.run_ids import default_run_id, output_location

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_config_is_valid(path: Path) -> None:
    assert isinstance(load_config(path), RunConfig)


def test_quickstart_uses_the_embedded_defaults() -> None:
    config = load_config(CONFIGS / "quickstart.yaml")
    assert isinstance(config.generator.engine, LlamaCppConfig)
    assert config.generator.engine.model_path is None
    assert {s.path for s in config.sources} == {"builtin:code-easy", "builtin:humaneval", "builtin:math-synth"}
    assert config.sandbox.kind == "local"


def test_error_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("sources:\n  - path: builtin:humaneval\ngenerator:\n  sampling:\n    n: 0\n    temprature: 1\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message
    assert "generator.sampling.n" in message
    assert "generator.sampling.temprature" in message  # typos are errors, not ignored keys


def test_unknown_backend_and_bad_yaml_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("sources: [{path: x.jsonl}]\ngenerator: {engine: {backend: nope}}\n")
    with pytest.raises(ConfigError, match="generator.engine"):
        load_config(path)
    path.write_text("sources: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")


def test_templates_must_contain_the_prompt_slot() -> None:
    with pytest.raises(ValueError, match="prompt"):
        RunConfig.model_validate({"sources": [{"path": "x"}], "generator": {"prompts": {"code": "no slot"}}})


def test_config_hash_ignores_where_and_how_fast_but_not_what() -> None:
    base = {"sources": [{"path": "builtin:humaneval"}]}
    a = RunConfig.model_validate(base)
    assert a.config_hash() == RunConfig.model_validate({**base, "output": {"dir": "elsewhere"}, "ray": {"num_cpus": 7}}).config_hash()
    assert a.config_hash() != RunConfig.model_validate({**base, "generator": {"sampling": {"temperature": 0.1}}}).config_hash()
    faster = {**base, "generator": {"engine": {"backend": "llamacpp", "actors": 4, "batch_size": 9}},
              "verify": {"actors": 3, "batch_size": 7}, "output": {"shard_rows": 10, "commit_every_s": 5}}  # fmt: skip
    assert a.config_hash() == RunConfig.model_validate(faster).config_hash()  # resume with more workers
    assert a.config_hash() == RunConfig.model_validate({**base, "generator": {"sampling": {"n": 8}}}).config_hash()
    # anything that can change samples or verdicts is a different run
    docker = {**base, "sandbox": {"kind": "docker", "image": "python:3.11-slim"}}
    assert RunConfig.model_validate(docker).config_hash() != RunConfig.model_validate(
        {**docker, "sandbox": {"kind": "docker", "image": "python:3.8-slim"}}).config_hash()  # fmt: skip
    endpoint = {**base, "generator": {"engine": {"backend": "openai", "model": "m", "base_url": "http://a/v1"}}}
    other_server = {**base, "generator": {"engine": {"backend": "openai", "model": "m", "base_url": "http://b/v1"}}}
    assert RunConfig.model_validate(endpoint).config_hash() != RunConfig.model_validate(other_server).config_hash()
    assert a.config_hash() != RunConfig.model_validate({**base, "generator": {"engine": {"backend": "llamacpp", "n_ctx": 512}}}).config_hash()


def test_run_id_and_output_templates() -> None:
    import datetime as dt

    config = RunConfig.model_validate({"sources": [{"path": "builtin:humaneval"}]})
    run_id = default_run_id(config, dt.date(2026, 1, 2))
    assert run_id == f"2026-01-02-{config.config_hash()[:8]}"
    assert output_location(config, run_id) == f"output/{run_id}"
    pinned = RunConfig.model_validate({"run_id": "nightly", "sources": [{"path": "x"}]})
    assert default_run_id(pinned) == "nightly"
    with pytest.raises(ValueError):
        RunConfig.model_validate({"run_id": "../escape", "sources": [{"path": "x"}]})


def test_openai_config_reads_its_fields() -> None:
    config = RunConfig.model_validate(
        {"sources": [{"path": "x"}], "generator": {"engine": {"backend": "openai", "model": "m", "concurrency": 8}}}
    )
    assert isinstance(config.generator.engine, OpenAIConfig)
    assert config.generator.engine.concurrency == 8


def test_sources_must_have_distinct_names() -> None:
    with pytest.raises(ValueError, match="distinct names"):
        RunConfig.model_validate({"sources": [{"path": "a/problems.jsonl"}, {"path": "b/problems.jsonl"}]})
    RunConfig.model_validate({"sources": [{"path": "a/problems.jsonl"}, {"path": "b/problems.jsonl", "name": "b"}]})


def test_a_changed_completions_file_is_a_new_default_run(tmp_path) -> None:
    import os

    path = tmp_path / "c.jsonl"
    path.write_text('{"problem_id": "a", "completion": "1"}\n')
    config = RunConfig.model_validate({"sources": [{"path": "x"}], "generator": {"engine": {"backend": "replay", "path": str(path)}}})
    first = default_run_id(config)
    assert default_run_id(config) == first
    path.write_text('{"problem_id": "a", "completion": "2"}\n{"problem_id": "a", "completion": "3"}\n')
    os.utime(path, ns=(1, 1))
    assert default_run_id(config) != first


def test_a_changed_completions_file_is_refused_under_its_old_run_id(tmp_path) -> None:
    """`--run-id` of the old run, which the refusal suggests, once resumed it with the new file's rows."""
    import os

    from pipeline.run_ids import run_hash
    from pipeline.store import RunMismatch, RunStore

    path = tmp_path / "c.jsonl"
    path.write_text('{"problem_id": "a", "completion": "1"}\n')
    config = RunConfig.model_validate({"run_id": "pinned", "sources": [{"path": "x"}],
                                       "generator": {"engine": {"backend": "replay", "path": str(path)}}})  # fmt: skip
    with RunStore(str(tmp_path / "out"), "pinned", {}, run_hash(config)) as store:
        store.write_manifest()
    with RunStore(str(tmp_path / "out"), "pinned", {}, run_hash(config)):
        pass  # the same file: a resume
    path.write_text('{"problem_id": "a", "completion": "2"}\n')
    os.utime(path, ns=(1, 1))
    with pytest.raises(RunMismatch, match="other input files"):
        with RunStore(str(tmp_path / "out"), "pinned", {}, run_hash(config)):
            pass


def test_an_edited_problems_file_or_dataset_directory_is_another_run(tmp_path) -> None:
    """A problem's answer fixed and the same command rerun the same day once kept the verdicts
    judged against the old answer (the hash covered the source's path, not the file)."""
    import os

    from pipeline.run_ids import run_hash
    from pipeline.store import RunMismatch, RunStore

    problems = tmp_path / "p.jsonl"
    problems.write_text('{"problem_id": "m1", "domain": "math", "prompt": "1+0?", "answer": "7"}\n')
    dataset = tmp_path / "hf" / "data"
    dataset.mkdir(parents=True)
    (dataset / "train.jsonl").write_text("{}\n")
    config = RunConfig.model_validate({"run_id": "pinned", "sources": [{"path": str(problems)}, {"path": str(tmp_path / "hf")}]})
    first = run_hash(config)
    assert run_hash(config) == first and default_run_id(config.model_copy(update={"run_id": None})).endswith(first[:8])
    with RunStore(str(tmp_path / "out"), "pinned", {}, first) as store:
        store.write_manifest()
    problems.write_text('{"problem_id": "m1", "domain": "math", "prompt": "1+0?", "answer": "1"}\n')  # same size
    os.utime(problems, ns=(1, 1))
    second = run_hash(config)
    assert second != first
    with pytest.raises(RunMismatch, match="other input files"):
        with RunStore(str(tmp_path / "out"), "pinned", {}, second):
            pass
    (dataset / "train.jsonl").write_text("{}\n{}\n")  # a file inside a dataset directory
    assert run_hash(config) not in (first, second)


def test_a_config_without_input_files_keeps_the_config_hash(tmp_path) -> None:
    from pipeline.run_ids import run_hash

    builtin = RunConfig.model_validate({"sources": [{"path": "builtin:math-synth"}]})
    assert run_hash(builtin) == builtin.config_hash()  # runs of earlier versions still resume
    completions = tmp_path / "c.jsonl"
    completions.write_text('{"problem_id": "a", "completion": "1"}\n')
    replay = RunConfig.model_validate({"sources": [{"path": "builtin:math-synth"}], "generator": {"engine": {"backend": "replay", "path": str(completions)}}})
    from pipeline.ids import fingerprint
    from pipeline.storage import file_identity

    assert run_hash(replay) == fingerprint([replay.config_hash(), file_identity(str(completions))])  # as before


def test_a_path_spelled_another_way_is_the_same_run(tmp_path, monkeypatch) -> None:
    """`--problems ./problems.jsonl` after `problems.jsonl` (or the same command from the parent
    directory) was refused as another run's directory."""
    from pipeline.run_ids import run_hash

    (tmp_path / "sub").mkdir()
    (tmp_path / "p.jsonl").write_text('{"problem_id": "m1", "domain": "math", "prompt": "?", "answer": "1"}\n')
    (tmp_path / "c.jsonl").write_text('{"problem_id": "m1", "completion": "1"}\n')
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "p.jsonl")
    monkeypatch.chdir(tmp_path)

    def config(problems: str, completions: str) -> RunConfig:
        return RunConfig.model_validate({"sources": [{"path": problems}], "generator": {"engine": {"backend": "replay", "path": completions}}})

    first = run_hash(config("p.jsonl", "c.jsonl"))
    hashes = {run_hash(config(p, c)) for p, c in [("./p.jsonl", "./c.jsonl"), ("sub/../p.jsonl", str(tmp_path / "c.jsonl")),
                                                  (str(tmp_path / "p.jsonl"), "c.jsonl")]}  # fmt: skip
    assert hashes == {first}
    assert run_hash(config("link.jsonl", "c.jsonl")) == first  # a symlink names the file it points to
    monkeypatch.chdir(tmp_path / "sub")
    assert run_hash(config("../p.jsonl", "../c.jsonl")) == first
    # the config as given is what the manifest records; builtin names and URIs are left as they are
    assert config("./p.jsonl", "c.jsonl").sources[0].path == "./p.jsonl"
    builtin = RunConfig.model_validate({"sources": [{"path": "builtin:math-synth"}]})
    assert run_hash(builtin) == builtin.config_hash()
    remote = RunConfig.model_validate({"sources": [{"path": "s3://bucket/./p.jsonl"}]})
    from pipeline.run_ids import with_local_paths_resolved

    assert with_local_paths_resolved(remote).sources[0].path == "s3://bucket/./p.jsonl"


def test_a_run_resumed_after_midnight_keeps_its_id(tmp_path) -> None:
    import datetime as dt

    from pipeline.run_ids import resumable_run_id
    from pipeline.store import RunStore

    config = RunConfig.model_validate({"sources": [{"path": "builtin:humaneval"}]})
    yesterday = default_run_id(config, dt.date(2026, 1, 1))
    with RunStore(str(tmp_path), yesterday, {}, config.config_hash()) as store:
        store.write_manifest()
    today = default_run_id(config, dt.date(2026, 1, 2))
    assert resumable_run_id(str(tmp_path), today) == yesterday
    other = RunConfig.model_validate({"sources": [{"path": "builtin:math-synth"}]})
    assert resumable_run_id(str(tmp_path), default_run_id(other)) == default_run_id(other)  # not ours: refused later
    assert resumable_run_id(str(tmp_path / "fresh"), today) == today


def test_actors_that_cannot_all_fit_the_local_cpus_are_named_before_the_run() -> None:
    """Ray Data starts the actors that fit and waits, without a word, for the rest."""
    import ray

    from pipeline.execute import cpu_shortfall

    assert not ray.is_initialized(), "a test left Ray running: the check only applies to a Ray the run starts"
    quickstart = load_config(CONFIGS / "quickstart.yaml")
    sized = quickstart.model_copy(update={"ray": quickstart.ray.model_copy(update={"num_cpus": 2})})
    assert cpu_shortfall(sized) is None  # 2 x 0.75 to generate + 0.5 to verify
    small = quickstart.model_copy(update={"ray": quickstart.ray.model_copy(update={"num_cpus": 1})})
    why = cpu_shortfall(small)
    assert why is not None and "ask for 2 CPUs at once (generate 1.5, verify 1 x 0.5) and the local Ray has 1" in why
    on_a_cluster = small.model_copy(update={"ray": small.ray.model_copy(update={"address": "ray://head:10001"})})
    assert cpu_shortfall(on_a_cluster) is None  # a cluster may autoscale
