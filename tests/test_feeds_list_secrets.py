"""/feeds list in chat is for anyone in the channel: a feed address's query string (where API
keys and tokens go, `?apikey=…`) is shown to admins only, as `?…` to everyone else, on Slack and
Discord alike; the CLI, for the operator, shows every address whole. (A fragment, `#token=…`, is
never stored: the feed's address is saved without it.)"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlackAPI
from test_discord_commands import answer, make_bot, slash
from test_slack_app import Harness, ack_text, make_harness

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import Config
from bot.store import feeds as feed_store
from bot.store.database import open_database

SECRET_URL = "https://feeds.example/rss?apikey=SECRET123"
TOKEN_URL = "https://wire.example/feed.xml?token=HUSH456&format=rss"
PLAIN_URL = "https://plain.example/feed.xml"
MOVED_ERROR = "HTTP 404 after a redirect to https://feeds.example/v2?apikey=SECRET789"
MANAGE_GUILD = 1 << 5


@pytest.fixture
def feeds_core(tmp_path: Path) -> Iterator[NewsDigest]:
    path = tmp_path / "nd.db"
    core = NewsDigest(Config(database=str(path), admin_users=["UCONFIG"]), db=open_database(path))
    secret = feed_store.add_feed(core.db, SECRET_URL)
    feed_store.add_feed(core.db, TOKEN_URL)
    feed_store.add_feed(core.db, PLAIN_URL)
    # A feed named by an address with its key (a title copied from the URL).
    feed_store.add_feed(
        core.db, "https://named.example/feed.xml", name="https://named.example/feed?key=NAMEKEY"
    )
    core.db["feeds"].update(secret.id, {"consecutive_failures": 1, "last_error": MOVED_ERROR})
    yield core
    core.close()


@pytest.fixture
async def h(slack_api: FakeSlackAPI, feeds_core: NewsDigest) -> AsyncIterator[Harness]:
    async for harness in make_harness(slack_api, feeds_core):
        yield harness


def assert_hidden(text: str) -> None:
    # Discord's escaping breaks an address in a line's text with a zero-width space.
    text = text.replace("\u200b", "")
    for secret in ("SECRET123", "HUSH456", "SECRET789", "NAMEKEY", "apikey", "token="):
        assert secret not in text
    assert "https://feeds.example/rss?…" in text
    assert "https://wire.example/feed.xml?…" in text
    assert "https://feeds.example/v2?…" in text  # the address in the feed's error too
    assert "https://named.example/feed?…" in text  # and in its name
    # An address with nothing to hide stays whole, a link to copy as before.
    assert PLAIN_URL in text


async def test_slack_members_see_no_query_strings_admins_see_all(h: Harness) -> None:
    _, body = await h.slash("/feeds", "list", user="UNOBODY")
    assert_hidden(ack_text(body))
    assert f"<{PLAIN_URL}|{PLAIN_URL}>" in ack_text(body)
    _, body = await h.slash("/feeds", user="UNOBODY")  # the bare command lists too
    assert_hidden(ack_text(body))
    _, body = await h.slash("/feeds", "list", user="UCONFIG")
    text = ack_text(body)
    assert f"<{SECRET_URL}|{SECRET_URL}>" in text and "SECRET789" in text
    assert "HUSH456" in text


async def test_slack_feeds_list_answers_when_the_admin_check_gets_no_answer(h: Harness) -> None:
    """users.info's connection dropping (a network failure, no SlackApiError) failed the whole
    command, "Sorry, that command failed" for everyone; the check fails closed for this one
    request instead, not remembered, so an admin sees every address again once Slack answers."""
    h.slack_api.users["UADMIN"] = {"id": "UADMIN", "is_admin": True}
    h.slack_api.api_drops.add("users.info")
    _, body = await h.slash("/feeds", "list", user="UADMIN")
    assert_hidden(ack_text(body))
    assert h.slack_api.calls_to("users.info")  # asked, and got no answer
    h.slack_api.api_drops.clear()
    _, body = await h.slash("/feeds", "list", user="UADMIN")
    assert "SECRET123" in ack_text(body) and "HUSH456" in ack_text(body)


async def test_discord_members_see_no_query_strings_admins_see_all(
    discord_api: FakeDiscord, feeds_core: NewsDigest
) -> None:
    bot = await make_bot(feeds_core)
    try:
        await slash(bot, "feeds", "list")
        assert_hidden(answer(discord_api)["content"])
        await slash(bot, "feeds", "list", permissions=MANAGE_GUILD)
        text = answer(discord_api)["content"]
        assert f"<{SECRET_URL}>" in text and "SECRET789" in text and "HUSH456" in text
    finally:
        await bot.close()


def test_the_cli_lists_every_address_whole(
    feeds_core: NewsDigest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A guard, passing before the change too: hiding query strings from chat must not reach
    the operator's `feeds list`, which needs each address whole."""
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    result = CliRunner().invoke(cli, ["feeds", "list"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert SECRET_URL in result.output and TOKEN_URL in result.output
