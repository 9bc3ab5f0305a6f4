"""`openai`: any OpenAI-compatible chat endpoint (vLLM, SGLang, llama.cpp server, OpenAI).

Async with bounded concurrency; retries with exponential backoff and full jitter on
408/409/425/429, 500/502/503/504, timeouts and dropped connections; an optional requests-per-minute limit;
`n` samples per request when the server honours it (and one request per sample when it
does not). A request that still fails becomes error rows with the reason.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from pipeline.generators.base import (
    Backend,
    Generation,
    GenerationRequest,
    Generator,
    SampleSlot,
    sampling_params,
)
from pipeline.generators.config import EngineConfig
from pipeline.identity import NOT_IDENTITY

if TYPE_CHECKING:
    from pipeline.generators.registry import GeneratorConfig

RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
MAX_BACKOFF_S = 60.0


_SPEED = NOT_IDENTITY


class OpenAIConfig(EngineConfig):
    """Any OpenAI-compatible endpoint: vLLM, SGLang, llama.cpp server, OpenAI."""

    backend: Literal["openai"] = "openai"
    model: str = Field(min_length=1)
    base_url: str | None = Field(None, description="default: $OPENAI_BASE_URL")
    api_key_env: str = Field("OPENAI_API_KEY", description="environment variable holding the key")
    concurrency: int = Field(32, ge=1, le=4096, description="requests in flight per actor", json_schema_extra=_SPEED)
    actors: int = Field(1, ge=1, json_schema_extra=_SPEED)
    timeout_s: float = Field(120, gt=0, json_schema_extra=_SPEED)
    max_retries: int = Field(5, ge=0, le=50, description="per request, on 408/409/425/429, 500/502/503/504, timeouts and connection errors", json_schema_extra=_SPEED)
    backoff_s: float = Field(1.0, gt=0, description="first retry delay; doubles each retry, with jitter", json_schema_extra=_SPEED)
    requests_per_minute: float | None = Field(None, gt=0, description="per actor", json_schema_extra=_SPEED)
    use_n: bool = Field(True, description="ask for all samples in one request (`n`) when the server supports it", json_schema_extra=_SPEED)
    batch_size: int = Field(16, ge=1, json_schema_extra=_SPEED)


class _RateLimiter:
    """Spaces request starts at least 60/rpm seconds apart."""

    def __init__(self, requests_per_minute: float | None) -> None:
        self.interval = 60.0 / requests_per_minute if requests_per_minute else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self.lock:
            delay = self.next_start - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self.next_start = max(time.monotonic(), self.next_start) + self.interval


class OpenAIGenerator(Generator):
    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__(config)
        engine = config.engine
        assert isinstance(engine, OpenAIConfig)
        self.engine = engine
        self.model_name = engine.model
        self.base_url = engine.base_url or os.environ.get("OPENAI_BASE_URL")
        if not self.base_url:
            raise ValueError("openai backend: set generator.engine.base_url or $OPENAI_BASE_URL")
        # Local servers need no key; the client insists on one.
        self.api_key = os.environ.get(engine.api_key_env) or "no-key"
        self.n_supported = engine.use_n
        self.retries_done = 0
        self._loop = asyncio.new_event_loop()
        self._client = None

    def close(self) -> None:
        if self._client is not None:
            self._loop.run_until_complete(self._client.close())
        self._loop.close()

    def generate(self, requests: list[GenerationRequest]) -> list[Generation]:
        return self._loop.run_until_complete(self._generate_all(requests))

    async def _generate_all(self, requests: list[GenerationRequest]) -> list[Generation]:
        from openai import AsyncOpenAI

        if self._client is None:
            # The client's own retries are off: ours add jitter, count, and honour the config.
            self._client = AsyncOpenAI(
                base_url=self.base_url, api_key=self.api_key, timeout=self.engine.timeout_s, max_retries=0
            )
            self._limiter = _RateLimiter(self.engine.requests_per_minute)
            self._slots = asyncio.Semaphore(self.engine.concurrency)
        # One job per request when `n` is in use, else one per sample; a job failing in
        # an unexpected way fails its own samples, not the batch, and leaves no task behind.
        plan = []
        for request in requests:
            if self.n_supported and len(request.samples) > 1:
                plan.append((request, list(request.samples), self._request_n(request)))
            else:
                plan.extend((request, [slot], self._request_one(request, slot)) for slot in request.samples)
        results = await asyncio.gather(*(job for _, _, job in plan), return_exceptions=True)
        out = []
        for (request, slots, _), result in zip(plan, results, strict=True):
            if isinstance(result, BaseException):
                why = f"unexpected response: {type(result).__name__}: {_short(str(result))}"
                out.extend(self._failed(request, slot, why) for slot in slots)
            else:
                out.extend(result)
        return out

    async def _request_n(self, request: GenerationRequest) -> list[Generation]:
        first = request.samples[0]
        outcome = await self._call(request, n=len(request.samples), seed=first.seed)
        if isinstance(outcome, str):
            return [self._failed(request, slot, outcome) for slot in request.samples]
        response, latency = outcome
        choices = sorted(response.choices or [], key=lambda c: c.index or 0)
        out = [
            # With `n` the server draws every choice from one seed (the first slot's), and
            # that is the seed recorded.
            self._generation(request, slot, choice, response, latency, first.seed, share=len(choices))
            for slot, choice in zip(request.samples, choices)
        ]
        missing = request.samples[len(choices):]
        if missing:
            # The server ignored `n` (some do): ask for the rest one at a time from now on.
            self.n_supported = False
            for more in await asyncio.gather(*(self._request_one(request, slot) for slot in missing)):
                out.extend(more)
        return out

    async def _request_one(self, request: GenerationRequest, slot: SampleSlot) -> list[Generation]:
        outcome = await self._call(request, n=1, seed=slot.seed)
        if isinstance(outcome, str):
            return [self._failed(request, slot, outcome)]
        response, latency = outcome
        if not response.choices:
            return [self._failed(request, slot, "endpoint returned no choices")]
        return [self._generation(request, slot, response.choices[0], response, latency, slot.seed)]

    async def _call(self, request: GenerationRequest, n: int, seed: int):
        """(response, latency) or the reason it failed after all retries."""
        import openai

        sampling = self.config.sampling
        kwargs = dict(
            model=self.engine.model,
            messages=request.messages,
            temperature=sampling.temperature,
            top_p=sampling.top_p,
            max_tokens=sampling.max_tokens,
            seed=seed,
        )
        if n > 1:
            kwargs["n"] = n
        if sampling.stop.get(request.domain):
            kwargs["stop"] = sampling.stop[request.domain]
        attempts = self.engine.max_retries + 1
        reason = ""
        retry_after = 0.0
        for attempt in range(attempts):
            if attempt:
                self.retries_done += 1
                # Full jitter (a herd of actors must not retry in lockstep), capped; a
                # server's Retry-After is a floor.
                delay = random.uniform(0, min(MAX_BACKOFF_S, self.engine.backoff_s * 2 ** (attempt - 1)))
                await asyncio.sleep(max(delay, min(retry_after, MAX_BACKOFF_S)))
                retry_after = 0.0
            async with self._slots:
                await self._limiter.wait()
                started = time.perf_counter()
                try:
                    response = await self._client.chat.completions.create(**kwargs)
                    return response, time.perf_counter() - started
                except openai.APIStatusError as exc:
                    reason = f"HTTP {exc.status_code}: {_short(exc.message)}"
                    if exc.status_code not in RETRYABLE_STATUS:
                        return reason
                    retry_after = _retry_after(exc.response.headers.get("retry-after"))
                except openai.APITimeoutError:
                    reason = f"timed out after {self.engine.timeout_s:g}s"
                except openai.APIConnectionError as exc:
                    reason = f"connection failed: {_short(str(exc.__cause__ or exc))}"
                except Exception as exc:  # noqa: BLE001 - malformed responses and the like
                    return f"{type(exc).__name__}: {_short(str(exc))}"
        return f"{reason} (after {attempts} attempts)"

    def _generation(self, request, slot, choice, response, latency, seed, share: int = 1) -> Generation:
        usage = response.usage
        prompt_tokens = (usage.prompt_tokens or 0) if usage else 0
        completion_tokens = (usage.completion_tokens or 0) if usage else 0
        return self._row(
            request,
            slot,
            completion=_content(choice),
            finish_reason=getattr(choice, "finish_reason", None),
            model=response.model or self.engine.model,
            sampling=sampling_params(self.config.sampling, seed),
            # With `n`, the prompt is shared and the completion tokens are the total.
            prompt_tokens=prompt_tokens // share,
            completion_tokens=completion_tokens // share,
            latency_s=latency,
        )


def _content(choice) -> str:
    message = getattr(choice, "message", None)
    return (getattr(message, "content", None) or "") if message is not None else ""


def _retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (numeric form only; dates are ignored)."""
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


BACKEND = Backend(config=OpenAIConfig, generator=OpenAIGenerator)
