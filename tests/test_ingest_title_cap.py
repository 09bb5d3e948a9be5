"""Plain-text titles and descriptions are capped like markup, and a title has a cap of its own:
one feed item with a title of four million characters must not reach the store (and every stage
that reads titles whole: slugs, headlines, topic matching) at that size. RSS, Atom and JSON Feed
go through the same path."""

from __future__ import annotations

import json

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.normalize import MAX_HTML_CHARS, MAX_TITLE_CHARS, cap_title, html_to_text
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=30.0)
HUGE = "W " * 2_000_000  # what the review fed a real poll: a 4M-character plain-text title


def _rss(title: str, description: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        f"<item><title>{title}</title><link>https://h.example/1</link>"
        f"<description>{description}</description></item></channel></rss>"
    ).encode()


def _atom(title: str, description: str) -> bytes:
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Hostile</title>'
        '<entry><id>tag:h.example,2024:1</id><link href="https://h.example/1"/>'
        f"<title>{title}</title><summary>{description}</summary></entry></feed>"
    ).encode()


def _json_feed(title: str, description: str) -> bytes:
    item = {"id": "1", "url": "https://h.example/1", "title": title, "content_text": description}
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Hostile", "items": [item]}
    return json.dumps(feed).encode()


FORMATS = {
    "rss": (_rss, "application/rss+xml"),
    "atom": (_atom, "application/atom+xml"),
    "json": (_json_feed, "application/feed+json"),
}


def test_plain_text_is_capped_like_markup() -> None:
    assert len(html_to_text("x" * (MAX_HTML_CHARS + 10))) == MAX_HTML_CHARS
    assert len(html_to_text("a &amp; " * MAX_HTML_CHARS)) <= MAX_HTML_CHARS
    assert len(html_to_text("<p>" + "x" * MAX_HTML_CHARS + "</p>")) < MAX_HTML_CHARS


def test_a_long_title_is_cut_at_a_word_boundary() -> None:
    words = "harbour council budget " * 100
    capped = cap_title(words.strip())
    assert len(capped) <= MAX_TITLE_CHARS and capped.endswith("…")
    assert words.startswith(capped[:-1] + " ")  # whole words only
    assert cap_title("x" * 5000) == "x" * (MAX_TITLE_CHARS - 1) + "…"  # one word: cut inside
    assert cap_title("short title") == "short title"


def test_a_long_last_word_is_cut_inside_rather_than_dropped() -> None:
    # A word boundary early in the title would leave almost nothing of it: cut mid-word instead.
    capped = cap_title("Breaking: " + "x" * 1200)
    assert capped == ("Breaking: " + "x" * 1200)[: MAX_TITLE_CHARS - 1] + "…"
    link = "A https://example.com/" + "p" * 1200
    assert cap_title(link) == link[: MAX_TITLE_CHARS - 1] + "…"
    # A boundary past half the limit is still taken: whole words, most of the limit kept.
    late = "w" * (MAX_TITLE_CHARS * 3 // 4) + " " + "y" * 1200
    assert cap_title(late) == "w" * (MAX_TITLE_CHARS * 3 // 4) + "…"


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_the_parser_caps_titles_and_text_in_every_format(kind: str) -> None:
    build, _ = FORMATS[kind]
    (entry,) = parse_feed(build(HUGE, HUGE)).entries
    assert len(entry.title) <= MAX_TITLE_CHARS and entry.title.startswith("W W W")
    assert len(entry.text) <= MAX_HTML_CHARS


@pytest.mark.parametrize("kind", sorted(FORMATS))
async def test_a_huge_plain_title_is_stored_capped(
    kind: str, server: FeedServer, db: sqlite_utils.Database
) -> None:
    # Stored whole, the title made the RSS poll take 18 s, every later stage reading it whole.
    # The stored length is asserted, not the poll's time: without the cap it fails however fast
    # the machine, and later stages have since been bounded too (uncapped, the poll takes 0.2 s).
    build, content_type = FORMATS[kind]
    server.route("/f", Reply(body=build(HUGE, "Plain description."), content_type=content_type))
    feed_store.add_feed(db, server.url("/f"))

    report = await poll_feeds(db, POLLING)

    assert [r.status for r in report.feeds] == ["new"]
    (length,) = db.execute("SELECT max(length(title)) FROM articles").fetchone()
    assert 0 < length <= MAX_TITLE_CHARS


async def test_a_feed_title_and_an_author_are_capped(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    item = {"id": "1", "url": "https://h.example/1", "title": "Fine", "authors": [{"name": HUGE}]}
    body = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": HUGE, "items": [item]}
    )
    server.route("/f", Reply(body=body.encode(), content_type="application/feed+json"))
    feed_store.add_feed(db, server.url("/f"))

    await poll_feeds(db, POLLING)

    (feed,) = feed_store.list_feeds(db)
    assert feed.title is not None and len(feed.title) <= MAX_TITLE_CHARS
    (author,) = db.execute("SELECT author FROM articles").fetchone()
    assert len(author) <= MAX_TITLE_CHARS


@pytest.mark.parametrize("kind", FORMATS)
def test_titles_are_one_line(kind: str) -> None:
    # A title's line breaks would be lines of the bot's own messages (the feed's title is in the
    # disabled-feed alert): a title is read as one line, as it is shown.
    build = FORMATS[kind][0]
    body = build("Ferry accord\n> signed\r\n\n  at last", "Text.")
    body = body.replace(b"<title>Hostile</title>", b"<title>Valley\nPost\n&gt; admins</title>")
    body = body.replace(b'"title": "Hostile"', b'"title": "Valley\\nPost\\n> admins"')
    parsed = parse_feed(body)
    assert [e.title for e in parsed.entries] == ["Ferry accord > signed at last"]
    assert parsed.title == "Valley Post > admins"
