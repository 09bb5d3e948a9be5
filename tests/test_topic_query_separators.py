"""`,` and `|` between two words are not operators: `chips,semiconductors` read as the phrase
"chips semiconductors" matched nothing, so it is an error pointing at the separator. A `/` is
how names are written ("TCP/IP", "AC/DC", "AI/ML"): a phrase, as before, so saved topics that
use one keep working. Names that carry one (covid-19, 9/11, 24/7, 1,000, sites) keep working. Quotes of other languages
(«…», ‹…›, „…”, „…“, ‚…’) are phrase quotes, as "…" and “…” are."""

from __future__ import annotations

import pytest

from bot.adapters.slack.command_text import command_text
from bot.topics import QueryError, StoryDoc, TopicQuery


def _matches(query: str, text: str, *sources: str) -> bool:
    return TopicQuery.parse(query).matches(StoryDoc(text=text, sources=sources))


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("chips,semiconductors", 5),
        ("a|b", 1),
        ("export (chips|semis)", 13),
        ("-crypto,nft", 7),
        ("日本,中国", 2),
    ],
)
def test_a_separator_between_two_words_is_an_error_at_the_separator(
    query: str, position: int
) -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert info.value.position == position
    assert query[position] in ",|"
    assert "use OR or spaces between words" in info.value.message


def test_the_error_says_how_to_search_for_the_name_as_written() -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse("a|b")
    assert '"a|b"' in info.value.message


@pytest.mark.parametrize(
    ("query", "text"),
    [("tcp/ip", "The TCP/IP stack"), ("AC/DC", "AC/DC tour"), ("ai/ml", "AI/ML teams")],
)
def test_a_slash_between_words_is_a_name_as_written(query: str, text: str) -> None:
    assert _matches(query, text)
    assert _matches("«ai/ml»", "AI/ML teams")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("covid-19", "Covid-19 cases rose"),
        ("U.S.", "The U.S. economy"),
        ("AT&T", "AT&T results"),
        ("9/11", "the 9/11 commission"),
        ("24/7", "open 24/7"),
        ("1,000", "1,000 jobs cut"),
        ("chips,", "chips, again"),  # no word after it: nothing to separate
        ("https://example.com/a,b|c", "see https://example.com/a,b|c"),
    ],
)
def test_names_with_punctuation_still_parse_and_match(query: str, text: str) -> None:
    assert _matches(query, text)


def test_sites_in_source_filters_keep_their_slashes() -> None:
    assert _matches("source:nytimes.com/tech", "x", "nytimes.com/tech")
    assert TopicQuery.parse("source:https://nytimes.com")  # a link Slack's markup became
    assert _matches("chips example.com/news", "chips at example.com/news", "x")  # a bare site


def test_slack_unescaping_and_links_still_give_valid_queries() -> None:
    assert _matches(command_text('"AT&amp;T" OR verizon'), "AT&T results")
    link = command_text("source:<https://nytimes.com/tech|nytimes.com/tech>")
    assert TopicQuery.parse(link).describe().startswith("source:")
    assert TopicQuery.parse(command_text("chips <https://a.example/x,y|a.example/x,y>"))


def test_a_lone_separator_between_spaced_words_says_the_same() -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse("ai | ml")
    assert info.value.position == 3
    assert "use OR or spaces between words" in info.value.message


@pytest.mark.parametrize(
    "query",
    [
        "«chip export»",
        "« chip export »",  # French spacing inside the marks
        "‹chip export›",
        "»chip export«",  # German and Danish
        "„chip export”",  # Polish, Hungarian
        "„chip export“",  # German, Czech
        "‚chip export’",
        "“chip export”",
        '"chip export"',
    ],
)
def test_other_languages_quotes_make_a_phrase(query: str) -> None:
    assert TopicQuery.parse(query).describe() == '"chip export"'
    assert _matches(query, "new chip exports")
    assert not _matches(query, "export of a chip")


def test_phrases_in_other_quotes_combine_with_operators_and_source() -> None:
    parsed = TopicQuery.parse("«chip export» OR „rare earth” source:«new york times»")
    assert parsed.describe() == '"chip export" OR ("rare earth" AND source:"new york times")'


def test_an_apostrophe_inside_single_low_quotes_does_not_close_them() -> None:
    assert TopicQuery.parse("‚Macron’s plan’").describe() == '"macron s plan"'
    assert _matches("‚Macron’s plan’", "Macron’s plan for schools")


@pytest.mark.parametrize(("query", "position"), [("«chip export", 0), ("a „chip", 2), ("‹a", 0)])
def test_an_unclosed_quote_of_any_style_is_reported(query: str, position: int) -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert info.value.position == position
    assert "unterminated quote" in info.value.message


def test_an_apostrophe_in_a_word_is_no_quote() -> None:
    assert _matches("macron’s", "Macron’s plan")
    assert _matches("japan’s", "Japan's fund")
