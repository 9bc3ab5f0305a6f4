"""`builtin:code-easy`: a dozen one-line Python functions with assert tests and references.

HumanEval is too hard for the embedded 135M-parameter model, so a first run on it keeps
no training row at all. These tasks are ones it solves some of the time, which is what
the quickstart needs to show the whole path from a prompt to a passing row in `data/`.
"""

from __future__ import annotations

from verifiers.code.problem import AssertTests, CodeLimits, CodeProblem

# (name, signature, what it does, reference body, assert lines)
_TASKS = [
    ("add", "a, b", "returns the sum of `a` and `b`", "return a + b", ["add(2, 3) == 5", "add(-1, 1) == 0", "add(0, 0) == 0"]),
    ("square", "x", "returns `x * x`", "return x * x", ["square(3) == 9", "square(-2) == 4", "square(0) == 0"]),
    ("is_even", "n", "returns True if `n` is even, else False", "return n % 2 == 0",
     ["is_even(4) is True", "is_even(7) is False", "is_even(0) is True"]),
    ("reverse_string", "s", "returns the string `s` reversed", "return s[::-1]",
     ["reverse_string('abc') == 'cba'", "reverse_string('') == ''"]),
    ("maximum", "items", "returns the largest number in the list `items`", "return max(items)",
     ["maximum([1, 5, 3]) == 5", "maximum([-2, -7]) == -2"]),
    ("length", "items", "returns the number of elements in the list `items`", "return len(items)",
     ["length([1, 2, 3]) == 3", "length([]) == 0"]),
    ("double", "x", "returns `x` multiplied by 2", "return 2 * x", ["double(4) == 8", "double(-3) == -6"]),
    ("to_upper", "s", "returns the string `s` in upper case", "return s.upper()",
     ["to_upper('abc') == 'ABC'", "to_upper('A1b') == 'A1B'"]),
    ("sum_list", "items", "returns the sum of the numbers in the list `items`", "return sum(items)",
     ["sum_list([1, 2, 3]) == 6", "sum_list([]) == 0"]),
    ("is_positive", "x", "returns True if `x` is greater than zero, else False", "return x > 0",
     ["is_positive(3) is True", "is_positive(-1) is False", "is_positive(0) is False"]),
    ("last", "items", "returns the last element of the non-empty list `items`", "return items[-1]",
     ["last([1, 2, 3]) == 3", "last(['a']) == 'a'"]),
    ("absolute", "x", "returns the absolute value of the number `x`", "return abs(x)",
     ["absolute(-4) == 4", "absolute(2) == 2"]),
]


def code_easy_problems() -> list[CodeProblem]:
    return [
        CodeProblem(
            problem_id=f"code-easy/{name}",
            prompt=f"Write a Python function `{name}({args})` that {what}.",
            entry_point=name,
            tests=AssertTests(code="".join(f"assert {line}\n" for line in asserts)),
            reference_solution=f"def {name}({args}):\n    {body}\n",
            limits=CodeLimits(cpu_s=2, memory_mb=256),
            metadata={"source": "code-easy"},
        )
        for name, args, what, body, asserts in _TASKS
    ]
