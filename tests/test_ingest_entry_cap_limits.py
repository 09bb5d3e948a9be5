"""Where the cut of a big document's older entries (`entry_cap`) must step aside: an encoding
expat cannot read, entries so full of tags that reading them costs more than parsing them, a
UTF-16 document with a bad code unit (the attribute guard must still see its tags), and dates
with a two-digit year written in four digits, which the library reads as this century."""

from __future__ import annotations

import codecs
import logging

import pytest
from _entry_cap_feeds import without_cut

from bot.ingest import entry_cap, entry_dates, entry_scan
from bot.ingest.errors import FeedParseError
from bot.ingest.normalize import parse_date
from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed
from tests._cost import assert_grows_linearly

COUNT = MAX_FEED_ENTRIES + 200


def _feed(items: str, declaration: str = '<?xml version="1.0"?>') -> str:
    return (
        f'{declaration}<rss version="2.0"><channel><title>Ferry desk</title>{items}</channel></rss>'
    )


def _guids(body: bytes) -> list[str]:
    return [e.guid for e in parse_feed(body).entries]


def _whole_guids(body: bytes, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        without_cut(patch)
        return _guids(body)


def test_a_big_euc_jp_feed_is_read_not_failed() -> None:
    # expat refuses multi-byte encodings other than UTF-8/16 with a bare ValueError.
    items = "".join(
        f"<item><title>渡し船 {n}</title><guid>https://ferry.example/{n}</guid></item>"
        for n in range(COUNT)
    )
    body = _feed(items, '<?xml version="1.0" encoding="EUC-JP"?>').encode("euc-jp")
    parsed = parse_feed(body)
    assert len(parsed.entries) == MAX_FEED_ENTRIES
    assert parsed.entries[0].title == "渡し船 0"


def test_a_big_feed_labelled_with_an_encoding_expat_does_not_know_is_read() -> None:
    items = "".join(
        f"<item><title>Crossing {n}</title><guid>https://ferry.example/{n}</guid></item>"
        for n in range(COUNT)
    )
    body = _feed(items, '<?xml version="1.0" encoding="utf8mb4"?>').encode()
    assert len(parse_feed(body).entries) == MAX_FEED_ENTRIES


def test_no_failure_inside_the_cut_fails_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> None:
        raise LookupError("a codec the scan cannot find")

    monkeypatch.setattr(entry_scan.Scan, "entries", broken)
    items = "".join(f"<item><guid>crossing-{n}</guid></item>" for n in range(COUNT))
    assert len(_guids(_feed(items).encode())) == MAX_FEED_ENTRIES


def _counted_scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    scans: list[int] = []
    real = entry_scan.Scan.entries

    def counted(self: entry_scan.Scan) -> list[tuple[int, int, float | None]]:
        scans.append(1)
        return real(self)

    monkeypatch.setattr(entry_scan.Scan, "entries", counted)
    return scans


def test_entries_made_mostly_of_tags_are_parsed_whole_not_read_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marks = "<span/>" * 130
    items = "".join(f"<item><guid>crossing-{n}</guid>{marks}</item>" for n in range(COUNT))
    body = _feed(items).encode()
    scans = _counted_scans(monkeypatch)
    kept = _guids(body)
    assert scans == []
    assert len(kept) == MAX_FEED_ENTRIES
    assert kept == _whole_guids(body, monkeypatch)


def test_html_in_cdata_is_text_and_does_not_stop_the_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    story = "<![CDATA[" + "<p>The <b>late</b> boat ran.</p>" * 20 + "]]>"
    items = "".join(
        f"<item><guid>crossing-{n}</guid><description>{story}</description></item>"
        for n in range(COUNT)
    )
    scans = _counted_scans(monkeypatch)
    parsed = parse_feed(_feed(items).encode())
    assert scans == [1]
    assert parsed.unread_entries == COUNT - MAX_FEED_ENTRIES


def _utf16_crowded_item(attributes: int) -> bytes:
    crowd = "".join(f' k{i}="1"' for i in range(attributes))
    text = _feed(
        f"<item{crowd}><title>Crowded</title></item>", '<?xml version="1.0" encoding="utf-16"?>'
    )
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\x00\xd8"  # a lone surrogate


def _refused(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="attributes"):
        parse_feed(body)


def test_a_utf16_document_with_a_bad_code_unit_still_meets_the_attribute_guard() -> None:
    # Left in UTF-16, the document passed the guard unread and libxml2 parsed its attributes,
    # quadratic in them: 1 s of CPU for 20,000 (9.8 s for 80,000), with no error to show for it.
    bodies = {n: _utf16_crowded_item(n) for n in (20_000, 160_000)}
    _refused(bodies[20_000])
    assert_grows_linearly(lambda n: _refused(bodies[n]), 160_000)


def test_a_utf16_document_with_a_bad_code_unit_keeps_its_entries() -> None:
    items = "".join(f"<item><title>Crossing {n}</title><guid>c-{n}</guid></item>" for n in range(3))
    text = _feed(items, '<?xml version="1.0" encoding="utf-16"?>')
    body = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    bad = body.replace(
        "Crossing 1".encode("utf-16-le"), "Crossing ".encode("utf-16-le") + b"\x00\xdc"
    )
    assert [e.guid for e in parse_feed(bad).entries] == ["c-0", "c-1", "c-2"]


@pytest.mark.parametrize(
    "value", ["Jul 01, 0024", "01 Jan 0005", "Mon, 07 May 0099 03:10:55 Z", "03/04/0050"]
)
def test_a_year_under_a_hundred_is_read_as_the_library_reads_it(value: str) -> None:
    library = entry_dates._library_date
    assert library is not None
    iso = library(value)
    expected = parse_date(iso) if iso else None
    _read, when = entry_dates.read_date(value, entry_dates.Budget())
    assert when == (expected.timestamp() if expected else None)


def test_an_item_dated_with_a_four_digit_short_year_ranks_as_the_parser_ranks_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [
        f"<item><guid>crossing-{n}</guid><pubDate>Mar {1 + n % 28:02d}, 2023</pubDate></item>"
        for n in range(COUNT)
    ]
    items.append("<item><guid>crossing-late</guid><pubDate>Jul 01, 0024</pubDate></item>")
    body = _feed("".join(items)).encode()
    kept = _guids(body)
    assert kept == _whole_guids(body, monkeypatch)
    assert "crossing-late" in kept


@pytest.mark.parametrize(
    "aside",
    [
        "<!-- " + "<" * 80 * COUNT + " -->",
        "<?note " + "<b>" * 40 * COUNT + "?>",
    ],
)
def test_markup_in_a_comment_or_instruction_is_text_and_does_not_stop_the_cut(
    aside: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One comment of "<"s once made a huge undated feed parse whole, its GUIDs tried as dates.
    items = "".join(f"<item><guid>crossing-{n}</guid></item>" for n in range(COUNT))
    scans = _counted_scans(monkeypatch)
    parsed = parse_feed(_feed(aside + items).encode())
    assert scans == [1]
    assert parsed.unread_entries == COUNT - MAX_FEED_ENTRIES


def test_a_doctype_internal_subset_is_no_tags_to_the_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    subset = "<!DOCTYPE rss [" + "<!-- x -->" * 50 * COUNT + "]>"
    items = "".join(f"<item><guid>crossing-{n}</guid></item>" for n in range(COUNT))
    scans = _counted_scans(monkeypatch)
    parsed = parse_feed(_feed(items, '<?xml version="1.0"?>' + subset).encode())
    assert scans == [1]
    assert parsed.unread_entries == COUNT - MAX_FEED_ENTRIES


def test_a_bug_in_the_cut_is_logged_as_a_warning_and_the_feed_still_read(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def bug(*_args: object, **_kwargs: object) -> None:
        raise TypeError("a bug in our own date code")

    monkeypatch.setattr(entry_scan, "entry_when", bug)
    items = "".join(f"<item><guid>crossing-{n}</guid></item>" for n in range(COUNT))
    with caplog.at_level(logging.DEBUG, logger=entry_cap.__name__):
        assert len(_guids(_feed(items).encode())) == MAX_FEED_ENTRIES
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1
    assert warned[0].exc_info is not None and warned[0].exc_info[0] is TypeError


def test_an_encoding_expat_refuses_is_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    items = "".join(f"<item><guid>crossing-{n}</guid></item>" for n in range(COUNT))
    body = _feed(items, '<?xml version="1.0" encoding="utf8mb4"?>').encode()
    with caplog.at_level(logging.DEBUG, logger=entry_cap.__name__):
        parse_feed(body)
    assert [r.levelno for r in caplog.records if r.name == entry_cap.__name__] == [logging.DEBUG]


def _undated_items(children: int) -> str:
    extra = "".join(f"<note{k}>v</note{k}>" for k in range(children))
    return "".join(
        f"<item><title>Crossing {n}</title><guid>crossing-{n}</guid>{extra}</item>"
        for n in range(COUNT)
    )


def test_undated_entries_of_seventeen_children_are_still_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 40 "<" an entry, end tags counted: once past the limit, parsed whole, GUIDs tried as dates.
    scans = _counted_scans(monkeypatch)
    parsed = parse_feed(_feed(_undated_items(17)).encode())
    assert scans == [1]
    assert parsed.unread_entries == COUNT - MAX_FEED_ENTRIES


def test_mostly_dated_entries_are_parsed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # The parser dates them fast: reading them first would cost more than it saves.
    items = "".join(
        f"<item><guid>crossing-{n}</guid>"
        f"<pubDate>Mon, 01 Jul 2024 {n % 24:02d}:{n % 60:02d}:00 GMT</pubDate></item>"
        for n in range(COUNT)
    )
    body = _feed(items).encode()
    scans = _counted_scans(monkeypatch)
    kept = _guids(body)
    assert scans == []
    assert kept == _whole_guids(body, monkeypatch)


def test_a_feed_mostly_undated_is_cut_though_some_items_are_dated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = "".join(
        f"<item><guid>crossing-{n}</guid>"
        + (f"<pubDate>Mon, 01 Jul 2024 {n % 24:02d}:00:00 GMT</pubDate>" if n % 3 == 0 else "")
        + "</item>"
        for n in range(COUNT)
    )
    body = _feed(items).encode()
    scans = _counted_scans(monkeypatch)
    kept = _guids(body)
    assert scans == [1]
    assert kept == _whole_guids(body, monkeypatch)
