"""A Slack channel's `id` in the config file loads in every form Slack's chat.postMessage posts
to ("an encoded ID or channel name"): a channel, private channel or direct message id, a user id
(the bot's direct messages with that person), or the channel's name. Those that work only for
posting (a name breaks when the channel is renamed; Slack edits a posted card only by a
conversation's id) load as written with a warning saying where Slack shows the id. A value no
id or name could be (a space inside, a pasted link) is refused naming the file and the key,
rather than found out as channel_not_found at the first post, hours later."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import ConfigError, load_config, parse_config
from bot.store import channels as channel_store
from bot.store.database import open_database
from bot.store.sync import REMOVED_FROM_CONFIG, sync_config

ENTRY = """
[[channels]]
platform = "discord"
id = "234567890123456789"

[[channels]]
platform = "slack"
id = "{id}"
"""
FIND_ID = (
    "in Slack, click the channel's name: the id is at the bottom of its details; or copy the "
    "channel's link, which ends with it"
)
KEPT = "(Loaded as written: nothing changes until the entry is edited.)"
SWITCH = (
    "Switching later makes it a new channel for the bot: the entry as written now is paused, as "
    "removed from the file, with its history and any settings changed for it outside the file."
)


def _load(tmp_path: Path, typed: str) -> tuple[Path, list[str], str]:
    path = tmp_path / "nd.toml"
    path.write_text(ENTRY.format(id=typed), encoding="utf-8")
    config = load_config(str(path))
    return path, config.warnings, config.channels[1].id


@pytest.mark.parametrize("typed", ["#team-news", "team-news", "general", "design-2"])
def test_a_channel_name_loads_as_written_with_a_warning(tmp_path: Path, typed: str) -> None:
    path, warnings, loaded = _load(tmp_path, typed)
    assert loaded == typed
    assert warnings == [
        f'{path}: channels[1] (slack:{typed}): id = "{typed}" is the channel\'s name, not its '
        "id: Slack posts to it, but posting stops (channel_not_found) once the channel is "
        "renamed; to edit a posted card (its source count) or check whether a post landed, the "
        "bot must look up the id, which needs the channels:read and groups:read scopes (and the "
        "bot in a private channel); and chat (/watchlist there, inviting the bot) knows the "
        "channel by its id, as another channel with digests of its own. Use the id, like "
        f'id = "C0123456789" ({FIND_ID}). {SWITCH} {KEPT}'
    ]


@pytest.mark.parametrize("typed", ["U0123ABCD", "W0123ABCD"])
def test_a_user_id_loads_as_written_with_a_warning(tmp_path: Path, typed: str) -> None:
    path, warnings, loaded = _load(tmp_path, typed)
    assert loaded == typed
    assert warnings == [
        f'{path}: channels[1] (slack:{typed}): id = "{typed}" is a person\'s user id: digests '
        "go to the bot's direct messages with them, but to edit a posted card (its source "
        "count) or check whether a post landed, the bot must look up the direct message's own "
        "id, which needs the im:write scope (reinstall the app from config/slack-manifest.yml "
        "if it lacks it); and /watchlist there knows it by that id, as another channel. Use "
        "that id (D…, which ends the direct message's link), or a channel's, like "
        f'id = "C0123456789" ({FIND_ID}). {SWITCH} {KEPT}'
    ]


def test_a_lower_case_id_loads_unchanged_with_a_warning(tmp_path: Path) -> None:
    # Not upper-cased: Slack does not document lower case as the same id.
    path, warnings, loaded = _load(tmp_path, "c0123456789")
    assert loaded == "c0123456789"
    assert warnings == [
        f'{path}: channels[1] (slack:c0123456789): id = "c0123456789" looks like a Slack id in '
        "lower case, which Slack never shows: if posts fail with channel_not_found, write it as "
        f'Slack does, id = "C0123456789" ({FIND_ID}). {KEPT}'
    ]


@pytest.mark.parametrize("typed", ["C0123456789", "G01ABCDEF", "D0ABC12345", "C1"])
def test_channel_private_and_dm_ids_load_without_a_warning(tmp_path: Path, typed: str) -> None:
    _, warnings, loaded = _load(tmp_path, typed)
    assert (loaded, warnings) == (typed, [])
    assert parse_config({"channels": [{"platform": "slack", "id": typed}]}).channels[0].id == typed


@pytest.mark.parametrize(
    "typed",
    ["team news", "C0123 456", "#", "https://acme.slack.com/archives/C0123456789", "C01\\t23"],
)
def test_a_value_no_id_or_name_could_be_is_refused_naming_the_file_and_key(
    tmp_path: Path, typed: str
) -> None:
    path = tmp_path / "nd.toml"
    path.write_text(ENTRY.format(id=typed), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    value = typed.replace("\\t", "\t")
    assert str(caught.value) == (
        f"{path}: channels[1].id: a Slack channel id looks like C0123456789 (in Slack, click the "
        "channel's name: the id is at the bottom of its details; or copy the channel's link, "
        f"which ends with it); no channel id or name has a space or a slash, got {value!r}"
    )


def test_an_empty_id_is_refused() -> None:
    for typed in ("", "   "):
        with pytest.raises(ConfigError) as caught:
            parse_config({"channels": [{"platform": "slack", "id": typed}]})
        assert caught.value.key == "channels[0].id"


def test_the_cli_refuses_the_file_before_doing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.toml"
    path.write_text(ENTRY.format(id="team news"), encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(path))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    result = CliRunner().invoke(cli, ["poll"])
    assert result.exit_code == 1
    assert "channels[1].id: a Slack channel id looks like C0123456789" in result.output
    assert not (tmp_path / "nd.db").exists()


def test_the_cli_runs_with_a_channel_name_and_warns_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that posted before the id check must go on working after an upgrade.
    path = tmp_path / "nd.toml"
    path.write_text(ENTRY.format(id="#team-news"), encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(path))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    result = CliRunner().invoke(cli, ["poll"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Warning:") == 1
    assert 'channels[1] (slack:#team-news): id = "#team-news" is the channel\'s name' in (
        result.stderr
    )


def test_switching_a_name_to_the_id_is_a_new_channel_as_the_warning_says() -> None:
    """The sync keys a channel by its id as written: the warning's "switching later" holds."""
    db = open_database(":memory:")
    for typed in ("#team-news", "C0TEAM"):
        sync_config(db, parse_config({"channels": [{"platform": "slack", "id": typed}]}))
    rows = {row.channel_id: row for row in channel_store.list_channels(db)}
    assert set(rows) == {"#team-news", "C0TEAM"}
    assert rows["C0TEAM"].paused_reason is None
    assert rows["#team-news"].paused_reason == REMOVED_FROM_CONFIG
