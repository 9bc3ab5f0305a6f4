"""Code that runs *inside* the sandbox for the code verifier (stdlib only, import-light).

Two roles, never in one process:

* `serve_candidate()` runs in the candidate's process: it imports the candidate's
  solution as module `solution` (so `if __name__ == "__main__"` blocks do not run),
  then answers calls `{"fn", "args", "kwargs"}` one JSON line at a time with the
  return value encoded as plain data, or the exception's type and message.
* `judge_main()` runs in the judge process (test code and its expected values live
  only there): it executes HumanEval/MBPP-style test code against proxies that forward
  calls to the candidate, counts every `assert` executed, and prints one JSON report.

Values cross as tagged JSON built from exact builtin types only: an object with a
custom `__eq__`, a subclass of int/str/list, a generator or any other non-plain value
arrives as `Opaque`, which refuses every comparison, so it can never satisfy a test.
Nothing here decides a verdict: the parent does, from the plain data it receives.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import json
import math
import os
import sys

MAX_DEPTH = 100
_SCALARS = (type(None), bool, int, str)


class Opaque:
    """Stands for a value that was not plain data. It equals nothing, not even itself."""

    __slots__ = ("type_name",)

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def _refuse(self, *_a: object) -> bool:
        raise TypeError(f"candidate returned a non-plain {self.type_name} value")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __len__ = __iter__ = _refuse
    __hash__ = object.__hash__  # by identity: may sit in a set, equals nothing

    def __repr__(self) -> str:
        return f"<non-plain {self.type_name}>"


def encode(value: object, depth: int = 0) -> object:
    """Plain data to tagged JSON; exact types only (subclasses are not plain)."""
    t = type(value)
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "too deep"}
    if t in _SCALARS:
        if t is int and abs(value) > 10**4000:  # type: ignore[arg-type]
            return {"t": "bigint", "v": hex(value)}  # type: ignore[arg-type]
        return value
    if t is float:
        if math.isfinite(value):  # type: ignore[arg-type]
            return {"t": "float", "v": value}
        return {"t": "float", "v": repr(value)}
    if t is list:
        return [encode(v, depth + 1) for v in value]  # type: ignore[attr-defined]
    if t is tuple:
        return {"t": "tuple", "v": [encode(v, depth + 1) for v in value]}  # type: ignore[attr-defined]
    if t in (set, frozenset):
        return {"t": t.__name__, "v": [encode(v, depth + 1) for v in value]}  # type: ignore[attr-defined]
    if t is dict:
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}  # type: ignore[attr-defined]
    if t is bytes:
        return {"t": "bytes", "v": value.hex()}  # type: ignore[attr-defined]
    if t is complex:
        return {"t": "complex", "v": [value.real, value.imag]}  # type: ignore[attr-defined]
    return {"t": "opaque", "type": getattr(t, "__name__", "?")[:100]}


def decode(obj: object) -> object:
    """Tagged JSON back to plain values (in the judge, or in the parent)."""
    if obj is None or type(obj) in (bool, int, str, float):
        return obj
    if type(obj) is list:
        return [decode(v) for v in obj]
    if type(obj) is dict:
        tag, v = obj.get("t"), obj.get("v")
        if tag == "float":
            return float(v)
        if tag == "bigint":
            return int(v, 16)
        if tag == "tuple":
            return tuple(decode(x) for x in v)
        if tag == "set":
            return {decode(x) for x in v}
        if tag == "frozenset":
            return frozenset(decode(x) for x in v)
        if tag == "dict":
            return {decode(k): decode(x) for k, x in v}
        if tag == "bytes":
            return bytes.fromhex(v)
        if tag == "complex":
            return complex(v[0], v[1])
        return Opaque(str(obj.get("type", "?")))
    return Opaque(type(obj).__name__)


# --------------------------------------------------------------------------- candidate side


def serve_candidate(calls_fd: int = 0, replies_fd: int | None = None) -> None:
    """Load solution.py from the working directory (the sandbox's scratch dir) and answer
    calls until the caller closes the channel.

    With `replies_fd` None the replies go to the original stdout (the candidate's own
    prints are sent to stderr instead, so they cannot interleave with replies).
    """
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    if replies_fd is None:
        replies_fd = os.dup(1)
        os.dup2(2, 1)
    out = os.fdopen(replies_fd, "w", encoding="utf-8", errors="surrogatepass")
    inp = os.fdopen(calls_fd, "r", encoding="utf-8", errors="surrogatepass")

    def send(message: dict) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    try:
        spec = importlib.util.spec_from_file_location("solution", os.path.abspath("solution.py"))
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules["solution"] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    except BaseException as exc:  # noqa: BLE001 - reported as data, then we stop
        send({"load_error": _describe(exc)})
        return
    names = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("__"))
    solution = getattr(module, "Solution", None)
    if isinstance(solution, type):
        names += sorted(n for n in vars(solution) if not n.startswith("_") and n not in names)
    send({"loaded": names})
    for line in inp:
        try:
            call = json.loads(line)
            fn = _resolve(module, call["fn"])
            value = fn(*decode(call["args"]), **decode(call["kwargs"]))  # type: ignore[arg-type]
            reply = {"value": encode(value)}
        except BaseException as exc:  # noqa: BLE001 - the candidate's failure, as data
            if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                reply = {"raised": type(exc).__name__, "message": "exited during a call"}
                send(reply)
                raise
            reply = {"raised": type(exc).__name__, "message": _describe(exc)}
        send(reply)


def _resolve(module: object, name: str) -> object:
    """A module-level function, or a method of `Solution()` (LeetCode-style starters)."""
    if hasattr(module, name):
        return getattr(module, name)
    solution = getattr(module, "Solution", None)
    if isinstance(solution, type) and hasattr(solution, name):
        return getattr(solution(), name)
    raise AttributeError(f"the solution defines no {name}()")


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, SyntaxError):
        text += f" (line {exc.lineno})"
    return text[:500]


# --------------------------------------------------------------------------- judge side


_CONTROL_FLOW = (StopIteration, StopAsyncIteration, GeneratorExit, AssertionError)


class CandidateCallError(Exception):
    """The candidate raised an exception type that is not a builtin one."""


class _Channel:
    def __init__(self, calls_fd: int, replies_fd: int) -> None:
        self.calls = os.fdopen(calls_fd, "w", encoding="utf-8", errors="surrogatepass")
        self.replies = os.fdopen(replies_fd, "r", encoding="utf-8", errors="surrogatepass")

    def receive(self) -> dict:
        line = self.replies.readline()
        if not line:
            raise CandidateCallError("the candidate's process ended")
        message = json.loads(line)
        if type(message) is not dict:
            raise CandidateCallError("the candidate sent something other than a reply")
        return message

    def call(self, fn: str, args: tuple, kwargs: dict) -> object:
        try:
            self.calls.write(json.dumps({"fn": fn, "args": encode(list(args)), "kwargs": encode(kwargs)}) + "\n")
            self.calls.flush()
        except (BrokenPipeError, OSError) as exc:
            raise CandidateCallError("the candidate's process ended") from exc
        reply = self.receive()
        if "raised" in reply:
            name, message = str(reply.get("raised")), str(reply.get("message", ""))
            cls = getattr(builtins, name, None)
            # StopIteration & co. would end the test code's own loops (map, filter, all):
            # only ordinary errors are re-raised as themselves.
            if isinstance(cls, type) and issubclass(cls, Exception) and not issubclass(cls, _CONTROL_FLOW):
                try:
                    raise cls(message)
                except TypeError:
                    pass
            raise CandidateCallError(message)
        return decode(reply.get("value"))


class _Proxy:
    def __init__(self, channel: _Channel, name: str) -> None:
        self._channel, self.__name__ = channel, name

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._channel.call(self.__name__, args, kwargs)


class _CountAsserts(ast.NodeTransformer):
    """`assert x, msg` -> `__assay_assert__(lambda: (x), line)`: every assert executed is
    one test; a failing one is recorded and the test code goes on."""

    def visit_Assert(self, node: ast.Assert) -> ast.Expr:  # noqa: N802
        thunk = ast.Lambda(
            args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=node.test
        )
        call = ast.Call(
            func=ast.Name(id="__assay_assert__", ctx=ast.Load()),
            args=[thunk, ast.Constant(node.lineno)],
            keywords=[],
        )
        return ast.copy_location(ast.Expr(value=call), node)


def _names_read(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _names_defined(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in n.names)
        elif isinstance(n, ast.arg):
            out.add(n.arg)
    return out


def _test_namespace(spec: dict, exported: set[str], channel: _Channel, assay_assert: object) -> dict:
    """Globals for the test code: the trusted prompt's helpers (in their own clean
    globals), and proxies for exactly the candidate functions the tests call.

    A proxy never stands for a builtin, a name the tests define themselves, or a helper
    of the prompt: a candidate exporting `abs`, `sum`, `len` or `set` must not change
    what the test code computes.
    """
    entry = spec.get("entry_point")
    tests = ast.parse(spec["test_code"])
    trusted: dict = {"__name__": "__assay_prompt__"}
    source = spec.get("trusted_code") or ""
    if source:
        try:
            exec(compile(source, "<prompt>", "exec"), trusted)  # noqa: S102 - the problem's own text
        except Exception:  # noqa: BLE001 - a prompt that is not code defines nothing
            trusted = {"__name__": "__assay_prompt__"}
    prompt_names = {n for n in trusted if not n.startswith("__")}
    wanted = _names_read(tests) - set(dir(builtins)) - _names_defined(tests) - prompt_names
    proxied = {n for n in wanted if n in exported}
    if entry:
        proxied.add(entry)
    namespace: dict = {"__name__": "__assay_tests__"}
    namespace.update({n: v for n, v in trusted.items() if n in prompt_names})
    for name in proxied:
        proxy = _Proxy(channel, name)
        namespace[name] = proxy
        if name in trusted:
            trusted[name] = proxy  # a prompt helper calling the entry point reaches the candidate
    namespace["__assay_assert__"] = assay_assert
    return namespace


def judge_main() -> None:
    """Run the test code in this (judge) process; print one JSON report on stdout."""
    spec = json.loads(sys.stdin.read())
    report: dict = {"passed": 0, "total": 0, "failures": [], "error": None}
    channel = _Channel(3, 4)
    test_lines = spec["test_code"].split("\n")

    def record(ok: bool, line: int, why: str) -> None:
        report["total"] += 1
        if ok:
            report["passed"] += 1
        elif len(report["failures"]) < 5:
            source = test_lines[line - 1].strip() if 0 < line <= len(test_lines) else ""
            report["failures"].append({"line": line, "source": source[:200], "why": why[:300]})

    def assay_assert(thunk: object, line: int) -> None:
        try:
            ok = bool(thunk())  # type: ignore[operator]
            record(ok, line, "assertion failed")
        except CandidateCallError as exc:
            record(False, line, f"candidate error: {exc}")
        except Exception as exc:  # noqa: BLE001 - includes exceptions re-raised from the candidate
            record(False, line, f"{type(exc).__name__}: {exc}")

    try:
        hello = channel.receive()
        if "load_error" in hello:
            report["error"] = {"kind": "load", "message": str(hello["load_error"])[:500]}
        else:
            exported = {n for n in hello.get("loaded", []) if isinstance(n, str) and n.isidentifier() and not n.startswith("_")}
            namespace = _test_namespace(spec, exported, channel, assay_assert)
            names = sorted(exported)
            tree = _CountAsserts().visit(ast.parse(spec["test_code"]))
            ast.fix_missing_locations(tree)
            exec(compile(tree, "<tests>", "exec"), namespace)  # noqa: S102 - the problem's own test code
            entry = spec.get("entry_point")
            if entry and callable(namespace.get("check")):
                if entry not in names:
                    report["error"] = {"kind": "missing", "message": f"the solution defines no {entry}()"}
                else:
                    namespace["check"](_Proxy(channel, entry))
    except CandidateCallError as exc:
        report["error"] = {"kind": "candidate", "message": str(exc)[:500]}
    except Exception as exc:  # noqa: BLE001 - outside an assert: the test code could not go on
        report["error"] = {"kind": "tests", "message": f"{type(exc).__name__}: {exc}"[:500]}
    try:
        channel.calls.close()  # the candidate sees EOF and exits
    except OSError:
        pass
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()
