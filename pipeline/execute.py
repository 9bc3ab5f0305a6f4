"""The Ray side of a run: request rows through the generate and verify stages, verdict
rows back to the driver as they are judged.

Ray Data streams requests through a generator actor pool (or a backend's own processor,
vLLM) and a verifier actor pool, with backpressure; the driver holds one batch of rows
at a time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from pipeline.config import RunConfig
from pipeline.generators.base import GenerationRequest
from pipeline.generators.registry import GeneratorConfig
from pipeline.plan import Problems
from pipeline.rows import ErrorRow, SampleRow
from pipeline.stages import GenerateStage, VerifyStage, bind


def execute(config: RunConfig, problems: Problems, requests: list[GenerationRequest], run_id: str) -> Iterator[list[SampleRow] | list[ErrorRow]]:
    """Judged rows in batches as they arrive: a list of samples or a list of errors."""
    import ray

    started_ray = init_ray(config)
    try:
        _quiet_ray_data()
        items = [{"request": r.model_dump_json()} for r in requests]
        ds = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), 256)))
        ds = generation_stage(ds, config.generator)
        problem_json = {key: problem.model_dump_json() for key, problem in problems.items()}
        ds = ds.map_batches(
            bind(VerifyStage, run_config=config.model_dump_json(), problems=ray.put(problem_json), run_id=run_id),
            batch_size=config.verify.batch_size,
            compute=ray.data.ActorPoolStrategy(size=config.verify.actors),
            num_cpus=config.verify.cpus_per_actor,
            resources=config.verify.resources or None,
        )
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            samples: list[SampleRow] = []
            errors: list[ErrorRow] = []
            for kind, text in zip(batch["kind"], batch["row"], strict=True):
                if kind == "sample":
                    samples.append(SampleRow.model_validate_json(text))
                else:
                    errors.append(ErrorRow.model_validate_json(text))
            if samples:
                yield samples
            if errors:
                yield errors
    finally:
        if started_ray:
            ray.shutdown()


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


def init_ray(config: RunConfig) -> bool:
    """Connect to the configured cluster (or the one a Ray Job runs in: $RAY_ADDRESS),
    else start a quiet local one. True if we started it."""
    import ray

    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    address = config.ray.address or os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, **kwargs)
        return False
    ray.init(num_cpus=config.ray.num_cpus, include_dashboard=False, **kwargs)
    return True
