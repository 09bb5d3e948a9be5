"""A card's title opens the article whose title it shows, not the first source's article: the
summariser says which article its headline came from, the card carries that link (cached with the
summary), and a posted card that keeps its old headline links the article that headline was.
Real SQLite file, the real summariser; the Discord REST fake records the exact JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.stories import add_channel

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.embeds import card_embed
from bot.adapters.slack.blocks import card_units
from bot.cards import StoryCard
from bot.delivery.prepare import as_posted
from bot.pipeline.cards import build_card
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store.database import open_database
from bot.store.deliveries import DeliveryRow
from bot.store.summaries import cached_summary
from bot.summarize import Summarizer

NOON = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
FIRST = "https://gazette.example/quay-question"
CHOSEN = "https://courier.example/council-closes-quay"
TEXT = (
    "The Tarn harbour council voted on Tuesday to close the old quay to ferries from July, "
    "after engineers found the pilings had rotted. Ferry services will move to the new pier."
)


def _story(db: sqlite_utils.Database) -> None:
    rows = [
        {
            "source": "Gazette",
            "guid": "g1",
            "url": FIRST,
            "title": "Will Tarn's old quay survive the summer?",
            "text": TEXT,
            "seen_at": NOON - timedelta(hours=3),
            "published": NOON - timedelta(hours=3),
        },
        {
            "source": "Courier",
            "guid": "c1",
            "url": CHOSEN,
            "title": "Tarn harbour council votes to close old quay to ferries",
            "text": TEXT,
            "seen_at": NOON - timedelta(hours=2),
            "published": NOON - timedelta(hours=2),
        },
    ]
    story_store.create_story(db, "quay", "tarn-quay", "Tarn quay", NOON - timedelta(hours=3))
    for article in article_store.insert_new(db, rows):
        article_store.set_story(db, article.id, "quay")


def _card(tmp_path: Path) -> tuple[sqlite_utils.Database, StoryCard]:
    db = open_database(tmp_path / "nd.db")
    _story(db)
    story = story_store.get_story(db, "quay")
    assert story is not None
    card = build_card(db, story, Summarizer(), now=NOON)
    return db, card


async def test_discord_card_title_opens_the_article_it_names(
    tmp_path: Path, discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    db, card = _card(tmp_path)
    assert card.headline == "Tarn harbour council votes to close old quay to ferries"
    assert card.sources[0].url == FIRST  # the first report is the other outlet's
    channel = add_channel(db, "111111111111111111", platform="discord")
    await DiscordBotAdapter(discord_client).post_card(channel, card, nonce="n1")
    [call] = discord_api.calls("POST", r"/channels/111111111111111111/messages")
    embed = call.body["embeds"][0]
    assert embed["title"] == card.headline
    assert embed["url"] == CHOSEN
    db.close()


def test_the_link_is_cached_with_the_summary(tmp_path: Path) -> None:
    db, _ = _card(tmp_path)
    cached = cached_summary(db, "quay", 2)
    assert cached is not None and cached.headline_url == CHOSEN
    story = story_store.get_story(db, "quay")
    assert story is not None
    # Built again from the cache: the same link.
    assert build_card(db, story, Summarizer(), now=NOON).headline_url == CHOSEN
    db.close()


def _post(headline: str) -> DeliveryRow:
    keys = "nonce attempts next_attempt_at message_ref thread_ref source_count outlets"
    keys += " last_error sent_at created_at"
    row: dict[str, object] = dict.fromkeys(keys.split())
    row.update(id=1, story_id="quay", channel_pk=1, kind="story", state="sent", attempts=0)
    return DeliveryRow.from_row({**row, "headline": headline})


def test_a_card_keeping_its_posted_headline_links_that_headlines_article(tmp_path: Path) -> None:
    db, card = _card(tmp_path)
    edited = as_posted(card, _post("Will Tarn's old quay survive the summer?"))
    assert edited.headline == "Will Tarn's old quay survive the summer?"
    assert card_embed(edited).url == FIRST
    # A headline no source's title is: the first source's article, as before.
    assert card_embed(as_posted(card, _post("Quay news"))).url == FIRST
    assert card_embed(card).url == CHOSEN  # the cached card is unchanged
    db.close()


def test_slack_card_header_links_nothing(tmp_path: Path) -> None:
    # Slack's card heads with a plain-text header, which opens nothing: no wrong article either.
    db, card = _card(tmp_path)
    header = card_units(card)[0]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert "url" not in header and "accessory" not in header
    db.close()
