"""`feeds export` then `feeds import` gives the same feeds and the same cards: a feed without a
configured name stays unnamed (its title, cut to the site's name, keeps naming it on cards), a
configured name stays configured."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer
from bot.store.database import open_database, utcnow
from bot.store.feeds import list_feeds

STORY = (
    "Kera volcano eruption forces thousands to flee",
    "The Kera volcano erupted on Sunday, forcing thousands of residents to flee their homes "
    "as ash fell over the island's capital, officials said.",
)


def rss(title: str, site: str, guid: str) -> bytes:
    when = format_datetime(utcnow(), usegmt=True)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://{site}/</link><item><title>{STORY[0]}</title>"
        f"<link>https://{site}/{guid}</link><guid>{guid}</guid><pubDate>{when}</pubDate>"
        f"<description>{STORY[1]}</description></item></channel></rss>"
    ).encode()


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.route("/omega.xml", rss("Omega Times - World", "omegatimes.example", "o1"))
        server.route("/beta.xml", rss("Beta Post | Politics", "betapost.example", "b1"))
        server.route("/gamma.xml", rss("Gamma Wire", "gamma.example", "g1"))
        yield server


def sources(runner: CliRunner) -> list[str]:
    slug = runner.invoke(cli, ["stories"]).stdout.split("│")[1].strip()
    card = runner.invoke(cli, ["story", slug])
    assert card.exit_code == 0, card.output
    return [line for line in card.stdout.splitlines() if "•" in line]


def test_a_round_trip_keeps_names_and_cards(
    feeds: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "one.db"))
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    for path in ("/omega.xml", "/beta.xml"):
        assert runner.invoke(cli, ["feeds", "add", feeds.url(path)]).exit_code == 0
    named = runner.invoke(cli, ["feeds", "add", feeds.url("/gamma.xml"), "--name", "Gamma Desk"])
    assert named.exit_code == 0
    assert runner.invoke(cli, ["poll"]).exit_code == 0
    before = sources(runner)
    assert any("Omega Times:" in line for line in before), before
    assert any("Gamma Desk:" in line for line in before), before
    exported = tmp_path / "out.opml"
    assert runner.invoke(cli, ["feeds", "export", "-o", str(exported)]).exit_code == 0

    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "two.db"))
    imported = runner.invoke(cli, ["feeds", "import", str(exported)])
    assert imported.exit_code == 0, imported.output
    assert runner.invoke(cli, ["poll"]).exit_code == 0
    assert sources(runner) == before
    db = open_database(tmp_path / "two.db")
    assert {f.url.rsplit("/", 1)[1]: f.name for f in list_feeds(db)} == {
        "omega.xml": None,
        "beta.xml": None,
        "gamma.xml": "Gamma Desk",
    }


def test_another_readers_outline_title_is_still_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    opml = tmp_path / "reader.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline type="rss" text="My Paper" '
        'xmlUrl="https://paper.example/rss"/></body></opml>',
        encoding="utf-8",
    )
    assert CliRunner().invoke(cli, ["feeds", "import", str(opml)]).exit_code == 0
    assert [f.name for f in list_feeds(open_database(tmp_path / "nd.db"))] == ["My Paper"]


def test_a_reimport_counts_loopback_feeds_as_already_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Feeds added while allow_private_networks was on, exported, then imported again with it
    # off: each was listed as "refusing to fetch from loopback address", not as already there.
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    runner = CliRunner()
    for name in ("alpha", "beta"):
        url = f"http://127.0.0.1:9/{name}.xml"
        assert runner.invoke(cli, ["feeds", "add", url, "--no-check"]).exit_code == 0
    exported = tmp_path / "out.opml"
    assert runner.invoke(cli, ["feeds", "export", "-o", str(exported)]).exit_code == 0
    config.write_text("", encoding="utf-8")  # loopback refused from now on

    imported = runner.invoke(cli, ["feeds", "import", str(exported)])

    assert imported.exit_code == 0, imported.output
    assert "refusing" not in imported.stderr
    assert "skipped 2 feeds already in the database" in imported.stderr
    assert imported.stdout.strip() == f"Imported 0 feeds (2 skipped) from {exported}"
