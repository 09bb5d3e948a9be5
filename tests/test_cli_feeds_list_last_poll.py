"""`feeds list` shows each feed's last poll: when, what it came to ("3 new", "not modified"), the
note `poll` printed (entries older than the retention, left for later polls) and the last error,
piped whole and on an 80-column terminal one line a row with the notes under the table."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_piped_output import cli_env, on_terminal, set_up

from bot.cli import cli
from bot.feedserver import FeedServer, Reply
from bot.store import feeds as feed_store
from bot.store.database import open_database

FRESH = b"""<rss version="2.0"><channel><title>Harbour Desk</title>
<item><guid>1</guid><title>Ferry timetable changes</title><link>https://h.example/1</link></item>
<item><guid>2</guid><title>Quay repairs begin</title><link>https://h.example/2</link></item>
</channel></rss>"""
OLD = b"""<rss version="2.0"><channel><title>Archive Desk</title>
<item><guid>1</guid><title>A report from long ago</title><link>https://a.example/1</link>
<pubDate>Mon, 06 Jan 2020 09:00:00 GMT</pubDate></item>
</channel></rss>"""
ROUTES = {
    "/fresh.xml": Reply(body=FRESH, etag='"v1"'),
    "/archive.xml": Reply(body=OLD),
    "/down.xml": Reply(status=503),
}
OLD_NOTE = "skipped its only entry: it is older than the 30-day retention (storage.retention_days)"
CONFIG = "[polling]\nallow_private_networks = true\n[storage]\nretention_days = 30\n"


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "nd.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(path))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return path


def _row(listing: str, url: str) -> str:
    (row,) = [line for line in listing.splitlines() if url in line]
    return _words(row)


def test_piped_list_shows_each_feeds_last_poll(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    with FeedServer(ROUTES) as server:
        urls = [server.url(path) for path in ROUTES]
        for url in urls:
            assert runner.invoke(cli, ["feeds", "add", url]).exit_code == 0
        before = runner.invoke(cli, ["feeds", "list"]).output
        assert "never" in _row(before, urls[0]) and "not polled yet" in _row(before, urls[0])
        polled = runner.invoke(cli, ["poll"])
        assert OLD_NOTE in _words(polled.output)  # what `poll` says, and `feeds list` now keeps
        first = runner.invoke(cli, ["feeds", "list"]).output
        db = open_database(tmp_path / "nd.db")
        polled_at = feed_store.get_feed(db, 1).last_polled_at  # type: ignore[union-attr]
        db.close()
        assert runner.invoke(cli, ["poll", "--all"]).exit_code == 0
        second = runner.invoke(cli, ["feeds", "list"]).output
    assert polled_at is not None
    # With when it last brought a new entry: that poll.
    at = f"{polled_at:%Y-%m-%d %H:%M}"
    assert f"{at} │ ok: 2 new (last new entry {at} UTC) │" in _row(first, urls[0])
    assert f"ok: nothing new; {OLD_NOTE}" in _row(first, urls[1])
    assert "1 failure: HTTP 503 Service Unavailable" in _row(first, urls[2])
    # The next poll's outcome replaces it: a 304; the old entry, said again since it is all the
    # feed holds.
    assert "ok: not modified" in _row(second, urls[0])
    assert f"ok: nothing new; {OLD_NOTE}" in _row(second, urls[1])
    assert "2 failures: HTTP 503 Service Unavailable" in _row(second, urls[2])


def test_on_an_80_column_terminal_notes_go_under_the_table(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    Path(env["NEWSDIGEST_CONFIG"]).write_text(CONFIG, encoding="utf-8")
    with FeedServer(ROUTES) as server:
        for path in ROUTES:
            set_up(env, "feeds", "add", server.url(path))
        set_up(env, "poll")  # exits 0: not every feed failed
        listing = on_terminal(env, 80, "feeds", "list")
    lines = listing.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line for line in lines if line.startswith("│") and ".xml" in line]
    assert len(rows) == 3  # one line each
    below = _words(" ".join(line for line in lines if "│" not in line and "┃" not in line))
    assert f"2 Archive Desk (ok: nothing new): {OLD_NOTE}" in below
    # An unnamed feed is named by its address, not by the table's "-".
    assert f"3 {server.url(list(ROUTES)[2])} (1 failure): HTTP 503 Service Unavailable" in below
    # A poll with nothing to note adds a line only when its times were cut in the cell.
    cut = "…" in next(row for row in rows if "Harbour Desk" in row)
    assert ("1 Harbour Desk: ok: 2 new (last new entry " in below) == cut


def test_a_failing_feed_says_when_it_last_succeeded(config: Path, tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    feed = feed_store.add_feed(db, "https://beta.example/rss.xml", name="Beta Daily")
    feed_store.update_feed(
        db,
        feed.id,
        consecutive_failures=2,
        last_error="HTTP 502 Bad Gateway",
        last_success_at=datetime(2026, 3, 1, 8, 30, tzinfo=UTC),
        last_polled_at=datetime(2026, 3, 2, 9, 45, tzinfo=UTC),
        last_outcome="failed",
    )
    db.close()
    listed = _words(CliRunner().invoke(cli, ["feeds", "list"]).output)
    assert (
        "│ 2026-03-02 09:45 │ 2 failures: HTTP 502 Bad Gateway (last success 2026-03-01 08:30 UTC) │"
    ) in listed


def test_a_state_without_detail_is_whole_on_an_80_column_terminal(tmp_path: Path) -> None:
    # "not polled yet" has nothing under the table to finish it: cut to "not polled y…", the
    # state was lost on the common terminal width.
    env = cli_env(tmp_path)
    long = "https://feeds.example-news-organisation.com/" + "section/" * 4 + "rss.xml"
    set_up(env, "feeds", "add", long, "--name", "Example News Organisation")
    shown = on_terminal(env, 80, "feeds", "list")
    assert "│ not polled yet │" in shown
    assert max(len(line) for line in shown.splitlines()) <= 80
