"""What the parsers do not say about entry titles, read from the document itself.

Neither library tells us which Atom titles the feed marked `type="text"` (fastfeedparser keeps no
type at all; feedparser calls an untyped Atom title text too, though feeds put escaped HTML there
routinely). And fastfeedparser reads a `type="xhtml"` title as empty, its words being in child
elements; with no body either, such an entry was then dropped as empty.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from typing import Any

import feedparser

log = logging.getLogger(__name__)

__all__ = ["text_title_flags", "xhtml_titles"]

# An Atom entry's start, or a title's start tag with its attributes (group 2).
_ENTRY_OR_TITLE_RE = re.compile(rb"<(?:[\w.-]+:)?(entry)[\s>/]|<(?:[\w.-]+:)?title(\s[^<>]*)?>")
_TEXT_TYPE_RE = re.compile(rb"""\btype\s*=\s*["']text(?:/plain)?["']""", re.I)
_XHTML_TYPE_RE = re.compile(rb"""<(?:[\w.-]+:)?title\s[^<>]*\btype\s*=\s*["']xhtml["']""", re.I)


def text_title_flags(body: bytes, count: int) -> list[bool] | None:
    """For each of the document's `count` Atom entries in order, whether its title is marked
    `type="text"`; None when no title is, or when the entries found here are not `count` (the
    scan and the parser disagree on what the entries are, so no flag could be trusted)."""
    if not _TEXT_TYPE_RE.search(body):
        return None
    flags: list[bool] = []
    titled = True  # a title before the first entry is the feed's own
    for match in _ENTRY_OR_TITLE_RE.finditer(body):
        if match.group(1):
            flags.append(False)
            titled = False
        elif not titled:
            # The entry's first title: a later one belongs to a <source> or quoted markup.
            flags[-1] = bool(_TEXT_TYPE_RE.search(match.group(2) or b""))
            titled = True
    if len(flags) != count or not any(flags):
        return None
    return flags


def xhtml_titles(body: bytes, count: int) -> list[str] | None:
    """The `count` entries' titles as feedparser reads them (XHTML serialised as HTML), for a
    document with `type="xhtml"` titles; None for any other, or when feedparser finds another
    number of entries (then which title is whose is not known)."""
    if not _XHTML_TYPE_RE.search(body):
        return None
    try:
        raw = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    except Exception:  # the fast parse stands; this only fills in what it left out
        log.debug("feedparser could not read the xhtml titles", exc_info=True)
        return None
    entries: list[Mapping[str, Any]] = raw.get("entries") or []
    if len(entries) != count:
        return None
    return [str(entry.get("title") or "") for entry in entries]
