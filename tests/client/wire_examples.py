"""Streams as OpenRouter really sent them, lightly trimmed: recorded in public test cassettes
(pydantic-ai's tests/models/cassettes/test_openrouter, grahamking/ort's fixtures), 2025-2026."""

from __future__ import annotations

KEEPALIVE = ": OPENROUTER PROCESSING\n\n"

# Example A: 2025-era format, fallback model, keep-alives before and after the first chunk,
# final usage chunk with one empty choice and finish_reason null.
EXAMPLE_A = (
    KEEPALIVE * 2
    + 'data: {"id":"gen-1762064096-m5VxL2xrxOREwashCey6","provider":"xAI","model":"x-ai/grok-4","object":"chat.completion.chunk","created":1762064097,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + KEEPALIVE * 2
    + 'data: {"id":"gen-1762064096-m5VxL2xrxOREwashCey6","provider":"xAI","model":"x-ai/grok-4","object":"chat.completion.chunk","created":1762064097,"choices":[{"index":0,"delta":{"role":"assistant","content":"Why"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + 'data: {"id":"gen-1762064096-m5VxL2xrxOREwashCey6","provider":"xAI","model":"x-ai/grok-4","object":"chat.completion.chunk","created":1762064097,"choices":[{"index":0,"delta":{"role":"assistant","content":"?"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + 'data: {"id":"gen-1762064096-m5VxL2xrxOREwashCey6","provider":"xAI","model":"x-ai/grok-4","object":"chat.completion.chunk","created":1762064097,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"completed","logprobs":null}]}\n\n'
    + 'data: {"id":"gen-1762064096-m5VxL2xrxOREwashCey6","provider":"xAI","model":"x-ai/grok-4","object":"chat.completion.chunk","created":1762064097,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":687,"completion_tokens":187,"total_tokens":874,"cost":0.00333825,"is_byok":false,"prompt_tokens_details":{"cached_tokens":679,"audio_tokens":0},"cost_details":{"upstream_inference_cost":null,"upstream_inference_prompt_cost":0.00053325,"upstream_inference_completions_cost":0.002805},"completion_tokens_details":{"reasoning_tokens":118,"image_tokens":0}}}\n\n'
    + "data: [DONE]\n\n"
)

_B = '{"id":"gen-1765226419-AGrwjunAftQIAgweibL8","provider":"Google","model":"anthropic/claude-sonnet-4.5","object":"chat.completion.chunk","created":1765226419,"choices":[{"index":0,'
# Example B: reasoning with reasoning_details fragments, keep-alives mid-stream, a signature.
EXAMPLE_B = (
    KEEPALIVE * 2
    + "data: " + _B + '"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _B + '"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[{"type":"reasoning.text","text":"","signature":"","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _B + '"delta":{"role":"assistant","content":"","reasoning":"This","reasoning_details":[{"type":"reasoning.text","text":"This","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + KEEPALIVE * 2
    + "data: " + _B + '"delta":{"role":"assistant","content":"","reasoning":" is a simple arithmetic question. ","reasoning_details":[{"type":"reasoning.text","text":" is a simple arithmetic question. ","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _B + '"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[{"type":"reasoning.text","signature":"Et0BCkgIChACGAIqQA","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _B + '"delta":{"role":"assistant","content":"2 ","reasoning":null,"reasoning_details":[]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _B + '"delta":{"role":"assistant","content":"+ 2 = 4","reasoning":null,"reasoning_details":[]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _B + '"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[]},"finish_reason":"stop","native_finish_reason":"stop","logprobs":null}]}\n\n'
    + "data: " + _B + '"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":43,"completion_tokens":36,"total_tokens":79,"cost":0.000669,"is_byok":false,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0,"video_tokens":0},"completion_tokens_details":{"reasoning_tokens":30}}}\n\n'
    + "data: [DONE]\n\n"
)

_C = '{"id":"gen-1786680764-gY2YTdjLLLQA6Cd1Wa6J","object":"chat.completion.chunk","created":1786680764,"model":"deepseek/deepseek-chat","provider":"OpenAI",'
# Example C: mid-2026 format, url_citation annotations first, finish_reason repeated on usage.
EXAMPLE_C = (
    KEEPALIVE * 23
    + "data: " + _C + '"choices":[{"index":0,"delta":{"content":"","role":"assistant","annotations":[{"type":"url_citation","url_citation":{"url":"https://github.com/pydantic/pydantic-ai","title":"AI Agent Framework, the Pydantic way - GitHub","start_index":0,"end_index":0,"content":"# pydantic/pydantic-ai"}}]},"finish_reason":null,"native_finish_reason":null}]}\n\n'
    + "data: " + _C + '"choices":[{"index":0,"delta":{"content":"","role":"assistant","annotations":[{"type":"url_citation","url_citation":{"url":"https://ai.pydantic.dev","title":"Pydantic AI","start_index":0,"end_index":0}}]},"finish_reason":null,"native_finish_reason":null}]}\n\n'
    + "data: " + _C + '"choices":[{"index":0,"delta":{"content":"https://github.com/pydantic/pydantic-","role":"assistant"},"finish_reason":null,"native_finish_reason":null}]}\n\n'
    + "data: " + _C + '"choices":[{"index":0,"delta":{"content":"ai","role":"assistant"},"finish_reason":null,"native_finish_reason":null}]}\n\n'
    + "data: " + _C + '"choices":[{"index":0,"delta":{"content":"","role":"assistant"},"finish_reason":"stop","native_finish_reason":"stop"}]}\n\n'
    + "data: " + _C + '"service_tier":null,"choices":[{"index":0,"delta":{"content":"","role":"assistant"},"finish_reason":"stop","native_finish_reason":"stop"}],"usage":{"prompt_tokens":2317,"completion_tokens":53,"total_tokens":2370,"cost":0.0076509169000000005,"prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":0,"audio_tokens":0,"video_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"image_tokens":0,"audio_tokens":0},"server_tool_use_details":{"web_search_requests":1,"tool_calls_requested":1,"tool_calls_executed":1}}}\n\n'
    + "data: [DONE]\n\n"
)

_D = '{"id":"gen-1772969079-EhEx5DeV7JqM43lpl47Y","object":"chat.completion.chunk","created":1772969079,"model":"anthropic/claude-4.5-haiku-20251001","provider":"Amazon Bedrock",'
# Example D: Mar-2026, tool call with content null and only empty argument fragments,
# usage chunk with choices [].
EXAMPLE_D = (
    "data: " + _D + '"choices":[{"index":0,"delta":{"content":null,"role":"assistant","tool_calls":[{"index":0,"id":"toolu_bdrk_01AMXFNuQYF6fxS1hryPtu9K","type":"function","function":{"name":"get_all_tabs","arguments":""}}]},"finish_reason":null,"native_finish_reason":null}]}\n\n'
    + "data: " + _D + '"choices":[{"index":0,"delta":{"content":null,"role":"assistant","tool_calls":[{"index":0,"function":{"arguments":""}}]},"finish_reason":null,"native_finish_reason":null}]}\n\n'
    + "data: " + _D + '"choices":[{"index":0,"delta":{"content":"","role":"assistant"},"finish_reason":"tool_calls","native_finish_reason":"tool_calls"}]}\n\n'
    + "data: " + _D + '"choices":[],"usage":{"prompt_tokens":25105,"completion_tokens":55,"total_tokens":25160}}\n\n'
    + "data: [DONE]\n"
)

_E = '{"id":"gen-1762179802-UN8pkJI4AGZvryk0kFnb","provider":"Minimax",'
# Example E: the error arrives on the usage chunk (finish_reason null); [DONE] still follows.
EXAMPLE_E = (
    KEEPALIVE * 17
    + "data: " + _E + '"model":"minimax/minimax-m2:free","object":"chat.completion.chunk","created":1762179802,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"We need","reasoning_details":[{"type":"reasoning.text","text":"We need","index":0,"format":null}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _E + '"model":"minimax/minimax-m2:free","object":"chat.completion.chunk","created":1762179802,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi","reasoning":" to respond.","reasoning_details":[{"type":"reasoning.text","text":" to respond.","index":0,"format":null}]},"finish_reason":"length","native_finish_reason":"length","logprobs":null}]}\n\n'
    + "data: " + _E + '"model":"minimax/minimax-m2:free","object":"chat.completion.chunk","created":1762179802,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[]},"finish_reason":"length","native_finish_reason":"length","logprobs":null}]}\n\n'
    + "data: " + _E + '"error":{"code":400,"message":"Token limit reached"},"model":"minimax/minimax-m2:free","object":"chat.completion.chunk","created":1762179802,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":43,"completion_tokens":10,"total_tokens":53,"cost":0,"is_byok":false}}\n\n'
    + "data: [DONE]\n\n"
)

_G = '{"id":"gen-1764489310-zNAMOJKnB5Hsu6GOHcsm","provider":"Google","model":"google/gemini-2.5-flash-image-preview","object":"chat.completion.chunk","created":1764489310,"choices":[{"index":0,'
# Example G: image output arrives with the finish chunk.
EXAMPLE_G = (
    "data: " + _G + '"delta":{"role":"assistant","content":"Here you go: "},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}\n\n'
    + "data: " + _G + '"delta":{"role":"assistant","content":"","images":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="},"index":0}]},"finish_reason":"stop","native_finish_reason":"STOP","logprobs":null}]}\n\n'
    + "data: " + _G + '"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":10,"completion_tokens":1300,"total_tokens":1310,"completion_tokens_details":{"reasoning_tokens":0,"image_tokens":1290}}}\n\n'
    + "data: [DONE]\n\n"
)

# Tool-argument fragments as OpenRouter's own AI SDK provider tests them.
TOOL_FRAGMENTS = (
    'data: {"id":"gen-1","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"test-tool","arguments":""}}]},"finish_reason":null}]}\n\n'
    + "".join(
        'data: {"id":"gen-1","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"function":{"arguments":FRAG}}]},"finish_reason":null}]}\n\n'.replace("FRAG", frag)
        for frag in ['"{\\""', '"value"', '"\\":\\""', '"Spark"', '"le"', '" Day"', '"\\"}"']
    )
    + 'data: {"id":"gen-1","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"other","arguments":"{\\"n\\": 2}"}}]},"finish_reason":null}]}\n\n'
    + 'data: {"id":"gen-1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"tool_calls","native_finish_reason":"tool_calls"}]}\n\n'
    + 'data: {"id":"gen-1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14,"cost":0.0001}}\n\n'
    + "data: [DONE]\n\n"
)
