"""Which feeds of an OPML export have a name configured in newsdigest, told apart from those
whose outline only carries the feed's own title.

OPML needs a `text` on every outline, so an export writes the feed's title where no name is set;
read back as a name, that title would be fixed: the site-name cut ("Omega Times - World" →
"Omega Times") would stop applying and the feed's later retitling be ignored, so a round trip
changed the cards. Each exported feed outline therefore also says its configured name in
`newsdigest:name`, empty for none; an outline without the attribute (another reader's file, or an
export from before it) is read as before, its title taken for the name.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from bot.ingest.normalize import xml_text
from bot.ingest.opml import NEWSDIGEST_NS

_NAME_ATTR = f"{{{NEWSDIGEST_NS}}}name"


def mark_names(data: bytes, names: Mapping[str, str | None]) -> bytes:
    """`export_opml`'s document with each feed outline's configured name (by its `xmlUrl`) in
    `newsdigest:name`."""
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if url is not None:
            outline.set(_NAME_ATTR, xml_text(names.get(url) or "").strip())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def marked_names(data: bytes) -> dict[str, str | None]:
    """The `newsdigest:name` of each feed outline that has one, by its `xmlUrl` as `read_opml`
    reads it (first occurrence), None for an empty one. Call after `read_opml` accepted `data`:
    this parse trusts that check (no entities, no DTD)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(data, parser)
    found: dict[str, str | None] = {}
    for outline in root.iter("{*}outline"):
        url = next((str(v).strip() for k, v in outline.attrib.items() if k.lower() == "xmlurl"), "")
        name = outline.get(_NAME_ATTR)
        if url and name is not None and url not in found:
            found[url] = name.strip() or None
    return found
