"""HTML entities and stray ampersands repaired before either parser sees a document
(`repair_entities`), outside its CDATA sections and comments (`verbatim_sections`).

Feeds are written by templates that think in HTML: `&nbsp;`, `&hellip;`, `Johnson & Johnson`, a
link's `?id=42&section=world`. None of those is XML, and both parsers' recovery loses text over
it: fastfeedparser (libxml2 in recover mode) drops the rest of the element after the bad `&`, so
'Fed&nbsp;raises rates' came out as 'Fed', and no error is left for the feedparser fallback to be
tried on. Rewriting the few bad ampersands is cheaper than any fallback parse: an HTML named entity
becomes its numeric character reference and anything else a literal `&amp;`, which is what a
browser would show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.entities import html5

__all__ = ["repair_entities", "verbatim_sections"]

# An `&` that does not start a reference XML knows: a named one (group 1) or a bare `&`. Most
# documents have none (outside CDATA), and one search tells so without building anything.
_FIX_RE = re.compile(
    rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8});)([A-Za-z][A-Za-z0-9]{0,31};)?"
)
_DECLARED_RE = re.compile(rb"<!ENTITY\s+([^\s%\"'>]+)")
_NUMERIC: dict[bytes, bytes] = {
    name.encode("ascii"): "".join(f"&#{ord(c)};" for c in text).encode("ascii")
    for name, text in html5.items()
    if name.endswith(";")
}


def repair_entities(body: bytes, *, view: bytes | None = None) -> bytes:
    """`body` with every `&` that XML would refuse rewritten: an HTML named entity as numeric
    character references, any other as `&amp;`. Entities the document declares in its own DTD,
    and everything inside CDATA sections and comments, are left alone.

    Only for documents in an ASCII-compatible encoding (UTF-8 and the single-byte ones): in
    UTF-16 or UTF-32 these byte patterns are not what they look like. An ISO-2022 document is
    read through `view`, its ASCII text with the rest blanked (`bot.ingest.iso_2022`), as long
    as `body`: what is found there is rewritten in `body` at the same offsets, so no byte of
    its two-byte characters is touched.
    """
    seen = body if view is None else view
    if not _FIX_RE.search(seen) or b"\x00" in seen[:4]:
        return body
    declared = set(_DECLARED_RE.findall(seen[:65536])) if b"<!ENTITY" in seen else set()

    def fix(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name is None:
            return b"&amp;"
        if name[:-1] in declared:
            return match.group(0)
        return _NUMERIC.get(name) or b"&amp;" + name

    parts: list[bytes] = []
    pos = 0
    for start, end in verbatim_sections(seen):
        _fix_between(seen, body, pos, start, fix, parts)
        parts.append(body[start:end])
        pos = end
    _fix_between(seen, body, pos, len(body), fix, parts)
    return b"".join(parts)


def _fix_between(
    seen: bytes,
    body: bytes,
    start: int,
    end: int,
    fix: Callable[[re.Match[bytes]], bytes],
    parts: list[bytes],
) -> None:
    """`body[start:end]` onto `parts`, each `&` found in `seen` there rewritten by `fix`."""
    pos = start
    for match in _FIX_RE.finditer(seen, start, end):
        parts.append(body[pos : match.start()])
        parts.append(fix(match))
        pos = match.end()
    parts.append(body[pos:end])


def verbatim_sections(body: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each CDATA section and comment, in order; one left open runs to the end
    of the document. Found with `find`, so a document of unclosed openers stays linear (a lazy
    regex would scan to the end from every one of them)."""
    pos = 0
    while (start := body.find(b"<!", pos)) >= 0:
        if body.startswith(b"<![CDATA[", start):
            close, skip = body.find(b"]]>", start + 9), 3
        elif body.startswith(b"<!--", start):
            close, skip = body.find(b"-->", start + 4), 3
        else:
            pos = start + 2
            continue
        end = len(body) if close < 0 else close + skip
        yield start, end
        pos = end
