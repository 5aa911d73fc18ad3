"""Big pages: boilerplate is pruned before the expensive passes; a tree still too big is ``too_large``."""

from __future__ import annotations

import pytest

from server.core.errors import PithError
from server.core.extract.html import MAX_ELEMENTS, extract_html
from server.core.pipeline import build_digest

_ARTICLE = "".join(
    f"<p>The ferry between Oakmere and the island will run every {20 + i} minutes from March, the operator said on "
    f"Monday, after a winter in which storms cancelled one crossing in {i + 3}.</p>" for i in range(8))


def _page(extra: str) -> str:
    return (f"<html><head><title>More ferries for Oakmere</title></head><body><nav class='menu'><a href='/'>Home</a>"
            f"</nav><article><h1>More ferries for Oakmere</h1>{_ARTICLE}</article>{extra}</body></html>")


def _comments(n: int) -> str:
    posts = "".join(f"<li class='comment'><div class='comment-meta'><b>reader {i}</b> <time>{i} min ago</time></div>"
                    f"<div class='comment-body'><p>I have taken this ferry for years and it was always late, "
                    f"whatever the weather, and nobody ever said sorry.</p></div></li>" for i in range(n))
    return f"<section class='comments'><ol>{posts}</ol></section>"


def test_a_page_over_the_element_limit_that_prunes_below_it_gives_the_article() -> None:
    html = _page(_comments(MAX_ELEMENTS // 5))  # six elements a comment: over the limit before pruning
    assert html.count("<") - html.count("</") > MAX_ELEMENTS
    text = extract_html(html).text
    assert text.startswith("The ferry between Oakmere") and text.count("\n\n") == 7
    assert "reader" not in text


def test_a_page_still_over_the_limit_after_pruning_is_too_large() -> None:
    boxes = "".join(f"<div><span>cell {i}</span></div>" for i in range(MAX_ELEMENTS // 2 + 100))
    with pytest.raises(PithError) as err:
        extract_html(_page(boxes))
    assert err.value.code == "too_large" and err.value.status == 413


def test_too_large_is_the_digest_error_too() -> None:
    boxes = "".join(f"<div><span>cell {i}</span></div>" for i in range(MAX_ELEMENTS // 2 + 100))
    with pytest.raises(PithError) as err:
        build_digest(_page(boxes))
    assert err.value.code == "too_large"
