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
from test_discord_commands import answer, callbacks, command, interact, make_bot, payload, slash
from test_slack_app import Harness, ack_text, make_harness

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands.base import CommandContext
from bot.commands.core import Commands
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


# Where else a key hides in an address: a path parameter, a password an older version stored
# (`feeds add` refuses one now), and addresses inside a feed's error written without a scheme,
# in a code span or as Slack's <url|label>, whose closing marks must stay.
PARAM_URL = "https://session.example/rss;jsessionid=PARAMKEY"
USERINFO_URL = "https://reader:PASSKEY@old.example/feed.xml"
ODD_ERROR = (
    "HTTP 403: see ex.example/q?apikey=BAREKEY, `https://code.example/x?k=CODEKEY` and "
    "<https://label.example/y?k=LABELKEY|here>; retry at reader:PASSKEY2@old.example/v2"
)
ODD_SECRETS = ("PARAMKEY", "PASSKEY", "BAREKEY", "CODEKEY", "LABELKEY", "jsessionid", "apikey")


@pytest.fixture
def odd_core(tmp_path: Path) -> Iterator[NewsDigest]:
    path = tmp_path / "nd.db"
    core = NewsDigest(Config(database=str(path), admin_users=["UCONFIG"]), db=open_database(path))
    param = feed_store.add_feed(core.db, PARAM_URL)
    core.db["feeds"].update(param.id, {"consecutive_failures": 2, "last_error": ODD_ERROR})
    # As an older version stored it: straight into the table, past today's checks.
    core.db.execute(
        "INSERT INTO feeds (url, created_at) VALUES (?, '2024-01-01T00:00:00+00:00')",
        [USERINFO_URL],
    )
    yield core
    core.close()


async def test_odd_places_for_keys_are_hidden_and_the_text_around_them_kept(
    odd_core: NewsDigest,
) -> None:
    commands = Commands(odd_core)
    member = CommandContext(platform="slack", channel_id="C1", user_id="UNOBODY", is_admin=False)
    reply = await commands.dispatch("feeds", "list", member)
    assert [str(line) for line in reply.lines] == [
        "#1 https://session.example/rss;… (2 failures: HTTP 403: see ex.example/q?…, "
        "`https://code.example/x?…` and <https://label.example/y?…|here>; retry at "
        "…@old.example/v2)",
        "#2 https://…@old.example/feed.xml (not polled yet)",
    ]
    admin = CommandContext(platform="slack", channel_id="C1", user_id="UCONFIG", is_admin=True)
    whole = " ".join(map(str, (await commands.dispatch("feeds", "list", admin)).lines))
    assert PARAM_URL in whole and USERINFO_URL in whole and ODD_ERROR in whole


async def test_odd_places_for_keys_are_hidden_on_slack(
    slack_api: FakeSlackAPI, odd_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, odd_core):
        _, body = await h.slash("/feeds", "list", user="UNOBODY")
        text = ack_text(body)
        assert not [s for s in ODD_SECRETS if s in text], text
        assert "old.example/feed.xml" in text and "session.example/rss;…" in text


async def test_odd_places_for_keys_are_hidden_on_discord(
    discord_api: FakeDiscord, odd_core: NewsDigest
) -> None:
    bot = await make_bot(odd_core)
    try:
        await slash(bot, "feeds", "list")
        text = answer(discord_api)["content"].replace("\u200b", "")
        assert not [s for s in ODD_SECRETS if s in text], text
        assert "old.example/feed.xml" in text and "session.example/rss;…" in text
    finally:
        await bot.close()


async def test_discords_autocomplete_hides_keys_but_from_admins(
    discord_api: FakeDiscord, feeds_core: NewsDigest
) -> None:
    # /feeds remove's `feed:` offers the feeds as it is typed, to anyone typing it.
    bot = await make_bot(feeds_core)
    try:
        asked = command("feeds", "remove", feed="", focused="feed")
        await interact(bot, payload(4, asked))
        offered = callbacks(discord_api)[-1].body["data"]["choices"]
        # Each feed named as /feeds list names it: its id, its name unless that is its URL.
        assert {"name": "#1 <https://feeds.example/rss?…>", "value": "1"} in offered
        names = " ".join(c["name"] for c in offered)
        assert not [
            s for s in ("SECRET123", "HUSH456", "NAMEKEY", "apikey", "token=") if s in names
        ]
        assert "https://named.example/feed?… <https://named.example/feed.xml>" in names
        # Matched on what is shown: typing a key's start tells nothing of which feed has it.
        await interact(bot, payload(4, command("feeds", "remove", feed="SECRET1", focused="feed")))
        assert callbacks(discord_api)[-1].body["data"]["choices"] == []
        await interact(bot, payload(4, asked, permissions=MANAGE_GUILD))
        names = " ".join(c["name"] for c in callbacks(discord_api)[-1].body["data"]["choices"])
        assert SECRET_URL in names and "HUSH456" in names
    finally:
        await bot.close()
