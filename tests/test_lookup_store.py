"""`/story` against the database: full slugs resolve by index, and look-alike slugs stay apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.app import NewsDigest
from bot.cluster.slugs import make_slug
from bot.config import Config
from bot.models import Article
from bot.store import stories as story_store
from bot.store.database import open_database, utcnow
from bot.topics.lookup import StoryRef, find_story, slugify
from tests._cost import assert_costs_at_most

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def ref(slug: str, *, hours_ago: int = 0, aliases: tuple[str, ...] = ()) -> StoryRef:
    return StoryRef(f"id-{slug}", slug, aliases, slug, NOW - timedelta(hours=hours_ago))


# Two Russian headlines that differ only in "ё"/"е" fold to the same slug form.
YO = ref("всё-банке", hours_ago=5)
YE = ref("все-банке", hours_ago=1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("всё-банке", YO), ("все-банке", YE), ("ВСЁ-БАНКЕ", YO), ("#всё-банке", YO)],
)
def test_slug_typed_exactly_beats_a_newer_folded_twin(query: str, expected: StoryRef) -> None:
    # Folded matching alone returned the newer story for both spellings.
    found = find_story(query, [YO, YE])
    assert found.story == expected and found.reason == "exact"


def test_alias_typed_exactly_beats_a_folded_slug() -> None:
    merged = ref("banking-story", hours_ago=9, aliases=("всё-банке",))
    found = find_story("всё-банке", [merged, YE])
    assert found.story == merged and found.reason == "alias"


def test_folded_match_still_works_when_nothing_matches_exactly() -> None:
    found = find_story("ВСЕ БАНКЕ", [YO])
    assert found.story == YO and found.reason == "exact"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_database(tmp_path / "nd.db")
    yield database
    database.close()


def _story(
    db: sqlite_utils.Database, story_id: str, slug: str, *, sources: int = 1, hours_ago: int = 0
) -> None:
    seen = utcnow() - timedelta(hours=hours_ago)
    story_store.create_story(db, story_id, slug, slug.replace("-", " "), seen)
    story_store.update_counts(
        db, story_id, article_count=1, outlet_count=1, source_count=sources, last_updated=seen
    )


def test_slug_taken_counts_a_folded_twin(db: sqlite_utils.Database) -> None:
    _story(db, "a", "всё-банке")
    _story(db, "b", "zurich-bank")
    _story(db, "c", "ёлка-праздник")
    story_store.merge(db, "c", "b")  # "ёлка-праздник" lives on as an alias of "b"
    assert story_store.slug_taken(db, "всё-банке")
    assert story_store.slug_taken(db, "все-банке")  # exact-text check said free
    assert story_store.slug_taken(db, "елка-праздник")  # folded twin of an alias
    assert story_store.slug_taken(db, "zurich-bank")
    assert not story_store.slug_taken(db, "все-рынке")
    assert not story_store.slug_taken(db, "zurich-banks")


def test_new_slug_never_folds_onto_an_existing_one(db: sqlite_utils.Database) -> None:
    first = Article(id="x1", source="s", title="Всё о банке России", text="")
    second = Article(id="x2", source="s", title="Все о банке России", text="")
    slug1 = make_slug([first], lambda s: story_store.slug_taken(db, s))
    _story(db, "r1", slug1)
    slug2 = make_slug([second], lambda s: story_store.slug_taken(db, s))
    _story(db, "r2", slug2)
    # Before, the second story got "все-банке", and `/story всё-банке` could open either.
    assert slug1 == "всё-россии"
    assert slug2 != "все-россии"
    assert slugify(slug2) != slugify(slug1)
    for slug, story_id in ((slug1, "r1"), (slug2, "r2")):
        assert NewsDigest(Config(), db=db).find_story(slug).story.story_id == story_id  # type: ignore[union-attr]


def test_full_slug_and_alias_resolve_beyond_the_candidate_cap(db: sqlite_utils.Database) -> None:
    _story(db, "old", "old-harbour-fire", sources=1, hours_ago=24 * 400)
    _story(db, "gone", "harbour-blaze", sources=1, hours_ago=24 * 401)
    story_store.merge(db, "gone", "old")
    # More newer, better-sourced stories than find_story's candidate list holds (5,000).
    stamp = utcnow().isoformat()
    db["stories"].insert_all(
        {
            "id": f"n{i}",
            "slug": f"news-{i}",
            "headline": f"News {i}",
            "first_seen": stamp,
            "last_updated": stamp,
            "article_count": 2,
            "outlet_count": 2,
            "source_count": 2,
        }
        for i in range(5_001)
    )
    core = NewsDigest(Config(), db=db)
    names = ("old-harbour-fire", "Old-Harbour-Fire", "harbour-blaze", "gone")
    by_slug, by_case, by_alias, by_old_id = (core.find_story(name) for name in names)
    assert by_slug.story is not None and by_slug.story.story_id == "old"
    assert by_slug.reason == "exact" and by_slug.story.aliases == ("harbour-blaze",)
    assert by_case.story is not None and by_case.story.story_id == "old"
    assert by_alias.story is not None and by_alias.story.story_id == "old"
    assert by_alias.reason == "alias"
    assert by_old_id.story is not None and by_old_id.story.story_id == "old"
    # Indexed lookups, not a scan of the candidate list: all four cost about a hundredth of
    # reading that list once.
    assert_costs_at_most(
        lambda: [core.find_story(name) for name in names],
        lambda: story_store.recent_stories(db, since=None, min_sources=1, limit=5000),
        0.25,
    )
    # Newer stories still resolve as before.
    assert core.find_story("news-4999").story.story_id == "n4999"  # type: ignore[union-attr]
