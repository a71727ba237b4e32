from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from or_magics.client.sse import DONE, SSEDecoder


def decode(*reads: bytes) -> list[bytes]:
    decoder = SSEDecoder()
    out: list[bytes] = []
    for read in reads:
        out.extend(decoder.feed(read))
    return out + decoder.close()


def test_keepalive_comments_before_and_between_events_are_skipped():
    body = (b": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n"
            b'data: {"a":1}\n\n: OPENROUTER PROCESSING\n\ndata: {"a":2}\n\ndata: [DONE]\n\n')
    assert decode(body) == [b'{"a":1}', b'{"a":2}', DONE]


def test_crlf_and_lone_cr_line_endings():
    assert decode(b'data: {"a":1}\r\n\r\ndata: [DONE]\r\n\r\n') == [b'{"a":1}', DONE]
    assert decode(b'data: {"a":1}\r\rdata: x\r\r') == [b'{"a":1}', b"x"]


def test_crlf_split_between_cr_and_lf_does_not_end_the_event_early():
    assert decode(b"data: a\r", b"\ndata: b\r\n\r\n") == [b"a\nb"]


def test_multiline_data_is_joined_with_newlines_and_other_fields_ignored():
    body = b"event: message\nid: 7\nretry: 100\ndata: first\ndata:second\ndata\n\n"
    assert decode(body) == [b"first\nsecond\n"]


def test_event_without_trailing_blank_line_is_delivered_at_close():
    assert decode(b'data: {"a":1}\n\ndata: [DONE]') == [b'{"a":1}', DONE]


def test_nothing_pending_gives_nothing_at_close():
    decoder = SSEDecoder()
    assert decoder.feed(b": ping\n\n") == []
    assert decoder.close() == []


events = st.lists(
    st.dictionaries(st.text(max_size=5), st.text(max_size=20), max_size=3), min_size=1,
    max_size=8,
)


@given(events, st.sampled_from([b"\n", b"\r\n"]), st.data())
def test_any_split_of_the_bytes_gives_the_same_events(payloads, eol, data):
    body = b": OPENROUTER PROCESSING" + eol + eol
    for payload in payloads:
        body += b"data: " + json.dumps(payload).encode() + eol + eol
    body += b"data: [DONE]" + eol + eol
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=10)))
    reads = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    got = decode(*reads)
    assert got[-1] == DONE
    assert [json.loads(p) for p in got[:-1]] == payloads


def test_a_huge_event_in_many_small_reads_arrives_whole_once():
    """Reads without a line break are held, not re-joined per read (linear: bench_sse.py)."""
    body = b'data: {"t":"' + b"x" * 300_000 + b'"}\r\n\r\ndata: [DONE]\r\n\r\n'
    reads = [body[i:i + 1000] for i in range(0, len(body), 1000)]
    decoder = SSEDecoder()
    found = [len(decoder.feed(read)) for read in reads]
    assert found == [0] * (len(reads) - 1) + [2]
    assert decode(*reads) == [body[6:300_014], DONE]
