"""/story with what people paste or mistype: an article's link, words that are no search ("the",
"!!!", emoji), a page of text, a merged story's old slug. Real dispatch, real SQLite, and the
replies drawn by the Slack and Discord adapters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.base import Reply
from bot.config import Config
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store.database import open_database, transaction, utcnow
from tests.fakes.clock import Clock

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
DISCORD = CommandContext(platform="discord", channel_id="D1", user_id="U8")
LIBRARY_URL = "https://www.gazette.example/news/library-opens-sundays"
# When the fixture's renames and merges happen, and the day the replies are asked for.
MERGED = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
TODAY = Clock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))


def _story(core: NewsDigest, story_id: str, slug: str, headline: str, hours_ago: int) -> None:
    seen = utcnow() - timedelta(hours=hours_ago)
    story_store.create_story(core.db, story_id, slug, headline, seen)
    story_store.update_counts(
        core.db, story_id, article_count=1, outlet_count=1, source_count=2, last_updated=seen
    )


def _article(core: NewsDigest, story_id: str, url: str, title: str) -> None:
    row = {
        "source": "Gazette",
        "guid": url,
        "url": url,
        "canonical_url": url,
        "title": title,
        "seen_at": utcnow(),
    }
    for article in article_store.insert_new(core.db, [row]):
        article_store.set_story(core.db, article.id, story_id)


@pytest.fixture
def news(tmp_path: Path) -> NewsDigest:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    with transaction(core.db):
        _story(core, "lib", "central-library", "Central library to open on Sundays", 1)
        _story(core, "ferry", "ferry-blueline", "Ferry operator wins the coastal route", 2)
        _story(core, "kes", "skyforge-kestrel", "Kestrel lander reaches the lunar south pole", 0)
        _article(core, "lib", LIBRARY_URL, "Library opens on Sundays")
        _article(core, "ferry", "https://harbour.example/ferry-route", "Ferry wins route")
        story_store.merge(core.db, "ferry", "lib", now=MERGED)
    return core


def _slack_text(reply: Reply) -> str:
    (message,) = reply_messages(reply)
    return " ".join(b["text"]["text"] for b in message.blocks if b.get("type") == "section")


@pytest.mark.parametrize(
    "pasted",
    [
        LIBRARY_URL,
        # As Slack hands it over once unwrapped, or a reader copies it: another scheme, no
        # www., tracking parameters, the AMP copy, Discord's no-preview brackets.
        "http://gazette.example/news/library-opens-sundays?utm_source=share",
        "https://amp.gazette.example/news/library-opens-sundays",
        f"<{LIBRARY_URL}>",
        # The same page with a trailing slash.
        f"{LIBRARY_URL}/",
    ],
)
async def test_an_article_link_opens_the_story_holding_it(news: NewsDigest, pasted: str) -> None:
    reply = await Commands(news).dispatch("story", pasted, SLACK)
    assert [c.story_id for c in reply.cards] == ["lib"], reply.text
    assert not reply.ephemeral


async def test_a_link_to_an_article_of_a_merged_story_opens_the_survivor(
    news: NewsDigest,
) -> None:
    reply = await Commands(news).dispatch("story", "https://harbour.example/ferry-route", SLACK)
    assert [c.story_id for c in reply.cards] == ["lib"], reply.text


async def test_a_link_stored_with_a_trailing_slash_is_found_without_it(news: NewsDigest) -> None:
    with transaction(news.db):
        _article(news, "kes", "https://lunar.example/kestrel/landing/", "Kestrel lands")
    for pasted in (
        "https://lunar.example/kestrel/landing",
        "https://lunar.example/kestrel/landing/",
    ):
        reply = await Commands(news).dispatch("story", pasted, SLACK)
        assert [c.story_id for c in reply.cards] == ["kes"], reply.text
    # A site's front page is no article of any story.
    home = await Commands(news).dispatch("story", "https://lunar.example/", SLACK)
    assert not home.cards


async def test_an_unknown_link_says_no_story_holds_it(news: NewsDigest) -> None:
    reply = await Commands(news).dispatch("story", "https://other.example/a-story", SLACK)
    assert not reply.cards and reply.ephemeral
    assert reply.text.startswith("No story holds the article at 'https://other.example/a-story'"), (
        reply.text
    )
    assert "Did you mean" not in reply.text


@pytest.mark.parametrize("typed", ["the", "a", "!!!", "🚀🚀"])
async def test_no_word_to_search_for_matches_nothing(news: NewsDigest, typed: str) -> None:
    reply = await Commands(news).dispatch("story", typed, SLACK)
    # Not a card posted for the channel, nor "did you mean" a list of unrelated stories.
    assert not reply.cards and reply.ephemeral
    assert reply.text.startswith(f"No story matches '{typed}': it has no word to search for.")
    assert "Did you mean" not in reply.text and "several" not in reply.text
    # The newest stories, offered as what they are.
    assert reply.text.endswith("Recent stories: `skyforge-kestrel`, `central-library`.")


async def test_stopwords_that_name_something_are_still_searched(news: NewsDigest) -> None:
    _story(news, "who", "the-who-tour", "The Who announce a tour", 0)
    reply = await Commands(news).dispatch("story", "the who", SLACK)
    assert [c.story_id for c in reply.cards] == ["who"]


async def test_a_pasted_page_is_echoed_cut_short(news: NewsDigest) -> None:
    page = "zebra " * 1000
    reply = await Commands(news).dispatch("story", page, DISCORD)
    assert len(reply.text) < 200, reply.text
    assert "zebra zebra" in reply.text and "…'" in reply.text
    assert len(render_reply(reply)) == 1


async def test_typed_markup_is_echoed_literally(news: NewsDigest) -> None:
    typed = "<!channel> *bold* [free](https://evil.example) ||spoil|| `c`"
    slack = await Commands(news).dispatch("story", typed, SLACK)
    text = _slack_text(slack)
    assert "*bold*" not in text and "`c`" not in text and "<!channel>" not in text
    assert "&lt;!channel&gt;" in text
    discord = await Commands(news).dispatch("story", typed, DISCORD)
    (message,) = render_reply(discord)
    content = message.content or ""
    assert "[free](" not in content and "||spoil||" not in content and "*bold*" not in content
    assert "https://evil.example" not in content and "\\`c\\`" in content


async def test_a_merged_slug_says_where_it_went_on_both_platforms(news: NewsDigest) -> None:
    reply = await Commands(news, clock=TODAY).dispatch("story", "ferry-blueline", SLACK)
    assert [c.story_id for c in reply.cards] == ["lib"] and not reply.ephemeral
    note = "`ferry-blueline` was merged into `central-library` on 29 Nov (it now has 1 source)"
    assert reply.see_also == note
    slack = reply_messages(reply)
    assert any(note in str(m.blocks) for m in slack[1:]), slack
    assert slack[0].blocks[0]["type"] == "header"  # the card itself is posted as before
    discord = render_reply(reply)
    assert discord[0].embeds and discord[-1].content == note


async def test_an_old_name_of_a_renamed_story_says_so(news: NewsDigest) -> None:
    with transaction(news.db):
        story_store.rename(news.db, "kes", "kestrel-lands", now=MERGED)
    reply = await Commands(news, clock=TODAY).dispatch("story", "skyforge-kestrel", SLACK)
    assert [c.story_id for c in reply.cards] == ["kes"]
    assert reply.see_also == "`skyforge-kestrel` was renamed `kestrel-lands` on 29 Nov"


async def test_an_old_name_of_a_story_merged_in_is_not_called_the_survivors(
    news: NewsDigest,
) -> None:
    # `dome-plan` was the first name of a story renamed and then merged into `kes`: not an
    # earlier name of `kes` itself, and the reply says whose it was.
    with transaction(news.db):
        story_store.rename(news.db, "kes", "kestrel-lands", now=MERGED)
        _story(news, "dome", "dome-plan", "Lunar dome plan unveiled", 3)
        _article(news, "dome", "https://dome.example/plan", "Lunar dome plan")
        story_store.rename(news.db, "dome", "lunar-dome-plan", now=MERGED)
        story_store.merge(news.db, "dome", "kes", now=TODAY.now)
    commands = Commands(news, clock=TODAY)
    reply = await commands.dispatch("story", "dome-plan", SLACK)
    assert [c.story_id for c in reply.cards] == ["kes"]
    assert reply.see_also == (
        "`dome-plan` was renamed `lunar-dome-plan` on 29 Nov, then merged into `kestrel-lands`"
        " on 30 Nov (it now has 1 source)"
    )
    # The merged story's own last name says it was merged.
    merged = await commands.dispatch("story", "lunar-dome-plan", SLACK)
    assert merged.see_also == (
        "`lunar-dome-plan` was merged into `kestrel-lands` on 30 Nov (it now has 1 source)"
    )
    # And the survivor's own earlier name is its own.
    own = await commands.dispatch("story", "skyforge-kestrel", SLACK)
    assert own.see_also == "`skyforge-kestrel` was renamed `kestrel-lands` on 29 Nov"


def test_slacks_usage_hint_for_story_mentions_links() -> None:
    manifest = (Path(__file__).parent.parent / "config" / "slack-manifest.yml").read_text("utf-8")
    story = manifest.split("- command: /story", 1)[1].split("- command:", 1)[0]
    assert "link" in story


async def test_the_story_card_is_dated_by_the_commands_clock(news: NewsDigest) -> None:
    # The service's clock is the one its posted cards are dated by: /story's card must say the
    # same "as of", not read the wall clock on its own.
    with transaction(news.db):
        story_store.create_story(news.db, "tide", "tide-gauge", "Tide gauge reads a record", MERGED)
        story_store.update_counts(
            news.db, "tide", article_count=1, outlet_count=1, source_count=2, last_updated=MERGED
        )
    clock = Clock(MERGED + timedelta(hours=5))
    reply = await Commands(news, clock=clock).dispatch("story", "tide-gauge", SLACK)
    [card] = reply.cards
    assert card.as_of == MERGED + timedelta(hours=5)
    assert card.age_label == "as of 5h after first report"
