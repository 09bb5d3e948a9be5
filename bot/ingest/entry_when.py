"""An entry's date as the parser ranks it (`entries.newest`), from its date elements' text.

Two readings make it. fastfeedparser's: which of an entry's direct children it takes a date
from (an RSS item's first element of each local name, in any namespace and case: its
publication date, else its GUID read as one when that is no link, else its update date; an Atom
entry's first <published> with text, else <issued>, then <updated> else <modified>), its text
up to a comment, processing instruction or child element; an RSS 1.0 (RDF) item's by namespace:
Dublin Core's <date>, else Atom's <issued> or the unprefixed <guid>; Dublin Core terms'
<modified>, else Atom's <modified>. Then ours (`entry_fields`): a date it
misreads (a 12-hour clock, an offset it drops) is read again from the document, there with
comments and instructions left out of the text, when that pass runs at all: it runs for the
whole document or not at all (`fill_runs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.ingest.entry_dates import Budget, library_iso, read_date
from bot.ingest.entry_fields import has_media, has_odd_dates, has_xml_base, is_rdf, odd_date
from bot.ingest.normalize import parse_date

__all__ = ["DateChild", "entry_when", "fill_runs", "needs_fill", "wanted"]

ATOM_03 = "http://purl.org/atom/ns#"
# The elements fastfeedparser dates an RSS 1.0 item by, by expat's name (its RDF reading takes
# the Atom 1.0 namespace for Atom's).
_RDF_PUBLISHED = "http://purl.org/dc/elements/1.1/}date"
_RDF_UPDATED = "http://purl.org/dc/terms/}modified"
_RDF_PUBLISHED_FALLBACK = "http://www.w3.org/2005/Atom}issued"
_RDF_UPDATED_FALLBACK = "http://www.w3.org/2005/Atom}modified"
_RDF_GUID = "guid"  # in no namespace: a default namespace's <guid> is not it
# The local names (lowercased, in any namespace) an RSS item's date is read from.
_RSS_PUBLISHED = ("pubdate", "published", "issued", "date")
_RSS_UPDATED = ("lastbuilddate", "updated", "modified")
_RSS_LOCALS = frozenset((*_RSS_PUBLISHED, *_RSS_UPDATED, "guid"))
# `entry_fields`' date elements, by local name as written, and the date each one sets.
_FILLED = {"pubDate": "published", "date": "published", "published": "published",
           "issued": "published", "updated": "updated", "modified": "updated",
           "created": "created"}  # fmt: skip
_KEYS = ("published", "updated", "created")
_T = TypeVar("_T")


@dataclass(slots=True)
class DateChild:
    """A direct child of an entry that a date may be read from."""

    name: str  # as expat names it: "namespace}local", or "local" in none
    text: str | None  # as fastfeedparser reads it: up to a comment, instruction or child; or None
    full: str  # as `entry_fields` reads it: comments and instructions left out, up to a child


def wanted(name: str, atom_ns: str | None) -> bool:
    """Whether a child element so named may date its entry (in an Atom document when
    `atom_ns`)."""
    local = name.rpartition("}")[2]
    return local in _FILLED or (atom_ns is None and local.lower() in _RSS_LOCALS)


def needs_fill(children: list[DateChild]) -> dict[str, str]:
    """The dates `entry_fields` would read again, by the parser's key: the first element of
    each key whose text is in a form the parser misreads."""
    odd: dict[str, str] = {}
    seen: set[str] = set()
    for child in children:
        key = _FILLED.get(child.name.rpartition("}")[2])
        if key is None or key in seen:
            continue
        seen.add(key)
        text = child.full.strip()
        if odd_date(text):
            odd[key] = text
    return odd


def fill_runs(body: bytes, *, same_count: bool) -> bool | None:
    """Whether `entry_fields` reads dates again in `body`; None when that depends on what the
    parser reads in its entries (bodies, links). `same_count`: the document holds as many
    entry elements anywhere as the parser reads entries, which that pass needs."""
    if not same_count:
        return False
    if has_odd_dates(body) or is_rdf(body):
        return True
    if has_media(body) or has_xml_base(body):
        return None
    return False


def entry_when(
    children: list[DateChild],
    atom_ns: str | None,
    budget: Budget,
    odd: dict[str, str],
    *,
    rdf: bool = False,
) -> float | None:
    """The timestamp `entries.newest` ranks the entry by (an RSS 1.0 item's when `rdf`); `odd`:
    the dates `entry_fields` reads again in it (`needs_fill`), when it does."""
    if odd:
        return _filled_when(children, atom_ns, budget, odd, rdf)
    if atom_ns is not None:
        return _atom_when(children, atom_ns, budget)
    if rdf:
        published, updated = _rdf_dates(children, lambda text: read_date(text, budget)[1])
        return published or updated
    return _rss_when(children, budget)


def _rdf_dates(
    children: list[DateChild], read: Callable[[str], _T | None]
) -> tuple[_T | None, _T | None]:
    """An RSS 1.0 item's published and updated dates as fastfeedparser's RDF reading takes them,
    each `read` from its element's text: the first element of a name only, its text stripped;
    an element with text sets the date even when it reads as none (no fallback is tried)."""
    texts: dict[str, str] = {}
    for child in children:
        if child.name not in texts:
            texts[child.name] = (child.text or "").strip()
    published: _T | None = None
    if text := texts.get(_RDF_PUBLISHED) or texts.get(_RDF_PUBLISHED_FALLBACK):
        published = read(text)
    elif (guid := texts.get(_RDF_GUID)) and not guid.startswith(("http://", "https://")):
        published = read(guid)
    text = texts.get(_RDF_UPDATED) or texts.get(_RDF_UPDATED_FALLBACK)
    return published, read(text) if text else None


def _rss_when(children: list[DateChild], budget: Budget) -> float | None:
    texts = _rss_texts(children)
    published = _first(texts, _RSS_PUBLISHED)
    read, when = read_date(published, budget) if published else (False, None)
    guid = texts.get("guid")
    if not read and guid and not guid.startswith(("http://", "https://")):
        read, when = read_date(guid, budget)
    if when is not None:
        return when
    updated = _first(texts, _RSS_UPDATED)
    return read_date(updated, budget)[1] if updated else None


def _atom_when(children: list[DateChild], atom_ns: str, budget: Budget) -> float | None:
    texts = _atom_texts(children, atom_ns)
    for first, fallback in _atom_pairs(atom_ns):
        read, when = read_date(texts[first], budget) if first in texts else (False, None)
        if not read and fallback in texts:
            read, when = read_date(texts[fallback], budget)
        if when is not None:
            return when
    return None


def _filled_when(
    children: list[DateChild],
    atom_ns: str | None,
    budget: Budget,
    odd: dict[str, str],
    rdf: bool,
) -> float | None:
    """As `entry_fields._fill` puts the dates right in the parser's own entry: a date replaces
    its key's reading, and any other key's that was a copy of it."""
    raw = _raw_dates(children, atom_ns, budget, rdf)
    for key, text in odd.items():
        date = parse_date(text)
        if date is None:
            continue
        misread = raw.get(key)
        for copy in _KEYS:
            if copy == key or (misread is not None and raw.get(copy) == misread):
                raw[copy] = date.isoformat()
    for key in _KEYS:
        if (when := parse_date(raw.get(key))) is not None:
            return when.timestamp()
    return None


def _raw_dates(
    children: list[DateChild], atom_ns: str | None, budget: Budget, rdf: bool
) -> dict[str, str | None]:
    """The parser's "published" and "updated" of the entry, as the library's ISO text."""

    def iso(text: str | None) -> str | None:
        return library_iso(text, budget) or None if text else None

    if rdf:
        published, updated = _rdf_dates(children, iso)
    elif atom_ns is None:
        texts = _rss_texts(children)
        published = iso(_first(texts, _RSS_PUBLISHED))
        updated = iso(_first(texts, _RSS_UPDATED))
        guid = texts.get("guid")
        if not published and guid and not guid.startswith(("http://", "https://")):
            published = iso(guid)
    else:
        atom = _atom_texts(children, atom_ns)
        (pub, pub_fallback), (upd, upd_fallback) = _atom_pairs(atom_ns)
        published = iso(atom.get(pub)) or iso(atom.get(pub_fallback))
        updated = iso(atom.get(upd)) or iso(atom.get(upd_fallback))
    return {"published": published or updated, "updated": updated}


def _rss_texts(children: list[DateChild]) -> dict[str, str | None]:
    # The first of each local name, in any namespace and case, as the parser keeps them.
    texts: dict[str, str | None] = {}
    for child in children:
        local = child.name.rpartition("}")[2].lower()
        if local in _RSS_LOCALS:
            texts.setdefault(local, child.text)
    return texts


def _first(texts: dict[str, str | None], locals_: tuple[str, ...]) -> str | None:
    # The parser's `a or b or ...`: the first local name present with any text, spaces too.
    for local in locals_:
        if text := texts.get(local):
            return text
    return None


def _atom_texts(children: list[DateChild], atom_ns: str) -> dict[str, str]:
    # The first of each Atom date element with text: an empty one is passed over.
    texts: dict[str, str] = {}
    prefix = atom_ns + "}"
    for child in children:
        if child.text and child.name.startswith(prefix):
            texts.setdefault(child.name[len(prefix) :], child.text)
    return texts


def _atom_pairs(atom_ns: str) -> tuple[tuple[str, str], tuple[str, str]]:
    # Atom 0.3 dates by <issued> and <modified>, Atom 1.0 by <published> and <updated>.
    if atom_ns == ATOM_03:
        return ("issued", "published"), ("modified", "updated")
    return ("published", "issued"), ("updated", "modified")
