"""`newsdigest chat`: the chat commands typed in the terminal, run as a real `python -m bot`
child on a real database holding stories, commands read from its stdin (a pipe, or a real
pseudo-terminal for the interactive session)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from loopback_site.child_shortcuts import GIVE_UP_SECONDS

from bot.runner.console import ensure_console_channel
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import iso, open_database, transaction, utcnow

ROOT = Path(__file__).resolve().parent.parent
# Feed text a hostile outlet could send: Rich markup and a terminal escape in a headline.
HOSTILE = "Glitch [bold red]loud[/bold red] \x1b]8;;https://evil.example\x1b\\link headline"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A config file and a database holding stories (and the topic `ai`), named by the
    environment a `newsdigest` child gets."""
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    db_path = tmp_path / "nd.db"
    db = open_database(db_path)
    now = utcnow()
    stories = {
        "kestrel-lander": "Kestrel lander reaches the lunar south pole",
        "harbour-strike": "Harbour workers walk out over pay",
        "harbour-ferry": "Harbour ferry tender goes to Blueline",
        "glitch-story": HOSTILE,
    }
    try:
        for n, (slug, headline) in enumerate(stories.items()):
            add_story(db, f"s{n}", slug, headline, now=now)
        channel_store.upsert_topic(db, "ai", '"artificial intelligence" OR ai')
    finally:
        db.close()
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    return base | {
        "PYTHONPATH": str(ROOT),
        "NEWSDIGEST_CONFIG": str(config),
        "NEWSDIGEST_DB": str(db_path),
    }


def add_story(
    db: sqlite_utils.Database, story_id: str, slug: str, headline: str, *, now: datetime
) -> None:
    """A story of two outlets' articles, each headed `headline`, the card's headline then."""
    with transaction(db):
        story_store.create_story(db, story_id, slug, headline, now - timedelta(hours=2))
        rows = [
            {"source": outlet, "guid": f"{story_id}-{outlet}", "title": headline, "seen_at": now}
            for outlet in ("Harbor Times", "Northern Ledger")
        ]
        for article in article_store.insert_new(db, rows):
            article_store.set_story(db, article.id, story_id)
        db.execute(
            "UPDATE stories SET article_count = 2, outlet_count = 2, source_count = 2,"
            " last_updated = ? WHERE id = ?",
            [iso(now), story_id],
        )


def chat(env: dict[str, str], script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        env=env,
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def replies(output: str) -> dict[str, str]:
    """Each command's reply in a piped session's output, by the command as typed."""
    out: dict[str, str] = {}
    command = ""
    for line in output.splitlines():
        if line.startswith("> "):
            command = line[2:]
            out[command] = ""
        elif command:
            out[command] += line + "\n"
    return out


def test_follow_then_watchlist_shows_the_topic(env: dict[str, str]) -> None:
    result = chat(env, "/follow ai\nwatchlist\n")
    assert result.returncode == 0, result.stderr
    said = replies(result.stdout)
    assert said["/follow ai"].startswith("This channel now follows ai.")
    assert "ai" in said["watchlist"] and "Mode: digest" in said["watchlist"]
    # The session talked as `run`'s terminal channel, now signed up as `run` would have made it.
    db = open_database(env["NEWSDIGEST_DB"])
    try:
        row = channel_store.get_channel(db, "console", "terminal")
        assert row is not None and row.origin == "runner"
        assert [t.slug for t in channel_store.channel_topics(db, row.id)] == ["ai"]
    finally:
        db.close()


@pytest.mark.parametrize("command", ["/digest", "/follow ai"])
def test_the_terminal_channel_is_signed_up_as_run_makes_it_hourly(
    env: dict[str, str], tmp_path: Path, command: str
) -> None:
    # Signed up with the commands' daily 09:00, it stayed daily under a later `run` with no
    # chat platform, which promises the terminal an hourly digest.
    result = chat(env, f"{command}\n")
    assert result.returncode == 0, result.stderr
    said = replies(result.stdout)[command]
    if command == "/follow ai":  # a digest shown in the reply is its own title (the time now)
        assert "09:00" not in said
        assert "This channel now gets a digest on the schedule cron '0 * * * *' UTC" in said
    runs = open_database(tmp_path / "run.db")
    db = open_database(env["NEWSDIGEST_DB"])
    try:
        ensure_console_channel(runs, chat=False)
        [made] = channel_store.list_channels(runs, "console")
        row = channel_store.get_channel(db, "console", "terminal")
        assert row is not None
        assert (row.schedule, row.origin) == ("0 * * * *", "runner")
        assert dataclasses.replace(row, id=made.id) == made
    finally:
        db.close()
        runs.close()


def test_story_by_slug_and_by_prefix(env: dict[str, str]) -> None:
    result = chat(env, "/story kestrel-lander\nstory kestrel\n")
    assert result.returncode == 0, result.stderr
    said = replies(result.stdout)
    for typed in ("/story kestrel-lander", "story kestrel"):
        reply = said[typed]
        assert reply.startswith("Kestrel lander reaches the lunar south pole\n")
        assert "2 sources tracking this story" in reply
        # The card's buttons, as the commands to type.
        assert "/watchlist mute kestrel-lander" in reply


def test_ambiguous_story_asks_which(env: dict[str, str]) -> None:
    result = chat(env, "/story harbour\n")
    assert result.returncode == 0, result.stderr
    reply = replies(result.stdout)["/story harbour"]
    assert "matches several stories. Did you mean:" in reply
    assert "harbour-strike" in reply and "harbour-ferry" in reply


def test_unknown_command_lists_the_commands_and_help_explains_them(env: dict[str, str]) -> None:
    result = chat(env, "/frobnicate now\n/help\n/help unfollow\n")
    assert result.returncode == 0, result.stderr
    said = replies(result.stdout)
    unknown = said["/frobnicate now"]
    assert "Unknown command 'frobnicate'" in unknown
    assert "/story, /follow, /unfollow, /watchlist, /digest, /feeds" in unknown
    assert "/help" in unknown
    assert "/watchlist schedule weekdays 09:00 Europe/Berlin" in said["/help"]
    assert "/quit" in said["/help"]
    assert said["/help unfollow"].startswith("/unfollow <topic>: stop following")


def test_operator_is_admin_and_digest_is_a_preview(env: dict[str, str]) -> None:
    result = chat(env, "/feeds remove #99\n/digest\n")
    assert result.returncode == 0, result.stderr
    said = replies(result.stdout)
    # Refused for being no admin it is not: the feed is simply not there.
    assert "admin" not in said["/feeds remove #99"].lower()
    assert "A preview: nothing is posted or recorded as sent" in said["/digest"]


def test_feed_text_reaches_the_pipe_without_escapes(env: dict[str, str]) -> None:
    result = chat(env, "/story glitch-story\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "Glitch [bold red]loud[/bold red]" in result.stdout


def test_an_invalid_query_is_pointed_at_under_the_query(env: dict[str, str]) -> None:
    # The error's code block was shown as any other reply lines: squashed and stripped, its
    # caret under the query's first character, and its ``` fences printed.
    result = chat(env, "/follow chips (chip OR\n")
    assert result.returncode == 0, result.stderr
    reply = replies(result.stdout)["/follow chips (chip OR"]
    assert reply.splitlines()[1:4] == [
        "At character 7: OR is missing a term after it",
        "  (chip OR",
        "        ^",
    ]
    assert "```" not in reply


def test_a_channel_of_another_platform_is_refused(env: dict[str, str]) -> None:
    db = open_database(env["NEWSDIGEST_DB"])
    try:
        channel_store.ensure_channel(db, "slack", "C0123", name="news")
        channel_store.ensure_channel(db, "console", "lobby", name="lobby")
    finally:
        db.close()
    refused = chat(env, "/watchlist\n", "slack:C0123")
    assert refused.returncode == 1
    assert "slack:C0123 is a slack channel" in refused.stderr
    assert "console:lobby" in refused.stderr
    # Named by its name, the console channel is the one talked as.
    named = chat(env, "/digest\n", "lobby")
    assert named.returncode == 0, named.stderr
    assert "News digest · lobby ·" in named.stdout
    unknown = chat(env, "/watchlist\n", "console:nowhere")
    assert unknown.returncode == 1 and "no console channel 'console:nowhere'" in unknown.stderr


def test_an_unknown_channel_names_the_one_leaving_it_out_talks_as(env: dict[str, str]) -> None:
    # It always offered `console:terminal`, where leaving CHANNEL out on the demo's database
    # (one console channel of its own) talks as that one.
    def refusal() -> str:
        result = chat(env, "/watchlist\n", "nosuch")
        assert result.returncode == 1
        return result.stderr

    assert "leave CHANNEL out to talk as `console:terminal`" in refusal()
    db = open_database(env["NEWSDIGEST_DB"])
    try:
        channel_store.ensure_channel(db, "console", "team-news", name="team-news")
        assert "leave CHANNEL out to talk as `console:team-news`" in refusal()
        channel_store.ensure_channel(db, "console", "lobby", name="lobby")
        # Left out, CHANNEL would only be asked for: no such offer.
        several = refusal()
        assert "leave CHANNEL out" not in several and "name one of those" in several
    finally:
        db.close()


def test_a_config_channel_not_yet_synced_is_found_by_its_name_without_the_hash(
    env: dict[str, str],
) -> None:
    # Unquoted, `#news` is a shell comment: `news` names it, as `digest` and `channels` take it.
    Path(env["NEWSDIGEST_CONFIG"]).write_text(
        '[[channels]]\nplatform = "console"\nid = "newsroom"\nname = "#news"\n', encoding="utf-8"
    )
    for ref in ("news", "#news", "newsroom", "console:newsroom"):
        result = chat(env, "/watchlist\n", ref)
        assert result.returncode == 1
        assert f"channel {ref!r} is in the config file but not yet in the database" in result.stderr


def test_a_missing_database_is_an_error_not_a_new_one(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "elsewhere.db"
    result = chat({**env, "NEWSDIGEST_DB": str(missing)}, "/watchlist\n")
    assert result.returncode == 1
    assert not missing.exists()


# --- at a terminal --------------------------------------------------------------------------------


class Terminal:
    """`newsdigest chat` on a real pseudo-terminal: what it prints, read as it comes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.main, child = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"],
            env={**env, "TERM": "xterm", "COLUMNS": "100"},
            stdin=child,
            stdout=child,
            stderr=child,
            preexec_fn=_default_sigint,
        )
        os.close(child)
        self.seen = ""

    def until(self, text: str, *, start: int = 0, timeout: float = 180.0) -> str:
        """Everything printed once `text` has appeared after the first `start` characters (at
        the child's own pace, no sleeping)."""
        deadline = time.monotonic() + timeout
        while text not in self.seen[start:]:
            left = deadline - time.monotonic()
            assert left > 0, f"never printed {text!r}; printed:\n{self.seen}"
            ready, _, _ = select.select([self.main], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.main, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                assert chunk, f"ended before printing {text!r}; printed:\n{self.seen}"
                self.seen += chunk.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return self.seen

    def wait_reading(self, timeout: float = 180.0) -> None:
        """Once the prompt is printed, wait for the child to sleep reading the terminal. Python's
        readline prints the prompt before it enters select(), and a SIGINT landing between the
        two only sets a flag that select() never wakes to check: a Ctrl-C in that microsecond
        window goes unseen until the next key, which no person's reaction time can hit, but a
        test sending it the instant the prompt appears on a loaded machine can (it once waited
        30 s for that)."""
        stat = Path(f"/proc/{self.proc.pid}/stat")
        deadline = time.monotonic() + timeout
        # The state follows the command name, which sits in parentheses and may hold spaces.
        while stat.read_text().rpartition(")")[2].split()[0] != "S":
            assert time.monotonic() < deadline, "never sat waiting at the prompt"
            time.sleep(0.005)

    def type(self, keys: str) -> None:
        os.write(self.main, keys.encode())

    def exit_code(self) -> int:
        try:
            return self.proc.wait(timeout=180)
        finally:
            self.close()

    def close(self) -> None:
        """The session ended, or killed when a test failed before it did: none is left behind."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(OSError):
            os.close(self.main)


def _default_sigint() -> None:
    # A suite run as a background job of a non-interactive shell (`nohup make test &`) hands its
    # children an ignored SIGINT, which the bot rightly keeps ignoring; Ctrl-C here is a user's.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # Nor may it inherit SIGINT blocked from whichever thread of the suite started it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_terminal_session_draws_cards_and_ends_on_ctrl_d(
    env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    term = Terminal(env)
    request.addfinalizer(term.close)
    term.until("console:terminal> ")
    term.type("/story glitch-story\n")
    shown = term.until("/watchlist mute glitch-story")
    # A card drawn as the console draws one, its feed text shown as text, never as markup or a
    # terminal escape sequence (the link escape the headline carried).
    assert "╭" in shown and "Glitch [bold red]loud[/bold red]" in shown
    assert "\x1b]8;;https://evil.example" not in shown
    assert "\x1b[1;31m" not in shown  # "[bold red]" read as markup
    # The next prompt: the session reads again.
    term.until("console:terminal> ", start=shown.index("/watchlist mute glitch-story"))
    term.type("\x04")  # Ctrl-D at the prompt
    assert term.exit_code() == 0


def test_ctrl_c_at_the_prompt_ends_the_session_cleanly(
    env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    term = Terminal(env)
    request.addfinalizer(term.close)
    term.until("console:terminal> ")
    term.wait_reading()
    term.proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    assert term.exit_code() == 0
    assert "Traceback" not in term.seen


def test_the_demo_names_chat_and_its_database_answers(tmp_path: Path) -> None:
    # Offline, as a newcomer meets it: `make demo`, then the "Try:" line it ends with.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDIGEST_")}
    env["PYTHONPATH"] = str(ROOT)
    out = tmp_path / "out"
    demo = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--output", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    tries = [line for line in demo.stdout.splitlines() if line.startswith("Try: ")]
    assert any(line.endswith(" chat") and str(out / "demo.db") in line for line in tries)
    result = chat({**env, "NEWSDIGEST_DB": str(out / "demo.db")}, "/story kestrel\n/watchlist\n")
    assert result.returncode == 0, result.stderr
    said = replies(result.stdout)
    assert "sources tracking this story" in said["/story kestrel"]
    assert "Mode: digest" in said["/watchlist"]


def test_a_write_held_up_by_another_process_is_answered_busy_and_changes_nothing(
    env: dict[str, str],
) -> None:
    db = open_database(env["NEWSDIGEST_DB"])
    try:
        channel = channel_store.ensure_channel(db, "console", "lobby", name="lobby")
        # Another process (a poll, a prune) holding the write lock throughout the session.
        locker = sqlite3.connect(env["NEWSDIGEST_DB"], isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            # The command gives up on the lock after 1 s, not its 10 (`child_shortcuts`).
            shortcut = env | {GIVE_UP_SECONDS: "1"}
            result = chat(shortcut, "/watchlist pause\n/story kestrel-lander\n", "console:lobby")
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert result.returncode == 0, result.stderr
        said = replies(result.stdout)
        assert said["/watchlist pause"].startswith("The database is busy")
        assert "nothing was changed" in said["/watchlist pause"]
        # Reading goes on meanwhile, and the session with it.
        assert "Kestrel lander reaches the lunar south pole" in said["/story kestrel-lander"]
        row = channel_store.get_channel_by_pk(db, channel.id)
        assert row is not None and row.paused_reason is None
    finally:
        db.close()
