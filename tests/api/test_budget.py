"""PITH_DIGEST_TIMEOUT: an over-budget digest is stopped (its CPU freed) and answered `digest_timeout`."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import httpx
import pytest

from server.core.errors import PithError
from server.service.budget import digest_within

BUDGET = 1.0
# Liveness bounds, about ten times what the bench measures (see the issue): a /healthz answer, the
# time from the budget to the 503, and a normal digest after the killed ones.
HEALTH_WITHIN = 2.0
TIMEOUT_ANSWER_WITHIN = BUDGET + 10.0
NORMAL_DIGEST_WITHIN = 10.0


def quote_heavy(n_bytes: int) -> str:
    """A text of many short attributed quotes, the slowest kind of input for the quote stage."""
    names = ["Anna Beispiel", "Bernd Muster", "Clara Probe", "Dieter Vorlage"]
    parts = ["Ein Text voller Zitate\n"]
    size, i = 0, 0
    while size < n_bytes:
        line = f"«Das ist Satz Nummer {i} und er ist gut», sagte {names[i % 4]}. Danach ging es weiter."
        parts.append(line)
        size += len(line.encode("utf-8")) + 1
        i += 1
    return "\n".join(parts)


def _descendants(root: int) -> list[int]:
    """Every process below ``root`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            continue
    return total


@pytest.fixture(scope="module")
def budget_server(pith_factory):
    return pith_factory("budget", {"PITH_DIGEST_TIMEOUT": str(BUDGET), "PITH_CACHE_TTL": "0"}, workers=1)


def test_over_budget_digests_are_stopped_and_the_server_stays_up(budget_server, article_html, as_json):
    big = quote_heavy(4_000_000)
    results: list[tuple[int, dict, str | None, float]] = []

    def over_budget() -> None:
        with httpx.Client(base_url=budget_server.url, timeout=60) as c:
            start = time.monotonic()
            response = c.post("/api/v1/digest", json={"text": big})
            results.append((response.status_code, as_json(response), response.headers.get("Retry-After"),
                            time.monotonic() - start))

    threads = [threading.Thread(target=over_budget) for _ in range(3)]
    for thread in threads:
        thread.start()
    with httpx.Client(base_url=budget_server.url, timeout=HEALTH_WITHIN) as c:
        while any(t.is_alive() for t in threads):
            start = time.monotonic()
            assert c.get("/healthz").status_code == 200
            assert time.monotonic() - start < HEALTH_WITHIN
            time.sleep(0.2)
    for thread in threads:
        thread.join()

    assert len(results) == 3
    for status, body, retry_after, took in results:
        assert status == 503, body
        assert body["error"]["code"] == "digest_timeout"
        assert retry_after is not None and int(retry_after) > 0
        assert took < TIMEOUT_ANSWER_WITHIN

    # The stopped digests hold no CPU any more: the server's processes are idle.
    assert budget_server.proc is not None
    time.sleep(1.0)
    pids = _descendants(budget_server.proc.pid)
    before = _cpu_ticks(pids)
    time.sleep(1.0)
    used = (_cpu_ticks(pids) - before) / os.sysconf("SC_CLK_TCK")
    assert used < 0.3, f"the server's processes used {used:.2f} s of CPU while idle"

    with httpx.Client(base_url=budget_server.url, timeout=60) as c:
        start = time.monotonic()
        response = c.post("/api/v1/digest", json={"html": article_html.decode("utf-8")})
        assert response.status_code == 200, response.text[:300]
        assert time.monotonic() - start < NORMAL_DIGEST_WITHIN
        assert as_json(response)["title"]


def test_budget_in_process_raises_digest_timeout_and_the_next_digest_works():
    start = time.monotonic()
    with pytest.raises(PithError) as err:
        digest_within(quote_heavy(4_000_000), 0.5, input="text")
    assert err.value.code == "digest_timeout"
    assert time.monotonic() - start < TIMEOUT_ANSWER_WITHIN
    text = ("Ein Titel\n\nDie Stadt baut eine neue Brücke über den Fluss. «Wir beginnen im Mai», sagte "
            "Bürgermeisterin Anna Beispiel am Montag. Die Arbeiten kosten 12 Millionen Euro.")
    digest = digest_within(text, 10, input="text")
    assert digest.text


def test_errors_of_the_digest_cross_the_process_boundary():
    with pytest.raises(PithError) as err:
        digest_within("   ", 10, input="text")
    assert err.value.code == "bad_request"


def test_no_budget_digests_in_this_process():
    text = "Ein Titel\n\nDie Stadt baut eine neue Brücke über den Fluss. Sie kostet 12 Millionen Euro."
    assert digest_within(text, None, input="text").text == digest_within(text, 0, input="text").text


@pytest.fixture(scope="module")
def default_server(pith_factory):
    """A server with the default budget (PITH_DIGEST_TIMEOUT unset: 20 s) and the default body limit."""
    return pith_factory("budget-default", {"PITH_CACHE_TTL": "0"}, workers=1)


def test_a_700_kb_quote_heavy_text_is_answered_while_healthz_keeps_answering(default_server, as_json):
    text = quote_heavy(700_000)
    answer: dict[str, object] = {}

    def post() -> None:
        with httpx.Client(base_url=default_server.url, timeout=120) as c:
            response = c.post("/api/v1/digest", json={"text": text})
            answer["status"], answer["body"] = response.status_code, as_json(response)

    thread = threading.Thread(target=post)
    thread.start()
    with httpx.Client(base_url=default_server.url, timeout=HEALTH_WITHIN) as c:
        while thread.is_alive():
            start = time.monotonic()
            assert c.get("/healthz").status_code == 200
            assert time.monotonic() - start < HEALTH_WITHIN
            time.sleep(0.25)
    thread.join()
    assert answer["status"] in (200, 503), answer
    body = answer["body"]
    assert isinstance(body, dict)
    if answer["status"] == 200:
        assert body["quotes"]
    else:
        assert body["error"]["code"] == "digest_timeout"
