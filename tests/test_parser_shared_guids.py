"""An id that cannot tell entries apart (the site's home page, or one id on several stories)
is not their GUID: otherwise the store takes each new story for a correction of the stored one,
overwrites it, and the feed goes silent."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ingest.parser import ParsedEntry, parse_feed
from bot.store.articles import insert_new
from bot.store.database import open_database

SITE = "https://bakery.example.com/"


def _feed(items: list[tuple[str, str, str]]) -> list[ParsedEntry]:
    """Items (title, link path, guid)."""
    body = "".join(
        f"<item><title>{title}</title><link>{SITE}{path}</link>"
        f'<guid isPermaLink="false">{guid}</guid></item>'
        for title, path, guid in items
    )
    doc = (
        f'<rss version="2.0"><channel><title>Bakery news</title><link>{SITE}</link>'
        f"{body}</channel></rss>"
    )
    return parse_feed(doc.encode(), url=f"{SITE}rss").entries


def test_a_home_page_id_is_no_guid() -> None:
    (entry,) = _feed([("Sourdough class moves to Fridays", "sourdough", SITE)])
    assert entry.guid == f"{SITE}sourdough"


def test_one_id_on_stories_with_different_links_gives_way_to_the_links() -> None:
    rye, spelt = _feed(
        [("Rye loaf is back", "rye", "news-item"), ("Spelt sold out", "spelt", "news-item")]
    )
    assert (rye.guid, spelt.guid) == (f"{SITE}rye", f"{SITE}spelt")


def test_an_id_repeated_on_the_same_link_is_kept() -> None:
    first, again = _feed(
        [("Rye loaf is back", "rye", "item-7"), ("Rye loaf is back", "rye", "item-7")]
    )
    assert first.guid == again.guid == "item-7"


def test_distinct_ids_are_untouched() -> None:
    rye, spelt = _feed(
        [("Rye loaf is back", "rye", "item-7"), ("Spelt sold out", "spelt", "item-8")]
    )
    assert (rye.guid, spelt.guid) == ("item-7", "item-8")


def test_a_feed_giving_every_item_the_home_page_id_keeps_announcing_stories() -> None:
    db = open_database(":memory:")

    def poll(items: list[tuple[str, str, str]]) -> list[str]:
        rows = [
            dict(
                feed_id=None,
                source="Bakery news",
                guid=e.guid,
                url=e.url,
                canonical_url=e.url,
                title=e.title,
                text=e.text,
                author=None,
                published=e.published,
                seen_at=datetime.now(UTC),
            )
            for e in _feed(items)
        ]
        return [article.title for article in insert_new(db, rows)]

    assert poll([("Oven repaired", "oven", SITE)]) == ["Oven repaired"]
    assert poll([("Night shift hiring", "hiring", SITE), ("Oven repaired", "oven", SITE)]) == [
        "Night shift hiring"
    ]
    titles = {row[0] for row in db.execute("SELECT title FROM articles").fetchall()}
    assert titles == {"Oven repaired", "Night shift hiring"}


def test_a_hash_routed_page_id_is_a_guid() -> None:
    # "https://site/#/story" is a page of a single-page site, not its home page: kept as the
    # entry's GUID, as before, so stored entries keep their ids across the upgrade.
    (entry,) = _feed([("Rye loaf is back", "rye", f"{SITE}#/rye-is-back")])
    assert entry.guid == f"{SITE}#/rye-is-back"
