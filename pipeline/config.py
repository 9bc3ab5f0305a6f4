"""`RunConfig`: everything one `assay run` needs, loaded from YAML and validated.

A config names where problems come from (`sources`), how candidates are produced
(`generator`: llamacpp | openai | vllm | replay), how they are judged (`verify`,
`sandbox`), where Ray runs (`ray`) and where shards go (`output`). Every model forbids
unknown keys, so a typo is an error that names the field, never a silently ignored
setting.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pipeline.generators.registry import GeneratorConfig
from pipeline.identity import NOT_IDENTITY, identity_hash
from sandbox.config import LocalSandboxConfig, SandboxConfig
from verifiers.code.limits import TimeLimits


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the field."""


# --------------------------------------------------------------------------- sources


class SourceConfig(_Config):
    """One problem set.

    `path` is a JSONL or Parquet file, a directory written by `datasets.save_to_disk`, a
    directory of data files `datasets.load_dataset` understands, or `builtin:humaneval` / `builtin:code-easy` /
    `builtin:math-synth`.
    """

    path: str = Field(min_length=1)
    name: str | None = Field(None, description="label in shards and reports (default: derived from path)")
    domain: str | None = Field(None, description="for rows without a 'domain' column: code | math (any registered domain)")
    style: Literal["assay", "humaneval", "mbpp", "apps", "livecodebench", "codecontests", "codecontests-cpp", "codecontests-java",
                   "codeforces", "codeforces-cpp", "taco", "leetcode", "kodcode", "evalplus"] = Field(
        "assay", description="row shape: Assay's own schema, or a known dataset's (converted)"
    )
    fields: dict[str, str] = Field(
        default_factory=dict, description="rename columns to Assay names, e.g. {question: prompt, solution: answer}"
    )
    split: str = Field("train", description="split to read from a dataset directory")
    limit: int | None = Field(None, ge=1, description="read at most this many problems")
    # builtin:math-synth only
    n: int = Field(30, ge=0, description="builtin:math-synth: number of problems")
    seed: int = Field(0, description="builtin:math-synth: seed")
    difficulty: int = Field(1, ge=0, le=3, description="builtin:math-synth: 0 (one step) to 3 (hard)")

    @field_validator("domain")
    @classmethod
    def _known_domain(cls, value: str | None) -> str | None:
        if value is not None:
            from verifiers.domains import domain_of

            domain_of(value)
        return value

    def outside_identity(self) -> list[Any]:
        """Identity of the file or directory the source reads (size and mtime of each file):
        part of the run hash, so an edited problems file is another run. A builtin source has
        none: its problems come with the code (the manifest records the code version)."""
        if self.path.startswith("builtin:"):
            return []
        from pipeline.storage import file_identity

        return file_identity(self.path)

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.path.startswith("builtin:"):
            return self.path.removeprefix("builtin:")
        return Path(self.path.rstrip("/")).stem


# --------------------------------------------------------------------------- verify, ray, output


class VerifyConfig(_Config):
    actors: int = Field(1, ge=1, description="verifier actors; each owns a sandbox pool", json_schema_extra=NOT_IDENTITY)
    cpus_per_actor: float = Field(1, gt=0, description="Ray CPUs reserved per verifier actor", json_schema_extra=NOT_IDENTITY)
    resources: dict[str, float] = Field(
        default_factory=dict, description="custom Ray resources per actor, to pin verification to some nodes", json_schema_extra=NOT_IDENTITY)
    workers_per_actor: int | None = Field(None, ge=1, description="sandbox runs at once per actor (default: two per CPU Ray reserved for the actor, at least two)", json_schema_extra=NOT_IDENTITY)
    batch_size: int | None = Field(
        None, ge=1, json_schema_extra=NOT_IDENTITY,
        description="problems per verify batch, each with all its samples (default: the generator's batch, at most 8: "
                    "Ray Data fills a batch before judging it, so a bigger one would wait for several generate batches)")  # fmt: skip
    batches_per_actor: int = Field(
        4, ge=1, le=64, description="batches an actor judges at once (threads sharing its sandbox)", json_schema_extra=NOT_IDENTITY)
    self_test: bool = Field(True, description="run each code problem's reference solution first")
    time_limits: TimeLimits = Field(
        default_factory=TimeLimits, description="code: CPU per run as a multiple of the reference's measured time (docs/code-verifier.md)")
    max_completion_bytes: int = Field(1_000_000, ge=1, description="larger completions are judged no_answer unread")
    max_problem_bytes: int = Field(
        64_000_000, ge=1, description="problems larger than this (prompt, tests, answer as JSON) are rejected as input errors"
    )
    retries: int = Field(
        3, ge=0, description="rounds of retrying samples whose verification failed on our side (busy machine, lost worker)", json_schema_extra=NOT_IDENTITY)
    retry_backoff_s: float = Field(1.0, ge=0, description="wait before the first retry round; doubles each round, at most 30 s", json_schema_extra=NOT_IDENTITY)


class RayConfig(_Config):
    address: str | None = Field(
        None,
        description="existing cluster ('auto' for the one `ray start` left, host:port or ray://...); "
        "default: start one locally, even where another runs",
    )
    num_cpus: int | None = Field(None, ge=1, description="CPUs for a locally started Ray (default: all)")


class OutputConfig(_Config):
    dir: str = Field("output/{run_id}", description="local path or pyarrow URI (s3://...); {run_id} and {date} expand")
    shard_rows: int = Field(5000, ge=1, description="rows per Parquet shard")
    commit_every_s: float = Field(
        300, gt=0, description="also commit a partial shard when this long has passed since the last commit"
    )
    compression: Literal["zstd", "snappy", "gzip", "none"] = "zstd"
    writes: Literal["driver", "workers"] = Field(
        "driver",
        description="who encodes and writes shards: the driver (rows commit every commit_every_s), or Ray workers "
        "after verification (the driver only lists their files; for clusters judging tens of thousands of samples "
        "a second; needs storage every node reaches; docs/pipeline.md)",
    )
    writers: int = Field(1, ge=1, description="writes: workers: shard-writing actors, each good for ~25,000 samples/s (they reserve no CPU)")


RUN_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"  # safe as a path component


class RunConfig(_Config):
    run_id: str | None = Field(None, pattern=RUN_ID_PATTERN, description="default: date + config hash", json_schema_extra=NOT_IDENTITY)
    sources: list[SourceConfig] = Field(min_length=1)
    generator: GeneratorConfig = Field(default_factory=GeneratorConfig)
    verify: VerifyConfig = Field(default_factory=VerifyConfig)
    sandbox: SandboxConfig = Field(default_factory=LocalSandboxConfig)
    # Where a run executes and where it is written do not change what it produces.
    ray: RayConfig = Field(default_factory=RayConfig, json_schema_extra=NOT_IDENTITY)
    output: OutputConfig = Field(default_factory=OutputConfig, json_schema_extra=NOT_IDENTITY)

    @model_validator(mode="after")
    def _unique_source_labels(self) -> RunConfig:
        labels = [s.label for s in self.sources]
        if len(set(labels)) != len(labels):
            raise ValueError(f"sources need distinct names (set `name:`): {', '.join(sorted(labels))}")
        return self

    def verify_batch_size(self) -> int:
        """`verify.batch_size`, or the generator's batch (at most 8), so verification starts
        as soon as one generate batch is done: the first verdicts of an LLM-bound run come
        after one batch's generation, not several."""
        if self.verify.batch_size is not None:
            return self.verify.batch_size
        return min(8, getattr(self.generator.engine, "batch_size", 8))

    def config_hash(self) -> str:
        """Hash of everything that can change a run's samples or verdicts: all but the
        fields marked NOT_IDENTITY (`pipeline.identity`), so a run can be resumed with
        more workers or more samples per problem. Anything else, a sandbox image or an
        endpoint URL included, is a different run."""
        return identity_hash(self)


def load_config(path: str | os.PathLike[str]) -> RunConfig:
    """Read and validate a YAML config; errors name the file and each bad field."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, got {type(raw).__name__}")
    try:
        return RunConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: invalid config\n{format_errors(exc)}") from None


def format_errors(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"  {where}: {error['msg']}")
    return "\n".join(lines)
