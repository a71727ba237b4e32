"""Catalogue data and the schema value generator behind tool arguments and JSON outputs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from or_magics.offline import Catalogue
from or_magics.offline.catalogue import per_token
from or_magics.offline.schema_values import ValueMaker

CATALOGUE = Catalogue()


def test_catalogue_breadth() -> None:
    models = list(CATALOGUE.models.values())
    assert len(models) >= 30
    required_authors = {
        "openai",
        "anthropic",
        "google",
        "meta-llama",
        "mistralai",
        "deepseek",
        "qwen",
        "x-ai",
        "cohere",
        "microsoft",
        "nvidia",
        "amazon",
        "perplexity",
        "moonshotai",
        "z-ai",
        "minimax",
    }
    assert required_authors <= {m.author for m in models}
    assert sum(1 for m in models if m.id.endswith(":free")) >= 4
    assert any(m.is_embedding for m in models)
    assert sum(1 for m in models if "image" in m.output_modalities) == 1
    assert any(m.reasoning and m.reasoning.get("mandatory") for m in models)


def test_every_real_model_has_one_to_four_endpoints() -> None:
    for model in CATALOGUE.models.values():
        if model.is_router:
            continue
        assert 1 <= len(model.endpoints) <= 4, model.id
        for ep in model.endpoints:
            public = ep.public(model)
            assert public["provider_name"] and public["tag"]
            assert Decimal(public["pricing"]["prompt"]) == ep.prompt_price
            if model.id.endswith(":free"):
                assert ep.prompt_price == ep.completion_price == 0


def test_parameters_vary_between_models() -> None:
    sets = {tuple(m.supported_parameters) for m in CATALOGUE.models.values()}
    assert len(sets) >= 5
    assert "tools" not in CATALOGUE.get("meta-llama/llama-3.1-8b-instruct").supported_parameters
    assert "reasoning" in CATALOGUE.get("deepseek/deepseek-r1").supported_parameters


def test_per_token_strings() -> None:
    assert per_token(0.15) == "0.00000015"
    assert per_token(2.5) == "0.0000025"
    assert per_token(0) == "0"
    assert per_token(-1) == "-1"


# -- schema values ---------------------------------------------------------------------------
def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    strings = st.one_of(
        st.builds(lambda n: {"type": "string", "minLength": n}, st.integers(0, 12)),
        st.sampled_from(["date", "date-time", "email", "uri", "uuid"]).map(
            lambda f: {"type": "string", "format": f}
        ),
        st.sampled_from(["^[a-z]+$", "^[A-Z]{2}[0-9]{3}$", "^(yes|no)$"]).map(
            lambda p: {"type": "string", "pattern": p}
        ),
    )
    enums = st.fixed_dictionaries(
        {
            "enum": st.lists(
                st.sampled_from(["red", "green", 3, None, True]),
                min_size=1,
                max_size=4,
                unique=True,
            )
        }
    )
    integers = st.builds(
        lambda lo, span, step: {
            "type": "integer",
            "minimum": lo,
            "maximum": lo + span,
            **({"multipleOf": step} if step else {}),
        },
        st.integers(-50, 50),
        st.integers(10, 100),
        st.sampled_from([None, 2, 5]),
    )
    numbers = st.fixed_dictionaries(
        {"type": st.just("number")},
        optional={"exclusiveMinimum": st.integers(-5, 5), "maximum": st.integers(10, 20)},
    )
    return st.one_of(strings, enums, integers, numbers, st.just({"type": "boolean"}))


def _schemas() -> st.SearchStrategy[dict[str, Any]]:
    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        objects = st.dictionaries(
            st.sampled_from(["city", "name", "count", "tags", "nested", "when", "notes"]),
            children,
            min_size=1,
            max_size=4,
        ).flatmap(
            lambda props: st.builds(
                lambda required, closed: {
                    "type": "object",
                    "properties": props,
                    "required": required,
                    **({"additionalProperties": False} if closed else {}),
                },
                st.lists(st.sampled_from(sorted(props)), unique=True),
                st.booleans(),
            )
        )
        arrays = st.builds(
            lambda items, lo: {"type": "array", "items": items, "minItems": lo},
            children,
            st.integers(0, 3),
        )
        nullable = children.map(lambda s: {"anyOf": [s, {"type": "null"}]})
        return st.one_of(objects, arrays, nullable)

    return st.recursive(_leaf(), extend, max_leaves=12)


@settings(max_examples=150, deadline=None, database=None)
@given(schema=_schemas(), all_properties=st.booleans(), seed=st.integers(0, 1000))
def test_generated_values_validate(schema: dict[str, Any], all_properties: bool, seed: int) -> None:
    value = ValueMaker(
        ["harbour", "Lisbon", "tides"], ["Lisbon"], all_properties=all_properties, seed=seed
    ).make(schema)
    jsonschema.validate(value, schema, format_checker=jsonschema.FormatChecker())


def test_refs_and_defs_are_followed() -> None:
    schema = {
        "type": "object",
        "$defs": {
            "Point": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}
        },
        "properties": {
            "points": {"type": "array", "items": {"$ref": "#/$defs/Point"}, "minItems": 2}
        },
        "required": ["points"],
    }
    value = ValueMaker(["graph"]).make(schema)
    jsonschema.validate(value, schema)
    assert len(value["points"]) >= 2


def test_defaults_and_place_names() -> None:
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "units": {"type": "string", "default": "metric"},
        },
        "required": ["city"],
    }
    assert ValueMaker(["forecast"], ["Nairobi"]).make(schema) == {
        "city": "Nairobi",
        "units": "metric",
    }
