"""How much CPU a candidate run gets: a multiple of the problem's reference solution.

A fixed limit is wrong both ways: 10 s lets every hang cost 10 s of a core, and a heavy
problem's honest reference may need more. Harnesses that see many slow-but-correct
programs scale from a measured reference instead (EvalPlus: max(4 s, 4x the ground
truth); DOMjudge: a multiple of the slowest accepted solution). The self-test already
runs the reference, so its CPU time is free.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from verifiers.code.languages import LANGUAGES
from verifiers.code.problem import CodeProblem
from verifiers.schema import Row


class TimeLimits(Row):
    """CPU seconds per sandboxed run of a code sample, and the wall-clock backstop.

    With a measured reference: max(`floor_s`, `factor` x its slowest run), never more
    than the problem's stated `limits.cpu_s`, or `max_s` when it states none. Without
    one (no reference, or `self_test` off): the stated limit, else `default_s`.

    A stated limit (per run, and `limits.total_cpu_s` for all of a sample's runs) is
    written for C and C++, as judges state them; it is multiplied by the language's
    `time_factor` (Java 2x, Python 3x: verifiers/code/languages.py), or by
    `language_factors` where this config names the language.
    """

    from_reference: bool = Field(True, description="scale limits from the reference solution's measured CPU time")
    factor: float = Field(4.0, ge=1, le=100, description="multiple of the reference's CPU time a candidate gets")
    floor_s: float = Field(1.0, ge=0.01, le=600, description="the least CPU a run gets when the limit comes from the reference")
    default_s: float = Field(4.0, ge=0.01, le=600, description="the limit without a measured reference or a stated limit")
    max_s: float = Field(60.0, gt=0, le=600, description="the most a run gets (the reference's own limit) when the problem states none")
    wall_factor: float = Field(2.0, ge=1, le=100, description="wall-clock limit: this times the CPU limit, plus wall_extra_s")
    wall_extra_s: float = Field(1.0, ge=0, le=600, description="added to the wall-clock limit (start-up on a busy machine)")
    language_factors: dict[str, float] = Field(
        default_factory=dict, description="language -> multiple of a stated limit, instead of the language's own time_factor")

    @field_validator("language_factors")
    @classmethod
    def _known_languages(cls, factors: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(factors) - set(LANGUAGES))
        if unknown or any(not 1 <= f <= 100 for f in factors.values()):
            raise ValueError(f"language_factors: languages among {', '.join(LANGUAGES)}, factors 1 to 100 (unknown: {unknown})")
        return factors

    def stated_cpu_s(self, problem: CodeProblem) -> float | None:
        """The problem's stated per-run limit for its language, if it states one."""
        return self._scaled(problem, problem.limits.cpu_s)

    def total_cpu_s(self, problem: CodeProblem) -> float | None:
        """The most CPU all of one judging's runs may use together, if the problem states it."""
        return self._scaled(problem, problem.limits.total_cpu_s)

    def language_factor(self, language: str) -> float:
        """How much more CPU than C/C++ `language` gets."""
        return self.language_factors.get(language, LANGUAGES[language].time_factor)

    def _scaled(self, problem: CodeProblem, stated: float | None) -> float | None:
        if stated is None:
            return None
        return round(min(600.0, stated * self.language_factor(problem.language)), 3)

    def wall_s(self, cpu_s: float) -> float:
        """The wall-clock backstop: only a run that sleeps or waits reaches it. A verify
        actor's sandbox has two slots per CPU it reserved, so an honest run gets about half
        a CPU: twice its CPU time is enough, and a sleeping sample holds a slot 3 s at the
        floor, not 5."""
        return min(7200.0, round(self.wall_factor * cpu_s + self.wall_extra_s, 3))  # the sandbox's own bound

    def reference_cpu_s(self, problem: CodeProblem) -> float:
        """The limit the reference itself runs under."""
        return self.stated_cpu_s(problem) or self.max_s

    def candidate_cpu_s(self, problem: CodeProblem, reference_s: float | None) -> float:
        """The limit for a candidate, given the reference's slowest run (None: unmeasured)."""
        stated = self.stated_cpu_s(problem)
        if reference_s is not None and self.from_reference:
            return round(min(stated or self.max_s, max(self.floor_s, self.factor * reference_s)), 3)
        return stated or self.default_s
