"""A lowercase `or` between two words, or `not` before one, reads as an operator but searched for
the word ("chip or semiconductor" needed "chip", "or" and "semiconductor"), and words in single
quotes read as a phrase but were loose words. A query being saved (/follow, `newsdigest topics
add`) refuses them with the fix; a quoted phrase, apostrophes and queries saved earlier keep
working, and `topics test` runs them as the digest does, with a note."""

from __future__ import annotations

from pathlib import Path

import pytest
from _sign_up import SIGNED_UP
from click.testing import CliRunner

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store
from bot.store.database import open_database
from bot.topics.query import QueryError, StoryDoc, TopicQuery

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
ADMIN = CommandContext(
    platform="slack", channel_id="C9", user_id="U2", channel_name="news", is_admin=True
)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("chip or semiconductor", 'quote the phrase ("chip or semiconductor")'),
        ("chip Or semiconductor", "write OR in capitals"),
        ("(ai or ml) export", "write OR in capitals"),
        ("chip not crypto", "write NOT in capitals (or -word)"),
        ("not crypto", 'quote the phrase ("not crypto")'),
        ("'lunar lander' OR moon", 'write "lunar lander" in double quotes'),
        # Round a filter or a group no phrase can be quoted: the fix is the query with OR.
        ("source:bbc or source:cnn", "(source:bbc OR source:cnn)"),
        ("kiln or (oven OR furnace)", "(kiln OR (oven OR furnace))"),
        ("chip not (a OR b)", "(chip NOT (a OR b))"),
        ("‘lunar lander’ OR moon", 'write "lunar lander" in double quotes'),
    ],
)
def test_a_typed_query_refuses_what_reads_as_something_else(query: str, says: str) -> None:
    with pytest.raises(QueryError) as caught:
        TopicQuery.parse_typed(query)
    assert says in caught.value.message
    assert "salt or pepper" not in caught.value.message  # an example unrelated to the query
    # Saved and config queries parse as they always did: their meaning does not change.
    TopicQuery.parse(query)


@pytest.mark.parametrize(
    ("query", "found", "missed"),
    [
        ("chip OR semiconductor", "semiconductor plant opens", "crypto prices fall"),
        ('"salt or pepper"', "salt or pepper debate", "salt and pepper"),
        ("“to be or not to be”", "to be or not to be, he said", "to be announced"),
        ("or chip", "chip or not", "chip news"),  # no term before it: only a word
        ("chip or", "or a chip", "chip news"),  # nor after it
        ("NOT crypto", "chip news", "crypto chip"),
        ("-not chip", "crypto chip", "not a chip"),  # the word "not" left out
        ("chip and semiconductor", "semiconductor and chip", "chip and crypto"),
        ("rock 'n' roll", "rock n roll revival", "rock and roll revival"),
        ("O'Brien don't", "O'Brien says don't", "OBrien dont"),
        ("the '90s students' union", "the 90s students union", "students union"),
        ("Macron's 'plan'", "Macron's plan", "Macron plan"),
        # A title: "Not" with a capital, and a capitalised word after it.
        ("Not Forgotten", "Not Forgotten, a film", "forgotten"),
    ],
)
def test_a_typed_query_keeps_what_means_what_it_says(query: str, found: str, missed: str) -> None:
    parsed = TopicQuery.parse_typed(query)
    assert parsed.matches(StoryDoc(text=found))
    assert not parsed.matches(StoryDoc(text=missed))


def test_a_quoted_phrase_with_or_finds_it_as_written() -> None:
    query = TopicQuery.parse_typed('"salt or pepper"')
    assert query.matches(StoryDoc(text="Salt or pepper: the great debate"))
    assert not query.matches(StoryDoc(text="Salt prices rise, pepper too"))


async def test_follow_refuses_a_lowercase_or_with_the_fix(core: NewsDigest) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("follow", "lower query: chip or semiconductor", SLACK)
    assert reply.text.startswith(
        "That query is not valid (topic 'lower', query 'chip or semiconductor'):\n```\n"
    ), reply.text
    assert "write OR in capitals" in reply.text
    assert channel_store.get_topic(core.db, "lower") is None
    quoted = await commands.dispatch("follow", 'lower query: "salt or pepper"', SLACK)
    assert quoted.text == 'This channel now follows lower (matching "salt or pepper").' + SIGNED_UP


async def test_a_topic_saved_with_a_lowercase_or_still_follows(core: NewsDigest) -> None:
    channel_store.upsert_topic(core.db, "old", "chip or semiconductor", origin="chat")
    reply = await Commands(core).dispatch("follow", "old", SLACK)
    assert reply.text == "This channel now follows old." + SIGNED_UP


def _cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    open_database(tmp_path / "nd.db").close()


def test_the_command_line_refuses_it_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _cli_env(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["topics", "add", "lower", "chip", "or", "semiconductor"])
    assert result.exit_code == 1, result.output
    assert "write OR in capitals" in result.output


def test_topics_test_runs_such_a_query_as_the_digest_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A config topic spelt `chip or wafer` is matched that way by every digest: its dry run
    # must show that, noting that a new query so spelt would be refused.
    _cli_env(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["topics", "test", "chip", "or", "semiconductor"])
    assert result.exit_code == 0, result.output
    assert "write OR in capitals" in result.stderr
    assert "matches 0 of 0 stories" in result.stdout


async def test_follow_never_suggests_a_command_it_would_refuse(core: NewsDigest) -> None:
    # `/follow <new name> <words>` asks whether the words are a query or the rest of a name; for
    # words /follow refuses as a query, the refusal and its fix are the answer.
    commands = Commands(core)
    for args, fix in [
        ("kilns kiln or furnace", "write OR in capitals"),
        ("lunar 'lunar lander'", 'write "lunar lander" in double quotes'),
    ]:
        reply = await commands.dispatch("follow", args, ADMIN)
        assert "mark the query" not in reply.text, reply.text
        assert fix in reply.text
        assert channel_store.get_topic(core.db, args.split()[0]) is None


async def test_an_existing_topics_own_query_typed_again_just_follows_it(
    core: NewsDigest,
) -> None:
    channel_store.upsert_topic(core.db, "legacy", "kiln or furnace", origin="config")
    commands = Commands(core)
    reply = await commands.dispatch("follow", "legacy kiln or furnace", SLACK)
    assert reply.text == "This channel now follows legacy." + SIGNED_UP
    again = await commands.dispatch("follow", "legacy query: kiln or furnace", ADMIN)
    assert again.text == "This channel already follows legacy."
    assert channel_store.get_topic(core.db, "legacy").query == "kiln or furnace"  # type: ignore[union-attr]
    # A different query so spelt is still refused to the admin who would save it.
    changed = await commands.dispatch("follow", "legacy query: kiln or oven", ADMIN)
    assert "write OR in capitals" in changed.text


async def test_a_pasted_paragraph_is_not_echoed_in_full(core: NewsDigest) -> None:
    paste = " ".join(["harvest"] * 400)
    commands = Commands(core)
    reply = await commands.dispatch("follow", f"newtopic {paste}", ADMIN)
    assert "mark the query" in reply.text
    assert len(reply.text) < 700, len(reply.text)
    assert "<your query>" in reply.text
    channel_store.upsert_topic(core.db, "grain", "wheat", origin="chat")
    # Short enough to parse (1,000 characters), too long to echo in a hint.
    exists = await commands.dispatch("follow", "grain " + " ".join(["harvesting"] * 60), ADMIN)
    assert "already exists" in exists.text
    assert len(exists.text) < 700, len(exists.text)
