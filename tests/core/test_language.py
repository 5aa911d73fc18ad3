"""Language identification: German and English right on every labelled evaluation page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.core.text.language import detect_language


def _labelled_texts(shared: Path) -> list[tuple[str, str, str]]:
    found = []
    for gold in sorted((shared / "eval" / "quotes" / "gold").glob("*.json")):
        doc = json.loads(gold.read_text(encoding="utf-8"))
        found.append((gold.stem, doc["lang"], doc["text"]))
    for name in ("cnndm-dev.jsonl", "20min-dev.jsonl"):
        for line in (shared / "eval" / "summaries" / name).read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            found.append((doc["id"], doc["lang"], doc["text"]))
    return found


def test_every_labelled_eval_page_gets_its_language(shared_dir: Path) -> None:
    texts = _labelled_texts(shared_dir)
    assert len(texts) > 150
    wrong = [(ident, lang, detect_language(text)) for ident, lang, text in texts if detect_language(text) != lang]
    assert wrong == []


@pytest.mark.parametrize(("text", "lang"), [
    ("Der Bundesrat hat am Mittwoch entschieden, dass die Schweiz die Sanktionen übernimmt.", "de"),
    ("The council voted on Tuesday to approve the budget after a long debate.", "en"),
    ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.", "fr"),
])
def test_short_sentences(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "12 34 56", "!!!"])
def test_too_little_text_is_unknown(text: str) -> None:
    assert detect_language(text) is None
