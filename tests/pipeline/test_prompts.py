from pipeline.generators.config import PromptConfig
from pipeline.prompts import build_messages
from verifiers.math.problem import MathProblem


def test_prompt_braces_survive_and_template_escapes_unescape() -> None:
    problem = MathProblem(problem_id="p", prompt="Find {x} in \\frac{1}{2}", answer="1")
    messages = build_messages(problem, PromptConfig(system="sys", few_shot=[{"role": "user", "content": "hi"}]))
    assert [m["role"] for m in messages] == ["system", "user", "user"]
    assert "Find {x} in \\frac{1}{2}" in messages[-1]["content"]
    assert "\\boxed{...}" in messages[-1]["content"]  # `{{...}}` in the template
