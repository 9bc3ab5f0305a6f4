"""The unsafe backend: refuses without consent, then runs with limits (no isolation)."""

from __future__ import annotations

import warnings

import pytest

from sandbox.base import ExecRequest, KilledBy, Limits, SandboxUnavailable
from sandbox.config import UnsafeSandboxConfig, make_sandbox


def test_refuses_without_explicit_consent():
    with pytest.raises(SandboxUnavailable, match="WITHOUT isolation"):
        make_sandbox(UnsafeSandboxConfig())


def test_runs_with_limits_once_acknowledged():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sb = make_sandbox(UnsafeSandboxConfig(i_understand_this_is_not_a_sandbox=True))
    assert any("UNSAFE" in str(w.message) for w in caught)
    assert sb.run(ExecRequest(python="print(input())", stdin=b"hi\n")).stdout == b"hi\n"
    assert sb.run(ExecRequest(python="import time\ntime.sleep(10)", limits=Limits(cpu_s=1, wall_s=1))).killed_by is KilledBy.wall
    flood = sb.run(ExecRequest(python="while True: print('x' * 1000)", limits=Limits(output_bytes=10_000)))
    assert flood.killed_by is KilledBy.output and len(flood.stdout) == 10_000


def test_judged_runs_are_refused_with_a_reason():
    import pytest

    from sandbox.base import ExecRequest, JudgeSpec, SandboxError
    from sandbox.unsafe import UnsafeSandbox

    with pytest.warns(RuntimeWarning):
        sb = UnsafeSandbox(acknowledged=True)
    with pytest.raises(SandboxError, match="cannot run judged tests"):
        sb.run(ExecRequest(python="pass", judge=JudgeSpec(python="pass")))
