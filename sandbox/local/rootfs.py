"""The file-system view a sandboxed program gets: a minimal, read-only root.

Built once per zygote inside its private mount namespace: a tmpfs holding read-only,
nosuid, nodev bind mounts of the system directories and of the Python installation the
interpreter needs, a few harmless device nodes, and mount points for the per-execution
`/proc`, `/tmp` and `/sandbox` (the scratch dir). Everything else of the host (home
directories, the project tree, /var, /run, /sys, cgroups) is simply absent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sandbox.local import syscalls as sc

SCRATCH = "/sandbox"
SYSTEM_DIRS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
DEVICES = ("null", "zero", "full", "random", "urandom")


def python_dirs(extra: list[str]) -> list[str]:
    """Directories the interpreter (and the preloaded modules) read from, deduplicated.

    A venv's `bin/python` is a symlink into the base installation, so both prefixes
    are kept; nested paths are dropped since their parent's bind shows them.
    """
    wanted = [sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix, *sys.path, *extra]
    wanted.append(os.path.dirname(os.path.realpath(sys.executable)))
    real = {os.path.realpath(p) for p in wanted if p and os.path.isdir(p)}
    keep: list[str] = []
    for path in sorted(real):
        inside = [k for k in (*keep, "/usr", "/etc") if path == k or path.startswith(k + "/")]
        if path != "/" and not inside:
            keep.append(path)
    return keep


def build(mountpoint: str, extra_dirs: list[str]) -> str:
    """Create the read-only root on `mountpoint`, an empty host dir that the caller's
    private mount namespace covers with a tmpfs (the host only ever sees it empty)."""
    sc.mount("none", "/", None, sc.MS_REC | sc.MS_PRIVATE)
    sc.mount("assay-root", mountpoint, "tmpfs", sc.MS_NOSUID | sc.MS_NODEV, "mode=0755,size=16m")
    root = Path(mountpoint)
    for sysdir in SYSTEM_DIRS:
        if os.path.islink(sysdir):  # merged-/usr: /bin -> usr/bin
            os.symlink(os.readlink(sysdir), root / sysdir.lstrip("/"))
        elif os.path.isdir(sysdir):
            _bind(sysdir, root)
    for path in python_dirs(extra_dirs):
        if not under_tmp(path):
            _bind(path, root)
    for name in ("proc", "tmp", SCRATCH.lstrip("/")):
        (root / name).mkdir(mode=0o755)  # per-run mounts go here
    dev = root / "dev"
    dev.mkdir(mode=0o755)
    for name in DEVICES:
        (dev / name).touch()
        sc.mount(f"/dev/{name}", str(dev / name), None, sc.MS_BIND)
    os.symlink("/tmp", dev / "shm")
    os.symlink("/proc/self/fd", dev / "fd")
    for i, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{i}", dev / name)
    # Nothing in the root itself is writable, even by root, once this is done.
    sc.mount("none", mountpoint, None, sc.MS_REMOUNT | sc.MS_RDONLY | sc.MS_NOSUID | sc.MS_NODEV)
    return mountpoint


def under_tmp(path: str) -> bool:
    """Installations under /tmp (a CI checkout, say) would be hidden by the per-run /tmp:
    they are bound again on top of it by `bind_into_run_tmp` in every run."""
    return path == "/tmp" or path.startswith("/tmp/")


def bind_into_run_tmp(root: str, paths: list[str]) -> None:
    for path in paths:
        target = f"{root}{path}"
        os.makedirs(target, mode=0o755, exist_ok=True)
        sc.bind_readonly(path, target)


def _bind(path: str, root: Path) -> None:
    target = root / path.lstrip("/")
    target.mkdir(mode=0o755, parents=True, exist_ok=True)
    sc.bind_readonly(path, str(target))
