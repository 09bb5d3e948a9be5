"""`polling.contact` puts the operator's email or URL in the User-Agent, as `(+contact)`, so a
feed publisher can reach whoever runs this instance; without it the User-Agent is unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from bot import USER_AGENT
from bot.config import ConfigError, PollingConfig, load_config
from bot.feedserver import FeedServer
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>A</title><link>https://d.example/1</link></item></channel></rss>"""


@pytest.mark.parametrize("contact", [None, "ops@example.org"])
async def test_polls_send_the_configured_contact(
    server: FeedServer, db: sqlite_utils.Database, contact: str | None
) -> None:
    server.route("/f", RSS)
    feed_store.add_feed(db, server.url("/f"))
    polling = PollingConfig(allow_private_networks=True, timeout=5.0, contact=contact)
    await poll_feeds(db, polling, now=datetime(2030, 1, 1, tzinfo=UTC))
    sent = server.requests[-1].header("User-Agent")
    assert sent == (f"{USER_AGENT} (+ops@example.org)" if contact else USER_AGENT)


def test_contact_is_read_from_the_config(tmp_path: Path) -> None:
    path = tmp_path / "nd.toml"
    path.write_text('[polling]\ncontact = " https://news.example.org/about "\n')
    assert load_config(path).polling.contact == "https://news.example.org/about"


@pytest.mark.parametrize("bad", ["ops at example", "x(y)", "caf\u00e9@example.org", "a\\r\\nX: y"])
def test_a_contact_that_would_break_the_header_is_refused(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "nd.toml"
    path.write_text(f'[polling]\ncontact = "{bad}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key == "polling.contact"
