"""How much CPU a candidate run gets: a multiple of the problem's reference solution.

A fixed limit is wrong both ways: 10 s lets every hang cost 10 s of a core, and a heavy
problem's honest reference may need more. Harnesses that see many slow-but-correct
programs scale from a measured reference instead (EvalPlus: max(4 s, 4x the ground
truth); DOMjudge: a multiple of the slowest accepted solution). The self-test already
runs the reference, so its CPU time is free.
"""

from __future__ import annotations

from pydantic import Field

from verifiers.code.problem import CodeProblem
from verifiers.schema import Row


class TimeLimits(Row):
    """CPU seconds per sandboxed run of a code sample, and the wall-clock backstop.

    With a measured reference: max(`floor_s`, `factor` x its slowest run), never more
    than the problem's stated `limits.cpu_s`, or `max_s` when it states none. Without
    one (no reference, or `self_test` off): the stated limit, else `default_s`.
    """

    from_reference: bool = Field(True, description="scale limits from the reference solution's measured CPU time")
    factor: float = Field(4.0, ge=1, le=100, description="multiple of the reference's CPU time a candidate gets")
    floor_s: float = Field(1.0, ge=0.01, le=600, description="the least CPU a run gets when the limit comes from the reference")
    default_s: float = Field(4.0, ge=0.01, le=600, description="the limit without a measured reference or a stated limit")
    max_s: float = Field(60.0, gt=0, le=600, description="the most a run gets (the reference's own limit) when the problem states none")
    wall_factor: float = Field(2.0, ge=1, le=100, description="wall-clock limit: this times the CPU limit, plus wall_extra_s")
    wall_extra_s: float = Field(1.0, ge=0, le=600, description="added to the wall-clock limit (start-up on a busy machine)")

    def wall_s(self, cpu_s: float) -> float:
        """The wall-clock backstop: only a run that sleeps or waits reaches it. A verify
        actor's sandbox has two slots per CPU it reserved, so an honest run gets about half
        a CPU: twice its CPU time is enough, and a sleeping sample holds a slot 3 s at the
        floor, not 5."""
        return min(7200.0, round(self.wall_factor * cpu_s + self.wall_extra_s, 3))  # the sandbox's own bound

    def reference_cpu_s(self, problem: CodeProblem) -> float:
        """The limit the reference itself runs under."""
        return problem.limits.cpu_s or self.max_s

    def candidate_cpu_s(self, problem: CodeProblem, reference_s: float | None) -> float:
        """The limit for a candidate, given the reference's slowest run (None: unmeasured)."""
        ceiling = problem.limits.cpu_s or self.max_s
        if reference_s is not None and self.from_reference:
            return round(min(ceiling, max(self.floor_s, self.factor * reference_s)), 3)
        return problem.limits.cpu_s or self.default_s
