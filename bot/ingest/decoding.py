"""Feed bytes made readable before either parser sees them: their character encoding settled
(`to_utf8`). The control characters XML forbids are dropped after (`bot.ingest.controls`), and
the HTML entities XML does not know repaired (`bot.ingest.entities`).

Encodings are mislabelled both ways. A feed declared (or, with no word at all, assumed) UTF-8
often has windows-1252 bytes in it, which decoded as UTF-8 are U+FFFD; and a CMS that writes
`encoding="windows-1252"` into every template may serve UTF-8, which read as declared is mojibake
("Euro â‚¬"). Bytes that are not UTF-8 cannot be UTF-8, and non-ASCII bytes that are valid UTF-8
are almost never anything else, so the bytes' own evidence goes first.
"""

from __future__ import annotations

import codecs
import functools
import re

from lxml import etree

from bot.ingest import iso_2022
from bot.ingest.jsonfeed import is_json
from bot.ingest.wide_encodings import wide_to_utf8

__all__ = [
    "file_to_utf8",
    "left_in_iso_2022",
    "to_utf8",
    "unreadable_charset",
]

_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)
# The XML declaration's encoding: the bytes before the value (group 1) and the value (group 3).
_XML_DECL_ENCODING_RE = re.compile(
    rb"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])([^"'>]*)\2""", re.I
)
# A document opening with one of these says its own encoding.
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
         codecs.BOM_UTF16_BE)  # fmt: skip
# Codecs (by Python's name) with one byte per character: the labels a UTF-8 document is
# mistakenly given.
_SINGLE_BYTE_PREFIXES = ("iso8859", "cp125", "cp437", "cp850", "cp866", "cp874", "koi8", "mac-",
                         "latin", "tis-620", "ascii")  # fmt: skip
# The legacy CJK charsets, each read as the wider set its writers' tools produce, as the WHATWG
# encoding standard has browsers do: a site saying gb2312 or Shift_JIS writes GBK or Windows-31J,
# and libxml2, held to the narrow set, stops at the first character outside it without an error
# (the rest of the title and text lost, and no failure for the feedparser fallback to catch).
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949",
          "big5": "big5hkscs"}  # fmt: skip
# WHATWG labels of those charsets, and registered aliases, that Python's codec registry does
# not know.
_WHATWG_LABELS = {"x-gbk": "gb18030", "csgb2312": "gb18030", "csiso58gb231280": "gb18030",
                  "gb_2312": "gb18030", "gb_2312-80": "gb18030", "x-sjis": "cp932",
                  "windows-31j": "cp932", "cseuckr": "cp949", "csksc56011987": "cp949",
                  "ks_c_5601-1989": "cp949", "ksc_5601": "cp949", "windows-949": "cp949",
                  "cn-big5": "big5hkscs", "x-x-big5": "big5hkscs",
                  # The IANA registry's alias of ISO-2022-JP-2, which Python knows only by
                  # that name (csISO2022JP and csISO2022KR it knows).
                  "csiso2022jp2": "iso2022_jp_2"}  # fmt: skip
_CJK = frozenset(_WIDER.values())
# Windows' names of ISO-2022-JP with its own characters (NEC's and IBM's rows, half-width
# katakana), which say no "2022": Python has no codec for it, and libxml2's iconv knows it as
# ISO-2022-JP-MS (CP50221 too, but not CP50220 or CP50222). All three read alike; they differ
# in how Windows writes katakana.
_WINDOWS_ISO_2022_JP = frozenset({"cp50220", "cp50221", "cp50222"})


def to_utf8(body: bytes, content_type: str | None) -> bytes:
    """`body` as UTF-8 bytes when it is in an ASCII-compatible encoding both parsers would read
    wrongly; otherwise unchanged, but for a UTF-8 byte-order mark, which is dropped. The charset
    is, first match wins: a byte-order mark; the XML declaration; the HTTP Content-Type charset
    (never for JSON whose bytes are UTF-8); UTF-8. Then the bytes are checked against it: not
    valid UTF-8 where UTF-8 is declared or assumed, they are read in the HTTP charset if it is
    another and defines every byte, else the bytes that are not UTF-8 are read as windows-1252
    if they look like it (`_looks_cp1252`); a single-byte or CJK charset declared, but the bytes
    are valid UTF-8 with non-ASCII in them, UTF-8 it is. ISO-8859-1 means windows-1252, and
    gb2312, Shift_JIS, EUC-KR and Big5 the wider sets their sites write (`_WIDER`), as they do
    to browsers; stray bytes in those sets become U+FFFD. ISO-2022 is read the same way, and
    under a utf-8 declaration too when the HTTP charset names it and its escapes are in the
    7-bit body: as UTF-8, its ESC, SO and SI are no controls (`controls.drop_controls`). One
    declared in an ISO-2022 Python has no codec for is left to libxml2, Windows' names of
    ISO-2022-JP-MS (CP50220 to CP50222) given as that, which its iconv knows; and so is one its
    HTTP charset alone names so, given a declaration naming it (`_left_as_http_says`).

    Both parsers take undeclared bytes for UTF-8, so transcoding up front is what makes them
    honour the header, and the same bytes then reach whichever of the two succeeds.
    """
    if body.startswith(codecs.BOM_UTF8):
        return _utf8_by_bom(body[len(codecs.BOM_UTF8) :])
    if body.startswith(BOMS) or b"\x00" in body[:4]:
        # UTF-16 or UTF-32: as UTF-8, what reads the bytes before the parsers finds markup.
        return wide_to_utf8(body) or body
    declaration = _XML_DECL_ENCODING_RE.match(body)
    if declaration:
        label = declaration.group(3).decode("ascii", "replace")
        codec = _codec(label)
        if codec == "utf-8":
            # A template's stock declaration is weaker evidence than a server's charset that
            # the bytes bear out: a windows-1251 site's feed is not windows-1252 one by one.
            if (left := _left_as_http_says(body, content_type)) is not None:
                return left
            return _decode_http(body, content_type) or _repair_utf8(body)
        if codec is not None and codec.startswith(_SINGLE_BYTE_PREFIXES) and _is_utf8(body):
            # Relabelled, since both parsers would read the declaration again.
            return declaration.expand(rb"\1\2utf-8\2") + body[declaration.end() :]
        if codec == "iso8859-1":
            # Read as windows-1252, as over HTTP below and in browsers (the five bytes it
            # leaves undefined stay Latin-1), and relabelled since it is UTF-8 now.
            text = body[declaration.end() :].decode("cp1252", "newsdigest-cp1252")
            return declaration.expand(rb"\1\2utf-8\2") + text.encode("utf-8")
        if codec in _CJK:
            # Relabelled whatever the outcome: libxml2 would read the narrow set again. A
            # template's default over UTF-8 files is UTF-8, as for single-byte labels above;
            # CJK text in these sets is never valid UTF-8 beyond a word or two.
            rest = body[declaration.end() :]
            if not _is_utf8(rest):
                rest = rest.decode(codec, "replace").encode("utf-8")
            return declaration.expand(rb"\1\2utf-8\2") + rest
        if codec is not None and codec.startswith("iso2022"):
            # ISO-2022 switches character sets with ESC, SO and SI, which are C0 controls
            # (`controls.drop_controls`); as UTF-8 it has none, and libxml2 need not know the
            # label (ISO-2022-KR, or ISO-2022-JP as csISO2022JP). Relabelled, as above. A bad
            # sequence costs a U+FFFD, as in the CJK sets; but ISO-2022 is 7-bit, and a
            # document whose 8-bit bytes are UTF-8 is that.
            rest = body[declaration.end() :]
            if not _is_utf8(rest):
                rest = rest.decode(codec, "replace").encode("utf-8")
            return declaration.expand(rb"\1\2utf-8\2") + rest
        if codec is None and (name := _libxml2_label(label)) != label:
            # Left to libxml2 under the name its iconv knows, or UTF-8 as above.
            rest = body[declaration.end() :]
            name = "utf-8" if _is_utf8(rest) else name
            return declaration.expand(rb"\1\2" + name.encode() + rb"\2") + rest
        return body
    charset = _http_charset(content_type)
    if charset is None:
        return _repair_utf8(body)
    if (left := _left_as_http_says(body, content_type)) is not None:
        return left
    if is_json(body) and _is_utf8(body, or_ascii=True):
        return body  # JSON is UTF-8 by definition: the header only decides bytes that are not
    codec = _codec(charset)
    if codec is None or codec in ("utf-8", "ascii"):
        # UTF-8 already or a mislabel of it (text/* with a stock us-ascii), or a charset we
        # cannot decode, which tells us nothing.
        return _repair_utf8(body)
    if (codec.startswith((*_SINGLE_BYTE_PREFIXES, "iso2022")) or codec in _CJK) and _is_utf8(body):
        return body  # the stock charset of a server whose files are UTF-8
    if codec in _CJK or codec.startswith("iso2022"):
        # A stray byte costs a U+FFFD, not the feed: the parsers would otherwise take the
        # undeclared bytes for UTF-8 and lose all of it.
        return body.decode(codec, "replace").encode("utf-8")
    # Servers saying ISO-8859-1 mean windows-1252 (curly quotes, dashes), as browsers assume;
    # a byte windows-1252 leaves undefined sends us back to true Latin-1.
    tries = ("cp1252", codec) if codec == "iso8859-1" else (codec,)
    for name in tries:
        try:
            return body.decode(name).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return body  # the header lied (those bytes are not in its charset): let the parsers sniff


def unreadable_charset(body: bytes, content_type: str | None) -> str | None:
    """Why `body` cannot be read, when it is in an ISO-2022 charset no codec here reads as
    labelled (ISO-2022-CN: Python has no codec for it, unlike for JP and KR): the label, what
    labels it and what the publisher can do, as the poll's error; None otherwise.

    Declared, a label Python lacks is left to libxml2 when its iconv reads it (ISO-2022-CN,
    ISO-2022-CN-EXT, ISO-2022-JP-MS and Windows' CP50220 to CP50222), the document whole (`left_in_iso_2022`); only one that
    neither knows is refused. Named by the HTTP header alone (no declaration, or a stock
    utf-8 one), it is declared so and left to libxml2 as well (`_left_as_http_says`); a label
    libxml2 does not know is refused, as read as ASCII its escapes' letters would be its text.
    Only with an escape designating a character set in it: without one the document is ASCII,
    and read so."""
    if b"\x1b" not in body or body.startswith(BOMS) or not _ISO_2022_SHIFT_RE.search(body):
        return None
    declaration = _XML_DECL_ENCODING_RE.match(body)
    if declaration:
        label = declaration.group(3).decode("ascii", "replace").strip()
        if _codec(label) != "utf-8":  # a stock utf-8 over 7-bit bytes: the header may say
            if not _no_iso_2022_codec(label) or _libxml2_reads(_libxml2_label(label)):
                return None
            return _unreadable(label, "its XML declaration", "ask its publisher for UTF-8")
    label = _http_charset(content_type)
    if not label or not _no_iso_2022_codec(label) or not body.isascii():
        return None
    if _left_as_http_says(body, content_type) is not None:
        return None  # declared so for libxml2, which reads it
    return _unreadable(label, "its HTTP Content-Type", "ask its publisher for UTF-8")


def _left_as_http_says(body: bytes, content_type: str | None) -> bytes | None:
    """`body` declared in the ISO-2022 set its HTTP charset names, when Python has no codec for
    it but libxml2 reads it (ISO-2022-CN and -CN-EXT, ISO-2022-JP-MS), and it is an XML
    document, 7-bit, with an escape designating a set in it, that declares no encoding or a
    stock utf-8; None otherwise. Left so for libxml2 as a declared one is (`left_in_iso_2022`),
    where read as UTF-8 its escapes' letters came out as text."""
    label = _http_charset(content_type)
    if not label or not _no_iso_2022_codec(label) or not body.isascii() or is_json(body):
        return None
    if not _ISO_2022_SHIFT_RE.search(body) or not _libxml2_reads(name := _libxml2_label(label)):
        return None
    return iso_2022.declared(body, name.strip())


def _unreadable(label: str, said_by: str, advice: str) -> str:
    return (
        f"written in {label} ({said_by} says so), a character set newsdigest cannot read: {advice}"
    )


def _no_iso_2022_codec(label: str) -> bool:
    return ("2022" in label or label.lower() in _WINDOWS_ISO_2022_JP) and _codec(label) is None


def _libxml2_label(label: str) -> str:
    """`label` as libxml2 is given it: ISO-2022-JP-MS for Windows' names of that set."""
    return "ISO-2022-JP-MS" if label.strip().lower() in _WINDOWS_ISO_2022_JP else label


@functools.lru_cache(maxsize=32)
def _libxml2_reads(label: str) -> bool:
    """Whether libxml2 (through the iconv it was built with) knows the charset `label`: it
    refuses a declaration it does not know as an unsupported encoding."""
    probe = b'<?xml version="1.0" encoding="' + label.encode("ascii", "replace") + b'"?><r/>'
    try:
        etree.fromstring(probe, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return False
    return True


def left_in_iso_2022(body: bytes) -> bool:
    """Whether `body` is still declared in an ISO-2022 charset, as `to_utf8` leaves one Python
    has no codec for, for libxml2 to read as it says; its ESC, SO and SI switch character sets,
    and its two-byte characters are 7-bit ("&", "<" and letters among their bytes), so a byte
    pass reads only its ASCII text (`iso_2022.ascii_view`). One without escapes is ASCII."""
    declaration = _XML_DECL_ENCODING_RE.match(body)
    return bool(
        declaration
        and _ISO_2022_RE.search(declaration.group(3))
        and _ISO_2022_SHIFT_RE.search(body)
    )


def file_to_utf8(body: bytes) -> tuple[bytes, str | None]:
    """`to_utf8` for a document read from a file, with no HTTP header to go by (an OPML
    subscription list), and the encoding its bytes were taken to be when nothing said it: old
    readers export windows-1252 or Latin-1 without a declaration, which XML reads as UTF-8 and
    refuses. The guess is "windows-1252" when bytes that are not UTF-8 were read as it (in a
    file that declares nothing, or says UTF-8); None when the bytes are UTF-8, declare their own
    encoding, or could not be read as windows-1252 either (left for the parser to refuse)."""
    out = to_utf8(body, None)
    if out == body or _is_utf8(body, or_ascii=True) or not _is_utf8(out, or_ascii=True):
        return out, None
    declaration = _XML_DECL_ENCODING_RE.match(body.removeprefix(codecs.BOM_UTF8))
    if declaration and _codec(declaration.group(3).decode("ascii", "replace")) != "utf-8":
        return out, None  # read as it says (ISO-8859-1 as windows-1252, as browsers do)
    return out, "windows-1252"


def _utf8_by_bom(body: bytes) -> bytes:
    """`body`, which followed a UTF-8 byte-order mark, with its XML declaration saying utf-8.
    The mark wins over the declaration and the HTTP charset (XML's rule, and browsers'), but
    both parsers obey a declaration that contradicts it ("CafÃ© ZoÃ«" under iso-8859-1). The
    mark is dropped: once the declaration agrees it adds nothing, and this module's
    declaration match is anchored at the start of the document."""
    declaration = _XML_DECL_ENCODING_RE.match(body)
    if declaration and _codec(declaration.group(3).decode("ascii", "replace")) != "utf-8":
        body = declaration.expand(rb"\1\2utf-8\2") + body[declaration.end() :]
    return _repair_utf8(body)  # UTF-8 declared, so the usual windows-1252 strays are repaired


def _decode_http(body: bytes, content_type: str | None) -> bytes | None:
    """`body`, which is not UTF-8, as UTF-8 read in the HTTP charset when that is neither
    UTF-8 nor windows-1252 (nor its ISO-8859-1 alias, which `_repair_utf8` reads the same but
    keeps any UTF-8 in the mix) and every byte is defined in it; otherwise None. Only an
    ASCII-compatible charset counts: read as UTF-16 or EBCDIC, an ASCII-compatible document
    decodes without error into nonsense. ISO-2022 is 7-bit, so it is ASCII too: it counts when
    its escapes designate a character set."""
    codec = _codec(_http_charset(content_type) or "")
    if (
        codec is not None
        and codec.startswith("iso2022")
        and body.isascii()
        and _ISO_2022_SHIFT_RE.search(body)
    ):
        return body.decode(codec, "replace").encode("utf-8")
    if _is_utf8(body, or_ascii=True):
        return None
    if codec is None or codec in ("utf-8", "ascii", "cp1252", "iso8859-1"):
        return None
    try:
        if _ASCII_PROBE.decode(codec) != _ASCII_PROBE.decode("ascii"):
            return None
        # A stray byte in the CJK sets is a U+FFFD: under a utf-8 label, left undecoded, it
        # would cost the rest of its element.
        return body.decode(codec, "replace" if codec in _CJK else "strict").encode("utf-8")
    except UnicodeDecodeError:
        return None


_ASCII_PROBE = bytes(range(0x20, 0x7F))


def _http_charset(content_type: str | None) -> str | None:
    match = _CHARSET_RE.search(content_type or "")
    return match.group(1) if match else None


def _codec(label: str) -> str | None:
    """Python's codec for a charset label, a legacy CJK one widened (`_WIDER`)."""
    label = label.strip()
    if whatwg := _WHATWG_LABELS.get(label.lower()):
        return whatwg
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WIDER.get(name, name)


def _is_utf8(body: bytes, *, or_ascii: bool = False) -> bool:
    """Whether `body` decodes as UTF-8 (and, unless `or_ascii`, has non-ASCII in it: ASCII
    alone is no evidence against a single-byte label)."""
    if body.isascii():
        return or_ascii
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _repair_utf8(body: bytes) -> bytes:
    """`body`, meant as UTF-8, with each byte that is not UTF-8 read as windows-1252 (Latin-1
    for the five bytes windows-1252 leaves undefined): the usual mix is a UTF-8 template with
    text pasted in from a windows-1252 source, where reading the whole as windows-1252 would
    garble the rest.

    Only when the bad bytes look like windows-1252 text, though: undeclared Big5, Shift JIS,
    EUC or KOI8-R read that way is Latin mojibake that gets indexed as words, where the
    parsers' U+FFFD at least indexes as nothing, so such a document is left to them."""
    if body.isascii():
        return body
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if _looks_cp1252(body):
            return body.decode("utf-8", "newsdigest-cp1252").encode("utf-8")
    return body


# A run of non-ASCII characters, once valid UTF-8 is decoded and each invalid byte is a lone
# surrogate (U+DC80-U+DCFF) standing for itself.
_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")


def _looks_cp1252(body: bytes) -> bool:
    """Whether the bytes of `body` that are not UTF-8 sit as in windows-1252 text: one or two
    together between ASCII ('café', '“ouvert”', 'ação') in at least nine runs of ten. Every
    character of CJK double-byte encodings is two high bytes, and a Cyrillic, Greek, Hebrew or
    Thai single-byte word is a high byte per letter, so their runs are three bytes or longer
    (Japanese and Chinese samples: about half of them; Western windows-1252 text: almost none)."""
    text = body.decode("utf-8", "surrogateescape")
    short = long = 0
    for match in _NON_ASCII_RUN_RE.finditer(text):
        run = match.group()
        if not any("\udc80" <= c <= "\udcff" for c in run):
            continue  # valid UTF-8 in a mixed document: no evidence either way
        if len(run) <= 2:
            short += 1
        else:
            long += 1
    return long * 10 <= short + long


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_CP1252[b] for b in bad), error.end


_CP1252 = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]
codecs.register_error("newsdigest-cp1252", _cp1252_bytes)


# Any ISO-2022 label (ISO-2022-JP, csISO2022KR, ISO_2022_JP, ISO-2022-CN).
_ISO_2022_RE = re.compile(rb"2022")
# An ISO-2022 escape designating a character set (ESC $ B, ESC ( J, ESC $ ) C, ...): no
# terminal code (ESC [, ESC ]) starts so.
_ISO_2022_SHIFT_RE = re.compile(rb"\x1b[$()]")
