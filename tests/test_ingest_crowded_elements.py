"""An element carrying thousands of attributes or namespace declarations is refused before any
parser reads it: fastfeedparser's core is quadratic in them while holding the GIL (80,000 on one
<item> froze the service's event loop for 23 s), and feedparser, its fallback, is quadratic too.
Fixtures written for these tests."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.attributes import MAX_ATTRIBUTES, crowded_element
from bot.ingest.errors import FeedParseError
from bot.ingest.normalize import MAX_HTML_CHARS, html_to_text
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _attributes(count: int, value: str = "x") -> str:
    return " ".join(f'a{i}="{value}"' for i in range(count))


def _rss(*, item: str = "", root: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0" {root}><channel><title>Harbour desk</title>'
        f"<link>https://harbour.example/</link><item {item}><title>Ferry timetable changes</title>"
        "<link>https://harbour.example/ferry</link><description>Sailings move an hour later."
        "</description></item></channel></rss>"
    ).encode()


def test_an_item_with_thousands_of_attributes_is_refused_naming_it() -> None:
    with pytest.raises(FeedParseError) as refused:
        parse_feed(_rss(item=_attributes(5_000)))
    assert str(refused.value).startswith("one <item> element carries 5,000 attributes")


def test_the_limit_counts_namespace_declarations_on_the_root() -> None:
    # With its version="2.0", the root carries exactly the limit.
    declarations = " ".join(f'xmlns:p{i}="urn:harbour:{i}"' for i in range(MAX_ATTRIBUTES - 1))
    assert parse_feed(_rss(root=declarations)).entries[0].title == "Ferry timetable changes"
    with pytest.raises(FeedParseError, match=r"<rss> element carries 1,001 attributes"):
        parse_feed(_rss(root=declarations + ' xmlns:last="urn:harbour:last"'))


def test_an_atom_entry_crowded_with_prefixed_attributes_is_refused() -> None:
    body = (
        '<?xml version="1.0"?><atom:feed xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<atom:title>Notes</atom:title><atom:entry {_attributes(3_000)}><atom:id>urn:n:1</atom:id>"
        "<atom:title>Quay lights fixed</atom:title></atom:entry></atom:feed>"
    ).encode()
    with pytest.raises(FeedParseError, match=r"<atom:entry> element carries 3,000"):
        parse_feed(body)


def test_values_holding_brackets_and_equals_signs_are_one_attribute_each() -> None:
    found = crowded_element(_rss(item=_attributes(2_000, value="a=b>c")))
    assert found is not None and (found.name, found.attributes) == ("item", 2_000)
    single_quoted = _rss(item=" ".join(f"b{i}='>'" for i in range(1_500)))
    assert crowded_element(single_quoted) is not None


def test_escaped_markup_full_of_attributes_is_text_and_parses() -> None:
    # A description of escaped HTML has thousands of "=" between two tags, but no crowded tag;
    # a CDATA section of ordinary tags neither.
    links = "&lt;a href=&quot;https://harbour.example/p&quot; rel=&quot;x&quot;&gt;pier&lt;/a&gt; "
    cdata = '<![CDATA[<a href="https://harbour.example/q" class="x">quay</a> ]]>'
    for description in (links * 2_000, cdata * 2_000):
        body = _rss().replace(b"Sailings move an hour later.", description.encode())
        assert crowded_element(body) is None
        assert parse_feed(body).entries[0].title == "Ferry timetable changes"


def test_the_scan_is_linear_where_the_parsers_are_not() -> None:
    # 200,000 attributes: fastfeedparser alone would take minutes; the scan well under a second.
    body = _rss(item=_attributes(200_000))
    # CPU time, not wall time: other processes on a loaded machine do not count.
    started = time.process_time()
    with pytest.raises(FeedParseError):
        parse_feed(body)
    assert time.process_time() - started < 5


async def test_a_poll_of_a_crowded_feed_fails_with_backoff_and_leaves_the_loop_free(
    db: sqlite_utils.Database, server: FeedServer
) -> None:
    server.route("/crowded", Reply(body=_rss(item=_attributes(80_000))))
    feed_store.add_feed(db, server.url("/crowded"))
    polled = asyncio.ensure_future(
        poll_feeds(db, PollingConfig(allow_private_networks=True), now=NOW)
    )
    gaps = []
    # Wall time: what is measured is how long other tasks waited for the loop.
    last = time.perf_counter()
    while not polled.done():
        await asyncio.sleep(0.01)
        gaps.append(time.perf_counter() - last)
        last = time.perf_counter()
    await polled
    # The old parse held the GIL for 23 s here; other tasks must keep running.
    assert max(gaps) < 3
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error is not None
    assert feed.last_error.startswith("malformed feed: one <item> element carries 80,000")
    assert feed.consecutive_failures == 1
    assert feed.next_poll_at is not None and feed.next_poll_at > NOW


@pytest.mark.parametrize(
    "attributes",
    [
        " ".join(f'a{i}="x"' for i in range(20_000)),
        " ".join(f'a{i}="<>"' for i in range(20_000)),  # HTML lets a quoted value hold both
        " ".join(f"a{i}" for i in range(20_000)),
        "".join(f'a{i}="x"' for i in range(20_000)),
    ],
)
def test_an_entry_body_crowded_with_attributes_is_read_as_text_in_linear_time(
    attributes: str,
) -> None:
    # libxml2's HTML parser is quadratic in them too: 2.5 s of CPU for this one entry, every
    # poll. The body's text needs no attributes, so the crowded tag's are dropped first.
    body = (
        f'<div><p class="lede" {attributes}>Sailings move an hour later.</p><p>From May.</p></div>'
    )
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # CPU time, not wall time: other processes on a loaded machine do not count.
    started = time.process_time()
    (entry,) = parse_feed(_rss().replace(b"Sailings move an hour later.", escaped.encode())).entries
    assert time.process_time() - started < 1
    assert entry.text == "Sailings move an hour later.\nFrom May."


def test_the_crowded_tag_check_is_linear_when_values_quote_tag_starts() -> None:
    # A tag's name once took in quotes, so each '<b"c' quoted in an earlier tag's value started a
    # reading of its own that fell back in step with the first: 0.9 s of CPU for one 250 KB body
    # (35 s for a 9 MB feed of them), every poll. Only the tag it sits in is read now.
    block = "<p" + ' a="<b"c' * 490 + " x'\n"
    fragment = "<div>" + block * (MAX_HTML_CHARS // len(block)) + "</div>"
    started = time.process_time()
    html_to_text(fragment)
    assert time.process_time() - started < 0.25
