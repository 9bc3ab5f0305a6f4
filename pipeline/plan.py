"""Planning: the sources' problems → a request row for every sample not committed yet.

Planning runs inside Ray Data read tasks (`PlanDatasource`: one task per source, or
the backend's own planner, such as replay's), which stream their rows into the
pipeline under its backpressure. No process holds a run's problems or requests: each
request row carries its problem (as JSON) to the generate and verify stages, and the
driver only receives verdicts, errors and each task's `Tally`.

Rows are `(kind, row, problem)` strings (`ROW_SCHEMA`):
  request   a `GenerationRequest`, with its problem
  error     an `ErrorRow` (an input row that cannot become samples)
  planned   a `Tally`: what one planning task read and planned (its last row)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import BaseModel

from pipeline.config import RunConfig, SourceConfig
from pipeline.generators.base import GenerationRequest, SampleSlot
from pipeline.identity import identity
from pipeline.ids import fingerprint, sample_id, sample_seed
from pipeline.prompts import build_messages
from pipeline.rows import ErrorRow
from pipeline.sources.load import BadRow, SourceError, load_source
from pipeline.store.idset import contains
from verifiers.schema import ProblemBase

_log = logging.getLogger(__name__)
ROW_SCHEMA = pa.schema([("kind", pa.string()), ("row", pa.string()), ("problem", pa.string())])
PlanRow = tuple[str, str, str | None]
_BLOCK_ROWS = 256  # rows per block a planning task emits ...
_BLOCK_BYTES = 16 << 20  # ... or fewer, when problems are large (megabytes of tests)


class Tally(BaseModel):
    """What one planning task read and planned; the driver adds them up."""

    source: str
    input_rows: int = 0  # rows read (problems, or completions for replay)
    rejected_rows: int = 0  # of those, rejected (reasons in errors/)
    problems: int = 0  # problems with at least one sample
    expected: int = 0  # samples the plan holds, committed or not
    committed: int = 0  # of those, committed by an earlier attempt


class PlanBoard:
    """Where planning tasks report their tallies the moment they finish (a Ray actor with
    no CPU, one per run). Through the pipeline a task's tally is its last row, so it reaches
    the driver only after every request before it has been generated and judged: the end
    of a small run. From here the driver learns the plan's size at once, for progress and
    time left. Display only: the manifest counts the tallies that come with the rows."""

    def __init__(self) -> None:
        self.reports: dict[int, list[str]] = {}

    def report(self, planner: int, tallies: list[str]) -> None:
        self.reports[planner] = tallies  # a retried task reports again: the same tallies

    def plan(self, planners: int) -> list[str] | None:
        """Every planner's tallies (JSON), once all `planners` have reported."""
        if len(self.reports) < planners:
            return None
        return [t for planner in sorted(self.reports) for t in self.reports[planner]]


def generator_fingerprint(config: RunConfig) -> str:
    """What makes two runs' samples the same samples: the generator's identity (model,
    sampling but n, prompts; `pipeline.identity`)."""
    return fingerprint(identity(config.generator))


def check_sources(config: RunConfig) -> None:
    """Fail before the run starts, in the caller's process, when a source or the completions
    file cannot be read at all (missing file, unknown builtin, missing split, a `.parquet`
    that is not Parquet, gzip): raises SourceError."""
    for source in config.sources:
        next(iter(load_source(source)), None)
    if config.ray.address is None and (wrong := config.generator.engine.check_here()):
        raise SourceError(wrong)
    from pipeline.generators.replay import ReplayConfig, check_completions
    from pipeline.storage import UnreadableFile

    if isinstance(config.generator.engine, ReplayConfig):
        try:
            check_completions(config.generator.engine.path)
        except (UnreadableFile, OSError) as exc:
            raise SourceError(f"completions: {exc}") from None


def read_problems(config: RunConfig, source: SourceConfig, tally: Tally, run_id: str) -> Iterator[PlanRow | tuple[ProblemBase, str]]:
    """A source's problems with their JSON, or an error row for each row that cannot be
    one (bad row, over `verify.max_problem_bytes`, the source failing midway); `tally`
    counts rows read and rejected. Every planner reads its sources through here."""
    label, limit = source.label, config.verify.max_problem_bytes
    try:
        for item in load_source(source):
            tally.input_rows += 1
            if isinstance(item, BadRow):
                tally.rejected_rows += 1
                yield input_error(item if item.source else BadRow(label, item.reason, item.row, item.problem_id), run_id)
                continue
            problem = item.model_dump_json()
            if len(problem) > limit:
                tally.rejected_rows += 1
                why = f"problem is {len(problem):,} bytes (prompt, tests, answer as JSON), over verify.max_problem_bytes = {limit:,}"
                yield input_error(BadRow(label, why, item.problem_id, item.problem_id), run_id)
                continue
            yield item, problem
    except SourceError as exc:  # readable at the start (check_sources), not any more
        tally.input_rows += 1
        tally.rejected_rows += 1
        yield "error", ErrorRow.of("input", f"source stopped being readable: {exc}", run_id, source=label).model_dump_json(), None


def plan_source(config: RunConfig, source: SourceConfig, committed: np.ndarray, run_id: str) -> Iterator[PlanRow]:
    """n samples per problem of `source`, each with an id and a seed that depend only on
    what defines it, so a rerun asks only for the ones not committed yet."""
    label, sampling = source.label, config.generator.sampling
    generator = generator_fingerprint(config)
    tally = Tally(source=label)
    for read in read_problems(config, source, tally, run_id):
        if isinstance(read[0], str):  # an error row, not a (problem, JSON) pair
            yield read
            continue
        item, problem = read
        slots = []
        for index in range(sampling.n):
            seed = sample_seed(sampling.seed, item.problem_id, index)
            sid = sample_id(label, item.problem_id, generator, index, seed)
            if contains(committed, sid):
                tally.committed += 1
            else:
                slots.append(SampleSlot(index=index, sample_id=sid, seed=seed))
        tally.problems += 1
        tally.expected += sampling.n
        if slots:
            messages = build_messages(item, config.generator.prompts)
            request = GenerationRequest(source=label, problem_id=item.problem_id, domain=item.domain, messages=messages, samples=slots)
            yield "request", request.model_dump_json(), problem
    yield "planned", tally.model_dump_json(), None


def input_error(bad: BadRow, run_id: str) -> PlanRow:
    error = ErrorRow.of("input", bad.reason, run_id, source=bad.source, problem_id=bad.problem_id, row=bad.row)
    return "error", error.model_dump_json(), None


Planner = Callable[[], Iterable[PlanRow]]


def planners(config: RunConfig, committed: Any, run_id: str) -> list[Planner]:
    """The planning tasks of a run: the backend's own planner (replay), else one per
    source. `committed` is the sorted key array of committed sample ids (`store.idset`),
    or a Ray object reference to it."""
    backend_plan = config.generator.backend.plan
    if backend_plan is not None:
        return [functools.partial(_with_committed, backend_plan, config, None, committed, run_id)]
    return [functools.partial(_with_committed, plan_source, config, source, committed, run_id) for source in config.sources]


def _with_committed(plan: Callable[..., Iterable[PlanRow]], config: RunConfig, source: SourceConfig | None, committed: Any, run_id: str) -> Iterable[PlanRow]:
    if not isinstance(committed, np.ndarray):
        import ray

        committed = ray.get(committed)  # zero-copy from the object store
    return plan(config, committed, run_id) if source is None else plan(config, source, committed, run_id)


def blocks(rows: Iterable[PlanRow]) -> Iterator[pa.Table]:
    """Rows as Arrow blocks of bounded size."""
    kinds: list[str] = []
    texts: list[str] = []
    problems: list[str | None] = []
    size = 0
    for kind, text, problem in rows:
        kinds.append(kind)
        texts.append(text)
        problems.append(problem)
        size += len(text) + (len(problem) if problem else 0)
        if len(kinds) >= _BLOCK_ROWS or size >= _BLOCK_BYTES:
            yield pa.Table.from_arrays([pa.array(kinds), pa.array(texts), pa.array(problems, pa.string())], schema=ROW_SCHEMA)
            kinds, texts, problems, size = [], [], [], 0
    if kinds:
        yield pa.Table.from_arrays([pa.array(kinds), pa.array(texts), pa.array(problems, pa.string())], schema=ROW_SCHEMA)


def plan_datasource(config: RunConfig, committed: Any, run_id: str, board: Any = None) -> Any:
    """A Ray Data datasource whose read tasks are the run's planners; each reports its
    tallies to `board` (a `PlanBoard` actor handle) when it has planned everything."""
    from ray.data import Datasource, ReadTask
    from ray.data.block import BlockMetadata

    planners_ = planners(config, committed, run_id)

    class PlanDatasource(Datasource):
        tasks = len(planners_)  # what Ray Data divides override_num_blocks by: its split factor per task

        def estimate_inmemory_data_size(self) -> int | None:
            return None

        def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None, data_context: Any = None) -> list[ReadTask]:
            metadata = BlockMetadata(num_rows=None, size_bytes=None, exec_stats=None, input_files=None)
            return [ReadTask(functools.partial(_read, task, index, board), metadata, schema=ROW_SCHEMA)
                    for index, task in enumerate(planners_)]  # fmt: skip

        def get_name(self) -> str:
            return "AssayPlan"

    return PlanDatasource()


def _read(task: Planner, index: int = 0, board: Any = None) -> Iterator[pa.Table]:
    return blocks(task() if board is None else _reporting(task(), index, board))


def _reporting(rows: Iterable[PlanRow], index: int, board: Any) -> Iterator[PlanRow]:
    """The planner's rows, unchanged; when the last is planned (before its block is cut),
    its tallies go to the board."""
    tallies = []
    for row in rows:
        if row[0] == "planned":
            tallies.append(row[1])
        yield row
    import ray

    try:
        ray.get(board.report.remote(index, tallies), timeout=30)
    except Exception:  # noqa: BLE001 - progress only: the tallies still travel with the rows
        _log.warning("planner %d could not report its tallies; progress shows the total at the end", index, exc_info=True)
