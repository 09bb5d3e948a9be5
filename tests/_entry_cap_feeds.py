"""Feeds of more entries than are read (`MAX_FEED_ENTRIES`), and the choice of entries the cut
(`entry_cap`) must agree with: the one made after parsing every entry, as before the cut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from bot.ingest import parser
from bot.ingest.parser import parse_feed

START = datetime(2024, 7, 1, tzinfo=UTC)
HEAD = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour notes</title>'
TAIL = b"</channel></rss>"
ATOM_HEAD = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title>'


def rss(items: list[str]) -> bytes:
    return HEAD + "".join(items).encode() + TAIL


def atom(entries: list[str]) -> bytes:
    return (ATOM_HEAD + "".join(entries) + "</feed>").encode()


def rss_item(n: int, date: str | None = None, extra: str = "") -> str:
    when = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><title>Harbour note {n}</title><link>https://quay.example/{n}</link>"
        f"<guid>note-{n}</guid>{when}{extra}</item>"
    )


def at(n: int) -> datetime:
    return START + timedelta(minutes=n)


def rfc822(minutes: int) -> str:
    return format_datetime(at(minutes))


def kept_numbers(body: bytes, **kwargs: Any) -> list[int]:
    return [int(e.guid.rsplit("-", 1)[1]) for e in parse_feed(body, **kwargs).entries]


def without_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The choice made after parsing, as before the cut: what the cut must agree with."""
    monkeypatch.setattr(parser, "keep_newest_entries", lambda body, limit: None)


def choices(body: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The GUIDs read with the cut, then without it."""
    with_cut = [e.guid for e in parse_feed(body).entries]
    with monkeypatch.context() as patch:
        without_cut(patch)
        whole = [e.guid for e in parse_feed(body).entries]
    return with_cut, whole
