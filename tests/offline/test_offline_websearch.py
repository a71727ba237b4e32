"""Web search through the server tool, the web plugin and `:online`: citations with numbered
references, settings honoured, priced per engine."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

Chat = Callable[..., dict[str, Any]]
TOOL = "openrouter:web_search"


def _citations(body: dict[str, Any]) -> list[dict[str, Any]]:
    notes = body["choices"][0]["message"].get("annotations") or []
    return [n["url_citation"] for n in notes if n["type"] == "url_citation"]


def _generation(client: httpx2.Client, gen_id: str) -> dict[str, Any]:
    return dict(client.get("/generation", params={"id": gen_id}).json()["data"])


def test_the_server_tool_cites_numbered_sources(chat: Chat) -> None:
    body = chat(
        "Latest research on coral reef recovery",
        tools=[{"type": TOOL, "parameters": {"max_results": 3}}],
    )
    text = body["choices"][0]["message"]["content"]
    cites = _citations(body)
    assert len(cites) == 3
    for number, cite in enumerate(cites, start=1):
        assert f"[{number}]({cite['url']})" in text  # the claim cites it in the text
        assert cite["title"] not in text  # listed once, by the display, from the annotations
    usage = body["usage"]["server_tool_use_details"]
    assert usage == {"web_search_requests": 1, "tool_calls_requested": 1, "tool_calls_executed": 1}


def test_a_known_fact_is_still_answered_and_cited(chat: Chat) -> None:
    body = chat("What is the capital of France?", model="openai/gpt-4o-mini:online")
    text = body["choices"][0]["message"]["content"]
    assert text.startswith("The capital of France is **Paris**. [1](https://")


def _tool(size: str) -> dict[str, Any]:
    return {"tools": [{"type": TOOL, "parameters": {"search_context_size": size}}]}


def _shorthand(size: str) -> dict[str, Any]:
    return {"tools": [{"type": "web_search_preview", "search_context_size": size}]}


def _plugin(size: str) -> dict[str, Any]:
    return {"plugins": [{"id": "web"}], "web_search_options": {"search_context_size": size}}


@pytest.mark.parametrize("fields", [_tool, _shorthand, _plugin])
def test_search_context_size_sets_how_much_of_each_page_comes_back(
    chat: Chat, fields: Callable[[str], dict[str, Any]]
) -> None:
    def content(size: str) -> int:
        return sum(len(c["content"]) for c in _citations(chat("Coral reefs", **fields(size))))

    assert content("low") < content("medium") < content("high")


def test_allowed_and_excluded_domains(chat: Chat) -> None:
    allowed = chat(
        "Coral reefs", tools=[{"type": TOOL, "parameters": {"allowed_domains": ["noaa.gov"]}}]
    )
    assert {c["url"].split("/")[2] for c in _citations(allowed)} == {"noaa.gov"}
    excluded = chat(
        "Coral reefs", plugins=[{"id": "web", "exclude_domains": ["example.org", "example.com"]}]
    )
    hosts = {c["url"].split("/")[2] for c in _citations(excluded)}
    assert hosts and not hosts & {"example.org", "example.com", "docs.example.org"}


def test_the_engine_decides_the_price(tclient: httpx2.Client) -> None:
    def search(engine: str, model: str = "meta-llama/llama-3.3-70b-instruct") -> dict[str, Any]:
        response = tclient.post(
            "/chat/completions",
            json={
                "model": model,
                "messages": [{"role": "user", "content": "Coral reefs"}],
                "max_tokens": 100,
                "tools": [{"type": TOOL, "parameters": {"engine": engine, "max_results": 4}}],
            },
        )
        record = _generation(tclient, response.headers["x-generation-id"])
        return {"cost": response.json()["usage"]["cost"], **record}

    plain = tclient.post(
        "/chat/completions",
        json={
            "model": "meta-llama/llama-3.3-70b-instruct",
            "messages": [{"role": "user", "content": "Coral reefs"}],
            "max_tokens": 100,
        },
    ).json()["usage"]["cost"]
    exa = search("exa")
    assert exa["web_search_engine"] == "exa" and exa["num_search_results"] == 4
    assert exa["cost"] - plain == pytest.approx(4 * 0.004, rel=0.05)  # $4 per 1000 results
    native = search("native", model="openai/gpt-4o-mini")
    assert native["web_search_engine"] == "native"


@pytest.mark.parametrize(
    ("model", "engine"),
    [("openai/gpt-4o-mini:online", "native"), ("meta-llama/llama-3.3-70b-instruct:online", "exa")],
)
def test_default_engine_is_native_for_openai_and_exa_for_others(
    tclient: httpx2.Client, model: str, engine: str
) -> None:
    response = tclient.post(
        "/chat/completions",
        json={"model": model, "messages": [{"role": "user", "content": "Coral reefs"}]},
    )
    assert re.search(r"\[1\]\(https://", response.json()["choices"][0]["message"]["content"])
    record = _generation(tclient, response.headers["x-generation-id"])
    assert record["web_search_engine"] == engine


def test_tool_choice_none_does_not_search(chat: Chat) -> None:
    body = chat("Coral reefs", tools=[{"type": TOOL}], tool_choice="none")
    assert not _citations(body) and "server_tool_use_details" not in body["usage"]
