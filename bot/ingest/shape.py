"""Documents that are not a feed, or not a whole one: a web page added where its feed belongs,
and a feed cut off before its end. Both were misreported: a page as the parser's own complaint
("syntax error … Content appears to be HTML"), a truncated feed as a healthy one with no items.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# The start of an HTML page, past a BOM, whitespace, comments and a doctype: what no feed opens
# with (an XHTML-bodied Atom entry sits inside <feed>, never at the top).
_HTML_START = re.compile(rb"\A(?:\s|<!--.*?-->)*(?:<!doctype\s+html\b|<html\b)", re.I | re.S)
# The first element of an XML document: not a declaration, processing instruction or comment.
_ROOT = re.compile(rb"<(?![?!/])([A-Za-z_][\w:.\-]*)")
# Feed formats a page may advertise with <link rel="alternate" type="…" href="…">.
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
WEB_PAGE = "a web page, not a feed: add the feed's address"


def web_page_problem(body: bytes, url: str | None) -> str | None:
    """What to say about `body` when it is a web page, naming the feed it advertises if any."""
    if not _HTML_START.match(body):
        return None
    feeds = advertised_feeds(body, url)
    if not feeds:
        return f"{WEB_PAGE} (the page names none)"
    return f"{WEB_PAGE}; the page names its feed: {feeds[0]}"


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
    what came before, silently. None for a whole document (or one with no root to speak of)."""
    root = _ROOT.search(body)
    if root is None:
        return None
    name = root.group(1)
    if body.rfind(b"</" + name, root.end()) == -1:
        return f"</{name.decode('ascii', 'replace')}>"
    return None
