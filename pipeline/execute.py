"""The Ray side of a run: planning tasks → generate stage → verify stage → the driver.

Ray Data streams the planners' request rows (`pipeline.plan`) through a generator actor
pool (or a backend's own processor, vLLM) and a verifier actor pool, with backpressure;
the driver holds one batch of rows at a time, and no process holds the run's problems.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from pipeline.config import RunConfig
from pipeline.generators.registry import GeneratorConfig
from pipeline.plan import PlanBoard, Tally, plan_datasource
from pipeline.rows import ErrorRow, SampleRow
from pipeline.stages import GenerateStage, VerifyStage, bind
from pipeline.store.manifest import WrittenShards
from pipeline.store.shard_writer import WRITTEN, ShardWriter

Judged = list[SampleRow] | list[ErrorRow] | list[Tally] | list[WrittenShards]
_log = logging.getLogger(__name__)


def execute(
    config: RunConfig, committed: np.ndarray, run_id: str, location: str, on_plan: Callable[[list[Tally]], None] | None = None
) -> Iterator[Judged]:
    """Plan, generate and judge; rows in batches as they arrive: samples, errors, the
    planning tasks' tallies, or (`output.writes: workers`) shards written to `location`
    by workers. `committed`: the sorted keys of committed sample ids. `on_plan` gets every
    planning task's tallies as soon as planning ends (from another thread), long before
    the same tallies arrive with the rows."""
    import ray

    started_ray = init_ray(config)
    batches = None
    watcher = board = None
    try:
        _quiet_ray_data()
        board = ray.remote(num_cpus=0)(PlanBoard).remote()
        source = plan_datasource(config, ray.put(committed), run_id, board)
        if on_plan is not None:
            watcher = _PlanWatcher(board, source.tasks, on_plan)
        ds = generation_stage(planned(source), config.generator)
        ds = ds.map_batches(
            bind(VerifyStage, run_config=config.model_dump_json(), run_id=run_id),
            batch_size=config.verify_batch_size(),
            compute=_verify_actors(config),
            num_cpus=config.verify.cpus_per_actor,
            resources=config.verify.resources or None,
        )
        if config.output.writes == "workers":
            ds = ds.map_batches(
                bind(ShardWriter, location=location, compression=config.output.compression, run_id=run_id),
                batch_size=config.output.shard_rows,
                compute=ray.data.ActorPoolStrategy(size=config.output.writers),
                num_cpus=0,  # like the planners: the generate and verify actors may hold every CPU
            )
        batches = iter(ds.iter_batches(batch_size=None, batch_format="numpy"))
        for batch in batches:
            samples: list[SampleRow] = []
            errors: list[ErrorRow] = []
            tallies: list[Tally] = []
            written: list[WrittenShards] = []
            for kind, text in zip(batch["kind"], batch["row"], strict=True):
                if kind == WRITTEN:
                    written.append(WrittenShards.model_validate_json(text))
                elif kind == "sample":
                    samples.append(SampleRow.model_validate_json(text))
                elif kind == "error":
                    errors.append(ErrorRow.model_validate_json(text))
                elif kind == "planned":
                    tallies.append(Tally.model_validate_json(text))
                else:
                    raise RuntimeError(f"a {kind!r} row reached the driver: a stage did not handle it")
            for rows in (tallies, samples, errors, written):
                if rows:
                    yield rows
    finally:
        if watcher is not None:
            watcher.stop()  # before Ray shuts down: the watcher calls into Ray
        if board is not None:
            with contextlib.suppress(Exception):
                ray.kill(board)  # a cluster outlives the run: do not leave the actor behind
        if batches is not None:
            # Shut the streaming executor down now, not at garbage collection; a failure
            # to clean up must not replace the error the run is ending with.
            try:
                batches.close()
            except Exception:  # noqa: BLE001
                _log.warning("closing Ray Data's iterator failed", exc_info=True)
            # Also when Ray is not ours: a cluster's driver shuts down at exit.
            _join_data_threads()
        if started_ray:
            ray.shutdown()


# Ray Data's threads that may still call into Ray after the iteration was closed: the
# executor's scheduling loop (joined for only 2 s by its shutdown) and the batch
# iterator's workers (they finish the batch in hand, with ray.get). A call into Ray after
# ray.shutdown() makes Ray's C++ core end the process at once with exit code 1 and
# nothing on stderr ("The core worker has already been shutdown", in Ray's own log): a
# run that failed on a full disk vanished without saying why.
DATA_THREADS = ("StreamingExecutor-", "iter_threaded")


def _join_data_threads(timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    threads = [t for t in threading.enumerate() if t is not threading.current_thread() and t.name.startswith(DATA_THREADS)]
    for thread in threads:
        with contextlib.suppress(RuntimeError):
            thread.join(max(0.0, deadline - time.monotonic()))
    prefetchers = _stop_block_prefetchers()  # after the iterator's workers: they hand it blocks
    for thread in prefetchers:
        thread.join(max(0.0, deadline - time.monotonic()))
    threads += prefetchers
    if alive := [t.name for t in threads if t.is_alive()]:
        _log.warning("Ray Data threads still running after %.0f s, Ray may end the process: %s", timeout_s, alive)


def _stop_block_prefetchers() -> list[threading.Thread]:
    """Ray Data stops its block prefetcher only when an iteration runs to its end. After a
    failure the prefetcher's thread stays parked, and blocks the iterator's workers hand it
    while finishing their batch wake it into `ray.wait`: after ray.shutdown(), the end of
    the process (the driver-failure case of test_faults). Stop them; their threads to join."""
    try:
        from ray.data._internal.block_batching.util import WaitBlockPrefetcher
    except ImportError:  # another Ray version: nothing known to stop
        return []
    stopped = []
    for thread in threading.enumerate():
        owner = getattr(getattr(thread, "_target", None), "__self__", None)  # a running Thread keeps its target
        if isinstance(owner, WaitBlockPrefetcher):
            owner.stop()
            stopped.append(thread)
    return stopped


# Ray Data gathers a task's output to this size before passing it on. Its default,
# 128 MiB, held a whole 1M-sample plan in the planning task, then flooded the object
# store with it (BENCHMARKS.md, "Pipeline at scale").
BLOCK_BYTES = 1 << 20
# ... and cuts each planning block this many ways: a generate task takes whole blocks,
# so a small plan in one block would be generated in one task, nothing reaching
# verification or the driver until the end.
PLAN_SPLIT = 16


class _PlanWatcher:
    """Asks the run's `PlanBoard` until every planning task has reported, then hands the
    tallies to `on_plan`; its own thread, so the driver's wait for rows is not held up."""

    def __init__(self, board: Any, planners: int, on_plan: Callable[[list[Tally]], None], every_s: float = 0.25) -> None:
        self.board, self.planners, self.on_plan, self.every_s = board, planners, on_plan, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="assay-plan-watcher", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        import ray

        while not self._stop.is_set():
            try:
                tallies = ray.get(self.board.plan.remote(self.planners), timeout=10)
            except ray.exceptions.GetTimeoutError:
                continue  # a busy machine still starting workers: ask again
            except Exception:  # noqa: BLE001 - progress only: the total then shows at the end
                _log.warning("the plan board did not answer; progress shows the total at the end", exc_info=True)
                return
            if tallies is not None:
                try:
                    self.on_plan([Tally.model_validate_json(t) for t in tallies])
                except Exception:  # noqa: BLE001 - a display failure must not end the run
                    _log.warning("showing the plan failed", exc_info=True)
                return
            self._stop.wait(self.every_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(15)
        if self._thread.is_alive():
            _log.warning("the plan watcher is still waiting on Ray after 15 s; Ray may end the process")


def planned(source: Any) -> Any:
    """The planning tasks' rows (`plan_datasource`) as a dataset, in blocks of about
    BLOCK_BYTES / PLAN_SPLIT (a row larger than that is a block of its own) that leave the
    planner as it goes.
    Planning tasks reserve no CPU: the generate and verify actors may hold all of a small
    machine's CPUs (the quickstart's two), and a planner must still run."""
    import ray

    ds = ray.data.read_datasource(source, num_cpus=0, override_num_blocks=source.tasks * PLAN_SPLIT)
    ds.context.target_max_block_size = BLOCK_BYTES  # this dataset's own context: nothing else changes
    return ds


def generation_stage(ds: Any, config: GeneratorConfig) -> Any:
    """Request rows → generation rows, by the configured backend."""
    import ray

    backend, engine = config.backend, config.engine
    if backend.stage is not None:
        return backend.stage(ds, config)
    return ds.map_batches(
        bind(GenerateStage, generator_config=config.model_dump_json()),
        batch_size=engine.batch_size,
        compute=ray.data.ActorPoolStrategy(size=getattr(engine, "actors", 1)),
        **engine.ray_options(),
    )


def _quiet_ray_data() -> None:
    """Ray Data's own bars show its internals (blocks, object store, dataset ids): the
    CLI shows samples, passes and time left instead (`pipeline.progress`)."""
    import ray

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.enable_operator_progress_bars = False
    ctx.enable_rich_progress_bars = False
    ctx.use_ray_tqdm = False
    ctx.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)


def cpu_shortfall(config: RunConfig) -> str | None:
    """Why a locally started Ray cannot hold every generate and verify actor at once, or
    None. Ray Data starts the actors that fit and waits, without a word, for CPUs that
    never come: verification then waits for generation to end, or the run stalls. A
    cluster may autoscale and a running Ray has its own size: those are not checked."""
    import ray
    from ray._private.utils import get_num_cpus  # how ray.init counts this machine's CPUs

    if ray.is_initialized() or config.ray.address or os.environ.get("RAY_ADDRESS"):
        return None
    engine, verify = config.generator.engine, config.verify
    generate = 0.0 if config.generator.backend.stage else getattr(engine, "actors", 1) * float(engine.ray_options().get("num_cpus", 0))
    wanted, cpus = generate + verify.actors * verify.cpus_per_actor, config.ray.num_cpus or get_num_cpus()
    if wanted <= cpus + 1e-9:
        return None
    return (
        f"the run's actors ask for {wanted:g} CPUs at once (generate {generate:g}, verify {verify.actors} x "
        f"{verify.cpus_per_actor:g}) and the local Ray has {cpus}: verification may wait for generation to end, "
        "or the run may stall; lower generator.engine.cpus_per_actor, its actors, or verify.cpus_per_actor"
    )


def init_ray(config: RunConfig) -> bool:
    """Connect to the configured cluster (or the one a Ray Job runs in: $RAY_ADDRESS),
    else start a quiet local one. True if we started it."""
    import ray

    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    address = config.ray.address or os.environ.get("RAY_ADDRESS")
    with _keep_sigterm_handler():
        if address:
            ray.init(address=address, **kwargs)
            return False
        # "local": a new Ray of our own. Without it ray.init() joins whatever `ray start` left
        # running on this machine (and fails there on num_cpus): only a configured address does.
        ray.init(address="local", num_cpus=config.ray.num_cpus, include_dashboard=False, **kwargs)
        return True


@contextlib.contextmanager
def _keep_sigterm_handler() -> Iterator[None]:
    """`ray.init` replaces the SIGTERM handler with one that ends the driver (`sys.exit(15)`,
    nothing said): put back the one the run set (`pipeline.run.sigterm_as_interrupt`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        if before is not None:
            signal.signal(signal.SIGTERM, before)


def _verify_actors(config: RunConfig) -> Any:
    """The verify actor pool. Each actor judges `verify.batches_per_actor` batches at once
    (threads sharing its sandbox slots), so a batch waiting out one sample's wall-clock
    limit (a sleep, a blocked read) does not leave the slots idle. Ray versions without
    threaded actor calls judge one batch at a time."""
    import ray

    options = inspect.signature(ray.data.ActorPoolStrategy).parameters
    concurrent = config.verify.batches_per_actor
    if concurrent > 1 and "enable_true_multi_threading" in options:
        return ray.data.ActorPoolStrategy(
            size=config.verify.actors, max_concurrent_calls_per_actor=concurrent, enable_true_multi_threading=True
        )
    return ray.data.ActorPoolStrategy(size=config.verify.actors)
