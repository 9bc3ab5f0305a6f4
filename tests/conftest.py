from __future__ import annotations

import pytest

from sandbox.base import SandboxUnavailable


@pytest.fixture(scope="session")
def verifier():
    from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox

    try:
        sb = make_code_sandbox(workers=2)
    except SandboxUnavailable as exc:
        from tests.sandbox.conftest import machine_can_isolate

        if reason := machine_can_isolate():
            pytest.skip(f"this machine cannot isolate: {reason}")
        raise AssertionError(f"code sandbox failed on a capable machine: {exc}") from exc
    v = PythonCodeVerifier(sb)
    yield v
    sb.close()


@pytest.fixture(scope="session")
def humaneval():
    from pipeline.sources.humaneval import humaneval_problems

    return {p.problem_id: p for p in humaneval_problems()}


@pytest.fixture(scope="session")
def math_verifier():
    from verifiers.math.verifier import MathVerifier, make_math_sandbox

    try:
        sb = make_math_sandbox(workers=2)
    except SandboxUnavailable as exc:
        from tests.sandbox.conftest import machine_can_isolate

        if reason := machine_can_isolate():
            pytest.skip(f"this machine cannot isolate: {reason}")
        raise AssertionError(f"math sandbox failed on a capable machine: {exc}") from exc
    v = MathVerifier(sb)
    yield v
    sb.close()
