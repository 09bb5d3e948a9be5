"""The C0 control characters XML forbids, dropped from feed bytes whose encoding
`bot.ingest.decoding.to_utf8` has settled (`drop_controls`), and whether a GUID or link held a
terminal code an older version kept (`codes_in_names`)."""

from __future__ import annotations

import re

from bot.ingest.decoding import BOMS, left_in_iso_2022
from bot.ingest.iso_2022 import ascii_view
from bot.ingest.jsonfeed import is_json

__all__ = ["codes_in_names", "drop_controls"]

# The C0 controls XML 1.0 forbids (all but tab, newline and carriage return). One of them in an
# entry's escaped HTML sends libxml2's recovery astray for the rest of that text: its markup came
# out as words ("Monday./pblockquoteBest ..."), and the TL;DR read "PThe ...".
# Vertical tab and form feed part words ("Page\x0cbreak"): they become spaces, not nothing.
_C0 = bytes([*range(0x09), *range(0x0E, 0x20)])
_SPACES = bytes.maketrans(b"\x0b\x0c", b"  ")
# But not in an identifier or a link, where they go as everything else does (and as libxml2
# dropped them before): a space would give a named GUID ("item\x0c-42") a new value, posting
# its stored entry again, and break a URL. An element's attributes and its text, CDATA or not.
_NAMES_RE = re.compile(
    rb"<(?:[\w.-]+:)?(?:guid|id|link|origLink)(?=[\s/>])[^<]*(?:<!\[CDATA\[[^\]]*)?"
)
# A terminal code goes whole, since without its ESC the rest is text: a colour or cursor code
# ("\x1b[31m"), and an OSC sequence ("\x1b]8;;https://x.example/\x07", a hyperlink's start or
# end, ended by BEL or ESC \), whose link text between the two is kept.
_TERMINAL_RE = re.compile(rb"\x1b(?:\[[0-9;]{0,32}[A-Za-z]|\][^\x07\x1b]{0,2048}(?:\x07|\x1b\\))")


def drop_controls(body: bytes) -> bytes:
    """`body` without the C0 control characters XML forbids, which no feed means as text (a
    vertical tab or form feed becomes a space outside GUIDs and links, a terminal code goes
    whole: `_TERMINAL_RE`).

    Only for documents in an ASCII-compatible encoding, as `to_utf8` leaves them: there a byte
    under 0x20 is that control and never part of another character, so what is left decodes
    as before (UTF-16 and UTF-32 are UTF-8 by then: `wide_encodings`). In a document still declared ISO-2022
    (`left_in_iso_2022`), where ESC, SO and SI switch the character set, only its ASCII text
    is read (`_drop_in_ascii_text`)."""
    if body.startswith(BOMS) or b"\x00" in body[:4]:
        return body
    if left_in_iso_2022(body):
        return _drop_in_ascii_text(body)
    if b"\x1b" in body:
        body = _TERMINAL_RE.sub(b"", body)
    if b"\x0b" in body or b"\x0c" in body:
        body = _NAMES_RE.sub(lambda m: m.group().translate(None, b"\x0b\x0c"), body)
    return body.translate(_SPACES, _C0)


# The controls `_C0` drops that may be text in ISO-2022, where ESC, SO and SI switch sets.
_TEXT_CONTROL_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x10-\x1a\x1c-\x1f]")


def _drop_in_ascii_text(body: bytes) -> bytes:
    """`drop_controls` for a document left in ISO-2022, in its ASCII text (`ascii_view`) alone:
    a byte of a two-byte character may be any 7-bit one, and iconv reads its ESC, SO and SI.
    After a vertical tab in an entry's ASCII, libxml2 read the rest of its escaped HTML as text
    ("p市政府...。/p"). Terminal codes are not looked for: their ESC would switch sets."""
    if not _TEXT_CONTROL_RE.search(body):
        return body  # most such documents: no view to build
    view = ascii_view(body)
    if not _TEXT_CONTROL_RE.search(view):
        return body
    names = (
        [m.span() for m in _NAMES_RE.finditer(view)] if b"\x0b" in view or b"\x0c" in view else []
    )
    parts: list[bytes] = []
    pos = 0
    name = 0
    for control in _TEXT_CONTROL_RE.finditer(view):
        at = control.start()
        parts.append(body[pos:at])
        while name < len(names) and names[name][1] <= at:
            name += 1
        in_name = name < len(names) and names[name][0] <= at
        if body[at] in (0x0B, 0x0C) and not in_name:
            parts.append(b" ")
        pos = at + 1
    parts.append(body[pos:])
    return b"".join(parts)


def codes_in_names(body: bytes) -> bool:
    """Whether a GUID, id or link of `body` (as read, before `drop_controls`) holds a terminal
    code: older versions kept all of it but the ESC ("notice-[31m42"), which `drop_controls`
    now drops whole, so that entry's GUID changed. In a JSON Feed, any terminal code."""
    if b"\x1b" not in body or not _TERMINAL_RE.search(body):
        return False
    if is_json(body):
        return True
    return any(_TERMINAL_RE.search(name.group()) for name in _NAMES_RE.finditer(body))
