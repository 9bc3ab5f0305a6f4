"""The verifier contract (one sample in, exactly one verdict out) and the `Domain`
record a kind of problem registers in `verifiers.domains`."""

from __future__ import annotations

import abc
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from verifiers.schema import ProblemBase, Status, Verdict
from verifiers.text import lone_surrogate, not_unicode


class Verifier(abc.ABC):
    """Judges one model completion against one problem.

    Contract:
        * `verify` returns a :class:`Verdict` for anything the *sample* does: bad
          syntax, crashes, hangs, cheating attempts, garbage. It never raises for them.
        * Only our own infrastructure failing raises (e.g. `SandboxError`); `verify`
          retries such failures `retries` times and then returns `verifier_error`,
          which is never counted as the sample's fault.
        * `passed` is true only for status `pass`, and only when every expected test
          ran and matched.
        * A completion that is not a string, or not valid Unicode text (a lone surrogate,
          `verifiers.text`), is `no_answer` here, once for every domain, before a subclass
          sees it: it could never be stored, and what was read from it could not be reported.

    A subclass implements `_verify` (one sample) and may override `_verify_many` (a batch);
    the public `verify` and `verify_many` wrap them.
    """

    retries: int = 2

    @abc.abstractmethod
    def _verify(self, problem: object, completion: str) -> Verdict:
        """Judge once; may raise for infrastructure failures."""

    def verify(self, problem: object, completion: str) -> Verdict:
        if unreadable := _not_text(completion):
            return unreadable
        started = time.monotonic()
        error: Exception | None = None
        for _ in range(self.retries + 1):
            try:
                return self._verify(problem, completion)
            except Exception as exc:  # noqa: BLE001 - our failure, never the sample's
                error = exc
        reason = f"verifier failed {self.retries + 1} times: {type(error).__name__}: {error}"
        return Verdict.of(Status.verifier_error, reason, duration_s=time.monotonic() - started)

    def verify_many(self, items: Iterable[tuple[object, str]], workers: int = 2) -> Iterator[Verdict]:
        """Verify (problem, completion) pairs concurrently, yielding verdicts in order."""
        items = list(items)
        screened = [_not_text(completion) for _, completion in items]
        judged = self._verify_many([item for item, no in zip(items, screened) if no is None], workers)
        for verdict in screened:
            yield verdict if verdict is not None else next(judged)

    def _verify_many(self, items: list[tuple[object, str]], workers: int) -> Iterator[Verdict]:
        """Verdicts for readable completions, in order; by default `verify` on a thread pool."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(lambda item: self.verify(*item), items)

    def cut_short(self, verdict: Verdict) -> Verdict:
        """The verdict of a completion the generator cut at max_tokens (finish_reason
        "length"). By default unchanged; a domain whose answer is the text's end overrides it."""
        return verdict

    def close(self) -> None:
        """Release sandboxes and pools."""


def _not_text(completion: object) -> Verdict | None:
    """`no_answer` for a completion that is not a string or holds a lone surrogate, else None."""
    if not isinstance(completion, str):
        return Verdict.of(Status.no_answer, f"the completion is not text but {type(completion).__name__}")
    where = lone_surrogate(completion, "completion")
    return Verdict.of(Status.no_answer, not_unicode(where)) if where else None


@dataclass(frozen=True)
class Domain:
    """A kind of problem Assay judges: its problem model (discriminated by `name` in the
    `domain` field), how to build its verifier on a sandbox, and the modules that
    sandbox's fork server should import once (so each run pays only a fork)."""

    name: str
    problem: type[ProblemBase]
    verifier: Callable[..., Verifier]  # (sandbox, *, self_test: bool, time_limits: TimeLimits | None) -> Verifier
    sandbox_preload: tuple[str, ...] = ()
