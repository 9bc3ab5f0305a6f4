"""Fixtures for sandbox tests: a real local sandbox and checks of the host afterwards."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.check import sandbox_processes  # re-exported for the tests

SECRET = "ASSAY_TEST_SECRET"
SECRET_VALUE = "hunter2-do-not-leak"


def installation_in_tmp() -> set[str]:
    """Top-level /tmp entries the sandbox shows read-only because Python lives there."""

    from sandbox.local.backend import _package_dir
    from sandbox.local.rootfs import python_dirs, under_tmp

    return {p.split("/")[2] for p in python_dirs([_package_dir("sandbox")]) if under_tmp(p)}


def machine_can_isolate() -> str | None:
    """None if this machine has what the local backend needs, else the reason it has not.

    Only a missing capability may skip the tests; a backend that fails on a capable
    machine is a failure.
    """
    from sandbox.check import probe_features

    missing = [f"{p.name} ({p.detail})" for p in probe_features() if not p.ok and "cgroup" not in p.name]
    return "; ".join(missing) or None


HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every sandbox test runs with the host to itself (`serial`): the `sb` fixture asserts
    that no process with a sandbox uid is left anywhere on the host, and a test worker
    killing its own sandbox's servers (tests/pipeline/test_faults.py) leaves such orphans
    for a moment."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.serial)


@pytest.fixture(scope="session")
def local_sandbox() -> Iterator:
    from sandbox.local.backend import NamespaceSandbox
    from tests.conftest import start_sandbox

    os.environ[SECRET] = SECRET_VALUE  # present in the parent when the sandbox starts
    sb = start_sandbox(lambda: NamespaceSandbox(workers=4))
    yield sb
    sb.close()
    os.environ.pop(SECRET, None)


@pytest.fixture
def sb(local_sandbox):
    """The shared sandbox, with host invariants asserted after each test."""
    yield local_sandbox
    assert local_sandbox._proc.poll() is None, "the fork server died"
    assert sandbox_processes(local_sandbox.server_pid) == [], "a sandboxed process outlived its run"


@pytest.fixture
def canary(tmp_path: Path) -> Iterator[Path]:
    """A host file that must be unchanged after the test."""
    path = tmp_path / "canary.txt"
    path.write_text("canary")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    yield path
    assert path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == digest


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback TCP listener that must receive nothing."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.setblocking(False)
    yield srv
    try:
        conn, _ = srv.accept()
        conn.close()
        pytest.fail("the loopback listener received a connection from the sandbox")
    except BlockingIOError:
        pass
    finally:
        srv.close()
