"""An element carrying thousands of attributes or namespace declarations is refused before any
parser reads it: fastfeedparser's core is quadratic in them while holding the GIL (80,000 on one
<item> froze the service's event loop for 23 s), and feedparser, its fallback, is quadratic too.
Fixtures written for these tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
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
from tests._cost import assert_grows_linearly

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


def _refused(body: bytes) -> None:
    with pytest.raises(FeedParseError, match=r"^one <item> element carries [\d,]+ attributes"):
        parse_feed(body)


def test_the_scan_is_linear_where_the_parsers_are_not() -> None:
    # 200,000 attributes: fastfeedparser alone would take minutes, quadratic in them; the scan
    # that refuses them first takes milliseconds.
    bodies = {n: _rss(item=_attributes(n)) for n in (25_000, 200_000)}
    assert_grows_linearly(lambda n: _refused(bodies[n]), 200_000)


async def test_a_poll_of_a_crowded_feed_fails_with_backoff_and_leaves_the_loop_free(
    db: sqlite_utils.Database, server: FeedServer, parsed_documents: list[bytes]
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
    # The old parse held the GIL for 23 s here. The scan refuses the document before either
    # parser is given it (feedparser only ever reads what fastfeedparser failed on), so the
    # loop's longest wait is a few tens of milliseconds: 3 s is a hang guard, not a speed test.
    assert parsed_documents == []
    assert max(gaps) < 3
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error is not None
    assert feed.last_error.startswith("malformed feed: one <item> element carries 80,000")
    assert feed.consecutive_failures == 1
    assert feed.next_poll_at is not None and feed.next_poll_at > NOW


# How an HTML tag may carry `n` attributes: spaced or not, quoted or bare.
CROWDS: dict[str, Callable[[int], str]] = {
    "quoted": lambda n: " ".join(f'a{i}="x"' for i in range(n)),
    "brackets": lambda n: " ".join(f'a{i}="<>"' for i in range(n)),  # HTML lets a value hold both
    "bare": lambda n: " ".join(f"a{i}" for i in range(n)),
    "unspaced": lambda n: "".join(f'a{i}="x"' for i in range(n)),
}


def _entry_crowded_with(attributes: str) -> bytes:
    body = (
        f'<div><p class="lede" {attributes}>Sailings move an hour later.</p><p>From May.</p></div>'
    )
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _rss().replace(b"Sailings move an hour later.", escaped.encode())


@pytest.mark.parametrize("crowd", sorted(CROWDS))
def test_an_entry_body_crowded_with_attributes_is_read_as_text_in_linear_time(crowd: str) -> None:
    # libxml2's HTML parser is quadratic in them too: 2.5 s of CPU for 20,000 on one entry, every
    # poll. The body's text needs no attributes, so the crowded tag's are dropped first.
    bodies = {n: _entry_crowded_with(CROWDS[crowd](n)) for n in (2_500, 20_000)}
    (entry,) = parse_feed(bodies[20_000]).entries
    assert entry.text == "Sailings move an hour later.\nFrom May."
    # Each body read eight times, as a feed of eight such entries would be: one takes a
    # millisecond, under the timer's grain.
    assert_grows_linearly(lambda n: [parse_feed(bodies[n]) for _ in range(8)], 20_000)


def _quoting_tag_starts(per_tag: int) -> str:
    # 63 tags of `per_tag` attributes, each value quoting '<b"c': 250 KB at 490 a tag.
    block = "<p" + ' a="<b"c' * per_tag + " x'\n"
    return "<div>" + block * 63 + "</div>"


def test_the_crowded_tag_check_is_linear_when_values_quote_tag_starts() -> None:
    # A tag's name once took in quotes, so each '<b"c' quoted in an earlier tag's value started a
    # reading of its own that fell back in step with the first, to the end of its tag: quadratic
    # in the attributes a tag carries, 0.9 s of CPU for one 250 KB body of 490 a tag (35 s for a
    # 9 MB feed of them), every poll. Only the tag it sits in is read now.
    assert len(_quoting_tag_starts(490)) <= MAX_HTML_CHARS
    fragments = {n: _quoting_tag_starts(n) for n in (61, 490)}
    # Each fragment read eight times, as a feed of eight such entries would be: one 250 KB
    # body takes a few milliseconds.
    assert_grows_linearly(lambda n: [html_to_text(fragments[n]) for _ in range(8)], 490)
