"""The docker backend against a real engine; skipped with the reason where none answers."""

from __future__ import annotations

import pytest

from sandbox.base import ExecRequest, KilledBy, Limits, SandboxUnavailable
from sandbox.config import DockerSandboxConfig, make_sandbox

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def docker_sb():
    try:
        sb = make_sandbox(DockerSandboxConfig(pool_size=2))
    except SandboxUnavailable as exc:
        pytest.skip(f"docker backend unavailable here: {exc}")
    yield sb
    sb.close()


def test_honest_program(docker_sb):
    r = docker_sb.run(ExecRequest(python="import sys\nprint(sys.stdin.read()[::-1])", stdin=b"abc", files={"d/x.txt": b"1"}))
    assert r.ok and r.stdout == b"cba\n"


def test_no_network_and_readonly_root(docker_sb):
    src = "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\nexcept OSError as e:\n    print('net', type(e).__name__)\ntry:\n    open('/etc/x', 'w')\nexcept OSError as e:\n    print('fs', type(e).__name__)"
    r = docker_sb.run(ExecRequest(python=src))
    assert r.ok and b"net" in r.stdout and b"fs" in r.stdout


def test_limits(docker_sb):
    assert docker_sb.run(ExecRequest(python="import time\ntime.sleep(30)", limits=Limits(cpu_s=1, wall_s=2))).killed_by is KilledBy.wall
    mem = docker_sb.run(ExecRequest(python="x = bytearray(1 << 30)", limits=Limits(memory_mb=128)))
    assert not mem.ok
    flood = docker_sb.run(ExecRequest(python="while True: print('x' * 1000)", limits=Limits(output_bytes=10_000)))
    assert flood.killed_by is KilledBy.output


def test_no_state_between_runs(docker_sb):
    assert docker_sb.run(ExecRequest(python="open('/tmp/left', 'w').write('x')")).ok
    r = docker_sb.run(ExecRequest(python="import os\nprint(os.listdir('/tmp'))"))
    assert r.stdout == b"[]\n"
