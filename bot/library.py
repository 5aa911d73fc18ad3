"""The bot's library commands: /who NAME, /quotes WORDS, /forget — each chat sees only its own library."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, ContextTypes, filters

from server.core.errors import PithError
from server.library import Library, LibraryUnavailable, chat_owner, keep_quietly

from .i18n import Messages
from .render import esc, esc_attr

if TYPE_CHECKING:
    from .handlers import PithBot

log = logging.getLogger("pith.bot")

REPLY_QUOTES = 10  # quotes per reply (the newest kept first); the rest are counted, not shown
MAX_QUERY_CHARS = 300  # longer names or words are cut
HANDLER_GROUP = -1  # before the bot's catch-all message handler, which would take /who as a plain message
_ADMINS = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
_NEW_MESSAGES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


class LibraryCommands:
    """/who, /quotes and /forget over the chat's own library; digests are kept by :meth:`keep`."""

    def __init__(self, bot: PithBot, library: Library | None) -> None:
        self.bot = bot
        self.library = library

    def register(self, app: Application) -> None:
        for name, callback in (("who", self.on_who), ("quotes", self.on_quotes), ("forget", self.on_forget)):
            app.add_handler(CommandHandler(name, callback, filters=_NEW_MESSAGES), group=HANDLER_GROUP)

    async def keep(self, chat_id: int, digest: dict[str, Any]) -> None:
        """Keep a digest the chat was answered with (on a worker thread: the database may wait for a lock)."""
        if self.library is None:
            return
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.bot.executor, keep_quietly, self.library, chat_owner(chat_id), digest)

    # --- handlers ---------------------------------------------------------------------------------

    async def on_who(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/who NAME: the chat's quotes of a speaker (every merged name form)."""
        await self._search(update, context, "speaker")

    async def on_quotes(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/quotes WORDS: the chat's quotes holding these words."""
        await self._search(update, context, "q")

    async def on_forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/forget: empty the chat's library (in groups, only the chat's administrators may)."""
        msg = await self._start(update)
        m = self.bot._ui(update)
        if self.library is None:
            await self.bot._reply(msg, esc(m("library_off")))
            raise ApplicationHandlerStop
        if msg.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP) and not await self._is_admin(update, context):
            await self.bot._reply(msg, esc(m("forget_admins")))
            raise ApplicationHandlerStop
        try:
            n = await asyncio.get_running_loop().run_in_executor(self.bot.executor, self.library.clear,
                                                                 chat_owner(msg.chat.id))
        except LibraryUnavailable as exc:
            log.error("library unavailable: %s", exc)
            await self.bot._reply(msg, esc(m("library_unavailable")))
            raise ApplicationHandlerStop from None
        await self.bot._reply(msg, esc(m("forget_done", pages=n)))
        raise ApplicationHandlerStop

    # --- the work ---------------------------------------------------------------------------------

    async def _start(self, update: Update) -> Message:
        msg = update.effective_message
        if msg is None or not await self.bot._admit(update, msg):
            raise ApplicationHandlerStop
        return msg

    async def _is_admin(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        user = update.effective_user
        msg = update.effective_message
        if user is None or msg is None:
            return False
        try:
            member = await context.bot.get_chat_member(msg.chat.id, user.id)
        except TelegramError as exc:
            log.info("Could not check whether %s administers chat %s: %s", user.id, msg.chat.id, exc)
            return False
        return member.status in _ADMINS

    async def _search(self, update: Update, context: ContextTypes.DEFAULT_TYPE, field: str) -> None:
        msg = await self._start(update)
        m = self.bot._ui(update)
        words = " ".join(context.args or [])[:MAX_QUERY_CHARS].strip()
        if self.library is None:
            await self.bot._reply(msg, esc(m("library_off")))
        elif not words:
            await self.bot._reply(msg, m("who_usage" if field == "speaker" else "quotes_usage"))
        else:
            search = self.library.search
            try:
                items, more = await asyncio.get_running_loop().run_in_executor(
                    self.bot.executor, lambda: search(chat_owner(msg.chat.id), limit=REPLY_QUOTES, **{field: words}))
            except LibraryUnavailable as exc:
                log.error("library unavailable: %s", exc)
                items, more = None, None
            except PithError:
                items, more = [], None
            if items is None:
                await self.bot._reply(msg, esc(m("library_unavailable")))
            else:
                await self.bot._reply(msg, render_results(items, more is not None, m, field, words))
        raise ApplicationHandlerStop


def render_results(items: list[dict[str, Any]], more: bool, m: Messages, field: str, words: str) -> str:
    """Quotes found in a chat's library as Telegram HTML: the quote, its speaker, a link to the page, the date kept."""
    if not items:
        return esc(m("no_quotes", words=words))
    head = m("who_title" if field == "speaker" else "quotes_title", words=words)
    lines = [f"<b>{esc(head)}</b>", ""]
    for item in items:
        page = item["page"]
        speaker = item.get("speaker") or m("unknown_speaker")
        title = page.get("title") or page.get("site") or page.get("url") or m("pasted_text")
        source = f'<a href="{esc_attr(page["url"])}">{esc(title)}</a>' if page.get("url") else esc(title)
        lines.append(f"„{esc(item['text'])}“ — <i>{esc(speaker)}</i>")
        lines.append(f"{source} · {esc(item['kept_at'][:10])}")
        lines.append("")
    if more:
        lines.append(esc(m("more_quotes", n=len(items))))
    return "\n".join(lines).strip()


def open_library_quietly(config: Any) -> Library | None:
    """The configured library, or None (logged) when it cannot be opened: the bot answers without it."""
    from server.library import open_library

    try:
        return open_library(config)
    except Exception as exc:
        log.error("Library unavailable (%s); digests are not kept", exc)
        return None
