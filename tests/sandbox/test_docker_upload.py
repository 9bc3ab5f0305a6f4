"""The docker backend's upload over an exec's stdin (`DockerSandbox._feed`), without an
engine: a socket pair stands in for the hijacked connection, a thread for the program."""

from __future__ import annotations

import os
import socket
import threading
import time

from sandbox.base import Limits
from sandbox.docker_backend import DockerSandbox, _failure, _stderr_of


def _program(end: socket.socket, received: bytearray, stop_after: int | None = None) -> threading.Thread:
    """Reads its stdin to the end (or stops reading after `stop_after` bytes, as a program
    that died on a full tmpfs does while the engine keeps the stream open), then closes."""

    def run() -> None:
        while stop_after is None or len(received) < stop_after:
            chunk = end.recv(1 << 16)
            if not chunk:
                break
            received.extend(chunk)
        if stop_after is None:
            end.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_the_whole_input_arrives_and_the_feed_ends_with_the_program() -> None:
    ours, theirs = socket.socketpair()
    data, received = os.urandom(5 << 20), bytearray()
    program = _program(theirs, received)
    DockerSandbox._feed(ours, data, running=lambda: program.is_alive())
    program.join(5)
    assert bytes(received) == data


def test_a_program_that_stops_reading_ends_the_feed_within_seconds() -> None:
    ours, theirs = socket.socketpair()
    received = bytearray()
    program = _program(theirs, received, stop_after=1 << 20)
    started = time.monotonic()
    DockerSandbox._feed(ours, os.urandom(64 << 20), running=lambda: program.is_alive())
    assert time.monotonic() - started < 10  # the upload's own timeout is 120 s
    assert len(received) >= 1 << 20


def test_an_upload_failure_says_why() -> None:
    """The program's stderr, out of docker's multiplexed frames, names the cause; only a
    full tmpfs is blamed on the scratch limit."""
    frames = b"\x01\0\0\0\0\0\0\x03out" + b"\x02\0\0\0\0\0\0\x2cOSError: [Errno 28] No space left on device\n"
    assert _stderr_of(frames) == "OSError: [Errno 28] No space left on device"
    assert "limits.scratch_mb = 16" in _failure(1, _stderr_of(frames), "the files", Limits(scratch_mb=16))
    other = _failure(126, "permission denied", "the files", Limits(scratch_mb=16))
    assert "scratch" not in other and "exit 126: permission denied" in other
    # The engine may drop the stream of a program that failed, and its stderr with it:
    # then only an upload larger than the scratch is blamed on it.
    lost = _failure(1, "", "the files", Limits(scratch_mb=16), size=40 << 20)
    assert "limits.scratch_mb = 16" in lost
    assert "scratch" not in _failure(1, "", "the files", Limits(scratch_mb=16), size=1 << 20)
