"""A UTF-16 or UTF-32 document as UTF-8, so the byte-level steps before the parsers read it.

Both parsers detect these encodings themselves, but everything that reads a document's bytes
first looks for ASCII markup: the attribute guard (`attributes`), the repair of entities and
controls, and the cut of a big document's older entries (`entry_cap`). In UTF-16, "<item" is
no such bytes, so a 100,000-item feed cost its whole parse (8 s of CPU) at every poll, and a
crowded element went past the guard. Transcoded, with the declaration relabelled, the parsers
read the same text.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["wide_to_utf8"]

# A byte-order mark, else the first character "<" in each layout (XML 1.0, appendix F).
_BY_MARK = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
_BY_LAYOUT = {b"\x00\x00\x00<": "utf-32-be", b"<\x00\x00\x00": "utf-32-le",
              b"\x00<\x00?": "utf-16-be", b"<\x00?\x00": "utf-16-le"}  # fmt: skip
_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"'>]*\2""")


def wide_to_utf8(body: bytes) -> bytes | None:
    """`body` as UTF-8, its declaration saying so, when it is UTF-16 or UTF-32 by its mark or
    its first characters; None when it is neither. A code unit not valid in it becomes its bytes
    escaped ("\\x00\\xd8"), so two GUIDs differing only there stay two (as U+FFFD both were one):
    left in UTF-16, the document would pass the attribute guard unread while libxml2 still
    parsed all before the bad unit (80,000 attributes in one tag held the GIL 9.8 s)."""
    codec = next((name for mark, name in _BY_MARK if body.startswith(mark)), None)
    codec = codec or _BY_LAYOUT.get(body[:4])
    if codec is None:
        return None
    # "utf-16" and "utf-32" read and drop the mark.
    text = body.decode(codec, errors="backslashreplace")
    text = _DECLARED_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    return text.encode("utf-8")
