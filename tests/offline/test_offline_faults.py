"""Every fault kind, over the real server and through the in-process transport."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx2
import pytest

from or_magics.offline import DEFAULT_BASE_URL, SimulatorTransport
from or_magics.offline.server import ServerThread

from .helpers import AUTH, content_of, data_chunks, parse_sse

BODY = {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Tell me a story"}]}


def _post(
    client: httpx2.Client, knobs: dict[str, Any] | None = None, **extra: Any
) -> httpx2.Response:
    headers = {"X-Simulator": json.dumps(knobs)} if knobs else {}
    return client.post("/chat/completions", json={**BODY, **extra}, headers=headers)


@pytest.mark.parametrize(
    "status", [400, 401, 402, 403, 404, 408, 413, 429, 500, 502, 503, 524, 529]
)
def test_status_faults_have_realistic_bodies(client: httpx2.Client, status: int) -> None:
    response = _post(client, {"status": status})
    assert response.status_code == status
    assert response.headers["x-simulator"] == "or_magics"
    body = response.json()
    assert body["error"]["code"] == status
    assert body["error"]["message"]
    assert ("user_id" in body) == (status != 401)
    if status == 402:
        assert "requires more credits" in body["error"]["message"]
    if status == 403:
        assert set(body["error"]["metadata"]) >= {"reasons", "flagged_input", "model_slug"}
    if status in (502, 529):
        metadata = body["error"]["metadata"]
        assert body["error"]["message"] == "Provider returned error"
        assert json.loads(metadata["raw"])["error"]
        assert metadata["provider_name"] == "OpenAI"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_header_and_metadata(client: httpx2.Client, status: int) -> None:
    response = _post(client, {"status": status, "retry_after": 7})
    assert response.headers["retry-after"] == "7"
    assert response.json()["error"]["metadata"]["retry_after_seconds"] == 7


def test_provider_error_style(client: httpx2.Client) -> None:
    response = _post(
        client,
        {
            "status": 400,
            "provider_error": "Google AI Studio",
            "message": "Unsupported value: 'none'",
        },
    )
    error = response.json()["error"]
    assert error["message"] == "Provider returned error"
    assert error["metadata"]["provider_name"] == "Google AI Studio"
    assert json.loads(error["metadata"]["raw"])["error"]["message"] == "Unsupported value: 'none'"


def test_custom_message_and_code(client: httpx2.Client) -> None:
    response = _post(client, {"status": 400, "message": "acme/x is not a valid model ID"})
    assert response.json()["error"]["message"] == "acme/x is not a valid model ID"


def test_http200_error_non_stream(client: httpx2.Client) -> None:
    response = _post(client, {"http200_error": True})
    assert response.status_code == 200
    body = response.json()
    assert "choices" not in body and body["error"]["code"] == 429
    assert body["error"]["metadata"]["provider_name"]


def test_http200_error_stream_is_in_band_before_content(client: httpx2.Client) -> None:
    response = _post(client, {"http200_error": True}, stream=True)
    assert response.status_code == 200
    chunks = data_chunks(parse_sse(response.text))
    assert chunks[0]["choices"] == [] and chunks[0]["error"]["code"] == 429
    assert content_of(chunks) == ""


def _error_stream(client: httpx2.Client, **knobs: Any) -> list[dict[str, Any]]:
    response = _post(client, knobs, stream=True)
    assert response.status_code == 200
    events = parse_sse(response.text)
    if knobs.get("done", True):
        assert events[-1].data == "[DONE]"
    else:
        assert events[-1].data != "[DONE]"
    return data_chunks(events)


def test_mid_stream_documented_shape(client: httpx2.Client) -> None:
    chunks = _error_stream(
        client,
        mid_stream_error="documented",
        after_chunks=4,
        code=429,
        message="Rate limit exceeded",
    )
    last = chunks[-1]
    assert last["error"] == {**last["error"], "code": 429, "message": "Rate limit exceeded"}
    assert last["choices"][0]["finish_reason"] == "error"
    assert len([c for c in chunks if c["choices"] and c["choices"][0]["delta"].get("content")]) == 4
    assert all("usage" not in c for c in chunks)


def test_mid_stream_choices_empty_with_string_code(client: httpx2.Client) -> None:
    chunks = _error_stream(client, mid_stream_error="choices_empty", code="server_error")
    assert chunks[-1]["choices"] == [] and chunks[-1]["error"]["code"] == "server_error"


def test_mid_stream_usage_chunk_shape(client: httpx2.Client) -> None:
    chunks = _error_stream(
        client, mid_stream_error="usage_chunk", code=400, message="Token limit reached"
    )
    last = chunks[-1]
    assert last["error"]["message"] == "Token limit reached"
    assert last["choices"][0]["finish_reason"] is None
    assert last["usage"]["total_tokens"] > 0


def test_mid_stream_choice_level_error_without_done(client: httpx2.Client) -> None:
    chunks = _error_stream(client, mid_stream_error="choice", after_chunks=2, done=False)
    choice = chunks[-1]["choices"][0]
    assert choice["finish_reason"] == choice["native_finish_reason"] == "error"
    assert choice["error"]["code"] == 502
    assert choice["error"]["metadata"]["provider_name"] == "OpenAI"


def test_silent_network_error(client: httpx2.Client) -> None:
    chunks = _error_stream(client, mid_stream_error="network_error", after_chunks=1)
    last = chunks[-1]["choices"][0]
    assert last["finish_reason"] == "stop" and last["native_finish_reason"] == "network_error"
    assert all("usage" not in c for c in chunks)


def test_mid_stream_error_non_stream_sets_choice_error(client: httpx2.Client) -> None:
    body = _post(client, {"mid_stream_error": "documented", "after_chunks": 2}).json()
    choice = body["choices"][0]
    assert choice["finish_reason"] == "error" and choice["error"]["code"] == 502
    assert len(choice["message"]["content"]) == 24


def test_malformed_event_mid_stream(client: httpx2.Client) -> None:
    text = _post(client, {"malformed": True, "after_chunks": 2}, stream=True).text
    bad = []
    for event in parse_sse(text):
        if event.comment or event.data == "[DONE]":
            continue
        try:
            json.loads(event.data or "")
        except ValueError:
            bad.append(event.data)
    assert len(bad) == 1
    assert text.endswith("data: [DONE]\n\n")


def test_no_done(client: httpx2.Client) -> None:
    text = _post(client, {"no_done": True}, stream=True).text
    assert "[DONE]" not in text
    assert "usage" in data_chunks(parse_sse(text))[-1]


def test_drop_before_response(client: httpx2.Client) -> None:
    with pytest.raises(httpx2.RemoteProtocolError):
        _post(client, {"drop": "before"})
    assert _post(client).status_code == 200  # the server is fine afterwards


def test_drop_during_stream(client: httpx2.Client) -> None:
    received = []
    with (
        pytest.raises(httpx2.RemoteProtocolError),
        client.stream(
            "POST",
            "/chat/completions",
            json={**BODY, "stream": True},
            headers={"X-Simulator": json.dumps({"drop": "during", "after_chunks": 5})},
        ) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            received.append(line)
    data = [line for line in received if line.startswith("data: {")]
    assert len(data) == 6  # the initial empty chunk + 5 content chunks


def test_drop_during_non_stream(client: httpx2.Client) -> None:
    with pytest.raises(httpx2.RemoteProtocolError):
        _post(client, {"drop": "during"})


def test_transport_drops_raise_httpx_errors() -> None:
    async def run() -> None:
        async with httpx2.AsyncClient(
            transport=SimulatorTransport(), base_url=DEFAULT_BASE_URL, headers=AUTH
        ) as client:
            with pytest.raises(httpx2.RemoteProtocolError):
                await client.post(
                    "/chat/completions", json=BODY, headers={"X-Simulator": '{"drop": "before"}'}
                )
            lines = []
            with pytest.raises(httpx2.RemoteProtocolError):
                async with client.stream(
                    "POST",
                    "/chat/completions",
                    json={**BODY, "stream": True},
                    headers={"X-Simulator": '{"drop": "during", "after_chunks": 3}'},
                ) as response:
                    async for line in response.aiter_lines():
                        lines.append(line)
            assert sum(line.startswith("data: {") for line in lines) == 4

    asyncio.run(run())


def test_slow_first_byte(client: httpx2.Client) -> None:
    start = time.perf_counter()
    response = _post(client, {"first_byte_delay": 0.3})
    elapsed = time.perf_counter() - start
    assert response.status_code == 200
    assert 0.3 <= elapsed < 2.0
    with pytest.raises(httpx2.ReadTimeout):
        client.post(
            "/chat/completions",
            json=BODY,
            timeout=0.1,
            headers={"X-Simulator": json.dumps({"first_byte_delay": 0.5})},
        )


def test_fault_queue_via_control_endpoint(live: ServerThread, client: httpx2.Client) -> None:
    control = f"{live.base_url}/_simulator/faults"
    queued = httpx2.post(
        control, json={"faults": [{"status": 503, "times": 2}, {"mid_stream_error": "choice"}]}
    )
    assert queued.json()["queued"] == 2
    assert len(httpx2.get(control).json()["faults"]) == 2
    assert _post(client).status_code == 503
    assert _post(client).status_code == 503
    chunks = data_chunks(parse_sse(_post(client, stream=True).text))
    assert chunks[-1]["choices"][0]["finish_reason"] == "error"
    assert _post(client).status_code == 200
    httpx2.post(control, json={"faults": [{"status": 500, "times": 5}]})
    assert httpx2.delete(control).json()["cleared"] == 1
    assert _post(client).status_code == 200
    bad = httpx2.post(control, json={"faults": [{"no_such_knob": 1}]})
    assert bad.status_code == 400 and "no_such_knob" in bad.json()["error"]["message"]


def test_inject_in_process(live: ServerThread, client: httpx2.Client) -> None:
    live.simulator.inject({"status": 429, "retry_after": 1}, times=1)
    first = _post(client)
    assert first.status_code == 429 and first.headers["retry-after"] == "1"
    assert _post(client).status_code == 200


def test_header_knob_errors_are_400(client: httpx2.Client) -> None:
    response = _post(client, {"mid_stream_error": "sideways"})
    assert response.status_code == 400
    assert "mid_stream_error" in response.json()["error"]["message"]
