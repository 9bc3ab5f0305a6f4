"""The math verifier inside a real Ray actor, called from the actor's worker threads.

Math-Verify's own timeouts use signal.alarm, which fails outside a main thread: in
Ray workers that scored every answer 0 (a reported verl bug). Assay's verifier uses no
signals in the caller, so a threaded actor must get right answers and real timeouts.
"""

from __future__ import annotations

import pytest

ray = pytest.importorskip("ray", reason="ray is not installed")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.mark.slow
def test_verifier_in_a_threaded_ray_actor(local_ray):
    @ray.remote(max_concurrency=4)
    class MathVerifierActor:
        def __init__(self) -> None:
            import threading

            from verifiers.math.verifier import MathVerifier

            self.verifier = MathVerifier()
            self.main_thread = threading.main_thread().ident

        def check(self, reference: str, text: str) -> tuple[str, bool]:
            import threading

            from verifiers.math.problem import MathProblem

            verdict = self.verifier.verify(MathProblem(problem_id=f"r-{reference}", prompt="", answer=reference), text)
            return verdict.status.value, threading.get_ident() != self.main_thread

    actor = MathVerifierActor.remote()
    cases = [
        ("x^2+2x+1", "\\boxed{(x+1)^2}", "pass"),
        ("\\frac{\\sqrt{3}}{2}", "\\boxed{\\frac{1}{2}\\sqrt{3}}", "pass"),
        ("\\{1,2\\}", "\\boxed{\\{2,1\\}}", "pass"),
        ("12", "\\boxed{13}", "fail"),
        ("x^2+1", "\\boxed{9^{9^{9^{9}}}}", "timeout"),
    ]
    results = ray.get([actor.check.remote(ref, text) for ref, text, _ in cases], timeout=120)
    assert [status for status, _ in results] == [expected for *_, expected in cases]
    assert any(off_main for _, off_main in results)  # really called from worker threads


def test_a_verify_actor_sizes_its_sandbox_from_the_cpus_ray_gave_it(local_ray):
    """Every actor on a node sees all of its cores: each pool is two runs per CPU the
    actor reserved (at least two), unless the config sets `sandbox.workers`."""
    from pipeline.config import RunConfig
    from pipeline.stages import VerifyStage

    @ray.remote
    class Holder:
        def __init__(self, config_json: str) -> None:
            self.stage = VerifyStage(config_json, "r")

        def slots(self) -> int:
            self.stage._verifier("math")
            return self.stage._verifiers["math"][1].workers

    base = {"sources": [{"path": "builtin:math-synth"}]}
    default = RunConfig.model_validate(base).model_dump_json()
    pinned = RunConfig.model_validate({**base, "sandbox": {"kind": "local", "workers": 5}}).model_dump_json()
    assert ray.get(Holder.options(num_cpus=1.5).remote(default).slots.remote(), timeout=120) == 3
    assert ray.get(Holder.options(num_cpus=0.5).remote(default).slots.remote(), timeout=120) == 2
    assert ray.get(Holder.options(num_cpus=0.5).remote(pinned).slots.remote(), timeout=120) == 5
