"""A big document cut down to the entries that are read, before either parser sees it.

`parser.MAX_FEED_ENTRIES` entries of a document are read, the newest by date (undated ones after
the dated, in document order). Choosing them after parsing made a huge feed cost its every
entry: fastfeedparser reads each entry whole, and one without a date has its GUID tried as a
date by dateutil, so 100,000 tiny undated items held the GIL for seconds at every poll. Here
the document is read by expat, a real XML tokenizer (CDATA, comments, processing instructions,
DOCTYPE, namespaces, depth), each entry dated by its own child elements as the parser dates it
(`entry_when`), and the entries not chosen are cut out of the bytes between two of the
entries' own tags, never inside markup: the parsers then read only as many entries as are kept.

The cut is made only when it surely chooses what the parser would: a well-formed RSS 2.0, Atom
or RSS 1.0 document (or the start of one, which the fetch's size cap cut off) whose entries are
where the parser looks for them (an RSS channel's `item` children; Atom entries and RSS 1.0
items at any depth, none inside another), whose dates take dateutil no more than
`entry_dates.SLOW_DATES` times. Anything else is left whole, and the parse after still reads
only the newest entries, at the old cost.

A document is read only when it may hold more entries than are read (`_worth_reading`, a count
of the bytes an entry's start tag begins with), so a feed of ordinary size costs nothing here.
The read costs 4 to 15 us an entry: 0.4 to 0.7 s of CPU for 100,000 tiny items, which cost 6 s
to parse when their GUIDs are tried as dates. But expat calls Python for every element, about
0.6 us each, where the parser reads one for a fraction of that: 9 MB of 1,100 items with 2,000
tags apiece took 3 to 4 times their whole parse to read. So a document of more than
`_TAGS_PER_ENTRY` "<" an entry (start and end tags; those in CDATA sections, comments and
instructions are text, not counted) is left whole: its markup, not its dates, is what its parse
costs. 5,000 undated items of 17 children cost 0.20 s read and cut against 0.37 s parsed
whole; at 50 children (106 "<" an item) the two are even. Dated items the parser dates fast, and
reading them costs up to twice their whole parse (0.16 s against 0.13 s at 50 children, 0.12 s
against 0.06 s at 10), so a document whose entries are mostly dated (`_DATED_SHARE`, counted by
their date elements' start tags) is left whole too.

The cut only saves work: any failure to read the document (expat refuses an encoding it cannot
use, EUC-JP or an unknown label such as "utf8mb4", that `to_utf8` left as declared) leaves the
document whole for the parsers, never fails the poll.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from xml.parsers import expat

from bot.ingest.entry_dates import Budget, TooSlow, read_date
from bot.ingest.entry_when import DateChild, entry_when, fill_runs, needs_fill, wanted

__all__ = ["keep_newest_entries", "keep_newest_items"]

log = logging.getLogger(__name__)

_ATOM_NAMESPACES = frozenset(
    {"http://www.w3.org/2005/Atom", "https://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"}
)
_RDF_ROOT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_RSS_1_ITEM = "http://purl.org/rss/1.0/}item"
# Every element `entry_fields` takes for an entry, wherever it is, by expat's name.
_ENTRY_NAMES = frozenset({"item", _RSS_1_ITEM, "http://my.netscape.com/rdf/simple/0.9/}item",
                          "http://www.w3.org/2005/Atom}entry", "http://purl.org/atom/ns#}entry"})  # fmt: skip
# Deeper than libxml2 reads without its huge-tree option: the parser may see less.
_MAX_DEPTH = 200
# An empty-element tag as a well-formed document writes it.
_EMPTY_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/>""")
_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
# Past this many "<" an entry start (start and end tags both: about 55 child elements), reading
# an undated document costs more than parsing all of it.
_TAGS_PER_ENTRY = 120
# The start tags of the date elements most entries carry, counted each apart: the most common
# one is about how many entries are dated (an entry carrying two is not counted twice).
_DATE_STARTS = (b"<pubDate", b"<published", b"<updated", b"<dc:date", b"<issued", b"<modified")
# At least this share of entries dated, the document is left whole.
_DATED_SHARE = 0.5
# What a "<" may open that is no element's tag: its "<"s are no tags to expat (an internal
# subset's declarations are, roughly, but a document declaring entities is left whole anyway).
_NOT_TAGS = re.compile(
    rb"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!DOCTYPE[^\[>]*(?:\[.*?\])?[^>]*>)", re.DOTALL
)


class _Unsure(Exception):
    """The scan cannot tell that it chooses what the parser would."""


def keep_newest_entries(body: bytes, limit: int) -> tuple[bytes, int] | None:
    """`body` without its entries past the `limit` newest, and how many were cut out; None when
    it holds no more than `limit` entries, or when the choice is better left to the parser (see
    the module docstring). `body` is in an ASCII-compatible encoding (`decoding.to_utf8`)."""
    if b"\x00" in body[:4] or not _worth_reading(body, limit):
        return None
    try:
        return _cut(body, limit)
    except (ValueError, LookupError, UnicodeError, expat.ExpatError) as exc:
        # What expat raises on an encoding it cannot use: the document's doing, not ours.
        log.debug("entry cap: the document is left whole (%s: %s)", type(exc).__name__, exc)
        return None
    except Exception:
        # Our own bug: still never the poll's failure, but seen, not hidden at DEBUG.
        log.warning("entry cap: failed; the document is left whole", exc_info=True)
        return None


def _cut(body: bytes, limit: int) -> tuple[bytes, int] | None:
    scan = _Scan(body)
    try:
        spans = scan.entries()
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
    cut = b"".join(pieces)
    if scan.fill_ran and not kept.isdisjoint(scan.odd) and not fill_runs(cut, same_count=True):
        # The dates ranked as `entry_fields` reads them again would not be read again in the
        # cut document (its odd dates all cut out): the kept entries' dates would change.
        return None
    return cut, len(spans) - len(kept)


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


def _worth_reading(body: bytes, limit: int) -> bool:
    # Every entry start tag holds one of these; so do end tags of prefixed names, and <items>:
    # an upper bound, taken with `count`, which reads 10 MB in about a millisecond.
    starts = sum(body.count(mark) for mark in (b"<item", b"<entry", b":item", b":entry"))
    if starts <= limit:
        return False
    tags, most = body.count(b"<"), _TAGS_PER_ENTRY * starts
    # HTML in CDATA is one run of text to expat, however many tags it holds; so is a comment's
    # or instruction's text. A well-formed document's other "<"s all open tags.
    if tags > most and tags - _section_tags(body, tags - most) > most:
        return False
    # Mostly dated, the parser dates them fast, and reading them costs more than it saves
    # (5,000 items of 10 children: 0.12 s read and cut against 0.06 s parsed whole). Counted
    # last and lazily: each count of 8 MB costs about 5 ms.
    dated = _DATED_SHARE * starts
    return not any(body.count(mark) >= dated for mark in _DATE_STARTS)


def _section_tags(body: bytes, enough: int) -> int:
    """How many "<" the CDATA sections, comments, instructions and DOCTYPE of `body` hold, the
    count stopped past `enough`. Found by `find`: a regex's search stops at every "<", 50 ms
    in 8 MB of tags."""
    found = 0
    bang, query = body.find(b"<!"), body.find(b"<?")
    while found < enough and (bang >= 0 or query >= 0):
        pos = bang if query < 0 or 0 <= bang < query else query
        section = _NOT_TAGS.match(body, pos)
        end = section.end() if section else pos + 2
        if section:
            found += section[0].count(b"<")
        if bang >= 0 and bang < end:
            bang = body.find(b"<!", end)
        if query >= 0 and query < end:
            query = body.find(b"<?", end)
    return found


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
        self.atom_ns: str | None = None  # an Atom document's namespace
        self.channel_depth = 0  # an RSS document's channel's depth, while inside it
        self.channel_seen = False
        self.entry_depth = 0  # the depth of the entry being read; 0 outside any
        self.entry_start = 0
        self.started = 0  # entries begun, the one the document may stop inside too
        self.entry_elements = 0  # elements anywhere that `entry_fields` takes for entries
        self.fill_ran = False  # whether `entry_fields` reads the document's odd dates again
        # Entries whose dates `entry_fields` may read again, by their index in `spans`.
        self.odd: dict[int, tuple[list[DateChild], dict[str, str]]] = {}
        # The entry's direct children a date may be read from, in order.
        self.children: list[DateChild] = []
        self.wanted: dict[str, bool] = {}  # `entry_when.wanted` by name, asked once each
        self.child = ""  # the direct child being read, "" when none (or of no date)
        self.reading = False  # whether text now is still the parser's reading of its text
        self.open = False  # whether it is still `entry_fields`' reading of it
        self.text: list[str] = []
        self.full: list[str] = []  # its text but for comments and instructions

    def entries(self) -> list[tuple[int, int, float | None]]:
        parser = self.parser
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        # The parser keeps a declared entity's reference as a node (it does not resolve them),
        # which ends an element's text there; expat would read on. Such documents are rare.
        parser.EntityDeclHandler = self._entity
        parser.SkippedEntityHandler = self._skipped
        # Not final: a document the fetch's size cap cut off is a well-formed one so far, and
        # the entries before the cut are found; the parser leaves the one it stops inside out
        # (`shape.cut_entry_starts`), and that one's bytes are kept as they are.
        parser.Parse(self.body, False)
        if self.odd:
            self._fill()
        return self.spans

    def _fill(self) -> None:
        """The entries whose dates `entry_fields` reads again, dated as it leaves them."""
        runs = fill_runs(self.body, same_count=self.entry_elements == self.started)
        if runs is None:
            raise _Unsure("whether misread dates are read again depends on the entries")
        self.fill_ran = runs
        if not runs:
            return  # dated as the parser reads them, when they were read
        for index, (children, odd) in self.odd.items():
            start, end, _when = self.spans[index]
            self.spans[index] = (start, end, entry_when(children, self.atom_ns, self.budget, odd))

    def _start(self, name: str, _attributes: Any) -> None:
        self.depth += 1
        depth = self.depth
        if depth > _MAX_DEPTH:
            raise _Unsure("nested too deeply")
        if name in _ENTRY_NAMES:
            self.entry_elements += 1
        if self.entry_depth:
            # Either reading of a child's text stops at its first child element.
            self.reading = self.open = False
            if depth == self.entry_depth + 1:
                dates = self.wanted.get(name)
                if dates is None:
                    dates = self.wanted[name] = wanted(name, self.atom_ns)
                self.child = name if dates else ""
                self.reading = self.open = dates
                self.text = []
                self.full = []
                if dates:
                    # Text is read only here: most of a document's is no date's.
                    self._listen(True)
            elif name in _ENTRY_NAMES:
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
            self.started += 1
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

    def _end(self, _name: str) -> None:
        depth = self.depth
        self.depth -= 1
        if depth == self.channel_depth:
            self.channel_depth = 0
        if not self.entry_depth or depth > self.entry_depth + 1:
            return
        if depth == self.entry_depth + 1:
            if self.child:
                self._listen(False)
                text = "".join(self.text) or None
                self.children.append(DateChild(self.child, text, "".join(self.full)))
            self.child = ""
            self.reading = self.open = False
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
        children = self.children
        odd = needs_fill(children) if children else {}
        if odd:
            # Dated when the document is read: whether they are read again depends on it all.
            self.odd[len(self.spans)] = (children, odd)
        when = entry_when(children, self.atom_ns, self.budget, {})
        self.spans.append((self.entry_start, end, when))

    def _listen(self, on: bool) -> None:
        parser = self.parser
        parser.CharacterDataHandler = self._chars if on else None
        # The parser's reading of an element's text stops at a comment or instruction too.
        parser.CommentHandler = self._stop_reading if on else None
        parser.ProcessingInstructionHandler = self._stop_reading_pi if on else None

    def _chars(self, data: str) -> None:
        if self.open and self.depth == self.entry_depth + 1:
            self.full.append(data)
            if self.reading:
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


def _json_time(item: Any, budget: Budget) -> float | None:
    if not isinstance(item, dict):
        return None
    for key in ("date_published", "date_modified"):
        value = item.get(key)
        if isinstance(value, str) and (when := read_date(value, budget)[1]) is not None:
            return when
    return None
