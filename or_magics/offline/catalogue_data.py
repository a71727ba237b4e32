"""The simulated catalogue as plain data: providers, models and their provider endpoints.

Prices are USD per *million* tokens here (easy to read and edit); `catalogue.py` turns them
into OpenRouter's per-token decimal strings. Extras priced per unit (`web_search` per search,
`image_output` per generated image) are written per million units too: 39000.0 is $0.039.
An endpoint is
`(provider slug, quantization, price factor, throughput p50 tok/s, latency p50 s[, extras])`,
latency being the time to the first token; extras may set "ctx" (context length), "drop"
(unsupported parameters) and "uptime" (percent, overriding the provider's figure in UPTIME).
"""

from __future__ import annotations

from typing import Any

# fmt: off
PROVIDERS: dict[str, dict[str, Any]] = {
    # slug: display name, headquarters, datacenters, retains prompts for training, ZDR
    "openai": {"name": "OpenAI", "hq": "US", "dc": ["US"], "trains": False, "zdr": False},
    "azure": {"name": "Azure", "hq": "US", "dc": ["US", "SE"], "trains": False, "zdr": True},
    "anthropic": {"name": "Anthropic", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "amazon-bedrock": {
        "name": "Amazon Bedrock", "hq": "US", "dc": ["US", "DE"], "trains": False, "zdr": True,
    },
    "google-vertex": {
        "name": "Google Vertex", "hq": "US", "dc": ["US", "BE"], "trains": False, "zdr": True,
    },
    "google-ai-studio": {
        "name": "Google AI Studio", "hq": "US", "dc": ["US"], "trains": True, "zdr": False,
    },
    "deepinfra": {"name": "DeepInfra", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "together": {"name": "Together", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "fireworks": {"name": "Fireworks", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "groq": {"name": "Groq", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "cerebras": {"name": "Cerebras", "hq": "US", "dc": ["US", "CA"], "trains": False, "zdr": True},
    "novita": {"name": "Novita", "hq": "SG", "dc": ["US", "SG"], "trains": False, "zdr": False},
    "nebius": {"name": "Nebius", "hq": "NL", "dc": ["FI", "NL"], "trains": False, "zdr": True},
    "parasail": {"name": "Parasail", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "chutes": {"name": "Chutes", "hq": "US", "dc": ["US"], "trains": True, "zdr": False},
    "mistral": {"name": "Mistral", "hq": "FR", "dc": ["FR", "SE"], "trains": False, "zdr": False},
    "deepseek": {"name": "DeepSeek", "hq": "CN", "dc": ["CN"], "trains": True, "zdr": False},
    "alibaba": {"name": "Alibaba", "hq": "CN", "dc": ["SG", "CN"], "trains": False, "zdr": False},
    "xai": {"name": "xAI", "hq": "US", "dc": ["US"], "trains": False, "zdr": False},
    "cohere": {"name": "Cohere", "hq": "CA", "dc": ["US", "CA"], "trains": False, "zdr": False},
    "perplexity": {"name": "Perplexity", "hq": "US", "dc": ["US"], "trains": False, "zdr": False},
    "moonshotai": {"name": "Moonshot AI", "hq": "CN", "dc": ["CN"], "trains": False, "zdr": False},
    "z-ai": {"name": "Z.AI", "hq": "CN", "dc": ["SG", "CN"], "trains": False, "zdr": False},
    "minimax": {"name": "Minimax", "hq": "SG", "dc": ["SG"], "trains": False, "zdr": False},
    "nvidia": {"name": "NVIDIA", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "sambanova": {"name": "SambaNova", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
    "baseten": {"name": "Baseten", "hq": "US", "dc": ["US"], "trains": False, "zdr": True},
}

# Percent of requests each provider served without error lately (OpenRouter's uptime figure).
UPTIME: dict[str, float] = {
    "openai": 99.92, "azure": 99.95, "anthropic": 99.61, "amazon-bedrock": 99.83,
    "google-vertex": 99.74, "google-ai-studio": 99.18, "deepinfra": 99.52, "together": 99.41,
    "fireworks": 99.63, "groq": 99.07, "cerebras": 98.91, "novita": 98.42, "nebius": 99.34,
    "parasail": 98.86, "chutes": 96.53, "mistral": 99.48, "deepseek": 97.82, "alibaba": 99.02,
    "xai": 99.37, "cohere": 99.58, "perplexity": 99.29, "moonshotai": 98.64, "z-ai": 98.71,
    "minimax": 98.23, "nvidia": 99.05, "sambanova": 98.94, "baseten": 99.21,
}

# Which supported_parameters each family of endpoints accepts.
PARAMS: dict[str, list[str]] = {
    "openai": [
        "frequency_penalty", "logit_bias", "logprobs", "max_completion_tokens", "max_tokens",
        "parallel_tool_calls", "presence_penalty", "response_format", "seed", "stop",
        "structured_outputs", "temperature", "tool_choice", "tools", "top_logprobs", "top_p",
    ],
    "openai-reasoning": [
        "include_reasoning", "max_completion_tokens", "max_tokens", "parallel_tool_calls",
        "reasoning", "reasoning_effort", "response_format", "seed", "structured_outputs",
        "tool_choice", "tools", "verbosity",
    ],
    "anthropic": [
        "include_reasoning", "max_tokens", "reasoning", "response_format", "stop",
        "structured_outputs", "temperature", "tool_choice", "tools", "top_k", "top_p",
    ],
    "google": [
        "include_reasoning", "max_tokens", "reasoning", "response_format", "seed", "stop",
        "structured_outputs", "temperature", "tool_choice", "tools", "top_p",
    ],
    "open": [
        "frequency_penalty", "logit_bias", "max_tokens", "min_p", "presence_penalty",
        "repetition_penalty", "response_format", "seed", "stop", "structured_outputs",
        "temperature", "tool_choice", "tools", "top_k", "top_p",
    ],
    "open-basic": [
        "frequency_penalty", "max_tokens", "min_p", "presence_penalty", "repetition_penalty",
        "seed", "stop", "temperature", "top_k", "top_p",
    ],
    "open-reasoning": [
        "frequency_penalty", "include_reasoning", "max_tokens", "min_p", "presence_penalty",
        "reasoning", "repetition_penalty", "response_format", "seed", "stop",
        "structured_outputs", "temperature", "tool_choice", "tools", "top_k", "top_p",
    ],
    "search": [
        "frequency_penalty", "max_tokens", "presence_penalty", "temperature", "top_k", "top_p",
        "web_search_options",
    ],
    "embeddings": [],
}

EFFORTS = ["high", "medium", "low", "minimal"]

MODELS: list[dict[str, Any]] = [
    # ---------------------------------------------------------------- openai
    {
        "id": "openai/gpt-4o-mini", "name": "OpenAI: GPT-4o-mini", "created": 1721260800,
        "context": 128000, "max_output": 16384, "price": (0.15, 0.60),
        "extra": {"input_cache_read": 0.075}, "input": ["text", "image", "file"],
        "tokenizer": "GPT", "params": "openai", "cutoff": "2023-10-01",
        "canonical": "openai/gpt-4o-mini-2024-07-18",
        "description": "GPT-4o mini is OpenAI's small, affordable multimodal model: text and "
        "image input, fast answers, strong tool use. A sensible default for everyday prompts.",
        "endpoints": [("openai", None, 1.0, 78, 0.42), ("azure", None, 1.0, 112, 0.61)],
    },
    {
        "id": "openai/gpt-4o", "name": "OpenAI: GPT-4o", "created": 1715558400,
        "context": 128000, "max_output": 16384, "price": (2.50, 10.00),
        "extra": {"input_cache_read": 1.25}, "input": ["text", "image", "file"],
        "tokenizer": "GPT", "params": "openai", "cutoff": "2023-10-01",
        "canonical": "openai/gpt-4o-2024-08-06",
        "description": "GPT-4o (\"o\" for omni) is OpenAI's flagship multimodal model of 2024, "
        "matching GPT-4 Turbo on text and code with much better vision and speed.",
        "endpoints": [("openai", None, 1.0, 92, 0.48), ("azure", None, 1.0, 131, 0.66)],
    },
    {
        "id": "openai/gpt-4.1", "name": "OpenAI: GPT-4.1", "created": 1744651385,
        "context": 1047576, "max_output": 32768, "price": (2.00, 8.00),
        "extra": {"input_cache_read": 0.50}, "input": ["text", "image", "file"],
        "tokenizer": "GPT", "params": "openai", "cutoff": "2024-06-01",
        "description": "GPT-4.1 is a flagship model for advanced instruction following, software "
        "engineering and long-context reasoning over a one-million-token window.",
        "endpoints": [("openai", None, 1.0, 71, 0.55)],
    },
    {
        "id": "openai/gpt-4.1-mini", "name": "OpenAI: GPT-4.1 Mini", "created": 1744651381,
        "context": 1047576, "max_output": 32768, "price": (0.40, 1.60),
        "extra": {"input_cache_read": 0.10}, "input": ["text", "image", "file"],
        "tokenizer": "GPT", "params": "openai", "cutoff": "2024-06-01",
        "description": "GPT-4.1 Mini is a mid-sized model with GPT-4o-level quality at lower "
        "latency and cost, with the same one-million-token context.",
        "endpoints": [("openai", None, 1.0, 95, 0.38)],
    },
    {
        "id": "openai/gpt-5-mini", "name": "OpenAI: GPT-5 Mini", "created": 1754587407,
        "context": 400000, "max_output": 128000, "price": (0.25, 2.00),
        "extra": {"input_cache_read": 0.025}, "input": ["text", "image", "file"],
        "tokenizer": "GPT", "params": "openai-reasoning", "cutoff": "2024-05-31",
        "reasoning": {"mandatory": True, "efforts": EFFORTS, "default": "medium"},
        "description": "GPT-5 Mini is a compact reasoning model for lighter-weight tasks, with "
        "the GPT-5 instruction following and safety tuning at a fraction of the cost.",
        "endpoints": [("openai", None, 1.0, 64, 1.9)],
    },
    {
        "id": "openai/o3", "name": "OpenAI: o3", "created": 1744823457,
        "context": 200000, "max_output": 100000, "price": (2.00, 8.00),
        "extra": {"input_cache_read": 0.50}, "input": ["text", "image", "file"],
        "tokenizer": "GPT", "params": "openai-reasoning", "cutoff": "2024-06-01",
        "reasoning": {"mandatory": True, "efforts": ["high", "medium", "low"], "default": "medium"},
        "description": "o3 is a well-rounded reasoning model for math, science, coding and visual "
        "reasoning; it always thinks before it answers.",
        "endpoints": [("openai", None, 1.0, 48, 4.2)],
    },
    {
        "id": "openai/gpt-oss-120b", "name": "OpenAI: gpt-oss-120b", "created": 1754414231,
        "context": 131072, "max_output": 131072, "price": (0.05, 0.25),
        "tokenizer": "GPT", "params": "open-reasoning", "hf": "openai/gpt-oss-120b",
        "reasoning": {"mandatory": True, "efforts": ["high", "medium", "low"], "default": "medium"},
        "description": "gpt-oss-120b is an open-weight 117B-parameter Mixture-of-Experts model "
        "from OpenAI for reasoning, agentic and general-purpose production use.",
        "endpoints": [
            ("deepinfra", "fp4", 1.0, 95, 0.52), ("groq", "fp4", 3.0, 480, 0.21),
            ("cerebras", "fp4", 5.0, 2100, 0.29), ("together", "fp4", 3.0, 130, 0.44),
        ],
    },
    {
        "id": "openai/gpt-oss-20b:free", "name": "OpenAI: gpt-oss-20b (free)",
        "created": 1754414229, "context": 131072, "max_output": 32768, "price": (0, 0),
        "tokenizer": "GPT", "params": "open-reasoning", "hf": "openai/gpt-oss-20b",
        "reasoning": {"mandatory": True, "efforts": ["high", "medium", "low"], "default": "low"},
        "description": "gpt-oss-20b is an open-weight 21B-parameter model for low-latency "
        "inference on consumer hardware. Free variant, rate-limited.",
        "endpoints": [("chutes", "bf16", 1.0, 160, 1.1)],
    },
    {
        "id": "openai/text-embedding-3-small", "name": "OpenAI: Text Embedding 3 Small",
        "created": 1705953180, "context": 8192, "max_output": None, "price": (0.02, 0),
        "output": ["embeddings"], "tokenizer": "GPT", "params": "embeddings", "dimensions": 1536,
        "description": "text-embedding-3-small is OpenAI's efficient embedding model: 1536 "
        "dimensions (shortenable), strong multilingual retrieval quality.",
        "endpoints": [("openai", None, 1.0, 0, 0.12)],
    },
    {
        "id": "openai/text-embedding-3-large", "name": "OpenAI: Text Embedding 3 Large",
        "created": 1705953180, "context": 8192, "max_output": None, "price": (0.13, 0),
        "output": ["embeddings"], "tokenizer": "GPT", "params": "embeddings", "dimensions": 3072,
        "description": "text-embedding-3-large is OpenAI's most capable embedding model: 3072 "
        "dimensions (shortenable) for the best retrieval quality.",
        "endpoints": [("openai", None, 1.0, 0, 0.15)],
    },
    # ------------------------------------------------------------- anthropic
    {
        "id": "anthropic/claude-sonnet-4.5", "name": "Anthropic: Claude Sonnet 4.5",
        "created": 1759161676, "context": 1000000, "max_output": 64000, "price": (3.00, 15.00),
        "extra": {
            "input_cache_read": 0.30, "input_cache_write": 3.75,
            "input_cache_write_1h": 6.00,
        },
        "input": ["text", "image", "file"], "tokenizer": "Claude", "params": "anthropic",
        "cutoff": "2025-01-31", "canonical": "anthropic/claude-4.5-sonnet-20250929",
        "reasoning": {"mandatory": False, "efforts": None, "default": None, "max_tokens": True},
        "description": "Claude Sonnet 4.5 is Anthropic's most capable Sonnet, tuned for real-"
        "world agents and coding, with extended thinking and a 1M-token context.",
        "endpoints": [
            ("anthropic", None, 1.0, 63, 1.4), ("amazon-bedrock", None, 1.0, 58, 1.6),
            ("google-vertex", None, 1.0, 61, 1.5),
        ],
    },
    {
        "id": "anthropic/claude-haiku-4.5", "name": "Anthropic: Claude Haiku 4.5",
        "created": 1760547638, "context": 200000, "max_output": 64000, "price": (1.00, 5.00),
        "extra": {
            "input_cache_read": 0.10, "input_cache_write": 1.25,
            "input_cache_write_1h": 2.00,
        },
        "input": ["text", "image"], "tokenizer": "Claude", "params": "anthropic",
        "cutoff": "2025-02-28", "canonical": "anthropic/claude-4.5-haiku-20251001",
        "reasoning": {"mandatory": False, "efforts": None, "default": None, "max_tokens": True},
        "description": "Claude Haiku 4.5 is Anthropic's fastest and most efficient model, with "
        "near-frontier coding and tool use at low latency.",
        "endpoints": [("anthropic", None, 1.0, 121, 0.62), ("amazon-bedrock", None, 1.0, 104, 0.8)],
    },
    {
        "id": "anthropic/claude-opus-4.1", "name": "Anthropic: Claude Opus 4.1",
        "created": 1754411591, "context": 200000, "max_output": 32000, "price": (15.00, 75.00),
        "extra": {
            "input_cache_read": 1.50, "input_cache_write": 18.75,
            "input_cache_write_1h": 30.00,
        },
        "input": ["text", "image", "file"], "tokenizer": "Claude", "params": "anthropic",
        "cutoff": "2025-03-31",
        "reasoning": {"mandatory": False, "efforts": None, "default": None, "max_tokens": True},
        "description": "Claude Opus 4.1 is Anthropic's flagship for complex, long-running agent "
        "and coding work, with strong multi-step reasoning.",
        "endpoints": [("anthropic", None, 1.0, 39, 1.9), ("google-vertex", None, 1.0, 36, 2.1)],
    },
    # ---------------------------------------------------------------- google
    {
        "id": "google/gemini-2.5-flash", "name": "Google: Gemini 2.5 Flash", "created": 1750172488,
        "context": 1048576, "max_output": 65535, "price": (0.30, 2.50),
        "extra": {"input_cache_read": 0.03}, "input": ["text", "image", "file", "audio", "video"],
        "tokenizer": "Gemini", "params": "google", "cutoff": "2025-01-31",
        "reasoning": {"mandatory": False, "efforts": None, "default": None, "max_tokens": True},
        "description": "Gemini 2.5 Flash is Google's workhorse model for reasoning, coding and "
        "multimodal tasks, with a configurable thinking budget.",
        "endpoints": [
            ("google-vertex", None, 1.0, 172, 0.58), ("google-ai-studio", None, 1.0, 185, 0.51),
        ],
    },
    {
        "id": "google/gemini-2.5-pro", "name": "Google: Gemini 2.5 Pro", "created": 1750169544,
        "context": 1048576, "max_output": 65536, "price": (1.25, 10.00),
        "extra": {"input_cache_read": 0.31}, "input": ["text", "image", "file", "audio", "video"],
        "tokenizer": "Gemini", "params": "google", "cutoff": "2025-01-31",
        "reasoning": {"mandatory": True, "efforts": None, "default": None, "max_tokens": True},
        "description": "Gemini 2.5 Pro is Google's state-of-the-art thinking model for complex "
        "reasoning, code and science, with a one-million-token context.",
        "endpoints": [
            ("google-vertex", None, 1.0, 88, 2.4), ("google-ai-studio", None, 1.0, 92, 2.2),
        ],
    },
    {
        "id": "google/gemini-2.5-flash-image", "name": "Google: Gemini 2.5 Flash Image",
        "created": 1759870431, "context": 32768, "max_output": 32768, "price": (0.30, 2.50),
        "extra": {"image_output": 39000.0}, "input": ["image", "text"], "output": ["image", "text"],
        "tokenizer": "Gemini", "params": "google", "cutoff": "2025-06-30",
        "description": "Gemini 2.5 Flash Image (\"Nano Banana\") generates and edits images from "
        "text and image prompts, with multi-turn conversational editing.",
        "endpoints": [
            ("google-vertex", None, 1.0, 95, 3.1), ("google-ai-studio", None, 1.0, 99, 2.9),
        ],
    },
    {
        "id": "google/gemma-3-27b-it", "name": "Google: Gemma 3 27B", "created": 1741756359,
        "context": 131072, "max_output": 16384, "price": (0.09, 0.16),
        "input": ["text", "image"], "tokenizer": "Gemini", "params": "open",
        "hf": "google/gemma-3-27b-it",
        "description": "Gemma 3 27B is Google's open multimodal model with 128k context, strong "
        "multilingual ability and structured outputs.",
        "endpoints": [
            ("deepinfra", "bf16", 1.0, 38, 0.61), ("novita", "bf16", 1.3, 44, 0.9),
            ("parasail", "bf16", 1.1, 52, 0.7),
        ],
    },
    {
        "id": "google/gemma-3-27b-it:free", "name": "Google: Gemma 3 27B (free)",
        "created": 1741756359, "context": 96000, "max_output": 8192, "price": (0, 0),
        "input": ["text", "image"], "tokenizer": "Gemini", "params": "open-basic",
        "hf": "google/gemma-3-27b-it",
        "description": "Gemma 3 27B, free variant: rate-limited, for experiments and teaching.",
        "endpoints": [("chutes", "bf16", 1.0, 31, 1.8)],
    },
    # ------------------------------------------------------------ meta-llama
    {
        "id": "meta-llama/llama-3.3-70b-instruct", "name": "Meta: Llama 3.3 70B Instruct",
        "created": 1733506137, "context": 131072, "max_output": 16384, "price": (0.13, 0.39),
        "tokenizer": "Llama3", "instruct": "llama3", "params": "open",
        "hf": "meta-llama/Llama-3.3-70B-Instruct", "cutoff": "2023-12-01",
        "description": "Llama 3.3 70B is Meta's multilingual instruction-tuned model, matching "
        "much larger models on dialogue, reasoning and tool use.",
        "endpoints": [
            ("deepinfra", "fp8", 1.0, 34, 0.48),
            ("groq", None, 4.5, 310, 0.19, {"drop": ["response_format", "structured_outputs"]}),
            ("cerebras", "fp16", 6.0, 2150, 0.24, {"ctx": 65536}),
            ("novita", "bf16", 1.2, 29, 0.95),
        ],
    },
    {
        "id": "meta-llama/llama-3.3-70b-instruct:free",
        "name": "Meta: Llama 3.3 70B Instruct (free)", "created": 1733506137, "context": 131072,
        "max_output": 8192, "price": (0, 0), "tokenizer": "Llama3", "instruct": "llama3",
        "params": "open", "hf": "meta-llama/Llama-3.3-70B-Instruct", "cutoff": "2023-12-01",
        "description": "Llama 3.3 70B Instruct, free variant served by community capacity: "
        "rate-limited to 20 requests per minute.",
        "endpoints": [("chutes", "bf16", 1.0, 41, 1.6), ("nvidia", "fp8", 1.0, 36, 1.2)],
    },
    {
        "id": "meta-llama/llama-4-maverick", "name": "Meta: Llama 4 Maverick",
        "created": 1743881822, "context": 1048576, "max_output": 16384, "price": (0.15, 0.60),
        "input": ["text", "image"], "tokenizer": "Llama4", "params": "open",
        "hf": "meta-llama/Llama-4-Maverick-17B-128E-Instruct", "cutoff": "2024-08-01",
        "description": "Llama 4 Maverick is a 17B-active-parameter Mixture-of-Experts model "
        "with native multimodal input and a one-million-token context.",
        "endpoints": [
            ("deepinfra", "fp8", 1.0, 72, 0.41), ("together", "fp8", 1.8, 96, 0.52),
            ("fireworks", None, 1.5, 110, 0.36),
        ],
    },
    {
        "id": "meta-llama/llama-3.1-8b-instruct", "name": "Meta: Llama 3.1 8B Instruct",
        "created": 1721692800, "context": 131072, "max_output": 16384, "price": (0.02, 0.03),
        "tokenizer": "Llama3", "instruct": "llama3", "params": "open-basic",
        "hf": "meta-llama/Meta-Llama-3.1-8B-Instruct", "cutoff": "2023-12-01",
        "description": "Llama 3.1 8B is Meta's small, fast instruction-tuned model for simple "
        "chat, classification and extraction.",
        "endpoints": [
            ("deepinfra", "bf16", 1.0, 140, 0.22), ("novita", "fp8", 1.5, 95, 0.6),
            ("groq", None, 2.5, 900, 0.12), ("cerebras", "fp16", 5.0, 2600, 0.18),
        ],
    },
    # -------------------------------------------------------------- mistralai
    {
        "id": "mistralai/mistral-large-2411", "name": "Mistral Large 2411", "created": 1731978415,
        "context": 131072, "max_output": None, "price": (2.00, 6.00), "tokenizer": "Mistral",
        "params": "open", "description": "Mistral Large 2 (2411) is Mistral's top-tier model for "
        "reasoning, knowledge and coding, fluent in dozens of languages.",
        "endpoints": [("mistral", None, 1.0, 44, 0.55)],
    },
    {
        "id": "mistralai/mistral-small-3.2-24b-instruct", "name": "Mistral: Mistral Small 3.2 24B",
        "created": 1750443016, "context": 131072, "max_output": 131072, "price": (0.05, 0.10),
        "input": ["image", "text"], "tokenizer": "Mistral", "params": "open",
        "hf": "mistralai/Mistral-Small-3.2-24B-Instruct-2506",
        "description": "Mistral Small 3.2 is a 24B open model with improved instruction "
        "following, function calling and fewer infinite generations.",
        "endpoints": [("mistral", None, 2.0, 120, 0.33), ("deepinfra", "fp8", 1.0, 64, 0.5)],
    },
    {
        "id": "mistralai/codestral-2508", "name": "Mistral: Codestral 2508", "created": 1754079630,
        "context": 256000, "max_output": None, "price": (0.30, 0.90), "tokenizer": "Mistral",
        "params": "open", "description": "Codestral is Mistral's code model, specialised for "
        "fill-in-the-middle, code correction and test generation.",
        "endpoints": [("mistral", None, 1.0, 150, 0.31)],
    },
    {
        "id": "mistralai/mistral-embed-2312", "name": "Mistral: Mistral Embed 2312",
        "created": 1702339200, "context": 8192, "max_output": None, "price": (0.10, 0),
        "output": ["embeddings"], "tokenizer": "Mistral", "params": "embeddings",
        "dimensions": 1024,
        "description": "Mistral Embed turns text into 1024-dimensional vectors for semantic "
        "search and retrieval-augmented generation.",
        "endpoints": [("mistral", None, 1.0, 0, 0.1)],
    },
    # --------------------------------------------------------------- deepseek
    {
        "id": "deepseek/deepseek-chat-v3.1", "name": "DeepSeek: DeepSeek V3.1",
        "created": 1755779628, "context": 163840, "max_output": 163840, "price": (0.20, 0.80),
        "tokenizer": "DeepSeek", "params": "open-reasoning", "hf": "deepseek-ai/DeepSeek-V3.1",
        "reasoning": {"mandatory": False, "efforts": None, "default": None},
        "description": "DeepSeek V3.1 is a hybrid model that can answer directly or think first, "
        "with strong tool use and code agents.",
        "endpoints": [
            ("deepinfra", "fp4", 1.0, 28, 0.9), ("deepseek", "fp8", 1.4, 24, 1.6),
            ("fireworks", "fp8", 2.8, 85, 0.6), ("novita", "fp8", 1.35, 22, 1.2),
        ],
    },
    {
        "id": "deepseek/deepseek-r1", "name": "DeepSeek: R1", "created": 1737381095,
        "context": 163840, "max_output": 163840, "price": (0.40, 2.00), "tokenizer": "DeepSeek",
        "instruct": "deepseek-r1", "params": "open-reasoning", "hf": "deepseek-ai/DeepSeek-R1",
        "reasoning": {"mandatory": True, "efforts": None, "default": None},
        "description": "DeepSeek R1 is an open reasoning model on par with o1, with fully open "
        "reasoning tokens.",
        "endpoints": [
            ("deepinfra", "fp8", 1.0, 31, 1.1), ("together", "fp8", 7.5, 78, 0.8),
            ("novita", "fp8", 1.75, 20, 1.9),
        ],
    },
    {
        "id": "deepseek/deepseek-r1:free", "name": "DeepSeek: R1 (free)", "created": 1737381095,
        "context": 163840, "max_output": 16384, "price": (0, 0), "tokenizer": "DeepSeek",
        "instruct": "deepseek-r1", "params": "open-reasoning", "hf": "deepseek-ai/DeepSeek-R1",
        "reasoning": {"mandatory": True, "efforts": None, "default": None},
        "description": "DeepSeek R1, free variant: same open reasoning model, rate-limited.",
        "endpoints": [("chutes", "fp8", 1.0, 26, 3.4)],
    },
    # ------------------------------------------------------------------- qwen
    {
        "id": "qwen/qwen3-235b-a22b-2507", "name": "Qwen: Qwen3 235B A22B Instruct 2507",
        "created": 1753119555, "context": 262144, "max_output": 262144, "price": (0.08, 0.55),
        "tokenizer": "Qwen3", "params": "open", "hf": "Qwen/Qwen3-235B-A22B-Instruct-2507",
        "description": "Qwen3-235B-A22B-Instruct-2507 is a Mixture-of-Experts model with 22B "
        "active parameters, tuned for instruction following, math, code and tool use.",
        "endpoints": [
            ("deepinfra", "fp8", 1.0, 40, 0.7), ("together", "fp8", 2.5, 62, 0.6),
            ("alibaba", None, 3.0, 55, 1.1), ("cerebras", "fp16", 7.5, 1400, 0.3),
        ],
    },
    {
        "id": "qwen/qwen3-coder", "name": "Qwen: Qwen3 Coder 480B A35B", "created": 1753230546,
        "context": 262144, "max_output": 262144, "price": (0.22, 0.95), "tokenizer": "Qwen3",
        "params": "open", "hf": "Qwen/Qwen3-Coder-480B-A35B-Instruct",
        "description": "Qwen3 Coder is an agentic coding model for repository-scale tasks, tool "
        "calling and browser use.",
        "endpoints": [
            ("deepinfra", "fp8", 1.0, 52, 0.8), ("alibaba", None, 4.5, 70, 1.0),
            ("baseten", "fp8", 1.6, 98, 0.5),
        ],
    },
    {
        "id": "qwen/qwen-2.5-72b-instruct", "name": "Qwen2.5 72B Instruct", "created": 1726704000,
        "context": 32768, "max_output": 16384, "price": (0.07, 0.26), "tokenizer": "Qwen",
        "instruct": "chatml", "params": "open-basic", "hf": "Qwen/Qwen2.5-72B-Instruct",
        "description": "Qwen2.5 72B is a dense multilingual model with strong math and coding "
        "for its generation, and a short 32k context.",
        "endpoints": [("deepinfra", "fp8", 1.0, 35, 0.5), ("novita", "bf16", 5.5, 21, 1.0)],
    },
    {
        "id": "qwen/qwen3-embedding-8b", "name": "Qwen: Qwen3 Embedding 8B", "created": 1749513600,
        "context": 32000, "max_output": None, "price": (0.01, 0), "output": ["embeddings"],
        "tokenizer": "Qwen3", "params": "embeddings", "dimensions": 4096,
        "hf": "Qwen/Qwen3-Embedding-8B",
        "description": "Qwen3 Embedding 8B is an open multilingual embedding model for "
        "retrieval, clustering and classification, with 4096-dimensional vectors.",
        "endpoints": [("deepinfra", "fp8", 1.0, 0, 0.09), ("nebius", None, 2.0, 0, 0.11)],
    },
    # ------------------------------------------------------------------- x-ai
    {
        "id": "x-ai/grok-4", "name": "xAI: Grok 4", "created": 1752087689, "context": 256000,
        "max_output": None, "price": (3.00, 15.00), "extra": {"input_cache_read": 0.75},
        "input": ["image", "text", "file"], "tokenizer": "Grok", "params": "openai-reasoning",
        "reasoning": {"mandatory": True, "efforts": None, "default": None},
        "description": "Grok 4 is xAI's reasoning model with parallel tool calling, structured "
        "outputs and image input; reasoning is always on and not exposed.",
        "endpoints": [("xai", None, 1.0, 44, 6.2)],
    },
    {
        "id": "x-ai/grok-3-mini", "name": "xAI: Grok 3 Mini", "created": 1749583245,
        "context": 131072, "max_output": None, "price": (0.30, 0.50),
        "extra": {"input_cache_read": 0.075}, "tokenizer": "Grok", "params": "openai-reasoning",
        "reasoning": {"mandatory": False, "efforts": ["high", "low"], "default": "low"},
        "description": "Grok 3 Mini is a lightweight thinking model for logic puzzles and "
        "quick math, with visible raw reasoning traces.",
        "endpoints": [("xai", None, 1.0, 120, 0.5)],
    },
    # ----------------------------------------------------------------- cohere
    {
        "id": "cohere/command-a", "name": "Cohere: Command A", "created": 1741894342,
        "context": 256000, "max_output": 8192, "price": (2.50, 10.00), "tokenizer": "Cohere",
        "params": "open", "hf": "CohereLabs/c4ai-command-a-03-2025",
        "description": "Command A is Cohere's 111B model for agentic enterprise work: tool use, "
        "retrieval-augmented generation and 23 languages.",
        "endpoints": [("cohere", None, 1.0, 58, 0.45)],
    },
    {
        "id": "cohere/command-r-plus-08-2024", "name": "Cohere: Command R+ (08-2024)",
        "created": 1724976000, "context": 128000, "max_output": 4000, "price": (2.50, 10.00),
        "tokenizer": "Cohere", "params": "open",
        "description": "Command R+ is Cohere's retrieval-optimised model with citations and "
        "multi-step tool use.",
        "endpoints": [("cohere", None, 1.0, 49, 0.5)],
    },
    # -------------------------------------------------------------- microsoft
    {
        "id": "microsoft/phi-4", "name": "Microsoft: Phi 4", "created": 1736489872,
        "context": 16384, "max_output": 16384, "price": (0.06, 0.14), "tokenizer": "Other",
        "params": "open-basic", "hf": "microsoft/phi-4",
        "description": "Phi-4 is a 14B small language model trained on synthetic and curated "
        "data, strong at reasoning for its size; 16k context.",
        "endpoints": [("deepinfra", "bf16", 1.0, 45, 0.4), ("nebius", "fp8", 1.7, 60, 0.7)],
    },
    # ----------------------------------------------------------------- nvidia
    {
        "id": "nvidia/llama-3.3-nemotron-super-49b-v1.5",
        "name": "NVIDIA: Llama 3.3 Nemotron Super 49B v1.5", "created": 1760101395,
        "context": 131072, "max_output": None, "price": (0.10, 0.40), "tokenizer": "Llama3",
        "params": "open-reasoning", "hf": "nvidia/Llama-3_3-Nemotron-Super-49B-v1_5",
        "reasoning": {"mandatory": False, "efforts": None, "default": None},
        "description": "Nemotron Super 49B v1.5 is NVIDIA's reasoning-tuned Llama derivative for "
        "agents, RAG and tool calling.",
        "endpoints": [("nvidia", "fp8", 1.0, 65, 0.6), ("deepinfra", "bf16", 1.2, 48, 0.8)],
    },
    {
        "id": "nvidia/nemotron-nano-9b-v2:free", "name": "NVIDIA: Nemotron Nano 9B V2 (free)",
        "created": 1757106807, "context": 128000, "max_output": None, "price": (0, 0),
        "tokenizer": "Other", "params": "open-reasoning", "hf": "nvidia/NVIDIA-Nemotron-Nano-9B-v2",
        "reasoning": {"mandatory": False, "efforts": None, "default": None},
        "description": "Nemotron Nano 9B v2 is a small hybrid Mamba-Transformer reasoning model; "
        "free variant.",
        "endpoints": [("nvidia", "bf16", 1.0, 140, 0.5)],
    },
    # ----------------------------------------------------------------- amazon
    {
        "id": "amazon/nova-pro-v1", "name": "Amazon: Nova Pro 1.0", "created": 1733437363,
        "context": 300000, "max_output": 5120, "price": (0.80, 3.20),
        "input": ["text", "image"], "tokenizer": "Nova", "params": "open",
        "description": "Amazon Nova Pro is a capable multimodal model balancing accuracy, speed "
        "and cost across text, image and document tasks.",
        "endpoints": [("amazon-bedrock", None, 1.0, 92, 0.5)],
    },
    {
        "id": "amazon/nova-lite-v1", "name": "Amazon: Nova Lite 1.0", "created": 1733437363,
        "context": 300000, "max_output": 5120, "price": (0.06, 0.24),
        "input": ["text", "image"], "tokenizer": "Nova", "params": "open",
        "description": "Amazon Nova Lite is a very low-cost multimodal model that processes "
        "image, video and text input quickly.",
        "endpoints": [("amazon-bedrock", None, 1.0, 160, 0.35)],
    },
    # ------------------------------------------------------------- perplexity
    {
        "id": "perplexity/sonar", "name": "Perplexity: Sonar", "created": 1738013808,
        "context": 127072, "max_output": None, "price": (1.00, 1.00),
        "extra": {"web_search": 5000.0}, "input": ["text", "image"], "tokenizer": "Other",
        "params": "search", "search": True,
        "description": "Sonar is Perplexity's lightweight answer engine: every answer is grounded "
        "in a live web search and comes with citations.",
        "endpoints": [("perplexity", None, 1.0, 85, 1.3)],
    },
    {
        "id": "perplexity/sonar-reasoning-pro", "name": "Perplexity: Sonar Reasoning Pro",
        "created": 1741313308, "context": 128000, "max_output": None, "price": (2.00, 8.00),
        "extra": {"web_search": 5000.0}, "input": ["text", "image"], "tokenizer": "Other",
        "params": "search", "search": True,
        "reasoning": {"mandatory": True, "efforts": None, "default": None},
        "description": "Sonar Reasoning Pro combines chain-of-thought reasoning with multi-step "
        "web search for research questions.",
        "endpoints": [("perplexity", None, 1.0, 60, 2.7)],
    },
    # ------------------------------------------------------------- moonshotai
    {
        "id": "moonshotai/kimi-k2", "name": "MoonshotAI: Kimi K2 0711", "created": 1752263252,
        "context": 131072, "max_output": None, "price": (0.14, 2.49), "tokenizer": "Other",
        "params": "open", "hf": "moonshotai/Kimi-K2-Instruct",
        "description": "Kimi K2 is a 1T-parameter Mixture-of-Experts model (32B active) tuned "
        "for agentic capability: tool use, coding and reasoning.",
        "endpoints": [
            ("moonshotai", None, 4.0, 32, 1.2), ("groq", None, 7.0, 390, 0.3),
            ("deepinfra", "fp4", 1.0, 18, 0.9), ("together", "fp8", 7.0, 51, 0.7),
        ],
    },
    # ------------------------------------------------------------------- z-ai
    {
        "id": "z-ai/glm-4.5", "name": "Z.AI: GLM 4.5", "created": 1753471347, "context": 131072,
        "max_output": 98304, "price": (0.35, 1.55), "tokenizer": "Other",
        "params": "open-reasoning", "hf": "zai-org/GLM-4.5",
        "reasoning": {"mandatory": False, "efforts": None, "default": None},
        "description": "GLM-4.5 is Z.AI's flagship agent model (355B MoE), with a hybrid "
        "thinking mode for complex reasoning and tool use.",
        "endpoints": [("z-ai", None, 1.7, 45, 0.9), ("deepinfra", "fp8", 1.0, 37, 0.8)],
    },
    {
        "id": "z-ai/glm-4.5-air:free", "name": "Z.AI: GLM 4.5 Air (free)", "created": 1753471258,
        "context": 131072, "max_output": 96000, "price": (0, 0), "tokenizer": "Other",
        "params": "open-reasoning", "hf": "zai-org/GLM-4.5-Air",
        "reasoning": {"mandatory": False, "efforts": None, "default": None},
        "description": "GLM-4.5-Air is the lighter 106B MoE sibling of GLM-4.5; free variant.",
        "endpoints": [("z-ai", None, 1.0, 60, 1.3)],
    },
    # ---------------------------------------------------------------- minimax
    {
        "id": "minimax/minimax-m2", "name": "MiniMax: MiniMax M2", "created": 1761252093,
        "context": 204800, "max_output": 131072, "price": (0.26, 1.02), "tokenizer": "Other",
        "params": "open-reasoning", "hf": "MiniMaxAI/MiniMax-M2",
        "reasoning": {"mandatory": True, "efforts": None, "default": None},
        "description": "MiniMax-M2 is a compact, high-efficiency model for end-to-end coding and "
        "agentic workflows; it always reasons first.",
        "endpoints": [("minimax", None, 1.2, 90, 1.1), ("deepinfra", "fp8", 1.0, 70, 0.9)],
    },
    # -------------------------------------------------------------- openrouter
    {
        "id": "openrouter/auto", "name": "Auto Router", "created": 1699401600,
        "context": 2000000, "max_output": None, "price": (-1, -1), "input": ["text", "image"],
        "tokenizer": "Router", "params": "openai", "router": True,
        "description": "Your prompt is processed by a meta-model and routed to one of dozens of "
        "models, optimising for the best possible output. The model actually used is reported "
        "in the response's `model` attribute.",
        "endpoints": [],
    },
]

# Models `openrouter/auto` chooses between, in order of preference per kind of request.
AUTO_CHOICES: dict[str, list[str]] = {
    "code": ["anthropic/claude-sonnet-4.5", "qwen/qwen3-coder", "openai/gpt-4.1"],
    "math": ["openai/o3", "google/gemini-2.5-pro", "deepseek/deepseek-r1"],
    "vision": ["openai/gpt-4o", "google/gemini-2.5-flash"],
    "tools": ["openai/gpt-4o-mini", "anthropic/claude-haiku-4.5"],
    "chat": ["openai/gpt-4o-mini", "google/gemini-2.5-flash", "meta-llama/llama-3.3-70b-instruct"],
}
# fmt: on
