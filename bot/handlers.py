"""What the bot does with an update: find links or a pasted text, digest them off the event loop, reply."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import Any

from telegram import BotCommand, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from server.core.digest import Digest
from server.core.errors import PithError
from server.core.pipeline import DEFAULT_SENTENCES
from server.service.cache import Cache
from server.service.config import Config
from server.service.digests import digest_document, digest_url

from .i18n import DEFAULT_LANG, Messages, languages, messages_for
from .links import MAX_LINKS, broken_link, extract_links, mentions, without_entities
from .ratelimit import UserRateLimiter
from .render import esc, render_digest, render_error, split_html, visible_text

log = logging.getLogger("pith.bot")

MIN_TEXT_CHARS = 500  # a pasted text at least this long (without links) is digested as a page copied as text
TYPING_EVERY = 4.5  # seconds; Telegram shows "typing…" for about 5 s
ALLOWED_UPDATES = ("message", "channel_post")  # edited messages are not even asked for
# The default language's command list is registered for every client language (language_code None).
_COMMAND_LANGUAGE: dict[str, str | None] = {DEFAULT_LANG: None}
_NEW_MESSAGES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


@dataclass(frozen=True, slots=True)
class Job:
    """One thing to digest: a link, or a pasted text."""

    url: str | None = None
    text: str | None = None


def _content(msg: Message) -> tuple[str, Sequence[Any]]:
    """The text of a message (or its caption) with its entities."""
    if msg.text is not None:
        return msg.text, msg.entities
    return msg.caption or "", msg.caption_entities


def jobs_in(text: str, entities: Sequence[Any], *, allow_text: bool) -> tuple[list[Job], int]:
    """The links of a message (up to MAX_LINKS) or its pasted text; also how many links were left out."""
    links = extract_links(text, entities, limit=None)
    if links:
        return [Job(url=u) for u in links[:MAX_LINKS]], max(0, len(links) - MAX_LINKS)
    body = without_entities(text, entities, {"bot_command", "mention"})
    if allow_text and len(body) >= MIN_TEXT_CHARS:
        return [Job(text=body)], 0
    return [], 0


class PithBot:
    """The bot's handlers and the state they share (cache, rate limiter, digest workers)."""

    def __init__(self, config: Config, *, cache: Cache, limiter: UserRateLimiter, executor: Executor,
                 sentences: int | None = DEFAULT_SENTENCES,
                 error_hook: Callable[[BaseException], None] | None = None) -> None:
        self.config = config
        self.cache = cache
        self.limiter = limiter
        self.executor = executor
        self.sentences = sentences
        self.error_hook = error_hook
        self.allowed_ids = frozenset(config.bot_allowed_users)
        self._inflight: dict[Job, asyncio.Future[Digest | PithError]] = {}
        self.library_commands: Any = None  # bot.library.LibraryCommands, set by build_application

    def register(self, app: Application) -> None:
        """Add the command and message handlers and the error handler to ``app``."""
        app.add_handler(CommandHandler(["start", "help"], self.on_help, filters=_NEW_MESSAGES))
        app.add_handler(CommandHandler("digest", self.on_digest, filters=_NEW_MESSAGES))
        app.add_handler(MessageHandler(_NEW_MESSAGES, self.on_message))
        app.add_error_handler(self.on_error)

    # --- handlers ---------------------------------------------------------------------------------

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start and /help: what the bot does, with an example."""
        msg = update.effective_message
        if msg is None or not await self._admit(update, msg):
            return
        await self._reply(msg, self._ui(update)("help"))

    async def on_digest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/digest <link> (or /digest as an answer to a message with a link): the way to ask in groups."""
        msg = update.effective_message
        if msg is None or not await self._admit(update, msg):
            return
        text, entities = _content(msg)
        jobs, skipped = jobs_in(text, entities, allow_text=True)
        if not jobs and msg.reply_to_message is not None:
            jobs, skipped = jobs_in(*_content(msg.reply_to_message), allow_text=True)
        if not jobs:
            await self._reply(msg, self._ui(update)("digest_usage"))
            return
        await self._run(update, msg, jobs, skipped)

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other new message: links or a long text get digests; in private chats the rest gets the help."""
        msg = update.effective_message
        if msg is None or update.edited_message or update.edited_channel_post:
            return
        chat_type = msg.chat.type
        text, entities = _content(msg)
        mentioned = False
        if chat_type in (ChatType.GROUP, ChatType.SUPERGROUP):
            bot = context.bot
            mentioned = mentions(text, entities, username=bot.username, user_id=bot.id)
            answered = msg.reply_to_message is not None and msg.reply_to_message.from_user is not None \
                and msg.reply_to_message.from_user.id == bot.id
            if not (mentioned or answered):
                return  # never speak in a group unasked
        if not await self._admit(update, msg):
            return
        jobs, skipped = jobs_in(text, entities, allow_text=chat_type != ChatType.CHANNEL)
        broken = broken_link(without_entities(text, entities, {"bot_command", "mention"}))
        if jobs:
            await self._run(update, msg, jobs, skipped)
        elif broken is not None and (chat_type == ChatType.PRIVATE or mentioned):
            await self._reply(msg, esc(self._ui(update)("bad_link", link=broken)))
        elif chat_type == ChatType.PRIVATE or mentioned:
            await self._reply(msg, self._ui(update)("help"))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log any error a handler let through; the bot goes on."""
        uid = update.update_id if isinstance(update, Update) else None
        log.error("Error while handling update %s: %r", uid, context.error, exc_info=context.error)
        if self.error_hook is not None and context.error is not None:
            self.error_hook(context.error)

    # --- the work ---------------------------------------------------------------------------------

    def _ui(self, update: Update) -> Messages:
        user = update.effective_user
        return messages_for(user.language_code if user else None)

    async def _admit(self, update: Update, msg: Message) -> bool:
        """True when the allow-list (PITH_BOT_ALLOWED_USERS) lets this user or channel use the bot.

        Other bots are never answered (two bots answering each other's links would never stop).
        """
        if msg.from_user is not None and msg.from_user.is_bot:
            return False
        if not self.allowed_ids:
            return True
        ids = {update.effective_user.id} if update.effective_user else set()
        if msg.chat.type == ChatType.CHANNEL:
            ids.add(msg.chat.id)
        if ids & self.allowed_ids:
            return True
        log.info("Refused update %s from ids %s (not in PITH_BOT_ALLOWED_USERS)", update.update_id, sorted(ids))
        if msg.chat.type == ChatType.PRIVATE:
            await self._reply(msg, esc(self._ui(update)("not_allowed")))
        return False

    async def _run(self, update: Update, msg: Message, jobs: list[Job], skipped: int) -> None:
        """Digest the jobs in parallel on the workers and reply to each in order, as soon as it is ready."""
        m = self._ui(update)
        who = update.effective_user.id if update.effective_user else msg.chat.id
        wait = self.limiter.acquire(who, cost=len(jobs))
        if wait > 0:
            if self.limiter.should_warn(who):
                await self._reply(msg, esc(m("rate_limited", seconds=math.ceil(wait))))
            return
        tasks = [asyncio.create_task(self._digest(job)) for job in jobs]
        try:
            async with self._typing(msg):
                for job, task in zip(jobs, tasks, strict=True):
                    result = await task
                    if isinstance(result, Digest):
                        await self._reply(msg, render_digest(result, m))
                        if self.library_commands is not None:
                            await self.library_commands.keep(msg.chat.id, result.to_dict())
                    else:
                        await self._reply(msg, render_error(result, m, job.url))
        finally:
            for task in tasks:
                task.cancel()
        if skipped:
            await self._reply(msg, esc(m("more_links", limit=MAX_LINKS)))

    async def _digest(self, job: Job) -> Digest | PithError:
        """The digest of a job, or the reason it failed; a job already under way is awaited, not redone."""
        running = self._inflight.get(job)
        if running is None:
            running = self._inflight[job] = asyncio.ensure_future(self._compute(job))
            running.add_done_callback(lambda _: self._inflight.pop(job, None))
        return await asyncio.shield(running)

    async def _compute(self, job: Job) -> Digest | PithError:
        """The digest of a job, computed on a worker (never on the event loop), or the reason it failed."""
        if job.url is not None:
            work = partial(digest_url, job.url, self.config, sentences=self.sentences, cache=self.cache,
                           timeout=self.config.digest_timeout)
        else:
            work = partial(digest_document, job.text or "", input="text", sentences=self.sentences,
                           cache=self.cache, timeout=self.config.digest_timeout,
                           langdata_dirs=self.config.langdata_dirs)
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, work)
        except PithError as exc:
            log.info("Could not digest %s: %s (%s)", job.url or "a pasted text", exc.message, exc.code)
            return exc
        except Exception:
            log.exception("Digest of %s failed", job.url or "a pasted text")
            return PithError("internal", "Internal error.")

    @contextlib.asynccontextmanager
    async def _typing(self, msg: Message) -> AsyncIterator[None]:
        """Show "typing…" in the chat until the block is done.

        Groups and channels get it once only: there, chat actions count against Telegram's 20 messages a minute.
        """
        again = msg.chat.type == ChatType.PRIVATE

        async def keep_typing() -> None:
            while True:
                try:
                    await msg.reply_chat_action(ChatAction.TYPING)
                except TelegramError as exc:
                    log.debug("chat action failed: %s", exc)
                if not again:
                    return
                await asyncio.sleep(TYPING_EVERY)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _reply(self, msg: Message, markup: str) -> None:
        """Send ``markup`` as Telegram HTML in as many messages as needed, the first one as a reply."""
        for i, chunk in enumerate(split_html(markup)):
            try:
                await msg.reply_text(chunk, do_quote=i == 0)
            except BadRequest as exc:
                if "parse" not in str(exc).lower():
                    raise
                log.error("Telegram refused the HTML (%s); sending it as plain text", exc)
                await msg.reply_text(visible_text(chunk), parse_mode=None, do_quote=i == 0)
            except Forbidden as exc:
                log.info("Cannot write to chat %s: %s", msg.chat.id, exc)
                return


async def register_commands(app: Application) -> None:
    """The command list in every interface language (``set_my_commands``); failures are only logged."""
    for lang in languages():
        m = Messages(lang)
        commands = [BotCommand("start", m("cmd_start")), BotCommand("help", m("cmd_help")),
                    BotCommand("digest", m("cmd_digest")), BotCommand("who", m("cmd_who")),
                    BotCommand("quotes", m("cmd_quotes")), BotCommand("forget", m("cmd_forget"))]
        try:
            await app.bot.set_my_commands(commands, language_code=_COMMAND_LANGUAGE.get(lang, lang))
        except TelegramError as exc:
            log.warning("Could not register the %s command list: %s", lang, exc)
