"""Planning: from the sources' problems to the generation requests of every sample not
committed yet. A backend whose samples already exist (replay) brings its own planner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.config import RunConfig
from pipeline.generators.base import GenerationRequest, SampleSlot
from pipeline.identity import identity
from pipeline.ids import fingerprint, sample_id, sample_seed
from pipeline.prompts import build_messages
from pipeline.rows import ErrorRow, ProblemKey
from pipeline.sources.load import BadRow, load_source
from verifiers.schema import ProblemBase

Problems = dict[ProblemKey, ProblemBase]


@dataclass(frozen=True)
class Plan:
    requests: list[GenerationRequest]  # every sample not committed yet
    ids: set[str]  # every sample the run has (committed or not)
    problems: int  # problems with at least one sample
    errors: list[ErrorRow]  # input rows that cannot become samples
    input_rows: int = 0  # completion rows read (replay)

    @property
    def expected(self) -> int:
        return len(self.ids)


def load_problems(config: RunConfig, log: Callable[[str], None]) -> tuple[Problems, list[BadRow]]:
    problems: Problems = {}
    bad: list[BadRow] = []
    limit = config.verify.max_problem_bytes
    for source in config.sources:
        label = source.label
        count = 0
        for item in load_source(source):
            if isinstance(item, BadRow):
                bad.append(item if item.source else BadRow(label, item.reason, item.row, item.problem_id))
            elif (size := len(item.model_dump_json())) > limit:
                why = f"problem is {size:,} bytes (prompt, tests, answer as JSON), over verify.max_problem_bytes = {limit:,}"
                bad.append(BadRow(label, why, item.problem_id, item.problem_id))
            else:
                problems[ProblemKey(label, item.problem_id)] = item
                count += 1
        log(f"source {label}: {count} problems")
    if bad:
        log(f"{len(bad)} input rows rejected (see errors/)")
    return problems, bad


def input_error(bad: BadRow, run_id: str) -> ErrorRow:
    return ErrorRow.of("input", bad.reason, run_id, source=bad.source, problem_id=bad.problem_id, row=bad.row)


def plan(config: RunConfig, problems: Problems, committed: set[str], run_id: str) -> Plan:
    planner = config.generator.backend.plan or plan_samples
    return planner(config, problems, committed, run_id)


def generator_fingerprint(config: RunConfig) -> str:
    """What makes two runs' samples the same samples: the generator's identity (model,
    sampling but n, prompts; `pipeline.identity`)."""
    return fingerprint(identity(config.generator))


def plan_samples(config: RunConfig, problems: Problems, committed: set[str], run_id: str) -> Plan:
    """n samples per problem, each with an id and a seed that depend only on what
    defines it, so a rerun asks only for the ones not committed yet."""
    sampling = config.generator.sampling
    generator = generator_fingerprint(config)
    requests = []
    ids: set[str] = set()
    for key, problem in problems.items():
        slots = []
        for index in range(sampling.n):
            seed = sample_seed(sampling.seed, problem.problem_id, index)
            sid = sample_id(key.source, problem.problem_id, generator, index, seed)
            ids.add(sid)
            if sid not in committed:
                slots.append(SampleSlot(index=index, sample_id=sid, seed=seed))
        if slots:
            messages = build_messages(problem, config.generator.prompts)
            requests.append(GenerationRequest(source=key.source, problem_id=problem.problem_id, domain=problem.domain, messages=messages, samples=slots))
    return Plan(requests, ids, len(problems), [])
