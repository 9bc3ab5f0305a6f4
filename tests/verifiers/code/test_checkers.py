"""Stdio problems with several right answers: the built-in comparisons and problem-provided
checkers, run in a sandboxed process of their own with the candidate's outputs as data."""

from __future__ import annotations

import pytest

from verifiers.code.compare import stdout_matches
from verifiers.code.languages import LANGUAGES
from verifiers.code.problem import CodeLimits, CodeProblem, StdioCase, StdioTests
from verifiers.schema import Status

# Print two positive integers that sum to n (any pair is right; the answer field holds one).
SPLIT_CHECKER = '''
def check(input, output, answer):
    n = int(input)
    a, b = map(int, output.split())
    return a > 0 and b > 0 and a + b == n
'''
SPLIT = StdioTests(cases=[StdioCase(stdin="10\n", stdout="5 5\n"), StdioCase(stdin="3\n", stdout="1 2\n")], checker=SPLIT_CHECKER)


def split(**fields: object) -> CodeProblem:
    return CodeProblem(problem_id="split", prompt="Print two positive integers that sum to n.", tests=SPLIT,
                       limits=CodeLimits(cpu_s=2), **fields)  # fmt: skip


def test_the_built_in_comparisons() -> None:
    assert stdout_matches("1  2\n3\n", "1 2 3") and not stdout_matches("1 2 3", "1 2 4")
    assert stdout_matches("yes\nNo\n", "YES\nNO", compare="case_insensitive") and not stdout_matches("yes", "YES")
    assert stdout_matches("yes 3\nNo\n", "YES 3\nNO", compare="yes_no_any_case")
    assert not stdout_matches("YES aB", "YES ab", compare="yes_no_any_case") and not stdout_matches("yess", "YES", compare="yes_no_any_case")
    assert stdout_matches("b 2\na 1\n", "a 1\nb  2\n", compare="lines_unordered")
    assert not stdout_matches("a 1\na 1\n", "a 1\nb 2\n", compare="lines_unordered")
    assert stdout_matches("x 0.3333333\n", "x 0.3333334", 1e-6, compare="lines_unordered")
    assert stdout_matches("a  b\n", "a  b", compare="exact") and not stdout_matches("a b\n", "a  b", compare="exact")


def test_a_checker_accepts_any_right_answer(verifier) -> None:
    different = verifier.verify(split(), "```python\nn = int(input())\nprint(n - 1, 1)\n```")
    assert different.passed and different.tests_passed == 2 and "checker" in different.reason, different
    wrong = verifier.verify(split(), "```python\nn = int(input())\nprint(n, 0)\n```")
    assert wrong.status is Status.fail and wrong.reason == "case 0: rejected by the checker", wrong
    garbage = verifier.verify(split(), "```python\nprint('five and five')\n```")
    assert garbage.status is Status.fail and "check raised ValueError" in garbage.reason, garbage


def test_a_candidate_cannot_speak_for_the_checker(verifier) -> None:
    forged = 'import json\nprint(json.dumps({"results": [True, True]}))\nprint("\\n{\\"results\\": [true, true]}")\n'
    verdict = verifier.verify(split(), f"```python\n{forged}```")
    assert not verdict.passed and verdict.status is Status.fail, verdict


def test_a_broken_checker_is_the_problems_fault(verifier) -> None:
    broken = StdioTests(cases=SPLIT.cases, checker="def check(input, output, answer)\n    return True\n")
    problem = CodeProblem(problem_id="split-broken", prompt="", tests=broken, limits=CodeLimits(cpu_s=2))
    one_sample = verifier.verify(problem, "```python\nprint(5, 5)\n```")
    assert one_sample.status is Status.runtime_error and "the checker failed" in one_sample.reason, one_sample
    with_reference = problem.model_copy(update={"problem_id": "split-broken-ref", "reference_solution": "print(5, 5)\n"})
    assert verifier.verify(with_reference, "```python\nprint(5, 5)\n```").status is Status.invalid_problem


def test_checkers_judge_other_languages_too(verifier) -> None:
    if missing := LANGUAGES["cpp"].missing():
        pytest.skip(missing)
    problem = split(language="cpp")
    code = "#include <cstdio>\nint main() { int n; std::scanf(\"%d\", &n); std::printf(\"%d %d\\n\", 1, n - 1); }\n"
    assert verifier.verify(problem, f"```cpp\n{code}```").passed


def test_yes_no_answers_in_any_case(verifier) -> None:
    tests = StdioTests(cases=[StdioCase(stdin="4\n", stdout="YES\n"), StdioCase(stdin="3\n", stdout="NO\n")], compare="case_insensitive")
    problem = CodeProblem(problem_id="even", prompt="Is n even?", tests=tests, limits=CodeLimits(cpu_s=2))
    assert verifier.verify(problem, "```python\nprint('yes' if int(input()) % 2 == 0 else 'no')\n```").passed
    assert not verifier.verify(problem, "```python\nprint('yes')\n```").passed


def test_run_all_cases_gives_a_partial_score(verifier) -> None:
    cases = [StdioCase(stdin=f"{n}\n", stdout=f"{n * n}\n") for n in (1, 2, 3, 4)]
    # Right for n < 3, wrong for 3, crashes for 4.
    program = "```python\nn = int(input())\nassert n != 4\nprint(n * n if n < 3 else 0)\n```"
    stop = CodeProblem(problem_id="squares", prompt="", tests=StdioTests(cases=cases), limits=CodeLimits(cpu_s=2))
    first = verifier.verify(stop, program)
    assert first.status is Status.fail and first.reason.startswith("case 2:") and first.tests_passed == 2 and first.score is None
    every = stop.model_copy(update={"tests": StdioTests(cases=cases, run_all_cases=True)})
    scored = verifier.verify(every, program)
    assert scored.status is Status.fail and scored.reason.startswith("case 2:"), scored  # the first failure, though all ran
    assert scored.tests_passed == 2 and scored.tests_total == 4 and scored.score == 0.5
    right = verifier.verify(every, "```python\nn = int(input())\nprint(n * n)\n```")
    assert right.passed and right.score == 1.0
    checked = StdioTests(cases=cases, run_all_cases=True,
                         checker="def check(input, output, answer):\n    return output.split() == answer.split()\n")  # fmt: skip
    with_checker = verifier.verify(stop.model_copy(update={"tests": checked}), program)
    assert with_checker.status is Status.fail and with_checker.score == 0.5 and with_checker.reason == "case 2: rejected by the checker"


# A checker program in the testlib convention (`checker input output answer`, exit 0
# accepts, 1 rejects, 3 means the checker failed), with a header shipped beside it.
SPLIT_HEADER = "#include <cstdio>\nstatic long long read_or(FILE *f, long long fallback) { long long x; return std::fscanf(f, \"%lld\", &x) == 1 ? x : fallback; }\n"
SPLIT_PROGRAM = """#include "split.h"
int main(int argc, char **argv) {
    if (argc != 4) return 3;
    FILE *in = std::fopen(argv[1], "r"), *out = std::fopen(argv[2], "r");
    if (!in || !out) return 3;
    long long n = read_or(in, -1), a = read_or(out, 0), b = read_or(out, 0);
    if (n < 0) return 3;
    if (a > 0 && b > 0 && a + b == n) return 0;
    std::fprintf(stderr, "wrong answer %lld + %lld is not %lld\\n", a, b, n);
    return 1;
}
"""


def _with_program(source: str, **fields: object) -> CodeProblem:
    from verifiers.code.problem import CheckerProgram

    tests = StdioTests(cases=SPLIT.cases, checker_program=CheckerProgram(language="cpp", source=source, files={"split.h": SPLIT_HEADER}), **fields)
    return CodeProblem(problem_id="split-program", prompt="", tests=tests, limits=CodeLimits(cpu_s=2))


def test_a_checker_program_judges_like_a_judge_would(verifier) -> None:
    if missing := LANGUAGES["cpp"].missing():
        pytest.skip(missing)
    problem = _with_program(SPLIT_PROGRAM)
    assert verifier.verify(problem, "```python\nn = int(input())\nprint(1, n - 1)\n```").passed
    wrong = verifier.verify(problem, "```python\nn = int(input())\nprint(n, 0)\n```")
    assert wrong.status is Status.fail and wrong.reason == "case 0: wrong answer 10 + 0 is not 10", wrong
    failing_checker = _with_program(SPLIT_PROGRAM.replace("if (n < 0) return 3;", "return 3;"))
    broken = verifier.verify(failing_checker, "```python\nprint(5, 5)\n```")
    assert broken.status is Status.runtime_error and "the checker failed on case 0" in broken.reason, broken
    # testlib's `quitf(_pc(0), ...)` prints "partially correct (0) ..." and, outside Polygon, exits 0
    partial = _with_program(SPLIT_PROGRAM.replace("if (a > 0 && b > 0 && a + b == n) return 0;",
                                                  "if (a > 0 && b > 0 && a + b == n) return 0;\n    if (a + b == n) { std::fprintf(stderr, \"partially correct (0) zero part\\n\"); return 0; }"))  # fmt: skip
    assert verifier.verify(partial, "```python\nn = int(input())\nprint(1, n - 1)\n```").passed
    zero_part = verifier.verify(partial, "```python\nn = int(input())\nprint(n, 0)\n```")
    assert zero_part.status is Status.fail and zero_part.reason == "case 0: partially correct (0) zero part", zero_part
    unbuildable = verifier.verify(_with_program("int main( {"), "```python\nprint(5, 5)\n```")
    assert unbuildable.status is Status.runtime_error and "does not build" in unbuildable.reason, unbuildable


def test_checker_programs_are_validated() -> None:
    from pydantic import ValidationError

    from verifiers.code.problem import CheckerProgram

    with pytest.raises(ValidationError, match="Python checkers are `checker` functions"):
        CheckerProgram(language="python", source="print(1)")
    for name in ("../testlib.h", "answer.txt", "sub/testlib.h", ""):
        with pytest.raises(ValidationError, match="checker files need plain names"):
            CheckerProgram(language="cpp", source="int main() {}", files={name: "x"})
    with pytest.raises(ValidationError, match="not both"):
        CodeProblem(problem_id="x", prompt="", tests=StdioTests(cases=SPLIT.cases, checker=SPLIT_CHECKER,
                    checker_program=CheckerProgram(language="cpp", source=SPLIT_PROGRAM)))  # fmt: skip


def test_a_checker_that_echoes_outputs_cannot_be_forged_through_them(verifier) -> None:
    echoing = "def check(input, output, answer):\n    print(output)\n    return output.split() == answer.split()\n"
    tests = StdioTests(cases=[StdioCase(stdin="1\n", stdout="2\n")], checker=echoing)
    problem = CodeProblem(problem_id="echo", prompt="", tests=tests, limits=CodeLimits(cpu_s=2))
    forged = 'print("3")\nprint()\nprint(\'{"results": [true]}\')\n'
    verdict = verifier.verify(problem, f"```python\n{forged}```")
    assert verdict.status is Status.fail and verdict.reason == "case 0: rejected by the checker", verdict
    assert verifier.verify(problem, "```python\nprint(2)\n```").passed
