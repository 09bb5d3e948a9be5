"""Documents that are not a feed, or not a whole one: a web page added where its feed belongs,
and a feed cut off before its end. Both were misreported: a page as the parser's own complaint
("syntax error … Content appears to be HTML"), a truncated feed as a healthy one with no items.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import chain
from urllib.parse import urljoin, urlsplit

from bot.feedurls import normalize_feed_url
from bot.ingest.entities import verbatim_sections

# The start of an HTML page, once whitespace and comments are passed: what no feed opens with
# (an XHTML-bodied Atom entry sits inside <feed>, never at the top).
_HTML_OPENING = re.compile(rb"<!doctype\s+html\b|<html\b", re.I)
_SPACE = re.compile(rb"\s*")
# An element's name, up to what ends it (non-ASCII letters are legal in XML names).
_NAME = re.compile(rb"[A-Za-z_:\x80-\xff][^\s/>]*")
# Where markup may begin: a stray "<" (text, or "</x>" before any element) is passed over in C,
# not one loop turn each.
_MARKUP = re.compile(rb"<[!?A-Za-z_:\x80-\xff]")
# Feed formats a page may advertise with <link rel="alternate" type="…" href="…">.
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
WEB_PAGE = "a web page, not a feed: add the feed's address"


def web_page_problem(body: bytes, url: str | None, polled_url: str | None = None) -> str | None:
    """What to say about `body` when it is a web page, naming the feed it advertises if any.
    `url` is where the page came from, `polled_url` the address asked for when a redirect led
    there: a page naming either as its feed (a maintenance page served at the feed's address)
    names nothing worth adding."""
    if not _opens_as_html(body):
        return None
    own = {_same_address(u) for u in (url, polled_url) if u}
    feeds = [f for f in advertised_feeds(body, url) if _same_address(f) not in own]
    if not feeds:
        return f"{WEB_PAGE} (the page names none)"
    return f"{WEB_PAGE}; the page names its feed: {feeds[0]}"


def _opens_as_html(body: bytes) -> bool:
    """Whether `body`, past whitespace and comments, opens with an HTML doctype or <html>.
    Comments are passed with `find`: a pattern `(?:<!--.*?-->)*` tried every way of grouping a
    run of comments, so forty empty ones at the top of a hostile feed held the GIL for minutes."""
    pos = 0
    while True:
        space = _SPACE.match(body, pos)
        pos = space.end() if space else pos
        if not body.startswith(b"<!--", pos):
            return _HTML_OPENING.match(body, pos) is not None
        pos = _past(body, b"-->", pos + 4)
        if pos < 0:
            return False


def advertised_feeds(body: bytes, url: str | None) -> list[str]:
    """The http(s) feed addresses a page advertises in its <link rel="alternate"> tags, resolved
    against `url`, in the page's order."""
    finder = _FeedLinks()
    try:
        finder.feed(body[:1_000_000].decode("utf-8", "replace"))
        finder.close()
    except Exception:  # html.parser copes with nearly anything; a page is no reason to fail
        pass
    found: list[str] = []
    for href in finder.hrefs:
        absolute = urljoin(url or "", href.strip())
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in found:
            found.append(absolute)
    return found


def _same_address(url: str) -> str:
    # Stored feeds' one spelling, less what sites answer alike: "/feed/" and "/feed", and
    # http:// and https:// (the one redirects to the other).
    normal = normalize_feed_url(url).partition("://")[2]
    path, query_mark, query = normal.partition("?")
    return path.rstrip("/") + query_mark + query


class _FeedLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name: (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").split(";")[0].strip().lower()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            self.hrefs.append(values["href"])


def missing_end(body: bytes) -> str | None:
    """The closing tag an XML feed lacks, e.g. "</rss>", when the document stops before its
    root element's end (a download cut short, a publisher's crashed script): the parsers keep
    what came before, silently. None for a whole document, one whose root closes itself
    (`<rss version="2.0"/>`), or one with no root to speak of (`_PROLOGUE_LIMIT`)."""
    found = _root(body)
    if found is None:
        return None
    name, tag_end = found
    missing = f"</{name.decode('utf-8', 'replace')}>"
    if tag_end < 0:
        return missing  # cut inside the root's own start tag
    if body[tag_end - 1 : tag_end] == b"/":
        return None
    close = body.rfind(b"</" + name, tag_end)
    # A closing tag cut before its ">" lost nothing; "</rss2>" is another element's.
    after = body[close + 2 + len(name) : close + 3 + len(name)]
    if close < 0 or not (after in (b"", b">") or after.isspace()):
        return missing
    return None


# An entry's start and end tags in RSS/RDF (<item>) and Atom (<entry>), with or without a
# namespace prefix (<atom:entry>). A closing tag cut before its ">" closed its entry.
_ENTRY_TAG = re.compile(
    rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]|</(?:[\w.-]+:)?(?:item|entry)(?:[\s>]|\Z)"
)


def cut_entry_starts(body: bytes) -> int | None:
    """The number of entry start tags in a cut-off feed that stops inside its last entry (an
    <item> or <entry> opened after the last one closed): that entry is the last of as many.
    None when it stops between entries. Tags inside CDATA sections and comments are an entry's
    text ("<![CDATA[use <item> tags]]>"), not counted; the sections are passed with `find`."""
    starts = 0
    inside = False
    pos = 0
    for start, end in chain(verbatim_sections(body), [(len(body), len(body))]):
        for tag in _ENTRY_TAG.finditer(body, pos, start):
            inside = tag.group()[1:2] != b"/"
            starts += inside
        pos = end
    return starts if inside else None


def entry_cut_through(body: bytes, parsed_entries: int) -> bool:
    """Whether a cut-off feed stops inside its last entry and the parser made an entry of that
    part: the last of `parsed_entries`, when it holds one entry per start tag. Its text ends
    mid-sentence: no entry to store yet."""
    return cut_entry_starts(body) == parsed_entries


# How far into a document its root element may start. A real prologue (declaration, stylesheet,
# a licence comment, a doctype) is a few hundred bytes; each of its parts costs a loop turn here,
# so ten megabytes of "<?x?>" took seconds of every poll. Past this the root is not looked for:
# no cut is reported, and the document is read as the parsers find it.
_PROLOGUE_LIMIT = 64 * 1024


def root_name(body: bytes) -> bytes | None:
    """The root element's name as written ("rss", "atom:feed"), None when not found (`_root`)."""
    found = _root(body)
    return found[0] if found else None


def _root(body: bytes) -> tuple[bytes, int] | None:
    """The root element's name and the index of the `>` ending its start tag (-1 when the
    document stops inside it). The prologue is skipped whole, since any part of it may mention
    a tag ("<!-- entries use <br> -->"): the XML declaration and processing instructions,
    comments, the doctype, CDATA. Found with `find` (and a one-byte look for "<"), never a lazy
    regex, so a hostile run of unclosed openers stays linear. None when the root does not start
    within `_PROLOGUE_LIMIT` bytes."""
    pos = 0
    while found := _MARKUP.search(body, pos, _PROLOGUE_LIMIT):
        start = found.start()
        if body.startswith(b"<!--", start):
            pos = _past(body, b"-->", start + 4)
        elif body.startswith(b"<![CDATA[", start):
            pos = _past(body, b"]]>", start + 9)
        elif body.startswith(b"<?", start):
            pos = _past(body, b"?>", start + 2)
        elif body.startswith(b"<!", start):
            pos = _past_doctype(body, start + 2)
        else:
            name = _NAME.match(body, start + 1)
            assert name is not None  # _MARKUP saw its first character
            return name.group(), _start_tag_end(body, name.end())
        if pos < 0:
            return None  # the prologue never ends: no root to speak of
    return None


def _past(body: bytes, close: bytes, pos: int) -> int:
    end = body.find(close, pos)
    return -1 if end < 0 else end + len(close)


def _past_doctype(body: bytes, pos: int) -> int:
    """Past a `<!DOCTYPE …>` begun before `pos`, with its internal subset in [brackets], whose
    entity and element declarations end in `>` of their own."""
    end = body.find(b">", pos)
    bracket = body.find(b"[", pos, len(body) if end < 0 else end)
    if bracket < 0:
        return -1 if end < 0 else end + 1
    close = body.find(b"]", bracket + 1)
    return -1 if close < 0 else _past(body, b">", close + 1)


def _start_tag_end(body: bytes, pos: int) -> int:
    """The index of the `>` ending the start tag whose attributes begin at `pos`, past quoted
    values (which may hold a `>`); -1 when the document stops first. Each search stops at the
    nearest candidate found so far, so no byte is scanned more than a few times."""
    gt = body.find(b">", pos)
    while gt >= 0:
        double = body.find(b'"', pos, gt)
        single = body.find(b"'", pos, gt if double < 0 else double)
        quote = single if single >= 0 else double
        if quote < 0:
            return gt
        pos = body.find(body[quote : quote + 1], quote + 1)
        if pos < 0:
            return -1
        pos += 1
        if pos > gt:
            gt = body.find(b">", pos)
    return -1
