"""`feeds import` of a big OPML file: interrupted, it says how many feeds it kept and that a
re-run skips them; the re-run says "already in the database" once, as a count, while the other
reasons an outline was skipped are still listed one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store import feeds as feed_store
from bot.store.database import open_database

COUNT = 300


@pytest.fixture
def opml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    outlines = "".join(
        f'<outline type="rss" text="Feed {i}" xmlUrl="https://news{i}.example.com/rss.xml"/>'
        for i in range(COUNT)
    )
    path = tmp_path / "big.opml"
    path.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}'
        '<outline text="FTP" xmlUrl="ftp://files.example/rss"/></body></opml>',
        encoding="utf-8",
    )
    return path


def test_an_interrupted_import_says_what_it_kept(
    opml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_add = feed_store.add_feed
    calls = 0

    def add_until_ctrl_c(*args: object, **kwargs: object) -> feed_store.FeedRow:
        nonlocal calls
        calls += 1
        if calls > 120:
            raise KeyboardInterrupt
        return real_add(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feed_store, "add_feed", add_until_ctrl_c)
    result = CliRunner().invoke(cli, ["feeds", "import", str(opml)])
    assert result.exit_code == 1  # click's Abort; `newsdigest` exits 130 on it
    assert (
        f"Interrupted: 120 feeds of {COUNT} added so far are kept; running "
        f"`newsdigest feeds import {opml}` again skips them." in result.stderr
    )
    assert len(feed_store.list_feeds(open_database(tmp_path / "nd.db"))) == 120


def test_a_re_run_counts_the_feeds_already_there_in_one_line(opml: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["feeds", "import", str(opml)])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["feeds", "import", str(opml)])
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines() == [
        "skipped ftp://files.example/rss: unsupported scheme ftp: (only http and https)",
        f"skipped {COUNT} feeds already in the database",
    ]
    assert again.stdout == f"Imported 0 feeds ({COUNT + 1} skipped) from {opml}\n"


def test_the_import_advances_the_shared_progress_bar(
    opml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    import bot.cli.feeds as feeds_cli

    seen: dict[str, int] = {"total": 0, "steps": 0}

    @contextmanager
    def recording_bar(label: str):  # type: ignore[no-untyped-def]
        def start(total: int):  # type: ignore[no-untyped-def]
            seen["total"] = total

            def advance(steps: int = 1) -> None:
                seen["steps"] += steps

            return advance

        yield start

    monkeypatch.setattr(feeds_cli, "progress_bar", recording_bar)
    assert CliRunner().invoke(cli, ["feeds", "import", str(opml)]).exit_code == 0
    assert seen == {"total": COUNT, "steps": COUNT}
