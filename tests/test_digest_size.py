"""A digest's size is the channel's to set (config file, its default, /watchlist), its cards are
what is new to the channel since its last digest, and every story beyond them is listed after
the cards (headline, sources, /story slug, link) without counting as delivered. Real SQLite
files, real dispatch, the in-memory chat fake for the outbox's order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config, ConfigError, load_config
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.render.literal import unmarked, url_link
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.database import open_database

MONDAY = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)
SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")


def _db(tmp_path: Path) -> sqlite_utils.Database:
    return open_database(tmp_path / "nd.db")


def _queued(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT story_id FROM deliveries WHERE kind = 'story'")]


def _notices(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT text FROM alerts ORDER BY id")]


def _link(db: sqlite_utils.Database, story_id: str, url: str) -> None:
    db.execute("UPDATE articles SET url = ? WHERE story_id = ?", [url, story_id])


# --- the size: config file, its default, /watchlist ---------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsdigest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_sets_a_default_size_and_a_channels_own(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[digests]\nsize = 4\n\n[[channels]]\nplatform = "slack"\nid = "C1"\ndigest_size = 7\n'
        '\n[[channels]]\nplatform = "slack"\nid = "C2"\n',
    )
    config = load_config(path)
    assert config.digest_size == 4
    assert [c.digest_size for c in config.channels] == [7, None]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[digests]\nsize = 0\n", "digests.size"),
        ("[digests]\nsize = 51\n", "digests.size"),
        ('[digests]\nsize = "10"\n', "digests.size"),
        ("[digests]\ncards = 10\n", "digests"),
        ('[[channels]]\nplatform = "slack"\nid = "C1"\ndigest_size = true\n', "digest_size"),
        ('[[channels]]\nplatform = "slack"\nid = "C1"\ndigest_size = 100\n', "digest_size"),
    ],
)
def test_config_refuses_a_size_out_of_range(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path, text))
    assert key in str(caught.value)


def test_the_files_size_limits_the_channels_digest(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f'database = "{tmp_path / "nd.db"}"\n[digests]\nsize = 3\n\n'
        '[[channels]]\nplatform = "slack"\nid = "C1"\ndigest_size = 2\n\n'
        '[[channels]]\nplatform = "slack"\nid = "C2"\n',
    )
    core = NewsDigest(load_config(path))
    core.sync_config()
    for i in range(5):
        add_story(core.db, f"s{i}", ["A", "B"], now=MONDAY - timedelta(hours=i + 1))
    own = channel_store.get_channel(core.db, "slack", "C1")
    default = channel_store.get_channel(core.db, "slack", "C2")
    assert own is not None and default is not None and own.digest_size == 2
    assert len(core.digest(own, now=MONDAY).cards) == 2
    assert len(core.digest(default, now=MONDAY).cards) == 3
    assert digests.enqueue_digest(core.db, own, now=MONDAY, default_size=3) == 2
    assert digests.enqueue_digest(core.db, default, now=MONDAY, default_size=3) == 3
    core.close()


def test_an_unchanged_entry_is_not_resynced_for_the_new_key() -> None:
    # The sync writes a config channel over chat's changes only when its entry changed: the new
    # key, left unset, must not make every entry of an older file look edited.
    from bot.config_entries import ChannelConfig
    from bot.store.sync import _hash

    entry = ChannelConfig(platform="slack", id="C1")
    assert _hash(entry) == _old_hash(entry)
    assert _hash(ChannelConfig(platform="slack", id="C1", digest_size=5)) != _old_hash(entry)


def _old_hash(entry: object) -> str:
    import hashlib
    import json
    from dataclasses import asdict

    fields = asdict(entry)  # type: ignore[call-overload]
    fields.pop("digest_size")
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


async def test_watchlist_sets_and_resets_the_size(tmp_path: Path) -> None:
    core = NewsDigest(Config(digest_size=6), db=_db(tmp_path))
    commands = Commands(core)
    await commands.dispatch("watchlist", "min-sources 2", SLACK)  # signs the channel up
    shown = await commands.dispatch("watchlist", "", SLACK)
    assert "digest-size: 6 (default)" in shown.text
    saved = await commands.dispatch("watchlist", "digest-size 4", SLACK)
    assert saved.text.startswith("Saved. ") and "digest-size: 4" in saved.text
    assert "(default)" not in saved.text
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.digest_size == 4
    await commands.dispatch("watchlist", "digest-size default", SLACK)
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.digest_size is None
    core.close()


@pytest.mark.parametrize("typed", ["0x5", "51", "-1", "ten", "", "3 4", "²"])
async def test_watchlist_refuses_a_size_out_of_range(tmp_path: Path, typed: str) -> None:
    core = NewsDigest(Config(), db=_db(tmp_path))
    reply = await Commands(core).dispatch("watchlist", f"digest-size {typed}", SLACK)
    assert reply.text.startswith("digest-size takes a whole number of cards from 1 to 50")
    assert "Usage: /watchlist digest-size N (1 to 50) | /watchlist digest-size default" in (
        reply.text
    )
    assert channel_store.get_channel(core.db, "slack", "C7") is None
    core.close()


# --- the rank: new to the channel first --------------------------------------------------------


def test_a_story_that_grew_long_ago_does_not_crowd_out_new_ones(tmp_path: Path) -> None:
    db = _db(tmp_path)
    channel = add_channel(db, "C1")
    channel_store.update_channel(db, channel.id, digest_size=2)
    channel = channel_store.get_channel_by_pk(db, channel.id)  # type: ignore[assignment]
    assert channel is not None
    last = MONDAY - timedelta(days=1)
    digest_runs.record_digest_run(db, channel.id, scheduled_for=last, now=last, stories=0)
    # Nine outlets, all before the last digest; touched since (so in the window) by a tenth.
    add_story(db, "giant", [f"O{i}" for i in range(9)], now=MONDAY - timedelta(hours=40))
    grow_story(db, "giant", ["O9"], now=MONDAY - timedelta(hours=2))
    add_story(db, "fresh-a", ["A", "B", "C"], now=MONDAY - timedelta(hours=3))
    add_story(db, "fresh-b", ["A", "B"], now=MONDAY - timedelta(hours=1))
    add_story(db, "fresh-c", ["C", "D"], now=MONDAY - timedelta(hours=5))
    assert digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY) == 2
    # Three new sources, then two new with the later report; the giant gained one.
    assert _queued(db) == ["fresh-a", "fresh-b"]
    [notice] = _notices(db)
    lines = notice.splitlines()[1:]
    assert [line.split(" · ")[2] for line in lines] == [
        "/story story-fresh-c",
        "/story story-giant",
    ]


def test_a_backlog_of_old_reports_is_not_new_however_big(tmp_path: Path) -> None:
    # One poll stored five outlets' four-day-old items: a big story, and none of it news.
    db = _db(tmp_path)
    channel = add_channel(db, "C1")
    add_story(db, "backlog", ["A", "B", "C", "D", "E"], now=MONDAY - timedelta(hours=1))
    old = (MONDAY - timedelta(days=4)).isoformat()
    db.execute("UPDATE articles SET published = ? WHERE story_id = 'backlog'", [old])
    add_story(db, "fresh", ["A", "B"], now=MONDAY - timedelta(hours=2))
    selection = digests.digest_selection(db, channel, now=MONDAY, default_size=1)
    assert [c.story.id for c in selection.chosen] == ["fresh"]
    assert [c.story.id for c in selection.overflow] == ["backlog"]


def test_ties_break_on_the_newest_report_then_the_id(tmp_path: Path) -> None:
    db = _db(tmp_path)
    channel = add_channel(db, "C1")
    for story, hours in (("b", 4), ("a", 4), ("c", 1)):
        add_story(db, story, ["A", "B"], now=MONDAY - timedelta(hours=hours))
    selection = digests.digest_selection(db, channel, now=MONDAY)
    assert [c.story.id for c in selection.chosen] == ["c", "a", "b"]
    # The preview and the scheduled digest take the same order from the same rule.
    assert digests.enqueue_digest(db, channel, now=MONDAY, default_size=1) == 1
    assert _queued(db) == ["c"]


# --- the list after the cards ------------------------------------------------------------------


async def test_overflow_lines_name_headline_sources_slug_and_link(tmp_path: Path) -> None:
    db = _db(tmp_path)
    channel = add_channel(db, "C1")
    for i in range(3):
        add_story(db, f"s{i}", ["A", "B", "C"][: 3 - i], now=MONDAY - timedelta(hours=i + 1))
    _link(db, "s2", "https://news.example/harbour-lights?id=7")
    # A link a browser would not open as shown is left out, never printed.
    _link(db, "s1", "javascript:alert(1)")
    assert digests.enqueue_digest(db, channel, now=MONDAY, default_size=1) == 1
    # The link is marked as the bot's (`url_link`): the adapters make it open.
    assert [unmarked(text) for text in _notices(db)] == [
        "Also matching this channel, without a card in this digest (2 stories):\n"
        "• Story s1 · 2 sources · /story story-s1\n"
        "• Story s2 · 1 source · /story story-s2 · https://news.example/harbour-lights?id=7"
    ]
    assert url_link("https://news.example/harbour-lights?id=7") in _notices(db)[0]


async def test_listed_stories_are_not_delivered_and_never_posted_twice(tmp_path: Path) -> None:
    db = _db(tmp_path)
    channel = add_channel(db, "C1")
    chat = FakeChatAdapter("slack")
    clock = [MONDAY]
    outbox = Outbox(
        db, make_card_source(db, MONDAY), settings=OutboxSettings(pace=0), clock=lambda: clock[0]
    )
    outbox.register(chat)
    for i in range(3):
        add_story(db, f"s{i}", ["A", "B"], now=MONDAY - timedelta(hours=i + 1))
    assert digests.enqueue_digest(db, channel, now=MONDAY, default_size=2) == 2
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s0", "s1"]
    assert "/story story-s2" in chat.texts()[0].text
    # Listed, as the count was, not delivered: the next digest may still give it a card.
    tuesday = MONDAY + timedelta(days=1)
    clock[0] = tuesday
    assert digests.enqueue_digest(db, channel, now=tuesday, default_size=2) == 1
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s0", "s1", "s2"]
    # And nothing is posted again, or listed again once it has its card.
    wednesday = tuesday + timedelta(hours=2)
    assert digests.enqueue_digest(db, channel, now=wednesday, default_size=2) == 0
    assert len(_notices(db)) == 1


def test_overflow_notice_is_one_discord_message_and_counts_the_rest(tmp_path: Path) -> None:
    from bot.runner.overflow import MAX_LISTED

    db = _db(tmp_path)
    channel = add_channel(db, "D1", platform="discord")
    for i in range(45):
        add_story(db, f"s{i:02}", ["A", "B"], now=MONDAY - timedelta(minutes=i + 1))
        _link(db, f"s{i:02}", f"https://news.example/2027/03/08/a-long-address-for-story-{i:02}")
    assert digests.enqueue_digest(db, channel, now=MONDAY, default_size=5) == 5
    [notice] = _notices(db)
    lines = notice.splitlines()
    listed = [line for line in lines if line.startswith("• ")]
    assert 0 < len(listed) <= MAX_LISTED
    assert lines[-1] == f"…and {40 - len(listed)} more: /digest or /story query:<words>"
    keys = [r[0] for r in db.execute("SELECT key FROM alerts ORDER BY id")]
    assert keys == ["digest-more:2027-03-08T09:00:00+00:00"]


def test_no_list_when_everything_fits() -> None:
    from bot.runner.overflow import overflow_notice

    assert overflow_notice("slack", []) is None
