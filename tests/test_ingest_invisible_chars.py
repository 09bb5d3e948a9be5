"""Soft hyphens and zero-width characters do not split words: they are dropped at ingest and by
`fold` (topic queries, slugs, and text stored before), so a topic finds the word the reader sees.
Fixtures written for these tests."""

from __future__ import annotations

from bot.ingest.parser import parse_feed
from bot.textutil import content_words, fold
from bot.topics.lookup import slugify
from bot.topics.query import TopicQuery
from bot.topics.storydoc import StoryDoc

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Zeitung</title>'
    b"<item><title>Land&#173;tags&#173;wahl: Wahl&#173;beteiligung sinkt</title>"
    b"<link>https://zeitung.example/1</link><description>Die Land&amp;shy;tags&amp;shy;wahl"
    b" zog wenige an. Micro&#8203;processor sales&#8288;men&#65279; cheer.</description>"
    b"</item></channel></rss>"
)


def test_ingest_drops_invisible_characters() -> None:
    entry = parse_feed(FEED).entries[0]
    assert entry.title == "Landtagswahl: Wahlbeteiligung sinkt"
    assert entry.text == "Die Landtagswahl zog wenige an. Microprocessor salesmen cheer."


def test_topics_match_the_whole_word() -> None:
    entry = parse_feed(FEED).entries[0]
    doc = StoryDoc(text=f"{entry.title}\n\n{entry.text}")
    for query in ("landtagswahl", "wahlbeteiligung", "microprocessor"):
        assert TopicQuery.parse(query).matches(doc), query
    assert not TopicQuery.parse("landtags").matches(doc)


def test_text_stored_with_them_still_matches() -> None:
    stored = "Land\u00adtags\u00adwahl: Micro\u200bprocessor sales\u200cmen"
    assert content_words(stored) == ["landtagswahl", "microprocessor", "salesmen"]
    assert TopicQuery.parse("landtagswahl").matches(StoryDoc(text=stored))


def test_fold_and_slugs_ignore_them() -> None:
    assert fold("Land\u00adtags\u2060wahl\ufeff") == "landtagswahl"
    assert slugify("Micro\u200bprocessor Boom") == "microprocessor-boom"


def test_a_joiner_inside_an_emoji_is_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    body = FEED.replace(b"Wahl&#173;beteiligung", family.encode())
    assert family in parse_feed(body).entries[0].title
