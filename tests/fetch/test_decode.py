"""Charset decoding and content sniffing, alone and through the fetcher against a local server."""

from __future__ import annotations

import codecs

import pytest

from server.core.errors import PithError
from server.service.config import Config
from server.service.decode import declared_charset, decode_page, looks_binary, sniff_kind
from server.service.fetch import fetch

TEXT = "Café „Zürich“ – 5 € für “smart quotes” … œuvre"


@pytest.mark.parametrize(("data", "content_type", "expected"), [
    # windows-1252 bytes, declared in the header in various spellings (ISO-8859-1 and ASCII labels mean 1252)
    (TEXT.encode("cp1252"), "text/html; charset=windows-1252", TEXT),
    (TEXT.encode("cp1252"), "text/html; charset=ISO-8859-1", TEXT),
    (TEXT.encode("cp1252"), 'text/html; charset="latin1"', TEXT),
    (TEXT.encode("cp1252"), "text/html;charset=us-ascii", TEXT),
    # declared in the page
    (b'<meta charset="iso-8859-1"><p>' + TEXT.encode("cp1252"), "text/html", "<meta charset=\"iso-8859-1\"><p>" + TEXT),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>' + TEXT.encode("cp1252"), None,
     '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>' + TEXT),
    (b'<?xml version="1.0" encoding="ISO-8859-15"?><p>' + "5 € œ".encode("iso-8859-15"), None,
     '<?xml version="1.0" encoding="ISO-8859-15"?><p>5 € œ'),
    # the header wins over <meta>
    (b'<meta charset="utf-8"><p>' + TEXT.encode("cp1252"), "text/html; charset=windows-1252",
     '<meta charset="utf-8"><p>' + TEXT),
    # a BOM wins over everything
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=iso-8859-1", TEXT),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "text/html", TEXT),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), None, TEXT),
    # nothing declared
    (TEXT.encode("utf-8"), None, TEXT),
    (TEXT.encode("cp1252"), None, TEXT),
    (b"plain ascii", None, "plain ascii"),
    # repairs: UTF-8 bytes under a legacy label; legacy bytes under a UTF-8 label
    (TEXT.encode("utf-8"), "text/html; charset=iso-8859-1", TEXT),
    (b'<meta charset="windows-1252">' + TEXT.encode("utf-8"), None, '<meta charset="windows-1252">' + TEXT),
    (TEXT.encode("cp1252"), "text/html; charset=utf-8", TEXT),
    # other scripts
    ("Привет, мир".encode("koi8-r"), "text/plain; charset=koi8-r", "Привет, мир"),
    ("Привет, мир".encode("cp1251"), "text/html; charset=windows-1251", "Привет, мир"),
    ("日本語のニュース".encode("cp932"), "text/html; charset=shift_jis", "日本語のニュース"),
    ("中文新闻".encode("gb18030"), "text/html; charset=gb2312", "中文新闻"),
    # a UTF-16 header without a BOM (WHATWG reads it as little-endian)
    ("Grüße".encode("utf-16-le"), "text/plain; charset=utf-16", "Grüße"),
    # unknown labels fall back to sniffing
    (TEXT.encode("utf-8"), "text/html; charset=no-such-charset", TEXT),
])
def test_decode_page(data: bytes, content_type: str | None, expected: str) -> None:
    assert decode_page(data, content_type) == expected


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    data = ("Grüße " * 50).encode("utf-8") + b"\xff" + b" Ende"
    text = decode_page(data)
    assert text.startswith("Grüße Grüße") and text.endswith("\ufffd Ende")


def test_meta_utf16_label_on_an_ascii_page_means_utf8() -> None:
    assert declared_charset(b'<meta charset="utf-16"><p>x') == "utf-8"


@pytest.mark.parametrize("data", [b"%PDF-1.5\n...", b"\x89PNG\r\n\x1a\n\x00\x00", b"\x00\x01\x02\x03" * 50,
                                  b"PK\x03\x04\x14\x00", b"\x1f\x8b\x08\x00\x00\x00", bytes(range(32)) * 20])
def test_binary_is_refused(data: bytes) -> None:
    assert looks_binary(data)
    with pytest.raises(PithError) as err:
        decode_page(data, "text/html")
    assert err.value.code == "not_html"


@pytest.mark.parametrize("data", [b"", b"Hello\tworld\r\n", TEXT.encode("utf-8"), TEXT.encode("cp1252"),
                                  codecs.BOM_UTF16_LE + "hi".encode("utf-16-le")])
def test_text_is_not_binary(data: bytes) -> None:
    assert not looks_binary(data)


@pytest.mark.parametrize(("data", "kind"), [
    (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
    (b"\n\n  <html lang=en><p>x", "html"),
    (b"<!-- generated --><div class=a>x</div>", "html"),
    (codecs.BOM_UTF8 + b"<!doctype html><title>x</title>", "html"),
    (codecs.BOM_UTF16_LE + "<html><p>x</p></html>".encode("utf-16-le"), "html"),
    (b"A headline\n\nSome text with a < sign and > another.", "text"),
    (b"<notatag> plain", "text"),
    (b"%PDF-1.4 binary", None),
    (b"GIF89a....", None),
    (b"\x00\x00\x00\x18ftypmp42", None),
])
def test_sniff_kind(data: bytes, kind: str | None) -> None:
    assert sniff_kind(data) == kind


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    (TEXT.encode("cp1252"), "text/html; charset=windows-1252", TEXT),
    (TEXT.encode("cp1252"), "text/plain; charset=ISO-8859-1", TEXT),
    (b'<html><head><meta charset="iso-8859-1"></head><body>' + TEXT.encode("cp1252") + b"</body></html>",
     "text/html", f'<html><head><meta charset="iso-8859-1"></head><body>{TEXT}</body></html>'),
    (codecs.BOM_UTF8 + b"<p>" + TEXT.encode("utf-8"), "text/html; charset=windows-1252", "<p>" + TEXT),
    (b"<p>" + TEXT.encode("cp1252"), None, "<p>" + TEXT),
])
def test_charsets_through_the_fetcher(site, config: Config, body: bytes, content_type: str | None,
                                      expected: str) -> None:
    site.page("/c", body, content_type=content_type)
    assert fetch(site.url("/c"), config).text == expected


def test_empty_page_is_no_article(site, config: Config) -> None:
    site.page("/empty", b"  \n ", content_type="text/html")
    with pytest.raises(PithError) as err:
        fetch(site.url("/empty"), config)
    assert err.value.code == "no_article"
