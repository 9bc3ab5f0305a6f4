from pipeline.generators.config import PromptConfig
from pipeline.prompts import build_messages
from verifiers.math.problem import MathProblem


def test_prompt_braces_survive_and_template_escapes_unescape() -> None:
    problem = MathProblem(problem_id="p", prompt="Find {x} in \\frac{1}{2}", answer="1")
    messages = build_messages(problem, PromptConfig(system="sys", few_shot=[{"role": "user", "content": "hi"}]))
    assert [m["role"] for m in messages] == ["system", "user", "user"]
    assert "Find {x} in \\frac{1}{2}" in messages[-1]["content"]
    assert "\\boxed{...}" in messages[-1]["content"]  # `{{...}}` in the template


def test_code_prompts_name_the_problems_language() -> None:
    from verifiers.code.problem import CodeProblem, StdioCase, StdioTests

    tests = StdioTests(cases=[StdioCase(stdin="1 2", stdout="3")])
    python = CodeProblem(problem_id="a", prompt="Add {a} and {b}.", tests=tests)
    cpp = CodeProblem(problem_id="b", prompt="Add {language} and {b}.", language="cpp", tests=tests)
    assert "Complete the following Python task" in build_messages(python, PromptConfig())[-1]["content"]
    assert "```python fenced" in build_messages(python, PromptConfig())[-1]["content"]
    content = build_messages(cpp, PromptConfig())[-1]["content"]
    assert "Complete the following C++ task" in content and "```cpp fenced" in content
    assert content.endswith("Add {language} and {b}.")  # the problem's own text is never filled in
    escaped = PromptConfig(code="Keep {{language}} as written, answer in {language}: {prompt}")
    assert build_messages(cpp, escaped)[-1]["content"].startswith("Keep {language} as written, answer in C++:")
