"""A big document cut down to the entries that are read, before either parser sees it.

`parser.MAX_FEED_ENTRIES` entries of a document are read, the newest by date (undated ones after
the dated, in document order). Choosing them after parsing made a huge feed cost its every
entry: fastfeedparser reads each entry whole, and one without a date has its GUID tried as a
date by dateutil, so 100,000 tiny undated items held the GIL for seconds at every poll. Here
the entries are found with a byte scan, each one's date read from its own date elements, the
same ones and in the same order the parser reads them, and the entries not chosen are cut out
of the document: the parsers then read only as many entries as are kept.

A document is scanned only when it may hold more entries than are read (`_may_exceed`, a count
of the bytes an entry's start tag begins with), so a feed of ordinary size costs nothing here.
The scan costs 2 to 7 us an entry (0.2 to 0.7 s for 100,000, which the fetch's 10 MB cap
bounds), beside 10 to 70 us an entry the parse took.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from itertools import chain
from typing import Any

import fastfeedparser

from bot.ingest.entities import verbatim_sections
from bot.ingest.normalize import parse_date

# An entry's start or end tag, or the start tag of an element its date or GUID is read from,
# with or without a namespace prefix. Entry tags are matched as libxml2 names them; date tags in
# any case, as fastfeedparser reads them ("pubdate"). A closing tag cut before its ">" closes.
_TAG = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(item|entry|(?i:pubDate|published|issued|date|lastBuildDate|updated"
    rb"|modified|guid))(?=[\s>/]|\Z)"
)
_ENTRY_NAMES = (b"item", b"entry")
# Where fastfeedparser takes an entry's date, first present wins within each group: an RSS item's
# publication date, else its GUID read as one (when it is no link), else its update date; an
# Atom entry's <published> (else <issued>), else <updated> (else <modified>).
_RSS_PUBLISHED = (b"pubdate", b"published", b"issued", b"date")
_RSS_UPDATED = (b"lastbuilddate", b"updated", b"modified")
_ATOM_PUBLISHED = ((b"published",), (b"issued",))
_ATOM_UPDATED = ((b"updated",), (b"modified",))
# Longer text is no date (fastfeedparser reads none past 256 characters).
_MAX_DATE_BYTES = 256
# The layout nearly every RSS feed dates its items in, read without the email module's parser
# (a tenth of the time, which counts over 100,000 items); others go through `parse_date`.
_RFC822_UTC = re.compile(
    rb"[A-Z][a-z]{2}, (\d\d) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) (?:GMT|UTC|UT|\+0000|Z)"
)
# RFC 822's names, not `calendar.month_abbr`, which follows the locale.
_MONTHS = {
    m: n for n, m in enumerate(b"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)
}
_MONTH_NAME = re.compile("(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_EPOCH = date(1970, 1, 1).toordinal()
# How many dates of one document are read as the parser reads those `parse_date` cannot
# (`_time`): about 0.1 s of CPU at most.
_SLOW_DATES = 2_000

# The parser's own reading of a date in no standard form, so such a date ranks the same; in a
# fastfeedparser without it, such a date ranks as none.
_library_date: Callable[[str], str | None] | None = getattr(
    getattr(fastfeedparser, "main", None), "_parse_date", None
)


def keep_newest_entries(body: bytes, limit: int) -> tuple[bytes, int] | None:
    """`body` without its entries past the `limit` newest, and how many were cut out; None when
    it holds no more than `limit` whole entries. An entry the document stops inside is kept: it
    is no whole one, and `shape.cut_entry_starts` finds it where it was."""
    if not _may_exceed(body, limit):
        return None
    spans = _entry_spans(body)
    if len(spans) <= limit:
        return None
    keyed = sorted(
        (when is None, -when if when is not None else 0.0, index)
        for index, (_start, _end, when) in enumerate(spans)
    )
    kept = sorted(index for _, _, index in keyed[:limit])
    pieces = []
    pos = 0
    for index in _dropped(kept, len(spans)):
        start, end, _when = spans[index]
        pieces.append(body[pos:start])
        pos = end
    pieces.append(body[pos:])
    return b"".join(pieces), len(spans) - len(kept)


def keep_newest_items(items: list[Any], limit: int) -> list[Any]:
    """A JSON Feed's `limit` newest items, in their order (`keep_newest_entries` for JSON): by
    `date_published`, else `date_modified`, as the parser dates them."""
    if len(items) <= limit:
        return items
    slow = [_SLOW_DATES]
    keyed = sorted(
        (when is None, -when if when is not None else 0.0, index)
        for index, when in enumerate(_json_time(item, slow) for item in items)
    )
    return [items[index] for index in sorted(index for _, _, index in keyed[:limit])]


def _may_exceed(body: bytes, limit: int) -> bool:
    # Every entry start tag holds one of these; so do end tags of prefixed names, and <items>:
    # an upper bound, taken with `count`, which reads 10 MB in about a millisecond.
    starts = sum(body.count(mark) for mark in (b"<item", b"<entry", b":item", b":entry"))
    return starts > limit


def _dropped(kept: list[int], count: int) -> list[int]:
    chosen = set(kept)
    return [index for index in range(count) if index not in chosen]


def _entry_spans(body: bytes) -> list[tuple[int, int, float | None]]:
    """Each whole entry's (start, end) in `body` and its date as a timestamp (None: undated).
    Tags inside CDATA sections and comments are an entry's text, passed over as
    `shape.cut_entry_starts` does; an entry inside another is part of it."""
    spans: list[tuple[int, int, float | None]] = []
    depth = 0
    start = 0
    name = b""
    found: dict[bytes, bytes] = {}
    slow = [_SLOW_DATES]
    pos = 0
    for section_start, section_end in chain(verbatim_sections(body), [(len(body), len(body))]):
        for tag in _TAG.finditer(body, pos, section_start):
            closing, local = tag.groups()
            if local in _ENTRY_NAMES:
                if closing:
                    if depth == 0:
                        continue  # a stray end tag
                    depth -= 1
                    if depth == 0:
                        end = body.find(b">", tag.end())
                        spans.append(
                            (start, len(body) if end < 0 else end + 1, _when(name, found, slow))
                        )
                    continue
                # Most start tags are bare ("<item>"): their end needs no search.
                tag_end = tag.end() if body[tag.end() : tag.end() + 1] == b">" else -2
                if tag_end == -2:
                    tag_end = _tag_end(body, tag.end())
                    if tag_end < 0:
                        return spans  # the document stops inside the tag: no whole entry
                closed = body[tag_end - 1 : tag_end] == b"/"
                if depth == 0:
                    start, name, found = tag.start(), local, {}
                    if closed:
                        spans.append((start, tag_end + 1, None))
                        continue
                if not closed:
                    depth += 1
            elif depth and not closing:
                key = local.lower()
                if key not in found:  # the first of each, as the parser reads it
                    found[key] = _text(body, tag.end())
        pos = section_end
    return spans


def _tag_end(body: bytes, pos: int) -> int:
    """The index of the `>` ending a start tag whose attributes begin at `pos`, past quoted
    values; -1 when the document stops first."""
    while True:
        gt = body.find(b">", pos)
        quote = _first_quote(body, pos, gt)
        if quote < 0:
            return gt
        close = body.find(body[quote : quote + 1], quote + 1)
        if close < 0:
            return -1
        pos = close + 1


def _first_quote(body: bytes, pos: int, gt: int) -> int:
    if gt < 0:
        return -1
    double = body.find(b'"', pos, gt)
    single = body.find(b"'", pos, gt if double < 0 else double)
    return single if single >= 0 else double


def _text(body: bytes, pos: int) -> bytes:
    """The text of an element whose start tag's name ends at `pos`: up to its first child or
    end tag, or its one CDATA section. Empty past `_MAX_DATE_BYTES`: no date is that long."""
    gt = body.find(b">", pos, pos + _MAX_DATE_BYTES)
    if gt < 0 or body[gt - 1 : gt] == b"/":
        return b""
    if body.startswith(b"<![CDATA[", gt + 1):
        close = body.find(b"]]>", gt + 10, gt + 10 + _MAX_DATE_BYTES)
        return body[gt + 10 : close] if close >= 0 else b""
    close = body.find(b"<", gt + 1, gt + 1 + _MAX_DATE_BYTES)
    return body[gt + 1 : close] if close >= 0 else b""


def _when(name: bytes, found: dict[bytes, bytes], slow: list[int]) -> float | None:
    """An entry's date as the parser reads it from its elements' text, as a timestamp."""
    if name == b"entry":
        for group in (*_ATOM_PUBLISHED, *_ATOM_UPDATED):
            if (when := _first_time(found, group, slow)) is not None:
                return when
        return None
    published = _first_time(found, _RSS_PUBLISHED, slow)
    if published is not None:
        return published
    guid = found.get(b"guid", b"").strip()
    if (
        guid
        and not guid.startswith((b"http://", b"https://"))
        and (when := _timestamp(guid, slow)) is not None
    ):
        return when
    return _first_time(found, _RSS_UPDATED, slow)


def _first_time(
    found: dict[bytes, bytes], names: tuple[bytes, ...], slow: list[int]
) -> float | None:
    """The timestamp of the first of `names` the entry has with text, read or not."""
    for key in names:
        if found.get(key, b"").strip():
            return _timestamp(found[key], slow)
    return None


def _timestamp(raw: bytes, slow: list[int]) -> float | None:
    value = raw.strip()
    if match := _RFC822_UTC.fullmatch(value):
        day, year, hour, minute, second = map(int, match.group(1, 3, 4, 5, 6))
        number = _MONTHS.get(match.group(2))
        if number is None or hour > 23 or minute > 59 or second > 59:
            return None
        try:
            days = date(year, number, day).toordinal() - _EPOCH
        except ValueError:
            return None
        return float(days * 86400 + hour * 3600 + minute * 60 + second)
    return _time(value.decode("utf-8", "replace"), slow)


def _time(value: str, slow: list[int]) -> float | None:
    """`value` as a timestamp: by `parse_date`, else as the parser reads it (dateutil's guess:
    "January 2, 2006", "12/01/2024", "Tuesday 10:00"), for the first `_SLOW_DATES` such values
    of a document only, past which they rank as undated. A guess costs 20 to 70 us, a failed
    one ("note-4821") as much: 100,000 GUIDs tried as dates were most of what this module
    saves."""
    # `parse_date` reads ISO 8601, which opens with the year, and RFC 822, which names the
    # month: asked only then, a GUID such as "note-4821" costs a regex search, not both parses.
    when = parse_date(value) if value[:4].isdigit() or _MONTH_NAME.search(value) else None
    if when is None and slow[0] > 0 and _library_date is not None:
        slow[0] -= 1
        when = parse_date(_library_date(value))
    return when.timestamp() if when is not None else None


def _json_time(item: Any, slow: list[int]) -> float | None:
    if not isinstance(item, dict):
        return None
    for key in ("date_published", "date_modified"):
        value = item.get(key)
        if (
            isinstance(value, str)
            and value.strip()
            and (when := _time(value.strip(), slow)) is not None
        ):
            return when
    return None
