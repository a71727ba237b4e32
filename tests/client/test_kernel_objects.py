"""Kernel functions as tools and types as structured outputs, end to end on the loopback
simulator, through the sync and the async face (the `chat` fixture runs both)."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import json
from typing import Literal, TypedDict

import pydantic
import pytest

import or_magics
from or_magics import Client, InvalidParameterError, SchemaError, ToolLoopError
from or_magics.kernel.tools import tool_from_function

from .conftest import KEY

CITIES = {"Paris": 21, "Tokyo": 17}


def get_weather(location: str, unit: Literal["c", "f"] = "c") -> dict:
    """Current weather for a place.

    Args:
        location: a city name, e.g. Paris.
        unit: c for Celsius, f for Fahrenheit.
    """
    if location not in CITIES:
        raise KeyError(f"no weather for {location}")
    return {"location": location, "temperature": CITIES[location], "unit": unit}


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass
class Point:
    x: float
    y: float


class Filter(TypedDict):
    column: str
    minimum: int


class Order(pydantic.BaseModel):
    item: str
    quantity: int = 1


def everything(name: str, count: int, ratio: float, flag: bool, mode: Literal["a", "b"],
               colour: Colour, tags: list[str], weights: dict[str, float],
               maybe: int | None, point: Point, where: Filter, order: Order) -> str:
    """Every kind of parameter a notebook function has.

    Parameters
    ----------
    name : str
        who
    point : Point
        where, as x and y
    """
    return "ok"


def test_the_schema_comes_from_the_signature_hints_and_docstring():
    definition = tool_from_function(get_weather).definition["function"]
    assert definition["name"] == "get_weather"
    assert definition["description"] == "Current weather for a place."
    params = definition["parameters"]
    assert params["required"] == ["location"]
    assert params["properties"]["location"] == {"type": "string",
                                                "description": "a city name, e.g. Paris."}
    assert params["properties"]["unit"]["enum"] == ["c", "f"]
    props = tool_from_function(everything).definition["function"]["parameters"]
    defs = props["$defs"]
    assert props["properties"]["name"]["description"] == "who"  # NumPy style
    assert props["properties"]["point"]["description"] == "where, as x and y"
    assert {"Colour", "Point", "Filter", "Order"} <= set(defs)
    assert defs["Point"]["required"] == ["x", "y"]
    assert defs["Filter"]["properties"]["minimum"] == {"type": "integer"}
    assert props["properties"]["weights"]["additionalProperties"] == {"type": "number"}
    assert "title" not in json.dumps(props)  # compact: names are not repeated as titles


def test_rest_style_docstrings_describe_parameters_too():
    def lookup(query: str) -> str:
        """Search.

        :param query: the words to look for
        :returns: the rows
        """
        return query

    params = tool_from_function(lookup).definition["function"]["parameters"]
    assert params["properties"]["query"]["description"] == "the words to look for"


@pytest.mark.parametrize(("signature", "named"), [
    ("def f(x, *args): pass", "f(args)"),
    ("def f(**options): pass", "f(options)"),
    ("def f(fig: threading.Thread): pass", "f(fig)"),
    ("def f(a, /, b): pass", "f(a)"),
])
def test_a_parameter_that_cannot_be_described_is_one_line_naming_it(signature, named):
    namespace: dict = {}
    exec(f"import threading\n{signature}", namespace)
    with pytest.raises(InvalidParameterError) as raised:
        tool_from_function(namespace["f"])
    assert named in str(raised.value) and "\n" not in str(raised.value)


def test_the_model_calls_kernel_functions_and_answers_from_them(chat, live):
    r = chat("What is the weather in Paris and Tokyo? Use get_weather.", tools=[get_weather])
    assert [s.arguments["location"] for s in r.steps] == ["Paris", "Tokyo"]  # parallel calls
    assert all(s.ok and s.seconds >= 0 for s in r.steps)
    assert r.steps[0].result == {"location": "Paris", "temperature": 21, "unit": "c"}
    assert "21" in r.text and "17" in r.text  # the answer reads the results
    assert len(r.turns) == 1 and r.turns[0].tool_calls
    assert r.usage.total_tokens > r.turns[0].usage.total_tokens > 0  # the loop's cost, summed


def test_a_raising_tool_is_told_to_the_model_and_the_loop_goes_on(chat, live):
    r = chat("Use get_weather for Atlantis", tools=[get_weather])
    assert r.steps[0].error == "KeyError: 'no weather for Atlantis'"
    assert r.steps[0].content.startswith("Error: KeyError")
    assert r.done and r.error is None and r.text


def test_arguments_arrive_as_the_annotated_types(client, live):
    seen: list = []

    def place(point: Point, colour: Colour, order: Order) -> str:
        seen.append((point, colour, order))
        return "placed"

    client.chat("call place", tools=[place])
    point, colour, order = seen[0]
    assert isinstance(point, Point) and isinstance(colour, Colour)
    assert isinstance(order, Order)


def test_the_step_limit_is_one_line_holding_the_partial_answer(chat, live):
    with pytest.raises(ToolLoopError) as raised:
        chat("use get_weather for Paris", tools=[get_weather], tool_choice="required",
             max_steps=2)
    error = raised.value
    assert "after 2 rounds" in str(error) and "\n" not in str(error)
    assert len(error.partial.steps) == 2 and error.partial.tool_calls


def test_confirm_asks_before_each_call_and_a_no_is_told_to_the_model(client, live):
    asked: list = []

    def decide(name: str, arguments: dict) -> bool:
        asked.append((name, arguments["location"]))
        return arguments["location"] == "Paris"

    r = client.chat("weather in Paris and Tokyo, use get_weather", tools=[get_weather],
                    confirm=decide)
    assert asked == [("get_weather", "Paris"), ("get_weather", "Tokyo")]
    assert r.steps[0].ok and r.steps[1].error == ("PermissionError: the user declined to run "
                                                 "this tool")


def test_an_async_tool_is_awaited(chat, live):
    async def slow_weather(location: str) -> str:
        await asyncio.sleep(0.01)
        return f"sunny in {location}"

    r = chat("weather in Paris, use slow_weather", tools=[slow_weather])
    assert r.steps[0].result == "sunny in Paris"


def test_big_results_go_back_bounded(client, live):
    import pandas

    def table(name: str) -> pandas.DataFrame:
        return pandas.DataFrame({"n": range(5000)})

    r = client.chat("call table", tools=[table])
    content = r.steps[0].content
    assert "showing 10 of 5,000 rows" in content and len(content) < 2000


def test_raw_tool_definitions_still_work_and_are_left_to_the_caller(client, live):
    tool = {"type": "function", "function": {"name": "lookup", "parameters": {
        "type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}}}
    r = client.chat("use lookup", tools=[tool])
    assert r.tool_calls and r.tool_calls[0].name == "lookup" and r.steps == []


@dataclasses.dataclass
class Person:
    name: str
    age: int
    role: Literal["admin", "user"]
    nickname: str | None = None


class Ticket(TypedDict):
    title: str
    priority: Literal["low", "high"]


@pytest.mark.parametrize(("schema", "kind"), [
    (Person, Person), (Ticket, dict), (Order, Order), (list[str], list),
    (Literal["yes", "no"], str),
    ({"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
      "additionalProperties": False}, dict),
])
def test_schema_sends_a_strict_response_format_and_parses_the_answer(chat, live, schema,
                                                                       kind):
    r = chat("Extract it: Ada Lovelace, 36, admin", schema=schema)
    assert isinstance(r.parsed, kind)
    sent = r.request["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["strict"] is True
    body = sent["json_schema"]["schema"]
    assert body["additionalProperties"] is False
    assert set(body["required"]) == set(body["properties"])  # every property required


def test_optional_fields_become_nullable_and_come_back_as_their_defaults(client, live):
    r = client.chat("Ada, 36, admin", schema=Person)
    nickname = r.request["response_format"]["json_schema"]["schema"]["properties"]["nickname"]
    assert {"type": "null"} in nickname["anyOf"]
    assert isinstance(r.parsed, Person)


def test_an_answer_that_does_not_fit_is_a_schema_error_with_the_raw_text():
    import httpx2

    body = {"id": "gen-1", "model": "openai/gpt-4o-mini", "choices": [{
        "index": 0, "finish_reason": "stop",
        "message": {"role": "assistant", "content": '{"name": "Ada"}'}}]}
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, json=body))
    client = Client(api_key=KEY, base_url="http://localhost:9/v1", transport=transport)
    with client, pytest.raises(SchemaError) as raised:
        client.chat("Ada", schema=Person, stream=False)
    error = raised.value
    assert isinstance(error, ValueError) and "age" in str(error) and "\n" not in str(error)
    assert error.partial.text == '{"name": "Ada"}' and error.partial.parsed is None


def test_a_model_without_structured_outputs_is_told_before_sending():
    """Checked against OpenRouter's catalogue (here the simulator's, in process): another
    OpenAI-compatible server has no catalogue to ask."""
    from or_magics.offline import Simulator, SimulatorTransport

    simulator = Simulator()
    client = Client(offline=True, transport=SimulatorTransport(simulator))
    weak = next(m.id for m in client.models() if not m.supports("structured_outputs")
                and not m.id.startswith("openrouter/") and "text" in m.output_modalities
                and "embeddings" not in m.output_modalities)
    with pytest.raises(InvalidParameterError, match="strict=False") as raised:
        client.chat("hi", model=weak, schema=Person)
    assert "models that do: " in str(raised.value)
    assert simulator.stats.snapshot()["chat_requests"] == 0
    r = client.chat("Ada, 36, admin", model=weak, schema=Person, strict=False)
    assert "JSON schema" in r.request["messages"][0]["content"]
    assert isinstance(r.parsed, Person)


def test_helpers_and_conversations_take_tools_and_schemas(live, monkeypatch):
    session = or_magics.session
    session.reset()
    session.use(Client(api_key=KEY, base_url=live.base_url))
    try:
        r = or_magics.ask("weather in Paris, use get_weather", tools=[get_weather])
        assert r.steps and session.last is r
        assert session.usage[r.model].calls == 1  # the whole loop counted once
        r = asyncio.run(or_magics.aask("Ada, 36, admin", schema=Person))
        assert isinstance(r.parsed, Person)
        chat = or_magics.Conversation()
        chat.send("weather in Tokyo, use get_weather", tools=[get_weather])
        roles = [m["role"] for m in chat.messages]
        assert roles == ["user", "assistant", "tool", "assistant"]
        assert chat.messages[1]["tool_calls"][0]["id"] == chat.messages[2]["tool_call_id"]
        follow = chat.send("and in Paris?", tools=[get_weather])  # the history is valid
        assert follow.steps and len(chat) == 2
    finally:
        session.reset()


def test_compare_and_batch_refuse_function_tools_but_take_schemas(live):
    session = or_magics.session
    session.reset()
    session.use(Client(api_key=KEY, base_url=live.base_url))
    try:
        with pytest.raises(InvalidParameterError, match="one model at a time"):
            or_magics.compare("hi", ["openai/gpt-4o-mini", "openai/gpt-4o"],
                              tools=[get_weather])
        results = or_magics.batch(["Ada, 36, admin", "Bob, 40, user"], schema=Person)
        assert all(isinstance(r.parsed, Person) for r in results)
        answers = or_magics.compare("Ada, 36", ["openai/gpt-4o-mini", "openai/gpt-4o"],
                                    schema=Person)
        assert all(isinstance(r.parsed, Person) for r in answers)
    finally:
        session.reset()


@dataclasses.dataclass
class Contact:
    name: str
    email: str | None
    company: str


@pytest.mark.parametrize(("text", "expected"), [
    ("Extract the contact: Ada Lovelace <ada@example.org> works at Analytical Engines Ltd.",
     Contact("Ada Lovelace", "ada@example.org", "Analytical Engines Ltd")),
    ("Extract: Bob <b@x.org> at Acme", Contact("Bob", "b@x.org", "Acme")),
    ("Grace Hopper joined Remington Rand; email grace@navy.mil",
     Contact("Grace Hopper", "grace@navy.mil", "Remington Rand")),
])
def test_the_simulator_extracts_a_contact_with_its_name_and_company_apart(client, live, text,
                                                                          expected):
    assert client.chat(text, schema=Contact).parsed == expected  # a demo that looks right
