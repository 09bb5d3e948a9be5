"""A topic query is checked against every story of every digest: one that is too big to read is
refused when it is saved, naming the limit, and a long phrase of common words costs little."""

from __future__ import annotations

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store
from bot.topics import QueryError, StoryDoc, TopicQuery
from bot.topics.query import MAX_PHRASE_WORDS, MAX_QUERY_CHARS, MAX_TERMS
from tests._cost import assert_costs_at_most

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")


def test_the_limits_are_the_documented_ones() -> None:
    assert (MAX_QUERY_CHARS, MAX_TERMS, MAX_PHRASE_WORDS) == (1000, 100, 12)


def test_a_query_over_the_character_limit_is_refused() -> None:
    query = " OR ".join(f"w{i}" for i in range(300))
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert "1,000 characters" in info.value.message
    assert info.value.position == MAX_QUERY_CHARS


def test_a_query_over_the_term_limit_is_refused_at_the_first_term_too_many() -> None:
    query = " ".join(f"w{i}" for i in range(101))
    assert len(query) < MAX_QUERY_CHARS
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    assert "100 terms" in info.value.message
    assert info.value.position == query.index("w100")
    TopicQuery.parse(" ".join(f"w{i}" for i in range(100)))


def test_source_filters_count_as_terms() -> None:
    with pytest.raises(QueryError, match="100 terms"):
        TopicQuery.parse(" ".join(["chips"] * 95 + [f"source:s{i}" for i in range(6)]))


def test_a_phrase_over_the_word_limit_is_refused() -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse('chips "' + "a " * 13 + '"')
    assert "12 words" in info.value.message
    assert info.value.position == 6
    assert TopicQuery.parse('"' + "a " * 12 + '"')


def test_a_phrase_of_common_words_is_matched_fast() -> None:
    text = " ".join(f"w{i % 3000}" for i in range(20000)) + "\n\n" + "the " * 20000
    doc = StoryDoc(text=text)
    doc.tokens  # noqa: B018 - built once per story, not what is timed
    # Each phrase's last word is in the story, but never after eleven "the". Tried at every
    # "the", as before a phrase was anchored on its rarest word, they took 0.8 s of CPU (1.7 s
    # was noted then). A word the story lacks would rule its phrase out before any search.
    phrases = " OR ".join('"' + "the " * 11 + f'w{i}"' for i in range(15))
    query = TopicQuery.parse(phrases)
    assert not query.matches(doc)
    assert TopicQuery.parse('"' + "the " * 12 + '"').matches(doc)
    # Against tokenising the same story: anchored, about 5 times that (counting each phrase
    # word is a scan in C); tried at every "the", 20 to 30 times.
    assert_costs_at_most(lambda: query.matches(doc), lambda: StoryDoc(text=text).tokens, 15)


def test_the_error_shows_the_part_of_a_long_query_around_the_problem() -> None:
    query = " ".join(f"w{i}" for i in range(101))
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    _, shown, caret = str(info.value).splitlines()
    assert len(shown) < 90
    assert shown.startswith("  …")
    assert shown[caret.index("^") :].startswith("w100")


async def test_follow_with_a_pasted_query_names_the_limit_without_echoing_it(
    core: NewsDigest,
) -> None:
    pasted = "big " + " OR ".join(f'"the w{i}"' for i in range(800))
    reply = await Commands(core).dispatch("follow", pasted, SLACK)
    assert reply.text == "That query is too big: query is longer than 1,000 characters (11,086)."
    assert channel_store.get_topic(core.db, "big") is None
