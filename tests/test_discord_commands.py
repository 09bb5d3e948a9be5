"""Discord application commands, autocomplete and buttons, driven by fake interactions.

Interactions are built from the payloads Discord sends and fed to the client exactly as the
gateway's INTERACTION_CREATE would be (the pattern of discord.py's own tests); their responses
land on the fake REST API, where the exact payloads are asserted.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from _sign_up import SIGNED_UP_DISCORD
from fakes.discord_api import APP_ID, BOT_USER, GUILD_ID, FakeDiscord, Recorded
from fakes.stories import add_story, grow_story

from bot.adapters.discord.bot import DiscordBot
from bot.adapters.discord.interactions import CommandRunner
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.config import Config
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, utcnow

CHANNEL = 333333333333333333
USER = 444444444444444444
EDITORS_ROLE = 555555555555555555
MANAGE_GUILD = 1 << 5
EPHEMERAL = 64
NO_MENTIONS = {"parse": []}
_ids = itertools.count(700000000000000000)


@pytest.fixture
def api(discord_api: FakeDiscord) -> FakeDiscord:
    return discord_api


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    config = Config(database=str(tmp_path / "nd.db"), admin_group="Editors")
    app = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    app.sync_config()
    now = utcnow() - timedelta(hours=1)
    add_story(app.db, "aaaaaaaaaaaa", ["Harbor Ledger", "Valley Times"], now=now)
    add_story(app.db, "bbbbbbbbbbbb", ["Pinecrest Wire", "Dune Radio", "Bay Courier"], now=now)
    yield app
    app.close()


async def make_bot(core: NewsDigest, **runner: Any) -> DiscordBot:
    runner.setdefault("pace", 0.0)
    bot = DiscordBot(
        CommandRunner(
            Commands(core, post_digest=runner.pop("post_digest", None)), core.config, **runner
        )
    )
    await bot.login("fake-token")
    # What the guilds intent's GUILD_CREATE would have cached: the role admin.group names.
    bot._connection._add_guild_from_data(
        {
            "id": str(GUILD_ID),
            "name": "Newsroom",
            "roles": [
                {"id": str(GUILD_ID), "name": "@everyone", "permissions": "0", "position": 0},
                {"id": str(EDITORS_ROLE), "name": "Editors", "permissions": "0", "position": 1},
            ],
        }  # type: ignore[arg-type]
    )
    return bot


@pytest.fixture
async def bot(api: FakeDiscord, core: NewsDigest) -> AsyncIterator[DiscordBot]:
    client = await make_bot(core)
    yield client
    await client.close()


def payload(
    kind: int, data: dict[str, Any], *, permissions: int = 0, roles: tuple[int, ...] = ()
) -> dict[str, Any]:
    iid = next(_ids)
    return {
        "id": str(iid),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"token-{iid}",
        "version": 1,
        "data": data,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL),
        "channel": {
            "id": str(CHANNEL),
            "type": 0,
            "name": "news",
            "guild_id": str(GUILD_ID),
            "position": 0,
        },
        "member": {
            "user": {"id": str(USER), "username": "reader", "discriminator": "0", "avatar": None},
            "roles": [str(r) for r in roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        },
        # View Channel, Send Messages and Embed Links: what a channel's posts need.
        "app_permissions": str((1 << 10) | (1 << 11) | (1 << 14)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "attachment_size_limit": 8388608,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "context": 0,
    }


def click(custom_id: str) -> dict[str, Any]:
    """A button press: Discord sends the message the button is on, components included."""
    data = payload(3, {"custom_id": custom_id, "component_type": 2})
    button = {"type": 2, "style": 1, "label": "Button", "custom_id": custom_id}
    data["message"] = {
        "id": str(next(_ids)),
        "channel_id": str(CHANNEL),
        "author": BOT_USER,
        "content": "",
        "timestamp": "2025-03-01T08:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
        "components": [{"type": 1, "components": [button]}],
    }
    return data


def command(name: str, *path: str, focused: str | None = None, **options: Any) -> dict[str, Any]:
    """Chat-input command data; `path` names subcommands, `options` are string/int values."""
    opts: list[dict[str, Any]] = [
        {
            "type": 4 if isinstance(v, int) else 3,
            "name": k,
            "value": v,
            **({"focused": True} if k == focused else {}),
        }
        for k, v in options.items()
    ]
    for sub in reversed(path):
        opts = [{"type": 1, "name": sub, "options": opts}]
    return {"id": "1", "name": name, "type": 1, "options": opts}


async def interact(bot: DiscordBot, data: dict[str, Any]) -> None:
    """Feed an INTERACTION_CREATE to the client and wait until its handlers are done."""
    bot._connection.parse_interaction_create(data)  # type: ignore[arg-type]
    for _ in range(50):
        pending = [
            t
            for t in asyncio.all_tasks()
            if t.get_name().startswith(("CommandTree-invoker", "discord-ui")) and not t.done()
        ]
        if not pending:
            return
        await asyncio.wait(pending, timeout=5)


async def slash(
    bot: DiscordBot,
    name: str,
    *path: str,
    permissions: int = 0,
    roles: tuple[int, ...] = (),
    **options: Any,
) -> None:
    await interact(
        bot, payload(2, command(name, *path, **options), permissions=permissions, roles=roles)
    )


def callbacks(api: FakeDiscord) -> list[Recorded]:
    return api.calls("POST", r"/interactions/\d+/[^/]+/callback")


def answer(api: FakeDiscord) -> dict[str, Any]:
    """The single immediate answer (type 4) of the last interaction."""
    last = callbacks(api)[-1].body
    assert last["type"] == 4, last
    assert last["data"]["allowed_mentions"] == NO_MENTIONS
    return last["data"]


def channel(core: NewsDigest) -> ChannelRow:
    found = channel_store.get_channel(core.db, "discord", str(CHANNEL))
    assert found is not None
    return found


# --- commands -------------------------------------------------------------------------------------


async def test_follow_creates_topic_publicly(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "follow", topic="harbor", query="harbor OR lighthouse")
    data = answer(api)
    assert data["content"].startswith("This channel now follows harbor (matching ")
    assert data.get("flags", 0) & EPHEMERAL == 0
    assert [t.slug for t in channel_store.channel_topics(core.db, channel(core).id)] == ["harbor"]


async def test_follow_query_option_of_plain_words_is_a_query(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    # The query option is always a query, even when it reads like the rest of a topic name.
    await slash(bot, "follow", topic="machine", query="learning")
    assert answer(api)["content"] == (
        "This channel now follows machine (matching learning)." + SIGNED_UP_DISCORD
    )
    await slash(bot, "follow", topic="machine learning")
    assert answer(api)["content"].startswith("There is no topic 'machine-learning'.")


async def test_a_curly_quoted_topic_of_words_is_followed_as_a_straight_quoted_one(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    # Only straight quotes counted as quoted: “machine learning” was wrapped in quotes again
    # and refused as a name of '“' and '”'.
    await slash(bot, "follow", topic="\u201cmachine learning\u201d", query="learning")
    assert answer(api)["content"] == (
        "This channel now follows machine-learning (matching learning)." + SIGNED_UP_DISCORD
    )


async def test_a_refused_topic_name_is_quoted_as_typed_in_the_option(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    # The option's words were joined by '-' before the core saw them: it quoted back
    # 'Floods-&-Disasters', a name nobody typed.
    await slash(bot, "follow", topic="Floods & Disasters", query="flood OR evacuated")
    assert answer(api)["content"].startswith(
        "Topic names use only a-z, 0-9 and '-', at most 63 characters: 'Floods & Disasters'. "
        "To follow it under a name of those words: floods-disasters"
    )


async def test_errors_and_settings_are_ephemeral(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "follow", topic="nosuch")
    data = answer(api)
    assert data["flags"] & EPHEMERAL
    assert data["content"] == (
        "There is no topic 'nosuch'. Create it with a query, e.g. "
        '/follow topic:nosuch query:"some phrase" OR keyword. Known topics: none yet'
    )
    await slash(bot, "watchlist", "mode", mode="instant")
    data = answer(api)
    assert data["flags"] & EPHEMERAL
    assert data["content"].startswith("Saved. Mode: instant · schedule: ")
    await slash(bot, "watchlist", "min-sources", count=3)
    assert channel(core).min_sources == 3
    await slash(bot, "watchlist", "quiet", hours="22:00-07:00")
    assert channel(core).quiet_hours == "22:00-07:00"


async def test_watchlist_lines_are_escaped(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    # A query chat now refuses (a mention), as the config file or an older version saved it.
    channel_store.upsert_topic(core.db, "ai", '"*AI*" OR @everyone')
    await slash(bot, "follow", topic="ai")
    await slash(bot, "watchlist", "show")
    data = answer(api)
    # The listing's last line, before the hint on changing it (`bot.commands.hints`).
    assert data["content"].endswith(
        '\n• ai: "\\*AI\\*" OR @\u200beveryone\nChange it: `/watchlist schedule when:weekdays'
        " 09:00 Europe/Berlin` · `/watchlist mode mode:digest|instant` · `/watchlist min-sources"
        " count:N` · `/follow topic:<topic> [query:<query>]` · `/unfollow topic:<topic>`"
    )
    assert data["flags"] & EPHEMERAL


def headline(core: NewsDigest, story_id: str) -> str:
    story = core.story(story_id)
    assert story is not None
    return core.card(story).headline


async def test_story_defers_then_edits_in_the_card(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "story", query="story-bbbbbbbbbbbb")
    (defer,) = callbacks(api)
    assert defer.body["type"] == 5
    assert "data" not in defer.body  # no ephemeral flag: the card is for everyone
    (edit,) = api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.body["allowed_mentions"] == NO_MENTIONS
    (embed,) = edit.body["embeds"]
    assert embed["title"] == headline(core, "bbbbbbbbbbbb")
    assert embed["description"].startswith("**3 sources tracking this story**")
    assert embed["footer"]["text"].endswith("/story story-bbbbbbbbbbbb · ref bbbbbbbbbbbb")
    ids = [c["custom_id"] for c in edit.body["components"][0]["components"]]
    # The breakdown itself offers no "Full breakdown", as on Slack.
    assert ids == ["nd:newtopic:story-bbbbbbbbbbbb", "nd:mute:bbbbbbbbbbbb"]


async def test_story_not_found_replaces_the_public_thinking_with_a_private_answer(
    api: FakeDiscord, bot: DiscordBot
) -> None:
    await slash(bot, "story", query="@everyone zebra")
    assert callbacks(api)[0].body["type"] == 5
    assert len(api.calls("DELETE", r"/webhooks/\d+/[^/]+/messages/@original")) == 1
    (follow_up,) = api.calls("POST", rf"/webhooks/{APP_ID}/[^/]+")
    assert follow_up.body["flags"] & EPHEMERAL
    assert follow_up.body["allowed_mentions"] == NO_MENTIONS
    assert follow_up.body["content"] == (
        "No story matches '@\u200beveryone zebra'. Try a few words from its headline."
    )


async def test_hostile_headline_is_escaped_in_the_card(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    hostile = "@everyone <@&1> **click** [x](https://e.vil)"
    story_store.create_story(core.db, "cccccccccccc", "evil", hostile, utcnow())
    rows = [
        {"source": o, "guid": f"evil-{o}", "title": hostile, "seen_at": utcnow()}
        for o in ("Evil Wire", "Other Wire")
    ]
    for article in article_store.insert_new(core.db, rows):
        article_store.set_story(core.db, article.id, "cccccccccccc")
    grow_story(core.db, "cccccccccccc", [], now=utcnow())  # recount sources
    await slash(bot, "story", query="evil")
    (edit,) = api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    title = edit.body["embeds"][0]["title"]
    assert title == "@\u200beveryone \\<@&1> \\*\\*click\\*\\* \\[x\\](https\u200b://e.vil)"
    assert "@everyone" not in str(edit.body)


async def test_digest_without_outbox_posts_heading_then_cards(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
    channel_store.update_channel(core.db, channel(core).id, min_sources=1)
    await slash(bot, "digest")
    assert callbacks(api)[0].body["type"] == 5
    (edit,) = api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.body["content"].startswith("**News digest · ")
    (cards,) = api.calls("POST", rf"/webhooks/{APP_ID}/[^/]+")
    titles = sorted(e["title"] for e in cards.body["embeds"])
    assert titles == sorted(headline(core, s) for s in ("aaaaaaaaaaaa", "bbbbbbbbbbbb"))
    rows = cards.body["components"]
    # Each card's breakdown button names its story: the embeds are not numbered, their angles are.
    labels = sorted(r["components"][0]["label"] for r in rows)
    expected = [f"Full breakdown: {headline(core, s)}" for s in ("aaaaaaaaaaaa", "bbbbbbbbbbbb")]
    assert labels == sorted(expected)


async def test_digest_with_outbox_confirms_privately(api: FakeDiscord, core: NewsDigest) -> None:
    asked: list[ChannelRow] = []

    async def post_digest(row: ChannelRow) -> int:
        asked.append(row)
        return 2

    client = await make_bot(core, post_digest=post_digest)
    try:
        await slash(client, "digest")
    finally:
        await client.close()
    assert callbacks(api)[0].body["data"]["flags"] & EPHEMERAL
    (edit,) = api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.body["content"] == "Posting 2 stories to this channel." + SIGNED_UP_DISCORD
    assert [c.channel_id for c in asked] == [str(CHANNEL)]


async def test_slow_command_is_deferred(
    api: FakeDiscord, core: NewsDigest, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Commands.dispatch

    async def slow(self: Commands, *args: Any) -> Any:
        await asyncio.sleep(0.2)
        return await original(self, *args)

    monkeypatch.setattr(Commands, "dispatch", slow)
    client = await make_bot(core, defer_after=0.01)
    try:
        await slash(client, "unfollow", topic="nothing")
    finally:
        await client.close()
    (defer,) = callbacks(api)
    # /unfollow usually answers publicly, so the thinking message was public; the refusal is
    # private, so the thinking message is replaced by an ephemeral follow-up.
    assert defer.body["type"] == 5 and "data" not in defer.body
    assert len(api.calls("DELETE", r"/webhooks/\d+/[^/]+/messages/@original")) == 1
    (follow_up,) = api.calls("POST", rf"/webhooks/{APP_ID}/[^/]+")
    assert follow_up.body["flags"] & EPHEMERAL
    assert follow_up.body["content"] == (
        "This channel follows no topics, so it does not follow 'nothing'."
    )


# --- permissions ----------------------------------------------------------------------------------


async def test_feeds_add_is_refused_to_members_without_manage_server_or_role(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "feeds", "add", url="https://example.com/feed.xml")
    data = answer(api)
    assert data["flags"] & EPHEMERAL
    # Discord's own admins only: a Discord member has no use for Slack's "workspace admins".
    assert data["content"] == (
        "Only admins can add or remove feeds (members with Manage Server, or the admin users and "
        "group the bot's config names)."
    )
    assert feed_store.list_feeds(core.db) == []


@pytest.mark.parametrize(("permissions", "roles"), [(MANAGE_GUILD, ()), (0, (EDITORS_ROLE,))])
async def test_feeds_add_allowed_for_manage_server_or_admin_role(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest, permissions: int, roles: tuple[int, ...]
) -> None:
    await slash(
        bot,
        "feeds",
        "add",
        permissions=permissions,
        roles=roles,
        url="https://example.com/feed.xml",
    )
    assert answer(api)["content"].startswith("Added feed `https://example.com/feed.xml`.")
    await slash(bot, "feeds", "list")
    assert "example.com/feed.xml" in answer(api)["content"]


async def test_a_second_role_named_like_the_admin_role_is_not_admin(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    impostor = 666666666666666666
    guild = bot.get_guild(GUILD_ID)
    assert guild is not None
    guild._add_role(
        discord.Role(
            guild=guild,
            state=bot._connection,
            data={"id": str(impostor), "name": "Editors", "permissions": "0", "position": 2},
        )
    )
    await slash(bot, "feeds", "add", roles=(impostor,), url="https://example.com/feed.xml")
    assert answer(api)["content"].startswith("Only admins can add or remove feeds")
    # The real role still works when admin.group names it by ID.
    core.config.admin_group = str(EDITORS_ROLE)
    await slash(bot, "feeds", "add", roles=(EDITORS_ROLE,), url="https://example.com/feed.xml")
    assert answer(api)["content"].startswith("Added feed `https://example.com/feed.xml`.")


@pytest.mark.parametrize("username", ["345678901234567890", "alice"])
async def test_a_username_spelling_an_admin_entry_is_not_admin(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest, username: str
) -> None:
    # admin.users holds IDs; anyone can rename themselves to an admin's ID digits (or a name).
    core.config.admin_users = ["345678901234567890", "alice"]
    data = payload(2, command("feeds", "add", url="https://example.com/feed.xml"))
    data["member"]["user"]["username"] = username
    await interact(bot, data)
    assert answer(api)["content"].startswith("Only admins can add or remove feeds")
    assert feed_store.list_feeds(core.db) == []


async def test_a_user_listed_by_id_is_admin(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    core.config.admin_users = [str(USER)]
    await slash(bot, "feeds", "add", url="https://example.com/feed.xml")
    assert answer(api)["content"].startswith("Added feed `https://example.com/feed.xml`.")


# --- autocomplete ---------------------------------------------------------------------------------


async def test_autocomplete_topics_and_stories(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    channel_store.upsert_topic(core.db, "harbor", "harbor")
    channel_store.upsert_topic(core.db, "space", "rocket OR launch")
    await interact(bot, payload(4, command("follow", topic="sp", focused="topic")))
    last = callbacks(api)[-1].body
    assert last == {
        "type": 8,
        "data": {"choices": [{"name": "space: rocket OR launch", "value": "space"}]},
    }
    await interact(bot, payload(4, command("story", query="bbbb", focused="query")))
    choices = callbacks(api)[-1].body["data"]["choices"]
    assert choices == [
        {"name": "Story bbbbbbbbbbbb (story-bbbbbbbbbbbb)", "value": "story-bbbbbbbbbbbb"}
    ]


async def test_mute_unmute_and_timezone_subcommands(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "watchlist", "min-sources", count=2)  # signs the channel up
    await slash(bot, "watchlist", "mute", story="story-aaaaaaaaaaaa")
    assert answer(api)["content"].endswith("Undo with /watchlist unmute story:story-aaaaaaaaaaaa")
    assert channel_store.muted_story_ids(core.db, channel(core).id) == {"aaaaaaaaaaaa"}
    # Autocomplete offers the muted stories only.
    await interact(bot, payload(4, command("watchlist", "unmute", story="", focused="story")))
    choices = callbacks(api)[-1].body["data"]["choices"]
    assert choices == [
        {"name": "Story aaaaaaaaaaaa (story-aaaaaaaaaaaa)", "value": "story-aaaaaaaaaaaa"}
    ]
    await slash(bot, "watchlist", "unmute", story="story-aaaaaaaaaaaa")
    assert answer(api)["content"].startswith("Unmuted story-aaaaaaaaaaaa")
    assert channel_store.muted_story_ids(core.db, channel(core).id) == set()

    await slash(bot, "watchlist", "schedule", when="weekdays 07:30")
    await slash(bot, "watchlist", "timezone", zone="america/new_york")
    assert (channel(core).schedule, channel(core).timezone) == (
        "30 7 * * mon-fri",
        "America/New_York",
    )
    # A city typed into the zone option finds its zone first.
    await interact(bot, payload(4, command("watchlist", "timezone", zone="berlin", focused="zone")))
    choices = callbacks(api)[-1].body["data"]["choices"]
    assert choices[0] == {"name": "Europe/Berlin", "value": "Europe/Berlin"}
    # Abbreviations, which chat refuses, are not offered.
    await interact(bot, payload(4, command("watchlist", "timezone", zone="est", focused="zone")))
    offered = [c["value"] for c in callbacks(api)[-1].body["data"]["choices"]]
    assert offered and "EST" not in offered and "EST5EDT" not in offered


# --- buttons --------------------------------------------------------------------------------------


async def test_full_breakdown_button_answers_privately(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await interact(bot, click("nd:full:story-aaaaaaaaaaaa"))
    (defer,) = callbacks(api)
    assert defer.body["type"] == 5 and defer.body["data"]["flags"] & EPHEMERAL
    (edit,) = api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.body["embeds"][0]["title"] == headline(core, "aaaaaaaaaaaa")


async def test_follow_topic_button_and_new_topic_modal(
    api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    channel_store.upsert_topic(core.db, "harbor", "harbor")
    await interact(bot, click("nd:follow:harbor"))
    assert answer(api)["content"] == "This channel now follows harbor." + SIGNED_UP_DISCORD
    await interact(bot, click("nd:newtopic:story-aaaaaaaaaaaa"))
    modal = callbacks(api)[-1].body
    assert modal["type"] == 9
    assert modal["data"]["title"] == "Follow a topic"
    inputs = [row["components"][0] for row in modal["data"]["components"]]
    assert inputs[0]["value"] == "story-aaaaaaaaaaaa"
