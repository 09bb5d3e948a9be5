"""The advice a refused feed gets, "set allow_private_networks = true under [polling]", followed
as written: it was "set polling.allow_private_networks = true", which pasted at the end of a
config file (after its [[channels]]) is a key of the last table, and the file no longer loaded
("channels[0].polling: unknown key")."""

from __future__ import annotations

import re
from pathlib import Path

import sqlite_utils

from bot.config import PollingConfig, load_config
from bot.feedserver import FeedServer, Reply
from bot.ingest.policy import allowed_now
from bot.pipeline.poll import poll_feeds
from bot.pipeline.refusals import enable_allowed
from bot.store import feeds as feed_store

RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>A story</title><link>https://d.example/1</link></item>
</channel></rss>"""

# An operator's file as it usually ends: no [polling] table, a channel last.
FILE = """
[[feeds]]
url = "https://news.example.org/rss"

[[channels]]
platform = "slack"
id = "C1"
"""


def _follow(advice: str, file: Path) -> None:
    """Do what the advice says, as an operator would: the setting goes in the table it names, or
    (no table named) at the end of the file."""
    found = re.search(r"set (\S+ = \S+)(?: under \[(\w+)\])?", advice)
    assert found is not None, advice
    line, table = found.group(1), found.group(2)
    text = file.read_text("utf-8")
    if table is not None and f"[{table}]" not in text:
        text += f"\n[{table}]\n"
    file.write_text(text + line + "\n", "utf-8")


async def test_the_advice_for_a_refused_feed_loads_once_followed(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    with FeedServer({"/rss.xml": Reply(body=RSS)}) as server:
        feed = feed_store.add_feed(db, server.url("/rss.xml"), origin="cli")
        await poll_feeds(db, PollingConfig(allow_private_networks=False, timeout=5.0))
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None and stored.disabled_reason is not None
    assert "under [polling]" in stored.disabled_reason
    file = tmp_path / "nd.toml"
    file.write_text(FILE, "utf-8")

    _follow(stored.disabled_reason, file)

    config = load_config(file)  # raised "channels[0].polling: unknown key"
    assert config.polling.allow_private_networks is True
    assert [f.id for f in enable_allowed(db, allow_private_networks=True)] == [feed.id]


def test_a_reason_stored_with_the_old_advice_is_still_the_settings_to_allow() -> None:
    old = (
        "refused: loopback address 127.0.0.1; set polling.allow_private_networks = true to "
        "allow it, or fix the address, then re-enable the feed (newsdigest feeds enable)"
    )
    assert allowed_now(old, allow_private_networks=True)
    assert not allowed_now(old, allow_private_networks=False)
