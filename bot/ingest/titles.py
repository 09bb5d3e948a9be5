"""What the parsers do not say about entry titles, read from the document itself.

Neither library tells us which Atom titles the feed marked `type="text"` (fastfeedparser keeps no
type at all; feedparser calls an untyped Atom title text too, though feeds put escaped HTML there
routinely). And fastfeedparser reads a `type="xhtml"` title as empty, its words being in child
elements; with no body either, such an entry was then dropped as empty. Both are read here by one
linear scan of the bytes.
"""

from __future__ import annotations

import html
import re

__all__ = ["MAX_XHTML_TITLE_BYTES", "text_title_flags", "xhtml_titles"]

# An Atom entry's start, or a title's start tag with its attributes (group 2).
_ENTRY_OR_TITLE_RE = re.compile(rb"<(?:[\w.-]+:)?(entry)[\s>/]|<(?:[\w.-]+:)?title(\s[^<>]*)?>")
_TEXT_TYPE_RE = re.compile(rb"""\btype\s*=\s*["']text(?:/plain)?["']""", re.I)
_XHTML_TYPE_RE = re.compile(rb"""<(?:[\w.-]+:)?title\s[^<>]*\btype\s*=\s*["']xhtml["']""", re.I)
_XHTML_ATTR_RE = re.compile(rb"""\btype\s*=\s*["']xhtml["']""", re.I)
# A title's end tag: its name and ">" (a literal, found fast), then the "</" or "</atom:" before.
_TITLE_NAME_END_RE = re.compile(rb"title\s*>")
_END_TAG_OPENING_RE = re.compile(rb"</(?:[\w.-]+:)?")
# An xhtml title's words are a few hundred bytes of markup; a title is cut at 1,000 characters.
MAX_XHTML_TITLE_BYTES = 64 * 1024
# The div an xhtml title's markup is wrapped in (RFC 4287 3.1.1.3), which is not part of it.
_DIV_START_RE = re.compile(r"\s*<(?:[\w.-]+:)?div(?:\s[^<>]*)?>")
_DIV_END_RE = re.compile(r"</(?:[\w.-]+:)?div\s*>\s*\Z")
# A tag's namespace prefix: feedparser writes XHTML's elements by their local names.
_PREFIX_RE = re.compile(r"<(/?)[\w.-]+:(?=[\w])")


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
    """For each of the document's `count` Atom entries in order, its `type="xhtml"` title's
    markup as HTML (the wrapping div gone, no namespace prefixes, CDATA as escaped text: what
    `title_to_text` reads as it read feedparser's serialisation), or "" for an entry whose title
    is of another type; None for a document with no such title, or when the entries found here
    are not `count`.

    Read from each title's own bytes in one linear pass, at most `MAX_XHTML_TITLE_BYTES` of it:
    feedparser parsing the whole document for them took 108 s on a 9.9 MB feed whose one title
    held a million elements."""
    if b"xhtml" not in body or not _XHTML_TYPE_RE.search(body):
        return None
    titles: list[str] = []
    titled = True  # a title before the first entry is the feed's own
    pos = 0
    while match := _ENTRY_OR_TITLE_RE.search(body, pos):
        pos = match.end()
        if match.group(1):
            titles.append("")
            titled = False
        elif not titled:
            # The entry's first title: a later one belongs to a <source> or quoted markup.
            titled = True
            if _XHTML_ATTR_RE.search(match.group(2) or b""):
                # Its end found by its name alone, so its markup is passed over at the speed of
                # a substring search, however many elements it holds.
                end = _title_end(body, pos)
                stop = min(pos + MAX_XHTML_TITLE_BYTES, len(body) if end is None else end[0])
                cut = stop < (len(body) if end is None else end[0])
                titles[-1] = _xhtml_markup(body[pos:stop], cut=cut)
                if end is None:
                    break  # never closed: the rest of the document is inside it
                pos = end[1]
    if len(titles) != count:
        return None
    return titles


def _title_end(body: bytes, pos: int) -> tuple[int, int] | None:
    """Where the first `</title>` (of any prefix) after `pos` starts and ends, or None."""
    for match in _TITLE_NAME_END_RE.finditer(body, pos):
        tag = body.rfind(b"<", max(pos, match.start() - 64), match.start())
        if tag >= 0 and _END_TAG_OPENING_RE.fullmatch(body, tag, match.start()):
            return tag, match.end()
    return None


def _xhtml_markup(markup: bytes, *, cut: bool) -> str:
    """An xhtml title's markup (`cut` when it went on past these bytes) as HTML: `title_to_text`
    then drops its inline tags as from any title's."""
    text = markup.decode("utf-8", "replace")
    if cut and text.rfind("<") > text.rfind(">"):
        text = text[: text.rfind("<")]  # no half tag left to read as text
    text = _cdata_escaped(text)
    wrapper = _DIV_START_RE.match(text)
    if wrapper:
        text = text[wrapper.end() :]
        closing = _DIV_END_RE.search(text)
        if closing:
            text = text[: closing.start()]
    return _PREFIX_RE.sub(r"<\1", text).strip()


def _cdata_escaped(text: str) -> str:
    """`text` with its CDATA sections as escaped text, found with `find` so that a run of
    unclosed openers stays linear; an unclosed one is left as it is."""
    if "<![CDATA[" not in text:
        return text
    parts: list[str] = []
    pos = 0
    while (start := text.find("<![CDATA[", pos)) >= 0:
        end = text.find("]]>", start + 9)
        if end < 0:
            break
        parts += [text[pos:start], html.escape(text[start + 9 : end], quote=False)]
        pos = end + 3
    parts.append(text[pos:])
    return "".join(parts)
