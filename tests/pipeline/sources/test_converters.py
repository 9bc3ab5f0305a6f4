"""Dataset-shape converters, each on a small fixture row, verified end to end."""

from __future__ import annotations

import json

import pytest

from pipeline.sources.converters import convert
from verifiers.code.problem import AssertTests, CallTests, StdioTests
from verifiers.schema import Status

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
