"""A Telegram Bot API stand-in on 127.0.0.1 for the bot tests: it queues updates and records every call.

It checks what it is sent the way Telegram does: HTML must parse (known tags, balanced, ``<>&`` escaped) and
a message may hold at most 4096 UTF-16 code units of text after parsing.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import html.parser
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

TOKEN = "123456:TEST-token_for-the-stand-in"
BOT_ID = 123456
BOT_USERNAME = "pith_test_bot"
LIMIT = 4096
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler", "span", "tg-emoji"}
# Fields PTB sends as plain strings; every other field arrives JSON-encoded ("4242", "{...}").
_TEXT_FIELDS = {"text", "parse_mode", "action", "language_code", "url", "secret_token", "caption",
                "ip_address", "description", "short_description", "name"}


def utf16_units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts message length."""
    return len(text.encode("utf-16-le")) // 2


class TelegramHTML(html.parser.HTMLParser):
    """Parses a message the way Telegram's HTML mode does; ``error`` says what is wrong, ``text`` is the result."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.error: str | None = None
        self.links: list[str] = []
        self.bold: list[str] = []
        self._bold_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = self.error or f"unsupported start tag {tag!r}"
        if tag == "a":
            href = dict(attrs).get("href")
            if not href:
                self.error = self.error or "a tag without href"
            self.links.append(href or "")
        if tag in {"b", "strong"}:
            self._bold_depth += 1
            self.bold.append("")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f"unmatched end tag {tag!r}"
            return
        self.stack.pop()
        if tag in {"b", "strong"}:
            self._bold_depth -= 1

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._bold_depth and self.bold:
            self.bold[-1] += data

    @property
    def text(self) -> str:
        return "".join(self.parts)


def parse_telegram_html(markup: str) -> TelegramHTML:
    """Parse ``markup``; the result's ``error`` is None when Telegram would accept it."""
    parser = TelegramHTML()
    stripped = re.sub(r"<[a-zA-Z/][^<>]*>", "", markup)
    stripped = re.sub(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);", "", stripped)
    if re.search(r"[<>&]", stripped):
        parser.error = "unescaped <, > or &"
    parser.feed(markup)
    parser.close()
    if parser.stack and not parser.error:
        parser.error = f"unclosed tags {parser.stack}"
    return parser


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class BotAPIStandIn:
    """The Bot API on ``base_url`` (``http://127.0.0.1:PORT/bot``), in threads of its own."""

    def __init__(self, token: str = TOKEN, poll_cap: float = 0.3) -> None:
        self.token = token
        self.poll_cap = poll_cap
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] = {"url": ""}
        self.failures: dict[str, list[tuple[int, str, dict[str, Any] | None]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="bot-api-stand-in", daemon=True)

    # --- control from the tests -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def start(self) -> BotAPIStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (its ``update_id`` is set here) for the next getUpdates."""
        with self._cond:
            update = {**update, "update_id": next(self._ids)}
            self._updates.append(update)
            self._cond.notify_all()
        return update["update_id"]

    def next_update_id(self) -> int:
        return next(self._ids)

    def fail_next(self, method: str, times: int, code: int, description: str,
                  parameters: dict[str, Any] | None = None) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (e.g. 429 with retry_after)."""
        with self._cond:
            self.failures.setdefault(method, []).extend([(code, description, parameters)] * times)

    def recorded(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if method is None or c.method == method]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """The sendMessage calls that were accepted, optionally only those to one chat."""
        return [c for c in self.recorded("sendMessage")
                if c.params.get("_accepted") and (chat_id is None or c.params.get("chat_id") == chat_id)]

    async def wait_for(self, predicate, timeout: float = 60.0, what: str = "condition") -> None:
        """Wait (without blocking the event loop) until ``predicate()`` is true."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                methods = [c.method for c in self.recorded()]
                raise AssertionError(f"timed out waiting for {what}; calls so far: {methods}")
            await asyncio.sleep(0.05)

    # --- the API ------------------------------------------------------------------------------------

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Pith", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._cond:
            pending = self.failures.get(method)
            if pending:
                code, description, parameters = pending.pop(0)
                body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
                if parameters:
                    body["parameters"] = parameters
                return code, body
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            return 200, {"ok": True, "result": handler(params)}
        except _ApiError as exc:
            return exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}

    def api_getMe(self, params: dict[str, Any]) -> Any:
        return self._bot_user()

    def api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), self.poll_cap)
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                if offset:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or time.monotonic() >= deadline:
                    return list(self._updates[: int(params.get("limit") or 100)])
                self._cond.wait(max(0.0, deadline - time.monotonic()))

    def api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise _ApiError(400, "Bad Request: chat not found")
        text = params.get("text") or ""
        if params.get("parse_mode") == "HTML":
            parsed = parse_telegram_html(text)
            if parsed.error:
                raise _ApiError(400, f"Bad Request: can't parse entities: {parsed.error}")
            shown = parsed.text
        else:
            shown = text
        if not shown.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if utf16_units(shown.strip()) > LIMIT:
            raise _ApiError(400, "Bad Request: message is too long")
        params["_accepted"] = True
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": self._bot_user(), "text": shown.strip()}

    def api_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    def api_setMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    def api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {"url": ""}
        return True

    def api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
        return True

    def api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    def api_close(self, params: dict[str, Any]) -> Any:
        return True

    # --- HTTP ---------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", self.path.split("?", 1)[0])
                if match is None:
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                token, method = match.groups()
                params = _decode(body, self.headers.get("Content-Type", ""))
                with standin._cond:
                    standin.calls.append(Call(method, params))
                if token != standin.token:
                    self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                self._send(*standin._answer(method, params))

            do_POST = _serve
            do_GET = _serve

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _value(name: str, raw: str) -> Any:
    if name in _TEXT_FIELDS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _decode(body: bytes, content_type: str) -> dict[str, Any]:
    """The request's fields, JSON-decoded where PTB JSON-encodes them."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("multipart/form-data"):
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        out = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            out[name] = _value(name, part.get_content())
        return out
    fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    return {k: _value(k, v[-1]) for k, v in fields.items()}
