"""Shared fixtures: a real SQLite file per test (`db`), an empty loopback feed server for a test's
own routes (`server`), the sample feeds on a loopback server, a fake Slack Web API on loopback
(`slack_api`), a fake Discord REST API on loopback with discord.py pointed at it, and the two
chat front ends over the test's `core`: `h` (Slack's app through signed requests) and `bot` (the
Discord bot), so a module driving a command on both platforms keeps only its own `core`. `core`
is the sample feeds' synced in; a module marked `pytestmark = pytest.mark.empty_core` gets it
over an empty database instead. `slack_core` is an empty core whose config names admins, for
the Slack app's tests. `parsed_documents` holds each document fastfeedparser is given (what
the entry cut left of it), `parsed_sizes` their lengths; a module marked
`usefixtures("dated_documents_cut")` has the cut take mostly dated documents too.

No test reaches past loopback (`_loopback_only`): a name other than localhost is not found and
another address is unreachable, as on a machine with no network, in the test and in every
Python process it starts."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import pytest
import sqlite_utils
import yarl
from _fresh_database import open_fresh
from fakes.discord_api import FakeDiscord, ready_once_all_in
from fakes.slack_api import FakeSlackAPI
from loopback_site.loopback_only import guards

from bot.adapters.discord.webhook import webhook_session
from bot.app import NewsDigest
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig
from bot.demo.feeds import sample_feeds
from bot.feedserver import FeedServer, Reply
from bot.ingest.errors import forget_logged_tracebacks
from bot.store.database import utcnow

if TYPE_CHECKING:
    from test_slack_app import Harness

    from bot.adapters.discord.bot import DiscordBot


@pytest.fixture(autouse=True)
def _new_process_logs() -> None:
    """Each test as a process of its own: a bug's traceback is logged once per process, and a
    test that meets the same bug (one `_bug` helper) as the one before expects its traceback."""
    forget_logged_tracebacks()


# Its sitecustomize.py puts the same guards in place in a child process.
LOOPBACK_SITE = Path(__file__).resolve().parent / "loopback_site"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing past loopback (tests/loopback_site/loopback_only.py): a test adding a feed on
    example.org must not fetch it from the internet, nor wait out a timeout behind a firewall.
    A child process gets the guards through a sitecustomize on its PYTHONPATH, added to every
    environment a test gives a child (the tests name PYTHONPATH themselves, so a variable set
    here would not reach them)."""
    for owner, name, replacement in guards():
        monkeypatch.setattr(owner, name, replacement)
    real_init = subprocess.Popen.__init__

    def init(self: subprocess.Popen[Any], args: Any, *more: Any, **kwargs: Any) -> None:
        if len(more) < 10:  # env not given by position (no caller does)
            kwargs["env"] = _with_loopback_site(kwargs.get("env"))
        real_init(self, args, *more, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", init)


def _with_loopback_site(env: Any) -> dict[str, str]:
    child = dict(os.environ if env is None else env)
    paths = [p for p in child.get("PYTHONPATH", "").split(os.pathsep) if p]
    child["PYTHONPATH"] = os.pathsep.join([*paths, str(LOOPBACK_SITE)])
    return child


@pytest.fixture
def parsed_documents(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Each document the parser is given, as given (what the entry cut left of it)."""
    documents: list[bytes] = []
    _spy_on_the_parser(monkeypatch, documents.append)
    return documents


@pytest.fixture
def parsed_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bytes each document the parser is given holds."""
    sizes: list[int] = []
    _spy_on_the_parser(monkeypatch, lambda body: sizes.append(len(body)))
    return sizes


def _spy_on_the_parser(monkeypatch: pytest.MonkeyPatch, record: Callable[[bytes], None]) -> None:
    from bot.ingest import parser

    real = parser.fastfeedparser.parse

    def spy(body: bytes, **kwargs: Any) -> Any:
        record(body)
        return real(body, **kwargs)

    monkeypatch.setattr(parser.fastfeedparser, "parse", spy)


@pytest.fixture
def dated_documents_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mostly dated document is left whole by default (the parser dates it fast), but the
    dated entries of a mixed one are ranked by the same reading: tests of the choice cut them."""
    from bot.ingest import entry_cap

    monkeypatch.setattr(entry_cap, "_DATED_SHARE", float("inf"))


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    """The test's database, nd.db in its tmp_path, migrated (`_fresh_database`)."""
    return open_fresh(tmp_path / "nd.db")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackAPI]:
    server = await FakeSlackAPI().start()
    yield server
    await server.stop()


@pytest.fixture
def now() -> datetime:
    return utcnow()


@pytest.fixture
def sample_server(now: datetime) -> Iterator[FeedServer]:
    routes = {
        path: Reply(body=body, content_type=ctype, etag=f'"v1-{i}"')
        for i, (path, (body, ctype)) in enumerate(sample_feeds(now).items())
    }
    with FeedServer(routes) as server:
        yield server


@pytest.fixture
def sample_config(sample_server: FeedServer, tmp_path: Path) -> Config:
    paths = sorted(sample_feeds(utcnow()))
    return Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
        feeds=[FeedConfig(url=sample_server.url(p)) for p in paths],
        channels=[ChannelConfig(platform="console", id="team", name="#team")],
    )


@pytest.fixture
def core(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewsDigest]:
    """The core over the sample feeds (`sample_config`), synced in; in a module marked
    `empty_core`, over an empty database and the default config, nothing synced (no sample feed
    server started either)."""
    path = tmp_path / "nd.db"
    if request.node.get_closest_marker("empty_core"):
        app = NewsDigest(Config(database=str(path)), db=open_fresh(path))
    else:
        app = NewsDigest(request.getfixturevalue("sample_config"), db=open_fresh(path))
        app.sync_config()
    yield app
    app.close()


@pytest.fixture
def slack_core(tmp_path: Path) -> Iterator[NewsDigest]:
    """An empty core whose config names admins (user UCONFIG, group news-admins), for the Slack
    app's tests; a module wanting another config defines its own."""
    config = Config(
        database=str(tmp_path / "nd.db"), admin_users=["UCONFIG"], admin_group="news-admins"
    )
    core = NewsDigest(config, db=open_fresh(tmp_path / "nd.db"))
    yield core
    core.close()


@pytest.fixture(autouse=True)
def _bot_logger_level() -> Iterator[None]:
    """`run`'s logging set-up gives the `bot` logger a level of its own (INFO, DEBUG with -v):
    a test that runs it in this process would leave it to the tests after it, whose
    `caplog.at_level(DEBUG)` sets only the root's, and newsdigest's DEBUG lines went missing."""
    logger = logging.getLogger("bot")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.fixture
def plain_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logging as in a real run: no handler yet, so the CLI's logging.basicConfig installs its
    stderr one (pytest's own capture handler would otherwise make basicConfig a no-op). The
    levels the CLI sets are put back afterwards."""
    for name in ("", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "level", logger.level)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])


@pytest.fixture
async def discord_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    monkeypatch.setattr(discord.http.Route, "BASE", await fake.start())
    yield fake
    await fake.close()


@pytest.fixture
def discord_gateway(discord_api: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> FakeDiscord:
    """`discord_api` with discord.py's gateway pointed at it too, for a real platform to connect.
    The client is ready as soon as every server READY named has come in (`ready_once_all_in`),
    not 2 s after the last one as against Discord."""
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(discord_api.gateway_url)
    )
    ready_once_all_in(monkeypatch)
    return discord_api


@pytest.fixture
async def discord_client(discord_api: FakeDiscord) -> AsyncIterator[discord.Client]:
    """A discord.py client logged in (REST only, no gateway) against `discord_api`."""
    client = discord.Client(intents=discord.Intents.none())
    await client.login("fake-token")
    yield client
    await client.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """The HTTP session a channel's webhook posts go through (`webhook_session`), closed after."""
    async with webhook_session() as session:
        yield session


@pytest.fixture
async def h(slack_api: FakeSlackAPI, core: NewsDigest) -> AsyncIterator[Harness]:
    """Slack's app over `core`, driven by signed requests against `slack_api`."""
    from test_slack_app import make_harness  # a test module: only for the tests that use it

    async for harness in make_harness(slack_api, core):
        yield harness


@pytest.fixture
async def bot(discord_api: FakeDiscord, core: NewsDigest) -> AsyncIterator[DiscordBot]:
    """The Discord bot over `core`, against `discord_api`."""
    from test_discord_commands import make_bot  # a test module: only for the tests that use it

    client = await make_bot(core)
    yield client
    await client.close()
