"""%%openrouter --compare in an InteractiveShell (terminal IPython: each answer printed whole)."""

from __future__ import annotations

from IPython.utils.capture import capture_output

import or_magics

A, B, C = "openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "google/gemini-2.5-flash"


def cell(shell, line: str, body: str = "Explain recursion briefly") -> tuple[str, object]:
    with capture_output() as captured:
        result = shell.run_cell_magic("openrouter", line, body)
    return captured.stdout + "".join(o.data.get("text/plain", "") for o in captured.outputs), \
        result


def test_every_model_answers_the_cell_with_the_same_options(shell, sim):
    out, result = cell(shell, f"--compare {A} {B} {C} -t 0.2 --max-tokens 400 -s 'Be terse.' "
                              "-r low --sort price --zdr -p top_k=40 -o answers")
    answers = shell.user_ns["answers"]
    assert result is None and shell.user_ns["_"] is answers  # shown once, by streaming
    assert [r.model for r in answers] == [A, B, C] and all(r.text for r in answers)
    for r in answers:
        body = r.request
        assert body["model"] == r.model and body["temperature"] == 0.2
        assert body["max_tokens"] == 400 and body["top_k"] == 40
        assert body["messages"][0] == {"role": "system", "content": "Be terse."}
        assert body["reasoning"] == {"effort": "low"}
        assert body["provider"] == {"sort": "price", "zdr": True}
        assert f"[{r.model} · {r.provider} · simulated]" in out and r.text[:50] in out
    assert {m: u.calls for m, u in or_magics.session.usage.items()} == {A: 1, B: 1, C: 1}


def test_models_may_be_comma_separated_and_the_prompt_is_interpolated(shell, sim):
    shell.user_ns["topic"] = "tides"
    cell(shell, f"--compare {A},{B} --max-tokens 5 -o rs", "Explain {topic}")
    rs = shell.user_ns["rs"]
    assert [r.model for r in rs] == [A, B]
    assert all(r.request["messages"][-1]["content"] == "Explain tides" for r in rs)


def test_a_failing_model_shows_its_error_and_the_cell_goes_on(shell, sim):
    out, _ = cell(shell, f"--compare {A} nobody/no-such-model {B} --max-tokens 20 -o rs")
    good, bad, other = shell.user_ns["rs"]
    assert bad.error is not None and good.text and other.text
    assert f"⚠ {bad.error}" in out and good.text[:40] in out and other.text[:40] in out


def test_line_form_and_no_stream(shell, sim):
    with capture_output():
        shell.run_line_magic("openrouter", f"ask --compare {A} {B} --no-stream -o rs -- Hi")
    rs = shell.user_ns["rs"]
    assert [r.request["stream"] for r in rs] == [False, False] and all(r.text for r in rs)


def test_dry_run_shows_every_request_and_sends_nothing(shell, sim):
    before = sim.stats.snapshot()["requests"]
    out, _ = cell(shell, f"--compare {A} {B} --dry-run -t 0.5")
    assert sim.stats.snapshot()["requests"] == before
    assert out.count("POST ") == 2 and f'"model": "{A}"' in out and f'"model": "{B}"' in out
    assert out.count('"temperature": 0.5') == 2 and "offline-simulator" not in out


def test_help_mentions_compare(shell, sim):
    with capture_output() as captured:
        shell.run_line_magic("openrouter", "help")
    assert "--compare" in captured.stdout + "".join(o.data.get("text/plain", "")
                                                    for o in captured.outputs)
    assert "--compare" in or_magics.notebook.magics.OpenRouterMagics.openrouter.__doc__
