"""`feeds export` when a stored feed title holds characters XML cannot carry, and the ingest side
that keeps control characters out of titles and text in the first place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.normalize import html_to_text
from bot.ingest.opml import OpmlFeed, export_opml, parse_opml
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import open_database


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("Daily\x07 News\x00", "Daily News"),
        ("a\x1fb\x0cc", "a b c"),  # controls str.split() counts as whitespace stay separators
        ("<p>bell\x07</p><p>nul&#0;and&#7;ref</p>", "bell\nnul\ufffdandref"),
        ("<table><tr><td>a\x01</td><td>&#8;b</td></tr></table>", "a b"),
        ("tab\tand\nnewline", "tab and\nnewline"),
        ("<div><p>a&#xFFFE;b\x0cc</p>d&#8217;s</div>", "ab c\nd\u2019s"),
    ],
)
def test_control_characters_are_dropped_from_feed_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


def test_export_drops_characters_xml_cannot_carry() -> None:
    feeds = [
        OpmlFeed(
            "https://e.example/a", "Daily\x07 News\ud800\ufffe", "https://e.example/\x00", "Cat\x01"
        ),
        OpmlFeed("https://e.example/b", "\x1b"),
    ]
    assert parse_opml(export_opml(feeds, title="mine\x00")) == [
        OpmlFeed("https://e.example/a", "Daily News", "https://e.example/", "Cat"),
        OpmlFeed("https://e.example/b", "https://e.example/b"),
    ]


async def test_feeds_export_survives_a_control_character_in_a_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    db = open_database(tmp_path / "nd.db")
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Daily\u0007 News",
            "items": [{"id": "1", "url": "https://e.example/1", "title": "hi\u0000 there"}],
        }
    ).encode()
    with FeedServer() as srv:
        srv.route("/f.json", Reply(body=body, content_type="application/feed+json"))
        feed_store.add_feed(db, srv.url("/f.json"))
        await poll_feeds(db, PollingConfig(allow_private_networks=True, timeout=5.0))
        # A title stored before ingest dropped control characters.
        older = feed_store.add_feed(db, srv.url("/older.json"))
        feed_store.update_feed(db, older.id, title="Old\x0b\x07 Gazette")
    (article,) = db.execute_returning_dicts("SELECT title FROM articles")
    assert article["title"] == "hi there"
    out = tmp_path / "feeds.opml"

    result = CliRunner().invoke(cli, ["feeds", "export", "-o", str(out)])

    assert result.exit_code == 0, result.output
    assert sorted(f.title or "" for f in parse_opml(out.read_bytes())) == [
        "Daily News",
        "Old Gazette",
    ]
