"""OPML import and export, the lingua franca of feed-reader subscriptions.

Import walks nested outlines (folders) and keeps every outline with an http(s) `xmlUrl`,
titled by `title` or else `text`, with the enclosing folder as its category; every other outline
with an `xmlUrl`, marked a feed (`type="rss"`) without one, or naming only a site (`htmlUrl`), is
reported as skipped, with the reason, so an import can account for each. A URL listed twice is
found in the spellings the store compares as one (`HTTP://Example.com:80/feed` is
`http://example.com/feed`, `bot.feedurls.normalize_feed_url`); a trailing `/` or the path's case
is another URL, which a server may answer otherwise, so both are imported. The XML parser resolves no entities, loads no DTD and refuses inline
ones: an OPML file is user input. A file that is not UTF-8 and declares no encoding is read as
feeds are (`bot.ingest.decoding`), and the guess is said.

A feed's poll interval travels in a namespaced attribute of its outline,
`newsdigest:interval="7200"` (seconds), which other readers ignore; read back, it is clamped to
the bounds `feeds add --interval` accepts, and an unreadable one is left out (the default).

So does the name a feed is configured under, `newsdigest:name` (empty for none). OPML needs a
`text` on every outline, so an export writes the feed's own title where no name is set; read back
as a name, that title would be fixed (the site-name cut "Omega Times - World" → "Omega Times"
would stop applying, a later retitling be ignored), so a round trip would change the cards. An
outline without the attribute (another reader's file, an older export) has its title taken for
the name, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from bot.config_values import MAX_INTERVAL, MIN_INTERVAL
from bot.feedurls import normalize_feed_url
from bot.ingest.attributes import crowded_element
from bot.ingest.decoding import file_to_utf8
from bot.ingest.errors import OpmlError
from bot.ingest.normalize import xml_text
from bot.ingest.shape import WEB_PAGE

__all__ = [
    "MAX_OPML_BYTES",
    "OpmlError",
    "OpmlFeed",
    "OpmlSkip",
    "export_opml",
    "parse_opml",
    "read_opml",
]


@dataclass(slots=True, frozen=True)
class OpmlFeed:
    url: str
    title: str | None = None
    html_url: str | None = None
    category: str | None = None  # the enclosing outline's title, for nested (folder) exports
    interval: int | None = None  # poll interval in seconds (newsdigest:interval), None: default
    # The configured name (newsdigest:name, None: none), when `named`: the outline carries one.
    name: str | None = None
    named: bool = False


# An OPML file read at most: 10,000 feeds make about 2 MB. A bigger file is refused unread.
MAX_OPML_BYTES = 20_000_000

# The namespace of newsdigest's own outline attributes (a name, never fetched).
NEWSDIGEST_NS = "https://newsdigest.invalid/opml"
_INTERVAL_ATTR = f"{{{NEWSDIGEST_NS}}}interval"
_NAME_ATTR = f"{{{NEWSDIGEST_NS}}}name"


@dataclass(slots=True, frozen=True)
class OpmlSkip:
    url: str
    reason: str


@dataclass(slots=True)
class OpmlContents:
    feeds: list[OpmlFeed]
    skipped: list[OpmlSkip]
    # The encoding the file was read in when it had to be guessed (its bytes are not UTF-8 and
    # it declares none), for the import to say; None when the file said, or is UTF-8.
    guessed_encoding: str | None = None


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )


def _attr(el: etree._Element, name: str) -> str | None:
    # Exporters disagree on case (xmlUrl, xmlurl, XMLURL); accept any. Looked up by name, the
    # other spellings among the names alone: lxml's `attrib.items()` finds each value by a
    # search of the attributes, quadratic in them (20,000 on one outline: 18.6 s).
    value = el.get(name)
    if value is None:
        lowered = name.lower()
        # keys(), not the element itself: iterating an element yields its children.
        key = next((k for k in el.keys() if str(k).lower() == lowered), None)  # noqa: SIM118
        value = el.get(key) if key is not None else None
    text = str(value).strip() if value is not None else ""
    return text or None


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Feeds listed in an OPML document, in document order, first occurrence of each URL."""
    return read_opml(data).feeds


def read_opml(data: bytes) -> OpmlContents:
    """`parse_opml`, plus each feed outline it left out and why."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("parse_opml takes the file's bytes")
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(
            f"the file is over {MAX_OPML_BYTES // 1_000_000} MB, more than any list of feeds"
            " (10,000 feeds make about 2 MB): is it an OPML file?"
        )
    # An old reader's export is often windows-1252 with no declaration, which XML takes for
    # UTF-8 and refuses; the feeds' charset rules decide, so both read a file's bytes alike.
    text, guessed = file_to_utf8(bytes(data))
    if crowded := crowded_element(text):
        raise OpmlError(str(crowded))  # before lxml: reading its attributes is quadratic
    try:
        root = etree.fromstring(text, _safe_parser())
    except etree.XMLSyntaxError as exc:
        hint = ""
        if "encoding" in str(exc).lower() and not _utf8(text):
            hint = (
                " (the file is not UTF-8 and its encoding could not be guessed: save it as"
                ' UTF-8, or declare it: <?xml version="1.0" encoding="..."?>)'
            )
        raise OpmlError(f"not well-formed XML {_syntax_error(exc)}{hint}") from exc
    if root is None:
        raise OpmlError("empty document")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(dtd.iterentities(), None) is not None:
        # Entity declarations are how "billion laughs" documents work; OPML never needs them.
        raise OpmlError("OPML declaring entities in an inline DTD is refused")
    if etree.QName(root).localname.lower() != "opml":
        raise OpmlError("not an OPML document (root element is not <opml>)")
    body = next((c for c in root if etree.QName(c).localname.lower() == "body"), None)
    if body is None:
        raise OpmlError("OPML document has no <body>")
    contents = OpmlContents(feeds=[], skipped=[], guessed_encoding=guessed)
    _walk(body, None, contents, {})
    return contents


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Outline types readers write for a subscription (OPML 2.0 names "rss"; others use these).
_FEED_TYPES = frozenset({"rss", "atom", "feed", "json", "jsonfeed"})


# libxml2's words for the commonest slip in a hand-edited OPML file, in an operator's.
_PLAIN_WORDS = {"xmlParseEntityRef: no name": "an & that starts no entity (write it as &amp;)"}
_WHERE_RE = re.compile(r", line \d+, column \d+$")


def _syntax_error(exc: etree.XMLSyntaxError) -> str:
    """'at line 1, column 62: …': lxml's own str() said the place three times over ("line 1,
    line 1, column 62 (<string>, line 1)")."""
    message = _WHERE_RE.sub("", exc.msg or "").strip()
    message = _PLAIN_WORDS.get(message, message)
    line, column = exc.position if exc.position else (exc.lineno, 0)
    where = f"at line {line}, column {column}" if column else f"at line {line}"
    return f"{where}: {message}" if message else where


def _is_outline(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and etree.QName(el).localname.lower() == "outline"


def _walk(
    parent: etree._Element, category: str | None, out: OpmlContents, seen: dict[str, str]
) -> None:
    """Feeds and skips under `parent`; `seen` maps each feed URL's one spelling
    (`normalize_feed_url`) to the spelling it was first listed in."""
    for el in parent:
        if not _is_outline(el):
            continue
        title = _attr(el, "title") or _attr(el, "text")
        url = _attr(el, "xmlUrl")
        page = _attr(el, "htmlUrl")
        if not url and page and not any(_is_outline(c) for c in el):
            # A site without its feed (a bookmark, or a reader's lost subscription). Its feed
            # could be discovered from the page, but an import fetches nothing: said instead.
            out.skipped.append(OpmlSkip(page, WEB_PAGE))
        elif not url and (_attr(el, "type") or "").lower() in _FEED_TYPES:
            # Marked as a feed but with nothing to poll: said, so the counts add up.
            outline = f"outline {title!r}" if title else "an outline"
            out.skipped.append(OpmlSkip(outline, "a feed outline without an xmlUrl"))
        elif url:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme not in ("http", "https"):
                reason = f"unsupported scheme {scheme}:" if scheme else "not an absolute URL"
                out.skipped.append(OpmlSkip(url, f"{reason} (only http and https)"))
            elif (first := seen.get(normalize_feed_url(url))) is not None:
                # Compared as stored: HTTP://Example.com:80/feed is http://example.com/feed.
                again = "" if first == url else f" (first as {first})"
                out.skipped.append(OpmlSkip(url, f"listed twice in the file{again}"))
            else:
                seen[normalize_feed_url(url)] = url
                interval = _interval(el.get(_INTERVAL_ATTR))
                marked = el.get(_NAME_ATTR)
                name = (marked.strip() or None) if marked is not None else None
                out.feeds.append(
                    OpmlFeed(
                        url,
                        title,
                        _attr(el, "htmlUrl"),
                        category,
                        interval,
                        name,
                        named=marked is not None,
                    )
                )
        # Children of a feed outline are unusual but legal; they inherit the nearest folder.
        _walk(el, category if url else (title or category), out, seen)


def _interval(value: str | None) -> int | None:
    """An outline's newsdigest:interval in seconds, clamped to what `feeds add` accepts."""
    try:
        seconds = int((value or "").strip())
    except ValueError:
        return None
    return min(max(seconds, MIN_INTERVAL), MAX_INTERVAL)


def export_opml(feeds: Sequence[OpmlFeed], title: str = "newsdigest feeds") -> bytes:
    """OPML 2.0 with one folder outline per category, feeds without one at the top level.

    Characters XML cannot carry are dropped from every title and URL, so one odd feed title
    cannot make the whole export fail."""
    root = etree.Element("opml", version="2.0", nsmap={"newsdigest": NEWSDIGEST_NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = xml_text(title)
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for feed in feeds:
        parent = body
        category = xml_text(feed.category or "")
        if category:
            parent = folders.get(category)
            if parent is None:
                parent = etree.SubElement(body, "outline", text=category, title=category)
                folders[category] = parent
        url = xml_text(feed.url)
        name = xml_text(feed.title or "").strip() or url
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": url}
        if feed.html_url:
            attrs["htmlUrl"] = xml_text(feed.html_url)
        if feed.interval is not None:
            attrs[_INTERVAL_ATTR] = str(feed.interval)
        if feed.named:
            attrs[_NAME_ATTR] = xml_text(feed.name or "").strip()
        etree.SubElement(parent, "outline", attrs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
