"""A feed the entry cut cannot choose from (not well-formed, declaring entities, thousands of
dates only dateutil reads) is parsed whole, which is what a hostile feed is after: 10 MB of
tiny such items cost 9 to 38 s of CPU a poll, with the GIL held. Past `MAX_UNCUT_ENTRIES`
entries such a document is refused, saying why; a well-formed one is cut however dated it is.
Real loopback feed server and SQLite file for the poll."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sqlite_utils
from _entry_cap_feeds import HEAD, TAIL, at, choices, rfc822

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.entry_cap import MAX_UNCUT_ENTRIES
from bot.ingest.errors import FeedParseError
from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

PAST = MAX_UNCUT_ENTRIES + 500


def _items(count: int, extra: str = "") -> bytes:
    return b"".join(
        b"<item><guid>note-%d%s</guid></item>" % (n, extra.encode()) for n in range(count)
    )


def _not_well_formed(count: int) -> bytes:
    return HEAD + _items(count) + b"</b>" + TAIL


def _declaring_an_entity(count: int) -> bytes:
    head = HEAD.replace(b"?>", b"?><!DOCTYPE rss [<!ENTITY e 'x'>]>")
    return head + _items(count, "&e;") + TAIL


def _guids_dated_by_dateutil(count: int) -> bytes:
    # Each one a date only dateutil reads, and no two alike (its cache would answer them).
    return (
        HEAD
        + b"".join(
            f"<item><guid>{at(n):%Y/%m/%d %H:%M}</guid></item>".encode() for n in range(count)
        )
        + TAIL
    )


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_not_well_formed, "not well-formed XML"),
        (_declaring_an_entity, "entity declared"),
        (_guids_dated_by_dateutil, "more than 2,000 dates"),
    ],
    ids=["malformed", "entities", "dateutil"],
)
def test_a_feed_the_cut_cannot_read_is_refused_past_the_limit(
    make: Callable[[int], bytes], reason: str
) -> None:
    with pytest.raises(FeedParseError) as refused:
        parse_feed(make(PAST))
    assert f"{PAST:,} entries" in str(refused.value)
    assert reason in str(refused.value)
    assert f"read up to {MAX_UNCUT_ENTRIES:,} entries" in str(refused.value)
    # Under the limit it is parsed whole, as before.
    assert len(parse_feed(make(3 * MAX_FEED_ENTRIES)).entries) == MAX_FEED_ENTRIES


def test_a_json_feed_of_dates_only_dateutil_reads_is_refused_past_the_limit() -> None:
    items = [{"id": f"n{n}", "date_published": f"{at(n):%Y/%m/%d %H:%M}"} for n in range(PAST)]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Q", "items": items})
    with pytest.raises(FeedParseError, match=f"{PAST:,} entries"):
        parse_feed(body.encode())


def test_a_mostly_dated_feed_past_the_limit_is_cut_not_parsed_whole(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # Counted in the bytes, its dates could be words in a CDATA section: past the limit, the
    # document is read by expat and cut, which costs a bounded share of its parse.
    items = [
        f"<item><guid>https://q.example/{n}</guid><pubDate>{rfc822(n)}</pubDate></item>"
        for n in range(PAST)
    ]
    body = HEAD + "".join(items).encode() + TAIL
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body) / 5


async def test_polling_such_a_feed_fails_it_saying_why(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/odd", Reply(body=_not_well_formed(PAST), content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/odd"))

    report = await poll_feeds(db, PollingConfig(allow_private_networks=True, timeout=60.0))

    (result,) = report.feeds
    assert result.status == "failed"
    assert result.error is not None and "not well-formed XML" in result.error
    assert f"read up to {MAX_UNCUT_ENTRIES:,} entries" in result.error
