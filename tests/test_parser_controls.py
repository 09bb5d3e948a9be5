"""A C0 control character in a feed (NUL, \\x01, an ESC colour code) is dropped before parsing:
libxml2's recovery otherwise read the rest of an entry's escaped HTML as words, its tags run
into the text. The encodings where such bytes mean something else keep them."""

from __future__ import annotations

from html import escape

import pytest
from _iso_2022 import iso_2022_cn

from bot.ingest.controls import drop_controls
from bot.ingest.parser import parse_feed

BODY = (
    "<p>The Fish &amp; Chips shop on Quay Street won{c} the regional award on Monday.</p>"
    "<blockquote>Best batter in years, said the judges.</blockquote>"
    "<p>The owners plan to open a second shop.</p>"
)
TEXT = (
    "The Fish & Chips shop on Quay Street won the regional award on Monday.\n"
    "Best batter in years, said the judges.\n"
    "The owners plan to open a second shop."
)


def rss(body: str, title: str = "Fish shop wins award") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Town Gazette</title><link>https://gazette.example/</link><description>d"
        f"</description><item><title>{escape(title)}</title>"
        "<link>https://gazette.example/fish</link><guid>g1</guid>"
        f"<description>{escape(body)}</description></item></channel></rss>"
    ).encode()


def atom(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Town Gazette</title><id>urn:g</id><updated>2027-05-04T09:00:00Z</updated>"
        '<entry><title>Fish shop wins award</title><link href="https://gazette.example/fish"/>'
        "<id>urn:g1</id><updated>2027-05-04T09:00:00Z</updated>"
        f'<content type="html">{escape(body)}</content></entry></feed>'
    ).encode()


@pytest.mark.parametrize("control", ["\x01", "\x00", "\x07", "\x1b", "\x1b[31m", "\x1b[1;4H"])
@pytest.mark.parametrize("document", [rss, atom])
def test_a_control_in_an_entrys_html_leaves_its_markup_read_as_markup(
    control: str, document: object
) -> None:
    assert callable(document)
    feed = parse_feed(document(BODY.format(c=control)), url="https://gazette.example/rss")
    (entry,) = feed.entries
    assert entry.text == TEXT
    assert feed.parser == "fastfeedparser"


def test_a_control_in_a_title_is_dropped_and_tab_newline_kept() -> None:
    feed = parse_feed(rss(BODY.format(c=""), "Fish\x02 shop\twins\x1b[0m award"))
    assert feed.entries[0].title == "Fish shop wins award"
    assert drop_controls(b"<a>x\ty\nz\r\x1f</a>") == b"<a>x\ty\nz\r</a>"


def test_a_vertical_tab_or_form_feed_keeps_the_words_apart() -> None:
    feed = parse_feed(rss(BODY.format(c=""), "Page\x0cbreak and\x0bline"))
    assert feed.entries[0].title == "Page break and line"


@pytest.mark.parametrize("end", ["\x07", "\x1b\\"])
def test_a_terminal_hyperlink_is_dropped_whole_and_its_text_kept(end: str) -> None:
    # OSC 8: ESC ] 8 ; params ; URI, then the link text, then ESC ] 8 ; ; to end it.
    title = f"Read \x1b]8;;https://gazette.example/fish{end}the verdict\x1b]8;;{end} here"
    feed = parse_feed(rss(BODY.format(c="\x1b]8;;https://x.example/\x07"), title))
    assert feed.entries[0].title == "Read the verdict here"
    assert feed.entries[0].text == TEXT


def test_other_encodings_keep_their_bytes() -> None:
    # A single-byte document is read in its charset as before, its controls gone.
    latin = rss(BODY.format(c="\x01"), "Café owners win award").replace(b"utf-8", b"windows-1252")
    latin = latin.decode("utf-8").encode("cp1252")
    feed = parse_feed(latin)
    assert feed.entries[0].title == "Café owners win award" and feed.entries[0].text == TEXT
    # ISO-2022 switches character sets with ESC, SO and SI: a document still declared so
    # (one Python cannot read as it says) keeps them, its ASCII text losing its controls.
    cn = rss(BODY.format(c="\x01"), "x").replace(b"utf-8", b"iso-2022-cn") + b"\x1b$)A\x0e"
    assert drop_controls(cn) == cn.replace(b"\x01", b"")
    # UTF-16 is all NULs and other low bytes: untouched.
    wide = rss(BODY.format(c=""), "Ferry fares rise").decode().replace("utf-8", "utf-16")
    encoded = wide.encode("utf-16")
    assert drop_controls(encoded) == encoded
    assert parse_feed(encoded).entries[0].title == "Ferry fares rise"


@pytest.mark.parametrize(
    ("label", "codec", "title"),
    [
        ("ISO-2022-JP", "iso2022_jp", "魚の店が受賞"),
        ("csISO2022JP", "iso2022_jp", "魚の店が受賞"),
        ("ISO_2022_JP", "iso2022_jp", "魚の店が受賞"),
        ("ISO-2022-KR", "iso2022_kr", "생선 가게 수상"),
        ("csISO2022KR", "iso2022_kr", "생선 가게 수상"),
        # ISO-2022-JP-2 switches to Korean too; csISO2022JP2 is its registered alias, which
        # Python's codec registry does not know.
        ("ISO-2022-JP-2", "iso2022_jp_2", "魚の店が受賞 생선 가게"),
        ("csISO2022JP2", "iso2022_jp_2", "魚の店が受賞 생선 가게"),
    ],
)
def test_a_document_declared_iso_2022_is_read_in_it_under_any_label(
    label: str, codec: str, title: str
) -> None:
    # Read as UTF-8 first: its ESC, SO and SI switch character sets and are no controls, and
    # libxml2 does not know every label. A control in the text is dropped as in UTF-8.
    document = rss(BODY.format(c="\x01"), title).replace(b"utf-8", label.encode())
    encoded = document.decode("utf-8").encode(codec)
    assert b"\x1b" in encoded
    (entry,) = parse_feed(encoded, url="https://gazette.example/rss").entries
    assert (entry.title, entry.text) == (title, TEXT)


@pytest.mark.parametrize("control", ["\x0b", "\x0c"])
def test_a_vertical_tab_or_form_feed_in_a_guid_or_link_goes_as_before(control: str) -> None:
    # libxml2 dropped them before they were dropped here: a space would give a named GUID a new
    # value (its stored entry posted again) and break the link.
    item = (
        f"<item><title>A{control}B</title><guid isPermaLink='false'>item{control}-42</guid>"
        f"<link>https://gazette.example/a{control}b</link><description>d</description></item>"
        f"<item><title>C</title><guid><![CDATA[cd{control}-7]]></guid></item>"
    )
    document = rss(BODY.format(c="")).replace(b"<item>", item.encode() + b"<item>", 1)
    first, second, _ = parse_feed(document, url="https://gazette.example/rss").entries
    assert (first.guid, first.url, first.title) == ("item-42", "https://gazette.example/ab", "A B")
    assert second.guid == "cd-7"
    entry = (
        f'<entry><title>E</title><link href="https://gazette.example/e{control}f"/>'
        f"<id>urn:g{control}2</id><updated>2027-05-04T09:00:00Z</updated></entry>"
    )
    document = atom(BODY.format(c="")).replace(b"<entry>", entry.encode() + b"<entry>", 1)
    (atom_entry, _) = parse_feed(document, url="https://gazette.example/atom").entries
    assert (atom_entry.guid, atom_entry.url) == ("urn:g2", "https://gazette.example/ef")


def test_an_iso_2022_document_named_so_only_by_its_http_header_is_read_in_it() -> None:
    # 7-bit, it reads as ASCII under the template's utf-8 declaration: its escapes say otherwise.
    title = "魚の店が受賞"
    encoded = rss(BODY.format(c=""), title).decode("utf-8").encode("iso2022_jp")
    assert b'encoding="utf-8"' in encoded and b"\x1b$B" in encoded
    feed = parse_feed(encoded, content_type="text/xml; charset=ISO-2022-JP")
    assert (feed.entries[0].title, feed.entries[0].text) == (title, TEXT)
    # Under the registered alias of ISO-2022-JP-2 as well.
    wider = rss(BODY.format(c=""), "魚の店 생선").decode("utf-8").encode("iso2022_jp_2")
    feed = parse_feed(wider, content_type="text/xml; charset=csISO2022JP2")
    assert (feed.entries[0].title, feed.entries[0].text) == ("魚の店 생선", TEXT)
    # A terminal colour code is no ISO-2022 escape: that document is UTF-8 as it says.
    coloured = rss(BODY.format(c="\x1b[31m"), "Fish shop wins award")
    feed = parse_feed(coloured, content_type="text/xml; charset=ISO-2022-JP")
    assert feed.entries[0].text == TEXT


@pytest.mark.parametrize("declared", [True, False])
def test_one_bad_iso_2022_sequence_costs_a_replacement_character_not_the_document(
    declared: bool,
) -> None:
    title = "魚の店が受賞"
    document = rss(BODY.format(c=""), title)
    if declared:
        document = document.replace(b"utf-8", b"ISO-2022-JP")
    else:
        document = document.replace(b' encoding="utf-8"', b"")
    encoded = document.decode("utf-8").encode("iso2022_jp")
    # A character set switched to and a byte pair it does not define, in the title.
    broken = encoded.replace(b"\x1b(B</title>", b"\x1b$B\x7f\x7f\x1b(B</title>", 1)
    assert broken != encoded
    content_type = None if declared else "text/xml; charset=ISO-2022-JP"
    (entry,) = parse_feed(broken, content_type=content_type).entries
    assert entry.title.startswith(title) and "\ufffd" in entry.title
    assert entry.text == TEXT


def test_in_iso_2022_cn_the_controls_of_its_ascii_text_go_and_its_shifts_stay() -> None:
    # After the vertical tab, libxml2 read the rest of the escaped HTML as text ("pThe ...").
    title = "渡轮\x0b票价\x02上涨"
    document = (
        '<?xml version="1.0" encoding="ISO-2022-CN"?><rss version="2.0"><channel>'
        "<title>港口新闻</title><link>https://harbour.example/</link><item>"
        f"<title>{title}</title><link>https://harbour.example/\x0cferry</link>"
        f"<description>{escape(BODY.format(c=chr(7)))}</description></item></channel></rss>"
    )
    body = iso_2022_cn(document)
    dropped = drop_controls(body)
    # Each control of its ASCII text goes (a vertical tab a space, but in a link), nothing else.
    assert dropped == body.replace(b"\x0b", b" ").replace(b"\x0c", b"").translate(None, b"\x02\x07")
    (entry,) = parse_feed(body).entries
    assert (entry.title, entry.url, entry.text) == (
        "渡轮 票价上涨",
        "https://harbour.example/ferry",
        TEXT,
    )
