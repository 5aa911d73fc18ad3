"""A Digest as Telegram HTML, split into messages that Telegram accepts (≤ 4096 UTF-16 units after parsing)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from server.core.digest import Digest, Span
from server.core.errors import PithError
from server.core.render import with_figures

from .i18n import Messages
from .links import utf16_len

TELEGRAM_LIMIT = 4096
MAX_QUOTES = 12
_TOKEN = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);|[^<&]|[<&]")
_TAG = re.compile(r"<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_STATUS = re.compile(r"\b([1-5][0-9]{2})\b")


def esc(text: str) -> str:
    """Text escaped for Telegram HTML (``<``, ``>``, ``&``)."""
    return html.escape(text, quote=False)


def esc_attr(text: str) -> str:
    """A value escaped for a double-quoted attribute."""
    return html.escape(text, quote=True)


def _figure_spans(d: Digest) -> list[tuple[int, int]]:
    spans = {(g.start, g.end) for f in d.facts for g in f.figures if 0 <= g.start < g.end <= len(d.text)}
    return sorted(spans)


def _marked(d: Digest, span: Span, figures: list[tuple[int, int]]) -> str:
    """The sentence escaped, with the figures inside it in bold."""
    if d.text[span.start:span.end] != span.text:
        return esc(span.text)
    return with_figures(d.text, span.start, span.end, figures, esc, lambda figure: f"<b>{esc(figure)}</b>")


def _date(iso: str | None, m: Messages) -> str | None:
    """The digest's ISO date written the way the reader's language writes dates (``date_format`` in messages)."""
    if not iso:
        return None
    parts = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return m("date_format", year=parts[1], month=parts[2], day=parts[3]) if parts else iso


def render_digest(d: Digest, m: Messages) -> str:
    """Title, site and date line, summary, key facts (figures in bold), quotes «…» — Speaker, link.

    Paragraphs are separated by a blank line; every paragraph is balanced markup on its own.
    """
    blocks: list[str] = []
    head = [f"<b>{esc(d.title)}</b>"] if d.title else []
    meta = [p for p in (d.site, _date(d.date, m)) if p]
    meta.append(m("words", minutes=d.reading_minutes))
    head.append(esc(" · ".join(meta)))
    blocks.append("\n".join(head))
    figures = _figure_spans(d)
    if d.summary:
        blocks.append(" ".join(_marked(d, s, figures) for s in d.summary))
    in_summary = {(s.start, s.end) for s in d.summary}
    facts = [f for f in d.facts if (f.start, f.end) not in in_summary]
    if facts:
        lines = [f"• {_marked(d, Span(f.text, f.start, f.end), figures)}" for f in facts]
        blocks.append(f"<b>{esc(m('key_facts'))}</b>\n" + "\n".join(lines))
    if d.quotes:
        lines = [f"«{esc(q.text)}» — <i>{esc(q.speaker or m('unknown_speaker'))}</i>"
                 for q in d.quotes[:MAX_QUOTES]]
        blocks.append(f"<b>{esc(m('quotes'))}</b>\n" + "\n".join(lines))
    if not (d.summary or facts or d.quotes):
        blocks.append(esc(m("nothing_found")))
    if d.url:
        blocks.append(f'<a href="{esc_attr(d.url)}">{esc(m("original"))}</a>')
    return "\n\n".join(blocks)


def short_url(url: str, width: int = 60) -> str:
    """``host/path`` of a URL, shortened with … to about ``width`` characters."""
    try:
        parts = urlsplit(url)
        shown = (parts.hostname or "") + (parts.path if parts.path != "/" else "")
    except ValueError:
        shown = url
    shown = shown or url
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def error_reason(exc: PithError, m: Messages) -> str:
    """A short friendly reason for a failure, in the interface language."""
    if exc.code == "upstream_error" and (status := _STATUS.search(exc.message)):
        key = "upstream_missing" if status[1] in {"404", "410"} else "upstream_status"
        return m.error(key, status=status[1])
    return m.error(exc.code)


def render_error(exc: PithError, m: Messages, url: str | None = None) -> str:
    """One short message saying what went wrong with a link (or with a pasted text when ``url`` is None)."""
    what = f'<a href="{esc_attr(url)}">{esc(short_url(url))}</a>' if url else esc(m("pasted_text"))
    return m("failed", what=what, reason=esc(error_reason(exc, m)))


def visible_text(markup: str) -> str:
    """The text Telegram shows for ``markup`` (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def split_html(markup: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut Telegram HTML into messages of at most ``limit`` UTF-16 units of visible text each.

    Cuts go at a blank line if possible, else at a line break, else at a space, else between characters,
    never inside a tag or an entity; elements open at a cut are closed there and reopened in the next
    message. Whitespace around cuts is dropped, as Telegram would drop it.
    """
    tokens = _TOKEN.findall(markup)
    chunks: list[str] = []
    start, reopen = 0, ()
    while start < len(tokens):
        while start < len(tokens) and tokens[start].isspace():
            start += 1
        if start >= len(tokens):
            break
        stack: list[tuple[str, str]] = list(reopen)
        best: dict[int, tuple[int, tuple[tuple[str, str], ...]]] = {}
        visible, i, cut = 0, start, None
        while i < len(tokens):
            tok = tokens[i]
            if tok.startswith("<") and (tag := _TAG.match(tok)):
                closing, name = tag[1], tag[2].lower()
                if closing:
                    for j in range(len(stack) - 1, -1, -1):
                        if stack[j][0] == name:
                            del stack[j:]
                            break
                elif not tok.rstrip(">").rstrip().endswith("/"):
                    stack.append((name, tok))
                i += 1
                continue
            width = utf16_len(html.unescape(tok)) if tok.startswith("&") else utf16_len(tok)
            if visible + width > limit:
                cut = i
                break
            visible += width
            if tok == "\n" and i + 1 < len(tokens) and tokens[i + 1] == "\n":
                best[3] = (i, tuple(stack))
            elif tok == "\n":
                best[2] = (i, tuple(stack))
            elif tok.isspace():
                best[1] = (i, tuple(stack))
            i += 1
        if cut is None:
            end, open_at_end = len(tokens), tuple(stack)
        else:
            prio = max((p for p, (k, _) in best.items() if k > start), default=None)
            end, open_at_end = best[prio] if prio is not None else (cut, tuple(stack))
            if end <= start:  # a limit below one character: still make progress
                end, open_at_end = start + 1, tuple(stack)
        body = tokens[start:end]
        while body and body[-1].isspace():
            body.pop()
        text = "".join(t for _, t in reopen) + "".join(body) + "".join(f"</{n}>" for n, _ in reversed(open_at_end))
        if visible_text(text).strip():
            chunks.append(text)
        start, reopen = end, open_at_end
    return chunks
