"""A seam for new languages: a made-up language added through a langdata directory, with no code at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.core import langdata
from server.core.digest import Article
from server.core.errors import PithError
from server.core.pipeline import build_digest, digest_article
from server.core.render import to_markdown
from server.core.text.sentences import split_sentences
from server.service.config import Config

LANG = "zq"  # no such language: everything the digest knows about it comes from the files below

TABLES = {
    "sentences": {
        "abbreviations": ["Vrn."], "may_end": [], "before_number": ["Nro."], "ordinal_numbers": False,
        "sentence_starters": ["Lo"],
    },
    "numbers": {
        "decimal": ",", "thousands": ["."], "number_words": ["dvo", "trel"], "article_numbers": [],
        "scales": ["milo"], "currencies": ["krana", "¤"], "units": ["klomet"], "durations": ["jare"], "times": [],
        "comparisons": ["plu ke"], "months": [], "range_joiners": [], "range_pairs": [], "fractions": [],
        "fraction_followers": [], "shares": [], "share_determiners": [], "digit_suffixes": [], "street_words": [],
        "street_suffixes": [], "scale_values": {"milo": 1000000}, "currency_codes": {"krana": "KRA", "¤": "KRA"},
        "unit_codes": {"klomet": "km"}, "title_nouns": [],
    },
    "quotes": {"cues": ["vraka"], "phrase_cues": [], "prefix_cues": [], "post_only_cues": [], "weak_cues": []},
    "render": {"untitled": "Senttitla", "summary": "Kurzo", "facts": "Faktoj", "quotes": "Citoj",
               "source": "Fonto", "unknown_speaker": "nekonata", "fragment": "ero"},
}

TEXT = (
    "Lo konsilo de Vrn. Malo Tarsen aprobis novan ponton por 4,5 milo krana. "
    "Lo ponto estos 12 klomet longa kaj pretos post trel jare. "
    "«Nia urbo finfine kunigas ambaŭ bordojn», vraka Malo Tarsen. "
    "Lo laboroj komencos printempe.\n"
)


def write_language(root: Path, tables: dict[str, dict], lang: str = LANG) -> Path:
    """A langdata directory under ``root`` holding ``lang``'s ``tables`` (topic → table); the made-up one by default."""
    (root / lang).mkdir()
    for topic, table in tables.items():
        (root / lang / f"{topic}.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def extra_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_language(tmp_path_factory.mktemp("langdata"), TABLES)


def test_the_language_exists_only_on_its_search_path(extra_dir: Path) -> None:
    assert langdata.load(LANG, "numbers") == {}
    with langdata.using([extra_dir]):
        assert langdata.load(LANG, "numbers")["units"] == ["klomet"]
        assert LANG in langdata.languages("sentences")
        assert langdata.load("de", "quotes"), "the built-in languages stay"
    assert LANG not in langdata.languages("sentences")


def test_sentences_figures_and_quotes_from_data_alone(extra_dir: Path) -> None:
    d = digest_article(Article(text=TEXT, title="Nova ponto"), lang=LANG, langdata_dirs=[extra_dir])
    assert d.language == LANG
    with langdata.using([extra_dir]):
        spans = split_sentences(TEXT, LANG)
    first, *_rest = (TEXT[s:e] for s, e in spans)
    assert first.endswith("krana."), "'Vrn.' is an abbreviation of the language, not a sentence end"
    assert len(spans) == 4
    figures = {f.text for fact in d.facts for f in fact.figures}
    assert "4,5 milo krana" in figures and "12 klomet" in figures
    assert [(q.text, q.speaker, q.cue) for q in d.quotes] == [
        ("Nia urbo finfine kunigas ambaŭ bordojn", "Malo Tarsen", "vraka")]  # the speech verb is data too
    with langdata.using([extra_dir]):
        markdown = to_markdown(d)
    assert "## Faktoj" in markdown and "**12 klomet**" in markdown


def test_build_digest_passes_language_and_directories(extra_dir: Path) -> None:
    d = build_digest(TEXT, input="text", lang=LANG, langdata_dirs=[str(extra_dir)])
    assert d.language == LANG and d.summary
    with pytest.raises(PithError) as err:
        build_digest(TEXT, input="text", lang="../de")
    assert err.value.code == "bad_request"
    with pytest.raises(ValueError):
        build_digest(TEXT, input="text", langdata_dirs=[str(extra_dir / "missing")])


def test_a_directory_overrides_a_builtin_table_for_one_digest_only(tmp_path: Path) -> None:
    write_language(tmp_path, {"render": {"summary": "Gist"}}, "en")
    text = "Harbour board approves ferry\n\nThe harbour board approved a new ferry line on Monday. It runs from May."
    with langdata.using([tmp_path]):
        assert "## Gist" in to_markdown(build_digest(text, input="text", lang="en"))
    assert "## Summary" in to_markdown(build_digest(text, input="text", lang="en"))


def test_faces_read_pith_langdata_dirs(tmp_path: Path) -> None:
    """``PITH_LANGDATA_DIRS`` reaches the core through the faces' config (here the command line)."""
    write_language(tmp_path, {"render": {"summary": "Gist"}}, "en")
    page = tmp_path / "page.txt"
    page.write_text("Harbour board approves ferry\n\nThe harbour board approved a new ferry line on Monday. "
                    "Boats will run every twenty minutes from May, the board said.\n", encoding="utf-8")
    env = {**os.environ, "PITH_CACHE_TTL": "0", "PITH_LANGDATA_DIRS": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "server", "digest", "--format", "markdown", str(page)],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "## Gist" in run.stdout
    with pytest.raises(ValueError, match="PITH_LANGDATA_DIRS"):
        Config.from_env({"PITH_LANGDATA_DIRS": str(tmp_path / "missing")})


BOILERPLATE = {  # a made-up language's furniture: a text dump's lines and an HTML page's classes and lines
    "boilerplate": {"stopwords": ["lo", "de", "kaj", "por", "post", "nia", "estos", "la"],
                    "drop": {"share": ["kunhavigu (la|ĉi tiun) artikolon"]}},
    "html_boilerplate": {"class_markers": ["rilataj"], "line_markers": ["^legu ankaŭ\\b"]},
}
PARAGRAPHS = [
    "Lo konsilo de la urbo aprobis novan ponton por kvar milo krana, kaj lo laboroj komencos post la vintro.",
    "Lo ponto estos dek du klomet longa kaj pretos post trel jare, diris la urbestro de la regiono hieraŭ.",
    "Nia urbo finfine kunigas ambaŭ bordojn de la rivero, kaj la ŝipoj ankoraŭ povos pasi sub la ponto.",
]


@pytest.fixture(scope="module")
def furniture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_language(tmp_path_factory.mktemp("langdata_furniture"), BOILERPLATE)


def test_a_new_languages_boilerplate_lines_leave_a_text_dump(furniture_dir: Path) -> None:
    page = "Nova ponto\n\n" + "\n\n".join(PARAGRAPHS[:2]) + "\n\nKunhavigu la artikolon\n\n" + PARAGRAPHS[2] + "\n"
    assert "Kunhavigu" in build_digest(page, input="text").text  # nothing knows the line without the directory
    text = build_digest(page, input="text", langdata_dirs=[furniture_dir]).text
    assert "Kunhavigu" not in text and PARAGRAPHS[2] in text


def test_a_new_languages_html_markers_reach_the_extraction(furniture_dir: Path) -> None:
    teaser = "<div class='rilataj'><p>Lo muzeo de la urbo malfermos novan salonon por la pentraĵoj de la " \
             "regiono kaj la infanoj.</p></div>"
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + "<p>Legu ankaŭ: la novaj vojoj</p>" + teaser \
        + f"<p>{PARAGRAPHS[2]}</p>"
    page = (f"<html><head><title>Nova ponto</title></head><body><article><h1>Nova ponto</h1>{body}</article>"
            "</body></html>")
    plain = build_digest(page, input="html").text
    assert "Legu ankaŭ" in plain and "muzeo" in plain
    text = build_digest(page, input="html", langdata_dirs=[furniture_dir]).text
    assert "Legu ankaŭ" not in text and "muzeo" not in text and PARAGRAPHS[2] in text
