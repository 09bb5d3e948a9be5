"""JSON Feed details the fast parser misses: a byte-order mark, and items linked by external_url.

Kept apart from the XML repairs in `bot.ingest.decoding` and `entities`: a JSON document needs
neither those nor its charset sniffed (it is UTF-8 by definition).
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import MutableMapping
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["is_json", "link_external_urls", "without_bom"]


def is_json(body: bytes) -> bool:
    """Whether `body` reads as a JSON document rather than markup (by its first character)."""
    return body.lstrip()[:1] in (b"{", b"[")


def without_bom(body: bytes) -> bytes:
    """`body` without a UTF-8 byte-order mark in front of JSON. RFC 8259 forbids one, but
    servers that write one exist, and neither parser takes the document for JSON with it (it
    was refused as "not a feed", failing the feed until it was disabled). An XML document keeps
    its mark here: `bot.ingest.decoding` reads it (it wins over the declaration) and drops it."""
    if body.startswith(codecs.BOM_UTF8) and is_json(body[3:]):
        return body[3:]
    return body


def link_external_urls(body: bytes, entries: list[Any]) -> None:
    """Give each entry without a link its item's `external_url` (JSON Feed's link for an item
    about another page, such as a link blog's), which fastfeedparser does not read. Entries and
    items are matched by position, and only when there are as many of each."""
    if all(entry.get("link") for entry in entries):
        return
    try:
        items = json.loads(body).get("items")
    except (ValueError, AttributeError):
        return  # the parser read it, so this is only the odd document json will not
    if not isinstance(items, list) or len(items) != len(entries):
        return
    for entry, item in zip(entries, items, strict=True):
        external = item.get("external_url") if isinstance(item, dict) else None
        if (
            isinstance(entry, MutableMapping)
            and not entry.get("link")
            and isinstance(external, str)
        ):
            entry["link"] = external
