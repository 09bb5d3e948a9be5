"""An RSS item's own elements, where a namespaced one of the same local name comes first.

fastfeedparser matches an RSS 2.0 item's children by local name, the first one winning: an
`<atom:link rel="related"/>` (or .NET's `a10:link`) before the item's `<link>` leaves it no link
at all, since the Atom link has no text, and an `<x:link>` before it gives the item another
page; an `<itunes:title>` or `<media:title>` replaces its headline, an `<x:guid>` its id, an
`<x:pubDate>` its date. The item's own, un-namespaced element is what RSS means; `entry_fields`
reads it from the document and puts it in the parser's entry (`fill_own`).

The document is only read again when a cheap scan of the bytes (`has_foreign_first`) finds an
item where such an element comes before an own one of its name.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from lxml import etree

from bot.ingest.normalize import parse_date

__all__ = ["OWN_NAMES", "fill_own", "foreign_first", "has_foreign_first"]

# The item elements read here, by local name in lower case (as fastfeedparser compares them).
OWN_NAMES = ("link", "title", "guid", "pubdate")

_ITEM_START_RE = re.compile(rb"<item[\s>]")
_ITEM_END = b"</item>"
_FOREIGN_RE = re.compile(
    rb"<[\w.-]+:(" + b"|".join(n.encode() for n in OWN_NAMES) + rb")[\s/>]", re.I
)
_OWN_RES = {
    name.encode(): re.compile(rb"<" + name.encode() + rb"[\s>]", re.I) for name in OWN_NAMES
}


def has_foreign_first(body: bytes) -> bool:
    """Whether some RSS item in `body` may have a namespaced element of an `OWN_NAMES` name
    before its own one. A few too many is harmless (a CDATA body quoting markup): it only
    costs the document pass. Linear: each item's end is found once, and each name looked for
    after its first namespaced element in an item only."""
    start = _ITEM_START_RE.search(body)
    if start is None:
        return False
    pos = item_end = start.end()
    looked: set[bytes] = set()  # the names already looked for in the item ending at item_end
    while found := _FOREIGN_RE.search(body, pos):
        pos = found.end()
        if found.start() >= item_end:
            item_end = body.find(_ITEM_END, pos)
            if item_end < 0:
                item_end = len(body)
            looked.clear()
        name = found.group(1).lower()
        if name in looked:
            continue
        looked.add(name)
        if _OWN_RES[name].search(body, pos, item_end):
            return True
    return False


def foreign_first(item: etree._Element) -> dict[str, tuple[str, str]]:
    """For each `OWN_NAMES` name whose first element in the RSS 2.0 `item` is a namespaced one
    while the item has its own: the own element's text and the namespaced one's, stripped (none
    when the own one is empty)."""
    if item.tag != "item":
        return {}  # RSS 1.0 and Atom entries: the parser reads their own elements by namespace
    first: dict[str, etree._Element] = {}
    own: dict[str, etree._Element] = {}
    for child in item.iterchildren(tag=etree.Element):
        tag = child.tag
        # An undeclared prefix stays in the tag ("x:link"), as in fastfeedparser's reading.
        name = tag.rpartition("}")[2].rpartition(":")[2].lower()
        if name not in OWN_NAMES:
            continue
        first.setdefault(name, child)
        if "}" not in tag and ":" not in tag:
            own.setdefault(name, child)
    texts = {}
    for name, element in own.items():
        text = (element.text or "").strip()
        if first[name] is not element and text:
            texts[name] = (text, (first[name].text or "").strip())
    return texts


def fill_own(raw: MutableMapping[str, Any], own: dict[str, tuple[str, str]]) -> None:
    """Put an item's own elements' texts (`foreign_first`) into the parser's entry."""
    if "title" in own:
        raw["title"] = own["title"][0]
    if "guid" in own:
        guid, foreign = own["guid"]
        # Only the id the namespaced guid gave: an atom:id outranks any guid.
        if raw.get("id") == foreign:
            raw["id"] = guid
    if "link" in own:
        link = own["link"][0]
        read = raw.get("link")
        raw["link"] = link
        # fastfeedparser copies the link it read into a missing id.
        if read is not None and raw.get("id") == read:
            raw["id"] = link
    if "pubdate" in own and (date := parse_date(own["pubdate"][0])) is not None:
        raw["published"] = date.isoformat()
        raw["published_parsed"] = None  # feedparser's, which the parser reads first
