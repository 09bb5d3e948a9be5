"""`/story WORDS` and `newsdigest story WORDS` search the titles of a story's articles too, not only
its chosen headline and slug; `newsdigest stories` lists the card's headline, bounded, from the
start. The sample feeds over loopback HTTP, a real SQLite file, the real pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.cli import polled_sample
from fakes.stories import grow_story

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.demo.sample_news import ITEMS
from bot.models import Article
from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import open_database
from bot.topics.lookup import StoryRef, find_story

CTX = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
MOON_TITLES = {i.title for i in ITEMS if i.story == "lunar-lander"}
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _lunar(core: NewsDigest) -> story_store.StoryRow:
    (story_id,) = {
        r[0] for r in core.db.execute("SELECT story_id, title FROM articles") if r[1] in MOON_TITLES
    }
    story = core.story(story_id)
    assert story is not None
    return story


async def test_story_words_match_member_titles(core: NewsDigest) -> None:
    await core.poll()
    for story in story_store.recent_stories(core.db):
        core.card(story)  # as a digest or the demo does: each story gets its card's headline
    lunar = _lunar(core)
    # The story's own slug and headline do not say "descent"; one of its four titles does.
    assert "descent" not in lunar.slug and "descent" not in lunar.headline.lower()
    found = core.find_story("descent")
    assert (found.story and found.story.story_id, found.reason) == (lunar.id, "search")
    # Words from different titles of the story, all of which must match.
    found = core.find_story("descent university drill")
    assert (found.story and found.story.story_id, found.reason) == (lunar.id, "search")
    # Chat gets the same story.
    reply = await Commands(core).dispatch("/story", "descent", CTX)
    assert [c.story_id for c in reply.cards] == [lunar.id]
    # A word no title has still finds nothing, with suggestions from the titles' words.
    missing = core.find_story("descant")
    assert missing.story is None and missing.reason == "none"
    assert [s.story_id for s in missing.suggestions][:1] == [lunar.id]


def test_cli_story_moon(
    tmp_path: Path, sample_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    runner = polled_sample(sample_config)
    # Shown once (its card's headline is now the story's), then found by a word of its titles.
    assert runner.invoke(cli, ["story", "kestrel", "lander"]).exit_code == 0
    story = runner.invoke(cli, ["story", "moon"])
    assert story.exit_code == 0, story.output
    assert "4 sources tracking this story" in story.output


WHEN = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _ref(slug: str, headline: str, titles: tuple[str, ...], hours_ago: int = 0) -> StoryRef:
    return StoryRef(slug, slug, (), headline, WHEN - timedelta(hours=hours_ago), titles)


def test_headline_words_rank_above_title_words_and_common_above_rare() -> None:
    in_headline = _ref("lunar-base", "Moon base plans unveiled", ("Moon base plans unveiled",), 5)
    in_titles = _ref(
        "kestrel-lands",
        "Kestrel-2 lands near lunar south pole",
        ("Kestrel-2 lands near lunar south pole", "Kestrel-2 lands on the Moon"),
    )
    once = _ref(
        "budget-vote",
        "Budget vote passes",
        ("Budget vote passes", "Budget passes", "Vote count", "Moon mission funds cut"),
    )
    found = find_story("moon", [once, in_titles, in_headline])
    # No clear winner: all three are offered, the headline match first, then by title share.
    assert found.story is None and found.reason == "ambiguous"
    assert [s.slug for s in found.suggestions] == ["lunar-base", "kestrel-lands", "budget-vote"]
    # Only one story has every word: found outright.
    found = find_story("moon kestrel", [once, in_titles, in_headline])
    assert found.story == in_titles and found.reason == "search"


def test_listing_headline_is_the_cards_and_bounded(tmp_path: Path) -> None:
    db = open_database(tmp_path / "one.db")
    feed = feed_store.add_feed(db, "https://desk.example/rss")
    words = "Council debates the riverside ferry timetable and the winter fares again".split()
    long_title = " ".join(words[i % len(words)] for i in range(70))
    assert len(long_title) > 400
    new = article_store.insert_new(
        db,
        [
            {
                "feed_id": feed.id,
                "source": "Desk",
                "guid": "g1",
                "url": "https://desk.example/1",
                "canonical_url": "https://desk.example/1",
                "title": long_title,
                "text": "The council met on Monday. " * 5,
                "published": NOW,
                "seen_at": NOW,
            }
        ],
    )
    StoryClusterer(db).assign(new)
    (story,) = story_store.recent_stories(db)
    assert len(story.headline) <= story_store.HEADLINE_CHARS
    assert story.headline.endswith("…") and long_title.startswith(story.headline[:-1])
    assert long_title[len(story.headline) - 1] == " "  # cut between words
    listing = story.headline
    app = NewsDigest(Config(), db=db)
    card = app.card(story)
    assert story_store.bounded_headline(card.headline) == listing
    assert app.story(story.id).headline == listing  # type: ignore[union-attr]
    app.close()


async def test_listing_shows_the_same_headline_before_and_after_the_card(
    core: NewsDigest,
) -> None:
    await core.poll()
    before = {s.id: s.headline for s in story_store.recent_stories(core.db)}
    assert len(before) > 5
    for story in story_store.recent_stories(core.db):
        core.card(story)
    after = {s.id: s.headline for s in story_store.recent_stories(core.db)}
    assert after == before


def test_a_big_storys_listed_headline_is_chosen_from_its_first_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every pass that touches a story picks its listed headline again: for an 800-article story
    # that cost over a second inside the clustering transaction. The pick reads its first
    # reports only (the card, once built, replaces it with its own).
    from bot.pipeline import cards

    seen: list[int] = []
    real = cards.choose_headline

    def counting(members: list[Article], probs: dict[str, float]) -> tuple[str, str]:
        seen.append(len(members))
        return real(members, probs)

    monkeypatch.setattr(cards, "choose_headline", counting)
    db = open_database(tmp_path / "big.db")
    members = [
        Article(
            id=f"a{i}", source=f"Outlet {i}", title=f"Ferry strike day {i}", text="Crews struck."
        )
        for i in range(200)
    ]
    headline = cards.story_headline(db, "s1", members)
    assert seen == [cards.HEADLINE_MEMBERS] and headline.startswith("Ferry strike day")


async def test_story_words_match_a_plural_or_singular_in_chat(core: NewsDigest) -> None:
    # As topic queries match them: "vaccines" finds the story whose headline says "vaccine".
    story_store.create_story(core.db, "v1", "story-v1", "Vaccine rollout begins", NOW)
    grow_story(core.db, "v1", ["Reuters", "AP"], now=NOW)
    reply = await Commands(core).dispatch("/story", "vaccines", CTX)
    # The breakdown itself, not "'vaccines' is not a story I know. Did you mean: ...".
    assert [c.story_id for c in reply.cards] == ["v1"] and reply.full and not reply.ephemeral
    assert reply.text == reply.cards[0].headline
