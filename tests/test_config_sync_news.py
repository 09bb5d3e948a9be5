"""What a `poll`'s config sync adds is said (it was silent: a channel began getting posts unsaid),
and a channel the file left, then takes back, is said to be back, not "added in chat" (which it
never was: the sync marked it chat's when it paused it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store.channels import PAUSED_IN_CHAT
from bot.store.database import open_database
from bot.store.sync import REMOVED_FROM_CONFIG

TOPIC = '[[topics]]\nslug = "chips"\nquery = "chip"\n'
CHANNEL = '[[channels]]\nplatform = "slack"\nid = "C1"\nname = "news"\ntopics = ["chips"]\n'


def _poll() -> str:
    polled = CliRunner().invoke(cli, ["poll"])
    assert polled.exit_code == 0, polled.output
    return polled.stderr


def _paused(tmp_path: Path) -> str | None:
    db = open_database(tmp_path / "nd.db")
    try:
        channel = channel_store.get_channel(db, "slack", "C1")
        assert channel is not None
        return channel.paused_reason
    finally:
        db.close()


def test_a_poll_says_what_the_file_added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = cli_env(tmp_path, monkeypatch, TOPIC + CHANNEL)

    said = _poll()

    assert f"config: added 1 topic from {config}: chips\n" in said
    assert f"config: added 1 channel from {config}: news (slack:C1)\n" in said
    assert "added" not in _poll()  # said once, when it happens


def test_a_channel_resumed_after_leaving_the_file_is_back_not_added_in_chat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(tmp_path, monkeypatch, TOPIC + CHANNEL)
    _poll()
    config.write_text(TOPIC, encoding="utf-8")
    assert f"config: paused 1 channel no longer in {config}: news (slack:C1)" in _poll()
    resumed = CliRunner().invoke(cli, ["channels", "resume", "slack:C1"])
    assert resumed.exit_code == 0, resumed.output
    config.write_text(TOPIC + CHANNEL, encoding="utf-8")

    said = _poll()

    assert "added in chat" not in said and "now managed by" not in said
    assert (
        f"config: channel news (slack:C1) is back in {config}, which manages it again (kept, "
        "resumed, since it left the file)\n"
    ) in said
    # The file's again: taken out once more, it is paused as before, not handed back to chat.
    config.write_text(TOPIC, encoding="utf-8")
    assert f"config: paused 1 channel no longer in {config}: news (slack:C1)" in _poll()
    assert _paused(tmp_path) is not None


def test_a_paused_channel_back_in_the_file_is_said_to_post_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(tmp_path, monkeypatch, TOPIC + CHANNEL)
    _poll()
    config.write_text(TOPIC, encoding="utf-8")
    _poll()
    config.write_text(TOPIC + CHANNEL, encoding="utf-8")

    said = _poll()

    assert (
        f"config: channel news (slack:C1) is back in {config}: the pause its removal set is "
        "lifted, and posting resumes\n"
    ) in said
    assert _paused(tmp_path) is None


def test_a_channel_paused_in_chat_stays_paused_when_it_leaves_and_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(tmp_path, monkeypatch, TOPIC + CHANNEL)
    _poll()
    db = open_database(tmp_path / "nd.db")
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None
    channel_store.update_channel(db, channel.id, paused_reason=PAUSED_IN_CHAT)  # /watchlist pause
    db.close()
    config.write_text(TOPIC, encoding="utf-8")
    _poll()
    # While out of the file, the removal's pause is the one shown (only admins lift it).
    assert _paused(tmp_path) == REMOVED_FROM_CONFIG
    config.write_text(TOPIC + CHANNEL, encoding="utf-8")

    said = _poll()

    assert _paused(tmp_path) == PAUSED_IN_CHAT
    assert "posting resumes" not in said
    assert (
        f"config: channel news (slack:C1) (paused: {PAUSED_IN_CHAT}) is back in {config}; the "
        "pause it had before it left stands (/watchlist resume lifts it)\n"
    ) in said
    # Resumed in chat, then dropped and taken back again: nothing old comes back.
    db = open_database(tmp_path / "nd.db")
    channel_store.update_channel(db, channel.id, paused_reason=None)
    db.close()
    config.write_text(TOPIC, encoding="utf-8")
    _poll()
    config.write_text(TOPIC + CHANNEL, encoding="utf-8")
    _poll()
    assert _paused(tmp_path) is None
