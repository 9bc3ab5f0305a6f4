"""A run's output: Parquet shards under data/, verdicts/ and errors/, committed
atomically and recorded in manifest.json (the commit point), behind a run lock."""

from pipeline.store.manifest import Manifest
from pipeline.store.run_store import RunLocked, RunMismatch, RunStore

__all__ = ["Manifest", "RunLocked", "RunMismatch", "RunStore"]
