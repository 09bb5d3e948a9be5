"""Tables printed to a pipe (a file, grep, a script) keep every cell whole; on a terminal they
still fit the window. Run as `python -m bot` with stdout a real pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer, Reply
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import open_database, utcnow

ROOT = Path(__file__).resolve().parent.parent
LONG_PATH = "/section/world/regional/northern-provinces/feeds/latest-headlines.xml"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path)


def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a `newsdigest` child process on a new database and config in
    `tmp_path` that polls loopback feeds, with no terminal size of the caller's."""
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_TERMINAL")}
    env |= {
        "PYTHONPATH": str(ROOT),
        "NEWSDIGEST_CONFIG": str(config),
        "NEWSDIGEST_DB": str(tmp_path / "nd.db"),
    }
    return env


def set_up(env: dict[str, str], *args: str) -> None:
    """`newsdigest ARGS` in this process, on the child's database and config: what a test sets
    up before the command it runs as a child (a child process costs a second of imports)."""
    paths = {key: env[key] for key in ("NEWSDIGEST_CONFIG", "NEWSDIGEST_DB")}
    result = CliRunner().invoke(cli, list(args), env=paths)
    assert result.exit_code == 0, result.output


def newsdigest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_piped_feeds_list_shows_the_full_url(env: dict[str, str]) -> None:
    with FeedServer({LONG_PATH: Reply(status=404)}) as srv:
        url = srv.url(LONG_PATH)
        assert len(url) > 80
        set_up(env, "feeds", "add", url, "--name", "The Northern Provinces Evening Ledger")
        listing = newsdigest(env, "feeds", "list").stdout
    assert url in listing
    assert "The Northern Provinces Evening Ledger" in listing
    assert "…" not in listing


def test_feeds_list_on_a_terminal_still_fits_the_window(env: dict[str, str]) -> None:
    with FeedServer() as srv:
        url = srv.url(LONG_PATH)
        set_up(env, "feeds", "add", url)
    listing = on_terminal(env, 80, "feeds", "list")
    assert url not in listing and "…" in listing
    assert max(len(line) for line in listing.splitlines()) <= 80


def test_piped_with_force_color_is_still_whole(env: dict[str, str]) -> None:
    # FORCE_COLOR makes Rich call a pipe a terminal; the table must still not be cut to 80.
    with FeedServer() as srv:
        url = srv.url(LONG_PATH)
        set_up(env, "feeds", "add", url)
    listing = newsdigest({**env, "FORCE_COLOR": "1"}, "feeds", "list").stdout
    assert url in listing


def on_terminal(env: dict[str, str], columns: int, *args: str) -> str:
    """What `newsdigest ARGS` prints on a terminal `columns` wide (a real pseudo-terminal)."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env={**env, "NO_COLOR": "1", "TERM": "xterm"},
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=subprocess.PIPE,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # styles (bold headers) are not width


def test_piped_stories_show_whole_headlines_and_slugs(
    env: dict[str, str], sample_server: FeedServer
) -> None:
    for path in ("/harbor-times/feed", "/northern-ledger/feed", "/civic-wire/feed"):
        set_up(env, "feeds", "add", sample_server.url(path))
    set_up(env, "poll")
    listing = newsdigest(env, "stories", "--limit", "100").stdout
    db = open_database(env["NEWSDIGEST_DB"])
    try:
        since = utcnow() - timedelta(days=30)
        stories = story_store.recent_stories(db, since=since, min_sources=1, limit=100)
    finally:
        db.close()
    assert stories and max(len(s.headline) for s in stories) > 60
    for story in stories:
        assert story.headline in listing
        assert story.slug in listing
    assert "…" not in listing


ERROR = (
    "malformed feed: not a feed: <unknown>:2:0: syntax error (fastfeedparser: ValueError: "
    "Content appears to be HTML, not a valid RSS/Atom feed)"
)


@pytest.mark.parametrize("columns", [80, 90, 100])
def test_feeds_list_on_a_terminal_keeps_a_failing_feed_readable(
    env: dict[str, str], columns: int
) -> None:
    # At 90 columns the state column got ~10 cells, so this error wrapped over ~25 lines and
    # names were cut to "Beta D…". Now the row stays one line and the error is printed whole
    # under the table, across the window.
    db = open_database(env["NEWSDIGEST_DB"])
    feed_store.add_feed(db, "https://alpha.example/news/rss.xml", name="Alpha Times", origin="cli")
    beta = feed_store.add_feed(
        db, "https://beta.example/page.html", name="Beta Daily", origin="cli"
    )
    feed_store.update_feed(db, beta.id, last_error=ERROR, consecutive_failures=3)
    db.close()
    listing = on_terminal(env, columns, "feeds", "list")
    lines = listing.splitlines()
    assert max(len(line) for line in lines) <= columns
    (row,) = [line for line in lines if "Beta Daily" in line and "│" in line]
    assert "3 failures" in row
    assert not any(line.startswith("│    │") for line in lines)  # no row's cell wrapped
    below = " ".join(line for line in lines if "│" not in line and "┃" not in line)
    assert f"2 Beta Daily (3 failures): {ERROR}" in " ".join(below.split())
    assert len(lines) <= 13
