"""What the parsers misread or leave out of entries, read from the document itself.

fastfeedparser hands over each date as its own ISO reading, and it misreads a 12-hour clock
("02:02:33 PM" is 02:02) and an offset spelt "-08:00" or "GMT-0500" after an RFC 822 date (the
offset is dropped); feedparser misreads the clock too. The raw text of such dates is read here,
for `bot.ingest.normalize.parse_date` to read again. And fastfeedparser's RSS 1.0 (RDF) path
reads neither content:encoded nor dc:description, so an RDF item's bodies are read here too, as
is media:description (YouTube's Atom and other video feeds have no other text), which it skips,
and an Atom `<summary type="xhtml">`, which it reads as empty.
Neither parser (as called) applies xml:base to entry links; the base in effect is read here.
An RSS item's own elements, where fastfeedparser took a namespaced one for them, are read by
`bot.ingest.own_elements`.

The document is parsed a second time (lxml, no network, no entities) only when a cheap scan of
the bytes finds something to read, so most documents cost nothing more. `fill_from_document`
puts what it finds into the parser's own entries, which `bot.ingest.parsed_feed` then reads as ever.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from bot.ingest.normalize import parse_date
from bot.ingest.own_elements import fill_own, foreign_first, has_foreign_first

log = logging.getLogger(__name__)

__all__ = [
    "DocumentEntry",
    "document_entries",
    "fill_from_document",
    "has_media",
    "has_odd_dates",
    "has_xhtml_summary",
    "has_xml_base",
    "is_rdf",
    "odd_date",
]

# Entry elements: RSS 2.0 and 0.9x, RSS 1.0 and 0.90 (RDF), Atom 1.0 and 0.3.
_ENTRY_TAGS = (
    "item",
    "{http://purl.org/rss/1.0/}item",
    "{http://my.netscape.com/rdf/simple/0.9/}item",
    "{http://www.w3.org/2005/Atom}entry",
    "{http://purl.org/atom/ns#}entry",
)
# An entry's date elements by local name, and which of the parsers' date keys each feeds.
_DATE_ELEMENTS = {
    "pubDate": "published",
    "date": "published",  # dc:date
    "published": "published",
    "issued": "published",
    "updated": "updated",
    "modified": "updated",
    "created": "created",
}
# A date whose clock or offset the parsers misread: a 12-hour clock, an offset with a colon
# after a space (an ISO date has none there), or GMT/UTC with an offset after it.
_ODD_DATE = rb"\d\s*[AaPp]\.?[Mm]\b|\d\s+[+-]\d\d:\d\d|(?:GMT|UTC?)\s*[+-]\d"
_ODD_DATE_RE = re.compile(_ODD_DATE.decode())
# The same inside a date element, so that prose about "3 PM" in a description does not count.
_ODD_DATE_ELEMENT_RE = re.compile(
    rb"<(?:[\w.-]+:)?(?:pubDate|date|published|updated|issued|modified|created)(?:\s[^<>]*)?>"
    rb"\s*(?:<!\[CDATA\[)?[^<>]{0,64}?(?:" + _ODD_DATE + rb")"
)
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_DESCRIPTION = "{http://purl.org/dc/elements/1.1/}description"
_MEDIA_NAMESPACE = b"http://search.yahoo.com/mrss/"
_MEDIA_DESCRIPTION = "{http://search.yahoo.com/mrss/}description"
_ATOM_SUMMARY = "{http://www.w3.org/2005/Atom}summary"
_XHTML_SUMMARY_RE = re.compile(rb"""<(?:[\w.-]+:)?summary\s[^<>]*\btype\s*=\s*["']xhtml["']""")
# A serialised tag's namespace prefix ("<x:p>", "</x:p>").
_TAG_PREFIX_RE = re.compile(r"<(/?)[\w.-]+:")
# An RSS 1.0 document's root, within its first bytes (after the declaration and any comment).
_RDF_ROOT_RE = re.compile(rb"<(?:[\w.-]+:)?RDF[\s>]")
_RDF_HEAD_BYTES = 4096
# The parsers' entry date keys, in the order the parser reads them.
_DATE_KEYS = ("published", "updated", "created")
_XML_PARSER = etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
)


@dataclass(slots=True)
class DocumentEntry:
    """One entry as the document has it, for what the parsers did not give."""

    # Raw date text by the parsers' key ("published", "updated", "created"), only for the
    # dates the parsers misread (`has_odd_dates`).
    odd_dates: dict[str, str] = field(default_factory=dict)
    # content:encoded, dc:description and media:description (in the entry or its media:group)
    # as markup, when asked for (`bodies`).
    content: str = ""
    description: str = ""
    media_description: str = ""
    # An Atom summary of type="xhtml", as HTML markup.
    xhtml_summary: str = ""
    # The xml:base in effect for the entry (the feed's and its own, combined), if any.
    base: str | None = None
    # An RSS item's own elements' text, where a namespaced one came first (`own_elements`).
    own: dict[str, tuple[str, str]] = field(default_factory=dict)


def fill_from_document(raw_entries: list[Any], body: bytes) -> list[str | None] | None:
    """Put right in `raw_entries` (a parser's entries, for an XML `body`) what the parser
    misread or left out: dates with a 12-hour clock or an offset it dropped, an RSS 1.0 item's
    content:encoded and dc:description, the xhtml summary or media:description of an entry
    with no other body, and an RSS item's own elements where it read namespaced ones. Returns each entry's xml:base when an entry has a relative link and the
    document sets one, else None."""
    rdf = is_rdf(body)
    bodiless = not all(map(_has_body, raw_entries))
    media = bodiless and has_media(body)
    xhtml = bodiless and has_xhtml_summary(body)
    relative = any(map(_has_relative_link, raw_entries)) and has_xml_base(body)
    own = not rdf and has_foreign_first(body)
    if not rdf and not media and not xhtml and not relative and not own and not has_odd_dates(body):
        return None
    found = document_entries(body, len(raw_entries), bodies=rdf or media or xhtml, own=own)
    if found is None:
        return None
    for raw, entry in zip(raw_entries, found, strict=True):
        if isinstance(raw, MutableMapping):
            _fill(raw, entry)
    return [entry.base for entry in found] if relative else None


def _fill(raw: MutableMapping[str, Any], entry: DocumentEntry) -> None:
    if entry.content and not raw.get("content"):
        raw["content"] = [{"value": entry.content}]
    if entry.description and not (raw.get("summary") or raw.get("description")):
        raw["description"] = entry.description
    # The entry's own summary before the media's description, which is of the video.
    if entry.xhtml_summary and not _has_body(raw):
        raw["description"] = entry.xhtml_summary
    if entry.media_description and not _has_body(raw):
        raw["description"] = entry.media_description
    for key, text in entry.odd_dates.items():
        date = parse_date(text)
        if date is None:
            continue  # the parser's reading stands: off by hours, but a date
        misread = raw.get(key)
        # fastfeedparser copies an Atom entry's <updated> into a missing published.
        for copy in _DATE_KEYS:
            if copy == key or (misread is not None and raw.get(copy) == misread):
                raw[copy] = date.isoformat()
                raw[f"{copy}_parsed"] = None  # feedparser's, which the parser reads first
    if entry.own:
        # Last: an own pubDate outranks a namespaced one's date, odd or not.
        fill_own(raw, entry.own)


def _has_body(raw: Mapping[str, Any]) -> bool:
    return bool(raw.get("content") or raw.get("summary") or raw.get("description"))


def _has_relative_link(raw: Mapping[str, Any]) -> bool:
    """Whether any of the entry's links is not an absolute http(s) URL (a few too many is
    harmless: it only costs the document pass)."""
    hrefs = [raw.get("link")]
    hrefs += [link.get("href") for link in raw.get("links") or [] if isinstance(link, Mapping)]
    return any(
        isinstance(href, str)
        and href.strip()
        and not href.lstrip().startswith(("http://", "https://"))
        for href in hrefs
    )


def has_odd_dates(body: bytes) -> bool:
    """Whether some date element in `body` is written in a form the parsers misread."""
    return _ODD_DATE_ELEMENT_RE.search(body) is not None


def odd_date(text: str) -> bool:
    """Whether a date element's text is in a form the parsers misread."""
    return _ODD_DATE_RE.search(text) is not None


def is_rdf(body: bytes) -> bool:
    """Whether `body` is an RSS 1.0 (RDF) document."""
    return _RDF_ROOT_RE.search(body, 0, _RDF_HEAD_BYTES) is not None


def has_xml_base(body: bytes) -> bool:
    """Whether some element of `body` sets xml:base."""
    return b"xml:base" in body


def has_xhtml_summary(body: bytes) -> bool:
    """Whether some summary in `body` is marked `type="xhtml"`."""
    return b"xhtml" in body and _XHTML_SUMMARY_RE.search(body) is not None


def has_media(body: bytes) -> bool:
    """Whether `body` declares the Media RSS namespace (media:description may be in it)."""
    return _MEDIA_NAMESPACE in body


def document_entries(
    body: bytes, count: int, *, bodies: bool = False, own: bool = False
) -> list[DocumentEntry] | None:
    """The document's `count` entries in order, with their content:encoded, dc:description,
    xhtml summary and media:description when `bodies`, and an RSS item's own elements where a
    namespaced one comes first when `own`; None when the document does not parse or has another
    number of entries (then which is whose is not known)."""
    try:
        root = etree.fromstring(body, _XML_PARSER)
    except (etree.LxmlError, ValueError):
        log.debug("lxml could not read the document again", exc_info=True)
        return None
    if root is None:
        return None
    entries = [_entry(element, bodies, own) for element in root.iter(*_ENTRY_TAGS)]
    return entries if len(entries) == count else None


def _entry(element: etree._Element, bodies: bool, own: bool) -> DocumentEntry:
    entry = DocumentEntry(base=element.base, own=foreign_first(element) if own else {})
    seen: set[str] = set()
    # Children only: a <source> or media:group inside the entry has dates of its own.
    for child in element.iterchildren(tag=etree.Element):
        if bodies and child.tag == _CONTENT_ENCODED and not entry.content:
            entry.content = _inner_markup(child)
            continue
        if bodies and child.tag == _DC_DESCRIPTION and not entry.description:
            entry.description = _inner_markup(child)
            continue
        if bodies and child.tag == _ATOM_SUMMARY and child.get("type") == "xhtml":
            if not entry.xhtml_summary:
                entry.xhtml_summary = _xhtml_markup(child)
            continue
        key = _DATE_ELEMENTS.get(etree.QName(child).localname)
        if key is None or key in seen:
            continue
        # The first element for a key is the one the parsers read; only it may be overridden.
        seen.add(key)
        text = (child.text or "").strip()
        if odd_date(text):
            entry.odd_dates[key] = text
    if bodies:
        media = next(element.iter(_MEDIA_DESCRIPTION), None)
        if media is not None and media.text:
            # Plain text unless marked html (the Media RSS default), so "<b>" in it is words.
            text = media.text
            entry.media_description = text if media.get("type") == "html" else html.escape(text)
    return entry


def _xhtml_markup(element: etree._Element) -> str:
    """An xhtml element's content as HTML: its tags without their prefix, so that an HTML parser
    knows `<x:p>` (xmlns:x the XHTML namespace) for the paragraph it is. Done on the serialised
    markup, where every "<" is a tag's (one in text is escaped), so a summary of a million
    elements costs no Python step for each."""
    return _TAG_PREFIX_RE.sub(r"<\1", _inner_markup(element))


def _inner_markup(element: etree._Element) -> str:
    """An element's content as markup: its text (CDATA or escaped HTML, the usual), and any
    child elements serialised (XHTML written inline)."""
    text = element.text or ""
    if len(element):
        text += "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in element
        )
    return text
