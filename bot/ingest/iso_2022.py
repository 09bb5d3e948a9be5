"""The ASCII text of a document left in ISO-2022 for libxml2 to read
(`bot.ingest.decoding.left_in_iso_2022`), found (`ascii_view`) so that a byte pass can reach its
markup without touching its characters.

Python has codecs for ISO-2022-JP and KR, which `bot.ingest.decoding.to_utf8` reads to UTF-8
first; ISO-2022-CN, ISO-2022-CN-EXT and ISO-2022-JP-MS (Windows' CP50220 to CP50222) it has
none for, so such a document reaches libxml2 as written, its iconv reading it as declared. Its
two-byte characters are 7-bit: "乏" is the bytes "7&" in ISO-2022-CN, "う" "$&" in ISO-2022-JP,
so no pass may read those bytes as ASCII. But its markup, its links and the `&nbsp;` or bare
`&` its template wrote are ASCII between the shifts, and libxml2's recovery drops text at a bad
`&` there as in UTF-8 ("AT&T" came out as "AT", "?x=1&y=2" as "?x=1=2"), and reads an entry's
escaped HTML as text after a control character. The ampersand repair
(`bot.ingest.entities`) and the control pass (`bot.ingest.controls`) read it through the view.

A document that names its ISO-2022 set only in the HTTP Content-Type is given a declaration
naming it (`declared`), so that libxml2 reads it as such, and the passes through the view.
"""

from __future__ import annotations

import re

__all__ = ["BLANK", "ascii_view", "declared"]

# Where the character set may change: an escape sequence as ISO 2022 writes it (ESC, intermediate
# bytes 0x20-0x2F, one final byte 0x30-0x7E, which with the first say which set it designates,
# and for which of G0-G3), or a lone ESC; SO; SI. A run that shifts out and back with no other
# switch in it is one match: an SO and its SI (group 1), or a two-byte set in G0 and ASCII (or
# JIS X 0201 Roman) again (group 2), which is most of them. The lookahead lets the engine skip
# to the next switch byte (twice as fast on a feed of short runs).
_SWITCH_RE = re.compile(
    rb"(?=[\x0e\x0f\x1b])(?:(\x0e[^\x0e\x0f\x1b]*\x0f)"
    rb"|(\x1b\$(?:[@AB]|\(.)[^\x0e\x0f\x1b]*\x1b\([BJ])|\x1b[\x20-\x2f]*[\x30-\x7e]?|[\x0e\x0f])"
)
# G0 designations after which the 7-bit bytes are ASCII again: ASCII itself (ESC ( B) and
# JIS X 0201 Roman (ESC ( J), which differs from it only in "\" and "~". ESC ( I (half-width
# katakana, one byte each: "&" is "ｦ") and any two-byte set (ESC $ B, ESC $ ( D ...) are not.
_ASCII_G0 = (b"\x1b(B", b"\x1b(J")
# Another set than ASCII for G0: a two-byte one designated short (ESC $ @, ESC $ A, ESC $ B)
# or long (ESC $ ( D), or a one-byte one (ESC ( I) but those two above.
_G0_WIDE = (b"\x1b$@", b"\x1b$A", b"\x1b$B", b"\x1b$(", b"\x1b(")
# ESC N and ESC O: the next character alone is in G2 or G3 (two bytes in ISO-2022-CN-EXT).
_SINGLE_SHIFTS = (b"\x1bN", b"\x1bO")
# What stands for a byte that is not ASCII text: ESC, which is never text in ISO-2022 (each one
# starts a switch), so a byte of the view that is not ESC is text; and no byte of a reference, a
# tag or a CDATA section's or comment's opening or end, nor NUL (as UTF-16 has at its start).
BLANK = 0x1B
# An XML declaration, its encoding named or not: what comes before its end (group 1), and its end.
_XML_DECL_RE = re.compile(rb"^(\s*<\?xml\b[^>]*?)\s*\?>")
# The declaration's encoding attribute: the bytes before the value (group 1) and the value.
_ENCODING_RE = re.compile(rb"""(\bencoding\s*=\s*)(["'])[^"'>]*\2""")
_VERSION_RE = re.compile(rb"""\bversion\s*=\s*(["'])[^"'>]*\1""")
# XML's EncName: a label outside it is never written into a declaration.
_ENC_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")


def declared(body: bytes, label: str) -> bytes | None:
    """`body`, an ISO-2022 document its HTTP Content-Type says is in `label` (a set Python has
    no codec for, which libxml2 reads), with an XML declaration naming `label`: its own one's
    encoding replaced (a template's stock utf-8 over 7-bit bytes) or added, else one put before
    it. None for a label that is no XML encoding name."""
    if not _ENC_NAME_RE.fullmatch(label):
        return None
    name = label.encode("ascii")
    declaration = _XML_DECL_RE.match(body)
    if declaration is None:
        return b'<?xml version="1.0" encoding="' + name + b'"?>' + body
    head = declaration.group(1)
    if (encoding := _ENCODING_RE.search(head)) is not None:
        head = head[: encoding.start()] + encoding.expand(rb"\1\2" + name + rb"\2")
        head += declaration.group(1)[encoding.end() :]
    elif (version := _VERSION_RE.search(head)) is not None:
        # Where XML has it, before a `standalone`.
        head = head[: version.end()] + b' encoding="' + name + b'"' + head[version.end() :]
    else:
        head += b' encoding="' + name + b'"'
    return head + body[len(declaration.group(1)) :]


def ascii_view(body: bytes) -> bytes:
    """`body`, an ISO-2022 document, as long as it is, with every byte that is no ASCII text in
    it made `BLANK`: its escape sequences, SO and SI, what lies between an SO and its SI (the G1
    set: GB2312 in ISO-2022-CN, half-width katakana in CP50222), what follows a G0 designation
    of another set than ASCII until one of ASCII again (JIS X 0208 after ESC $ B, katakana after
    ESC ( I), and the two bytes after a single shift (ESC N, ESC O). A pass that finds something
    in the view at an offset finds ASCII text in `body` there, and may rewrite it in place.

    Where a decoder could go either way the bytes are blanked: a newline ends no shift here,
    though iconv's ISO-2022-CN forgets its designations at one, since a byte taken for ASCII
    that iconv reads as half of a character would be cut in two."""
    view = bytearray(body)
    shifted = False  # between SO and SI
    wide_g0 = False  # G0 holds another set than ASCII
    blank_from = -1  # where the run of bytes to blank that is still open starts
    for switch in _SWITCH_RE.finditer(body):
        start, stop = switch.span()
        if blank_from < 0:
            blank_from = start
        if switch.lastindex == 1:  # back where it was, for its own set: an SI ends any shift
            shifted = False
        elif switch.lastindex == 2:  # and ESC ( B any other G0
            wide_g0 = False
        else:
            sequence = switch.group()
            if sequence == b"\x0e":
                shifted = True
            elif sequence == b"\x0f":
                shifted = False
            elif sequence in _ASCII_G0:
                wide_g0 = False
            elif sequence.startswith(_G0_WIDE):
                wide_g0 = True
            elif sequence in _SINGLE_SHIFTS:
                stop = min(stop + 2, len(body))
        if not (shifted or wide_g0):
            # Text follows: the bytes blanked since the run opened are closed at once.
            view[blank_from:stop] = bytes([BLANK]) * (stop - blank_from)
            blank_from = -1
    if blank_from >= 0:
        view[blank_from:] = bytes([BLANK]) * (len(body) - blank_from)
    return bytes(view)
