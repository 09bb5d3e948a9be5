"""Documents written in the ISO-2022 variants Python has no codec for, byte for byte as iconv
writes them, for the tests of what libxml2 is left to read."""

from __future__ import annotations


def iso_2022_cn(text: str) -> bytes:
    """`text` in ISO-2022-CN, its Chinese in GB2312 (ESC $ ) A, then SO ... SI): the bytes
    iconv writes for it. Python has no codec to write it with."""
    out = bytearray()
    designated = False
    shifted = False
    for char in text:
        if char.isascii():
            if shifted:
                out += b"\x0f"
                shifted = False
            out += char.encode("ascii")
            continue
        if not designated:
            out += b"\x1b$)A"
            designated = True
        if not shifted:
            out += b"\x0e"
            shifted = True
        out += bytes(b & 0x7F for b in char.encode("gb2312"))
    if shifted:
        out += b"\x0f"
    return bytes(out)


def iso_2022_jp_ms(text: str) -> bytes:
    """`text` in ISO-2022-JP-MS: Windows-31J's two-byte characters as JIS X 0208 rows (NEC's
    row 13 of circled numbers and "㈱" among them) after ESC $ B, its half-width katakana after
    ESC ( I, ASCII after ESC ( B; the bytes iconv writes for it. Python has no codec for it."""
    out = bytearray()
    mode = b"(B"
    for char in text:
        sjis = char.encode("cp932")
        if len(sjis) == 1 and sjis[0] < 0x80:
            want, data = b"(B", sjis
        elif len(sjis) == 1:
            want, data = b"(I", bytes([sjis[0] - 0x80])
        else:
            first, second = sjis
            row = ((first - 0x40 if first >= 0xE0 else first) - 0x81) * 2
            if second >= 0x9F:
                row, cell = row + 1, second - 0x7E
            else:
                cell = second - 0x1F - (second >= 0x80)
            want, data = b"$B", bytes([row + 0x21, cell])
        if want != mode:
            out += b"\x1b" + want
            mode = want
        out += data
    if mode != b"(B":
        out += b"\x1b(B"
    return bytes(out)
