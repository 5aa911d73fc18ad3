"""The fetcher against real HTTP servers on 127.0.0.1: redirects, limits, content types, failures, TLS."""

from __future__ import annotations

import gzip
import socket
import ssl
import struct
import time
import zlib
from dataclasses import replace

import pytest

from server.core.errors import PithError
from server.service.config import Config
from server.service.digests import digest_url
from server.service.fetch import fetch

ARTICLE = "<!doctype html><html><head><title>Hello</title></head><body><p>Grüße aus Zürich.</p></body></html>"


def _code(call) -> PithError:
    with pytest.raises(PithError) as err:
        call()
    return err.value


# ---- the plain case, loopback and the flag -------------------------------------------------------------------

def test_fetches_html_with_browser_headers(site, config: Config) -> None:
    site.page("/a", ARTICLE)
    page = fetch(site.url("/a?x=1"), config)
    assert page.text == ARTICLE
    assert page.content_type == "html"
    assert page.url == site.url("/a?x=1")
    seen = site.seen[0]
    assert seen.path == "/a?x=1"
    assert seen.headers["user-agent"].startswith("Mozilla/5.0")
    assert "gzip" in seen.headers["accept-encoding"] and "deflate" in seen.headers["accept-encoding"]
    assert "text/html" in seen.headers["accept"]
    assert seen.headers["host"] == f"127.0.0.1:{site.port}"


def test_loopback_is_blocked_without_the_flag(site, config: Config) -> None:
    site.page("/a", ARTICLE)
    err = _code(lambda: fetch(site.url("/a"), replace(config, allow_private_network=False)))
    assert err.code == "blocked_address"
    assert site.seen == []  # refused before connecting
    err = _code(lambda: fetch(site.url("/a", host="0x7f000001"), replace(config, allow_private_network=False)))
    assert err.code == "blocked_address"
    assert site.seen == []


def test_odd_loopback_spellings_reach_the_server_with_the_flag(site, config: Config) -> None:
    site.page("/a", ARTICLE)
    for host in ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1"):
        assert fetch(site.url("/a", host=host), config).text == ARTICLE
    assert len(site.seen) == 4


def test_non_ascii_path_is_percent_encoded(site, config: Config) -> None:
    site.page("/stra%C3%9Fe%20neu", ARTICLE)
    assert fetch(site.url("/straße neu"), config).text == ARTICLE


def test_names_go_through_the_resolver_and_keep_their_host_header(site, config: Config, resolver_factory) -> None:
    site.page("/a", ARTICLE)
    resolver = resolver_factory({"news.test": ["127.0.0.1"]})
    page = fetch(site.url("/a", host="news.test"), config, resolver=resolver)
    assert page.text == ARTICLE
    assert resolver.calls == [("news.test", site.port)]
    assert site.seen[0].headers["host"] == f"news.test:{site.port}"


def test_next_address_is_tried_when_the_first_refuses(site, config: Config, resolver_factory) -> None:
    site.page("/a", ARTICLE)
    resolver = resolver_factory({"news.test": ["127.0.0.2", "127.0.0.1"]})  # nothing listens on 127.0.0.2
    assert fetch(site.url("/a", host="news.test"), config, resolver=resolver).text == ARTICLE


def test_rebinding_name_gets_one_lookup_and_the_vetted_address(site, config: Config, resolver_factory) -> None:
    """The name answers loopback (allowed by the flag) first, then cloud metadata: the second answer is never used."""
    site.page("/a", ARTICLE)
    resolver = resolver_factory({"rebind.test": [["127.0.0.1"], ["169.254.169.254"]]})
    assert fetch(site.url("/a", host="rebind.test"), config, resolver=resolver).text == ARTICLE
    assert resolver.calls == [("rebind.test", site.port)]


def test_rebinding_between_redirect_hops_is_caught(site, config: Config, resolver_factory) -> None:
    site.redirect("/start", f"http://rebind.test:{site.port}/next")
    site.page("/next", ARTICLE)
    resolver = resolver_factory({"rebind.test": [["127.0.0.1"], ["169.254.169.254"]]})
    err = _code(lambda: fetch(site.url("/start", host="rebind.test"), config, resolver=resolver))
    assert err.code == "blocked_address"
    assert "169.254.169.254" in err.message
    assert len(resolver.calls) == 2
    assert [s.path for s in site.seen] == ["/start"]


# ---- redirects ------------------------------------------------------------------------------------------------

def _chain(site, hops: int) -> str:
    for i in range(hops):
        site.redirect(f"/r{i}", f"/r{i + 1}" if i + 1 < hops else "/final", status=(301, 302, 303, 307, 308)[i % 5])
    site.page("/final", ARTICLE)
    return site.url("/r0")


def test_five_redirects_are_followed_to_the_final_url(site, config: Config) -> None:
    page = fetch(_chain(site, 5), config)
    assert page.text == ARTICLE
    assert page.url == site.url("/final")
    assert [s.path for s in site.seen] == ["/r0", "/r1", "/r2", "/r3", "/r4", "/final"]


def test_six_redirects_are_too_many(site, config: Config) -> None:
    err = _code(lambda: fetch(_chain(site, 6), config))
    assert err.code == "fetch_failed"
    assert "redirect" in err.message
    assert "/final" not in [s.path for s in site.seen]


def test_redirect_loop_stops(site, config: Config) -> None:
    site.redirect("/loop", "/loop")
    assert _code(lambda: fetch(site.url("/loop"), config)).code == "fetch_failed"
    assert len(site.seen) == 6


@pytest.mark.parametrize(("location", "final"), [
    ("b", "/dir/b"), ("../top", "/top"), ("/abs?q=1", "/abs?q=1"), ("c?q=2", "/dir/c?q=2"),
])
def test_relative_locations_are_resolved(site, config: Config, location: str, final: str) -> None:
    site.redirect("/dir/a", location)
    site.page(final.split("?")[0], ARTICLE)
    page = fetch(site.url("/dir/a"), config)
    assert page.url == site.url(final)
    assert page.text == ARTICLE


def test_protocol_relative_location(site, config: Config, resolver_factory) -> None:
    site.redirect("/a", f"//news.test:{site.port}/b")
    site.page("/b", ARTICLE)
    page = fetch(site.url("/a"), config, resolver=resolver_factory({"news.test": ["127.0.0.1"]}))
    assert page.url == f"http://news.test:{site.port}/b"


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://0xa9fea9fe/", "http://224.0.0.1/",
    "http://[::ffff:169.254.169.254]/",
])
def test_redirect_to_a_blocked_address(site, config: Config, target: str) -> None:
    site.redirect("/a", target)
    err = _code(lambda: fetch(site.url("/a"), config))
    assert err.code == "blocked_address"


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/inside", "http://2130706433:{port}/inside",
                                    "http://[::ffff:127.0.0.1]:{port}/inside", "http://intranet.test:{port}/inside"])
def test_redirect_from_public_to_loopback_without_the_flag(site, config: Config, resolver_factory, monkeypatch,
                                                          target: str) -> None:
    """A public page (the test dials it on 127.0.0.1 behind the fetcher's back) redirects inward: refused."""
    import ipaddress

    import server.service.fetch as fetch_module

    real_connect = fetch_module._connect
    dialled: list[list[str]] = []

    def nat(addresses: list, port: int, deadline: float):  # the "public" address lives on the local server
        dialled.append([str(a) for a in addresses])
        assert addresses == [ipaddress.ip_address("93.184.216.34")]
        return real_connect([ipaddress.ip_address("127.0.0.1")], port, deadline)

    monkeypatch.setattr(fetch_module, "_connect", nat)
    site.redirect("/out", target.format(port=site.port))
    site.page("/inside", ARTICLE)
    resolver = resolver_factory({"public.test": ["93.184.216.34"], "intranet.test": ["10.1.2.3"]})
    err = _code(lambda: fetch(site.url("/out", host="public.test"), replace(config, allow_private_network=False),
                              resolver=resolver))
    assert err.code == "blocked_address"
    assert "redirected" in err.message
    assert dialled == [["93.184.216.34"]]
    assert [s.path for s in site.seen] == ["/out"]


def test_redirect_to_another_scheme_is_refused(site, config: Config) -> None:
    site.redirect("/a", "file:///etc/passwd")
    err = _code(lambda: fetch(site.url("/a"), config))
    assert err.code == "bad_request"
    assert "file" in err.message


def test_redirect_without_location_is_upstream_error(site, config: Config) -> None:
    site.page("/a", b"", content_type=None, status=302)
    err = _code(lambda: fetch(site.url("/a"), config))
    assert err.code == "upstream_error"
    assert "302" in err.message


def test_cookies_set_on_a_redirect_are_sent_back(site, config: Config) -> None:
    site.page("/login", b"", content_type=None, status=302, headers={"Location": "/page", "Set-Cookie": "consent=yes"})

    def page(h) -> None:
        ok = "consent=yes" in (h.headers.get("Cookie") or "")
        body = ARTICLE.encode() if ok else b"no cookie"
        h.send_response(200 if ok else 403)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        h.wfile.write(body)

    site.route("/page", page)
    assert fetch(site.url("/login"), config).text == ARTICLE


# ---- status codes and content types ---------------------------------------------------------------------------

@pytest.mark.parametrize("status", [403, 404, 410, 500, 503])
def test_error_statuses_are_upstream_errors_naming_the_status(site, config: Config, status: int) -> None:
    site.page("/a", "<html><body>error page</body></html>", status=status)
    err = _code(lambda: fetch(site.url("/a"), config))
    assert err.code == "upstream_error"
    assert str(status) in err.message


def test_missing_page_is_upstream_404(site, config: Config) -> None:
    err = _code(lambda: fetch(site.url("/nothing-here"), config))
    assert (err.code, "404" in err.message) == ("upstream_error", True)


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64),
    ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64),
    ("application/octet-stream", b"\x00\x01\x02\x03" * 100),
    ("application/json", b'{"title": "not a page"}'),
    ("text/css", b"body { color: red }"),
    ("video/mp4", b"\x00\x00\x00\x18ftypmp42"),
])
def test_other_content_types_are_not_html(site, config: Config, content_type: str, body: bytes) -> None:
    site.page("/f", body, content_type=content_type)
    err = _code(lambda: fetch(site.url("/f"), config))
    assert err.code == "not_html"
    assert content_type in err.message


@pytest.mark.parametrize(("content_type", "body", "kind"), [
    ("text/plain; charset=utf-8", "Just a text.\n\nWith paragraphs.", "text"),
    ("TEXT/HTML; Charset=UTF-8", ARTICLE, "html"),
    ("application/xhtml+xml", '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>x</p></html>',
     "html"),
    ("text/plain", "<!DOCTYPE html><html><body><p>served as text</p></body></html>", "html"),
    (None, ARTICLE, "html"),
    (None, "  <html><body><p>no doctype</p></body></html>", "html"),
    (None, "A plain text without any type.\nSecond line.", "text"),
])
def test_html_and_text_kinds(site, config: Config, content_type: str | None, body: str, kind: str) -> None:
    site.page("/p", body, content_type=content_type)
    page = fetch(site.url("/p"), config)
    assert (page.content_type, page.text) == (kind, body)


@pytest.mark.parametrize("body", [b"%PDF-1.4\n" + b"x" * 100, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
                                  b"GIF89a\x01\x00" + b"\x00" * 50, bytes(range(256)) * 4])
def test_untyped_binary_is_not_html(site, config: Config, body: bytes) -> None:
    site.page("/b", body, content_type=None)
    assert _code(lambda: fetch(site.url("/b"), config)).code == "not_html"


def test_html_typed_binary_is_not_html(site, config: Config) -> None:
    site.page("/b", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, content_type="text/html")
    assert _code(lambda: fetch(site.url("/b"), config)).code == "not_html"


# ---- size caps and compression --------------------------------------------------------------------------------

def test_declared_oversize_body_is_too_large(site, config: Config) -> None:
    site.page("/big", b"<p>" + b"a" * 1_500_000, content_type="text/html")
    err = _code(lambda: fetch(site.url("/big"), config))
    assert err.code == "too_large"
    assert "1,000,000" in err.message


def test_undeclared_oversize_body_is_too_large(site, config: Config) -> None:
    site.page("/big", b"<p>" + b"a" * 3_000_000, content_type="text/html", length=False)
    assert _code(lambda: fetch(site.url("/big"), config)).code == "too_large"


def test_body_at_the_cap_is_fine(site, config: Config) -> None:
    body = b"<p>" + b"a" * (config.max_page_bytes - 3)
    site.page("/edge", body, content_type="text/html", length=False)
    assert len(fetch(site.url("/edge"), config).text) == config.max_page_bytes
    site.page("/over", body + b"a", content_type="text/html", length=False)
    assert _code(lambda: fetch(site.url("/over"), config)).code == "too_large"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_pages_are_decoded(site, config: Config, encoding: str) -> None:
    data = ARTICLE.encode()
    packed = {"gzip": gzip.compress(data), "deflate": zlib.compress(data),
              "raw-deflate": zlib.compress(data, wbits=-15) if hasattr(zlib, "compress") else b""}[encoding]
    header = "deflate" if encoding == "raw-deflate" else encoding
    site.page("/z", packed, headers={"Content-Encoding": header})
    assert fetch(site.url("/z"), config).text == ARTICLE


def test_multi_member_gzip(site, config: Config) -> None:
    site.page("/z", gzip.compress(b"<html><body><p>one ") + gzip.compress(b"two</p></body></html>"),
              headers={"Content-Encoding": "gzip"})
    assert fetch(site.url("/z"), config).text == "<html><body><p>one two</p></body></html>"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compression_bombs_stop_at_the_cap(site, config: Config, encoding: str) -> None:
    """50 MB of zeros in ~50 kB: the decoded size is what counts, and reading stops once it passes the cap."""
    bomb = b"<html><body><p>" + b"\x20" * 50_000_000
    packed = gzip.compress(bomb, 9) if encoding == "gzip" else zlib.compress(bomb, 9)
    assert len(packed) < config.max_page_bytes // 10
    site.page("/bomb", packed, headers={"Content-Encoding": encoding})
    assert _code(lambda: fetch(site.url("/bomb"), config)).code == "too_large"


def test_unknown_content_encoding_is_refused(site, config: Config) -> None:
    site.page("/br", b"\x1b\x03\x00\xf8\xa5", headers={"Content-Encoding": "br"})
    err = _code(lambda: fetch(site.url("/br"), config))
    assert err.code == "fetch_failed"
    assert "br" in err.message


def test_corrupt_gzip_is_fetch_failed(site, config: Config) -> None:
    site.page("/bad", b"\x1f\x8b\x08\x00garbage-not-deflate" * 10, headers={"Content-Encoding": "gzip"})
    assert _code(lambda: fetch(site.url("/bad"), config)).code == "fetch_failed"


def _raw(response: bytes, pause: float = 0.0):
    def handle(h) -> None:
        h.close_connection = True
        for part in response.split(b"|"):
            h.wfile.write(part)
            h.wfile.flush()
            time.sleep(pause)
    return handle


def test_chunked_gzip_body(site, config: Config) -> None:
    packed = gzip.compress(ARTICLE.encode())
    half = len(packed) // 2
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (packed[:half], packed[half:])) + b"0\r\n\r\n"
    site.route("/c", _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                          b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks))
    assert fetch(site.url("/c"), config).text == ARTICLE


# ---- time cap -------------------------------------------------------------------------------------------------

def _timed(call) -> tuple[PithError, float]:
    start = time.monotonic()
    err = _code(call)
    return err, time.monotonic() - start


def test_slow_server_times_out(site, config: Config) -> None:
    site.route("/slow", lambda h: time.sleep(20))
    err, took = _timed(lambda: fetch(site.url("/slow"), replace(config, fetch_timeout=1.0)))
    assert err.code == "fetch_timeout"
    assert took < 10  # generous: the 1 s cap, not the server, ends it


def test_slow_drip_body_hits_the_overall_cap(site, config: Config) -> None:
    """Every byte arrives quickly after the previous one, but the whole body would take 20 s."""
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"
    site.route("/drip", _raw(head + b"|" + b"|".join([b"a"] * 40), pause=0.5))
    err, took = _timed(lambda: fetch(site.url("/drip"), replace(config, fetch_timeout=1.0)))
    assert err.code == "fetch_timeout"
    assert took < 10  # generous: the point is that the 1 s cap, not the server, ends it


def test_slow_drip_headers_hit_the_overall_cap(site, config: Config) -> None:
    head = b"HTTP/1.0 200 OK\r\n" + b"X-Pad: a\r\n" * 40 + b"Content-Type: text/html\r\n\r\n<p>x</p>"
    site.route("/drip", _raw(b"|".join(head[i:i + 8] for i in range(0, len(head), 8)), pause=0.3))
    err, took = _timed(lambda: fetch(site.url("/drip"), replace(config, fetch_timeout=1.0)))
    assert err.code == "fetch_timeout"
    assert took < 10  # generous: the point is that the 1 s cap, not the server, ends it


def test_fast_enough_drip_is_fine(site, config: Config) -> None:
    site.route("/drip", _raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n|<p>a|b|c</p>", pause=0.05))
    assert fetch(site.url("/drip"), replace(config, fetch_timeout=3.0)).text == "<p>abc</p>"


# ---- network failures -----------------------------------------------------------------------------------------

def test_connection_refused_is_fetch_failed(config: Config) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    err = _code(lambda: fetch(f"http://127.0.0.1:{port}/", config))
    assert err.code == "fetch_failed"
    assert "refused" in err.message


def test_connection_reset_is_fetch_failed(site, config: Config) -> None:
    def reset(h) -> None:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()

    site.route("/reset", reset)
    assert _code(lambda: fetch(site.url("/reset"), config)).code == "fetch_failed"


def test_closed_without_answer_is_fetch_failed(site, config: Config) -> None:
    site.route("/silent", lambda h: None)
    assert _code(lambda: fetch(site.url("/silent"), config)).code == "fetch_failed"


def test_non_http_answer_is_fetch_failed(site, config: Config) -> None:
    site.route("/ssh", _raw(b"SSH-2.0-OpenSSH_9.6\r\n"))
    assert _code(lambda: fetch(site.url("/ssh"), config)).code == "fetch_failed"


def test_truncated_body_is_fetch_failed(site, config: Config) -> None:
    site.route("/cut", _raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 500\r\n\r\n<p>cut"))
    assert _code(lambda: fetch(site.url("/cut"), config)).code == "fetch_failed"


# ---- TLS ------------------------------------------------------------------------------------------------------

def test_https_to_the_vetted_address_checks_the_certificate_name(tls_site, config: Config, client_tls,
                                                                resolver_factory) -> None:
    tls_site.page("/a", ARTICLE)
    resolver = resolver_factory({"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    page = fetch(tls_site.url("/a", host="news.test"), config, resolver=resolver, ssl_context=client_tls)
    assert (page.text, page.url) == (ARTICLE, f"https://news.test:{tls_site.port}/a")
    assert tls_site.seen[0].headers["host"] == f"news.test:{tls_site.port}"
    err = _code(lambda: fetch(tls_site.url("/a", host="other.test"), config, resolver=resolver,
                              ssl_context=client_tls))
    assert err.code == "fetch_failed"
    assert "certificate" in err.message
    assert len(tls_site.seen) == 1


def test_https_with_an_untrusted_certificate_fails(tls_site, config: Config, resolver_factory) -> None:
    tls_site.page("/a", ARTICLE)
    err = _code(lambda: fetch(tls_site.url("/a", host="news.test"), config,
                              resolver=resolver_factory({"news.test": ["127.0.0.1"]})))
    assert err.code == "fetch_failed"
    assert tls_site.seen == []


def test_plain_http_to_a_tls_port_fails_cleanly(tls_site, config: Config) -> None:
    err = _code(lambda: fetch(f"http://127.0.0.1:{tls_site.port}/a", config))
    assert err.code == "fetch_failed"


def test_slow_tls_handshake_times_out(config: Config) -> None:
    """A server that accepts the connection and never speaks TLS."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        port = listener.getsockname()[1]
        context = ssl.create_default_context()
        err, took = _timed(lambda: fetch(f"https://127.0.0.1:{port}/", replace(config, fetch_timeout=1.0),
                                         ssl_context=context))
        assert err.code == "fetch_timeout"
        assert took < 10  # generous: the point is that the 1 s cap, not the server, ends it
    finally:
        listener.close()


# ---- the service uses the fetcher ---------------------------------------------------------------------------

def test_digest_url_fetches_through_the_safe_fetcher(site, config: Config, samples_dir) -> None:
    site.page("/story", (samples_dir / "article-en.html").read_bytes(), content_type="text/html")
    digest = digest_url(site.url("/story"), config)
    assert digest.title
    assert digest.url == site.url("/story")
    err = _code(lambda: digest_url(site.url("/story"), replace(config, allow_private_network=False)))
    assert err.code == "blocked_address"


def test_watchdog_ends_a_blocked_read_at_the_deadline() -> None:
    from server.service.fetch import _Watchdog  # the hard stop behind the per-read deadline

    left, right = socket.socketpair()
    try:
        dog = _Watchdog(left, time.monotonic() + 0.1)
        left.settimeout(5)
        assert left.recv(10) == b""  # the shutdown ends the wait, not the 5 s timeout
        assert dog.fired
        dog.cancel()
    finally:
        left.close()
        right.close()


def test_truncated_chunked_body_is_fetch_failed(site, config: Config) -> None:
    site.route("/cut", _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                            b"Connection: close\r\n\r\n10\r\n<p>cut"))
    assert _code(lambda: fetch(site.url("/cut"), config)).code == "fetch_failed"
