"""A Digest as Markdown (the one canonical rendering, headings in the page's language) or as terminal text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote, urlsplit

from server.core import langdata
from server.core.digest import Digest

# The words of the Markdown headings (``langdata/<lang>/render.json``) when the page's language has none.
FALLBACK_LANGUAGE = "en"


def _byline(d: Digest) -> str:
    return " · ".join(p for p in (d.site, d.author, d.date) if p)


def with_figures(text: str, start: int, end: int, figures: Iterable[tuple[int, int]],
                 plain: Callable[[str], str], figure: Callable[[str], str]) -> str:
    """``text[start:end]`` with each figure inside it passed through ``figure``, the rest through ``plain``
    (used by every face that emphasises figures: Markdown here, Telegram HTML in the bot)."""
    out, pos = [], start
    for f_start, f_end in sorted(figures):
        if f_start < pos or f_end > end:
            continue
        out.append(plain(text[pos:f_start]))
        out.append(figure(text[f_start:f_end]))
        pos = f_end
    out.append(plain(text[pos:end]))
    return "".join(out)


def _md_bold(figure: str) -> str:
    return f"**{figure}**"


def _speaker(speaker: str | None, unknown: str = "unknown speaker") -> str:
    return speaker or unknown


def _words(lang: str | None) -> dict[str, str]:
    """The heading words for ``lang``: its ``render`` table over the fallback language's."""
    return {**langdata.load(FALLBACK_LANGUAGE, "render"), **langdata.load(lang, "render")}


def _link_target(url: str) -> str | None:
    """``url`` fit for a Markdown link: http(s) only, with the characters that would end the link escaped."""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return None
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def to_markdown(d: Digest) -> str:
    """Title, byline, summary, key facts (figures in bold), quotes with speakers, source link; the headings
    in the page's language where ``langdata`` has its words, else in English."""
    w = _words(d.language)
    lines = [f"# {d.title or w['untitled']}"]
    if byline := _byline(d):
        lines += ["", f"*{byline}*"]
    if d.summary:
        lines += ["", f"## {w['summary']}", "", " ".join(s.text for s in d.summary)]
    if d.facts:
        lines += ["", f"## {w['facts']}", ""] + [
            f"- {with_figures(d.text, f.start, f.end, [(g.start, g.end) for g in f.figures], str, _md_bold)}"
            for f in d.facts
        ]
    if d.quotes:
        lines += ["", f"## {w['quotes']}", ""]
        for q in d.quotes:
            fragment = f" *({w['fragment']})*" if q.partial else ""
            lines.append(f"> «{q.text}»  \n> — {_speaker(q.speaker, w['unknown_speaker'])}{fragment}")
            lines.append("")
        lines.pop()
    if d.url and (target := _link_target(d.url)):
        lines += ["", f"[{w['source']}]({target})"]
    return "\n".join(lines) + "\n"


def to_text(d: Digest) -> str:
    """A readable digest for a terminal."""
    title = d.title or "Untitled"
    lines = [title, "=" * min(len(title), 78)]
    if byline := _byline(d):
        lines.append(byline)
    lines.append(f"{d.word_count} words, {d.reading_minutes} min read" + (f", {d.language}" if d.language else ""))
    if d.summary:
        lines += ["", "Summary:", "  " + " ".join(s.text for s in d.summary)]
    if d.facts:
        lines += ["", "Key facts:"] + [f"  • {f.text}" for f in d.facts]
    if d.quotes:
        lines += ["", "Quotes:"] + [f"  «{q.text}» — {_speaker(q.speaker)}" for q in d.quotes]
    if not (d.summary or d.facts or d.quotes):
        lines += ["", d.text]
    if d.url:
        lines += ["", d.url]
    return "\n".join(lines) + "\n"
