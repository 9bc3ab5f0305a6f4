"""Field shapes the code datasets share (APPS, LiveCodeBench, TACO): JSON-in-a-string
columns, a required field under one of several names, starter code, and input/output
lists that become call or stdio tests."""

from __future__ import annotations

import json
from typing import Any

from verifiers.code.problem import CallCase, CallTests, StdioCase, StdioTests


def json_field(value: Any, what: str) -> Any:
    if isinstance(value, (str, bytes)):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ValueError(f"{what} is not valid JSON: {exc}") from exc
    return value


def require(row: dict, *keys: str) -> Any:
    for key in keys:
        if row.get(key) not in (None, ""):
            return row[key]
    raise ValueError(f"row has none of the fields {', '.join(keys)}")


def with_starter(prompt: str, row: dict) -> str:
    """APPS and LiveCodeBench put the function header to complete in `starter_code`."""
    return prompt + "\n\n" + row["starter_code"] if row.get("starter_code") else prompt


def call_or_stdio(inputs: list, outputs: list, fn_name: str | None, unwrap: bool) -> CallTests | StdioTests:
    if len(inputs) != len(outputs) or not inputs:
        raise ValueError(f"need as many outputs as inputs, and at least one ({len(inputs)} vs {len(outputs)})")
    if fn_name:
        cases = []
        for args, expected in zip(inputs, outputs):
            if unwrap and isinstance(expected, list) and len(expected) == 1:
                expected = expected[0]  # APPS wraps each return value in a list
            cases.append(CallCase(args=args if isinstance(args, list) else [args], expected=expected))
        return CallTests(fn_name=fn_name, cases=cases)
    return StdioTests(cases=[StdioCase(stdin=text_of(i), stdout=text_of(o)) for i, o in zip(inputs, outputs)])


def text_of(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value) + "\n"
    return str(value)
