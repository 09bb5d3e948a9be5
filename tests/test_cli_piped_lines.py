"""Lines of text printed to a pipe (topic matches, the poll's report) stay one line each: Rich
assumed 80 columns there and broke them mid-phrase, "(3" on one line and "sources)" on the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store.database import open_database, utcnow

HEADLINE = "Harbour cranes stand idle for a third day as the dockworkers' strike spreads north"
LONG_NAME = "The Northern Provinces Evening Courier and Gazette, Regional Edition"


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.delenv("COLUMNS", raising=False)


def test_topic_matches_are_one_line_each(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    seen = utcnow()
    [article] = article_store.insert_new(
        db,
        [
            {
                "feed_id": None,
                "source": "Courier",
                "guid": "g1",
                "url": "https://a.example/1",
                "canonical_url": None,
                "title": HEADLINE,
                "text": HEADLINE + ". Talks resume on Monday.",
                "published": seen,
                "seen_at": seen,
            }
        ],
    )
    story_store.create_story(db, "s1", "harbour-cranes-strike", HEADLINE, seen)
    article_store.set_story(db, article.id, "s1")
    story_store.update_counts(
        db, "s1", article_count=3, outlet_count=3, source_count=3, last_updated=seen
    )
    db.close()
    result = CliRunner().invoke(cli, ["topics", "test", "strike"])
    assert result.exit_code == 0, result.output
    # The line ends with where the query's term was found (`topics test` says why it matched).
    assert f"harbour-cranes-strike  {HEADLINE}  (3 sources)  strike: headline\n" in result.stdout


def test_poll_failures_are_one_line_each() -> None:
    runner = CliRunner()
    added = runner.invoke(cli, ["feeds", "add", "http://127.0.0.1:9/feed", "--name", LONG_NAME])
    assert added.exit_code == 0, added.output
    polled = runner.invoke(cli, ["poll"])
    failure = next(line for line in polled.stderr.splitlines() if "✗" in line)
    assert LONG_NAME in failure and len(failure) > 80
    report = next(line for line in polled.stderr.splitlines() if line.startswith("Polled"))
    assert report.endswith("new or updated.")
