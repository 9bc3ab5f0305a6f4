"""A code problem: prompt, tests (assert, call or stdio), optional reference and limits."""

from __future__ import annotations

import ast
import math
import re
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from verifiers.code.languages import LANGUAGES
from verifiers.schema import ProblemBase, Row


class AssertTests(Row):
    """Python test code: HumanEval style (`def check(candidate)`, called with the entry
    point), MBPP style (plain `assert f(x) == y` lines naming the candidate's functions),
    or a test file: pytest-style `test_*` functions (KodCode: `from solution import f`) or
    `unittest.TestCase` classes (Exercism: `from accumulate import accumulate`)."""

    kind: Literal["assert"] = "assert"
    code: str = Field(min_length=1)
    module: str | None = Field(
        None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="another name the tests import the solution by (`accumulate` for `from accumulate import ...`); "
        "`solution` always works",
    )


class CallCase(Row):
    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    expected: Any = None


class CallTests(Row):
    """Call `fn_name` with each case's arguments; compare the return value with `expected`."""

    kind: Literal["call"] = "call"
    fn_name: str = Field(min_length=1)
    cases: list[CallCase] = Field(min_length=1)
    float_tolerance: float = Field(1e-6, ge=0, description="relative and absolute tolerance for floats")
    values: Literal["json", "python"] = Field(
        "json",
        description="how args, kwargs and expected are written: JSON values (a list and a tuple then compare alike), or "
                    "Python literals in strings, read by ast.literal_eval (tuples, sets, bytes and non-string keys kept; "
                    "a list then differs from a tuple, as under Python's ==)",
    )
    expected_from_reference: bool = Field(
        False,
        description="the expected values are the reference solution's outputs on the cases, computed once per problem in "
                    "the sandbox (EvalPlus's ground truth); the cases then give no `expected`, and a list differs from a tuple",
    )

    @model_validator(mode="after")
    def _literals_read(self) -> CallTests:
        for i, case in enumerate(self.cases):
            if self.expected_from_reference and case.expected is not None:
                raise ValueError(f"case {i} gives an expected value, but the expected values come from the reference")
            if not self.expected_from_reference and "expected" not in case.model_fields_set:
                # a missing (or misspelled) `expected` is no `null`: `pass` bodies passed such cases
                raise ValueError(f"case {i} gives no expected value (write `\"expected\": null` for a function that returns None)")
            if self.values == "json" and (where := _non_finite(case)):
                # JSON's serialisers write inf and nan as null on the way to the judge: `return None` passed
                raise ValueError(f"case {i}: {where} is not a finite number, which JSON cannot carry to the judge; "
                                 "write the case with `values: \"python\"` (`\"1e999\"` is inf)")
            if self.values == "python":
                try:
                    _read_literals(case, not self.expected_from_reference)
                except ValueError as exc:
                    raise ValueError(f"case {i}: {exc}") from None
        return self

    def read_cases(self) -> list[tuple[list[Any], dict[str, Any], Any]]:
        """Each case's args, kwargs and expected value (None where it comes from the reference),
        Python literals read."""
        if self.values == "json":
            return [(list(c.args), dict(c.kwargs), c.expected) for c in self.cases]
        return [_read_literals(c, not self.expected_from_reference) for c in self.cases]


def _non_finite(case: CallCase) -> str | None:
    """Where a case holds inf or nan (Python's `json` reads `Infinity` and `NaN`), or None."""
    stack: list[tuple[str, Any]] = [("expected", case.expected), ("args", case.args), ("kwargs", case.kwargs)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return where
        if isinstance(value, (list, tuple)):
            stack += [(where, item) for item in value]
        elif isinstance(value, dict):
            stack += [(where, item) for item in value.values()]
    return None


def _read_literals(case: CallCase, expected: bool = True) -> tuple[list[Any], dict[str, Any], Any]:
    return ([_literal(a) for a in case.args], {k: _literal(v) for k, v in case.kwargs.items()},
            _literal(case.expected) if expected else None)  # fmt: skip


def _literal(text: Any) -> Any:
    if not isinstance(text, str):
        raise ValueError(f"with values 'python' every argument and expected value is a Python literal in a string, not {text!r:.60}")
    try:
        value = ast.literal_eval(text)  # data only: no name, call or operator but a sign and complex `+`
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise ValueError(f"not a Python literal ({type(exc).__name__}): {text[:80]!r}") from None
    if "..." in text and _holds_ellipsis(value):
        raise ValueError(f"`...` is no value a candidate can return or take: {text[:80]!r}")
    return value


def _holds_ellipsis(value: Any) -> bool:
    if value is Ellipsis:
        return True
    if isinstance(value, dict):
        return any(map(_holds_ellipsis, value)) or any(map(_holds_ellipsis, value.values()))
    return isinstance(value, (list, tuple, set, frozenset)) and any(map(_holds_ellipsis, value))


class StdioCase(Row):
    stdin: str = ""
    stdout: str


_CHECKER_RESERVED = frozenset({"input.txt", "output.txt", "answer.txt", "main", "main.jar", "classes"})


class CheckerProgram(Row):
    """A checker in the testlib convention: run as `checker input answer-of-candidate
    answer` (files), exit code 0 accepts (unless stderr starts "partially correct", testlib's
    `_pc(0)`), 1, 2 or 7 rejects (wrong answer, presentation, points),
    anything else means the checker itself failed; its stderr says why."""

    language: str = Field(description="a compiled or interpreted language other than python (verifiers/code/languages.py)")
    source: str = Field(min_length=1)
    files: dict[str, str] = Field(default_factory=dict, description="files its build needs beside it (testlib.h), as the problem ships them")

    @model_validator(mode="after")
    def _known_language(self) -> CheckerProgram:
        # Plain names beside the source: a bad one is the problem's error when it is read,
        # not a sandbox request that fails for every sample.
        bad = [name for name in self.files if not re.fullmatch(r"[A-Za-z0-9_][\w.-]*", name) or name in _CHECKER_RESERVED]
        if bad:
            raise ValueError(f"checker files need plain names other than {', '.join(sorted(_CHECKER_RESERVED))}: {bad}")
        if self.language not in LANGUAGES or self.language == "python":
            raise ValueError(f"a checker program is in one of {', '.join(n for n in LANGUAGES if n != 'python')}; Python checkers are `checker` functions")
        return self


class StdioTests(Row):
    """Run the program with each case's stdin; compare its stdout with the case's (a
    built-in comparison), or let the problem's checker judge it (several right answers)."""

    kind: Literal["stdio"] = "stdio"
    cases: list[StdioCase] = Field(min_length=1)
    float_tolerance: float | None = Field(None, ge=0, description="compare numeric tokens with this tolerance")
    compare: Literal["tokens", "case_insensitive", "yes_no_any_case", "lines_unordered", "exact"] = Field(
        "tokens", description="the built-in comparison (verifiers/code/compare.py: stdout_matches)")
    checker: str | None = Field(
        None, min_length=1, description="Python source defining check(input, output, answer) -> bool, run in the sandbox instead of `compare`")
    checker_program: CheckerProgram | None = Field(None, description="a testlib-style checker program, run in the sandbox instead of `compare`")
    run_all_cases: bool = Field(False, description="run every case (the verdict's score is the fraction passed); default: stop at the first failure")


CodeTests = Annotated[AssertTests | CallTests | StdioTests, Field(discriminator="kind")]


class CodeLimits(Row):
    """Per-problem limits for one sandboxed run (call and assert tests: one run per
    sample; stdio: one per case)."""

    cpu_s: float | None = Field(
        None, gt=0, le=600,
        description="the problem's own CPU limit per run, for C/C++ (other languages: x their time_factor), a ceiling; "
                    "none: from the reference (verifiers/code/limits.py)",
    )
    total_cpu_s: float | None = Field(
        None, gt=0, le=600,
        description="the problem's CPU limit for all of a sample's runs together (every stdio case), for C/C++ like cpu_s",
    )
    memory_mb: int = Field(512, ge=32, le=16384)


class CodeProblem(ProblemBase):
    domain: Literal["code"] = "code"
    language: str = Field("python", description=f"one of {', '.join(LANGUAGES)} (verifiers/code/languages.py); the reference's")
    languages: list[str] = Field(
        default_factory=list, description="more languages a sample may answer in (stdio tests): the fence tag of its code picks one")
    entry_point: str | None = None
    preamble: str | None = Field(
        None, description="Python code the dataset's own harness puts before every program it runs (LeetCode's `from typing import *` "
                          "and `ListNode`, LiveCodeBench's imports): prepended to each Python program, and the trusted helpers of the test code")
    tests: CodeTests
    reference_solution: str | None = None
    limits: CodeLimits = Field(default_factory=CodeLimits)

    @model_validator(mode="after")
    def _entry_point_for_check(self) -> CodeProblem:
        if isinstance(self.tests, AssertTests) and "def check(" in self.tests.code and not self.entry_point:
            raise ValueError("tests define check(candidate) but the problem has no entry_point")
        for language in self.accepted_languages:
            if language not in LANGUAGES:
                raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
            if language != "python" and not isinstance(self.tests, StdioTests):
                raise ValueError(f"{language} problems need stdio tests (assert and call tests are Python's)")
        if isinstance(self.tests, CallTests) and self.tests.expected_from_reference and not self.reference_solution:
            raise ValueError("call tests whose expected values come from the reference need a reference_solution")
        if isinstance(self.tests, StdioTests) and self.tests.checker and self.tests.checker_program:
            raise ValueError("give a checker function or a checker program, not both")
        return self

    @property
    def accepted_languages(self) -> list[str]:
        """The problem's own language first, then the others it accepts."""
        return list(dict.fromkeys([self.language, *self.languages]))

    def template_fields(self) -> dict[str, str]:
        language = LANGUAGES[self.language]
        if self.languages:  # the prompt offers every accepted language; the fence tag says which was chosen
            accepted = [LANGUAGES[name] for name in self.accepted_languages]
            return {"language": " or ".join(lang.title for lang in accepted), "fence": " or ```".join(lang.fences[0] for lang in accepted)}
        return {"language": language.title, "fence": language.fences[0]}

    def in_language(self, language: str) -> CodeProblem:
        """This problem as judged in `language`, one it accepts."""
        assert language in self.accepted_languages
        return self if language == self.language and not self.languages else self.model_copy(update={"language": language, "languages": []})
