"""`newsdigest channels remove`: a channel taken out of the config file stayed paused for ever,
and `channels list` advised fixing a cause and resuming it, wrong for a deliberate removal. Now
the list tells it apart and `remove` deletes it with what it holds, said first; a channel the
file still declares is refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner
from fakes.stories import add_story

from bot.cli import cli
from bot.runner.console import STANDING_IN
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.database import open_database, utcnow

TOPIC = '[[topics]]\nslug = "chips"\nquery = "chip"\n'
CHANNEL = '[[channels]]\nplatform = "slack"\nid = "C1"\nname = "news"\ntopics = ["chips"]\n'
TABLES = ("deliveries", "subscriptions", "muted_stories", "digest_runs", "alerts")


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file declared #news (slack:C1), which was sent one story, has one queued and one
    muted; then the entry was taken out of the file and a poll paused the channel."""
    path = cli_env(tmp_path, monkeypatch, TOPIC + CHANNEL)
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    db = open_database(tmp_path / "nd.db")
    try:
        now = utcnow() - timedelta(hours=1)
        channel = channel_store.get_channel(db, "slack", "C1")
        assert channel is not None
        for story in ("sent", "queued", "muted"):
            add_story(db, story, ["A", "B"], now=now)
        sent = delivery_store.queue_story(db, "sent", channel.id, now=now)
        assert sent is not None
        delivery_store.mark_sent(
            db, sent, message_ref="m1", thread_ref=None, source_count=2, outlets=[], now=now
        )
        delivery_store.enqueue_story(db, "queued", channel.id, now=now)
        channel_store.mute_story(db, channel.id, "muted")
    finally:
        db.close()
    path.write_text(TOPIC, encoding="utf-8")
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    return path


def _rows(tmp_path: Path) -> dict[str, int]:
    db = open_database(tmp_path / "nd.db")
    try:
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        counts["channels"] = db.execute("SELECT COUNT(*) FROM channels").fetchone()[0]
        return counts
    finally:
        db.close()


def _listed_not_as_an_error() -> str:
    """`newsdigest channels list`'s output, one line of words; none of its channels is listed as
    paused by an error ("fix the cause")."""
    listed = CliRunner().invoke(cli, ["channels", "list"])
    assert listed.exit_code == 0, listed.output
    said = " ".join(listed.stdout.split())
    assert "fix the cause" not in said
    return said


def test_the_list_tells_a_channel_removed_from_the_file_from_one_paused_by_an_error(
    config: Path,
) -> None:
    said = _listed_not_as_an_error()

    assert (
        "1 channel removed from the config file: `newsdigest channels remove slack:C1` deletes "
        "it, with its queued posts and history; `newsdigest channels resume slack:C1` keeps it, "
        "managed from chat."
    ) in said


def test_remove_says_what_goes_asks_and_deletes_it_all(config: Path, tmp_path: Path) -> None:
    before = _rows(tmp_path)
    assert before["channels"] == 1 and before["deliveries"] == 2 and before["muted_stories"] == 1

    declined = CliRunner().invoke(cli, ["channels", "remove", "slack:C1"], input="n\n")

    assert declined.exit_code == 1
    said = " ".join(declined.stdout.split())
    assert (
        "Channel news (slack:C1); dropped with it: 1 queued post (never sent), the record of 1 "
        "post sent (added again, the channel may get those stories again), 1 followed topic, "
        "1 mute."
    ) in said
    assert "Nothing deleted." in said
    assert _rows(tmp_path) == before

    removed = CliRunner().invoke(cli, ["channels", "remove", "news"], input="y\n")

    assert removed.exit_code == 0, removed.output
    assert "Deleted channel news (slack:C1); dropped with it: 1 queued post" in removed.stdout
    assert _rows(tmp_path) == dict.fromkeys([*TABLES, "channels"], 0)
    listed = CliRunner().invoke(cli, ["channels", "list"])
    assert listed.stdout.startswith("No channels yet.")
    # Declared again, it is a new channel: said so, and not paused.
    config.write_text(TOPIC + CHANNEL, encoding="utf-8")
    polled = CliRunner().invoke(cli, ["poll"])
    assert "config: added 1 channel" in polled.stderr


def test_remove_refuses_a_channel_the_file_declares(config: Path, tmp_path: Path) -> None:
    config.write_text(TOPIC + CHANNEL, encoding="utf-8")  # back in the file
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    before = _rows(tmp_path)

    refused = CliRunner().invoke(cli, ["channels", "remove", "slack:C1", "--yes"])

    assert refused.exit_code == 1
    said = " ".join(refused.stderr.split())
    assert f"channel news (slack:C1) is declared in {config} (channels[0])" in said
    assert "take its [[channels]] entry out of the file first" in said
    assert _rows(tmp_path) == before


def test_the_list_says_what_the_terminal_stand_in_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    db = open_database(tmp_path / "nd.db")
    try:
        terminal = channel_store.ensure_channel(db, "console", "terminal", name="terminal")
        channel_store.update_channel(db, terminal.id, origin="runner", paused_reason=STANDING_IN)
    finally:
        db.close()

    said = _listed_not_as_an_error()

    assert (
        "console:terminal stood in for a chat platform while none was configured; one is now, "
        "so it gets nothing: `newsdigest channels remove console:terminal` deletes it."
    ) in said
    removed = CliRunner().invoke(cli, ["channels", "remove", "console:terminal", "--yes"])
    assert removed.exit_code == 0, removed.output
    assert "`newsdigest run` makes a terminal channel again" in removed.stdout


def test_the_list_tells_a_channel_paused_in_chat_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `/watchlist pause`: nothing to fix, only to resume when wanted.
    cli_env(tmp_path, monkeypatch, TOPIC + CHANNEL)
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0
    db = open_database(tmp_path / "nd.db")
    try:
        channel = channel_store.get_channel(db, "slack", "C1")
        assert channel is not None
        channel_store.update_channel(db, channel.id, paused_reason=channel_store.PAUSED_IN_CHAT)
    finally:
        db.close()
    assert (
        "1 channel paused in chat (/watchlist pause): /watchlist resume in the channel (or "
        "`newsdigest channels resume slack:C1`) resumes it."
    ) in _listed_not_as_an_error()
