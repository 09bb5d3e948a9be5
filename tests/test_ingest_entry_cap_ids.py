"""An id a kept entry shares with an entry the cut took out (`entry_cap`) is read as the parser
read it when it saw every entry: the same id on another page names neither entry
(`entries.shared_ids`), so the kept entry is known by its link. Without the cut entry seen, the
kept one took the shared id, which an older story stored under it already held: the new story
was taken for a correction of that one and never announced."""

from __future__ import annotations

import json

import pytest
from _entry_cap_feeds import at, atom, choices, rfc822, rss

from bot.ingest import entry_cap, jsonfeed
from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed

pytestmark = pytest.mark.usefixtures("dated_documents_cut")

NEWEST = MAX_FEED_ENTRIES + 99


def _item(n: int, guid: str, link: str | None = None) -> str:
    return (
        f"<item><title>Ferry note {n}</title><link>{link or f'https://quay.example/{n}'}</link>"
        f"<guid>{guid}</guid><pubDate>{rfc822(n)}</pubDate></item>"
    )


def _archive(reused: dict[int, tuple[str, str | None]]) -> bytes:
    """Items 0 to NEWEST, oldest first, each with its own GUID but those in `reused`."""
    items = []
    for n in range(NEWEST + 1):
        guid, link = reused.get(n, (f"note-{n}", None))
        items.append(_item(n, guid, link))
    return rss(items)


def test_an_id_a_kept_item_shares_with_a_cut_one_on_another_page_is_no_guid(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # The CMS reused an old item's id for the newest one, on another page.
    body = _archive({3: ("story-7", None), NEWEST: ("story-7", None)})
    with_cut, whole = choices(body, monkeypatch)
    assert parsed_sizes[0] < len(body)  # cut
    assert with_cut == whole
    assert with_cut[-1] == f"https://quay.example/{NEWEST}"
    assert "story-7" not in with_cut


def test_one_story_listed_again_past_the_cut_keeps_its_guid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same id on the same page is one entry listed twice: nothing to tell apart.
    page = "https://quay.example/story-7"
    body = _archive({3: ("story-7", page), NEWEST: ("story-7", page)})
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert with_cut[-1] == "story-7"
    assert with_cut.count("story-7") == 1


def test_atom_ids_and_rss_1_abouts_are_read_too(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [
        f"<entry><id>{'urn:story:7' if n in (5, NEWEST) else f'urn:n:{n}'}</id>"
        f'<title>N {n}</title><link href="https://quay.example/{n}"/>'
        f"<updated>{at(n).isoformat()}</updated></entry>"
        for n in range(NEWEST + 1)
    ]
    with_cut, whole = choices(atom(entries), monkeypatch)
    assert with_cut == whole
    assert with_cut[-1] == f"https://quay.example/{NEWEST}"
    about = "https://q.example/story-7"
    items = "".join(
        f'<item rdf:about="{about if n in (5, NEWEST) else f"https://q.example/a{n}"}">'
        f"<title>N {n}</title><link>https://q.example/{n}</link>"
        f"<dc:date>{at(n).isoformat()}</dc:date></item>"
        for n in range(NEWEST + 1)
    )
    body = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://q.example/"><title>Q</title></channel>'
        f"{items}</rdf:RDF>"
    ).encode()
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert with_cut[-1] == f"https://q.example/{NEWEST}"


def test_an_id_thousands_of_cut_items_share_with_kept_ones_is_read_as_no_guid(
    parsed_sizes: list[int],
) -> None:
    # Reading so many cut entries to compare their pages would cost the parse the cut saves.
    count = 4 * MAX_FEED_ENTRIES
    items = [_item(n, "story", f"https://quay.example/{n % 7}") for n in range(count)]
    parsed = parse_feed(rss(items))
    assert len(parsed.entries) == MAX_FEED_ENTRIES
    assert {e.guid for e in parsed.entries} <= {f"https://quay.example/{k}" for k in range(7)}
    assert len(parsed_sizes) == 1  # only the kept entries were parsed
    assert parsed_sizes[0] < len(rss(items)) / 3


def test_the_cut_names_the_ids_it_shares() -> None:
    body = _archive({3: ("story-7", None), NEWEST: ("story-7", None)})
    cut = entry_cap.keep_newest_entries(body, MAX_FEED_ENTRIES)
    assert cut is not None and cut.unread == NEWEST + 1 - MAX_FEED_ENTRIES
    assert cut.sharing_ids == {"story-7"}
    assert cut.sharing is not None and cut.sharing.count(b"<item>") == 1


def test_a_json_feed_item_sharing_its_id_with_one_left_out_is_known_by_its_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def item(n: int) -> dict[str, str]:
        return {
            "id": "story-7" if n in (3, NEWEST) else f"note-{n}",
            "url": f"https://quay.example/{n}",
            "title": f"Note {n}",
            "date_published": at(n).isoformat(),
        }

    items = [item(n) for n in range(NEWEST + 1)]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Q", "items": items}
    body = json.dumps(feed).encode()
    kept = [e.guid for e in parse_feed(body).entries]
    monkeypatch.setattr(jsonfeed, "keep_newest_items", lambda items, limit: items)
    whole = [e.guid for e in parse_feed(body).entries]
    assert kept == whole
    assert kept[-1] == f"https://quay.example/{NEWEST}"
