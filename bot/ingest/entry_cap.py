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
instructions are text, not counted) is left whole, its markup, not its dates, being what its
parse costs; or, past `MAX_UNCUT_ENTRIES` entries, trimmed unread (`trim_uncut`, below). 5,000 undated items of 17 children cost 0.20 s read and cut against 0.37 s parsed
whole; at 50 children (106 "<" an item) the two are even. Dated items the parser dates fast, and
reading them costs up to twice their whole parse (0.16 s against 0.13 s at 50 children, 0.12 s
against 0.06 s at 10), so a document whose entries are mostly dated (`_DATED_SHARE`, counted by
the start tags of the date elements the parser reads, by their namespace whatever its prefix:
<a:updated> bound to Atom's is one, <dc:date> in an Atom feed none) is left whole too.

The cut only saves work: any failure to read the document (expat refuses an encoding it cannot
use, EUC-JP or an unknown label such as "utf8mb4", that `to_utf8` left as declared) leaves the
document whole for the parsers, never fails the poll; up to `MAX_UNCUT_ENTRIES` entries. Past
them such a document (not well-formed, declaring entities, dated in thousands of forms only
dateutil reads) keeps only the bytes of its first and last `limit` entries (`trim_uncut`),
found by a plain scan of entry start tags: parsed whole, 10 MB of tiny such items cost 9 to 38
s of CPU; refused outright, a sloppy real feed (an unescaped <br> in each description, which
the parser reads) was lost for one item past the limit. A feed listed by date, newest or oldest
first, has its `limit` newest at one end: the parser chooses the same ones from the two ends.
Not from the middle, so a feed in no order may lose some; 2,000 entries parse in 0.1 to 0.3 s.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import fastfeedparser

from bot.ingest.entry_dates import SLOW_DATES, Budget, TooSlow, read_date
from bot.ingest.entry_scan import ENTRY_START, Scan, Unsure
from bot.ingest.entry_when import fill_runs
from bot.ingest.shape import root_name

__all__ = [
    "MAX_UNCUT_ENTRIES",
    "EntryCut",
    "Sharers",
    "cut_sharers",
    "keep_newest_entries",
    "keep_newest_items",
    "trim_uncut",
]

log = logging.getLogger(__name__)

# Past this many "<" an entry start (start and end tags both: about 55 child elements), reading
# an undated document costs more than parsing all of it.
_TAGS_PER_ENTRY = 120
# The date elements the parser dates an entry by, by the kind of document (its root's local
# name): each local name, and the namespaces it counts in (None: any, as for an RSS 2.0 item).
# Their start tags are counted each apart: the most common one is about how many entries are
# dated (an entry carrying two is not counted twice). Not <guid>: dated, it costs dateutil.
_ATOM = frozenset({b"http://www.w3.org/2005/Atom", b"https://www.w3.org/2005/Atom"})
_ATOM_03 = frozenset({b"http://purl.org/atom/ns#"})
_ANY_ATOM = _ATOM | _ATOM_03
_DATE_NAMES: dict[bytes, tuple[tuple[bytes, frozenset[bytes] | None], ...]] = {
    b"rss": ((b"pubDate", None), (b"published", None), (b"updated", None), (b"date", None),
             (b"issued", None), (b"modified", None)),
    b"feed": ((b"published", _ANY_ATOM), (b"updated", _ANY_ATOM), (b"issued", _ANY_ATOM),
              (b"modified", _ANY_ATOM)),
    b"RDF": ((b"date", frozenset({b"http://purl.org/dc/elements/1.1/"})),
             (b"modified", frozenset({b"http://purl.org/dc/terms/"})),
             (b"issued", _ATOM), (b"modified", _ATOM)),
}  # fmt: skip
# Namespace declarations: a prefix (none for the default namespace) and its URI.
_XMLNS = re.compile(rb"""xmlns(?::([\w.-]+))?\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
# Past these, a hostile document's declarations are not read: each prefix costs a count.
_MAX_DECLARATIONS = 1_000
_MAX_PREFIXES = 8
# At least this share of entries dated, the document is left whole: when it holds no more than
# MAX_UNCUT_ENTRIES (its dates are counted in its bytes, where a CDATA section's text counts too).
_DATED_SHARE = 0.5
# The most entries a document is parsed with when the cut cannot choose from them: it does for
# any well-formed feed, so a document past it (not well-formed, declaring entities, or with
# thousands of dates only dateutil reads) keeps only its first and last entries (`trim_uncut`).
# 10 MB of tiny items that avoid the cut cost 9 to 38 s of CPU (GIL held) to parse whole.
MAX_UNCUT_ENTRIES = 10_000
# What a "<" may open that is no element's tag: its "<"s are no tags to expat (an internal
# subset's declarations are, roughly, but a document declaring entities is left whole anyway).
_NOT_TAGS = re.compile(
    rb"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!DOCTYPE[^\[>]*(?:\[.*?\])?[^>]*>)", re.DOTALL
)


@dataclass(frozen=True, slots=True)
class EntryCut:
    """A document cut down to its newest entries (`keep_newest_entries`)."""

    body: bytes
    unread: int  # the entries cut out
    # The ids a kept entry shares with a cut one, and the document again with only those cut
    # entries: the parser reads them beside the kept ones to tell whether such an id names one
    # entry or several (`entries.shared_ids`), as when it read every entry. None when there
    # are so many that reading them would cost what the cut saves: the ids are then no ids.
    sharing_ids: frozenset[str] = frozenset()
    sharing: bytes | None = None


def keep_newest_entries(body: bytes, limit: int) -> EntryCut | None:
    """`body` without its entries past the `limit` newest; None when it holds no more than
    `limit` entries, or when the choice is better left to the parser (see the module
    docstring). `body` is in an ASCII-compatible encoding (`decoding.to_utf8`). A document of
    more than `MAX_UNCUT_ENTRIES` entries the cut cannot read is trimmed (`trim_uncut`)."""
    if b"\x00" in body[:4]:
        return None
    worth = _worth_reading(body, limit)
    if worth == _TRIM:
        return trim_uncut(body, limit, f'more than {_TAGS_PER_ENTRY} "<" an entry')
    if not worth:
        return None
    try:
        return _cut(body, limit)
    except _Declined as declined:
        reason = str(declined)
    except (ValueError, LookupError, UnicodeError, expat.ExpatError) as exc:
        # What expat raises on an encoding it cannot use: the document's doing, not ours.
        log.debug("entry cap: the document is left whole (%s: %s)", type(exc).__name__, exc)
        reason = "in an encoding the cut cannot read"
    except Exception:
        # Our own bug: still never the poll's failure, but seen, not hidden at DEBUG.
        log.warning("entry cap: failed; the document is left whole", exc_info=True)
        return None
    return trim_uncut(body, limit, reason)


def trim_uncut(
    body: bytes, limit: int, reason: str, *, view: bytes | None = None
) -> EntryCut | None:
    """`body`, a document the cut cannot choose from (`reason`), with only its first and last
    `limit` entries; None when it holds no more than `MAX_UNCUT_ENTRIES`. The entries are found
    by their start tags in `view` (`body` as long, its bytes that are no ASCII text blanked:
    `iso_2022.ascii_view`), else in `body`, and cut out from the start tag of the first one
    dropped to that of the first one kept after them: parsing them all is what a hostile feed
    is after. Their ids are not read: one a kept entry shares with them is read as its own."""
    starts = [found.start() for found in ENTRY_START.finditer(body if view is None else view)]
    if len(starts) <= MAX_UNCUT_ENTRIES:
        return None
    log.info(
        "entry cap: %d entries the cut cannot choose from (%s): only the first and the last "
        "%d are parsed",
        len(starts), reason, limit,
    )  # fmt: skip
    trimmed = body[: starts[limit]] + body[starts[len(starts) - limit] :]
    return EntryCut(trimmed, len(starts) - 2 * limit)


class _Declined(Exception):
    """The scan read the document, but the choice is the parser's: why."""


def _cut(body: bytes, limit: int) -> EntryCut | None:
    scan = Scan(body)
    try:
        spans = scan.entries()
    except Unsure as exc:
        raise _Declined(str(exc)) from exc
    except TooSlow as exc:
        raise _Declined(f"more than {SLOW_DATES:,} dates only the slow date reader reads") from exc
    except expat.ExpatError as exc:
        raise _Declined(f"not well-formed XML: {exc}") from exc
    except RecursionError as exc:
        raise _Declined("nested too deeply") from exc
    if len(spans) <= limit:
        return None
    keyed = sorted(
        (when is None, -when if when is not None else 0.0, index)
        for index, (_start, _end, when) in enumerate(spans)
    )
    kept = {index for _, _, index in keyed[:limit]}
    cut = _keeping(body, spans, kept)
    if scan.fill_ran and not kept.isdisjoint(scan.odd) and not fill_runs(cut, same_count=True):
        # The dates ranked as `entry_fields` reads them again would not be read again in the
        # cut document (its odd dates all cut out): the kept entries' dates would change.
        raise _Declined("dates the cut would change the reading of")
    kept_ids = {scan.ids[index] for index in kept} - {""}
    sharing = [i for i, name in enumerate(scan.ids) if i not in kept and name in kept_ids]
    names = frozenset(scan.ids[index] for index in sharing)
    # Past `limit` of them, an id so many entries carry tells none apart anyway.
    shown = _keeping(body, spans, set(sharing)) if sharing and len(sharing) <= limit else None
    return EntryCut(cut, len(spans) - len(kept), names, shown)


def _keeping(body: bytes, spans: list[tuple[int, int, float | None]], kept: set[int]) -> bytes:
    """`body` with the entries of `spans` not in `kept` cut out."""
    pieces = []
    pos = 0
    for index, (start, end, _when) in enumerate(spans):
        if index not in kept:
            pieces.append(body[pos:start])
            pos = end
    pieces.append(body[pos:])
    return b"".join(pieces)


# Cut-out entries that share an id with a kept one, as the parser reads them, and the ids read
# as shared without reading them (`entry_cap.EntryCut`).
Sharers = tuple[tuple[Any, ...], frozenset[str]]


def cut_sharers(cut: EntryCut | None) -> Sharers:
    """The entries of `cut.sharing` as fastfeedparser reads them: with the kept entries, an id
    is read as shared exactly when it was before the cut (the same id on another page names
    neither), so a kept entry's GUID does not hang on which entries the cut took out. When they
    are not read, the ids they share are read as shared outright."""
    if cut is None or not cut.sharing_ids:
        return (), frozenset()
    if cut.sharing is not None:
        try:
            raw = fastfeedparser.parse(
                cut.sharing, include_tags=False, include_media=False, include_enclosures=False
            )
        except Exception:  # the whole document read, so this one should: no id is trusted then
            log.debug("the entries sharing an id with a kept one could not be read", exc_info=True)
        else:
            return tuple(raw.get("entries") or ()), frozenset()
    return (), cut.sharing_ids


def keep_newest_items(items: list[Any], limit: int) -> list[Any]:
    """A JSON Feed's `limit` newest items, in their order (`keep_newest_entries` for JSON): by
    `date_published`, else `date_modified`, as the parser dates them. All of them when their
    dates take dateutil too long: the parser's choice then decides, among the first and last
    `limit` items when there are more than `MAX_UNCUT_ENTRIES` (as `trim_uncut`)."""
    if len(items) <= limit:
        return items
    budget = Budget()
    try:
        stamps = [_json_time(item, budget) for item in items]
    except TooSlow:
        # Past it, parsing them all is what a hostile feed is after.
        return items if len(items) <= MAX_UNCUT_ENTRIES else items[:limit] + items[-limit:]
    keyed = sorted(
        (when is None, -when if when is not None else 0.0, index)
        for index, when in enumerate(stamps)
    )
    return [items[index] for index in sorted(index for _, _, index in keyed[:limit])]


# `_worth_reading`'s answer for a document of too much markup to read and too many entries to
# parse whole: trimmed unread (`trim_uncut`).
_TRIM = "trim"


def _worth_reading(body: bytes, limit: int) -> bool | str:
    """Whether `body` is read and cut (True), left whole (False), or, of more markup an entry
    than is worth reading but more than `MAX_UNCUT_ENTRIES` entries, trimmed unread (`_TRIM`):
    the count is checked before the markup, or a feed of both would be parsed whole."""
    # Every entry start tag holds one of these; so do end tags of prefixed names, and <items>:
    # an upper bound, taken with `count`, which reads 10 MB in about a millisecond.
    starts = sum(body.count(mark) for mark in (b"<item", b"<entry", b":item", b":entry"))
    if starts <= limit:
        return False
    tags, most = body.count(b"<"), _TAGS_PER_ENTRY * starts
    # HTML in CDATA is one run of text to expat, however many tags it holds; so is a comment's
    # or instruction's text. A well-formed document's other "<"s all open tags.
    if tags > most and tags - _section_tags(body, tags - most) > most:
        return _TRIM if starts > MAX_UNCUT_ENTRIES else False
    # Mostly dated, the parser dates them fast, and reading them costs more than it saves
    # (5,000 items of 10 children: 0.12 s read and cut against 0.06 s parsed whole). Counted
    # last and lazily: each count of 8 MB costs about 5 ms.
    return starts > MAX_UNCUT_ENTRIES or not _mostly_dated(body, _DATED_SHARE * starts)


def _mostly_dated(body: bytes, dated: float) -> bool:
    """Whether some date element the parser reads starts at least `dated` times in `body`:
    by its namespace, whatever prefix the document binds it to (<a:updated> is Atom's)."""
    root = root_name(body) or b""
    names = _DATE_NAMES.get(root.rpartition(b":")[2], _DATE_NAMES[b"rss"])
    bound = _bindings(body)
    default = bound.pop(b"", set())
    for local, namespaces in names:
        # Unprefixed, an RSS item's date element counts in any namespace (or none).
        count = body.count(b"<" + local) if namespaces is None or default & namespaces else 0
        prefixes = [p for p, uris in bound.items() if namespaces is None or uris & namespaces]
        # Each prefixed start tag holds ":local": most documents are done at that count.
        if prefixes and count < dated and body.count(b":" + local) >= dated - count:
            count += sum(body.count(b"<%s:%s" % (p, local)) for p in prefixes[:_MAX_PREFIXES])
        if count >= dated:
            return True
    return False


def _bindings(body: bytes) -> dict[bytes, set[bytes]]:
    """The URIs each prefix is bound to anywhere in `body` (b"" for the default namespace)."""
    bound: dict[bytes, set[bytes]] = {}
    for count, declared in enumerate(_XMLNS.finditer(body)):
        if count >= _MAX_DECLARATIONS:
            break
        uri = declared[2] if declared[2] is not None else declared[3]
        bound.setdefault(declared[1] or b"", set()).add(uri.strip())
    return bound


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


def _json_time(item: Any, budget: Budget) -> float | None:
    if not isinstance(item, dict):
        return None
    for key in ("date_published", "date_modified"):
        value = item.get(key)
        if isinstance(value, str) and (when := read_date(value, budget)[1]) is not None:
            return when
    return None
