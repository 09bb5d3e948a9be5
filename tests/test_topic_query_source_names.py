"""`source:` names against the outlets the database knows, where a query is typed. Unquoted,
`source:Harbor Evening Times` read `source:harbor AND evening AND times` and matched nothing,
saved silently: it is refused, the fix quoted. A name no known outlet has (`source:het`, a
misspelt `source:"harbor evning times"`) matched nothing with no word said: it gets a note
naming the closest outlets, and is saved (a feed by that name may be added later)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database
from bot.topics import QueryError
from bot.topics.outlets import KnownOutlets, check_source_names, source_notes

KNOWN = KnownOutlets.of(
    ["Harbor Evening Times", "harboreveningtimes.example", "Valley Ledger", "Coast Radio News"]
)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("source:Harbor Evening Times", "Harbor Evening Times"),
        ("ferry source:harbor evening times", "harbor evening times"),
        ("source:Harbor Evening strike", "Harbor Evening"),
        ("-source:Coast Radio", "Coast Radio"),
    ],
)
def test_an_unquoted_outlet_name_with_spaces_is_refused(query: str, name: str) -> None:
    with pytest.raises(QueryError) as info:
        check_source_names(query, KNOWN)
    assert info.value.position == query.index("source:")
    assert f'source:"{name}"' in info.value.message


@pytest.mark.parametrize(
    "query",
    [
        'source:"Harbor Evening Times"',
        "source:harbor ferry",  # no outlet is "harbor ferry"
        "source:ledger OR valley",  # an operator ends the name
        "strike source:valley",
    ],
)
def test_a_quoted_or_one_word_source_is_fine(query: str) -> None:
    check_source_names(query, KNOWN)


@pytest.mark.parametrize(
    ("query", "closest"),
    [
        ("source:het", "Harbor Evening Times"),  # its initials
        ('source:"harbor evning times"', "Harbor Evening Times"),
        ("source:ledgr", "Valley Ledger"),
        ("source:coastnews", "Coast Radio News"),
        ("source:zzz", None),
    ],
)
def test_a_source_naming_no_known_outlet_gets_a_note(query: str, closest: str | None) -> None:
    notes = source_notes(query, KNOWN)
    assert len(notes) == 1
    assert "matches none of the outlets" in notes[0]
    if closest is None:
        assert "closest" not in notes[0]
    else:
        assert f"(closest: {closest})" in notes[0]


@pytest.mark.parametrize(
    "query", ["source:harboreveningtimes", "source:ledger", 'source:"evening times"', "chips"]
)
def test_a_source_a_known_outlet_matches_gets_no_note(query: str) -> None:
    assert source_notes(query, KNOWN) == []


def test_no_note_when_no_outlet_is_known() -> None:
    assert source_notes("source:zzz", KnownOutlets.of([])) == []


SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)


@pytest.mark.empty_core
async def test_follow_refuses_an_unquoted_outlet_name_and_notes_an_unknown_one(
    core: NewsDigest,
) -> None:
    feed_store.add_feed(core.db, "https://ledger.example/rss", name="Valley Ledger")
    commands = Commands(core)
    reply = await commands.dispatch("follow", "vl query: source:Valley Ledger", SLACK)
    assert 'source:"Valley Ledger"' in reply.text
    assert channel_store.get_topic(core.db, "vl") is None
    reply = await commands.dispatch("follow", "vl query: source:ledgr", SLACK)
    assert reply.text.startswith("This channel now follows vl")
    assert "matches none of the outlets the feeds here have (closest: " in reply.text
    assert "Valley Ledger" in reply.text


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    db = open_database(tmp_path / "nd.db")
    feed_store.add_feed(db, "https://ledger.example/rss", name="Valley Ledger")
    db.close()
    return tmp_path / "nd.db"


def test_topics_add_refuses_an_unquoted_outlet_name(env: Path) -> None:
    result = CliRunner().invoke(cli, ["topics", "add", "vl", "source:Valley", "Ledger", "strike"])
    assert result.exit_code != 0
    assert 'source:"Valley Ledger"' in result.output


def test_topics_add_and_test_note_an_unknown_outlet(env: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["topics", "add", "vl", "source:ledgr"])
    assert result.exit_code == 0, result.output
    assert "Note: source:ledgr matches none of the outlets" in result.output
    result = runner.invoke(cli, ["topics", "test", "source:ledgr"])
    assert result.exit_code == 0, result.output
    assert "(closest: Valley Ledger" in result.output
