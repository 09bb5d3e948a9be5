"""A title that scores the exchange ("obliterates") or opens on a feeling ("Fury as ...") loses to
another outlet's plain report of the same news, but is still a headline when it is the only one."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.headline import choose_headline
from bot.summarize.title_tone import badness

BODY = (
    "Mayor Dana Whitlock and councillor Ravi Osei debated the harbour housing plan on Tuesday "
    "night. Whitlock said the plan would add 4,000 homes; Osei said it ignored flood risk."
)
PLAIN = "Mayor and councillor clash over harbour housing plan in debate"


@pytest.mark.parametrize(
    "loaded",
    [
        "Mayor obliterates councillor over harbour housing plan in debate",
        "Whitlock demolished Osei on harbour housing plan in debate",
        "Mayor trounces councillor in harbour housing plan debate",
        "Fury as mayor and councillor clash over harbour housing plan",
        "Frustration as harbour housing plan debate ends without vote",
    ],
)
def test_a_loaded_title_loses_to_a_plain_one(loaded: str) -> None:
    assert badness(loaded) > badness(PLAIN)
    articles = [
        Article(id="1", source="Loud Post", title=loaded, text=BODY),
        Article(id="2", source="Plain Ledger", title=PLAIN, text=BODY),
    ]
    assert choose_headline(articles)[0] == PLAIN
    assert choose_headline(articles[:1])[0] == loaded


@pytest.mark.parametrize(
    "plain",
    [
        "Fears grow as harbour floods for a third winter",  # not a feeling opening "as"
        "Chaos theory pioneer wins physics prize",
        "Demolition of the old pier begins on Monday",
    ],
)
def test_words_near_the_loaded_ones_are_not_marked_down(plain: str) -> None:
    assert badness(plain) == badness("Harbour floods for a third winter in a row")
