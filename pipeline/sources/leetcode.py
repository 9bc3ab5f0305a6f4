"""LeetCodeDataset rows (newfacade/LeetCodeDataset: `task_id`, `query`, `prompt`,
`completion`, `entry_point`, `test`), style `leetcode`.

The dataset's harness runs `prompt + completion + test` and then `check(entry_point)`:
its `prompt` is not what the model sees but a preamble (`from typing import *`, the
`ListNode`/`TreeNode` classes and the `list_node`/`is_same_list` helpers the tests use).
Here it becomes the problem's `preamble`; the model's prompt is the dataset's `query`
(the statement and the `class Solution` starter).
"""

from __future__ import annotations

import re

from pipeline.sources.shapes import require
from verifiers.code.problem import AssertTests, CodeProblem

_ENTRY_POINT = re.compile(r"(?:Solution\(\)\.)?([A-Za-z_]\w*)")


def from_leetcode_row(row: dict) -> CodeProblem:
    entry = _ENTRY_POINT.fullmatch(str(require(row, "entry_point")).strip())
    if entry is None:
        raise ValueError(f"entry_point must be `Solution().name` or a name, not {str(row['entry_point'])[:80]!r}")
    test = require(row, "test")
    if "def check(" not in test:
        raise ValueError("test must define check(candidate)")
    meta = row.get("meta") if isinstance(row.get("meta"), dict) else {}
    return CodeProblem(
        problem_id=str(require(row, "task_id", "question_id")),
        prompt=require(row, "query"),
        preamble=row.get("prompt") or None,
        entry_point=entry.group(1),
        tests=AssertTests(code=test),
        reference_solution=row.get("completion") or None,
        metadata={"source": "leetcode", "difficulty": meta.get("difficulty"), "question_id": meta.get("question_id")},
    )
