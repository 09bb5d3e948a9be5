"""`/story <old-slug>` and `newsdigest story <old-slug>` say what happened to the name: which
story it went into and when, each merge of a chain (a into b, then b into c), a rename on the
way, in one line ending at the story shown. Real SQLite files, real dispatch, the replies as the
Slack and Discord adapters draw them, and the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.cli import cli
from bot.store import stories as story_store
from bot.store import story_names
from bot.store.database import transaction
from tests._story_merges import FIRST, RENAMED, SECOND, add_story, news_at, note_for


@pytest.fixture
def chain(tmp_path: Path) -> NewsDigest:
    """harbour-dock-strike into ferry-fares-rise on 28 Nov, that into port-workers-walk-out on
    30 Nov; dome-plan renamed lunar-dome-plan on 27 Nov and merged into the port story too."""
    core = news_at(tmp_path / "nd.db")
    with transaction(core.db):
        add_story(core.db, "dock", "harbour-dock-strike")
        add_story(core.db, "ferry", "ferry-fares-rise")
        add_story(core.db, "port", "port-workers-walk-out")
        add_story(core.db, "dome", "dome-plan")
        story_store.rename(core.db, "dome", "lunar-dome-plan", now=RENAMED)
        story_store.merge(core.db, "dock", "ferry", now=FIRST)
        story_store.merge(core.db, "ferry", "port", now=SECOND)
        story_store.merge(core.db, "dome", "port", now=SECOND)
    return core


async def test_an_old_slug_two_merges_back_names_both_merges_on_both_platforms(
    chain: NewsDigest,
) -> None:
    note, reply = await note_for(chain, "harbour-dock-strike")
    assert [c.story_id for c in reply.cards] == ["port"] and not reply.ephemeral
    expected = (
        "`harbour-dock-strike` was merged into `ferry-fares-rise` on 28 Nov, then "
        "`ferry-fares-rise` into `port-workers-walk-out` on 30 Nov (it now has 4 sources)"
    )
    assert note == expected
    assert reply.cards[0].source_count == 4  # the count the card's header shows
    slack = reply_messages(reply)
    assert slack[0].blocks[0]["type"] == "header"  # the card, then the line
    assert any(expected in str(m.blocks) for m in slack[1:]), slack
    assert render_reply(reply)[-1].content == expected


async def test_the_middle_slug_and_a_renamed_one_say_their_own_history(chain: NewsDigest) -> None:
    note, _ = await note_for(chain, "ferry-fares-rise")
    assert note == (
        "`ferry-fares-rise` was merged into `port-workers-walk-out` on 30 Nov"
        " (it now has 4 sources)"
    )
    # Typed in other case, with the '#' some put first: the stored names are quoted.
    note, _ = await note_for(chain, "#Dome-Plan")
    assert note == (
        "`dome-plan` was renamed `lunar-dome-plan` on 27 Nov, then merged into "
        "`port-workers-walk-out` on 30 Nov (it now has 4 sources)"
    )
    note, _ = await note_for(chain, "lunar-dome-plan", now=datetime(2027, 1, 4, tzinfo=UTC))
    assert note == (
        "`lunar-dome-plan` was merged into `port-workers-walk-out` on 30 Nov 2026"
        " (it now has 4 sources)"
    )


async def test_a_renamed_story_says_when_it_was_renamed(tmp_path: Path) -> None:
    core = news_at(tmp_path / "nd.db")
    with transaction(core.db):
        add_story(core.db, "kes", "skyforge-kestrel")
        story_store.rename(core.db, "kes", "kestrel-lands", now=RENAMED)
    note, reply = await note_for(core, "skyforge-kestrel")
    assert [c.story_id for c in reply.cards] == ["kes"]
    assert note == "`skyforge-kestrel` was renamed `kestrel-lands` on 27 Nov"


async def test_a_long_chain_stays_one_line(tmp_path: Path) -> None:
    core = news_at(tmp_path / "nd.db")
    slugs = ["a-one", "b-two", "c-three", "d-four", "e-five"]
    with transaction(core.db):
        for slug in slugs:
            add_story(core.db, slug[0], slug)
        for absorbed, survivor in pairwise(slugs):
            story_store.merge(core.db, absorbed[0], survivor[0], now=SECOND)
    note, _ = await note_for(core, "a-one")
    assert note == (
        "`a-one` was merged into `b-two` on 30 Nov, then 3 more merges, the last into `e-five`"
        " on 30 Nov (it now has 5 sources)"
    )


async def test_a_cycle_in_the_record_ends_without_looping(chain: NewsDigest) -> None:
    # No merge makes one, but a damaged file may: the record says dock went into ferry and
    # ferry into dock, while the stories themselves lead to port.
    with transaction(chain.db):
        chain.db.execute("UPDATE story_merges SET survivor_id = 'dock' WHERE absorbed_id = 'ferry'")
    history = story_names.history(chain.db, "harbour-dock-strike")
    assert history is not None and [s.new for s in history.steps] == [
        "ferry-fares-rise",
        "harbour-dock-strike",
    ]
    note, reply = await note_for(chain, "harbour-dock-strike")
    assert [c.story_id for c in reply.cards] == ["port"]
    assert note.endswith("; it now leads to `port-workers-walk-out`"), note


async def test_a_live_slug_that_is_also_an_old_alias_opens_the_live_story(
    chain: NewsDigest,
) -> None:
    # New slugs are checked against aliases (`slug_taken`), but a database from before that
    # may hold a live story's slug as another story's alias: the live story wins, unannotated.
    with transaction(chain.db):
        add_story(chain.db, "quay", "quay-reopens")
        chain.db.execute(
            "INSERT INTO story_aliases (slug, slug_key, story_id, created_at, owner_id)"
            " VALUES ('quay-reopens', 'quay-reopens', 'port', ?, 'dock')",
            [FIRST.isoformat()],
        )
    assert story_names.history(chain.db, "quay-reopens") is None
    note, reply = await note_for(chain, "quay-reopens")
    assert [c.story_id for c in reply.cards] == ["quay"] and note == ""


def test_the_command_line_says_it_too_on_one_line(
    chain: NewsDigest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain.db.conn.close()
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["story", "harbour-dock-strike"])
    assert result.exit_code == 0, result.output
    year = "" if datetime.now(UTC).year == 2026 else " 2026"
    line = (
        f"harbour-dock-strike was merged into ferry-fares-rise on 28 Nov{year}, then "
        f"ferry-fares-rise into port-workers-walk-out on 30 Nov{year} (it now has 4 sources)"
    )
    assert line in result.output.splitlines(), result.output
    assert "4 sources tracking this story" in result.output  # the story shown is the live one


async def test_a_story_renamed_twice_names_each_rename_on_its_day(tmp_path: Path) -> None:
    core = news_at(tmp_path / "nd.db")
    with transaction(core.db):
        add_story(core.db, "kes", "skyforge-kestrel")
        story_store.rename(core.db, "kes", "kestrel-lands", now=RENAMED)
        story_store.rename(core.db, "kes", "kestrel-returns", now=FIRST)
    note, reply = await note_for(core, "skyforge-kestrel")
    assert [c.story_id for c in reply.cards] == ["kes"]
    assert note == (
        "`skyforge-kestrel` was renamed `kestrel-lands` on 27 Nov, then `kestrel-returns` on 28 Nov"
    )
    note, _ = await note_for(core, "kestrel-lands")
    assert note == "`kestrel-lands` was renamed `kestrel-returns` on 28 Nov"


async def test_a_merge_names_the_survivor_as_it_was_that_day(tmp_path: Path) -> None:
    core = news_at(tmp_path / "nd.db")
    with transaction(core.db):
        add_story(core.db, "bus", "bus-lane-plan")
        add_story(core.db, "tram", "tram-line-plan")
        story_store.merge(core.db, "bus", "tram", now=FIRST)
        story_store.rename(core.db, "tram", "city-transit-plan", now=SECOND)
    note, reply = await note_for(core, "bus-lane-plan")
    assert [c.story_id for c in reply.cards] == ["tram"]
    assert note == (
        "`bus-lane-plan` was merged into `tram-line-plan` on 28 Nov"
        " (now `city-transit-plan`, with 2 sources)"
    )


async def test_a_story_renamed_between_two_merges_says_so(tmp_path: Path) -> None:
    between = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
    core = news_at(tmp_path / "nd.db")
    with transaction(core.db):
        add_story(core.db, "dock", "harbour-dock-strike")
        add_story(core.db, "ferry", "ferry-fares-rise")
        add_story(core.db, "port", "port-workers-walk-out")
        story_store.merge(core.db, "dock", "ferry", now=FIRST)
        story_store.rename(core.db, "ferry", "ferry-strike-spreads", now=between)
        story_store.merge(core.db, "ferry", "port", now=SECOND)
    note, _ = await note_for(core, "harbour-dock-strike")
    assert note == (
        "`harbour-dock-strike` was merged into `ferry-fares-rise` on 28 Nov, then "
        "`ferry-fares-rise` renamed `ferry-strike-spreads` on 29 Nov, then "
        "merged into `port-workers-walk-out` on 30 Nov (it now has 3 sources)"
    )


async def test_a_long_chain_of_renames_and_merges_counts_both(tmp_path: Path) -> None:
    core = news_at(tmp_path / "nd.db")
    with transaction(core.db):
        add_story(core.db, "a", "a-one")
        add_story(core.db, "b", "b-two")
        story_store.rename(core.db, "a", "a-uno", now=RENAMED)
        story_store.rename(core.db, "a", "a-eins", now=RENAMED)
        story_store.rename(core.db, "a", "a-yksi", now=FIRST)
        story_store.merge(core.db, "a", "b", now=SECOND)
    note, _ = await note_for(core, "a-one")
    assert note == (
        "`a-one` was renamed `a-uno` on 27 Nov, then 3 more renames and merges, the last into"
        " `b-two` on 30 Nov (it now has 2 sources)"
    )
