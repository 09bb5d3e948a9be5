"""Mislabelled encodings, both ways: windows-1252 bytes in a feed declared (or assumed) UTF-8 are
read as windows-1252, not as U+FFFD; a feed declaring a single-byte charset whose bytes are UTF-8
is read as UTF-8, not as mojibake. Fixtures written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

TITLE = "Le café d’en face: “ouvert” à 8 h — enfin"


def _rss(title: str = TITLE, channel: str = "Quartier") -> str:
    return (
        f'<rss version="2.0"><channel><title>{channel}</title><item><title>{title}</title>'
        "<link>https://quartier.example/1</link></item></channel></rss>"
    )


def _decl(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>'


@pytest.mark.parametrize("declaration", [_decl("utf-8"), _decl("UTF8"), ""])
def test_windows_1252_bytes_where_utf8_is_declared_or_assumed(declaration: str) -> None:
    body = (declaration + _rss()).encode("cp1252")
    assert parse_feed(body).entries[0].title == TITLE


def test_windows_1252_bytes_among_utf8_are_read_one_by_one() -> None:
    # A UTF-8 template with a title pasted from a windows-1252 source.
    body = (_decl("utf-8") + _rss(channel="Ça bouge")).encode("utf-8")
    body = body.replace(TITLE.encode("utf-8"), TITLE.encode("cp1252"))
    parsed = parse_feed(body)
    assert (parsed.title, parsed.entries[0].title) == ("Ça bouge", TITLE)


@pytest.mark.parametrize("label", ["windows-1252", "ISO-8859-1", "iso-8859-15"])
def test_utf8_bytes_under_a_single_byte_declaration(label: str) -> None:
    body = (_decl(label) + _rss()).encode("utf-8")
    assert parse_feed(body).entries[0].title == TITLE


def test_utf8_bytes_under_a_single_byte_http_charset() -> None:
    # Every byte of it is defined in windows-1252 too: only the UTF-8 reading makes sense.
    title = "Crème brûlée — 5 €"
    body = _rss(title).encode("utf-8")
    parsed = parse_feed(body, content_type="application/rss+xml; charset=windows-1252")
    assert parsed.entries[0].title == title


@pytest.mark.parametrize(
    ("label", "codec", "title"),
    [
        ("windows-1252", "cp1252", TITLE),
        ("iso-8859-1", "latin-1", "Crème brûlée à la carte"),
        ("koi8-r", "koi8-r", "Первая новость"),
        ("windows-1251", "cp1251", "Вторая новость"),
    ],
)
def test_a_true_declaration_is_still_honoured(label: str, codec: str, title: str) -> None:
    body = (_decl(label) + _rss(title)).encode(codec)
    assert parse_feed(body).entries[0].title == title


def test_utf16_without_a_byte_order_mark_is_left_to_the_parsers() -> None:
    body = (_decl("utf-16le") + _rss()).encode("utf-16-le")
    assert parse_feed(body).entries[0].title == TITLE


async def test_polled_windows_1252_feed_is_stored_readable(
    db: sqlite_utils.Database, server: FeedServer
) -> None:
    body = (_decl("utf-8") + _rss()).encode("cp1252")
    server.route("/rss", Reply(body=body, content_type="application/rss+xml; charset=utf-8"))
    feed_store.add_feed(db, server.url("/rss"))
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    await poll_feeds(db, PollingConfig(allow_private_networks=True), now=now)
    assert [r[0] for r in db.execute("SELECT title FROM articles")] == [TITLE]
