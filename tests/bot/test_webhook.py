"""Webhook mode: the bot's own server at the path of PITH_BOT_WEBHOOK_URL, checking the secret token."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
from typing import Any

import httpx

from tests.support.telegram import message_update

HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sent_to(standin: Any, chat_id: int) -> list[Any]:
    return standin.sent(chat_id)


async def test_webhook_with_right_and_wrong_secret(standin: Any, bot_config: Any, start_bot: Any) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook-7f3a"
    config = dataclasses.replace(bot_config, bot_webhook_url=url, bot_webhook_listen=f"127.0.0.1:{port}",
                                 bot_webhook_secret="s3cret_Token-1")
    await start_bot(config)
    [hook] = standin.recorded("setWebhook")
    assert hook.params["url"] == url and hook.params["secret_token"] == "s3cret_Token-1"
    assert set(hook.params["allowed_updates"]) == {"message", "channel_post"}
    assert not standin.recorded("getUpdates")

    async with httpx.AsyncClient(timeout=10) as client:
        def post(update: dict[str, Any], secret: str | None, path: str = "/telegram/hook-7f3a") -> Any:
            headers = {"Content-Type": "application/json"}
            if secret is not None:
                headers[HEADER] = secret
            body = {**update, "update_id": standin.next_update_id()}
            return client.post(f"http://127.0.0.1:{port}{path}", content=json.dumps(body), headers=headers)

        wrong = await post(message_update("/start", chat_id=501), "not-the-secret")
        missing = await post(message_update("/start", chat_id=502), None)
        elsewhere = await post(message_update("/start", chat_id=503), "s3cret_Token-1", path="/other")
        assert (wrong.status_code, missing.status_code, elsewhere.status_code) == (403, 403, 404)
        broken = await client.post(f"http://127.0.0.1:{port}/telegram/hook-7f3a", content=b"{not json",
                                   headers={"Content-Type": "application/json", HEADER: "s3cret_Token-1"})
        assert broken.status_code >= 400
        right = await post(message_update("/start", chat_id=504, lang="de"), "s3cret_Token-1")
        assert right.status_code == 200
        await standin.wait_for(lambda: sent_to(standin, 504), what="the reply to the webhook update")
        assert "Beispiel" in sent_to(standin, 504)[0].params["text"]
    await asyncio.sleep(0.5)
    assert not any(sent_to(standin, c) for c in (501, 502, 503))


async def test_webhook_without_a_configured_secret_still_requires_one(standin: Any, bot_config: Any,
                                                                      start_bot: Any) -> None:
    port = free_port()
    config = dataclasses.replace(bot_config, bot_webhook_url=f"http://127.0.0.1:{port}/",
                                 bot_webhook_listen=str(port))
    await start_bot(config)
    [hook] = standin.recorded("setWebhook")
    secret = hook.params["secret_token"]
    assert isinstance(secret, str) and len(secret) >= 32
    async with httpx.AsyncClient(timeout=10) as client:
        update = {**message_update("/help", chat_id=601), "update_id": standin.next_update_id()}
        bare = await client.post(f"http://127.0.0.1:{port}/", json=update)
        assert bare.status_code == 403
        update = {**message_update("/help", chat_id=602), "update_id": standin.next_update_id()}
        good = await client.post(f"http://127.0.0.1:{port}/", json=update, headers={HEADER: secret})
        assert good.status_code == 200
    await standin.wait_for(lambda: sent_to(standin, 602), what="the reply")
    assert not sent_to(standin, 601)
