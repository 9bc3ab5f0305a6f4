"""The HumanEval set through the code verifier: canonical solutions pass, broken ones never."""

from __future__ import annotations

import ast
import collections

from pipeline.sources.humaneval import humaneval_problems
from verifiers.schema import Status


def test_builtin_humaneval_has_164_valid_problems():
    problems = humaneval_problems()
    assert len(problems) == 164 and len({p.problem_id for p in problems}) == 164
    assert all(p.entry_point and p.reference_solution and p.tests.kind == "assert" for p in problems)


def test_all_canonical_solutions_pass(verifier, humaneval):
    items = [(p, p.reference_solution) for p in humaneval.values()]
    verdicts = list(verifier.verify_many(items))
    failures = {p.problem_id: v.reason for (p, _), v in zip(items, verdicts) if not v.passed}
    assert failures == {}
    assert all(v.tests_total >= 1 and v.tests_passed == v.tests_total for v in verdicts)


def test_bodyless_solutions_never_pass(verifier, humaneval):
    verdicts = list(verifier.verify_many([(p, "    pass\n") for p in humaneval.values()]))
    assert not any(v.passed for v in verdicts)
    assert {v.status for v in verdicts} <= {Status.fail, Status.runtime_error}


_SWAPS = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
          ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv}


class _MutateFirst(ast.NodeTransformer):
    """Swap the first comparison or arithmetic operator in the function body."""

    def __init__(self) -> None:
        self.done = False

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        if not self.done and type(node.ops[0]) in _SWAPS:
            node.ops[0] = _SWAPS[type(node.ops[0])]()
            self.done = True
        return self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        if not self.done and type(node.op) in _SWAPS:
            node.op = _SWAPS[type(node.op)]()
            self.done = True
        return self.generic_visit(node)


def _mutant(problem) -> str | None:
    tree = ast.parse(problem.prompt + problem.reference_solution)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == problem.entry_point)
    mutator = _MutateFirst()
    mutator.visit(fn)
    return ast.unparse(tree) if mutator.done else None


def test_operator_mutants_fail(verifier, humaneval):
    mutants = [(p, m) for p in humaneval.values() if (m := _mutant(p))]
    verdicts = list(verifier.verify_many(mutants))
    statuses = collections.Counter(v.status for v in verdicts)
    survivors = [p.problem_id for (p, _), v in zip(mutants, verdicts) if v.passed]
    assert len(mutants) >= 130
    # a few first-operator swaps are equivalent (e.g. in dead or symmetric code); the rest must die
    assert len(survivors) <= 0.05 * len(mutants), (survivors, statuses)
