"""`newsdigest poll`: a failing feed is named once (in the report), not also as a log line glued
onto the progress bar; other log output still gets through, above the bar."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer, Reply


def test_a_failing_feed_is_reported_once(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_logging: None
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\ntimeout = 5\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    server.route("/broken", Reply(status=500))
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", server.url("/broken")]).exit_code == 0
    # That run's basicConfig handler writes to its own, finished, stderr: start afresh.
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    polled = runner.invoke(cli, ["poll"])
    assert polled.exit_code == 1, polled.output
    assert polled.output.count("HTTP 500") == 1, polled.output
    assert "WARNING" not in polled.output


def test_other_log_lines_still_show(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_logging: None
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\ntimeout = 5\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    feed = b'<rss version="2.0"><channel><title>D</title></channel></rss>'
    server.route("/new", feed)
    server.route("/old", feed)
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", server.url("/old")]).exit_code == 0
    # Moved after it was added: `feeds add` would have stored the new address.
    server.redirect("/old", server.url("/new"), 301)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    polled = runner.invoke(cli, ["-v", "poll"])
    assert polled.exit_code == 0, polled.output
    assert "moved permanently" in polled.output
