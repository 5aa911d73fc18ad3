"""Pair quotation marks of every style into quoted stretches, paragraph by paragraph, recovering from bad marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# opener -> the marks that may close it
_CLOSERS: dict[str, str] = {
    "„": '“”"',
    "«": "»",
    "»": "«",
    "“": '”“"',
    "”": '”"',  # Swedish-style or sloppy ”…”
    '"': '"”“',
    "‹": "›",
    "›": "‹",
    "‚": "‘’'",
    "‘": "’'",
    "'": "'’",
    "⹂": "“”",
}
_DOUBLE = set('„«»“”"⹂')
_SINGLE = set("‚‘’'‹›")
_ALL = _DOUBLE | _SINGLE
# two apostrophes or commas used as one double mark (AP's ’’ … ’’, '' … '', ,, … '')
_DOUBLED = {"''": '"', "’’": "”", "‘‘": "“", ",,": "„", "``": "“"}
_MARK_CHAR = re.compile("[" + re.escape("".join(sorted(_ALL | {k[0] for k in _DOUBLED}))) + "]")
_OPEN_LEFT = set("([{—–-/:;") | _ALL
_SPACED_OPENERS = set('“"')  # double marks that may open with a stray space after them (never » or «: French spacing)
_CLOSE_RIGHT = set(".,;:!?)]}—–-…/") | _ALL

MIN_UNCLOSED_WORDS = 3  # an opening mark never closed opens a quote only over this many words
MAX_PAIRING_ROUNDS = 8  # passes over a paragraph, each ignoring a mark that broke the pairing

@dataclass(slots=True)
class Marked:
    """A quoted stretch: ``spans`` are the inner parts (one per paragraph), trimmed of spaces."""

    spans: list[tuple[int, int]]
    opener: str
    open_pos: int
    close_pos: int | None  # index of the closing mark, None when the quote ran unclosed
    orphan: bool = False  # closing mark with no opening mark before it
    nested: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def after(self) -> int:
        """Index just past the closing mark (or the end of the last span)."""
        if self.close_pos is None:
            return self.end
        return self.close_pos + self._close_len

    _close_len: int = 1


@dataclass(slots=True)
class _Mark:
    pos: int
    char: str  # normalised mark character
    length: int
    can_open: bool
    can_close: bool


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _marks(text: str, lo: int, hi: int) -> list[_Mark]:
    out: list[_Mark] = []
    i = lo
    while i < hi:
        m = _MARK_CHAR.search(text, i, hi)
        if m is None:
            break
        i = m.start()  # no other character can start a mark
        two = text[i : i + 2]
        if two in _DOUBLED and i + 2 <= hi:
            ch, ln = _DOUBLED[two], 2
        elif text[i] in _ALL:
            ch, ln = text[i], 1
        else:
            i += 1
            continue
        left = text[i - 1] if i > lo else " "
        right = text[i + ln] if i + ln < hi else " "
        if ch in "'’‘" and left.isalnum() and right.isalnum():
            i += ln  # apostrophe inside a word
            continue
        if ch == "," and ln == 1:
            i += 1
            continue
        can_open = not right.isspace() and (left.isspace() or left in _OPEN_LEFT)
        can_close = not left.isspace() and (
            right.isspace() or right in _CLOSE_RIGHT or (right.isalnum() and ch in "»«“”„")
        )
        if ch in _SPACED_OPENERS and (left.isspace() or left in _OPEN_LEFT) and right == " " and _capital_next(
            text, i + ln, hi
        ):
            can_open = True  # a stray space after an opening mark: ' " A devaluation will …', ' “ I love …'
        if ch in "'’" and left.isalpha() and right.isspace() and ln == 1:
            can_open = False  # a trailing apostrophe (Jones’, walkin’) may still close an open single quote
        if ch in "„‚⹂":
            can_open, can_close = True, False
        out.append(_Mark(i, ch, ln, can_open, can_close))
        i += ln
    return out


def _closers_left(marks: list[_Mark], k: int, opener: str, need: int, cache: dict[str, list[int]]) -> bool:
    """At least ``need`` marks after ``marks[k]`` in the paragraph can close ``opener`` (counts kept per opener)."""
    after = cache.get(opener)
    if after is None:
        closers = _CLOSERS.get(opener, "")
        after = cache[opener] = [0] * (len(marks) + 1)
        for i in range(len(marks) - 1, -1, -1):
            after[i] = after[i + 1] + (marks[i].can_close and marks[i].char in closers)
    return after[k + 1] >= need


def _capital_next(text: str, k: int, hi: int) -> bool:
    """After a mark and one space: a capitalised word, as a quoted sentence starts."""
    return k + 1 < hi and text[k + 1].isupper()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = _trim(text, m.start(), m.end())
        if e > s:
            out.append((s, e))
    return out


def find_marked(text: str) -> list[Marked]:
    """Every top-level quoted stretch in ``text``, in order; nested quotes stay inside their outer quote."""
    result: list[Marked] = []
    carry: Marked | None = None
    paras = _paragraphs(text)
    for pi, (ps, pe) in enumerate(paras):
        nxt = paras[pi + 1] if pi + 1 < len(paras) else None
        ignored: set[int] = set()
        for _ in range(MAX_PAIRING_ROUNDS):
            found, carry_next, bad = _pair_paragraph(text, ps, pe, nxt, carry, ignored)
            if bad is None:
                break
            ignored.add(bad)
        result.extend(found)
        carry = carry_next
    uniq = {id(m): m for m in result}
    return sorted(uniq.values(), key=lambda m: m.start)


def _pair_paragraph(
    text: str, ps: int, pe: int, nxt: tuple[int, int] | None, carry: Marked | None, ignored: set[int]
) -> tuple[list[Marked], Marked | None, int | None]:
    """Pair the marks of one paragraph; returns the quotes, a quote running on, and a mark to ignore on retry."""
    result: list[Marked] = []
    marks = [m for m in _marks(text, ps, pe) if m.pos not in ignored]
    stack: list[tuple[_Mark, Marked | None]] = []
    last_end = ps
    if carry is not None and marks and marks[0].pos == ps and _same_kind(marks[0].char, carry.opener):
        stack.append((marks[0], carry))
        marks = marks[1:]
    nested_double = False
    closer_counts: dict[str, list[int]] = {}
    for n_mk, mk in enumerate(marks):
        if (
            len(stack) > 1
            and _family(mk.char) == "double"
            and _family(stack[-1][0].char) == "double"
            and mk.char in _CLOSERS.get(stack[-1][0].char, "")
        ):
            nested_double = True
        if stack and _close(text, stack, mk, result):
            last_end = mk.pos + mk.length if not stack else last_end
            continue
        if mk.can_open:
            same = stack and stack[-1][0].char == mk.char == stack[0][0].char and _family(mk.char) == "double"
            if same and not _closers_left(marks, n_mk, mk.char, len(stack) + 1, closer_counts):
                op, prev = stack[0]  # „A … „B …“: the first quote ran unclosed
                _close_unclosed(text, op, prev, mk.pos, result)
                stack.clear()  # (with enough closers after it, „A „B“ A“ nests instead)
            stack.append((mk, None))
        elif mk.can_close and not stack and _family(mk.char) == "double":
            s, e = _trim(text, last_end, mk.pos)
            if e - s > 1:
                m = Marked([(s, e)], mk.char, s, mk.pos, orphan=True)
                m._close_len = mk.length
                result.append(m)
            last_end = mk.pos + mk.length
    carry_next: Marked | None = None
    if stack:
        op, prev = stack[0]
        if prev is None and (_family(op.char) == "single" or nested_double):
            return result, None, op.pos  # retry without this opener: it was an apostrophe or a stray mark
        cont = False
        if nxt is not None:
            first = _marks(text, nxt[0], min(nxt[1], nxt[0] + 2))
            cont = bool(first) and first[0].pos == nxt[0] and _same_kind(first[0].char, op.char)
        inner = _trim(text, op.pos + op.length, pe)
        if cont and inner[1] > inner[0]:
            if prev is None:
                prev = Marked([inner], op.char, op.pos, None)
            else:
                prev.spans.append(inner)
            carry_next = prev
        else:
            _close_unclosed(text, op, prev, pe, result)
    return result, carry_next, None


def _close(text: str, stack: list[tuple[_Mark, Marked | None]], mk: _Mark, result: list[Marked]) -> bool:
    """Close the innermost open quote ``mk`` can close; True when it closed one."""
    for depth in range(len(stack) - 1, -1, -1):
        op = stack[depth][0]
        if mk.char not in _CLOSERS.get(op.char, ""):
            continue
        if not (mk.can_close or (mk.char in "»«" and not mk.can_open and op.char != mk.char)):
            continue
        if op.char == mk.char and mk.can_open and not mk.can_close:
            continue
        if depth != len(stack) - 1 and _family(mk.char) != _family(op.char):
            continue
        if depth == 0:
            inner = _trim(text, op.pos + op.length, mk.pos)
            prev = stack[0][1]
            if prev is not None:
                if inner[1] > inner[0]:
                    prev.spans.append(inner)
                prev.close_pos, prev._close_len = mk.pos, mk.length
                result.append(prev)
            elif inner[1] > inner[0]:
                m = Marked([inner], op.char, op.pos, mk.pos)
                m._close_len = mk.length
                result.append(m)
        del stack[depth:]
        return True
    return False


def _close_unclosed(text: str, op: _Mark, prev: Marked | None, e: int, result: list[Marked]) -> None:
    """Keep an unclosed double quote up to ``e`` (a missing closing mark); single marks are dropped."""
    inner = _trim(text, op.pos + op.length, e)
    if prev is not None:
        if inner[1] > inner[0]:
            prev.spans.append(inner)
        result.append(prev)
        return
    if _family(op.char) != "double" or inner[1] - inner[0] < 2:
        return
    if len(text[inner[0] : inner[1]].split()) < MIN_UNCLOSED_WORDS:
        return
    result.append(Marked([inner], op.char, op.pos, None))


def _family(ch: str) -> str:
    return "double" if ch in _DOUBLE else "single"


def _same_kind(a: str, b: str) -> bool:
    """Marks that may open the paragraphs of one multi-paragraph quote."""
    groups = ('“"”', "«»", "„⹂", "‹›")
    return a == b or any(a in g and b in g for g in groups)
