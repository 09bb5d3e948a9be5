"""A photo's caption describes a picture, not the news: the wire's archive caption ("FILE - In
this 2019 file photo, ...") is neither a TL;DR bullet nor a quote, and its "FILE" mark is no
dateline to strip, which made the caption read as reporting."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_credit
from bot.models import Article
from bot.summarize import summarize
from bot.summarize.compress import compress
from bot.summarize.sentences import article_sentences

CAPTION = (
    "FILE - In this June 3, 2019, file photo, harbour master Ola Berg speaks to reporters on the "
    "quay at Port Ellis during a hearing on the ferry fleet."
)


@pytest.mark.parametrize("prefix", ["", "(Wire Service) "])
def test_an_archive_caption_is_no_bullet(prefix: str) -> None:
    articles = [
        Article(
            id="0",
            source="Harbor Times",
            title="Port Ellis ferry fleet grounded after inspection",
            text=f"{prefix}{CAPTION} The ferry fleet at Port Ellis was grounded on Tuesday after "
            "inspectors found cracks in two hulls. Harbour master Ola Berg said repairs would take "
            "three weeks. Commuters were told to use the coastal bus.",
        ),
        Article(
            id="1",
            source="Daily Ledger",
            title="Cracked hulls ground Port Ellis ferries",
            text="Inspectors grounded the Port Ellis ferry fleet on Tuesday after finding cracks in "
            "two hulls. Repairs will take three weeks, the harbour master said.",
        ),
    ]
    card = summarize(articles)
    assert card.tldr
    assert not any("file photo" in b.text for b in card.tldr), [b.text for b in card.tldr]
    assert not any("file photo" in f"{a.line} {a.quote}" for a in card.angles)


def test_the_file_mark_is_a_caption_not_a_dateline() -> None:
    assert is_credit(CAPTION) and is_credit(f"(Wire Service) {CAPTION}")
    assert compress(CAPTION).startswith("FILE - ")
    assert not is_credit("FILES released on Monday show the harbour board knew of the cracks.")


def test_the_tldr_never_weighs_a_caption_as_a_sentence() -> None:
    text = f"(Wire Service) {CAPTION} The fleet was grounded on Tuesday. Repairs take weeks."
    article = Article(id="0", source="Harbor Times", title="Ferries grounded", text=text)
    sentences = article_sentences([article], ["Harbor Times"])
    assert [s.text for s in sentences] == [
        "The fleet was grounded on Tuesday.",
        "Repairs take weeks.",
    ]
    # The caption still stood first: the reporting after it keeps its place in the article.
    assert [s.position for s in sentences] == [1, 2]
