"""The entries the cut keeps are the newest by the dates the parser reads (undated ones after the
dated, in document order): each element it reads a date from, in its order, in RSS 2.0, Atom and
RSS 1.0, and the dates `entry_fields` reads again from the document. Each choice is compared
with the one made after parsing every entry, which the cut must never change."""

from __future__ import annotations

import random
from datetime import timedelta
from email.utils import format_datetime

import pytest
from _entry_cap_feeds import (
    HEAD,
    START,
    TAIL,
    at,
    atom,
    choices,
    kept_numbers,
    rfc822,
    rss,
    rss_item,
    without_cut,
)

from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed

pytestmark = pytest.mark.usefixtures("dated_documents_cut")


def test_an_oldest_first_feed_keeps_its_newest_entries() -> None:
    count = MAX_FEED_ENTRIES + 300
    body = rss([rss_item(n, rfc822(n)) for n in range(count)])
    assert kept_numbers(body) == list(range(300, count))


def test_the_cut_keeps_what_the_choice_after_parsing_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Dates in every form the parser reads, the GUID read as one, dates it cannot read, none.
    rng = random.Random(11)
    forms = [
        lambda n: rss_item(n, rfc822(n)),
        lambda n: rss_item(
            n, (START + timedelta(minutes=n)).strftime("%a, %d %b %Y %H:%M:%S -0500")
        ),
        lambda n: rss_item(n, (START + timedelta(minutes=n)).isoformat()),
        lambda n: rss_item(n, (START + timedelta(minutes=n)).strftime("%B %d, %Y %H:%M")),
        lambda n: rss_item(n, (START + timedelta(minutes=n)).strftime("%m/%d/%Y %H:%M")),
        lambda n: rss_item(n, f"someday {n}"),
        lambda n: rss_item(n),
        lambda n: rss_item(
            n, extra=f"<dc:date>{(START + timedelta(minutes=n)).isoformat()}</dc:date>"
        ),
        lambda n: (
            f"<item><title>Dated by its GUID {n}</title><guid>"
            f"{(START + timedelta(minutes=n)).strftime('%Y-%m-%d %H:%M')}-{n}</guid></item>"
        ),
        lambda n: rss_item(n, "", f"<atom:updated>{rfc822(n)}</atom:updated>"),
    ]
    items = [rng.choice(forms)(n) for n in rng.sample(range(3 * MAX_FEED_ENTRIES), 2500)]
    body = HEAD.replace(b"<rss ", b'<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')
    body = body.replace(b"<rss ", b'<rss xmlns:atom="http://www.w3.org/2005/Atom" ')
    body += "".join(items).encode() + TAIL
    cut = parse_feed(body)
    without_cut(monkeypatch)
    whole = parse_feed(body)
    assert cut.unread_entries == whole.unread_entries == 1500
    assert [e.guid for e in cut.entries] == [e.guid for e in whole.entries]


def test_atom_entries_are_chosen_by_their_own_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    def entry(n: int) -> str:
        # The <source>'s date follows the entry's own, as aggregators write it.
        own = (START + timedelta(minutes=n)).isoformat()
        return (
            f"<entry><id>urn:note:{n}</id><title>Note {n}</title><updated>{own}</updated>"
            f"<source><updated>2030-01-01T00:00:00Z</updated></source></entry>"
        )

    numbers = list(range(MAX_FEED_ENTRIES + 40))
    random.Random(5).shuffle(numbers)
    body = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title>'
        + "".join(entry(n) for n in numbers)
        + "</feed>"
    ).encode()
    kept = [int(e.guid.rsplit(":", 1)[1]) for e in parse_feed(body).entries]
    assert kept == [n for n in numbers if n >= 40]


def test_an_atom_entry_is_dated_by_its_own_updated_not_its_sources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The <source>'s date comes first here: the parser reads only the entry's own children.
    entries = [
        f"<entry><id>urn:n:{n}</id><title>N {n}</title><source><id>urn:s</id>"
        f"<updated>2030-01-0{1 + n % 9}T00:00:00Z</updated></source>"
        f"<updated>{at(n).isoformat()}</updated></entry>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    with_cut, whole = choices(atom(entries), monkeypatch)
    assert with_cut == whole
    assert with_cut[0] == "urn:n:200"


def test_an_empty_atom_published_is_passed_over_for_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = [
        f"<entry><id>urn:n:{n}</id><title>N {n}</title><published/>"
        f"<published>{at(n).isoformat()}</published></entry>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    with_cut, whole = choices(atom(entries), monkeypatch)
    assert with_cut == whole
    assert with_cut[0] == "urn:n:200"


def test_a_date_in_cdata_after_white_space_ranks_its_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>\n  <![CDATA[{rfc822(n)}]]>\n</pubDate></item>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    with_cut, whole = choices(rss(items), monkeypatch)
    assert with_cut == whole
    assert with_cut[0] == "https://quay.example/200"


def test_a_declared_entity_in_a_date_leaves_the_choice_to_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The parser keeps the reference unresolved, which ends the date's text there.
    items = [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>{rfc822(n).replace(' 2024', '&year;')}</pubDate></item>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    body = rss(items).replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY year " 2024">]>'
    )
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole


def test_dates_the_parser_misreads_rank_as_they_are_read_again(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # A 12-hour clock and an offset after "GMT", which `entry_fields` reads again from the
    # document (a comment left out there, not by the parser): the newer half is written so.
    count = MAX_FEED_ENTRIES + 300
    numbers = list(range(count))
    random.Random(4).shuffle(numbers)

    def item(n: int) -> str:
        when = at(n)
        date = rfc822(n)
        if n >= count // 2:
            date = rng.choice(
                [
                    f"<!-- moved -->{when:%b %d, %Y %I:%M %p}",
                    f"{when:%a, %d %b %Y %H:%M:%S} GMT+0000",
                    f"{when:%a, %d %b %Y %I:%M:%S %p} +0000",
                ]
            )
        return (
            f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
            f"<pubDate>{date}</pubDate></item>"
        )

    rng = random.Random(6)
    body = rss([item(n) for n in numbers])
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert "https://quay.example/0" not in with_cut
    assert parsed_sizes[0] < len(body)  # cut


def test_a_date_read_again_in_the_whole_document_is_read_again_in_what_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only the oldest items' dates show the 12-hour clock that makes `entry_fields` read dates
    # again; the newest one's, after a comment, is read only then. Cut down to the newest,
    # the document would no longer be read again, and that item would lose its date.
    def item(n: int, date: str) -> str:
        return (
            f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
            f"<pubDate>{date}</pubDate></item>"
        )

    count = MAX_FEED_ENTRIES + 100
    items = [item(n, f"{at(n):%a, %d %b %Y %I:%M:%S %p} +0000") for n in range(100)]
    items += [item(n, rfc822(n)) for n in range(100, count - 1)]
    items.append(item(count - 1, f"<!-- moved -->{at(count):%b %d, %Y %I:%M %p}"))
    body = rss(items)
    cut = parse_feed(body)
    without_cut(monkeypatch)
    whole = parse_feed(body)
    assert [(e.guid, e.published) for e in cut.entries] == [
        (e.guid, e.published) for e in whole.entries
    ]
    assert whole.entries[-1].published is not None


def _date_text(n: int, rng: random.Random) -> str:
    when = START + timedelta(minutes=n * 7 + rng.randrange(5))
    text = rng.choice(
        [
            format_datetime(when),
            when.isoformat(),
            f"{when:%b %d, %Y}",
            f"{when:%d %b %Y}",
            f"{when:%m/%d/%Y}",
            f"{when:%Y/%m/%d %H:%M}",
            f"{when:%a, %d %b %Y %H:%M:%S} -0500",
            f"{when:%B %d, %Y %I:%M %p}",
            f"{when:%a, %d %b %Y %H:%M:%S} GMT-0500",
            f"{when:%Y-%m-%d %H:%M:%S} -08:00",
            f"{when:%a, %d %b %Y} 24:00:00 GMT",
            f"note-{n}",
            "soon",
            "",
            " ",
        ]
    )
    return rng.choice(
        [
            text,
            f"<![CDATA[{text}]]>",
            f"\n  <![CDATA[{text}]]>\n",
            f" {text} ",
            f"<!-- c -->{text}",
            f"{text}<!-- c -->",
            f"<?pi x?>{text}",
            f"<b>x</b>{text}",
            text.replace(" ", "&#32;"),
        ]
    )


def _dated_children(n: int, rng: random.Random, names: list[str]) -> str:
    children = []
    for _ in range(rng.randrange(4)):
        name = rng.choice(names)
        children.append(rng.choice([f"<{name}>{_date_text(n, rng)}</{name}>", f"<{name}/>"]))
    if rng.random() < 0.2:
        later = (START + timedelta(days=999)).isoformat()
        children.insert(
            rng.randrange(len(children) + 1), f"<source><updated>{later}</updated></source>"
        )
    return "".join(children)


@pytest.mark.parametrize("seed", range(4))
def test_the_cut_chooses_as_the_parser_among_dates_written_every_way(
    seed: int, monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    rng = random.Random(seed)
    numbers = list(range(MAX_FEED_ENTRIES + 50 + rng.randrange(300)))
    rng.shuffle(numbers)
    if seed % 2:
        names = ["pubDate", "PUBDATE", "dc:date", "published", "issued", "updated", "created",
                 "lastBuildDate", "modified", "atom:updated", "guid", "x:guid", "date"]  # fmt: skip
        body = (
            '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:atom="http://www.w3.org/2005/Atom" xmlns:x="urn:x"><channel><title>Q</title>'
            + "".join(
                f"<item><title>N {n}</title><link>https://q.example/{n}</link>"
                f"{_dated_children(n, rng, names)}</item>"
                for n in numbers
            )
            + "</channel></rss>"
        )
    else:
        namespace = ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#")[seed // 2 % 2]
        names = ["published", "updated", "issued", "modified", "dc:date"]
        body = (
            f'<?xml version="1.0"?><feed xmlns="{namespace}"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"><title>Q</title>'
            + "".join(
                f"<entry><id>urn:n:{n}</id><title>N {n}</title>"
                f"{_dated_children(n, rng, names)}</entry>"
                for n in numbers
            )
            + "</feed>"
        )
    with_cut, whole = choices(body.encode(), monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body)  # cut


@pytest.mark.parametrize("seed", range(2))
def test_rss_1_items_are_chosen_as_the_parser_chooses_among_dates_written_every_way(
    seed: int, monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # The parser reads an RSS 1.0 item's dates by namespace, each its first element only.
    rng = random.Random(seed)
    numbers = list(range(MAX_FEED_ENTRIES + 50 + rng.randrange(300)))
    rng.shuffle(numbers)
    names = ["dc:date", "d:date", "t:modified", "t:issued", "a:issued", "a:modified",
             "a:updated", "pubDate", "x:date", "guid"]  # fmt: skip
    body = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:t="http://purl.org/dc/terms/"'
        ' xmlns:a="http://www.w3.org/2005/Atom" xmlns:x="urn:x">'
        '<channel rdf:about="https://q.example/"><title>Q</title></channel>'
        + "".join(
            f'<item rdf:about="https://q.example/{n}"><title>N {n}</title>'
            f"{_dated_children(n, rng, names)}</item>"
            for n in numbers
        )
        + "</rdf:RDF>"
    )
    with_cut, whole = choices(body.encode(), monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body)  # cut
