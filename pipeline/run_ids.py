"""Which run a config names, and where it is written.

Same config, same day → same run id (a rerun resumes); a new day → a new run.
"""

from __future__ import annotations

import datetime as dt
import os

from pipeline.config import RunConfig
from pipeline.ids import fingerprint


def run_hash(config: RunConfig) -> str:
    """The config hash, with the identity of what the config only points at: the size and
    mtime of a replay's completions file and of each source's file (or a dataset directory's
    files; builtin sources have none). Another file at the same path is another run, never a
    resume of this one, also under an explicit `--run-id`: a review found a resume mixing the
    samples of two completions files, and a rerun after fixing a problem's answer keeping the
    verdicts judged against the old one (2026-12-06). A config without input files keeps the
    config hash."""
    digest = with_local_paths_resolved(config).config_hash()
    outside = list(config.generator.engine.outside_identity())
    if any(sources := [source.outside_identity() for source in config.sources]):
        outside.append({"sources": sources})
    return fingerprint([digest, outside]) if outside else digest


def local_path(path: str) -> str:
    """A local file's path as one spelling (absolute, `.`/`..` and symlinks resolved);
    `builtin:` names and URIs (`s3://`, `file://`) as they are."""
    if path.startswith("builtin:") or "://" in path:
        return path
    return os.path.realpath(path)


def with_local_paths_resolved(config: RunConfig) -> RunConfig:
    """`config` with its sources' and a replay's local paths in one spelling, for hashing:
    `--problems ./problems.jsonl`, `problems.jsonl`, or the same file named from another
    directory are the same run (they were refused as another run's, a review found,
    2026-12-06). The manifest records the config as given."""
    sources = [source.model_copy(update={"path": local_path(source.path)}) for source in config.sources]
    from pipeline.generators.replay import ReplayConfig

    engine = config.generator.engine
    if isinstance(engine, ReplayConfig):
        engine = engine.model_copy(update={"path": local_path(engine.path)})
    generator = config.generator.model_copy(update={"engine": engine})
    return config.model_copy(update={"sources": sources, "generator": generator})


def default_run_id(config: RunConfig, today: dt.date | None = None) -> str:
    if config.run_id:
        return config.run_id
    return f"{(today or dt.date.today()).isoformat()}-{run_hash(config)[:8]}"


def resumable_run_id(location: str, run_id: str) -> str:
    """A default run id names the config and the day. A run interrupted before midnight
    and rerun after it, into the same directory, is the same run: keep its id."""
    from pipeline.storage import resolve
    from pipeline.store.manifest import read_manifest

    try:
        manifest = read_manifest(*resolve(location))
    except (OSError, ValueError):
        manifest = None  # unreadable: RunStore will say so
    if manifest is None:
        return run_id
    existing = manifest.run_id
    same_config = existing.split("-")[-1] == run_id.split("-")[-1] and len(existing) == len(run_id)
    return existing if same_config else run_id


def output_location(config: RunConfig, run_id: str, out: str | None = None) -> str:
    template = out or config.output.dir
    return template.replace("{run_id}", run_id).replace("{date}", dt.date.today().isoformat())
