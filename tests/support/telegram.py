"""Updates as Telegram sends them, for the bot's tests and benchmark."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

_URL = re.compile(r"https?://[^\s«»]+")
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,}")
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_message_ids = itertools.count(1)


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def telegram_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's servers would attach: bot_command, mention, url (offsets in UTF-16 units)."""
    out = []
    if m := _COMMAND.match(text):
        out.append({"type": "bot_command", "offset": 0, "length": u16(m.group())})
    for kind, rx in (("mention", _MENTION), ("url", _URL)):
        for m in rx.finditer(text):
            if kind == "mention" and m.start() > 0 and text[m.start() - 1] not in " \n":
                continue
            out.append({"type": kind, "offset": u16(text[: m.start()]), "length": u16(m.group())})
    return sorted(out, key=lambda e: e["offset"])


def message_update(text: str, *, chat_id: int = 4242, user_id: int | None = None, lang: str | None = "en",
                   chat_type: str = "private", entities: list[dict[str, Any]] | None = None,
                   caption: bool = False, forward: bool = False, reply_to: dict[str, Any] | None = None,
                   kind: str = "message") -> dict[str, Any]:
    """An update as Telegram sends it for a new message (or ``kind``: channel_post, edited_message …)."""
    ents = telegram_entities(text) if entities is None else entities
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "Test"
    else:
        chat["title"] = "Test chat"
    msg: dict[str, Any] = {"message_id": next(_message_ids), "date": int(time.time()), "chat": chat}
    if chat_type != "channel":
        sender = {"id": user_id or chat_id, "is_bot": False, "first_name": "Test"}
        if lang:
            sender["language_code"] = lang
        msg["from"] = sender
    else:
        msg["sender_chat"] = chat
    if caption:
        msg["photo"] = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
        msg["caption"] = text
        if ents:
            msg["caption_entities"] = ents
    else:
        msg["text"] = text
        if ents:
            msg["entities"] = ents
    if forward:
        msg["forward_origin"] = {"type": "hidden_user", "date": int(time.time()), "sender_user_name": "A friend"}
    if reply_to is not None:
        msg["reply_to_message"] = reply_to
    if kind.startswith("edited"):
        msg["edit_date"] = int(time.time())
    return {kind: msg}
