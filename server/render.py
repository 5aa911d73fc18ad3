"""A Digest as Markdown or as plain text for a terminal."""

from __future__ import annotations

from .digest import Digest, Fact


def _byline(d: Digest) -> str:
    return " · ".join(p for p in (d.site, d.author, d.date) if p)


def _bold_figures(fact: Fact, mark: str) -> str:
    out, pos = [], fact.start
    for fig in sorted(fact.figures, key=lambda f: f.start):
        if fig.start < pos:
            continue
        out.append(fact.text[pos - fact.start: fig.start - fact.start])
        out.append(f"{mark}{fig.text}{mark}")
        pos = fig.end
    out.append(fact.text[pos - fact.start:])
    return "".join(out)


def _speaker(speaker: str | None, unknown: str = "unknown speaker") -> str:
    return speaker or unknown


def to_markdown(d: Digest) -> str:
    """Title, byline, summary, key facts (figures in bold), quotes with speakers, source link."""
    lines = [f"# {d.title or 'Untitled'}"]
    if byline := _byline(d):
        lines += ["", f"*{byline}*"]
    if d.summary:
        lines += ["", "## Summary", "", " ".join(s.text for s in d.summary)]
    if d.facts:
        lines += ["", "## Key facts", ""] + [f"- {_bold_figures(f, '**')}" for f in d.facts]
    if d.quotes:
        lines += ["", "## Quotes", ""]
        for q in d.quotes:
            fragment = " *(fragment)*" if q.partial else ""
            lines.append(f"> «{q.text}»  \n> — {_speaker(q.speaker)}{fragment}")
            lines.append("")
        lines.pop()
    if d.url:
        lines += ["", f"[Source]({d.url})"]
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
