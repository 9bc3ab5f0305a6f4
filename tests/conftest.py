"""Shared fixtures: real sandboxes and verifiers, started once per session."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.base import Sandbox, SandboxUnavailable


def start_sandbox(factory: Callable[[], Sandbox]) -> Sandbox:
    """Start a real sandbox; skip only where the machine lacks the capability, with why.

    A sandbox that fails on a capable machine is a test failure, never a skip.
    """
    try:
        return factory()
    except SandboxUnavailable as exc:
        from tests.sandbox.conftest import machine_can_isolate

        if reason := machine_can_isolate():
            pytest.skip(f"this machine cannot isolate: {reason}")
        raise AssertionError(f"sandbox failed on a capable machine: {exc}") from exc


@pytest.fixture(scope="session")
def verifier():
    from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox

    sb = start_sandbox(lambda: make_code_sandbox(workers=2))
    yield PythonCodeVerifier(sb)
    sb.close()


@pytest.fixture(scope="session")
def math_verifier():
    from verifiers.math.verifier import MathVerifier, make_math_sandbox

    sb = start_sandbox(lambda: make_math_sandbox(workers=2))
    yield MathVerifier(sb)
    sb.close()


@pytest.fixture(scope="session")
def humaneval():
    from pipeline.sources.humaneval import humaneval_problems

    return {p.problem_id: p for p in humaneval_problems()}


@contextlib.contextmanager
def tmpfs_mounted(path: Path, options: str) -> Iterator[Path]:
    """A small tmpfs at `path` (`size=1m`, `ro,size=1m`: a full or read-only disk), unmounted
    after; the test skips where this machine refuses mounts."""
    path.mkdir(exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs ({options}) here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def pytest_testnodedown(node, error) -> None:
    """A test worker died (pytest-xdist): it cannot say why, so print what the kernel logged in
    the last two minutes: OOM kills of root processes (candidates run as other uids) and
    segfaults (a candidate's among them, maybe)."""
    if error is None:
        return
    try:
        log = subprocess.run(["dmesg"], capture_output=True, text=True, timeout=10).stdout
        now = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return
    import re

    said = []
    for line in log.splitlines():
        stamp = re.match(r"\[\s*(\d+\.\d+)\]", line)
        if stamp and float(stamp[1]) > now - 120 and ("segfault" in line or ("Killed process" in line and "UID:0 " in line)):
            said.append(line)
    reporter = node.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"{node.gateway.id} died; the kernel's last two minutes of kills and segfaults: {said[-5:] or 'none'}")
