"""A failed lookup of the admin user group refuses that one request (fail closed) but is not
remembered: neither the empty member list nor the user's "no" may lock admins out for the ttl."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from test_slack_app import Harness, ack_text, make_harness

from bot.app import NewsDigest
from bot.config import Config
from bot.store.database import open_database

REFUSED = "Only admins can add or remove feeds"
UNCHECKED = (
    "I could not check whether you are an admin just now: Slack did not answer. "
    "The feed was not {done}; please try again in a minute."
)


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    config = Config(database=str(tmp_path / "nd.db"), admin_group="news-admins")
    app = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    yield app
    app.close()


@pytest.fixture
async def h(slack_api: FakeSlackAPI, core: NewsDigest) -> AsyncIterator[Harness]:
    slack_api.usergroups = [{"id": "S1", "handle": "news-admins", "name": "News admins"}]
    slack_api.group_members["S1"] = ["UGROUP"]
    async for harness in make_harness(slack_api, core):
        yield harness


@pytest.mark.parametrize("method", ["usergroups.users.list", "usergroups.list"])
async def test_a_failed_group_lookup_refuses_once_and_is_not_remembered(
    h: Harness, method: str
) -> None:
    h.slack_api.script(method, body={"ok": False, "error": "fatal_error"})
    _, body = await h.slash("/feeds", "add https://feeds.example/a", user="UGROUP")
    # Refused, but not as if the admin were none: told the check failed and to try again.
    assert ack_text(body) == UNCHECKED.format(done="added")

    _, body = await h.slash("/feeds", "add https://feeds.example/a", user="UGROUP")
    assert "Added feed `https://feeds.example/a`" in ack_text(body)
    assert len(h.slack_api.calls_to("usergroups.users.list")) == 2 - (method == "usergroups.list")

    # A lookup that worked is remembered: the next command asks Slack nothing more.
    calls = len(h.slack_api.calls)
    _, body = await h.slash("/feeds", "add https://feeds.example/b", user="UGROUP")
    assert "Added feed `https://feeds.example/b`" in ack_text(body)
    assert len(h.slack_api.calls) == calls


async def test_a_failed_user_lookup_says_so_on_remove_too(h: Harness) -> None:
    h.slack_api.script("users.info", body={"ok": False, "error": "fatal_error"})
    _, body = await h.slash("/feeds", "remove #1", user="UOTHER")
    assert ack_text(body) == UNCHECKED.format(done="removed")


async def test_a_user_outside_the_group_is_still_refused(h: Harness) -> None:
    _, body = await h.slash("/feeds", "add https://feeds.example/a", user="UOTHER")
    assert REFUSED in ack_text(body)
