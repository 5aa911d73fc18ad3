"""``pith bot``: build the Telegram application and run it (long polling, or a webhook behind a proxy)."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults, ExtBot
from telegram.request import HTTPXRequest

from server.service.cache import Cache, NullCache, open_cache
from server.service.config import Config

from .handlers import ALLOWED_UPDATES, PithBot, register_commands
from .library import LibraryCommands, open_library_quietly
from .ratelimit import UserRateLimiter

log = logging.getLogger("pith.bot")

POLL_TIMEOUT = 25  # seconds Telegram may hold a getUpdates call open
CONCURRENT_UPDATES = 64  # updates handled at the same time (one slow page never blocks the others)
FLOOD_RETRIES = 3  # times a request is retried after Telegram's RetryAfter (flood control)
DIGEST_WORKERS = 8  # threads for fetching and digesting (fetching waits on the network most of the time)


class StartupError(Exception):
    """The bot cannot start; the message says why in words for the operator."""


class LenientBot(ExtBot):
    """An ExtBot whose ``get_updates`` skips an update it cannot read instead of fetching it again forever."""

    async def get_updates(self, offset: int | None = None, limit: int | None = None,  # type: ignore[override]
                          timeout: Any = None, allowed_updates: Sequence[str] | None = None,
                          **kwargs: Any) -> tuple[Update, ...]:
        try:
            return await super().get_updates(offset=offset, limit=limit, timeout=timeout,
                                             allowed_updates=allowed_updates, **kwargs)
        except TelegramError:
            raise
        except Exception as exc:  # an update PTB cannot parse: fetch the raw batch and keep what can be read
            log.warning("An update could not be read (%r); skipping it", exc)
        raw = await self._post("getUpdates", {"offset": offset, "limit": limit, "timeout": 0,
                                              "allowed_updates": allowed_updates}, read_timeout=10.0)
        updates = []
        for item in raw or []:
            try:
                update = Update.de_json(item, self)
            except Exception:
                uid = item.get("update_id") if isinstance(item, dict) else None
                if not isinstance(uid, int):
                    continue
                update = Update(update_id=uid)  # an empty update: no handler takes it, the offset moves on
                update.set_bot(self)
            updates.append(update)
        return tuple(updates)


def parse_listen(value: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:8081`` for IPv6; a bare port means 127.0.0.1) → (host, port)."""
    text = value.strip()
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "", text
    host = host.strip("[]") or "127.0.0.1"
    try:
        number = int(port)
    except ValueError:
        raise StartupError(f"PITH_BOT_WEBHOOK_LISTEN must be host:port, not {value!r}") from None
    if not 0 < number < 65536:
        raise StartupError(f"PITH_BOT_WEBHOOK_LISTEN has a bad port: {value!r}")
    return host, number


def webhook_path(url: str) -> str:
    """The path the webhook server listens at: the path of PITH_BOT_WEBHOOK_URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise StartupError(f"PITH_BOT_WEBHOOK_URL must be an https:// address, not {url!r}")
    return parts.path.strip("/")


def _file_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file"


def build_application(config: Config, *, cache: Cache | None = None, limiter: UserRateLimiter | None = None,
                      workers: int | None = None,
                      error_hook: Callable[[BaseException], None] | None = None) -> Application:
    """The bot as a PTB Application: handlers, flood control, HTML defaults with link previews off."""
    if not config.telegram_bot_token:
        raise StartupError("TELEGRAM_BOT_TOKEN is not set")
    defaults = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                        allow_sending_without_reply=True)
    bot = LenientBot(
        config.telegram_bot_token,
        base_url=config.telegram_api_base_url,
        base_file_url=_file_url(config.telegram_api_base_url),
        request=HTTPXRequest(connection_pool_size=CONCURRENT_UPDATES + 8),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        defaults=defaults,
        rate_limiter=AIORateLimiter(max_retries=FLOOD_RETRIES),
    )
    executor = ThreadPoolExecutor(max_workers=workers or DIGEST_WORKERS,
                                  thread_name_prefix="pith-digest")
    if cache is None:
        try:
            cache = open_cache(config)
        except Exception as exc:  # a broken cache must not keep the bot from answering
            log.error("Cache unavailable (%s); digesting without a cache", exc)
            cache = NullCache()
    pith = PithBot(config, cache=cache, limiter=limiter or UserRateLimiter(), executor=executor,
                   error_hook=error_hook)

    async def post_shutdown(app: Application) -> None:
        executor.shutdown(wait=False, cancel_futures=True)

    app = (ApplicationBuilder().bot(bot).concurrent_updates(CONCURRENT_UPDATES)
           .post_shutdown(post_shutdown).build())
    pith.library_commands = LibraryCommands(pith, open_library_quietly(config))
    pith.library_commands.register(app)
    pith.register(app)
    app.bot_data["pith"] = pith
    return app


async def serve(config: Config, *, app: Application | None = None, stop: asyncio.Event | None = None,
                handle_signals: bool = True) -> None:
    """Run the bot until ``stop`` is set (or SIGINT/SIGTERM arrives), then shut down cleanly."""
    app = app or build_application(config)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[int] = []
    if handle_signals:
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
                installed.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
    try:
        try:
            await app.initialize()
        except InvalidToken as exc:
            raise StartupError(f"Telegram refused the token in TELEGRAM_BOT_TOKEN ({exc.message})") from None
        except NetworkError as exc:
            raise StartupError(f"cannot reach the Bot API at {config.telegram_api_base_url} ({exc.message})") from None
        try:
            await register_commands(app)
            await _start_updates(app, config)
            await app.start()
            log.info("Pith bot @%s is running (%s)", app.bot.username,
                     "webhook" if config.bot_webhook_url else "long polling")
            await stop.wait()
            log.info("Stopping: finishing the replies under way")
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def _start_updates(app: Application, config: Config) -> None:
    assert app.updater is not None
    if not config.bot_webhook_url:
        await app.updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=list(ALLOWED_UPDATES))
        return
    host, port = parse_listen(config.bot_webhook_listen)
    secret = config.bot_webhook_secret
    if not secret:
        secret = secrets.token_urlsafe(32)
        log.warning("PITH_BOT_WEBHOOK_SECRET is not set: using a random secret for this run")
    try:
        await app.updater.start_webhook(listen=host, port=port, url_path=webhook_path(config.bot_webhook_url),
                                        webhook_url=config.bot_webhook_url, secret_token=secret,
                                        allowed_updates=list(ALLOWED_UPDATES))
    except OSError as exc:
        raise StartupError(f"cannot listen on {host}:{port} for the webhook ({exc.strerror or exc})") from None


def run(config: Config) -> int:
    """``pith bot``: 0 after a clean stop, 1 when the bot cannot start, 2 when it is not configured."""
    logging.basicConfig(level=getattr(logging, config.log_level, logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines would print the token
    if not config.telegram_bot_token:
        print("pith bot: TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram, then\n"
              "  export TELEGRAM_BOT_TOKEN=123456:ABC…  and run  pith bot  again.", file=sys.stderr)
        return 2
    try:
        if config.bot_webhook_url:
            webhook_path(config.bot_webhook_url)
            parse_listen(config.bot_webhook_listen)
    except StartupError as exc:
        print(f"pith bot: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(config))
    except StartupError as exc:
        print(f"pith bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0
