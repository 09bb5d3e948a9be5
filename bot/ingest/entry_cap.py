"""A big document cut down to the entries that are read, before either parser sees it.

`parser.MAX_FEED_ENTRIES` entries of a document are read, the newest by date (undated ones after
the dated, in document order). Choosing them after parsing made a huge feed cost its every
entry: fastfeedparser reads each entry whole, and one without a date has its GUID tried as a
date by dateutil, so 100,000 tiny undated items held the GIL for seconds at every poll. Here
the document is read by expat, a real XML tokenizer (CDATA, comments, processing instructions,
DOCTYPE, namespaces, depth), each entry dated by its own child elements as the parser dates it
(`entry_dates`), and the entries not chosen are cut out of the bytes between two of the
entries' own tags, never inside markup: the parsers then read only as many entries as are kept.

The cut is made only when it surely chooses what the parser would: a well-formed RSS 2.0, Atom
or RSS 1.0 document (or the start of one, which the fetch's size cap cut off) whose entries are where the parser looks for them (an RSS channel's `item`
children; Atom entries and RSS 1.0 items at any depth, none inside another), whose dates take
dateutil no more than `entry_dates.SLOW_DATES` times. Anything else is left whole, and the
parse after still reads only the newest entries, at the old cost.

A document is read only when it may hold more entries than are read (`_may_exceed`, a count of
the bytes an entry's start tag begins with), so a feed of ordinary size costs nothing here.
Expat takes about 1 us an entry's element, 0.1 s for 100,000 tiny items (6.7 s to parse).
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

from bot.ingest.entry_dates import Budget, TooSlow, read_date

__all__ = ["keep_newest_entries", "keep_newest_items"]

_ATOM_NAMESPACES = frozenset(
    {"http://www.w3.org/2005/Atom", "https://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"}
)
_ATOM_03 = "http://purl.org/atom/ns#"
_RDF_ROOT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_RSS_1_ITEM = "http://purl.org/rss/1.0/}item"
# The local names (lowercased, in any namespace) an RSS item's date is read from, as the
# parser reads them: its publication date, else its GUID (when no link), else its update date.
_RSS_PUBLISHED = ("pubdate", "published", "issued", "date")
_RSS_UPDATED = ("lastbuilddate", "updated", "modified")
_RSS_DATE_LOCALS = frozenset((*_RSS_PUBLISHED, *_RSS_UPDATED, "guid"))
# Deeper than libxml2 reads without its huge-tree option: the parser may see less.
_MAX_DEPTH = 200
# An empty-element tag as a well-formed document writes it.
_EMPTY_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/>""")
_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")


class _Unsure(Exception):
    """The scan cannot tell that it chooses what the parser would."""


def keep_newest_entries(body: bytes, limit: int) -> tuple[bytes, int] | None:
    """`body` without its entries past the `limit` newest, and how many were cut out; None when
    it holds no more than `limit` entries, or when the choice is better left to the parser (see
    the module docstring). `body` is in an ASCII-compatible encoding (`decoding.to_utf8`)."""
    if b"\x00" in body[:4] or not _may_exceed(body, limit):
        return None
    try:
        spans = _Scan(body).entries()
    except (_Unsure, TooSlow, expat.ExpatError, RecursionError):
        return None
    if len(spans) <= limit:
        return None
    keyed = sorted(
        (when is None, -when if when is not None else 0.0, index)
        for index, (_start, _end, when) in enumerate(spans)
    )
    kept = {index for _, _, index in keyed[:limit]}
    pieces = []
    pos = 0
    for index, (start, end, _when) in enumerate(spans):
        if index not in kept:
            pieces.append(body[pos:start])
            pos = end
    pieces.append(body[pos:])
    return b"".join(pieces), len(spans) - len(kept)


def keep_newest_items(items: list[Any], limit: int) -> list[Any]:
    """A JSON Feed's `limit` newest items, in their order (`keep_newest_entries` for JSON): by
    `date_published`, else `date_modified`, as the parser dates them. All of them when their
    dates take dateutil too long: the parser's choice then decides."""
    if len(items) <= limit:
        return items
    budget = Budget()
    try:
        stamps = [_json_time(item, budget) for item in items]
    except TooSlow:
        return items
    keyed = sorted(
        (when is None, -when if when is not None else 0.0, index)
        for index, when in enumerate(stamps)
    )
    return [items[index] for index in sorted(index for _, _, index in keyed[:limit])]


def _may_exceed(body: bytes, limit: int) -> bool:
    # Every entry start tag holds one of these; so do end tags of prefixed names, and <items>:
    # an upper bound, taken with `count`, which reads 10 MB in about a millisecond.
    starts = sum(body.count(mark) for mark in (b"<item", b"<entry", b":item", b":entry"))
    return starts > limit


class _Scan:
    """The entries of one document as (start, end, timestamp or None), in document order."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True
        self.budget = Budget()
        self.spans: list[tuple[int, int, float | None]] = []
        self.depth = 0
        self.kind = ""  # "rss", "atom" or "rdf", once the root is read
        self.atom_ns = ""
        self.dated: frozenset[str] = frozenset()  # Atom's date elements, by expat's name
        self.channel_depth = 0  # an RSS document's channel's depth, while inside it
        self.channel_seen = False
        self.entry_depth = 0  # the depth of the entry being read; 0 outside any
        self.entry_start = 0
        # The entry's direct children a date is read from, with their text, in order.
        self.children: list[tuple[str, str | None]] = []
        self.child = ""  # the direct child being read, "" when none
        self.child_dated = False  # whether its text dates the entry
        self.reading = False  # whether text now is still that child's own first text
        self.text: list[str] = []

    def entries(self) -> list[tuple[int, int, float | None]]:
        parser = self.parser
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        # An element's text, as the parser reads it, stops at a comment or instruction too.
        parser.CommentHandler = self._stop_reading
        parser.ProcessingInstructionHandler = self._stop_reading_pi
        # The parser keeps a declared entity's reference as a node (it does not resolve them),
        # which ends an element's text there; expat would read on. Such documents are rare.
        parser.EntityDeclHandler = self._entity
        parser.SkippedEntityHandler = self._skipped
        # Not final: a document the fetch's size cap cut off is a well-formed one so far, and
        # the entries before the cut are found; the parser leaves the one it stops inside out
        # (`shape.cut_entry_starts`), and that one's bytes are kept as they are.
        parser.Parse(self.body, False)
        return self.spans

    def _start(self, name: str, _attributes: Any) -> None:
        self.depth += 1
        depth = self.depth
        if depth > _MAX_DEPTH:
            raise _Unsure("nested too deeply")
        if self.entry_depth:
            self.reading = False
            if depth == self.entry_depth + 1:
                self.child = name
                self.child_dated = self.reading = self._dates(name)
                self.text = []
            elif self._is_entry(name, depth):
                raise _Unsure("an entry inside an entry")
            return
        if depth == 1:
            self._root(name)
        elif self.kind == "rss" and depth == 2 and name == "channel" and not self.channel_seen:
            # The parser reads the items of the root's first <channel>.
            self.channel_seen = True
            self.channel_depth = 2
        elif self._is_entry(name, depth):
            start = self.parser.CurrentByteIndex
            if not _ENTRY_START.match(self.body, start):
                raise _Unsure("an entry that is no start tag in the bytes")  # from an entity
            self.entry_depth = depth
            self.entry_start = start
            self.children = []

    def _root(self, name: str) -> None:
        namespace, _, local = name.rpartition("}")
        if name == "rss":
            self.kind = "rss"
        elif local == "feed" and namespace in _ATOM_NAMESPACES:
            self.kind = "atom"
            self.atom_ns = namespace
            self.dated = frozenset(
                f"{namespace}}}{n}" for n in ("published", "issued", "updated", "modified")
            )
        elif name == _RDF_ROOT:
            self.kind = "rdf"
        else:
            raise _Unsure("not RSS 2.0, Atom or RSS 1.0")

    def _is_entry(self, name: str, depth: int) -> bool:
        if self.kind == "rss":
            return name == "item" and self.channel_depth > 0 and depth == self.channel_depth + 1
        if self.kind == "atom":
            return name == f"{self.atom_ns}}}entry"
        return name == _RSS_1_ITEM

    def _dates(self, name: str) -> bool:
        if self.kind == "atom":
            return name in self.dated
        return name.rpartition("}")[2].lower() in _RSS_DATE_LOCALS

    def _end(self, _name: str) -> None:
        depth = self.depth
        self.depth -= 1
        if depth == self.channel_depth:
            self.channel_depth = 0
        if not self.entry_depth or depth > self.entry_depth + 1:
            return
        if depth == self.entry_depth + 1:
            if self.child_dated:
                self.children.append((self.child, "".join(self.text) or None))
            self.child = ""
            self.child_dated = self.reading = False
            return
        self.entry_depth = 0
        # Expat reports the end of an empty-element tag just past it, of an end tag at its "<".
        body, pos = self.body, self.parser.CurrentByteIndex
        if body[pos - 2 : pos] == b"/>" and (tag := _EMPTY_TAG.match(body, self.entry_start)):
            end = tag.end()
            if end != pos:
                raise _Unsure("an empty entry's tag that is not where expat read it")
        elif body.startswith(b"</", pos) and (end := body.find(b">", pos) + 1) > 0:
            pass
        else:
            raise _Unsure("an entry's end that is no tag in the bytes")
        self.spans.append((self.entry_start, end, self._when()))

    def _chars(self, data: str) -> None:
        if self.reading and self.depth == self.entry_depth + 1:
            self.text.append(data)

    def _stop_reading(self, _data: str) -> None:
        if self.depth == self.entry_depth + 1:
            self.reading = False

    def _stop_reading_pi(self, _target: str, _data: str) -> None:
        self._stop_reading(_data)

    def _entity(self, _name: str, is_parameter: int, *_declaration: Any) -> None:
        if not is_parameter:
            raise _Unsure("a general entity declared")

    def _skipped(self, _name: str, _is_parameter: int) -> None:
        raise _Unsure("an entity not declared here")

    def _when(self) -> float | None:
        if self.kind == "atom":
            return _atom_when(self.children, self.atom_ns, self.budget)
        return _rss_when(self.children, self.budget)


def _rss_when(children: list[tuple[str, str | None]], budget: Budget) -> float | None:
    """An RSS item's timestamp as the parser dates it: by the first element of each local name
    (in any namespace, in any case), its publication date, else its GUID when that is no link,
    else its update date."""
    texts: dict[str, str | None] = {}
    for name, text in children:
        texts.setdefault(name.rpartition("}")[2].lower(), text)
    published = _first(texts, _RSS_PUBLISHED)
    read, when = read_date(published, budget) if published else (False, None)
    guid = texts.get("guid")
    if not read and guid and not guid.startswith(("http://", "https://")):
        read, when = read_date(guid, budget)
    if when is not None:
        return when
    updated = _first(texts, _RSS_UPDATED)
    return read_date(updated, budget)[1] if updated else None


def _first(texts: dict[str, str | None], locals_: tuple[str, ...]) -> str | None:
    # The parser's `a or b or ...`: the first local name present with any text, spaces too.
    for local in locals_:
        if text := texts.get(local):
            return text
    return None


def _atom_when(
    children: list[tuple[str, str | None]], namespace: str, budget: Budget
) -> float | None:
    """An Atom entry's timestamp as the parser dates it: by the first of each date element with
    text (an empty one is passed over), <published> else <issued>, then <updated> else
    <modified> (Atom 0.3 the other way round in each pair)."""
    texts: dict[str, str] = {}
    for name, text in children:
        if text:
            texts.setdefault(name.rpartition("}")[2], text)
    old = namespace == _ATOM_03
    pairs = (
        (("issued", "published"), ("modified", "updated"))
        if old
        else (("published", "issued"), ("updated", "modified"))
    )
    for first, fallback in pairs:
        read, when = read_date(texts[first], budget) if first in texts else (False, None)
        if not read and fallback in texts:
            read, when = read_date(texts[fallback], budget)
        if when is not None:
            return when
    return None


def _json_time(item: Any, budget: Budget) -> float | None:
    if not isinstance(item, dict):
        return None
    for key in ("date_published", "date_modified"):
        value = item.get(key)
        if isinstance(value, str) and (when := read_date(value, budget)[1]) is not None:
            return when
    return None
