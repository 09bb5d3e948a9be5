"""A newsletter plea is page furniture; a news sentence that opens on the same words ("Sign up
for the council's newsletter was made compulsory ...") is reporting and stays, at ingest and
in the summariser's sentence split. Text written for the project."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, strip_boilerplate
from bot.summarize.sentences import split_sentences

STORY = "Harbour crews towed the stranded ferry back to Port Ellis on Tuesday."


@pytest.mark.parametrize(
    "plea",
    [
        "Sign up for our newsletter to get the latest news.",
        "Subscribe to our free weekly newsletter.",
        "Sign up for the Tide Times newsletter here.",
        "Sign up now for the Harbour Weekly newsletter to get ferry news and photos delivered "
        "straight to your inbox!",
        "Subscribe to the Island Notes newsletter and never miss a sailing.",
        "Sign up for the Island Notes newsletter Sign up for our daily email newsletter and get "
        "top stories delivered to your inbox.",
    ],
)
def test_a_newsletter_plea_is_boilerplate(plea: str) -> None:
    assert is_boilerplate(plea), plea
    assert strip_boilerplate(f"{STORY}\n{plea}") == STORY


@pytest.mark.parametrize(
    "news",
    [
        "Sign up for the council's newsletter was made compulsory for every ferry pass holder, "
        "the regulator said on Monday.",
        "Subscribe to the harbour newsletter, the fake message urged, before it asked for card "
        "details, police said.",
        "Sign up for the port's newsletter and win a ferry pass was the slogan of the scam, "
        "which took £40,000 from islanders.",
        "Subscribe to our newsletter to get the leaked timetables, the hackers told victims, "
        "according to the court filing.",
    ],
)
def test_a_news_sentence_opening_like_a_plea_is_kept(news: str) -> None:
    assert not is_boilerplate(news), news
    assert strip_boilerplate(f"{STORY}\n{news}") == f"{STORY}\n{news}"
    assert split_sentences(f"{STORY} {news}") == [STORY, news]
