"""Settings from environment variables (SPEC §5), with defaults that work on a laptop."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from server.core.langdata import ENV_DIRS, dirs_from_env


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


def _existing_dirs(name: str, dirs: tuple[str, ...]) -> tuple[str, ...]:
    if missing := [d for d in dirs if not Path(d).expanduser().is_dir()]:
        raise ValueError(f"{name}: no such directory: {', '.join(missing)}")
    return dirs


@dataclass(frozen=True, slots=True)
class Config:
    """Everything Pith reads from the environment; build one with :meth:`from_env`."""

    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    allow_private_network: bool = False
    fetch_timeout: float = 15.0
    max_page_bytes: int = 10_000_000
    max_body_bytes: int = 12_000_000
    rate_limit: str = "120/minute"
    cache_url: str | None = None
    data_dir: Path = field(default_factory=lambda: Path(user_data_dir("pith", appauthor=False)))
    cache_ttl: int = 86_400
    trust_proxy: bool = False
    log_level: str = "INFO"
    digest_timeout: float = 20.0
    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    bot_webhook_url: str | None = None
    bot_webhook_secret: str | None = None
    bot_webhook_listen: str = "127.0.0.1:8081"
    bot_allowed_users: tuple[int, ...] = ()
    library: bool = True
    database_url: str | None = None
    library_max_entries: int = 10_000
    library_rate_limit: str = "600/minute"
    langdata_dirs: tuple[str, ...] = ()  # PITH_LANGDATA_DIRS: language data searched before the built-in tables

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """Read SPEC §5's variables from ``env`` (default ``os.environ``); bad numbers raise ValueError."""
        e = os.environ if env is None else env
        d = cls()
        return cls(
            host=e.get("PITH_HOST", d.host),
            port=int(e.get("PITH_PORT", d.port)),
            api_token=e.get("PITH_API_TOKEN") or None,
            cors_origins=_csv(e.get("PITH_CORS_ORIGINS")),
            allow_private_network=_flag(e.get("PITH_ALLOW_PRIVATE_NETWORK")),
            fetch_timeout=float(e.get("PITH_FETCH_TIMEOUT", d.fetch_timeout)),
            max_page_bytes=int(e.get("PITH_MAX_PAGE_BYTES", d.max_page_bytes)),
            max_body_bytes=int(e.get("PITH_MAX_BODY_BYTES", d.max_body_bytes)),
            rate_limit=e.get("PITH_RATE_LIMIT", d.rate_limit),
            cache_url=e.get("PITH_CACHE_URL") or None,
            data_dir=Path(e["PITH_DATA_DIR"]) if e.get("PITH_DATA_DIR") else d.data_dir,
            cache_ttl=int(e.get("PITH_CACHE_TTL", d.cache_ttl)),
            trust_proxy=_flag(e.get("PITH_TRUST_PROXY")),
            log_level=e.get("PITH_LOG_LEVEL", d.log_level).upper(),
            digest_timeout=float(e.get("PITH_DIGEST_TIMEOUT", d.digest_timeout)),
            telegram_bot_token=e.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=e.get("TELEGRAM_API_BASE_URL", d.telegram_api_base_url),
            bot_webhook_url=e.get("PITH_BOT_WEBHOOK_URL") or None,
            bot_webhook_secret=e.get("PITH_BOT_WEBHOOK_SECRET") or None,
            bot_webhook_listen=e.get("PITH_BOT_WEBHOOK_LISTEN", d.bot_webhook_listen),
            bot_allowed_users=tuple(int(u) for u in _csv(e.get("PITH_BOT_ALLOWED_USERS"))),
            library=_flag(e.get("PITH_LIBRARY", "1")),
            database_url=e.get("PITH_DATABASE_URL") or None,
            library_max_entries=int(e.get("PITH_LIBRARY_MAX_ENTRIES", d.library_max_entries)),
            library_rate_limit=e.get("PITH_LIBRARY_RATE_LIMIT", d.library_rate_limit),
            langdata_dirs=_existing_dirs(ENV_DIRS, dirs_from_env(e.get(ENV_DIRS))),
        )
