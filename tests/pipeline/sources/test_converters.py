"""Dataset-shape converters, each on a small fixture row, verified end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.sources.converters import convert
from verifiers.code.problem import AssertTests, CallTests, StdioTests
from verifiers.schema import Status

DATA = Path(__file__).parent / "data"
MBPP_ROW = {
    "task_id": 11,
    "text": "Write a python function to remove first and last occurrence of a given character from the string.",
    "code": "def remove_Occ(s,ch):\n    s = s.replace(ch, '', 1)\n    i = s.rfind(ch)\n    return s if i < 0 else s[:i] + s[i + 1:]\n",
    "test_list": ["assert remove_Occ(\"hello\",\"l\") == \"heo\"", "assert remove_Occ(\"abcda\",\"a\") == \"bcd\"",
                  "assert remove_Occ(\"PHP\",\"P\") == \"H\""],
    "test_setup_code": "",
}
APPS_CALL_ROW = {
    "problem_id": 2500,
    "question": "Given a list, return the largest element.",
    "starter_code": "def largest(xs):",
    "input_output": json.dumps({"fn_name": "largest", "inputs": [[[1, 5, 2]], [[-3, -1]]], "outputs": [[5], [-1]]}),
    "solutions": json.dumps(["def largest(xs):\n    return max(xs)\n"]),
}
APPS_STDIO_ROW = {
    "problem_id": 10,
    "question": "Print the sum of the numbers on the first line.",
    "input_output": json.dumps({"inputs": ["1 2 3\n", "10\n"], "outputs": ["6\n", "10\n"]}),
    "solutions": json.dumps(["print(sum(map(int, input().split())))\n"]),
}
LCB_FUNCTIONAL_ROW = {
    "question_id": "abc-1",
    "question_content": "Return the number of vowels in s.",
    "starter_code": "class Solution:\n    def countVowels(self, s: str) -> int:\n        ",
    "public_test_cases": json.dumps([{"input": "\"hello\"", "output": "2", "testtype": "functional"}]),
    "private_test_cases": json.dumps([{"input": "\"xyz\"", "output": "0", "testtype": "functional"}]),
    "metadata": json.dumps({"func_name": "countVowels"}),
}
LCB_STDIN_ROW = {
    "question_id": "abc-2",
    "question_content": "Read N then print N squared.",
    "public_test_cases": json.dumps([{"input": "3\n", "output": "9\n", "testtype": "stdin"}]),
    "private_test_cases": json.dumps([{"input": "12\n", "output": "144\n", "testtype": "stdin"}]),
}
CODECONTESTS_ROW = {
    "name": "1000_A. Double",
    "description": "Print twice the integer on the input.",
    "public_tests": {"input": ["2\n"], "output": ["4\n"]},
    "private_tests": {"input": ["-5\n"], "output": ["-10\n"]},
    "generated_tests": {"input": ["0\n"], "output": ["0\n"]},
    "solutions": {"language": [2, 3, 2], "solution": [
        "#include <iostream>\nint main() { long long n; std::cin >> n; std::cout << 2 * n << std::endl; }\n",
        "print(2 * int(input()))\n", "int main(){}"]},
}


def test_mbpp_style(verifier):
    p = convert(MBPP_ROW, "mbpp")
    assert isinstance(p.tests, AssertTests) and p.entry_point == "remove_Occ" and p.problem_id == "11"
    assert verifier.verify(p, p.reference_solution).passed
    assert verifier.verify(p, "def remove_Occ(s, ch):\n    return s[1:-1]\n").status is Status.fail


# MBPP task 2 (google-research/mbpp, mbpp.jsonl): the first call after `assert` is `set`.
MBPP_SET_ROW = {
    "task_id": 2,
    "text": "Write a function to find the similar elements from the given two tuple lists.",
    "code": "def similar_elements(test_tup1, test_tup2):\n  res = tuple(set(test_tup1) & set(test_tup2))\n  return (res) ",
    "test_list": ["assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))",
                  "assert set(similar_elements((1, 2, 3, 4),(5, 4, 3, 7))) == set((3, 4))"],
}


@pytest.mark.parametrize("with_reference", [True, False])
def test_mbpp_entry_point_is_the_tested_function_not_a_builtin(verifier, with_reference):
    row = MBPP_SET_ROW if with_reference else {k: v for k, v in MBPP_SET_ROW.items() if k != "code"}
    p = convert(row, "mbpp")
    assert p.entry_point == "similar_elements"
    assert verifier.verify(p, MBPP_SET_ROW["code"]).passed
    cheat = "def set(*args):\n    return 0\n\ndef similar_elements(a, b):\n    return None\n"
    assert not verifier.verify(p, cheat).passed
    # a function that really is named like a builtin, when the reference defines it
    named = convert({"task_id": 126, "text": "sum of divisors", "code": "def sum(a, b):\n    return 6",
                     "test_list": ["assert sum(10, 15) == 6"]}, "mbpp")  # fmt: skip
    assert named.entry_point == "sum"


def test_apps_call_style(verifier):
    p = convert(APPS_CALL_ROW, "apps")
    assert isinstance(p.tests, CallTests) and [c.expected for c in p.tests.cases] == [5, -1]
    assert verifier.verify(p, p.reference_solution).passed
    assert verifier.verify(p, "def largest(xs):\n    return min(xs)\n").status is Status.fail


def test_apps_stdio_style(verifier):
    p = convert(APPS_STDIO_ROW, "apps")
    assert isinstance(p.tests, StdioTests) and len(p.tests.cases) == 2
    assert verifier.verify(p, p.reference_solution).passed
    assert verifier.verify(p, "print(1)").status is Status.fail


def test_livecodebench_functional_style(verifier):
    p = convert(LCB_FUNCTIONAL_ROW, "livecodebench")
    assert isinstance(p.tests, CallTests) and p.tests.cases[0].args == ["hello"] and p.tests.cases[1].expected == 0
    solution = "def countVowels(s):\n    return sum(c in 'aeiou' for c in s)\n"
    assert verifier.verify(p, solution).passed


def test_starter_names_the_datasets_harness_provides(verifier):
    """LiveCodeBench's and APPS's harnesses import `List` (and more) before a program: an
    answer to their `class Solution` starter that uses it without importing it passes."""
    answer = "class Solution:\n    def countVowels(self, s: str) -> int:\n        return sum(c in 'aeiou' for c in s)\n"
    typed = answer.replace("s: str", "s: str, extra: List[int] = []")
    assert verifier.verify(convert(LCB_FUNCTIONAL_ROW, "livecodebench"), typed).passed
    apps = convert(APPS_CALL_ROW, "apps")
    assert verifier.verify(apps, "class Solution:\n    def largest(self, xs: List[int]) -> int:\n        return max(xs)\n").passed
    assert not verifier.verify(apps, "class Solution:\n    def largest(self, xs: List[int]) -> int:\n        return min(xs)\n").passed


def test_leetcode_dataset_row(verifier):
    """A LeetCodeDataset row (data/leetcode_row.json, with provenance): its `prompt` is the
    harness's preamble, `query` the model's prompt, `Solution().name` the entry point."""
    row = json.loads((DATA / "leetcode_row.json").read_text())
    p = convert(row, "leetcode")
    assert p.entry_point == "addTwoNumbers" and p.prompt == row["query"] and p.preamble == row["prompt"]
    assert isinstance(p.tests, AssertTests) and p.reference_solution == row["completion"]
    assert verifier.verify(p, row["response"]).passed
    wrong = row["completion"].replace("carry, val = divmod(s, 10)", "carry, val = 0, s % 10")
    assert verifier.verify(p, f"```python\n{wrong}\n```").status is Status.fail
    for bad, message in ((dict(row, entry_point="Solution().f(1)"), "entry_point"), (dict(row, test="assert 1"), "check")):
        with pytest.raises(ValueError, match=message):
            convert(bad, "leetcode")


def test_livecodebench_stdin_style(verifier):
    p = convert(LCB_STDIN_ROW, "livecodebench")
    assert isinstance(p.tests, StdioTests)
    assert verifier.verify(p, "n = int(input())\nprint(n * n)").passed


def test_codecontests_style(verifier):
    p = convert(CODECONTESTS_ROW, "codecontests")
    assert isinstance(p.tests, StdioTests) and len(p.tests.cases) == 3
    assert p.reference_solution == "print(2 * int(input()))\n"
    assert verifier.verify(p, p.reference_solution).passed
    assert verifier.verify(p, "print(abs(2 * int(input())))").status is Status.fail


def test_codecontests_in_cpp(verifier):
    from verifiers.code.languages import LANGUAGES

    p = convert(CODECONTESTS_ROW, "codecontests-cpp")
    assert p.language == "cpp" and p.reference_solution.startswith("#include <iostream>")  # the first C++ solution
    if missing := LANGUAGES["cpp"].missing():
        pytest.skip(missing)
    assert verifier.verify(p, f"```cpp\n{p.reference_solution}```").passed  # self-tested with the C++ reference
    wrong = "#include <iostream>\nint main() { long long n; std::cin >> n; std::cout << (n < 0 ? -2 * n : 2 * n); }\n"
    assert verifier.verify(p, f"```cpp\n{wrong}```").status is Status.fail


def test_codecontests_limits_and_labeled_solutions(verifier):
    from pipeline.sources.converters import codecontests_solutions

    row = {**CODECONTESTS_ROW, "time_limit": {"seconds": 1, "nanos": 500000000}, "memory_limit_bytes": 256000000,
           "incorrect_solutions": {"language": [3, 3, 2], "solution": ["print(2 * abs(int(input())))\n", "print(int(input()) + 2)\n", "int main(){}"]}}  # fmt: skip
    p = convert(row, "codecontests")
    assert p.limits.cpu_s == 1.5 and p.limits.memory_mb == 256  # decimal megabytes, as the dataset counts them
    labeled = codecontests_solutions(row, "python")
    assert [correct for _, correct in labeled] == [True, False, False]
    assert [verifier.verify(p, source).passed for source, _ in labeled] == [True, False, False]
    with pytest.raises(ValueError, match="reads or writes files"):
        convert({**row, "input_file": "input.txt"}, "codecontests")
    # unpaired cases were dropped by zip without a word (a red team's find, session 31)
    with pytest.raises(ValueError, match="private_tests has 2 inputs but 1 outputs"):
        convert({**row, "private_tests": {"input": ["1\n", "2\n"], "output": ["2\n"]}}, "codecontests")


# -- Codeforces as open-r1 publishes it ----------------------------------------------------------------

# open-r1's checker contract: `python3 checker.py input answer output`, prints 1 to accept
# (this script is ours, in that shape: any n-letter string of a and b with no "aa" is right).
CF_CHECKER = """import sys

def main(input_path, output_path, submission_path):
    n = int(open(input_path).read().split()[0])
    got = open(submission_path).read().split()
    ok = len(got) == 1 and len(got[0]) == n and set(got[0]) <= {"a", "b"} and "aa" not in got[0]
    print(1 if ok else 0)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
"""
CF_ROW = {
    "id": "9999/A", "contest_id": "9999", "index": "A", "title": "No Two a", "time_limit": 1.0, "memory_limit": 256.0,
    "description": "Print a string of n letters a and b with no two a's next to each other.",
    "input_format": "One integer n (1 <= n <= 100).", "output_format": "The string.",
    "examples": [{"input": "3\n", "output": "aba\n"}], "note": "bbb is right too.", "interaction_format": None,
    "official_tests": [{"input": "3\r\n", "output": "aba\r\n"}, {"input": "1\r\n", "output": "a\r\n"}],
    "official_tests_complete": True, "input_mode": "stdio", "executable": True, "generated_checker": CF_CHECKER,
    "generated_tests": [{"input": "6\n", "output": "ababab\n"}],
}  # fmt: skip


def test_codeforces_rows_with_open_r1_checkers(verifier):
    p = convert(CF_ROW, "codeforces")
    assert isinstance(p.tests, StdioTests) and len(p.tests.cases) == 3 and p.tests.cases[0].stdin == "3\n"
    assert p.limits.cpu_s == 1.0 and p.limits.memory_mb == 256 and "Time limit per test: 1 seconds" in p.prompt
    assert "## Example 1" in p.prompt and "bbb is right too" in p.prompt
    other_answer = "print('b' * int(input()))\n"  # not the expected output, but right: the checker accepts it
    verdict = verifier.verify(p, other_answer)
    assert verdict.passed and "accepted by the checker" in verdict.reason, verdict
    assert verifier.verify(p, "print('a' * int(input()))\n").status is Status.fail
    from verifiers.code.languages import LANGUAGES

    cpp = convert(CF_ROW, "codeforces-cpp")
    assert cpp.language == "cpp" and cpp.tests.checker == p.tests.checker
    if not LANGUAGES["cpp"].missing():
        program = "#include <iostream>\n#include <string>\nint main() { int n; std::cin >> n; std::cout << std::string(n, 'b') << std::endl; }\n"
        assert verifier.verify(cpp, f"```cpp\n{program}```").passed


def test_codeforces_without_a_checker_takes_yes_and_no_in_any_case(verifier):
    row = {**CF_ROW, "generated_checker": None, "generated_tests": None,
           "official_tests": [{"input": "4\n", "output": "YES\naB\n"}, {"input": "3\n", "output": "NO\naB\n"}]}  # fmt: skip
    p = convert(row, "codeforces")
    assert p.tests.checker is None and p.tests.compare == "yes_no_any_case"
    honest = "n = int(input())\nprint('yes' if n % 2 == 0 else 'No')\nprint('aB')\n"
    assert verifier.verify(p, honest).passed
    assert verifier.verify(p, honest.replace("'aB'", "'ab'")).status is Status.fail  # other words keep their case


@pytest.mark.parametrize(
    "change,message",
    [
        ({"interaction_format": "Interact with the jury."}, "interactive"),
        ({"input_mode": "file"}, "reads and writes files"),
        ({"executable": False}, "not executable"),
        ({"official_tests_complete": False, "generated_tests": 12}, "no complete tests"),
    ],
)
def test_codeforces_rows_that_cannot_be_judged_say_why(change, message):
    with pytest.raises(ValueError, match=message):
        convert({**CF_ROW, **change}, "codeforces")


# -- TACO ---------------------------------------------------------------------------------------------

TACO_ROW = json.loads((DATA / "taco_card_row.json").read_text())  # provenance inside


def test_taco_row_from_the_dataset_card(verifier):
    p = convert(TACO_ROW, "taco")
    assert p.problem_id == "https://codeforces.com/problemset/problem/1492/B" and len(p.tests.cases) == 4
    assert p.limits.cpu_s == 1.0 and p.limits.memory_mb == 512  # "1 second", "512 megabytes"
    for solution in json.loads(TACO_ROW["solutions"]):
        assert verifier.verify(p, solution).passed
    assert verifier.verify(p, "for _ in range(int(input())):\n    input()\n    print(input())\n").status is Status.fail


def test_taco_call_rows_and_what_cannot_run():
    call = {"url": "https://www.codewars.com/kata/x", "question": "Make an acronym.", "starter_code": "def make_acronym(s):",
            "input_output": json.dumps({"fn_name": "make_acronym", "inputs": [["My aunt sally"]], "outputs": [["MAS"]]}),
            "solutions": "[]", "time_limit": "2.5 seconds", "memory_limit": None}  # fmt: skip
    p = convert(call, "taco")
    assert isinstance(p.tests, CallTests) and p.tests.cases[0].expected == "MAS" and p.limits.cpu_s == 2.5
    gfg = {**call, "input_output": json.dumps({"inputs": ["n = 5\narr[] = {1,2}"], "outputs": ["3"]}),
           "starter_code": "#User function Template for python3\n\nclass Solution:\n    def minTime(self, arr, n):"}  # fmt: skip
    with pytest.raises(ValueError, match="GeeksforGeeks"):
        convert(gfg, "taco")
    with pytest.raises(ValueError, match="time_limit 'a while'"):
        convert({**call, "time_limit": "a while"}, "taco")


@pytest.mark.parametrize(
    "row,style,message",
    [
        ({"task_id": 1, "text": "x"}, "mbpp", "test_list"),
        ({"problem_id": 1, "question": "q", "input_output": "{not json"}, "apps", "not valid JSON"),
        ({"problem_id": 1, "question": "q", "input_output": {"inputs": [1], "outputs": []}}, "apps", "as many outputs"),
        ({"name": "n", "description": "d"}, "codecontests", "no public"),
        ({"question_id": "q", "question_content": "c"}, "livecodebench", "no test cases"),
        ({"prompt": "p"}, "humaneval", "lacks"),
        ({}, "nope", "unknown dataset style"),
    ],
)
def test_bad_rows_say_what_is_wrong(row, style, message):
    with pytest.raises(ValueError, match=message):
        convert(row, style)


def test_kodcode_row(verifier):
    """A KodCode row as the KodCode authors' pipeline writes it (data/kodcode_row.json, with
    provenance): a pytest file whose tests use the class unimported, as KodCode's harness
    (`from solution import *` first) lets them. The reference passes; a wrong queue fails."""
    row = json.loads((DATA / "kodcode_row.json").read_text())
    p = convert(row, "kodcode")
    assert p.problem_id == "Leetcode_00000000_I" and p.tests.kind == "assert" and p.entry_point is None
    assert p.metadata["subset"] == "Leetcode"
    v = verifier.verify(p, f"```python\n{p.reference_solution}\n```")
    assert v.passed and v.tests_total > 10, v.reason
    wrong = p.reference_solution.replace("return -1", "return 0")
    assert not verifier.verify(p, f"```python\n{wrong}\n```").passed
    for bad in ({**row, "test_code": ""}, {k: v for k, v in row.items() if k != "question"}):
        with pytest.raises(ValueError):
            convert(bad, "kodcode")


def _humanevalplus_row(number: int) -> dict:
    """A HumanEval+ row as EvalPlus ships it, rebuilt from the imported problem (its inputs)."""
    import gzip

    path = Path(__file__).parents[2] / "verifiers/code/external/humanevalplus.jsonl.gz"
    for line in gzip.open(path, "rt", encoding="utf-8"):
        row = json.loads(line)
        if row["problem_id"] == f"HumanEval+/{number}":
            import ast

            inputs = [[ast.literal_eval(a) for a in case["args"]] for case in row["tests"]["cases"]]
            base = len(row["metadata"]["base_input_index"])
            return {"task_id": f"HumanEval/{number}", "prompt": row["prompt"], "entry_point": row["entry_point"],
                    "canonical_solution": row["reference_solution"][len(row["prompt"]):], "base_input": inputs[:base],
                    "plus_input": inputs[base:], "atol": row["metadata"]["atol"]}
    raise KeyError(number)


def test_evalplus_rows_take_expected_values_from_the_canonical_solution(verifier):
    row = _humanevalplus_row(148)  # bf(): returns a tuple of planets
    problem = convert(row, "evalplus")
    assert isinstance(problem.tests, CallTests) and problem.tests.expected_from_reference
    assert len(problem.tests.cases) == len(row["base_input"]) + len(row["plus_input"])
    body = problem.reference_solution[len(problem.prompt):]
    assert verifier.verify(problem, f"```python\n{problem.prompt}{body}```").passed
    as_list = body.replace("return tuple(planets[i1 + 1 : i2])", "return planets[i1 + 1 : i2]")
    assert as_list != body
    v = verifier.verify(problem, problem.prompt + as_list)
    assert v.status is Status.fail and "expected (" in v.reason, v
    with pytest.raises(ValueError, match="special oracle"):
        convert({**row, "entry_point": "find_zero"}, "evalplus")
    with pytest.raises(ValueError, match="lacks base_input"):
        convert({k: v for k, v in row.items() if k != "base_input"}, "evalplus")
