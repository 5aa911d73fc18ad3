"""Benchmark the Telegram bot: how long a burst of updates takes to be answered in full (all on 127.0.0.1).

Usage::

    python bench/bot.py                      # 50 updates from 10 users, cold cache then warm cache
    python bench/bot.py --updates 100 --users 20 --slow 2

The real bot (bot.main.serve) runs against the Bot API stand-in of tests/support; the links point at the project's
sample pages on a local page server (optionally with ``--slow`` seconds of server delay per page). Reported:
wall time until every update has its reply, replies per second, and the median and maximum time from
queueing an update to its reply.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout, for the importable test-support package tests.support

from bot.main import build_application, serve  # noqa: E402
from server.service.config import Config  # noqa: E402
from tests.support.pages import PageServer, Route  # noqa: E402
from tests.support.telegram import message_update  # noqa: E402
from tests.support.telegram_standin import BotAPIStandIn  # noqa: E402


def _pages(slow: float) -> PageServer:
    routes = {f"/samples/{p.name}": Route(200, "text/html; charset=utf-8", p.read_bytes(), delay=slow)
              for p in sorted((ROOT / "server" / "samples").glob("*.html"))}
    return PageServer(routes)


async def _burst(api: BotAPIStandIn, pages: PageServer, n: int, users: int, tag: str) -> dict[str, float]:
    urls = [pages.url(path) + f"?{tag}" for path in pages.routes]
    kinds = ["/start", *urls, "hello"]
    queued: dict[int, float] = {}
    start = time.monotonic()
    for i in range(n):
        update = message_update(kinds[i % len(kinds)], chat_id=900_000 + i % users)
        queued[update["message"]["message_id"]] = time.monotonic()
        api.push(update)

    def answered() -> dict[int, float]:
        out: dict[int, float] = {}
        for call in api.sent():
            mid = (call.params.get("reply_parameters") or {}).get("message_id")
            if mid in queued and mid not in out:
                out[mid] = call.at
        return out

    await api.wait_for(lambda: len(answered()) == n, timeout=600, what="all replies")
    wall = time.monotonic() - start
    lat = [answered()[m] - t for m, t in queued.items()]
    return {"wall": wall, "per_s": n / wall, "median": statistics.median(lat), "max": max(lat)}


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--updates", type=int, default=50)
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--slow", type=float, default=0.0, help="seconds the page server waits before each page")
    args = ap.parse_args()
    api = BotAPIStandIn().start()
    pages = _pages(args.slow)
    with tempfile.TemporaryDirectory() as data:
        config = Config(telegram_bot_token=api.token, telegram_api_base_url=api.base_url,
                        allow_private_network=True, data_dir=Path(data))
        app = build_application(config)
        stop = asyncio.Event()
        task = asyncio.create_task(serve(config, app=app, stop=stop, handle_signals=False))
        await api.wait_for(lambda: app.running, what="the bot to start")
        tag = str(time.time_ns())
        for label in ("cold cache", "warm cache"):
            r = await _burst(api, pages, args.updates, args.users, tag)
            print(f"{label}: {args.updates} updates from {args.users} users answered in {r['wall']:.2f} s "
                  f"({r['per_s']:.1f}/s); update→reply median {r['median']:.2f} s, max {r['max']:.2f} s")
        stop.set()
        await task
    api.stop()


if __name__ == "__main__":
    asyncio.run(main())
