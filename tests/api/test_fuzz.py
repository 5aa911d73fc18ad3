"""Hypothesis against the running server: whatever arrives, the answer is a digest or a JSON 4xx."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.core.errors import STATUS

FUZZ = settings(max_examples=60, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
# Strings that may be fetched point at a closed loopback port: no test leaves 127.0.0.0/8.
LOCAL = "http://127.0.0.1:9/"
fetchable = st.builds(lambda s: LOCAL + s, st.text(max_size=200))
huge = st.builds(lambda unit, n: unit * n, st.text(min_size=1, max_size=8), st.integers(1, 120_000))
# many short sentences: the splitter and the rankers must stay fast on long texts
prose = st.builds(lambda words, n: (" ".join(words) + ". ") * n,
                  st.lists(st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), min_size=1, max_size=6),
                  st.integers(1, 5000))
page = st.one_of(st.text(max_size=3000), huge, prose, json_values,
                 st.binary(max_size=3000).map(lambda b: b.decode("latin-1")))
payloads = st.fixed_dictionaries({}, optional={
    "html": page, "text": page,
    "url": st.one_of(fetchable, json_values.filter(lambda v: not isinstance(v, str))),
    "sentences": st.one_of(st.integers(-3, 9), json_values),
}) | st.dictionaries(st.text(max_size=12).filter(lambda k: k != "url"), json_values, max_size=4)


def _check(response, conforms, verbatim) -> None:
    assert response.status_code != 500, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.content)
    if response.status_code == 200:
        conforms("Digest", body)
        verbatim(body)
        return
    assert 400 <= response.status_code < 600
    conforms("Error", body)
    assert STATUS[body["error"]["code"]] == response.status_code


@FUZZ
@given(payload=payloads)
def test_random_json_requests(client, conforms, verbatim, payload):
    response = client.post("/api/v1/digest", json=payload)
    _check(response, conforms, verbatim)
    if not ({"html", "text"} & set(payload)) and not isinstance(payload.get("url"), str):
        assert response.status_code == 400


@FUZZ
@given(raw=st.binary(max_size=5000))
def test_random_bytes_as_the_body(client, conforms, verbatim, raw):
    response = client.post("/api/v1/digest", content=raw, headers={"Content-Type": "application/json"})
    _check(response, conforms, verbatim)


@FUZZ
@given(raw=st.binary(min_size=1, max_size=4000))
def test_random_bytes_as_html_and_invalid_utf8(client, conforms, verbatim, raw):
    # the bytes inside a JSON string (as Latin-1), and the same bytes spliced raw into the JSON body
    _check(client.post("/api/v1/digest", json={"html": raw.decode("latin-1")}), conforms, verbatim)
    body = b'{"html": "<html><body><p>' + raw.replace(b'"', b"").replace(b"\\", b"") + b'</p></body></html>"}'
    _check(client.post("/api/v1/digest", content=body), conforms, verbatim)


@FUZZ
@given(path=st.text(max_size=200), sentences=st.text(max_size=5))
def test_random_query_strings(client, conforms, verbatim, path, sentences):
    response = client.get("/api/v1/digest", params={"url": LOCAL + path, "sentences": sentences})
    _check(response, conforms, verbatim)
    assert response.status_code in (400, 502)


def test_the_server_is_still_up_after_the_fuzzing(pith, client):
    assert pith.alive()
    assert client.get("/healthz").json()["status"] == "ok"
