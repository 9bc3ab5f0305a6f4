"""`PythonCodeVerifier`: run a candidate against its tests in the sandbox, judge outside.

Per test kind:

* `assert`: a judged run. The candidate's process serves calls; the problem's test code
  runs in a separate judge process (own uid) with proxies, and reports counts.
* `call`: one run; the candidate's process gets the inputs only and returns plain
  values; the comparison with the expected values happens here, in the verifier.
* `stdio`: one run per case (the program as `python main.py`); stdout is compared here.

Expected values never enter the candidate's process, and nothing the candidate prints
or returns is trusted beyond being data.
"""

from __future__ import annotations

import ast
import builtins
import functools
import hashlib
import json
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from sandbox.base import (
    ExecRequest,
    JudgeSpec,
    KilledBy,
    Limits,
    Sandbox,
    SandboxError,
    SandboxResult,
)
from verifiers.base import Domain, Verifier
from verifiers.code.compare import plain_value, stdout_matches, values_match
from verifiers.code.extract import ExtractedCode, extract_code, extract_source, fenced_language
from verifiers.code.harness import decode, encode, imported_names, names_defined
from verifiers.code.languages import LANGUAGES, Language
from verifiers.code.limits import TimeLimits
from verifiers.code.problem import AssertTests, CallTests, CodeProblem, StdioCase, StdioTests
from verifiers.schema import Status, Verdict

HARNESS_MODULE = "verifiers.code.harness"
SERVE_DIRECT = f"from {HARNESS_MODULE} import serve_candidate\nserve_candidate()\n"
SERVE_JUDGED = f"from {HARNESS_MODULE} import serve_candidate\nserve_candidate(0, 3)\n"
JUDGE = f"from {HARNESS_MODULE} import judge_main\njudge_main()\n"
# A problem's checker, in a sandboxed process of its own: the candidate's outputs reach it
# as JSON data; one verdict per case comes back on the stdout line that starts with a
# nonce the candidate never saw (a check() that echoes an output cannot forge it).
CHECKER_MAIN = """import json, sys
job = json.load(sys.stdin)
nonce, cases = job["nonce"], job["cases"]
del job
namespace = {"__name__": "checker"}
exec(compile(open("checker.py", encoding="utf-8").read(), "checker.py", "exec"), namespace)
results = []
for case in cases:
    try:
        verdict = namespace["check"](case["input"], case["output"], case["answer"])
        results.append(verdict if type(verdict) is bool else f"check returned {type(verdict).__name__}, not a bool")
    except Exception as exc:
        results.append(f"check raised {type(exc).__name__}: {str(exc)[:200]}")
sys.stdout.write("\\n" + nonce + json.dumps({"results": results}) + "\\n")
"""
CHECKER_LIMITS = Limits(cpu_s=10, memory_mb=1024, output_bytes=4 * (1 << 20))
_COMPILE_ERRORS = ("SyntaxError", "IndentationError", "TabError")
_REFERENCE_CACHE = 4096  # self-test verdicts kept per verifier (a problem's samples arrive together)
_BUILD_CACHE_BYTES = 128 << 20  # built programs kept per verifier: a reference, and samples that repeat it
_PROGRAM_BYTES = 16 << 20  # a bigger built program is a compile error (each case's run carries a copy)
_OUTPUT_CAP_MIN, _OUTPUT_FACTOR, _OUTPUT_CAP_MAX = 1 << 20, 4, 256 << 20  # a run's output cap: see _output_bytes
_LIMIT_STATUS = {
    KilledBy.cpu: Status.timeout,
    KilledBy.wall: Status.timeout,
    KilledBy.memory: Status.memory_limit,
    KilledBy.output: Status.output_limit,
}


def make_code_sandbox(workers: int | None = None) -> Sandbox:
    """The local sandbox with the harness preloaded (so a run pays only a fork)."""
    from sandbox.local.backend import NamespaceSandbox

    return NamespaceSandbox(preload=(HARNESS_MODULE,), workers=workers)


class _Reference(NamedTuple):
    """A problem's self-test: the reference's verdict, its slowest run's CPU seconds, and its
    return values where they are the call tests' expected values."""

    verdict: Verdict
    slowest_s: float | None
    outputs: tuple[Any, ...] | None = None


_RECORD = object()  # `_judge`'s expected values: take the run's return values as the expected ones


class PythonCodeVerifier(Verifier):
    """Verifies Python solutions to `CodeProblem`s.

    Args:
        sandbox: a sandbox whose runs can import `verifiers.code.harness` (see
            `make_code_sandbox`); the verifier does not close a sandbox it was given.
        self_test: verify each problem's `reference_solution` first; a problem whose
            reference fails makes every sample `invalid_problem`.
        time_limits: how much CPU a candidate run gets (by default a multiple of the
            reference's measured time; see `verifiers.code.limits`).
    """

    def __init__(self, sandbox: Sandbox | None = None, self_test: bool = True, time_limits: TimeLimits | None = None) -> None:
        self._owns_sandbox = sandbox is None
        self.sandbox = sandbox or make_code_sandbox()
        self.self_test = self_test
        self.time_limits = time_limits or TimeLimits()
        # One self-test per problem, however many of its samples are judged at once:
        # the first thread runs it, the others wait on its future.
        self._reference: OrderedDict[str, Future[_Reference | None]] = OrderedDict()
        self._builds: OrderedDict[str, bytes | str] = OrderedDict()  # program or build error, by source
        self._build_bytes = 0  # their total size, bounded by _BUILD_CACHE_BYTES
        self._lock = threading.Lock()
        self._cpu = threading.local()  # sandbox CPU of the sample this thread is judging: total and slowest run

    def close(self) -> None:
        if self._owns_sandbox:
            self.sandbox.close()

    # -- one sample ----------------------------------------------------------------

    def _verify(self, problem: object, completion: str) -> Verdict:
        if not isinstance(problem, CodeProblem):
            return Verdict.of(Status.invalid_problem, f"not a code problem: {type(problem).__name__}")
        started = time.monotonic()
        reference = self._self_test(problem)
        if reference is not None and not reference.verdict.passed:
            return Verdict.of(Status.invalid_problem, f"the problem's reference solution does not pass: {reference.verdict.reason}")
        language = _language_of(problem, completion)
        expected = None
        if isinstance(problem.tests, CallTests) and problem.tests.expected_from_reference:
            if reference is None or reference.outputs is None:
                why = "self_test is off" if not self.self_test else "its run failed on our side"
                return Verdict.of(Status.invalid_problem if not self.self_test else Status.verifier_error,
                                  f"the expected values are the reference's outputs, which are not available ({why})")  # fmt: skip
            expected = reference.outputs
        reference_s = reference.slowest_s if reference else None
        if reference_s is not None and language != problem.language:  # a reference in another language: scale by their factors
            reference_s *= self.time_limits.language_factor(language) / self.time_limits.language_factor(problem.language)
        problem = problem.in_language(language)
        cpu_limit = self.time_limits.candidate_cpu_s(problem, reference_s)
        extracted = _extract(problem, completion)
        if extracted is None:
            title = LANGUAGES[problem.language].title
            return Verdict.of(Status.no_answer, f"no {title} code found in the completion", duration_s=time.monotonic() - started, language=language)
        verdict = self._judge(problem, extracted.code, cpu_limit, expected)
        return verdict.model_copy(update={
            "extracted": extracted.code, "duration_s": round(time.monotonic() - started, 4), "language": language,
            "cpu_s": round(self._cpu.seconds, 4), "cpu_limit_s": cpu_limit,
        })  # fmt: skip

    def _run(self, request: ExecRequest) -> SandboxResult:
        result = self.sandbox.run(request)
        self._cpu.seconds += result.cpu_s
        self._cpu.slowest = max(self._cpu.slowest, result.cpu_s)
        self._cpu.wall_killed |= result.killed_by is KilledBy.wall
        return result

    def _self_test(self, problem: CodeProblem) -> _Reference | None:
        """The problem's reference run, once per problem; None without one (or when it
        failed on our side: the samples then get the default limit)."""
        if not self.self_test or not problem.reference_solution:
            return None
        digest = problem.digest()
        with self._lock:
            future = self._reference.get(digest)
            owner = future is None
            if owner:
                future = self._reference[digest] = Future()
                if len(self._reference) > _REFERENCE_CACHE:
                    self._reference.popitem(last=False)  # the oldest: a problem's samples arrive together
        assert future is not None
        if not owner:
            return future.result()
        try:
            reference = self._run_reference(problem)
        except BaseException as exc:  # our infrastructure: the sample is retried, and so is the self-test
            self._forget(digest, future)
            future.set_exception(exc)
            raise
        if reference is None:
            self._forget(digest, future)  # try the self-test again with the next sample
        future.set_result(reference)
        return reference

    def _forget(self, digest: str, future: Future[_Reference | None]) -> None:
        with self._lock:
            if self._reference.get(digest) is future:
                del self._reference[digest]

    def _run_reference(self, problem: CodeProblem) -> _Reference | None:
        assert problem.reference_solution is not None
        code = _extract(problem, problem.reference_solution)
        if code is None:
            return _Reference(Verdict.of(Status.fail, "reference solution has no code"), None)
        record = isinstance(problem.tests, CallTests) and problem.tests.expected_from_reference
        for _ in range(2 if record else 1):  # without the reference's outputs there is no verdict: a second try
            self._cpu.outputs = None
            verdict = self._judge(problem, code.code, self.time_limits.reference_cpu_s(problem), _RECORD if record else None)
            if not self._cpu.wall_killed:
                break
        if verdict.status is Status.verifier_error or self._cpu.wall_killed and not record:
            # A wall-clock kill may be a starved machine, not the reference: not cached,
            # the samples get the default limit and the next one runs the self-test again.
            return None
        if self._cpu.wall_killed:  # twice, and the samples need its outputs: the problem's fault, not a retry forever
            return _Reference(Verdict.of(Status.timeout, "the reference ran out of wall-clock time twice (it sleeps or waits)"), None)
        return _Reference(verdict, self._cpu.slowest, self._cpu.outputs)

    def _judge(self, problem: CodeProblem, code: str, cpu_s: float, expected: object = None) -> Verdict:
        """Judge `code` with runs of at most `cpu_s` CPU seconds each (call tests: against
        `expected` where the reference gives the expected values, or `_RECORD` them)."""
        self._cpu.seconds, self._cpu.slowest, self._cpu.wall_killed = 0.0, 0.0, False
        tests = problem.tests
        own_names: list[str] | None = None
        if problem.preamble and problem.language == "python":
            tree = _parse(code)  # None: a compile error, with or without the preamble
            code = _with_preamble(problem.preamble, code, tree)
            target = _target(problem)
            if target and tree is not None and not _binds(tree, target):
                # LiveCodeBench's `from math import *` holds a `gcd`: a sample that writes none has no answer
                return Verdict.of(Status.fail, f"the solution defines no {target}() (the problem's preamble is not an answer)")
            if tree is not None and isinstance(tests, AssertTests):  # over-counting only costs a second test run
                own_names = sorted(names_defined(tree))
        total = self.time_limits.total_cpu_s(problem)
        if total is not None and not isinstance(tests, StdioTests):
            cpu_s = min(cpu_s, total)  # one run judges the sample
        limits = self._limits(cpu_s, problem)
        if isinstance(tests, AssertTests):
            return self._judge_assert(problem, tests, code, limits, own_names)
        if isinstance(tests, CallTests):
            return self._judge_call(tests, code, limits, solution_first=bool(problem.preamble), expected=expected)
        if problem.language == "python":
            return self._judge_stdio(problem, limits, total, lambda stdin, lim: ExecRequest(python=code, stdin=stdin, limits=lim))
        language = LANGUAGES[problem.language]
        if language.needs_cgroup and getattr(self.sandbox, "cgroup_version", "") is None:
            # rlimits cap address space, and the JVM and V8 reserve far more than they use
            raise SandboxError(f"{language.title} needs the sandbox's cgroup memory limits; this one runs on rlimits")
        program = self._build(language, code) if language.build else code.encode("utf-8", "surrogatepass")
        if isinstance(program, Verdict):
            return program
        name = language.program if language.build else language.source
        executables = frozenset({name}) if language.build else frozenset()
        return self._judge_stdio(problem, limits, total, lambda stdin, lim: ExecRequest(
            argv=language.run_argv(lim.memory_mb), files={name: program}, executables=executables, stdin=stdin, limits=lim))  # fmt: skip

    def _limits(self, cpu_s: float, problem: CodeProblem) -> Limits:
        memory_mb = problem.limits.memory_mb
        # C, C++ and Rust: a stack as large as the memory limit, as judges give (a DFS 10^6 deep)
        stack_mb = memory_mb if LANGUAGES[problem.language].big_stack else None
        return Limits(cpu_s=cpu_s, wall_s=self.time_limits.wall_s(cpu_s), memory_mb=memory_mb, stack_mb=stack_mb,
                      output_bytes=_output_bytes(problem.tests))  # fmt: skip

    # -- build once, run many ------------------------------------------------------

    def _build(self, language: Language, code: str, extra: dict[str, str] | None = None) -> bytes | Verdict:
        """Compile in the sandbox, under the build's own limits; the program comes back
        as data (the build's stdout) and serves every test case. Builds are cached by
        source, so a reference or a repeated sample compiles once. `extra`: files the
        build needs beside the source (a checker's testlib.h)."""
        assert language.build is not None
        extra = extra or {}
        key = hashlib.sha256(json.dumps([language.name, code, extra], sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()
        with self._lock:
            built = self._builds.get(key)
        if built is None:
            limits = Limits(cpu_s=language.build_cpu_s, memory_mb=language.build_memory_mb, max_pids=64,
                            output_bytes=_PROGRAM_BYTES, scratch_mb=256)  # fmt: skip
            source, command = language.build_for(code)
            result = self.sandbox.run(ExecRequest(
                argv=["/bin/sh", "-c", command],
                files={**{k: v.encode("utf-8", "surrogatepass") for k, v in extra.items()}, source: code.encode("utf-8", "surrogatepass")},
                limits=limits))  # fmt: skip
            self._cpu.seconds += result.cpu_s  # the sample's cost, but not a run the time limits scale from
            self._cpu.wall_killed |= result.killed_by is KilledBy.wall
            if result.exit_code == 127:  # the shell found no compiler: this machine's fault, never the sample's
                raise SandboxError(f"{language.title} toolchain not found in the sandbox: {_last_line(result.stderr)}")
            if result.killed_by is KilledBy.output:
                return Verdict.of(Status.compile_error, f"the built program is larger than {_PROGRAM_BYTES >> 20} MB")
            if result.killed_by is not None:
                what = _limit_verdict(result, limits).reason
                return Verdict.of(Status.compile_error, f"the build exceeded its limits: {what}")  # load-dependent: not cached
            if result.exit_code != 0 or not result.stdout:
                built = _first_error(result.stderr) or f"the build failed: {_describe_exit(result)}"
            elif not result.stdout.startswith(language.program_magic):
                # e.g. Go's `package solution` without main builds an archive: nothing to run
                built = f"the build made no runnable {language.title} program (no main?)"
            else:
                built = result.stdout
            with self._lock:
                if key not in self._builds:  # two threads may build one source at once
                    self._builds[key] = built
                    self._build_bytes += len(built)
                while self._build_bytes > _BUILD_CACHE_BYTES:
                    self._build_bytes -= len(self._builds.popitem(last=False)[1])
        return Verdict.of(Status.compile_error, built) if isinstance(built, str) else built

    # -- assert: a judged run --------------------------------------------------------

    def _judge_assert(
        self, problem: CodeProblem, tests: AssertTests, code: str, limits: Limits, own_names: list[str] | None = None
    ) -> Verdict:
        spec: dict[str, Any] = {
            "test_code": tests.code,
            "entry_point": problem.entry_point,
            # The test code's trusted helpers: the dataset's preamble and a HumanEval-style prompt
            "preamble": problem.preamble,
            "trusted_code": problem.prompt,
            "module": tests.module,
            "nonce": secrets.token_hex(16),  # marks the judge's report line (see harness.judge_main)
        }
        if own_names is not None:  # what the sample itself defines, apart from the preamble before it
            spec["own_names"] = own_names
        result = self._run(
            ExecRequest(
                python=SERVE_JUDGED,
                files={"solution.py": code.encode("utf-8", "surrogatepass")},
                judge=JudgeSpec(python=JUDGE, stdin=json.dumps(spec).encode()),
                limits=limits,
            )
        )
        if result.killed_by is not None:
            return _limit_verdict(result, limits)
        judge = result.judge
        report = _report(judge.stdout if judge else b"", spec["nonce"])
        if judge is None or judge.exit_code != 0 or report is None:
            # Never `invalid_problem` from one sample: a candidate can make the judge fail
            # (replies built to exhaust it), and invalid_problem leaves the sample out of
            # every rate. Whether the problem itself is broken is the self-test's call.
            detail = _last_line(judge.stderr) if judge else "no judge result"
            return Verdict.of(Status.runtime_error, f"the test code failed while testing this candidate: {detail}")
        passed, total = int(report.get("passed", 0)), int(report.get("total", 0))
        error = report.get("error")
        counts = {"tests_passed": passed, "tests_total": total}
        if error and error.get("kind") == "load":
            message = str(error.get("message", ""))
            status = Status.compile_error if message.startswith(_COMPILE_ERRORS) else Status.runtime_error
            return Verdict.of(status, message, **counts)
        if error and error.get("kind") == "missing":
            return Verdict.of(Status.fail, str(error.get("message")), **counts)
        if error and error.get("kind") == "tests":
            return Verdict.of(Status.runtime_error, f"test code stopped: {error.get('message')}", **counts)
        if error:
            return Verdict.of(Status.runtime_error, str(error.get("message")), **counts)
        if result.exit_code != 0:
            return Verdict.of(Status.runtime_error, f"candidate process ended badly: {_describe_exit(result)}", **counts)
        if total == 0:
            # The test code may branch on the candidate's results: no assertion is a failure.
            return Verdict.of(Status.fail, "the test code ran no assertion against this candidate", **counts)
        if passed == total:
            return Verdict.of(Status.passed, f"{passed}/{total} assertions passed", **counts)
        first = (report.get("failures") or [{}])[0]
        why = str(first.get("why", ""))
        status = Status.runtime_error if why.startswith("candidate error") or (
            why and not why.startswith("assertion failed") and not why.startswith("TypeError: candidate returned")
        ) else Status.fail
        return Verdict.of(status, f"line {first.get('line')}: {first.get('source', '')} -> {why}", **counts)

    # -- call: inputs in, plain values out, compared here ---------------------------

    def _judge_call(self, tests: CallTests, code: str, limits: Limits, solution_first: bool = False,
                    expected: object = None) -> Verdict:  # fmt: skip
        flag = {"solution_first": True} if solution_first else {}  # see harness._resolve
        cases = tests.read_cases()
        record = expected is _RECORD
        if isinstance(expected, tuple):
            cases = [(args, kwargs, value) for (args, kwargs, _), value in zip(cases, expected)]
        outputs: list[Any] = []
        tuples_differ = tests.values == "python" or tests.expected_from_reference  # Python's values on both sides
        calls = "".join(
            json.dumps({"fn": tests.fn_name, "args": encode(args), "kwargs": encode(kwargs), **flag}) + "\n"
            for args, kwargs, _ in cases
        )
        result = self._run(
            ExecRequest(
                python=SERVE_DIRECT,
                files={"solution.py": code.encode("utf-8", "surrogatepass")},
                stdin=calls.encode("utf-8", "surrogatepass"),
                limits=limits,
            )
        )
        total = len(tests.cases)
        if result.killed_by is not None:
            return _limit_verdict(result, limits, tests_total=total)
        replies = _json_lines(result.stdout)
        if replies and "load_error" in replies[0]:
            message = str(replies[0]["load_error"])
            status = Status.compile_error if message.startswith(_COMPILE_ERRORS) else Status.runtime_error
            return Verdict.of(status, message, tests_total=total)
        answers = replies[1:] if replies and "loaded" in replies[0] else []
        passed = 0
        first_failure: Verdict | None = None
        for i, (_, _, expected) in enumerate(cases):
            reply = answers[i] if i < len(answers) else None
            if reply is None:
                why = f"case {i}: no answer (process ended: {_describe_exit(result)})"
                first_failure = first_failure or Verdict.of(Status.runtime_error, why)
            elif "raised" in reply:
                first_failure = first_failure or Verdict.of(Status.runtime_error, f"case {i}: {_short(reply.get('message'))}")
            else:
                try:  # whatever arrives is data from the candidate: decoding or comparing it may fail
                    got = decode(reply.get("value"))
                    if record:  # the reference: its value is the expected one, if it can be one
                        expected_value = _as_expected(got)
                        ok = expected_value is not _NOT_EXPECTED
                        outputs.append(expected_value)
                    else:
                        ok = values_match(got, expected, tests.float_tolerance, tuples_differ=tuples_differ)
                except Exception as exc:  # noqa: BLE001 - a malformed value is a wrong answer
                    got, ok = f"<undecodable value: {type(exc).__name__}>", False
                if ok:
                    passed += 1
                elif record:
                    first_failure = first_failure or Verdict.of(
                        Status.fail, f"case {i}: returned {_short(got)}, which cannot be an expected value (plain data only)")
                else:
                    first_failure = first_failure or Verdict.of(
                        Status.fail, f"case {i}: expected {_short(expected)}, got {_short(got)}"
                    )
        counts = {"tests_passed": passed, "tests_total": total}
        if record and passed == total:
            self._cpu.outputs = tuple(outputs)
        if len(answers) > total:
            return Verdict.of(Status.fail, "more answers than calls: the channel was tampered with", **counts)
        if first_failure is not None:
            return first_failure.model_copy(update=counts)
        if result.exit_code != 0:
            return Verdict.of(Status.runtime_error, f"candidate process ended badly: {_describe_exit(result)}", **counts)
        return Verdict.of(Status.passed, f"{passed}/{total} cases passed", **counts)

    # -- stdio: the program, once per case ---------------------------------------------

    def _judge_stdio(
        self, problem: CodeProblem, limits: Limits, budget_s: float | None, request: Callable[[bytes, Limits], ExecRequest]
    ) -> Verdict:
        """One sandboxed run per case; by default the first failing case ends the sample,
        with `run_all_cases` every case runs and the verdict carries the fraction passed.
        `budget_s`: the CPU all cases may use together; a case runs under what is left of
        it when that is less than the per-case limit, and the rest time out."""
        tests = problem.tests
        assert isinstance(tests, StdioTests)
        total = len(tests.cases)
        passed = 0
        failures: dict[int, Verdict] = {}
        outputs: dict[int, str] = {}  # for the checker, which judges them once every case has run
        used = 0.0
        for i, case in enumerate(tests.cases):
            left = None if budget_s is None else round(budget_s - used, 3)
            if left is not None and left <= 0.0:
                outcome: Verdict | str | None = _over_budget(i, budget_s, used)
            else:
                case_limits = limits if left is None or left >= limits.cpu_s else self._limits(max(0.01, left), problem)
                result = self._run(request(case.stdin.encode("utf-8", "surrogatepass"), case_limits))
                used += result.cpu_s
                outcome = _case_outcome(i, case, result, case_limits, tests)
                if case_limits is not limits and result.killed_by is KilledBy.cpu:
                    outcome = _over_budget(i, budget_s, used)
            if outcome is None:
                passed += 1
            elif isinstance(outcome, str):
                outputs[i] = outcome
            else:
                failures[i] = outcome
                if not tests.run_all_cases:
                    return outcome.model_copy(update={"tests_passed": passed, "tests_total": total})
        if outputs:
            checked = self._check(tests, outputs) if tests.checker is not None else self._check_program(tests, outputs)
            if isinstance(checked, Verdict):
                return checked
            passed += sum(v is None for v in checked.values())
            failures |= {i: v for i, v in checked.items() if v is not None}
        score = {"score": round(passed / total, 6)} if tests.run_all_cases else {}
        if failures:
            first = failures[min(failures)]
            return first.model_copy(update={"tests_passed": passed, "tests_total": total, **score})
        judge = " (accepted by the checker)" if tests.checker is not None or tests.checker_program is not None else ""
        return Verdict.of(Status.passed, f"{passed}/{total} cases passed{judge}", tests_passed=passed, tests_total=total, **score)

    def _check_program(self, tests: StdioTests, outputs: dict[int, str]) -> dict[int, Verdict | None] | Verdict:
        """A testlib-style checker program judges each case that ran, in a sandboxed run
        of its own per case: `checker input.txt output.txt answer.txt`, exit 0 accepts."""
        spec = tests.checker_program
        assert spec is not None
        language = LANGUAGES[spec.language]
        program = self._build(language, spec.source, spec.files) if language.build else spec.source.encode("utf-8", "surrogatepass")
        if isinstance(program, Verdict):
            return Verdict.of(Status.runtime_error, f"the checker program does not build: {program.reason}", tests_total=len(tests.cases))
        name = language.program if language.build else language.source
        checked: dict[int, Verdict | None] = {}
        for i, output in outputs.items():
            case = tests.cases[i]
            files = {name: program, "input.txt": case.stdin.encode("utf-8", "surrogatepass"),
                     "output.txt": output.encode("utf-8", "surrogatepass"), "answer.txt": case.stdout.encode("utf-8", "surrogatepass")}  # fmt: skip
            result = self.sandbox.run(ExecRequest(
                argv=[*language.run_argv(CHECKER_LIMITS.memory_mb), "input.txt", "output.txt", "answer.txt"], files=files,
                executables=frozenset({name}) if language.build else frozenset(), limits=CHECKER_LIMITS))  # fmt: skip
            self._cpu.seconds += result.cpu_s
            why = _first_line(result.stderr)
            # testlib's "partially correct" (`_pc(n)`) exits n outside Polygon's TESTSYS builds: 0 for `_pc(0)`
            if result.killed_by is None and result.exit_code == 0 and not why.startswith("partially correct"):
                checked[i] = None
            elif result.killed_by is None and (result.exit_code in (0, 1, 2, 7) or why.startswith("partially correct")):
                # testlib: wrong answer, presentation, points, partially correct
                checked[i] = Verdict.of(Status.fail, f"case {i}: {why or 'rejected by the checker'}")
            else:  # the checker itself failed (testlib's exit 3, a crash, its limits)
                what = _limit_verdict(result, CHECKER_LIMITS).reason if result.killed_by else why or _describe_exit(result)
                return Verdict.of(Status.runtime_error, f"the checker failed on case {i}: {what}", tests_total=len(tests.cases))
        return checked

    def _check(self, tests: StdioTests, outputs: dict[int, str]) -> dict[int, Verdict | None] | Verdict:
        """The problem's checker judges the outputs of the cases that ran (problems with
        several right answers): None for an accepted case, else its failure; a Verdict for
        the sample when the checker itself fails. Its source is the problem's; the outputs
        are data to it."""
        assert tests.checker is not None
        cases = [{"input": tests.cases[i].stdin, "output": out, "answer": tests.cases[i].stdout} for i, out in outputs.items()]
        nonce = secrets.token_hex(16)
        # 10 s of CPU and a second more per case: the checker reads every case's input.
        limits = CHECKER_LIMITS.model_copy(update={"cpu_s": min(600.0, CHECKER_LIMITS.cpu_s + len(cases))})
        result = self.sandbox.run(ExecRequest(
            python=CHECKER_MAIN, files={"checker.py": tests.checker.encode("utf-8", "surrogatepass")},
            stdin=json.dumps({"nonce": nonce, "cases": cases}).encode("utf-8", "surrogatepass"), limits=limits))  # fmt: skip
        self._cpu.seconds += result.cpu_s
        total = len(tests.cases)
        mine = [line[len(nonce):] for line in result.stdout.splitlines() if line.startswith(nonce.encode())]
        replies = _json_lines(mine[-1]) if mine else []
        verdicts = replies[0].get("results") if replies else None
        if result.killed_by is not None or result.exit_code != 0 or not isinstance(verdicts, list) or len(verdicts) != len(cases):
            # As with assert tests' judge: never invalid_problem from one sample (the self-test decides that).
            why = _limit_verdict(result, limits).reason if result.killed_by else _last_line(result.stderr) or _describe_exit(result)
            return Verdict.of(Status.runtime_error, f"the checker failed on this candidate's outputs: {why}", tests_total=total)
        return {i: None if v is True else Verdict.of(Status.fail, f"case {i}: " + ("rejected by the checker" if v is False else str(v)[:200]))
                for i, v in zip(outputs, verdicts)}  # fmt: skip


def _output_bytes(tests: object) -> int:
    """The cap on a run's stdout (and, separately, its stderr): 1 MiB, or 4x the largest
    expected stdout when that is more (200,000 seven-digit numbers are 1.6 MB; 4x leaves
    room for another accepted format, more decimals under a tolerance), at most 256 MiB.
    Assert and call tests return values, not output: 1 MiB."""
    if not isinstance(tests, StdioTests):
        return _OUTPUT_CAP_MIN
    largest = max((len(case.stdout.encode("utf-8", "surrogatepass")) for case in tests.cases), default=0)
    return min(_OUTPUT_CAP_MAX, max(_OUTPUT_CAP_MIN, _OUTPUT_FACTOR * largest))


def _limit_verdict(result: SandboxResult, request_limits: Limits, **counts: Any) -> Verdict:
    assert result.killed_by is not None
    status = _LIMIT_STATUS[result.killed_by]
    what = {"cpu": "CPU time", "wall": "wall-clock time", "memory": "memory", "output": "output size"}[result.killed_by.value]
    limits = f"limits: cpu {request_limits.cpu_s:g}s, wall {request_limits.wall_limit_s:g}s"
    return Verdict.of(status, f"{what} limit exceeded (cpu {result.cpu_s:.2f}s, wall {result.wall_s:.2f}s; {limits})", **counts)


def _over_budget(i: int, budget_s: float | None, used: float) -> Verdict:
    return Verdict.of(Status.timeout, f"case {i}: the total CPU limit for all cases ({budget_s:g}s) is used up (cpu {used:.2f}s)")


def _short(value: Any, limit: int = 100) -> str:
    """repr for reasons: bounded, and safe for any value the candidate sent."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:  # noqa: BLE001 - e.g. an int too long for repr
        text = f"<{type(value).__name__}>"
    return text[:limit] + ("..." if len(text) > limit else "")


def _json_lines(raw: bytes) -> list[dict]:
    out = []
    for line in raw.decode("utf-8", "replace").splitlines():
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            break  # anything not ours ends the channel
        if type(value) is not dict:
            break
        out.append(value)
    return out


def _case_outcome(i: int, case: StdioCase, result: SandboxResult, limits: Limits, tests: StdioTests) -> Verdict | str | None:
    """One stdio case's run: None when its output matches, the output when a checker is to
    judge it, else the case's failure."""
    if result.killed_by is not None:
        verdict = _limit_verdict(result, limits)
        return verdict.model_copy(update={"reason": f"case {i}: {verdict.reason}"})
    if result.exit_code != 0 or result.signal is not None:
        last = _last_line(result.stderr)
        status = Status.compile_error if last.startswith(_COMPILE_ERRORS) or "null bytes" in last else Status.runtime_error
        return Verdict.of(status, f"case {i}: {last or _describe_exit(result)}")
    got = result.stdout.decode("utf-8", "replace")
    if tests.checker is not None or tests.checker_program is not None:
        return got
    if not stdout_matches(got, case.stdout, tests.float_tolerance, tests.compare):
        return Verdict.of(Status.fail, f"case {i}: expected {case.stdout[:80]!r}, got {got[:80]!r}")
    return None


def _first_line(raw: bytes) -> str:
    lines = [line.strip() for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def _first_error(raw: bytes) -> str:
    """The compiler's first error: a line that says error (gcc, javac, rustc), else the
    first `file:line:` line (go), else its first line that is not a `#` heading."""
    lines = [line.strip() for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    located = [line for line in lines if re.match(r"\S+:\d+:", line)]
    return (errors or located or [line for line in lines if not line.startswith("#")] or [""])[0][:300]


_NOT_EXPECTED = object()


def _as_expected(value: Any) -> Any:
    """A reference's return value as an expected value `values_match` takes, or `_NOT_EXPECTED`:
    a `Counter`, `OrderedDict` or `defaultdict` as the dict it equals, a namedtuple as its tuple,
    `Fraction`/`Decimal` as the number (as Python's `==` compares them); a deque, a range, a dict
    view, a date, an `Opaque` are none (EvalPlus's MBPP/88 returns a `Counter`)."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str, bytes, complex):
        return value
    if kind in (Fraction, Decimal):
        return plain_value(value)
    if isinstance(value, dict) and kind.__module__ in ("builtins", "collections"):
        items = [(_as_expected(k), _as_expected(v)) for k, v in value.items()]
        return _NOT_EXPECTED if any(k is _NOT_EXPECTED or v is _NOT_EXPECTED for k, v in items) else dict(items)
    if kind is list or isinstance(value, tuple):  # a namedtuple as its tuple
        items = [_as_expected(v) for v in value]
        return _NOT_EXPECTED if any(v is _NOT_EXPECTED for v in items) else (items if kind is list else tuple(items))
    if kind in (set, frozenset):
        return value if all(type(v) in (bool, int, float, str, bytes, complex, tuple) or v is None for v in value) else _NOT_EXPECTED
    return _NOT_EXPECTED


def _language_of(problem: CodeProblem, text: str) -> str:
    """The language a sample answers in: the problem's, or, where it accepts several, the
    one the fence tag of its last tagged code block names."""
    if not problem.languages:
        return problem.language
    accepted = {name: LANGUAGES[name].fences for name in problem.accepted_languages}
    return fenced_language(text, accepted) or problem.language


def _extract(problem: CodeProblem, text: str) -> ExtractedCode | None:
    if problem.language == "python":
        tested = _tested_function(problem.tests.code) if isinstance(problem.tests, AssertTests) else None
        return extract_code(text, problem.prompt, _target(problem) or tested)
    language = LANGUAGES[problem.language]
    return extract_source(text, language.fences, language.marker)


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _with_preamble(preamble: str, code: str, tree: ast.Module | None) -> str:
    """The preamble, then the sample; after the sample's `from __future__` imports, which
    must stay first (the dataset's harness, pasting the two, would fail the sample)."""
    future = [node for node in (tree.body if tree else []) if isinstance(node, ast.ImportFrom) and node.module == "__future__"]
    if not future:
        return preamble + "\n" + code
    lines = code.split("\n")
    cut = max(node.end_lineno or node.lineno for node in future)
    return "\n".join([*lines[:cut], preamble, *lines[cut:]])


def _binds(tree: ast.Module, name: str) -> bool:
    """Does the program bind `name` at module level (a def, class, import or assignment,
    also under a top-level `if`/`try`/`with`/`match`), or in its `class Solution` (or a
    base class it defines)? Read from the code, not its run: `if False: def f` counts."""
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    pending: list[ast.AST] = list(tree.body)
    expanded: set[int] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
            if isinstance(node, ast.ClassDef) and node.name == "Solution":
                for cls in [node, *(classes[b.id] for b in node.bases if isinstance(b, ast.Name) and b.id in classes)]:
                    if id(cls) not in expanded:
                        expanded.add(id(cls))
                        pending.extend(cls.body)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if name in imported_names(node):
                return True
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
                return True
        else:  # the statements a top-level if/try/with/for/match holds are top level too
            pending.extend(c for c in ast.iter_child_nodes(node) if isinstance(c, (ast.stmt, ast.excepthandler, ast.match_case)))
    return False


def _report(stdout: bytes, nonce: str) -> dict | None:
    """The judge's report as `harness.judge_main` writes it (counts, failures, an error),
    from the last line that starts with the run's nonce; None if there is none."""
    line = next((ln for ln in reversed(stdout.decode("utf-8", "replace").splitlines()) if ln.startswith(nonce + " ")), None)
    try:
        report = json.loads(line[len(nonce) + 1 :]) if line is not None else None
    except ValueError:
        return None
    return report if _is_report(report) else None


def _is_report(report: object) -> bool:
    if not isinstance(report, dict):
        return False
    passed, total, error, failures = (report.get(k) for k in ("passed", "total", "error", "failures"))
    return (type(passed) is int and type(total) is int and 0 <= passed <= total
            and (error is None or isinstance(error, dict) and all(isinstance(v, str) for v in error.values()))
            and isinstance(failures, list) and all(isinstance(f, dict) for f in failures))


def _last_line(raw: bytes) -> str:
    lines = [line for line in raw.decode("utf-8", "replace").strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _describe_exit(result: SandboxResult) -> str:
    if result.signal is not None:
        return f"killed by signal {result.signal}"
    return f"exit code {result.exit_code}"


@functools.lru_cache(maxsize=256)
def _tested_function(tests: str) -> str | None:
    """The one function MBPP-style asserts call that the test code neither defines nor imports
    nor finds among the builtins (`assert max_sum([1, 2]) == 3`: `max_sum`), so that a reply whose
    last code block only uses the solution (prints, its own asserts) is judged by the block that
    writes it. None when the asserts call none or several such names."""
    tree = _parse(tests)
    if tree is None:
        return None
    known = names_defined(tree) | set(dir(builtins))
    called = {
        node.func.id
        for statement in tree.body if isinstance(statement, ast.Assert)
        for node in ast.walk(statement) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    } - known  # fmt: skip
    return called.pop() if len(called) == 1 else None


def _target(problem: CodeProblem) -> str | None:
    """The name the tests call, for choosing the solution among several code blocks."""
    if problem.entry_point:
        return problem.entry_point
    return problem.tests.fn_name if isinstance(problem.tests, CallTests) else None


DOMAIN = Domain(
    name="code",
    problem=CodeProblem,
    verifier=lambda sandbox, self_test=True, time_limits=None: PythonCodeVerifier(sandbox, self_test, time_limits),
    sandbox_preload=(HARNESS_MODULE,),
)
