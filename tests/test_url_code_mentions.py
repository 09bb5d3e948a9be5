"""A feed URL holding `@everyone` or `@here` (`https://example.com/@everyone/feed`) is shown in a
reply's code span as stored, so it copies back into /feeds remove: a zero-width space after the
`@` made it another address ("No feed ..."). Inside the span it pings no one: Slack reads a
broadcast only as `<!everyone>` (and `<` is escaped there), our blocks are verbatim and no
link_names is sent; every Discord reply allows no mentions (`allowed_mentions` with an empty
parse list). Outside a code span, typed text still gets the zero-width space."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import answer, slash
from test_slack_app import Harness

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.config import Config
from bot.store import feeds as feed_store
from bot.store.database import open_database

MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6
SUPPRESS_EMBEDS = 1 << 2
NOT_FETCHED = (
    "Not fetched yet: its first poll, within a few minutes, says whether it is a feed "
    "(/feeds list shows what it found)."
)
ZWSP = "\u200b"


@pytest.fixture
def core(tmp_path: Path) -> AsyncIterator[NewsDigest]:
    config = Config(database=str(tmp_path / "nd.db"), admin_users=["UADMIN"])
    app = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    yield app
    app.close()


def slack_ack(text: str) -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}],
    }


@pytest.mark.parametrize("who", ["everyone", "here"])
async def test_slack_shows_the_url_as_stored_and_it_copies_back(
    h: Harness, core: NewsDigest, who: str
) -> None:
    url = f"https://example.com/@{who}/feed"
    status, added = await h.slash("/feeds", f"add {url}", user="UADMIN")
    assert status == 200
    assert added == slack_ack(f"Added feed `{url}`. {NOT_FETCHED}")
    # Copied from the span, it names the feed.
    _, removed = await h.slash("/feeds", f"remove {url}", user="UADMIN")
    assert removed == slack_ack(f"Removed feed `{url}`.")
    assert feed_store.list_feeds(core.db) == []
    # Typed text outside a code span is still broken up.
    _, missing = await h.slash("/feeds", f"remove {url}", user="UADMIN")
    assert missing == slack_ack(
        f"No feed 'https://example.com/@{ZWSP}{who}/feed'. See /feeds list."
    )


@pytest.mark.parametrize("who", ["everyone", "here"])
async def test_discord_shows_the_url_as_stored_and_it_copies_back(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest, who: str
) -> None:
    url = f"https://example.com/@{who}/feed"
    await slash(bot, "feeds", "add", permissions=MANAGE_GUILD, url=url)
    added = answer(discord_api)  # asserts allowed_mentions {"parse": []}: nothing pings
    assert added == {
        "tts": False,
        "content": f"Added feed `{url}`. {NOT_FETCHED}",
        "flags": EPHEMERAL | SUPPRESS_EMBEDS,
        "allowed_mentions": {"parse": []},
    }
    await slash(bot, "feeds", "remove", permissions=MANAGE_GUILD, feed=url)
    assert answer(discord_api)["content"] == f"Removed feed `{url}`."
    assert feed_store.list_feeds(core.db) == []
    await slash(bot, "feeds", "remove", permissions=MANAGE_GUILD, feed=url)
    assert answer(discord_api)["content"] == (
        f"No feed 'https{ZWSP}://example.com/@{ZWSP}{who}/feed'. See /feeds list."
    )
