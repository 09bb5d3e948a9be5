"""Settings saved before chat checked them keep their meaning, and are pointed out where the
operator looks: a topic query a typed one would refuse (lowercase or/not, single quotes) in
`topics list`, `run`'s start and /watchlist, and testable as the digest reads it (`topics test
--topic`); a fixed-offset zone (EST, Etc/GMT+5) in /watchlist, with the zone that follows summer
time."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.chat import FakeChatAdapter
from fakes.runner import stop
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store.database import open_database, utcnow
from bot.topics.saved import saved_query_note

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
DISCORD = CommandContext(platform="discord", channel_id="333", user_id="444", channel_name="news")


def test_the_notes_say_how_the_digest_reads_a_query() -> None:
    note = saved_query_note("chip or semiconductor")
    assert note is not None
    assert str(note) == (
        '"or" is a word to find here, not the operator OR: read as chip AND or AND semiconductor'
    )
    quoted = saved_query_note("'lunar lander' OR ferry")
    assert quoted is not None and quoted.problem == "single quotes make no phrase"
    for fine in ("chip OR semiconductor", '"salt or pepper"', "O'Brien", "chip -rumour"):
        assert saved_query_note(fine) is None


@pytest.fixture
def saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "nd.db"
    db = open_database(path)
    # As an older version saved them: no typed check then.
    channel_store.upsert_topic(db, "chips", "chip or semiconductor")
    channel_store.upsert_topic(db, "lunar", "'lunar lander'")
    channel_store.upsert_topic(db, "fine", "chip OR semiconductor")
    add_story(db, "chip", ["semiconductor", "wire"], now=utcnow())
    db.conn.close()
    monkeypatch.setenv("NEWSDIGEST_DB", str(path))
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


def test_topics_list_notes_each_flagged_topic(saved: Path) -> None:
    listed = CliRunner().invoke(cli, ["topics", "list"])
    assert listed.exit_code == 0, listed.output
    out = listed.stdout
    assert "2 queries would be refused if typed today" in out
    assert 'chips: "or" is a word to find here, not the operator OR: read as chip AND or' in out
    assert "lunar: single quotes make no phrase: read as lunar AND lander" in out
    assert "fine:" not in out


def test_topics_test_takes_a_saved_topic_as_the_digest_reads_it(saved: Path) -> None:
    runner = CliRunner()
    tested = runner.invoke(cli, ["topics", "test", "--topic", "chips"])
    assert tested.exit_code == 0, tested.output
    assert tested.stdout.startswith("chip AND or AND semiconductor matches 0 of 1 story")
    assert 'Note: chips: "or" is a word to find here' in tested.stderr
    good = runner.invoke(cli, ["topics", "test", "--topic", "fine"])
    assert good.stdout.startswith("chip OR semiconductor matches 1 of 1 story"), good.output
    assert runner.invoke(cli, ["topics", "test", "--topic", "nope"]).exit_code == 1
    both = runner.invoke(cli, ["topics", "test", "chip", "--topic", "fine"])
    assert both.exit_code == 2 and "not both" in both.output


async def test_run_warns_of_flagged_topics_once_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Config(database=str(tmp_path / "nd.db"))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    channel_store.upsert_topic(core.db, "chips", "chip or semiconductor")
    channel_store.upsert_topic(core.db, "fine", "chip OR semiconductor")
    settings = RunnerSettings(health_port=None, health_host="127.0.0.1", post_pace=0)
    now = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    with caplog.at_level(logging.WARNING):
        await service.start()
        await stop(service)
    flagged = [r.getMessage() for r in caplog.records if "refused if typed today" in r.message]
    assert len(flagged) == 1
    assert flagged[0].startswith("1 saved topic query would be refused if typed today")
    assert 'chips: "or" is a word to find here' in flagged[0] and "fine:" not in flagged[0]


async def test_watchlist_notes_a_flagged_topic(core: NewsDigest) -> None:
    channel_store.upsert_topic(core.db, "chips", "chip or semiconductor")
    channel_store.upsert_topic(core.db, "fine", "chip OR semiconductor")
    channel = channel_store.ensure_channel(core.db, "slack", "C7")
    channel_store.follow(core.db, channel.id, "chips")
    channel_store.follow(core.db, channel.id, "fine")
    reply = await Commands(core).dispatch("watchlist", "", SLACK)
    lines = {line.text: line.note for line in reply.lines}
    assert lines["chips: chip or semiconductor"] == (
        '("or" is a word to find here, not the operator OR)'
    )
    assert lines["fine: chip OR semiconductor"] == ""


@pytest.mark.parametrize(
    ("zone", "ctx", "note"),
    [
        (
            "EST",
            SLACK,
            "EST keeps one offset all year (no summer time). If your clocks change, use "
            "/watchlist timezone America/New_York; if not, EST is right.",
        ),
        (
            "Etc/GMT+5",
            DISCORD,
            "Etc/GMT+5 keeps one offset all year (no summer time). If your clocks change, use "
            "/watchlist timezone zone:America/New_York; if not, Etc/GMT+5 is right.",
        ),
        # Denver changes its clocks, Phoenix (Arizona) does not; Sydney does, Brisbane not.
        (
            "MST",
            SLACK,
            "MST keeps one offset all year (no summer time). If your clocks change, use "
            "/watchlist timezone America/Denver; if not, America/Phoenix.",
        ),
        (
            "Etc/GMT-10",
            DISCORD,
            "Etc/GMT-10 keeps one offset all year (no summer time). If your clocks change, use "
            "/watchlist timezone zone:Australia/Sydney; if not, zone:Australia/Brisbane.",
        ),
    ],
)
async def test_watchlist_nudges_a_fixed_offset_zone(
    core: NewsDigest, zone: str, ctx: CommandContext, note: str
) -> None:
    channel = channel_store.ensure_channel(core.db, ctx.platform, ctx.channel_id)
    channel_store.update_channel(core.db, channel.id, timezone=zone)
    reply = await Commands(core).dispatch("watchlist", "", ctx)
    assert reply.text.endswith(f"\n{note}"), reply.text
    # The saved zone is unchanged: the note only says how to change it.
    again = channel_store.get_channel(core.db, ctx.platform, ctx.channel_id)
    assert again is not None and again.timezone == zone


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "PST8PDT", "CET", "Etc/GMT-3"])
async def test_no_nudge_for_zones_that_change_or_have_no_better_place(
    core: NewsDigest, zone: str
) -> None:
    # PST8PDT and CET follow summer time; UTC+3 all year (Moscow) has no zone to move to.
    channel = channel_store.ensure_channel(core.db, "slack", "C7")
    channel_store.update_channel(core.db, channel.id, timezone=zone)
    reply = await Commands(core).dispatch("watchlist", "", SLACK)
    assert "summer time" not in reply.text
