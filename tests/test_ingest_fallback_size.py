"""A big document fastfeedparser refuses is not handed to feedparser: pure Python, it took 27 s
of CPU over 10 MB of xhtml content, taking the GIL from the bot's loop at every poll. The feed
fails its poll saying why, and backs off; the other feeds of the pass are read. Real loopback
feed server, real SQLite file."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import parser
from bot.ingest.errors import FeedParseError, NotAFeedError
from bot.ingest.parser import MAX_FALLBACK_BYTES, parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store


def _atom_without_namespace(size: int) -> bytes:
    """An Atom feed fastfeedparser refuses (no namespace), of about `size` bytes."""
    body = "<b>tide</b> " * 4000  # few entries: the entry cap leaves them all
    entry = (
        '<entry><id>quay-{n}</id><title>Quay note {n}</title><content type="xhtml">'
        f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div></content></entry>'
    )
    count = max(1, size // len(entry))
    entries = "".join(entry.format(n=n) for n in range(count))
    return f'<?xml version="1.0"?><feed><title>Quay</title>{entries}</feed>'.encode()


@pytest.fixture
def feedparser_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = parser.feedparser.parse

    def spy(source: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(source, **kwargs)

    monkeypatch.setattr(parser.feedparser, "parse", spy)
    return calls


def test_a_document_over_the_bound_fails_without_the_fallback(
    feedparser_calls: list[int],
) -> None:
    body = _atom_without_namespace(MAX_FALLBACK_BYTES + 200_000)
    with pytest.raises(FeedParseError) as info:
        parse_feed(body, url="https://quay.example/feed")
    assert "too big for the fallback parser" in str(info.value)
    assert "Unknown Atom namespace" in str(info.value)  # what fastfeedparser said
    assert feedparser_calls == []


def test_a_document_under_the_bound_still_falls_back(feedparser_calls: list[int]) -> None:
    parsed = parse_feed(_atom_without_namespace(50_000), url="https://quay.example/feed")
    assert parsed.parser == "feedparser" and parsed.entries
    assert feedparser_calls == [1]


def test_a_big_web_page_is_still_named_as_one(feedparser_calls: list[int]) -> None:
    page = (
        b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" '
        b'href="/rss.xml"></head><body>' + b"<p>Quay news.</p>" * 200_000 + b"</body></html>"
    )
    assert len(page) > MAX_FALLBACK_BYTES
    with pytest.raises(
        NotAFeedError, match=re.escape("the page names its feed: https://quay.example/rss.xml")
    ):
        parse_feed(page, url="https://quay.example/news")
    assert feedparser_calls == []


async def test_the_feed_fails_its_poll_and_backs_off_and_the_others_are_read(
    server: FeedServer, db: sqlite_utils.Database, feedparser_calls: list[int]
) -> None:
    server.route("/big", Reply(body=_atom_without_namespace(3_000_000)))
    server.route("/small", Reply(body=_atom_without_namespace(20_000)))
    big = feed_store.add_feed(db, server.url("/big"))
    small = feed_store.add_feed(db, server.url("/small"))

    report = await poll_feeds(db, PollingConfig(allow_private_networks=True, timeout=60.0))

    results = {r.feed.id: r for r in report.feeds}
    assert results[small.id].status == "new"
    failed = results[big.id]
    assert failed.status == "failed"
    assert failed.error is not None and "too big for the fallback parser" in failed.error
    row = feed_store.get_feed(db, big.id)
    assert row is not None and row.consecutive_failures == 1
    assert row.next_poll_at is not None and row.last_error is not None
    assert "too big for the fallback parser" in row.last_error
    assert len(feedparser_calls) == 1  # the small feed's
