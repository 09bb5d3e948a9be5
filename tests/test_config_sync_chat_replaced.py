"""An edited channel entry replaces the settings set in chat (CONFIGURATION.md: they survive
"until you edit that same entry in the file"), and the sync says so, naming the channel and each
setting. It was silent: renaming a channel in the file undid its weekday-only schedule, digest
size and an unfollow, and neither `poll` nor the run log said a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store.database import open_database

TOPIC = '[[topics]]\nslug = "labour"\nquery = "strike OR union"\n'
ENTRY = (
    '[[channels]]\nplatform = "discord"\nid = "234567890123456702"\nname = "{name}"\n'
    'topics = ["labour"]\nschedule = "{schedule}"\ntimezone = "America/New_York"\n'
)


def _poll() -> str:
    polled = CliRunner().invoke(cli, ["poll"])
    assert polled.exit_code == 0, polled.output
    return polled.stderr


def _chat_edits(tmp_path: Path, *, schedule: bool = True) -> None:
    """/watchlist schedule, /watchlist digest-size and /unfollow, as chat stores them."""
    db = open_database(tmp_path / "nd.db")
    try:
        channel = channel_store.get_channel(db, "discord", "234567890123456702")
        assert channel is not None
        if schedule:
            channel_store.update_channel(db, channel.id, schedule="0 7,18 * * mon-fri")
        channel_store.update_channel(db, channel.id, digest_size=15)
        channel_store.unfollow(db, channel.id, "labour")
        db.conn.commit()
    finally:
        db.close()


def test_a_renamed_entry_says_which_chat_settings_it_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(
        tmp_path, monkeypatch, TOPIC + ENTRY.format(name="#news-nyc", schedule="0 7,18 * * *")
    )
    _poll()
    _chat_edits(tmp_path)
    assert "chat" not in _poll()  # the entry unchanged: chat's settings stand, unsaid
    config.write_text(
        TOPIC + ENTRY.format(name="#news-newyork", schedule="0 7,18 * * *"), encoding="utf-8"
    )
    # `config check` says it first, writing nothing.
    checked = CliRunner().invoke(cli, ["config", "check"])
    assert checked.exit_code == 0, checked.output
    assert (
        "Warning: channel #news-newyork (discord:234567890123456702): schedule "
        "'0 7,18 * * mon-fri' → '0 7,18 * * *'; digest_size 15 → default; topics (none) → "
        f"labour: its entry in {config} changed, so the file's values will replace these set "
        "in chat (set them again in chat to keep them)\n"
    ) in checked.output
    said = _poll()
    assert (
        "config: channel #news-newyork (discord:234567890123456702): schedule "
        "'0 7,18 * * mon-fri' → '0 7,18 * * *'; digest_size 15 → default; topics (none) → "
        f"labour: its entry in {config} changed, so the file's values replace these set in chat "
        "(set them again in chat to keep them)\n"
    ) in said
    assert "chat" not in _poll()  # said once, when it happens


def test_a_setting_the_file_edited_is_not_said_to_be_chats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(
        tmp_path, monkeypatch, TOPIC + ENTRY.format(name="#news-nyc", schedule="0 7,18 * * *")
    )
    _poll()
    # The file's own schedule edit, with no chat setting to replace: nothing to warn of.
    config.write_text(
        TOPIC + ENTRY.format(name="#news-nyc", schedule="0 8 * * *"), encoding="utf-8"
    )
    assert "chat" not in _poll()
    _chat_edits(tmp_path, schedule=False)
    # Both: the schedule is the file's edit; the size and the unfollow were chat's.
    config.write_text(
        TOPIC + ENTRY.format(name="#news-nyc", schedule="0 9 * * *"), encoding="utf-8"
    )
    said = _poll()
    assert (
        "config: channel #news-nyc (discord:234567890123456702): digest_size 15 → default; "
        "topics (none) → labour: its entry"
    ) in said
    assert "schedule" not in said


TWO_TOPICS = TOPIC + '[[topics]]\nslug = "floods"\nquery = "flood"\n'
LISTED = (
    '[[channels]]\nplatform = "discord"\nid = "234567890123456702"\nname = "#n"\n'
    'topics = {topics}\nschedule = "0 7 * * *"\n'
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('["labour", "floods"]', '["labour"]'),  # unsorted: the hash took the file's order
        ('["floods", "labour"]', '["labour"]'),
        ('["labour", "floods"]', '["floods"]'),
    ],
)
def test_the_files_own_topics_edit_is_not_named_as_chat_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str, after: str
) -> None:
    config = cli_env(tmp_path, monkeypatch, TWO_TOPICS + LISTED.format(topics=before))
    _poll()
    config.write_text(TWO_TOPICS + LISTED.format(topics=after), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["config", "check"])
    assert checked.exit_code == 0, checked.output
    assert "chat" not in checked.output + checked.stderr
    assert "chat" not in _poll()


def test_an_unsorted_topics_edit_still_names_a_chat_setting_it_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = cli_env(
        tmp_path, monkeypatch, TWO_TOPICS + LISTED.format(topics='["labour", "floods"]')
    )
    _poll()
    db = open_database(tmp_path / "nd.db")
    try:
        channel = channel_store.get_channel(db, "discord", "234567890123456702")
        assert channel is not None
        channel_store.update_channel(db, channel.id, digest_size=15)
        db.conn.commit()
    finally:
        db.close()
    config.write_text(TWO_TOPICS + LISTED.format(topics='["labour"]'), encoding="utf-8")
    said = _poll()
    assert "digest_size 15 → " in said, said
    assert "topics floods" not in said, said
