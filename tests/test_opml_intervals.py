"""OPML export keeps each feed's poll interval (newsdigest:interval), and import reads it back,
clamped to what `feeds add --interval` accepts: export + import no longer resets 2h to 15m."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config_values import MAX_INTERVAL, MIN_INTERVAL
from bot.ingest.opml import export_opml, read_opml
from bot.store import feeds as feed_store
from bot.store.database import open_database


def _opml(interval: str) -> bytes:
    return (
        '<?xml version="1.0"?><opml version="2.0" xmlns:nd="https://newsdigest.invalid/opml">'
        '<body><outline text="A" xmlUrl="https://a.example/rss" nd:interval="'
        + interval
        + '"/><outline text="B" xmlUrl="https://b.example/rss"/></body></opml>'
    ).encode()


@pytest.mark.parametrize(
    ("written", "read"),
    [("7200", 7200), ("10", MIN_INTERVAL), ("-5", MIN_INTERVAL), ("99999999", MAX_INTERVAL),
     ("soon", None), ("", None)],
)  # fmt: skip
def test_interval_attribute_is_read_clamped(written: str, read: int | None) -> None:
    feeds = read_opml(_opml(written)).feeds
    assert [f.interval for f in feeds] == [read, None]


def test_a_plain_attribute_of_that_name_is_not_ours() -> None:
    data = b'<opml><body><outline xmlUrl="https://a.example/rss" interval="7200"/></body></opml>'
    assert read_opml(data).feeds[0].interval is None


def test_export_writes_it_and_other_readers_see_a_normal_outline() -> None:
    data = export_opml(read_opml(_opml("7200")).feeds)
    assert b'newsdigest:interval="7200"' in data
    assert b'xmlns:newsdigest="https://newsdigest.invalid/opml"' in data
    assert [f.interval for f in read_opml(data).feeds] == [7200, None]


def test_cli_export_and_import_keep_the_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "one.db"))
    runner.invoke(cli, ["feeds", "add", "https://a.example/rss", "--interval", "120m"])
    runner.invoke(cli, ["feeds", "add", "https://b.example/rss"])
    exported = runner.invoke(cli, ["feeds", "export", "-o", str(tmp_path / "subs.opml")])
    assert exported.exit_code == 0, exported.output

    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "two.db"))
    imported = runner.invoke(cli, ["feeds", "import", str(tmp_path / "subs.opml")])
    assert imported.exit_code == 0, imported.output
    db = open_database(tmp_path / "two.db")
    try:
        intervals = {f.url: f.poll_interval for f in feed_store.list_feeds(db)}
    finally:
        db.close()
    assert intervals == {"https://a.example/rss": 7200, "https://b.example/rss": 900}
