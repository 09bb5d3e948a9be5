"""`feeds import` and `feeds add` refuse a feed on an address polling refuses (loopback,
private, localhost names, the link-local metadata service), naming the reason. Stored, the feed
would sit in the list failing at every poll; `feeds add` used to store it with a warning. With
polling.allow_private_networks set, private addresses are added; link-local ones never are."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store.database import open_database
from bot.store.feeds import list_feeds

OPML = b"""<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Local" xmlUrl="http://127.0.0.1:9/a.xml"/>
<outline text="Also local" xmlUrl="http://[::1]:9/b.xml"/>
<outline text="Public" xmlUrl="https://example.org/c.xml"/>
<outline text="Metadata" xmlUrl="http://169.254.169.254/latest/meta-data/"/>
<outline text="Office" xmlUrl="http://10.20.30.40/news.rss"/>
<outline text="Named" xmlUrl="http://LocalHost:8080/feed"/>
<outline text="Dev" xmlUrl="http://site.localhost/feed"/>
</body></opml>"""

PRIVATE = "(set allow_private_networks = true under [polling] to allow it), then import again"


@pytest.fixture
def opml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "subs.opml"
    path.write_bytes(OPML)
    return path


def stored(tmp_path: Path) -> list[str]:
    return [f.url for f in list_feeds(open_database(tmp_path / "nd.db"))]


def test_import_refuses_internal_addresses_with_the_reason(opml: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["feeds", "import", str(opml)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 1 feed (6 skipped) from {opml}\n"
    assert [line for line in result.stderr.splitlines() if line.startswith("skipped ")] == [
        f"skipped http://127.0.0.1:9/a.xml: refusing to fetch from loopback address 127.0.0.1 "
        f"{PRIVATE}",
        f"skipped http://[::1]:9/b.xml: refusing to fetch from loopback address ::1 {PRIVATE}",
        "skipped http://169.254.169.254/latest/meta-data/: refusing to fetch from link-local "
        "address 169.254.169.254; no setting allows it",
        f"skipped http://10.20.30.40/news.rss: refusing to fetch from private address "
        f"10.20.30.40 {PRIVATE}",
        f"skipped http://LocalHost:8080/feed: refusing to fetch from loopback address localhost "
        f"{PRIVATE}",
        f"skipped http://site.localhost/feed: refusing to fetch from loopback address "
        f"site.localhost {PRIVATE}",
    ]
    assert "Warning" not in result.stderr
    assert stored(tmp_path) == ["https://example.org/c.xml"]


def test_private_addresses_are_imported_when_the_operator_allows_them(
    opml: Path, tmp_path: Path
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "feeds", "import", str(opml)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 6 feeds (1 skipped) from {opml}\n"
    assert (
        "skipped http://169.254.169.254/latest/meta-data/: refusing to fetch from link-local "
        "address 169.254.169.254; no setting allows it"
    ) in result.stderr
    assert "Warning" not in result.stderr
    assert stored(tmp_path) == [
        "http://127.0.0.1:9/a.xml",
        "http://[::1]:9/b.xml",
        "https://example.org/c.xml",
        "http://10.20.30.40/news.rss",
        "http://localhost:8080/feed",
        "http://site.localhost/feed",
    ]


ADD_AGAIN = "(set allow_private_networks = true under [polling] to allow it), then add it again"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "http://127.0.0.1:9/a.xml",
            f"refusing to fetch from loopback address 127.0.0.1 {ADD_AGAIN}",
        ),
        ("http://[::1]:9/b.xml", f"refusing to fetch from loopback address ::1 {ADD_AGAIN}"),
        (
            "http://10.20.30.40/news.rss",
            f"refusing to fetch from private address 10.20.30.40 {ADD_AGAIN}",
        ),
        (
            "http://localhost:8080/feed",
            f"refusing to fetch from loopback address localhost {ADD_AGAIN}",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refusing to fetch from link-local address 169.254.169.254; no setting allows it",
        ),
    ],
)
def test_feeds_add_refuses_internal_addresses_as_import_does(
    opml: Path, tmp_path: Path, url: str, reason: str
) -> None:
    result = CliRunner().invoke(cli, ["feeds", "add", url])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == f"Error: {url}: {reason}\n"
    assert stored(tmp_path) == []


def test_feeds_add_takes_private_addresses_when_the_operator_allows_them(
    opml: Path, tmp_path: Path
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    base = ["--config", str(config), "feeds", "add"]
    added = CliRunner().invoke(cli, [*base, "http://10.20.30.40/news.rss"])
    assert added.exit_code == 0, added.output
    assert "refusing" not in added.stderr
    metadata = CliRunner().invoke(cli, [*base, "http://169.254.169.254/latest/meta-data/"])
    assert metadata.exit_code == 1
    assert "link-local address 169.254.169.254; no setting allows it" in metadata.stderr
    assert stored(tmp_path) == ["http://10.20.30.40/news.rss"]
