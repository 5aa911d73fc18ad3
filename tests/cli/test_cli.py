"""End-to-end tests of the ``pith`` command, run as a real subprocess."""

from __future__ import annotations

import gzip
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pages import PageServer, Route

PITH = [sys.executable, "-m", "server"]


def run_pith(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PITH_CACHE_TTL": "0", **(env or {})}
    proc = subprocess.run([*PITH, *args], input=stdin, capture_output=True, env=full_env, timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8"))


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def expected(fixtures_dir: Path) -> dict:
    return json.loads((fixtures_dir / "stargate-de.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["stargate-de.html", "stargate-de.txt"])
def test_reference_page_boundaries_title_language(fixtures_dir: Path, expected: dict, name: str) -> None:
    proc = run_pith("digest", str(fixtures_dir / name), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (digest,) = json_lines(proc.stdout)
    assert digest["schema"] == 1
    assert digest["title"] == expected["title"]
    assert digest["language"] == expected["language"]
    text = digest["text"]
    assert text.startswith(expected["body_starts_with"])
    assert text.rstrip().endswith(expected["body_ends_with"])
    for needle in expected["body_must_contain"]:
        assert needle in text
    for needle in expected["body_must_not_contain"]:
        assert needle not in text
    assert digest["word_count"] > 300
    assert digest["reading_minutes"] >= 1


def test_several_sources_keep_order_and_errors_are_json_lines(samples_dir: Path, tmp_path: Path) -> None:
    html = samples_dir / "article-en.html"
    missing = tmp_path / "missing.html"
    proc = run_pith("digest", str(html), str(missing), str(html), "--format", "json")
    assert proc.returncode == 1
    lines = json_lines(proc.stdout)
    assert len(lines) == 3
    assert lines[0]["text"] == lines[2]["text"] and lines[0]["title"]
    assert lines[1] == {"source": str(missing), "error": {"code": "not_found", "message": lines[1]["error"]["message"]}}
    assert "Traceback" not in proc.stderr


def test_stdin_gzip_and_url_option(samples_dir: Path, tmp_path: Path) -> None:
    raw = (samples_dir / "article-de.html").read_bytes()
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(raw))
    from_file = json_lines(run_pith("digest", str(gz), "--format", "json").stdout)[0]
    proc = run_pith("digest", "-", "--format", "json", "--url", "https://example.org/a", stdin=raw)
    assert proc.returncode == 0, proc.stderr
    from_stdin = json_lines(proc.stdout)[0]
    assert from_stdin["text"] == from_file["text"]
    assert from_stdin["url"] == "https://example.org/a"
    assert from_stdin["language"] == "de"


def test_plain_text_article_passes_through_whole(tmp_path: Path) -> None:
    paragraphs = [
        "The city council approved the new budget on Tuesday after a debate that lasted more than six hours.",
        "The plan raises spending on schools by 4 percent and cuts the road maintenance budget by a tenth.",
        "Opponents argued that the cuts would leave several bridges without the repairs they urgently need.",
    ]
    page = tmp_path / "clean.txt"
    page.write_text("\n\n".join(paragraphs), encoding="utf-8")
    (digest,) = json_lines(run_pith("digest", str(page), "--format", "json").stdout)
    assert digest["text"] == "\n\n".join(paragraphs)
    assert digest["language"] == "en"


@pytest.mark.parametrize(
    ("content", "suffix", "code"),
    [
        (b"", ".html", "bad_request"),
        (bytes(range(256)) * 64, ".html", "not_html"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00", ".txt", "not_html"),
        (b"<html><body>" + b"<div>" * 5000 + b"x" + b"</div>" * 5000 + b"</body></html>", ".html", "no_article"),
        (b"<html><body><nav><a href='/a'>Home</a> <a href='/b'>News</a></nav></body></html>", ".html", "no_article"),
    ],
    ids=["empty", "binary", "pdf", "deeply-nested", "index-page"],
)
def test_bad_input_gets_a_code_and_the_other_sources_go_on(
        samples_dir: Path, tmp_path: Path, content: bytes, suffix: str, code: str) -> None:
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(content)
    proc = run_pith("digest", str(bad), str(samples_dir / "article-en.html"), "--format", "json")
    assert proc.returncode == 1
    first, second = json_lines(proc.stdout)
    assert first["error"]["code"] == code, first
    assert first["error"]["message"]
    assert second["text"]
    assert "Traceback" not in proc.stderr


def test_too_large_page(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body><p>" + b"word " * 300_000 + b"</p></body></html>")
    proc = run_pith("digest", str(big), "--format", "json", env={"PITH_MAX_PAGE_BYTES": "1000000"})
    assert proc.returncode == 1
    assert json_lines(proc.stdout)[0]["error"]["code"] == "too_large"


@pytest.mark.parametrize("args", [["digest"], ["digest", "a.html", "b.html", "--url", "https://x.org"],
                                  ["digest", "a.html", "--sentences", "9"], ["digest", "a.html", "--format", "xml"]])
def test_bad_arguments_exit_2(args: list[str]) -> None:
    proc = run_pith(*args)
    assert proc.returncode == 2
    assert "usage" in proc.stderr.lower()


def test_markdown_and_text_formats(samples_dir: Path) -> None:
    page = str(samples_dir / "article-en.html")
    (digest,) = json_lines(run_pith("digest", page, "--format", "json").stdout)
    markdown = run_pith("digest", page, "--format", "markdown")
    assert markdown.returncode == 0
    assert markdown.stdout.startswith(f"# {digest['title']}\n")
    text = run_pith("digest", page)
    assert text.returncode == 0
    assert text.stdout.splitlines()[0] == digest["title"]


def test_sentences_option_sets_summary_length(samples_dir: Path) -> None:
    page = str(samples_dir / "article-en.html")
    one = json_lines(run_pith("digest", page, "--format", "json", "--sentences", "1").stdout)[0]
    five = json_lines(run_pith("digest", page, "--format", "json", "--sentences", "5").stdout)[0]
    assert len(one["summary"]) == 1
    assert len(five["summary"]) > 1


def test_progress_bar_only_on_a_terminal(samples_dir: Path) -> None:
    page = str(samples_dir / "article-en.html")
    piped = run_pith("digest", page, page, "--format", "json")
    assert piped.returncode == 0 and piped.stderr == ""
    controller, tty = pty.openpty()
    try:
        proc = subprocess.run([*PITH, "digest", page, page, "--format", "json"], stdout=subprocess.PIPE,
                              stderr=tty, env={**os.environ, "PITH_CACHE_TTL": "0"}, timeout=120)
        os.close(tty)
        tty = -1
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if tty != -1:
            os.close(tty)
        os.close(controller)
    assert proc.returncode == 0
    assert b"2/2" in seen or b"1/2" in seen


@pytest.fixture()
def page_server(samples_dir: Path) -> Iterator[str]:
    with PageServer({
        "/article": Route(200, "text/html; charset=utf-8", (samples_dir / "article-en.html").read_bytes()),
        "/doc.pdf": Route(200, "application/pdf", b"%PDF-1.7 binary"),
    }) as server:
        yield server.base


def test_urls_are_fetched_safely(page_server: str) -> None:
    allowed = {"PITH_ALLOW_PRIVATE_NETWORK": "1"}
    proc = run_pith("digest", f"{page_server}/article", f"{page_server}/missing", f"{page_server}/doc.pdf",
                    "--format", "json", env=allowed)
    ok, missing, pdf = json_lines(proc.stdout)
    assert proc.returncode == 1
    assert ok["url"] == f"{page_server}/article" and ok["text"]
    assert missing["error"]["code"] == "upstream_error" and "404" in missing["error"]["message"]
    assert pdf["error"]["code"] == "not_html"
    blocked = run_pith("digest", f"{page_server}/article", "--format", "json", env={"PITH_ALLOW_PRIVATE_NETWORK": "0"})
    assert json_lines(blocked.stdout)[0]["error"]["code"] == "blocked_address"


def test_cache_clear_empties_the_store_even_when_caching_is_off(tmp_path: Path) -> None:
    from server.service.cache import open_cache
    from server.service.config import Config

    cache = open_cache(Config.from_env({"PITH_DATA_DIR": str(tmp_path), "PITH_CACHE_TTL": "600"}))
    cache.set("pith:1:test", {"schema": 1, "text": "x"})
    assert cache.get("pith:1:test") is not None
    proc = run_pith("cache", "clear", env={"PITH_DATA_DIR": str(tmp_path), "PITH_CACHE_TTL": "0"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Removed 1 ")
    assert cache.get("pith:1:test") is None
