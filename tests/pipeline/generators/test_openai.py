"""The openai backend against real servers: llama_cpp.server with the embedded model, and
a local HTTP server the test controls that fails in every way endpoints fail."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.generators.base import GenerationRequest, SampleSlot
from pipeline.generators.config import SamplingConfig
from pipeline.generators.openai_compat import OpenAIConfig, OpenAIGenerator
from pipeline.generators.registry import GeneratorConfig


def _requests(problems: int, n: int) -> list[GenerationRequest]:
    return [
        GenerationRequest(
            source="t", problem_id=f"p{p}", domain="math",
            messages=[{"role": "user", "content": f"What is {p} + 1? Answer with a number."}],
            samples=[SampleSlot(index=i, sample_id=f"p{p}-{i}", seed=100 + i) for i in range(n)],
        )
        for p in range(problems)
    ]  # fmt: skip


def _generator(base_url: str, **engine) -> OpenAIGenerator:
    defaults = {"model": "smollm2", "base_url": base_url, "backoff_s": 0.01, "timeout_s": 30}
    config = GeneratorConfig(engine=OpenAIConfig(**(defaults | engine)), sampling=SamplingConfig(max_tokens=16, n=2))
    return OpenAIGenerator(config)


def _assert_one_per_slot(out, requests) -> None:
    expected = sorted(slot.sample_id for r in requests for slot in r.samples)
    assert sorted(g.sample_id for g in out) == expected  # nothing lost, nothing duplicated


# --------------------------------------------------------------------------- a real server


def test_real_llama_cpp_server(llama_server) -> None:
    generator = _generator(llama_server, concurrency=4)
    requests = _requests(3, 2)
    out = generator.generate(requests)
    generator.close()
    _assert_one_per_slot(out, requests)
    for g in out:
        assert g.error is None, g.error
        assert g.completion.strip() and g.completion_tokens > 0 and g.prompt_tokens > 0
        assert g.model and g.latency_s > 0


# --------------------------------------------------------------------------- a faulty server


class Faulty:
    """Scripted behaviour per request: 'ok', 500, 429, 400, 'hang', 'drop'."""

    def __init__(self, script) -> None:
        self.script = script
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.n_seen: list[int] = []

        faulty = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = body["messages"][-1]["content"]
                with faulty.lock:
                    attempt = faulty.calls[key]
                    faulty.calls[key] += 1
                    faulty.n_seen.append(body.get("n", 1))
                action = faulty.script(key, attempt)
                if action == "hang":
                    time.sleep(3)
                    return
                if action == "drop":
                    self.connection.shutdown(2)
                    return
                if action == "surrogate":  # legal JSON that decodes to a lone surrogate
                    content = "The answer is \\boxed{1} \udcff"
                    self.reply(200, {"id": "x", "object": "chat.completion", "created": 0, "model": "faulty",
                                     "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]})  # fmt: skip
                    return
                if action in ("no-choices", "no-message"):
                    choices = None if action == "no-choices" else [{"index": 0, "finish_reason": "stop", "message": None}]
                    self.reply(200, {"id": "x", "object": "chat.completion", "created": 0, "model": "faulty", "usage": None, "choices": choices})
                    return
                if action != "ok":
                    headers = {"Retry-After": "0.6"} if action == 429 else {}
                    self.reply(action, {"error": {"message": f"scripted {action}"}}, headers)
                    return
                n = body.get("n", 1) if faulty.honour_n else 1
                self.reply(200, {
                    "id": "x", "object": "chat.completion", "created": 0, "model": "faulty",
                    "choices": [{"index": i, "finish_reason": "stop", "message": {"role": "assistant", "content": f"answer {i} to {key}"}} for i in range(n)],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 4 * n, "total_tokens": 10 + 4 * n},
                })  # fmt: skip

            def reply(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.honour_n = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def faulty():
    servers = []

    def make(script):
        servers.append(Faulty(script))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.mark.parametrize("failure", [500, 429, 503, "drop"])
def test_transient_failures_are_retried_then_succeed(faulty, failure) -> None:
    server = faulty(lambda key, attempt: failure if attempt < 2 else "ok")
    generator = _generator(server.url, max_retries=3)
    requests = _requests(4, 2)
    out = generator.generate(requests)
    _assert_one_per_slot(out, requests)
    assert all(g.error is None and g.completion.startswith("answer") for g in out)
    assert set(server.calls.values()) == {3}  # two failures, then success, per request
    assert generator.retries_done == 8


@pytest.mark.parametrize(
    ("failure", "reason"),
    [(500, "HTTP 500"), (429, "HTTP 429"), ("hang", "timed out"), ("drop", "connection failed")],
)
def test_persistent_failures_become_error_rows_with_reasons(faulty, failure, reason) -> None:
    server = faulty(lambda key, attempt: failure)
    generator = _generator(server.url, max_retries=2, timeout_s=0.5)
    requests = _requests(3, 2)
    out = generator.generate(requests)
    _assert_one_per_slot(out, requests)
    for g in out:
        assert g.completion is None and reason in g.error and "after 3 attempts" in g.error
    assert set(server.calls.values()) == {3}


def test_client_errors_are_not_retried(faulty) -> None:
    server = faulty(lambda key, attempt: 400)
    generator = _generator(server.url, max_retries=5)
    out = generator.generate(_requests(2, 2))
    assert all("HTTP 400" in g.error for g in out)
    assert set(server.calls.values()) == {1}


def test_one_bad_problem_does_not_spoil_the_others(faulty) -> None:
    server = faulty(lambda key, attempt: 500 if "What is 1 " in key else "ok")
    generator = _generator(server.url, max_retries=1)
    requests = _requests(3, 2)
    out = generator.generate(requests)
    _assert_one_per_slot(out, requests)
    assert {g.problem_id for g in out if g.error} == {"p1"}
    assert {g.problem_id for g in out if g.completion} == {"p0", "p2"}


def test_servers_that_ignore_n_get_one_request_per_sample(faulty) -> None:
    server = faulty(lambda key, attempt: "ok")
    server.honour_n = False
    generator = _generator(server.url)
    requests = _requests(2, 3)
    out = generator.generate(requests)
    _assert_one_per_slot(out, requests)
    assert all(g.error is None for g in out)
    assert generator.n_supported is False
    assert generator.generate(_requests(1, 2)) and server.n_seen[-1] == 1  # no more `n` after that


def test_dead_endpoint_yields_errors_not_a_crash() -> None:
    from tests.pipeline.generators.conftest import free_port

    generator = _generator(f"http://127.0.0.1:{free_port()}/v1", max_retries=1)
    out = generator.generate(_requests(2, 2))
    assert len(out) == 4 and all("connection failed" in g.error for g in out)


def test_concurrency_is_bounded_and_rate_limit_spaces_requests(faulty) -> None:
    in_flight = {"now": 0, "max": 0}
    lock = threading.Lock()

    def script(key, attempt):
        with lock:
            in_flight["now"] += 1
            in_flight["max"] = max(in_flight["max"], in_flight["now"])
        time.sleep(0.05)
        with lock:
            in_flight["now"] -= 1
        return "ok"

    server = faulty(script)
    generator = _generator(server.url, concurrency=3, use_n=False)
    generator.generate(_requests(6, 2))
    assert in_flight["max"] == 3
    limited = _generator(server.url, requests_per_minute=600, use_n=False)  # one per 0.1 s
    started = time.monotonic()
    limited.generate(_requests(3, 2))
    assert time.monotonic() - started >= 0.45


def test_malformed_responses_fail_only_their_own_samples(faulty) -> None:
    script = {"What is 0 ": "no-choices", "What is 1 ": "no-message"}
    server = faulty(lambda key, attempt: next((v for k, v in script.items() if k in key), "ok"))
    generator = _generator(server.url, use_n=False)
    requests = _requests(3, 2)
    out = generator.generate(requests)
    _assert_one_per_slot(out, requests)
    by_problem = {g.problem_id: g for g in out}
    assert by_problem["p0"].error == "endpoint returned no choices"
    assert by_problem["p1"].error is None and by_problem["p1"].completion == ""  # an empty answer, judged later
    assert by_problem["p2"].completion.startswith("answer")
    assert generator.generate(_requests(1, 1))  # the loop is clean for the next batch


def test_retry_after_is_honoured(faulty) -> None:
    server = faulty(lambda key, attempt: 429 if attempt == 0 else "ok")
    generator = _generator(server.url, max_retries=2, backoff_s=0.001)
    started = time.monotonic()
    out = generator.generate(_requests(1, 1))
    assert out[0].error is None and time.monotonic() - started >= 0.6


def test_a_lone_surrogate_from_the_endpoint_is_escaped_and_flagged_not_a_crash(faulty) -> None:
    server = faulty(lambda key, attempt: "surrogate" if "What is 0 " in key else "ok")
    generator = _generator(server.url, use_n=False)
    requests = _requests(2, 1)
    out = generator.generate(requests)
    _assert_one_per_slot(out, requests)
    bad = next(g for g in out if g.problem_id == "p0")
    assert bad.error is None and bad.completion == "The answer is \\boxed{1} \\udcff"  # escaped, visible
    assert "lone surrogate, U+DCFF at character 24 of completion" in bad.unstorable
    assert json.loads(bad.model_dump_json())["completion"] == bad.completion  # serialisable now
    assert next(g for g in out if g.problem_id == "p1").unstorable is None
