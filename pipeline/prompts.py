"""Chat messages for a problem, from the per-domain templates in `PromptConfig`."""

from __future__ import annotations

import re

from pipeline.generators.config import PromptConfig
from verifiers.schema import ProblemBase


def build_messages(problem: ProblemBase, prompts: PromptConfig) -> list[dict[str, str]]:
    template: str = getattr(prompts, problem.domain)  # one template field per domain
    messages: list[dict[str, str]] = []
    if prompts.system:
        messages.append({"role": "system", "content": prompts.system})
    messages.extend({"role": m["role"], "content": m["content"]} for m in prompts.few_shot)
    # Not str.format: problem prompts are full of braces (code, LaTeX). Only the
    # template's own `{{`/`}}` are unescaped.
    fields = problem.template_fields()
    slot = re.compile(r"(?<!\{)\{(" + "|".join(map(re.escape, fields)) + r")\}(?!\})") if fields else None
    parts = []
    for part in template.split("{prompt}"):
        if slot is not None:
            part = slot.sub(lambda m: fields[m.group(1)].replace("{", "{{").replace("}", "}}"), part)
        parts.append(part.replace("{{", "{").replace("}}", "}"))
    messages.append({"role": "user", "content": problem.prompt.join(parts)})
    return messages
