"""``pith bot`` as a process: configuration errors, a refused token, clean stop on SIGTERM and SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.telegram import message_update

PITH = [sys.executable, "-m", "server"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PITH_", "TELEGRAM_"))}
    env.update({"PITH_DATA_DIR": str(tmp_path / "data"), "PITH_LOG_LEVEL": "INFO"})
    env.update(extra)
    return env


async def _run(env: dict[str, str], timeout: float = 60) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(*PITH, "bot", env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode, err.decode()


async def test_missing_token_is_a_clear_error_with_status_2(tmp_path: Path) -> None:
    code, err = await _run(_env(tmp_path))
    assert code == 2
    assert "TELEGRAM_BOT_TOKEN" in err and "@BotFather" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("listen", ["localhost:http", "127.0.0.1:70000"])
async def test_bad_webhook_listen_address_is_a_usage_error(tmp_path: Path, listen: str) -> None:
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN="1:x", PITH_BOT_WEBHOOK_URL="https://bot.example/hook",
               PITH_BOT_WEBHOOK_LISTEN=listen)
    code, err = await _run(env)
    assert code == 2 and "PITH_BOT_WEBHOOK_LISTEN" in err and "Traceback" not in err


async def test_refused_token_exits_1_without_traceback(tmp_path: Path, standin: Any) -> None:
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN="999:wrong", TELEGRAM_API_BASE_URL=standin.base_url)
    code, err = await _run(env)
    assert code == 1 and "refused the token" in err and "Traceback" not in err


async def test_unreachable_bot_api_exits_1_without_traceback(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN="1:x", TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot")
    code, err = await _run(env)
    assert code == 1 and "cannot reach the Bot API" in err and "Traceback" not in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_stops_cleanly_on_signal(tmp_path: Path, standin: Any, sig: int) -> None:
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN=standin.token, TELEGRAM_API_BASE_URL=standin.base_url)
    proc = await asyncio.create_subprocess_exec(*PITH, "bot", env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        await standin.wait_for(lambda: len(standin.recorded("getUpdates")) >= 2, timeout=60,
                               what="the bot to poll")
        proc.send_signal(sig)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    text = err.decode()
    assert proc.returncode == 0, text
    assert "Traceback" not in text
    assert standin.token not in text  # request logs would show the token: they are kept quiet
    methods = [c.method for c in standin.recorded()]
    assert {"getMe", "deleteWebhook", "setMyCommands"} <= set(methods)


async def test_sigterm_finishes_the_reply_under_way(tmp_path: Path, standin: Any, pages: Any) -> None:
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN=standin.token, TELEGRAM_API_BASE_URL=standin.base_url,
               PITH_ALLOW_PRIVATE_NETWORK="1")
    proc = await asyncio.create_subprocess_exec(*PITH, "bot", env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        await standin.wait_for(lambda: standin.recorded("getUpdates"), timeout=60, what="the bot to poll")
        before = pages.hits["/slow/article.html"]
        standin.push(message_update(pages.url("/slow/article.html"), chat_id=7007))
        await standin.wait_for(lambda: pages.hits["/slow/article.html"] > before, what="the slow page request")
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()
    [reply] = standin.sent(7007)
    assert reply.params["text"].count("<a href=") == 1 and pages.url("/slow/article.html") in reply.params["text"]


async def test_webhook_port_in_use_exits_1_without_traceback(tmp_path: Path, standin: Any) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = _env(tmp_path, TELEGRAM_BOT_TOKEN=standin.token, TELEGRAM_API_BASE_URL=standin.base_url,
                   PITH_BOT_WEBHOOK_URL="https://bot.example/hook", PITH_BOT_WEBHOOK_LISTEN=f"127.0.0.1:{port}")
        code, err = await _run(env)
    assert code == 1 and f"127.0.0.1:{port}" in err and "Traceback" not in err
