"""Which element a feed must close: the root, found past everything a prologue may hold. A note
before the root that mentions a tag ("entries use <br>") is no root, and a root that closes
itself is a whole (empty) document; neither may be reported as cut off at every poll."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.ingest.parser import parse_feed
from bot.ingest.shape import missing_end
from tests._cost import assert_costs_at_most, assert_grows_linearly

DECL = b'<?xml version="1.0" encoding="utf-8"?>\n'
CHANNEL = (
    b'<rss version="2.0"><channel><title>Quay Notes</title><item><title>Lock gates reopen'
    b"</title><link>https://quay.example/1</link></item></channel></rss>\n"
)

WHOLE_WITH_PROLOGUE = {
    "comment-with-a-tag": DECL + b"<!-- items use <br> between paragraphs -->\n" + CHANNEL,
    "comment-with-markup": DECL + b'<!-- made by <b>our</b> <a href="/x">tool</a> -->' + CHANNEL,
    "stylesheet-pi": DECL + b'<?xml-stylesheet type="text/xsl" href="<style>.xsl"?>' + CHANNEL,
    "doctype": DECL + b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "x.dtd">' + CHANNEL,
    "doctype-subset": DECL
    + b"<!DOCTYPE rss [<!ENTITY brand '<em>Quay</em>'> <!-- <hr> -->]>\n"
    + CHANNEL,
    "cdata-before-root": b"<![CDATA[<p>stray]]>" + CHANNEL,
    "closing-tag-spaced": CHANNEL.replace(b"</rss>", b"</rss >"),
    "gt-in-root-attribute": CHANNEL.replace(b'version="2.0"', b'version="2.0" note="a>b"'),
}


@pytest.mark.parametrize("body", WHOLE_WITH_PROLOGUE.values(), ids=WHOLE_WITH_PROLOGUE.keys())
def test_a_whole_feed_after_a_prologue_naming_tags_is_whole(body: bytes) -> None:
    assert missing_end(body) is None
    parsed = parse_feed(body, url="https://quay.example/feed")
    assert [e.title for e in parsed.entries] == ["Lock gates reopen"]
    assert parsed.missing_end is None


@pytest.mark.parametrize(
    "body",
    [
        DECL + b'<rss version="2.0"/>',
        DECL + b"<!-- empty for now -->\n<rss version='2.0' />\n",
        b'<feed xmlns="http://www.w3.org/2005/Atom" title="a/b"/>',
    ],
)
def test_a_root_that_closes_itself_is_whole(body: bytes) -> None:
    assert missing_end(body) is None


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        # The cut is still found past the same prologues.
        (DECL + b"<!-- items use <br> -->\n" + CHANNEL[:90], "</rss>"),
        (DECL + b"<!DOCTYPE rss [<!ENTITY x '<b>'>]>" + CHANNEL[:-8], "</rss>"),
        # Stopping inside the root's own start tag, or its quoted attribute.
        (DECL + b'<rss version="2.0"', "</rss>"),
        (DECL + b'<rss version="2.', "</rss>"),
        # A later element whose name starts like the root's closes nothing.
        (b"<rss><channel><title>a</title></channel></rss2>", "</rss>"),
        (b'<rdf:RDF xmlns:rdf="x"><channel><title>a</title></channel>', "</rdf:RDF>"),
    ],
)
def test_a_feed_cut_off_after_its_prologue_is_still_found(body: bytes, missing: str) -> None:
    assert missing_end(body) == missing


def test_a_closing_tag_that_lost_only_its_bracket_lost_nothing() -> None:
    assert missing_end(CHANNEL.rstrip()[:-1]) is None  # "...</channel></rss"


@pytest.mark.parametrize(
    "body",
    [b"", b"just text", b"<!-- a comment never closed <rss>", b"<?xml version='1.0'", b"< <"],
)
def test_no_root_to_speak_of(body: bytes) -> None:
    assert missing_end(body) is None


# Hostile openers, `n` of them, and the closing tag found missing (none: no root to speak of).
HOSTILE: dict[str, tuple[Callable[[int], bytes], int, str | None]] = {
    "comments": (lambda n: b"<!--" * n, 500_000, None),
    "pis": (lambda n: b"<?" * n, 500_000, None),
    "cdata": (lambda n: b"<![CDATA[" * n, 500_000, None),
    "doctypes": (lambda n: b"<!DOCTYPE x [" * n, 500_000, None),
    "strays": (lambda n: b"</" * n, 500_000, None),
    "angles": (lambda n: b"<" * n, 1_000_000, None),
    "quoted-attributes": (lambda n: b"<rss " + b"a='>' " * n + b">", 200_000, "</rss>"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_openers_take_linear_time(kind: str) -> None:
    # Quadratic scanning of a megabyte would take minutes; linear takes milliseconds, for most of
    # these under the timer's grain, which `assert_grows_linearly` allows for.
    make, size, missing = HOSTILE[kind]
    bodies = {n: make(n) for n in (size // 8, size)}
    assert missing_end(bodies[size]) == missing
    assert_grows_linearly(lambda n: missing_end(bodies[n]), size)


def _items(n: int) -> bytes:
    return b"".join(
        b"<item><title>Tide note %d</title><link>https://quay.example/%d</link>"
        b"<description>The harbour master posted tide note %d for the week.</description></item>"
        % (i, i, i)
        for i in range(n)
    )


HEAD = DECL + b'<rss version="2.0"><channel><title>Quay Notes</title>'
ATOM_HEAD = DECL + b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title><id>urn:q</id>'


def test_an_item_the_cut_went_through_is_left_for_the_next_whole_read() -> None:
    whole = _items(3)
    cut = HEAD + whole[: whole.rindex(b"for the week")]
    parsed = parse_feed(cut, url="https://quay.example/feed")
    assert parsed.missing_end == "</rss>"
    assert [e.title for e in parsed.entries] == ["Tide note 0", "Tide note 1"]


def test_a_cut_between_items_keeps_every_item() -> None:
    parsed = parse_feed(HEAD + _items(3), url="https://quay.example/feed")
    assert parsed.missing_end == "</rss>"
    assert [e.title for e in parsed.entries] == ["Tide note 0", "Tide note 1", "Tide note 2"]


def test_an_atom_entry_the_cut_went_through_is_left_too() -> None:
    entry = (
        b"<entry><id>urn:q:%d</id><title>Berth %d</title><link href='https://quay.example/b%d'/>"
        b"<updated>2026-03-0%dT10:00:00Z</updated><summary>Berth %d is free from noon.</summary>"
        b"</entry>"
    )
    body = ATOM_HEAD + b"".join(entry % (i, i, i, i + 1, i) for i in range(2))
    parsed = parse_feed(body[: body.rindex(b"free from")], url="https://quay.example/atom")
    assert parsed.missing_end == "</feed>"
    assert [e.title for e in parsed.entries] == ["Berth 0"]


@pytest.mark.parametrize(
    "part", [b"<?x?>", b"<!x>", b"<!---->"], ids=["pis", "doctypes", "comments"]
)
def test_a_long_prologue_is_given_up_on_quickly(part: bytes) -> None:
    # Ten megabytes of prologue parts cost a loop turn each: seconds of every poll, before the
    # scan was capped. Past the cap no root is looked for, so no cut is said.
    # The check now costs about what counting the document's "<"s does (1x to 4.4x), a pass in
    # C over the same ten megabytes; walking it part by part cost 175x to 700x that.
    body = part * (10_000_000 // len(part)) + HEAD + _items(1)
    assert missing_end(body) is None
    assert_costs_at_most(lambda: missing_end(body), lambda: body.count(b"<"), 15)


def test_a_whole_feed_after_a_long_licence_comment_is_still_checked() -> None:
    licence = b"<!-- " + b"Quay Notes may be shared with credit. " * 200 + b"-->\n"
    assert len(licence) > 4_000
    cut = DECL + licence + HEAD + _items(2)
    assert missing_end(cut) == "</rss>"
    assert missing_end(cut + b"</channel></rss>\n") is None
    parsed = parse_feed(cut + b"</channel></rss>\n", url="https://quay.example/feed")
    assert parsed.missing_end is None
    assert [e.title for e in parsed.entries] == ["Tide note 0", "Tide note 1"]
