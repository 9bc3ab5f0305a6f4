"""`replay`: completions that already exist (JSONL or Parquet), so `assay verify` runs
the same pipeline as `assay run`.

The driver scans the file once (`scan_completions`), keeping only where each row is;
generator actors read rows back by that position. Rows that cannot be used (bad JSON,
not UTF-8, missing or mistyped fields) are reported by the scan with the reason.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pyarrow.parquet as pq
from pydantic import Field, ValidationError

from pipeline.generators.base import (
    Backend,
    Generation,
    GenerationRequest,
    Generator,
    SampleSlot,
)
from pipeline.generators.config import EngineConfig
from pipeline.identity import NOT_IDENTITY
from pipeline.ids import fingerprint

if TYPE_CHECKING:
    from pipeline.generators.registry import GeneratorConfig
from pipeline.rows import Completion
from pipeline.storage import RowError, UnreadableFile, excerpt, file_identity, open_input, parquet_rows, parse_json_line


class ReplayConfig(EngineConfig):
    """Existing completions (JSONL or Parquet rows: problem_id, completion, [sample_id], [model])."""

    backend: Literal["replay"] = "replay"
    path: str = Field(min_length=1)
    batch_size: int = Field(64, ge=1, json_schema_extra=NOT_IDENTITY)

    def outside_identity(self) -> list[Any]:
        return file_identity(self.path)


@dataclass(frozen=True)
class ScannedRow:
    locator: int  # byte offset (JSONL) or row index (Parquet)
    completion: Completion | None
    error: str | None = None
    where: str = ""  # "line 12" / "row 12", for messages
    problem_id: str | None = None  # of a row that is an object but not a valid completion
    excerpt: str | None = None  # of a row that cannot be used


def _is_parquet(path: str) -> bool:
    return path.endswith((".parquet", ".pq"))


def scan_completions(path: str) -> Iterator[ScannedRow]:
    """Every row of a completions file, parsed and validated, with its position. Blank
    lines are not rows. A file that stops being readable partway, or is gone by the time
    the plan reads it (after `check_completions` passed), ends the scan with one error row
    that says so, never a crash of the planning task."""
    started = False
    try:
        for scanned in _scan(path):
            started = True
            yield scanned
    except (UnreadableFile, OSError) as exc:
        what = "the rest of the file" if started else "the file"
        yield ScannedRow(-1, None, f"{what} cannot be read: {exc}", "end")


def check_completions(path: str) -> None:
    """Raise `UnreadableFile` when the completions file cannot be read at all (gzip, a
    `.parquet` name on something else), before a run starts."""
    next(_scan(path), None)


def _scan(path: str) -> Iterator[ScannedRow]:
    if _is_parquet(path):
        with open_input(path) as handle:
            for row, item in enumerate(parquet_rows(path, handle)):
                where = f"row {row + 1}"
                scanned = ScannedRow(row, None, str(item)) if isinstance(item, RowError) else _validated(row, item)
                error = f"{where}: {scanned.error}" if scanned.error else None
                yield ScannedRow(row, scanned.completion, error, where, scanned.problem_id, scanned.excerpt)
        return
    with open_input(path) as handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                scanned = _parse_line(offset, number, raw)
                yield ScannedRow(scanned.locator, scanned.completion, scanned.error, f"line {number}", scanned.problem_id, scanned.excerpt)
            offset += len(raw)


def _parse_line(offset: int, number: int, raw: bytes) -> ScannedRow:
    item = parse_json_line(raw)
    if isinstance(item, RowError):
        return ScannedRow(offset, None, f"line {number}: {item}", excerpt=excerpt(raw))
    row = _validated(offset, item)
    if row.error is None:
        return row
    return ScannedRow(offset, None, f"line {number}: {row.error}", problem_id=row.problem_id, excerpt=excerpt(raw))


def _validated(locator: int, item: object) -> ScannedRow:
    if not isinstance(item, dict):
        return ScannedRow(locator, None, f"expected an object, got {type(item).__name__}")
    known = {k: v for k, v in item.items() if k in Completion.model_fields}
    misspelled = None if "finish_reason" in known else _misspelled(item.keys() - known.keys())
    if misspelled:
        return ScannedRow(locator, None, misspelled, problem_id=_problem_id(item), excerpt=excerpt(item))
    try:
        return ScannedRow(locator, Completion.model_validate(known))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "row"
        return ScannedRow(locator, None, f"{field}: {first['msg']}", problem_id=_problem_id(item), excerpt=excerpt(item))


def _problem_id(item: dict) -> str | None:
    problem_id = item.get("problem_id")
    return problem_id[:200] if isinstance(problem_id, str) else None


def _misspelled(unknown: Iterable[object]) -> str | None:
    """Other keys of a completion row are ignored (exports carry scores, logprobs, prompts,
    `sample_idx`), but not one that looks meant as `finish_reason`: `finish_reson: length` dropped
    the cut-off mark, and a text cut by max_tokens was judged as if complete (a false pass a review
    found, 2026-12-06). Anthropic's `stop_reason` is named too."""
    for key in sorted(k for k in unknown if isinstance(k, str)):
        if key == "stop_reason" or difflib.get_close_matches(key.lower(), ["finish_reason"], n=1, cutoff=0.8):
            return f"{key}: unknown field; a completion cut by max_tokens is marked `finish_reason: length`"
    return None


class ReplayGenerator(Generator):
    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__(config)
        assert isinstance(config.engine, ReplayConfig)
        self.path = config.engine.path
        self.model_name = "replay"
        self._row_groups: tuple[list[int], pq.ParquetFile] | None = None

    def generate(self, requests: list[GenerationRequest]) -> list[Generation]:
        out = []
        try:
            handle = open_input(self.path)
        except Exception as exc:  # noqa: BLE001 - gone or unreadable since it was planned: every row says so
            reason = f"{CHANGED}: cannot open it again: {exc}"
            return [self._failed(request, slot, reason) for request in requests for slot in request.samples]
        with handle:
            for request in requests:
                for slot in request.samples:
                    try:
                        completion = self._read(handle, slot)
                    except Exception as exc:  # noqa: BLE001 - the file changed under us, say so per row
                        out.append(self._failed(request, slot, f"{CHANGED}: {exc}"))
                        continue
                    out.append(self._row(request, slot, completion=completion.completion, model=completion.model or "replay",
                                         finish_reason=completion.finish_reason))  # fmt: skip
        return out

    def _read(self, handle, slot: SampleSlot) -> Completion:
        """The completion planned for `slot`, read back at its position. It must be the
        row the plan scanned there (its digest: problem, sample id, text, model, finish
        reason): a file rewritten during the run once had every verdict store another
        problem's completion under this sample's id (a review's find, 2026-12-06)."""
        locator = slot.locator
        if locator is None:
            raise ValueError("no locator")
        if _is_parquet(self.path):
            completion = self._read_parquet_row(handle, locator)
        else:
            handle.seek(locator)
            row = _parse_line(locator, 0, handle.readline())
            if row.completion is None:
                raise ValueError(f"byte {locator} no longer holds a completion ({(row.error or '').removeprefix('line 0: ')})")
            completion = row.completion
        if slot.digest is not None and row_digest(completion) != slot.digest:
            where = f"row {locator + 1}" if _is_parquet(self.path) else f"byte {locator}"
            raise ValueError(f"{where} now holds another row (problem_id {completion.problem_id!r}) than the one planned for this sample")
        return completion

    def _read_parquet_row(self, handle, row: int) -> Completion:
        parquet = pq.ParquetFile(handle)
        start = 0
        for group in range(parquet.num_row_groups):
            size = parquet.metadata.row_group(group).num_rows
            if row < start + size:
                item = parquet.read_row_group(group).slice(row - start, 1).to_pylist()[0]
                scanned = _validated(row, item)
                if scanned.completion is None:
                    raise ValueError(f"row {row + 1} no longer holds a completion ({scanned.error})")
                return scanned.completion
            start += size
        raise ValueError(f"row {row + 1} is past the end of the file")


CHANGED = "the completions file changed during the run"
COMPLETIONS_ORIGIN = "replay completions file"  # in the ids of its rows' errors (`ErrorRow.of`)


def row_digest(completion: Completion) -> str:
    """What identifies a scanned completion row when it is read back."""
    return fingerprint(completion.model_dump(mode="json"))


class ProblemIndex:
    """The sources' problems by id, on disk (SQLite in a temporary directory): replay must
    find each completion's problem, and a code set with megabytes of tests per problem
    must not be held in memory to do it.

    A scratch database: no journal, no fsync, and short explicit transactions (Python's
    sqlite3 would otherwise keep one transaction open across every insert and update)."""

    def __init__(self, directory: str) -> None:
        import sqlite3

        self.db = sqlite3.connect(f"{directory}/problems.sqlite", isolation_level=None)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE problems (problem_id TEXT, source TEXT, domain TEXT, problem TEXT, completions INTEGER DEFAULT 0)")
        self._pending: list[tuple[str, str, str, str]] = []
        self._last: tuple[str, list[tuple[str, str, str]]] | None = None
        self._count: tuple[str, str, int] | None = None  # (source, problem_id, completions) not yet written back

    def add(self, problem_id: str, source: str, domain: str, problem: str) -> None:
        self._pending.append((problem_id, source, domain, problem))
        if len(self._pending) >= 512:
            self._flush()

    def _flush(self) -> None:
        # One transaction per 512 rows. A failure ends the planning task, and with it this
        # scratch database: there is nothing to roll back to.
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO problems (problem_id, source, domain, problem) VALUES (?, ?, ?, ?)", self._pending)
        self.db.execute("COMMIT")
        self._pending = []

    def finish(self) -> None:
        self._flush()
        self.db.execute("CREATE INDEX by_id ON problems (problem_id)")

    def get(self, problem_id: str) -> list[tuple[str, str, str]]:
        """[(source, domain, problem JSON)] for an id (one lookup per run of equal ids)."""
        if self._last is None or self._last[0] != problem_id:
            rows = self.db.execute("SELECT source, domain, problem FROM problems WHERE problem_id = ?", (problem_id,)).fetchall()
            self._last = (problem_id, rows)
        return self._last[1]

    def next_ordinal(self, source: str, problem_id: str) -> int:
        """How many completions of this problem came before this one (its position),
        counted here so that no dict of every problem is needed. One problem's
        completions are usually consecutive: its count stays in memory until the next
        problem's turn, then is written back once."""
        if self._count is None or self._count[:2] != (source, problem_id):
            self._write_back()
            row = self.db.execute("SELECT completions FROM problems WHERE problem_id = ? AND source = ?", (problem_id, source)).fetchone()
            self._count = (source, problem_id, int(row[0]))
        source, problem_id, before = self._count
        self._count = (source, problem_id, before + 1)
        return before

    def _write_back(self) -> None:
        if self._count is not None:
            source, problem_id, count = self._count
            self.db.execute("UPDATE problems SET completions = ? WHERE problem_id = ? AND source = ?", (count, problem_id, source))
            self._count = None

    def problems_with_completions(self) -> int:
        self._write_back()
        return int(self.db.execute("SELECT COUNT(*) FROM problems WHERE completions > 0").fetchone()[0])


def plan_replay(config: Any, committed: Any, run_id: str) -> Iterator[tuple[str, str, str | None]]:
    """The samples are the file's completions: each is matched to its problem, given an id
    (its own, or one from its position and text) and planned unless committed.

    Runs as one planning task (`pipeline.plan`), with the sources' problems in an on-disk
    index and the ids of the completions seen so far as 16-byte keys."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="assay-replay-") as directory:
        index = ProblemIndex(directory)
        try:
            yield from _index_sources(config, index, run_id)
            index.finish()
            yield from _plan_completions(config, index, committed, run_id)
        finally:
            index.db.close()


def _index_sources(config: Any, index: ProblemIndex, run_id: str) -> Iterator[tuple[str, str, str | None]]:
    from pipeline.plan import Tally, read_problems

    for source in config.sources:
        tally = Tally(source=source.label)
        for read in read_problems(config, source, tally, run_id):
            if isinstance(read[0], str):  # an error row, not a (problem, JSON) pair
                yield read
            else:
                item, problem = read
                index.add(item.problem_id, source.label, item.domain, problem)
        yield "planned", tally.model_dump_json(), None


def _plan_completions(config: Any, index: ProblemIndex, committed: Any, run_id: str) -> Iterator[tuple[str, str, str | None]]:
    from collections import defaultdict

    from pipeline.ids import replay_sample_id
    from pipeline.plan import Tally
    from pipeline.rows import ErrorRow, ProblemKey
    from pipeline.store.idset import IdSet, contains

    engine = config.generator.engine
    tally = Tally(source="completions")
    error = lambda reason, **ids: ("error", ErrorRow.of("input", reason, run_id, source="completions", origin=COMPLETIONS_ORIGIN, **ids).model_dump_json(), None)
    pending: dict[ProblemKey, list[SampleSlot]] = defaultdict(list)
    seen = IdSet()  # sample ids so far, 16 bytes each
    chunk = max(1, engine.batch_size // 4)

    def flush(key: ProblemKey) -> Iterator[tuple[str, str, str | None]]:
        _source, domain, problem = next(entry for entry in index.get(key.problem_id) if entry[0] == key.source)
        request = GenerationRequest(source=key.source, problem_id=key.problem_id, domain=domain, messages=[], samples=pending.pop(key))
        yield "request", request.model_dump_json(), problem

    for scanned in scan_completions(engine.path):
        tally.input_rows += 1
        if scanned.completion is None:
            tally.rejected_rows += 1
            yield error(scanned.error, problem_id=scanned.problem_id, row=scanned.excerpt)
            continue
        completion = scanned.completion
        sources = [entry[0] for entry in index.get(completion.problem_id)]
        if len(sources) != 1:
            tally.rejected_rows += 1
            why = "no such problem in the sources" if not sources else f"problem_id is in several sources: {', '.join(sources)}"
            yield error(f"{scanned.where}: {why}", problem_id=completion.problem_id, sample_id=completion.sample_id)
            continue
        key = ProblemKey(sources[0], completion.problem_id)
        ordinal = index.next_ordinal(key.source, key.problem_id)
        sid = completion.sample_id or replay_sample_id(key.source, key.problem_id, ordinal, completion.completion)
        if sid in seen:
            tally.rejected_rows += 1
            yield error(f"{scanned.where}: duplicate sample_id", problem_id=completion.problem_id, sample_id=sid)
            continue
        seen.add(sid)
        tally.expected += 1
        if contains(committed, sid):
            tally.committed += 1
            continue
        # One problem's completions are usually consecutive: send them together when
        # the next problem starts (or the chunk is full), so nothing piles up here.
        for other in [k for k in pending if k != key]:
            yield from flush(other)
        pending[key].append(SampleSlot(index=ordinal, sample_id=sid, seed=0, locator=scanned.locator, digest=row_digest(completion)))
        if len(pending[key]) >= chunk:
            yield from flush(key)
    for key in list(pending):
        yield from flush(key)
    tally.problems = index.problems_with_completions()
    yield "planned", tally.model_dump_json(), None


BACKEND = Backend(config=ReplayConfig, generator=ReplayGenerator, plan=plan_replay)
