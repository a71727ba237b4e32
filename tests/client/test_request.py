from __future__ import annotations

import pytest

from or_magics.client.request import build_body
from or_magics.client.validate import normalize_messages
from or_magics.errors import InvalidParameterError


def body(prompt="hi", **kwargs):
    kwargs.setdefault("model", "openai/gpt-4o-mini")
    kwargs.setdefault("stream", True)
    return build_body(prompt, **kwargs)


def error(**kwargs) -> str:
    with pytest.raises(InvalidParameterError) as info:
        body(**kwargs)
    text = str(info.value)
    assert "\n" not in text
    return text


def test_a_string_prompt_becomes_one_user_message_with_the_system_prompt_first():
    b = body("Hello", system="Be brief")
    assert b["messages"] == [{"role": "system", "content": "Be brief"},
                             {"role": "user", "content": "Hello"}]
    assert b["model"] == "openai/gpt-4o-mini" and b["stream"] is True


def test_every_documented_variant_is_accepted_and_they_compose():
    for variant in ("free", "nitro", "floor", "thinking", "online", "extended", "exacto"):
        assert body(model=f"openai/gpt-4o:{variant}")["model"] == f"openai/gpt-4o:{variant}"
    assert body(model="openai/gpt-oss-20b:free:online")["model"].endswith(":free:online")


def test_unknown_variant_names_the_field_and_the_allowed_values():
    text = error(model="openai/gpt-4o:cheap")
    assert "model" in text and ":cheap" in text and ":free" in text and ":exacto" in text


def test_model_without_author_is_explained():
    assert "author/slug" in error(model="gpt-4o")


def test_other_servers_keep_their_own_colon_tags():
    b = build_body("hi", model="llama3:8b", stream=False, openrouter=False)
    assert b["model"] == "llama3:8b"


def test_router_and_preset_ids_are_accepted():
    assert body(model="openrouter/auto")["model"] == "openrouter/auto"
    assert body(model="@preset/my-preset")["model"] == "@preset/my-preset"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("temperature", 5, ["temperature", "between 0 and 2"]),
        ("temperature", "hot", ["temperature", "number"]),
        ("top_p", 1.5, ["top_p", "between 0 and 1"]),
        ("max_tokens", 0, ["max_tokens", "at least 1"]),
        ("max_tokens", 1.5, ["max_tokens", "whole number"]),
        ("top_logprobs", 21, ["top_logprobs", "between 0 and 20"]),
        ("frequency_penalty", -3, ["frequency_penalty", "between -2 and 2"]),
        ("verbosity", "loud", ["verbosity", "low", "high"]),
        ("stop", ["a", "b", "c", "d", "e"], ["stop", "4"]),
        ("logprobs", "yes", ["logprobs", "True or False"]),
    ],
)
def test_out_of_range_parameters_get_one_line_naming_field_and_range(field, value, words):
    text = error(**{field: value})
    for word in words:
        assert word in text


def test_a_typo_in_a_parameter_name_suggests_the_right_one():
    text = error(temprature=0.5)
    assert "temprature" in text and "'temperature'" in text and "extra_body" in text


def test_extra_body_passes_provider_specific_fields_through():
    assert body(extra_body={"safe_prompt": True})["safe_prompt"] is True


def test_all_sampling_parameters_pass_through_when_valid():
    params = dict(temperature=0.2, top_p=0.9, top_k=40, frequency_penalty=0.1,
                  presence_penalty=-0.1, repetition_penalty=1.1, min_p=0.05, top_a=0.1,
                  seed=7, max_tokens=100, logit_bias={"50256": -100}, logprobs=True,
                  top_logprobs=5, stop=["\n\n"], parallel_tool_calls=False,
                  verbosity="low", service_tier="flex", user="u1", session_id="s1")
    b = body(**params)
    for key, value in params.items():
        assert b[key] == value


def test_none_means_not_given():
    assert "temperature" not in body(temperature=None)


def test_full_provider_object_is_accepted():
    provider = {
        "order": ["openai", "azure"], "only": ["openai"], "ignore": ["deepinfra"],
        "allow_fallbacks": False, "require_parameters": True, "data_collection": "deny",
        "zdr": True, "enforce_distillable_text": False, "quantizations": ["fp8", "bf16"],
        "sort": {"by": "throughput", "partition": "none"},
        "max_price": {"prompt": 1, "completion": "2"},
        "preferred_min_throughput": {"p90": 50}, "preferred_max_latency": 3,
    }
    assert body(provider=provider)["provider"] == provider


@pytest.mark.parametrize(
    ("provider", "words"),
    [
        ({"sort": "cheap"}, ["provider.sort", "'cheap'", "price", "throughput", "latency"]),
        ({"order": "openai"}, ["provider.order", "list of strings"]),
        ({"only": [1]}, ["provider.only", "list of strings"]),
        ({"data_collection": "no"}, ["provider.data_collection", "'allow' or 'deny'"]),
        ({"quantizations": ["fp3"]}, ["provider.quantizations", "fp8"]),
        ({"max_price": {"prompt": -1}}, ["provider.max_price.prompt", "≥ 0"]),
        ({"max_price": {"tokens": 1}}, ["provider.max_price.tokens", "completion"]),
        ({"allow_fallback": False}, ["provider.allow_fallback", "'allow_fallbacks'"]),
        ({"zdr": "yes"}, ["provider.zdr", "True or False"]),
    ],
)
def test_bad_provider_routing_names_the_field(provider, words):
    text = error(provider=provider)
    for word in words:
        assert word in text


def test_reasoning_shorthands_and_full_object():
    assert body(reasoning="high")["reasoning"] == {"effort": "high"}
    assert body(reasoning=True)["reasoning"] == {"enabled": True}
    assert body(reasoning=2000)["reasoning"] == {"max_tokens": 2000}
    full = {"effort": "low", "exclude": True, "summary": "auto"}
    assert body(reasoning=full)["reasoning"] == full
    assert "reasoning.effort" in error(reasoning="huge")
    assert "either effort or max_tokens" in error(reasoning={"effort": "low", "max_tokens": 5})


def test_web_is_the_server_tool_and_the_plugin_stays_accepted():
    assert body(web=True)["tools"] == [{"type": "openrouter:web_search"}]
    assert "plugins" not in body(web=True)
    settings = {"max_results": 3, "engine": "exa", "search_context_size": "high"}
    assert body(web=settings)["tools"] == [{"type": "openrouter:web_search",
                                            "parameters": settings}]
    # the deprecated plugin (and an explicit tool) still search, once
    b = body(plugins=[{"id": "web", "max_results": 2}], web=True)
    assert b["plugins"] == [{"id": "web", "max_results": 2}] and "tools" not in b
    b = body(tools=[{"type": "openrouter:web_search"}], web=True)
    assert b["tools"] == [{"type": "openrouter:web_search"}]
    assert "web.max_results" in error(web={"max_results": 0})
    assert "web.engine" in error(web={"engine": "google"})
    assert "did you mean 'max_results'" in error(web={"max_result": 3})
    assert "web.search_context_size" in error(web={"search_context_size": "huge"})


def test_plugins_and_the_pdf_engine():
    b = body(pdf_engine="mistral-ocr")
    assert b["plugins"] == [{"id": "file-parser", "pdf": {"engine": "mistral-ocr"}}]
    assert "pdf_engine" in error(pdf_engine="tesseract")
    assert "not both" in error(pdf_engine="native",
                               plugins=[{"id": "file-parser", "pdf": {"engine": "pdf-text"}}])
    assert "plugins[0]" in error(plugins=[{"id": "webb"}])
    assert "pdf.engine" in error(plugins=[{"id": "file-parser", "pdf": {"engine": "ocr"}}])


def test_tools_and_tool_choice_by_name():
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}}}}
    b = body(tools=[tool], tool_choice="get_weather")
    assert b["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    server_tool = body(tools=[{"type": "openrouter:web_search"}])["tools"][0]
    assert server_tool["type"] == "openrouter:web_search"
    assert "tools[0]" in error(tools=[{"type": "function", "function": {"name": "bad name"}}])
    assert "get_weather" in error(tools=[tool], tool_choice="lookup")


def test_response_format_json_schema_is_checked():
    fmt = {"type": "json_schema", "json_schema": {"name": "person", "schema": {"type": "object"}}}
    assert body(response_format=fmt)["response_format"] == fmt
    assert "json_schema" in error(response_format={"type": "json_schema", "json_schema": {}})
    assert "response_format" in error(response_format={"type": "yaml"})


def test_transforms_cache_control_and_models_fallbacks():
    b = body(transforms=["middle-out"], cache_control={"type": "ephemeral", "ttl": "1h"},
             models=["anthropic/claude-3.5-sonnet", "x-ai/grok-4:nitro"])
    assert b["transforms"] == ["middle-out"]
    assert b["cache_control"]["ttl"] == "1h"
    assert b["models"][1] == "x-ai/grok-4:nitro"
    assert "models" in error(models="openai/gpt-4o")
    assert "models[0]" in error(models=["openai/gpt-4o:turbo"])
    assert "cache_control" in error(cache_control={"type": "ephemeral", "ttl": "2h"})


def test_multimodal_parts_in_a_list_prompt():
    parts = ["What is in this image?",
             {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
             {"type": "file", "file": {"filename": "a.pdf",
                                       "file_data": "data:application/pdf;base64,AA"}}]
    b = body(parts)
    content = b["messages"][0]["content"]
    assert content[0] == {"type": "text", "text": "What is in this image?"}
    assert content[1]["type"] == "image_url" and content[2]["type"] == "file"
    assert "content part" in error(prompt=[{"type": "picture"}])
    assert "image_url" in error(prompt=["x", {"type": "image_url", "image_url": {}}])


def test_message_lists_are_checked_for_roles_and_tool_ids():
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": None,
                "tool_calls": []}, {"role": "tool", "tool_call_id": "c1", "content": "42"}]
    assert normalize_messages(messages) == messages
    with pytest.raises(InvalidParameterError, match="role 'bot'"):
        normalize_messages([{"role": "bot", "content": "x"}])
    with pytest.raises(InvalidParameterError, match="tool_call_id"):
        normalize_messages([{"role": "tool", "content": "x"}])
    with pytest.raises(InvalidParameterError, match="prompt"):
        normalize_messages(42)
