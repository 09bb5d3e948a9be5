"""What the parsers do not say about entry titles, read from the document itself.

Neither library tells us which Atom titles the feed marked `type="text"` (fastfeedparser keeps no
type at all; feedparser calls an untyped Atom title text too, though feeds put escaped HTML there
routinely): that is read by one linear scan of the bytes. And fastfeedparser reads a
`type="xhtml"` title as empty, its words being in child elements; with no body either, such an
entry was then dropped as empty. Those are read from the document parsed as fastfeedparser
parses it.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator

from lxml import etree

__all__ = ["MAX_XHTML_TITLE_BYTES", "text_title_flags", "xhtml_titles"]

# An Atom entry's start, or a title's start tag with its attributes (group 2).
_ENTRY_OR_TITLE_RE = re.compile(rb"<(?:[\w.-]+:)?(entry)[\s>/]|<(?:[\w.-]+:)?title(\s[^<>]*)?>")
_TEXT_TYPE_RE = re.compile(rb"""\btype\s*=\s*["']text(?:/plain)?["']""", re.I)
_XHTML_TYPE_RE = re.compile(rb"""<(?:[\w.-]+:)?title\s[^<>]*\btype\s*=\s*["']xhtml["']""", re.I)
# An xhtml title's words are a few hundred characters; a title is cut at 1,000 anyway.
MAX_XHTML_TITLE_BYTES = 64 * 1024
# The namespaces fastfeedparser reads as Atom.
_ATOM_NAMESPACES = frozenset(
    {"http://www.w3.org/2005/Atom", "https://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"}
)
# Elements whose content is no words of the title.
_UNREAD_ELEMENTS = frozenset({"script", "style"})
# Elements whose words are not run into their neighbours' ("One</div><div>Two": "One Two").
_GAP_ELEMENTS = frozenset(
    {"address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "h1", "h2",
     "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th", "tr",
     "ul"}
)  # fmt: skip


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
    """For each of the document's `count` Atom entries in order, its own `type="xhtml"` title's
    text, HTML-escaped for `title_to_text` (the markup gone: the wrapping div, comments and
    processing instructions), or "" for an entry whose title is of another type; None for a
    document with no such title, or when the entries found here are not `count`.

    The document is parsed as fastfeedparser parses it, with lxml's recovering parser, so the
    entries are its entries: a `<title>` inside a `<source>`, a `<media:title>`, or an `<entry>`
    quoted in CDATA or a comment is none of an entry's. It is read in linear time, as a stream
    (`_Titles`), each element dropped once read: 1.8 s CPU for 9.6 MB of one title's 1.2 million
    elements, where feedparser took 108 s, in 2 MiB, where the whole tree took 276 MiB (and
    0.47 s: the price of the bound is the events' Python, about 1.5 us an element)."""
    if b"xhtml" not in body or not _XHTML_TYPE_RE.search(body):
        return None
    reader = _Titles()
    events = etree.iterparse(
        io.BytesIO(body),
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        huge_tree=True,
        collect_ids=False,
        no_network=True,
    )
    try:
        for event, element in events:
            if not reader.read(event, element):
                return None
    except etree.XMLSyntaxError:
        if reader.root is None:
            return None  # no document at all; one cut short keeps the entries read
    if reader.root is None or len(reader.titles) != count:
        return None
    return [html.escape(t, quote=False) for t in reader.titles]


class _Titles:
    """The entries' xhtml titles read from parse events. An xhtml title's words are gathered as
    its elements end: each element's rendering (`_xhtml_text`'s, at most
    `MAX_XHTML_TITLE_BYTES` characters of it) is folded into its parent's, with its tail, once
    the next sibling or the parent ends, and then the element is deleted. Every other element is
    cleared once it ends, the ones before it deleted."""

    def __init__(self) -> None:
        self.root: etree._Element | None = None
        self.namespace: str | None = None
        self.titles: list[str] = []
        # The open entries: each, its place in `titles`, and whether its first title was seen.
        self._entries: list[tuple[etree._Element, int, list[bool]]] = []
        self._title: etree._Element | None = None  # the xhtml title being read
        # Inside `_title`: each open element's words so far, and each ended one's rendering.
        self._words: dict[etree._Element, str] = {}
        self._rendered: dict[etree._Element, str] = {}
        # Whether the title's words already run past the cap: what follows is only dropped.
        self._full = False
        self._unread = 0
        self._entry_tag = self._title_tag = ""
        self._title_place = 0
        # Entries' xhtml titles inside the one being read, and their places in `titles`.
        self._nested: dict[etree._Element, int] = {}

    def read(self, event: str, element: etree._Element) -> bool:
        """Take one event; False for a document that is no Atom feed."""
        if self.root is None:
            self.root = element
            self.namespace = etree.QName(element).namespace
            self._entry_tag = f"{{{self.namespace}}}entry"
            self._title_tag = f"{{{self.namespace}}}title"
            return self.namespace in _ATOM_NAMESPACES
        tag = element.tag
        if event == "start":
            if tag == self._entry_tag:
                self._entries.append((element, len(self.titles), [False]))
                self.titles.append("")
            elif tag == self._title_tag and self._entries:
                self._started_title(element)
            inside = self._title is not None and element is not self._title
            if inside and not self._full and _unread(element):
                self._unread += 1  # words gathered inside never reach the title's
            return True
        if tag == self._entry_tag and self._entries and self._entries[-1][0] is element:
            self._entries.pop()
        if element is self._title:
            self.titles[self._title_place] = self._inner(element)[:MAX_XHTML_TITLE_BYTES]
            self._title = None
            self._full = False
            self._unread = 0
            self._words.clear()
            self._rendered.clear()
            self._nested.clear()
        elif self._title is not None:
            # Past the cap no more is counted: only the cap's crossing asks whether unread.
            if not self._full and _unread(element):
                self._unread -= 1
            if not self._full or self._nested or element in self._words:
                self._ended_in_title(element)
            else:
                self._drop_past_cap(element)
            return True
        if element is not self.root:
            _drop_done(element)
        return True

    def _started_title(self, element: etree._Element) -> None:
        entry, place, titled = self._entries[-1]
        if element.getparent() is not entry or titled[0]:
            return
        titled[0] = True
        if (element.get("type") or "").strip().lower() != "xhtml":
            return
        if self._title is None:
            self._title, self._title_place = element, place
        else:
            # An entry inside the title being read (a recovering parse nests what follows an
            # unclosed tag): its title's words are gathered with the outer one's.
            self._nested[element] = place

    def _ended_in_title(self, element: etree._Element) -> None:
        parent = element.getparent()
        if parent is None:
            return
        self._fold_before(parent, element)
        if isinstance(element, etree._Entity) or not isinstance(element.tag, str):
            return  # its words are its parent's to fold, with its tail
        name = etree.QName(element).localname.lower()
        if name in _UNREAD_ELEMENTS:
            words = ""
        else:
            gap = " " if name in _GAP_ELEMENTS else ""
            inner = self._inner(element)
            if element in self._nested:
                self.titles[self._nested.pop(element)] = inner[:MAX_XHTML_TITLE_BYTES]
            words = gap + inner + gap
        self._rendered[element] = words[: MAX_XHTML_TITLE_BYTES + 1]

    def _inner(self, element: etree._Element) -> str:
        """An ended element's words: its text and its children's, each with its tail."""
        self._fold_before(element, None)
        return self._words.pop(element, element.text or "")

    def _fold_before(self, parent: etree._Element, stop: etree._Element | None) -> None:
        """`parent`'s children before `stop` (all, for None), their tails complete, folded into
        its words and deleted."""
        words = self._words.get(parent)
        if words is None:
            words = parent.text or ""
        # No len(parent): lxml counts the children, and the parser runs some thousands of
        # elements ahead of the events read.
        for node in _children_before(parent, stop):
            rendered = self._rendered.pop(node, "")
            # Past the cap nothing more is read, nor copied again with the words before it.
            if len(words) <= MAX_XHTML_TITLE_BYTES:
                if isinstance(node, etree._Entity):
                    # An undeclared entity libxml2 kept as written, as `&nbsp;`.
                    rendered = html.unescape(node.text or "")
                words = (words + rendered + (node.tail or ""))[: MAX_XHTML_TITLE_BYTES + 1]
            del parent[0]
        self._words[parent] = words
        # The parent's words come before all that is still to end in the title.
        if len(words) > MAX_XHTML_TITLE_BYTES and not self._unread:
            self._full = True

    def _drop_past_cap(self, element: etree._Element) -> None:
        """An element past the cap: emptied, and its siblings before it deleted back to one
        whose words are still to be folded (an ancestor's, from before the cap)."""
        element.clear(keep_tail=True)
        parent = element.getparent()
        if parent is None:
            return
        previous = element.getprevious()
        while previous is not None and previous not in self._rendered:
            parent.remove(previous)
            previous = element.getprevious()


def _unread(element: etree._Element) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag.rpartition("}")[2].lower() in _UNREAD_ELEMENTS


def _children_before(
    parent: etree._Element, stop: etree._Element | None
) -> Iterator[etree._Element]:
    """`parent`'s first child, again and again, while it is not `stop`: the caller deletes each."""
    while True:
        try:
            node = parent[0]
        except IndexError:
            return
        if node is stop:
            return
        yield node


def _drop_done(element: etree._Element) -> None:
    """An ended element's content, and the siblings before it, no longer needed."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
