"""JSON Feed details the fast parser misses: a byte-order mark, items linked by external_url, and
fields of the wrong type.

fastfeedparser reads a JSON Feed's fields as the spec types them, and one that is not (an
`"author": "me"` as JSON Feed 1.0 producers write it, `"date_published": 12345`, an item that is
no object) raised inside it, losing the whole feed to feedparser's fallback, which then
complained in XML's words. `json_feed_body` normalises the document first: a field that can be
read as meant is (a string author is its name, a numeric id the string the spec coerces it to, a
numeric title, as Hugo's `jsonify` writes `"title": 2024`, its string too), one that cannot is
dropped, and an item that is no object is left out; the other items stay. A document that is no
JSON Feed at all is refused saying so in JSON's terms.

Kept apart from the XML repairs in `bot.ingest.decoding` and `entities`: a JSON document needs
neither those nor its charset sniffed (it is UTF-8 by definition).
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Callable, MutableMapping
from typing import Any

from bot.ingest.entry_cap import EntryCut, keep_newest_items
from bot.ingest.errors import FeedParseError

log = logging.getLogger(__name__)

__all__ = ["is_json", "json_feed_body", "link_external_urls", "without_bom"]

# The fields JSON Feed types as strings, at the top level and in an item.
_FEED_STRINGS = ("title", "home_page_url", "feed_url", "description", "icon", "favicon", "language")
_ITEM_STRINGS = (
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "language",
)


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


def json_feed_body(body: bytes, max_items: int) -> EntryCut:
    """`body`, a JSON document, as a JSON Feed the parsers can read, and how many items were left
    out past its `max_items` newest (`entry_cap.keep_newest_items`): the same bytes when every
    field has its type and no item is left out, else the document again with each field
    normalised or dropped (see the module docstring). The items left out whose id a kept one
    has too come with it (`EntryCut.sharing`), as the cut of an XML document gives them. Raises `FeedParseError` for a document
    that is not valid JSON, or not a JSON Feed (no object, or no list of items)."""
    try:
        data = json.loads(body)
    except ValueError as exc:  # JSONDecodeError, or bytes that are no UTF-8
        raise FeedParseError(f"not valid JSON: {exc}") from exc
    except RecursionError as exc:  # arrays in arrays past the interpreter's stack
        raise FeedParseError("not a JSON Feed: nested too deeply to read") from exc
    if not isinstance(data, dict):
        raise FeedParseError(f"not a JSON Feed: the document is {_kind(data)}, not an object")
    items = data.get("items")
    if items is None and "jsonfeed.org" not in str(data.get("version") or ""):
        raise FeedParseError('not a JSON Feed: it has no "items" and no JSON Feed "version"')
    if items is not None and not isinstance(items, list):
        raise FeedParseError(f'not a JSON Feed: its "items" is {_kind(items)}, not a list')
    # "items": null, in a document whose version says JSON Feed, is the empty list.
    changed = "items" in data and items is None
    changed |= _only(data, "title", _number_as_string)
    changed |= _normalise(data, _FEED_STRINGS)
    objects = [item for item in items or () if isinstance(item, dict)]
    changed |= len(objects) != len(items or ())
    kept = keep_newest_items(objects, max_items)
    changed |= len(kept) != len(objects)
    sharing = _sharing(objects, kept)
    for item in [*kept, *sharing]:
        # A number's string before the strings are checked: `"title": 2024` is a headline.
        changed |= _only(item, "title", _number_as_string)
        changed |= _normalise(item, _ITEM_STRINGS)
        changed |= _only(item, "id", _number_as_string)
        changed |= _only(item, "tags", lambda tags: [t for t in _listed(tags) if _text(t)])
        changed |= _only(item, "attachments", _attachments)
    if not changed:
        return EntryCut(body, 0)
    unread = len(objects) - len(kept)
    names = frozenset(_id(item) for item in sharing)
    shown = None
    if sharing and len(sharing) <= max_items:
        shown = json.dumps({**data, "items": sharing}).encode("ascii")
    data["items"] = kept
    # ASCII escapes: a lone surrogate json read from "\ud800" stays an escape, not bad UTF-8.
    return EntryCut(json.dumps(data).encode("ascii"), unread, names, shown)


def _id(item: dict[str, Any]) -> str:
    # As `entries.shared_ids` reads the parser's id of it.
    value = _number_as_string(item.get("id"))
    return value.strip() if value else ""


def _sharing(objects: list[dict[str, Any]], kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items of `objects` not `kept` whose id a kept one has too."""
    if len(kept) == len(objects):
        return []
    kept_ids = {_id(item) for item in kept} - {""}
    chosen = {id(item) for item in kept}
    return [item for item in objects if id(item) not in chosen and _id(item) in kept_ids]


def _normalise(obj: dict[str, Any], strings: tuple[str, ...]) -> bool:
    """Drop `obj`'s string fields that hold no string, read its authors; whether it changed."""
    changed = False
    for key in strings:
        if key in obj and obj[key] is not None and not isinstance(obj[key], str):
            del obj[key]
            changed = True
    changed |= _only(obj, "authors", _authors)
    changed |= _only(obj, "author", lambda author: next(iter(_authors(author)), None))
    return changed


def _only(obj: dict[str, Any], key: str, read: Callable[[Any], Any]) -> bool:
    """Put `read(obj[key])` in place of `obj[key]`, dropped when it reads as nothing; whether
    that changed it."""
    if key not in obj or obj[key] is None:
        return False
    value = read(obj[key])
    if value == obj[key]:
        return False
    if value in (None, []):
        del obj[key]
    else:
        obj[key] = value
    return True


def _authors(value: Any) -> list[dict[str, Any]]:
    """Authors as JSON Feed 1.1 lists them, objects with a string `name` or `url`: a bare string
    is a name, and anything else is dropped."""
    authors = []
    for author in _listed(value):
        if _text(author):
            authors.append({"name": author})
        elif isinstance(author, dict):
            fields = {k: v for k, v in author.items() if k not in ("name", "url") or _text(v)}
            if _text(fields.get("name")) or _text(fields.get("url")):
                authors.append(fields)
    return authors


def _number_as_string(value: Any) -> str | None:
    """An id or a title: a string, or a number as the string the spec coerces an id to (a
    boolean is none)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _attachments(value: Any) -> list[dict[str, Any]]:
    return [a for a in _listed(value) if isinstance(a, dict) and _text(a.get("url"))]


def _listed(value: Any) -> list[Any]:
    """A list field's entries: the list's, or one value given where a list belongs."""
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _kind(value: Any) -> str:
    """What a JSON value is, in JSON's words: "an array", "a string"."""
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return kinds.get(type(value), "a number")
