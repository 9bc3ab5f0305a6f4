"""Per-execution cgroups: memory and pid limits, CPU and peak-memory accounting.

Supports the v1 hierarchy (separate `memory`, `pids`, `cpuacct` mounts) and v2 (one
unified mount with those controllers delegated). When neither is usable the local
backend falls back to rlimits and says so in `assay sandbox check`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

_CONTROLLERS = ("memory", "pids", "cpuacct")
RESERVE_STEP = 1 << 20  # the slot server's memory is counted in whole MiB


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def _read_int(path: Path, default: int = 0) -> int:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return default


def _keyed(path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in path.read_text().splitlines():
            key, _, value = line.partition(" ")
            with contextlib.suppress(ValueError):
                out[key] = int(value)
    return out


def _mounts() -> list[tuple[str, str, str]]:
    """(mount point, fs type, super options) of every cgroup mount."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        pre, _, post = line.partition(" - ")
        fstype, _source, opts = (post.split() + ["", "", ""])[:3]
        if fstype in ("cgroup", "cgroup2"):
            found.append((pre.split()[4], fstype, opts))
    return found


def _own_paths() -> dict[str, str]:
    """Controller (or "" for v2) -> this process's cgroup path."""
    paths: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _id, controllers, path = line.split(":", 2)
        for c in controllers.split(",") if controllers else [""]:
            paths[c] = path
    return paths


@dataclass
class CgroupStats:
    cpu_s: float | None = None
    peak_mb: float | None = None
    oom_killed: bool = False
    pids_limit_hit: bool = False


@dataclass
class CgroupTree:
    """A parent cgroup (one dir per controller, or one for v2) owned by one zygote."""

    version: int
    roots: dict[str, Path] = field(default_factory=dict)  # controller -> our dir

    @classmethod
    def create(cls, name: str) -> CgroupTree | None:
        """Make our parent cgroup under this process's own, or None if impossible."""
        mounts = _mounts()
        own = _own_paths()
        v1 = {}
        for mountpoint, fstype, opts in mounts:
            if fstype != "cgroup":
                continue
            for c in _CONTROLLERS:
                if c in opts.split(","):
                    v1[c] = Path(mountpoint) / own.get(c, "/").lstrip("/") / name
        if set(v1) == set(_CONTROLLERS):
            try:
                for path in v1.values():
                    path.mkdir(exist_ok=True)
                    _cleanup_stale(path.parent)
                return cls(version=1, roots=v1)
            except OSError:
                pass
        for mountpoint, fstype, _opts in mounts:
            if fstype != "cgroup2":
                continue
            base = Path(mountpoint) / own.get("", "/").lstrip("/")
            try:
                available = set((base / "cgroup.controllers").read_text().split())
                if not {"memory", "pids", "cpu"} <= available:
                    continue
                _write(base / "cgroup.subtree_control", "+memory +pids +cpu")
                ours = base / name
                ours.mkdir(exist_ok=True)
                _write(ours / "cgroup.subtree_control", "+memory +pids +cpu")
                return cls(version=2, roots={"": ours})
            except OSError:
                continue
        return None

    def slot(self, slot: int) -> Leaf:
        """The cgroup of execution slot `slot` (made once, reused by every run of the slot:
        mkdir/rmdir of a memory cgroup costs milliseconds, a reset a few writes)."""
        dirs = {c: root / f"slot-{slot}" for c, root in self.roots.items()}
        for path in dirs.values():
            path.mkdir(exist_ok=True)
        return Leaf(self.version, dirs)

    def remove(self) -> None:
        for path in self.roots.values():
            for leaf in [*(c for c in path.iterdir() if c.is_dir()), path]:
                with contextlib.suppress(OSError):
                    leaf.rmdir()  # EBUSY while a dying run's tasks linger: cleaned at next start


def _set_v1_memory(mem: Path, limit: int) -> None:
    """Set memory (and memory+swap) limits; the kernel insists memsw >= mem at every step."""
    memsw = mem / "memory.memsw.limit_in_bytes"
    order = ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes"]
    if limit > _read_int(mem / "memory.limit_in_bytes"):
        order.reverse()
    for name in order:
        if name.startswith("memory.memsw") and not memsw.exists():
            continue  # no swap accounting on this kernel
        try:
            _write(mem / name, str(limit))
        except OSError:
            # charged page cache left by the previous run can exceed a lower limit; the
            # slot server's own pages cannot be reclaimed, so force_empty reports EBUSY
            # after dropping the cache
            with contextlib.suppress(OSError):
                _write(mem / "memory.force_empty", "0")
            _write(mem / name, str(limit))


def _cleanup_stale(parent: Path) -> None:
    """Remove leftover empty cgroups of zygotes that died (names end in their pid)."""
    with contextlib.suppress(OSError):
        for child in parent.iterdir():
            if not child.is_dir():
                continue
            stem = child.name
            if stem.startswith("assay-") and stem.rsplit("-", 1)[-1].isdigit():
                if not Path(f"/proc/{stem.rsplit('-', 1)[-1]}").exists():
                    for leaf in [*(c for c in child.iterdir() if c.is_dir()), child]:
                        with contextlib.suppress(OSError):
                            leaf.rmdir()


@dataclass
class Leaf:
    """One execution slot's cgroup; counters are reported relative to `baseline`.

    The slot's server process lives in it too (so the inits it clones are born there): it
    counts as one more task in `pids.max`, and its own anonymous memory, measured before
    each run (`reserve`), is added to the memory limit and taken off the reported peak.
    """

    version: int
    dirs: dict[str, Path]
    baseline: dict[str, float] = field(default_factory=dict)
    reserve: int = 0
    _limits: tuple[int, int] | None = None  # (memory bytes, pids.max) as last written

    def join(self) -> None:
        """Move the calling process (the slot server) into this cgroup."""
        for path in self.dirs.values():
            _write(path / "cgroup.procs", str(os.getpid()))

    def prepare(self, memory_bytes: int, max_pids: int) -> None:
        """Set this run's limits and reset the peak; called before init is cloned."""
        mem_dir = self.dirs["memory" if self.version == 1 else ""]
        anon = _keyed(mem_dir / "memory.stat").get("rss" if self.version == 1 else "anon", 0)
        self.reserve = -(-anon // RESERVE_STEP) * RESERVE_STEP  # rounded up: limits rarely change
        limits = (memory_bytes + self.reserve, max_pids + 1)
        if self.version == 1:
            if limits != self._limits:
                _set_v1_memory(mem_dir, limits[0])
                _write(self.dirs["pids"] / "pids.max", str(limits[1]))
            _write(mem_dir / "memory.max_usage_in_bytes", "0")
        else:
            if limits != self._limits:
                _write(mem_dir / "memory.max", str(limits[0]))
                with contextlib.suppress(OSError):
                    _write(mem_dir / "memory.swap.max", "0")
                _write(mem_dir / "pids.max", str(limits[1]))
            with contextlib.suppress(OSError):  # resettable since Linux 6.12
                _write(mem_dir / "memory.peak", "0")
        self._limits = limits

    def take_baseline(self) -> None:
        self.baseline = self._counters()

    def _cpu_total(self) -> float:
        if self.version == 1:
            return _read_int(self.dirs["cpuacct"] / "cpuacct.usage") / 1e9
        return _keyed(self.dirs[""] / "cpu.stat").get("usage_usec", 0) / 1e6

    def _counters(self) -> dict[str, float]:
        # oom_kill, not failcnt: failcnt also counts page cache that was simply reclaimed
        mem_events = self.dirs["memory"] / "memory.oom_control" if self.version == 1 else self.dirs[""] / "memory.events"
        pids_events = self.dirs["pids" if self.version == 1 else ""] / "pids.events"
        return {
            "cpu_s": self._cpu_total(),
            "oom": _keyed(mem_events).get("oom_kill", 0),
            "pids_max": _keyed(pids_events).get("max", 0),
        }

    def cpu_s(self) -> float:
        """CPU seconds of this run so far (polled while it runs: one file read)."""
        return self._cpu_total() - self.baseline.get("cpu_s", 0.0)

    def stats(self) -> CgroupStats:
        now = self._counters()
        delta = {k: now[k] - self.baseline.get(k, 0) for k in now}
        if self.version == 1:
            peak = _read_int(self.dirs["memory"] / "memory.max_usage_in_bytes")
        else:
            peak = _read_int(self.dirs[""] / "memory.peak")
        peak = max(0, peak - self.reserve) / 2**20
        return CgroupStats(
            cpu_s=delta["cpu_s"],
            peak_mb=peak or None,
            oom_killed=delta["oom"] > 0,
            pids_limit_hit=delta["pids_max"] > 0,
        )
