"""The planning tasks' rows leave the planner in small blocks, as it goes (issue 16).
Ray Data's default gathers a task's output to 128 MiB before passing it on: a 1M-sample
plan sat whole in the planning task, then flooded the object store at once."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import ray

from pipeline.config import RunConfig
from pipeline.execute import BLOCK_BYTES, PLAN_SPLIT, planned
from pipeline.plan import plan_datasource
from pipeline.store.idset import KEY
from tests.pipeline.e2e import write_jsonl


@pytest.fixture(scope="module")
def local_ray():
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    if started:
        ray.shutdown()


def _blocks(tmp_path: Path, problems: int, padding: int) -> list[tuple[int, int]]:
    """(rows, bytes) of each block a plan of `problems` math problems arrives in."""
    rows = [{"problem_id": f"m{i}", "domain": "math", "prompt": f"What is {i} + 1? " + "Show your work. " * padding, "answer": str(i + 1)} for i in range(problems)]
    config = RunConfig.model_validate({"sources": [{"path": str(write_jsonl(tmp_path / "problems.jsonl", rows))}]})
    ds = planned(plan_datasource(config, np.array([], dtype=KEY), "blocks"))
    return [(block.num_rows, block.nbytes) for block in ds.iter_batches(batch_size=None, batch_format="pyarrow")]


def test_a_large_plan_leaves_the_planner_in_blocks_of_a_fraction_of_a_mebibyte(tmp_path: Path, local_ray) -> None:
    blocks = _blocks(tmp_path, problems=4000, padding=60)  # about 8 MB of request rows
    assert sum(rows for rows, _ in blocks) == 4000 + 1  # every request, and the planner's tally
    assert sum(size for _, size in blocks) > 6 * BLOCK_BYTES
    # Gathered to 128 MiB, the plan would come as PLAN_SPLIT blocks of half a mebibyte.
    # Ray Data slices an output block only past 1.5 times the target; the cut is by rows.
    assert max(size for _, size in blocks) <= 2 * BLOCK_BYTES / PLAN_SPLIT
    assert ray.data.DataContext.get_current().target_max_block_size != BLOCK_BYTES  # only the run's dataset


def test_a_small_plan_is_still_cut_into_several_blocks_so_generation_streams(tmp_path: Path, local_ray) -> None:
    blocks = _blocks(tmp_path, problems=12, padding=0)
    assert len(blocks) >= 12  # one generate task per few requests, not one for the whole plan


def test_each_planner_reports_its_tallies_to_the_board_before_its_rows_are_consumed(tmp_path: Path, local_ray) -> None:
    from pipeline.plan import PlanBoard, Tally

    rows = [{"problem_id": f"m{i}", "domain": "math", "prompt": f"What is {i} + 1?", "answer": str(i + 1)} for i in range(30)]
    path = str(write_jsonl(tmp_path / "problems.jsonl", rows))
    config = RunConfig.model_validate({"sources": [{"path": path, "name": "a"}, {"path": "builtin:math-synth", "n": 4}]})
    board = ray.remote(num_cpus=0)(PlanBoard).remote()
    assert ray.get(board.plan.remote(2)) is None  # nobody has reported
    ds = planned(plan_datasource(config, np.array([], dtype=KEY), "board", board))
    blocks = iter(ds.iter_batches(batch_size=None, batch_format="pyarrow"))
    first = next(blocks)  # the planners ran ahead of this consumer; both have finished
    deadline = time.monotonic() + 30
    while (reported := ray.get(board.plan.remote(2))) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert reported is not None and first.num_rows > 0
    tallies = sorted((Tally.model_validate_json(t) for t in reported), key=lambda t: t.source)
    n = config.generator.sampling.n
    assert [(t.source, t.problems, t.expected) for t in tallies] == [("a", 30, 30 * n), ("math-synth", 4, 4 * n)]
    streamed = [r for b in [first, *blocks] for r in b.to_pylist() if r["kind"] == "planned"]
    assert sorted(r["row"] for r in streamed) == sorted(reported)  # the same tallies still travel with the rows
