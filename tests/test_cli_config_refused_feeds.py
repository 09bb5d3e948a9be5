"""A `[[feeds]]` entry on an address polling refuses loaded without a word from `config check`
("loads, no warnings."), and `feeds list` said "No feeds yet" of a file declaring only such
entries; `poll` then refused each at the sync. The check now warns of each in the sync's own
words, and the listing counts them. Real config file, real database, the CLI as typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_env import cli_env
from _refused_feeds import words
from click.testing import CliRunner

from bot.cli import cli

LOOPBACK = "http://127.0.0.1/"
METADATA = "http://169.254.169.254/latest/meta-data/"
LOCALHOST = "http://localhost:9/rss"
FILE = f"""
[[feeds]]
url = "{LOOPBACK}"

[[feeds]]
url = "{METADATA}"

[[feeds]]
url = "{LOCALHOST}"
"""
SETTING = "(set allow_private_networks = true under [polling] to allow it)"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return cli_env(tmp_path, monkeypatch, FILE)


def test_config_check_warns_of_each_feed_the_sync_refuses(config: Path) -> None:
    checked = CliRunner().invoke(cli, ["config", "check"])

    assert checked.exit_code == 0, checked.output
    said = words(checked.stdout)
    assert "no warnings" not in said
    assert f"{config}: loads, with 3 warnings." in said
    assert (
        f"Warning: feeds[0] ({LOOPBACK}): not synced: refusing to fetch from loopback address "
        f"127.0.0.1 {SETTING}, then `newsdigest poll` or `run` syncs it"
    ) in said
    assert (
        f"Warning: feeds[1] ({METADATA}): not synced: refusing to fetch from link-local address "
        "169.254.169.254; no setting allows it"
    ) in said
    assert f"Warning: feeds[2] ({LOCALHOST}): not synced: refusing to fetch from loopback" in said


def test_config_check_says_the_same_reason_poll_gives(config: Path) -> None:
    # The check and the sync word the refusal alike, so the operator reads one reason twice.
    polled = CliRunner().invoke(cli, ["poll"])
    checked = CliRunner().invoke(cli, ["config", "check"])
    reason = f"refusing to fetch from loopback address 127.0.0.1 {SETTING}"
    assert reason in words(polled.stderr)
    assert reason in words(checked.stdout)


def test_allowed_private_feeds_are_not_warned_of_but_metadata_still_is(
    config: Path,
) -> None:
    config.write_text("[polling]\nallow_private_networks = true\n" + FILE, encoding="utf-8")

    said = words(CliRunner().invoke(cli, ["config", "check"]).stdout)

    assert "loads, with 1 warning." in said
    assert f"feeds[1] ({METADATA}): not synced" in said and LOOPBACK not in said


def test_feeds_list_counts_the_refused_entries(config: Path) -> None:
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0  # makes the database, syncs nothing

    listed = CliRunner().invoke(cli, ["feeds", "list"])

    assert listed.exit_code == 0, listed.output
    said = words(listed.stdout)
    assert "No feeds yet" not in said
    assert (
        f"{config} declares 3 feeds on an address polling refuses, which `newsdigest poll` and "
        "`newsdigest run` do not add: `newsdigest config check` says why."
    ) in said
