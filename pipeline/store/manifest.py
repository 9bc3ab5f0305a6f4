"""manifest.json: what a run is, what it has committed, and its counts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pyarrow.fs as pafs
from pydantic import BaseModel, Field, ValidationError


class ShardRecord(BaseModel):
    path: str  # relative to the run directory
    kind: Literal["data", "verdicts", "errors"]
    rows: int
    bytes: int
    sha256: str


class DomainCounts(BaseModel):
    samples: int = 0
    passed: int = 0
    invalid_problem: int = 0  # samples of broken problems: not the model's failure

    @property
    def pass_rate(self) -> float | None:
        """Passed over the samples that could be judged (broken problems left out)."""
        judged = self.samples - self.invalid_problem
        return self.passed / judged if judged else None


class Counts(BaseModel):
    samples: int = 0
    passed: int = 0
    by_status: dict[str, int] = Field(default_factory=dict)
    by_domain: dict[str, DomainCounts] = Field(default_factory=dict)
    by_source: dict[str, DomainCounts] = Field(default_factory=dict)
    errors_by_stage: dict[str, int] = Field(default_factory=dict)

    @property
    def pass_rate(self) -> float | None:
        """Passed over the samples that could be judged (broken problems left out)."""
        judged = self.samples - self.by_status.get("invalid_problem", 0)
        return self.passed / judged if judged else None

    def add_sample(self, status: str, domain: str, source: str) -> None:
        passed = status == "pass"
        self.samples += 1
        self.passed += passed
        self.by_status[status] = self.by_status.get(status, 0) + 1
        for table, key in ((self.by_domain, domain), (self.by_source, source)):
            entry = table.setdefault(key, DomainCounts())
            entry.samples += 1
            entry.passed += passed
            entry.invalid_problem += status == "invalid_problem"

    def add_error(self, stage: str) -> None:
        self.errors_by_stage[stage] = self.errors_by_stage.get(stage, 0) + 1

    def merge(self, other: Counts) -> None:
        """Add `other`'s counts to these."""
        self.samples += other.samples
        self.passed += other.passed
        for key, value in other.by_status.items():
            self.by_status[key] = self.by_status.get(key, 0) + value
        for mine, theirs in ((self.by_domain, other.by_domain), (self.by_source, other.by_source)):
            for key, entry in theirs.items():
                total = mine.setdefault(key, DomainCounts())
                total.samples += entry.samples
                total.passed += entry.passed
                total.invalid_problem += entry.invalid_problem
        for key, value in other.errors_by_stage.items():
            self.errors_by_stage[key] = self.errors_by_stage.get(key, 0) + value


class WrittenShards(BaseModel):
    """Shards a Ray worker wrote (`output.writes: workers`), sent to the driver to
    commit: written and durable, but not part of the run until manifest.json lists them."""

    shards: list[ShardRecord]  # a verdicts shard, and a data shard if any sample passed
    sample_ids: list[str]  # of the verdicts shard, for exactly-once
    counts: Counts  # of these rows
    completion_tokens: int = 0  # for the progress line


class Outcome(BaseModel):
    """Why the last attempt ended as it did: the counts behind `status`.

    A run fails (status `failed`, exit 1) when it judged no sample (nothing planned, or
    every verdict was `invalid_problem`), or when the share of input rows rejected is
    over `max_rejected` (default 1.0: only when every row is rejected).
    """

    input_rows: int = 0  # problem rows and completion rows read this attempt
    rejected_rows: int = 0  # of those, the ones that went to errors/ (stage input)
    max_rejected: float = 1.0
    judged_samples: int = 0  # verdicts that count in the pass rate (invalid_problem left out)
    failure: str | None = None  # one line; None when the run did not fail

    @property
    def rejected_share(self) -> float:
        return self.rejected_rows / self.input_rows if self.input_rows else 0.0


class Attempt(BaseModel):
    """One invocation on this run: when, with which code and which settings (speed
    settings and `n` may differ between attempts; `config` above is the first's)."""

    started_at: dt.datetime
    code_version: str
    config: dict[str, Any]


class Manifest(BaseModel):
    format: Literal["assay-run/1"] = "assay-run/1"
    run_id: str
    # running: an attempt is at work (or was killed with no chance to say so: kill -9);
    # interrupted: the last attempt stopped before its end (Ctrl-C, SIGTERM, an error: outcome.failure says which)
    status: Literal["running", "complete", "partial", "failed", "interrupted"] = "running"
    config: dict[str, Any]
    config_hash: str
    code_version: str
    created_at: dt.datetime
    updated_at: dt.datetime
    expected_samples: int = 0
    missing_samples: int = 0
    problems: int = 0
    counts: Counts = Field(default_factory=Counts)
    pass_rate: float | None = None
    outcome: Outcome = Field(default_factory=Outcome)
    shards: list[ShardRecord] = Field(default_factory=list)
    attempts: int = 0
    history: list[Attempt] = Field(default_factory=list)

    def shard_paths(self, kind: str) -> list[str]:
        return [s.path for s in self.shards if s.kind == kind]


class BadManifest(ValueError):
    """A manifest.json that is not an Assay run's: another tool's, or damaged."""


def read_manifest(fs: pafs.FileSystem, root: str) -> Manifest | None:
    """The run's manifest.json, or None where there is none yet. Raises `BadManifest`
    (saying what is wrong, in a line) for one that is not an Assay run's manifest."""
    path = f"{root}/manifest.json"
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    with fs.open_input_stream(path) as stream:
        text = stream.read()
    try:
        return Manifest.model_validate_json(text)
    except ValidationError as exc:
        errors = exc.errors()
        if errors[0]["type"] == "json_invalid":
            raise BadManifest(f"manifest.json is not valid JSON ({errors[0]['msg']})") from None
        where = lambda e: ".".join(str(p) for p in e["loc"]) or "(top level)"
        shown = "; ".join(f"{where(e)}: {e['msg']}" for e in errors[:3]) + ("; ..." if len(errors) > 3 else "")
        raise BadManifest(f"manifest.json is not an Assay run's manifest ({shown})") from None
