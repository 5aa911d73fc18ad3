"""The Digest JSON contract, configuration from the environment, rendering and the pipeline's input checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.core.digest import Digest, Fact, Quote, Span, count_words, reading_minutes
from server.core.errors import STATUS, PithError
from server.core.langdata import load
from server.core.pipeline import build_digest, looks_like_html
from server.core.render import to_markdown, to_text
from server.service.config import Config

TEXT = "Der Rat beschloss 12 Millionen Franken.\n\n«Das ist gut», sagte Anna Muster."


def _digest() -> Digest:
    fig_start = TEXT.index("12 Millionen Franken")
    q_start = TEXT.index("Das ist gut")
    return Digest(
        text=TEXT, title="Rat beschliesst Kredit", site="Beispiel", date="2026-01-02", language="de",
        summary=[Span(TEXT[:39], 0, 39)],
        facts=[Fact(TEXT[:39], 0, 39, [Span("12 Millionen Franken", fig_start, fig_start + 20)])],
        quotes=[Quote("Das ist gut", [(q_start, q_start + 11)], "Anna Muster", "Anna Muster", "sagte")],
    )


def test_digest_json_has_spec_keys_and_round_trips() -> None:
    d = _digest().to_dict()
    assert list(d) == ["schema", "url", "title", "author", "date", "site", "language", "text", "word_count",
                       "reading_minutes", "summary", "facts", "quotes"]
    assert d["schema"] == 1 and d["author"] is None and d["url"] is None
    assert d["quotes"][0]["spans"] == [[TEXT.index("Das ist gut"), TEXT.index("Das ist gut") + 11]]
    assert Digest.from_dict(d).to_dict() == d


def test_word_count_and_reading_minutes() -> None:
    assert count_words("Elon Musk's e-mail: 3.5 million, z. B. gut") == 8
    assert reading_minutes(0) == 1
    assert reading_minutes(230) == 1
    assert reading_minutes(231) == 2


def test_error_codes_have_statuses() -> None:
    err = PithError("too_large", "Too big.")
    assert err.status == 413 and err.to_dict() == {"error": {"code": "too_large", "message": "Too big."}}
    assert STATUS["fetch_timeout"] == 504
    with pytest.raises(ValueError):
        PithError("no_such_code", "x")


def test_config_defaults_and_environment() -> None:
    default = Config.from_env({})
    assert (default.host, default.port) == ("127.0.0.1", 8000)
    assert (default.rate_limit, default.cache_ttl) == ("120/minute", 86400)
    assert default.api_token is None and not default.allow_private_network
    env = {"PITH_PORT": "9000", "PITH_API_TOKEN": "s3cret", "PITH_CORS_ORIGINS": "https://a.org, https://b.org",
           "PITH_ALLOW_PRIVATE_NETWORK": "1", "PITH_DATA_DIR": "/tmp/pith-x", "PITH_BOT_ALLOWED_USERS": "1,2"}
    cfg = Config.from_env(env)
    assert cfg.port == 9000 and cfg.api_token == "s3cret"
    assert cfg.cors_origins == ("https://a.org", "https://b.org")
    assert cfg.allow_private_network and cfg.data_dir == Path("/tmp/pith-x") and cfg.bot_allowed_users == (1, 2)
    with pytest.raises(ValueError):
        Config.from_env({"PITH_PORT": "eighty"})


def test_markdown_and_text_rendering_show_figures_and_speakers() -> None:
    md = to_markdown(_digest())
    assert md.startswith("# Rat beschliesst Kredit\n")
    assert "**12 Millionen Franken**" in md
    assert "«Das ist gut»" in md and "Anna Muster" in md
    text = to_text(_digest())
    assert "Key facts:" in text and "— Anna Muster" in text


def test_langdata_loads_tables_and_rejects_odd_names() -> None:
    assert load("xx", "quotes") == {}
    assert load("../de", "quotes") == {}
    assert load(None, "quotes") == {}


@pytest.mark.parametrize(("page", "is_html"), [
    ("<!DOCTYPE html><html><body><p>Hi</p></body></html>", True),
    ("<div><p>Paragraph one.</p><p>Two.</p></div>", True),
    ("The price rose to <5 % and then >7 %.\n\nA second paragraph.", False),
    ("Plain text about <b> tags.", False),
])
def test_looks_like_html(page: str, is_html: bool) -> None:
    assert looks_like_html(page) is is_html


@pytest.mark.parametrize(("page", "code"),
                         [("", "bad_request"), ("   \n ", "bad_request"), ("a\x00b" * 10, "not_html")])
def test_pipeline_rejects_bad_input(page: str, code: str) -> None:
    with pytest.raises(PithError) as info:
        build_digest(page)
    assert info.value.code == code


def test_pipeline_rejects_bad_summary_length() -> None:
    with pytest.raises(PithError) as info:
        build_digest("Some text. " * 20, sentences=7)
    assert info.value.code == "bad_request"
