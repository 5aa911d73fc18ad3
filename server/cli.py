"""The ``pith`` command: ``digest`` pages, ``serve`` the backend, run the ``bot``, ``cache clear``."""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from server import __version__
from server.core import langdata
from server.core.digest import Digest
from server.core.errors import PithError
from server.core.pipeline import DEFAULT_SENTENCES, MAX_SENTENCES, MIN_SENTENCES
from server.core.render import to_markdown, to_text
from server.service.config import Config
from server.service.decode import decode_page
from server.service.digests import digest_document, digest_url

FILE_KINDS = {".html": "html", ".htm": "html", ".txt": "text"}


def _sentences(value: str) -> int | None:
    if value.strip().lower() == "auto":
        return None
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not MIN_SENTENCES <= n <= MAX_SENTENCES:
        raise argparse.ArgumentTypeError(f"must be between {MIN_SENTENCES} and {MAX_SENTENCES}")
    return n


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of SPEC §2."""
    parser = argparse.ArgumentParser(prog="pith", description="The pith of a news page.")
    parser.add_argument("--version", action="version", version=f"pith {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("digest", help="digest pages (URLs, files, or - for stdin)")
    d.add_argument("sources", nargs="+", metavar="SOURCE", help="a URL, a file (.html .htm .txt, .gz), or -")
    d.add_argument("--format", choices=["json", "markdown", "text"], default="text")
    d.add_argument("--input", choices=["auto", "html", "text"], default="auto",
                   help="what the sources are (default: decide by content)")
    d.add_argument("--url", help="the original address of a single file or stdin source")
    d.add_argument("--sentences", type=_sentences, default=DEFAULT_SENTENCES,
                   help=f"summary length, {MIN_SENTENCES}-{MAX_SENTENCES} sentences as far as 90 words allow, or auto "
                        "(default: auto, 2-4 sentences by their length)")

    s = sub.add_parser("serve", help="run the backend (HTTP API and web page)")
    s.add_argument("--host", default=None, help="address to listen on (default PITH_HOST or 127.0.0.1)")
    s.add_argument("--port", type=int, default=None, help="port (default PITH_PORT or 8000)")
    s.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU count)")
    s.add_argument("--dev", action="store_true", help="Flask's development server with the reloader")

    sub.add_parser("bot", help="run the Telegram bot")

    c = sub.add_parser("cache", help="manage the digest cache")
    c.add_argument("action", choices=["clear"])

    lib = sub.add_parser("library", help="manage the library of kept digests (clear, repair, export)")
    lib.add_argument("action", choices=["clear", "repair", "export"])
    lib.add_argument("--owner", help="clear only this owner's library: web, or tg:<chat id>")
    lib.add_argument("--output", "-o", help="export to this file (JSON Lines) instead of standard output")
    return parser


_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _is_url(source: str) -> bool:
    """A ``scheme://`` source goes to the fetcher (which refuses all but http and https)."""
    return bool(_URL_SCHEME.match(source)) or source.lower().startswith(("http:", "https:"))


def _read_limited(stream: IO[bytes], limit: int, name: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PithError("too_large", f"{name} is larger than the limit of {limit} bytes (PITH_MAX_PAGE_BYTES).")
    return data


def _load_source(source: str, config: Config) -> tuple[bytes, str | None]:
    """The bytes of a file or stdin source and the input kind its name suggests."""
    if source == "-":
        return _read_limited(sys.stdin.buffer, config.max_page_bytes, "Standard input"), None
    path = Path(source)
    if path.is_dir():
        raise PithError("bad_request", f"{source} is a directory; give a file, a URL or - for standard input.")
    if not path.is_file():
        raise PithError("not_found", f"No such file: {source}")
    suffixes = [s.lower() for s in path.suffixes]
    try:
        if suffixes and suffixes[-1] == ".gz":
            with gzip.open(path, "rb") as fh:
                data = _read_limited(fh, config.max_page_bytes, source)
            suffixes = suffixes[:-1]
        else:
            with path.open("rb") as fh:
                data = _read_limited(fh, config.max_page_bytes, source)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        if isinstance(exc, PermissionError):
            raise PithError("bad_request", f"Cannot read {source}: permission denied.") from None
        raise PithError("bad_request", f"Cannot read {source}: {exc.__class__.__name__}.") from None
    return data, FILE_KINDS.get(suffixes[-1]) if suffixes else None


def digest_source(source: str, args: argparse.Namespace, config: Config) -> Digest:
    """Digest one SOURCE of the command line."""
    if _is_url(source):
        return digest_url(source, config, sentences=args.sentences)
    data, kind = _load_source(source, config)
    if not data.strip():
        raise PithError("bad_request", f"{'Standard input' if source == '-' else source} is empty.")
    page = decode_page(data)
    input_kind = args.input if args.input != "auto" else (kind or "auto")
    return digest_document(page, input=input_kind, url=args.url, sentences=args.sentences,
                           langdata_dirs=config.langdata_dirs)


class _Progress:
    """A one-line progress bar on stderr, only when it is a terminal and there are several sources."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total, self.stream = total, stream
        self.on = total > 1 and stream.isatty()

    def update(self, done: int, source: str) -> None:
        if not self.on:
            return
        width = 24
        filled = width * done // self.total
        name = source if len(source) <= 40 else "…" + source[-39:]
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {name:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


def run_digest(args: argparse.Namespace, config: Config) -> int:
    """``pith digest``: one result per source, in order; exit 1 when any source failed."""
    failed = False
    progress = _Progress(len(args.sources), sys.stderr)
    for i, source in enumerate(args.sources):
        progress.update(i, source)
        try:
            digest = digest_source(source, args, config)
        except PithError as exc:
            failed = True
            _report(source, exc, args.format, progress)
            continue
        except Exception as exc:  # never a traceback: the other sources go on
            failed = True
            _report(source, PithError("internal", f"Internal error ({exc.__class__.__name__})."),
                    args.format, progress)
            continue
        with langdata.using(config.langdata_dirs):
            out = {"json": lambda d: json.dumps(d.to_dict(), ensure_ascii=False) + "\n",
                   "markdown": to_markdown, "text": to_text}[args.format](digest)
        if args.format != "json" and i:
            out = "\n" + out
        progress.close()
        sys.stdout.write(out)
        sys.stdout.flush()
    progress.close()
    return 1 if failed else 0


def _report(source: str, exc: PithError, fmt: str, progress: _Progress) -> None:
    progress.close()
    if fmt == "json":
        sys.stdout.write(json.dumps({"source": source, **exc.to_dict()}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        sys.stderr.write(f"pith: {source}: {exc.message} ({exc.code})\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pith`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
    except ValueError as exc:
        parser.error(f"bad environment setting: {exc}")
    if args.command == "digest":
        if args.url and len(args.sources) > 1:
            parser.error("--url goes with a single SOURCE")
        return run_digest(args, config)
    if args.command == "serve":
        from server.web.serve import run as run_serve

        return run_serve(config, host=args.host, port=args.port, workers=args.workers, dev=args.dev)
    if args.command == "bot":
        from bot.main import run as run_bot

        return run_bot(config)
    if args.command == "cache":
        from dataclasses import replace

        from server.service.cache import open_cache

        # Clear the configured store even when PITH_CACHE_TTL=0 turns caching off for new digests.
        removed = open_cache(replace(config, cache_ttl=max(config.cache_ttl, 1))).clear()
        print(f"Removed {removed} cached digests.")
        return 0
    if args.command == "library":
        from server.library.cli import run_library

        return run_library(args.action, config, owner=args.owner, output=args.output)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
