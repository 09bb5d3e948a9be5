"""A seeded crash-restart soak of the real bot: `python -m bot run` (the `newsdigest` CLI) on a real
SQLite file, polling a loopback feed server whose feeds grow between rounds, posting to the fake
Slack Web API (`fakes.slack_api`) and the fake Discord REST API and gateway (`fakes.discord_api`),
an instant and a digest channel on each, and SIGKILLed at random moments, many times over.

Each round publishes more (new stories, and new outlets on stories already out, which makes card
edits and thread replies), makes the feeds due and the digest channels' minute slot missed (what
a longer downtime would do; the bot's code is not touched), starts the process and kills it at
one of three kinds of moment, drawn from the seed (or given by a test, `Kill`):

- `time`: a delay after the start (start-up, catch-up, polls, clustering, cards, sends);
- `feed`: a short delay after the n-th feed request (a poll, and the clustering after it);
- `call`: at the n-th call of one kind to Slack or Discord (`KILL_CALLS`: posts, edits, threads
  started, history reads), either before the platform takes it (nothing landed) or after it took
  effect but before the answer leaves (landed, the answer lost: the "maybe sent" the bot must
  look up after a restart).
A kill whose moment never comes is made once the process is at rest.

After the last round the bot is left to finish (`Soak.finish`): a run, or two, each until it is
at rest (`Soak.at_rest`: every article published stored and clustered, no delivery pending, no
feed due, every story's card in each channel and Slack's cards' counts up to date, as the
database and the fakes tell), then stopped with SIGTERM. `check` reads
what the fakes recorded and the database: every story two outlets or more published has its card
exactly once in each channel, no thread reply shows twice, no delivery is left pending, sending
or failed (`Figures`). Allowed: a digest heading posted again after a kill between its post and
its record (README "Digests", `bot.delivery.digest_heading`): a heading with no card under it,
the last post of a killed run in its channel.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web
from loopback_site.child_shortcuts import DISCORD_READY_AT_ONCE

from bot.adapters.discord.messages import discord_nonce
from bot.feedserver import FeedServer, RecordedRequest, Reply
from fakes.discord_api import FakeDiscord
from fakes.slack_api import APP_TOKEN, BOT_TOKEN, FakeSlackAPI

ROOT = Path(__file__).resolve().parent.parent.parent
INSTANT = "C1INSTANT"
DIGEST = "C2DIGEST"
DISCORD = 222222222222222222  # a Discord digest channel of the bot's
DISCORD_INSTANT = 333333333333333333
CHANNELS = (INSTANT, DIGEST, str(DISCORD), str(DISCORD_INSTANT))
OUTLETS = ("alpha", "bravo", "carmine", "delta", "ember")
# Chat API calls a `call` kill may pick, and how often: posts most (cards, headings, replies).
KILL_CALLS = (
    ("chat.postMessage",) * 4
    + ("chat.update", "conversations.history")
    + ("discord:post",) * 3
    + ("discord:edit", "discord:thread", "discord:history")
)
# What ends a wait is an event (the bot at rest: `Soak.at_rest`); these only cap it, generously,
# so that a loaded machine makes a soak slower, never a failure. A quiet spell was the rule
# before: 1.5 s with no chat call on a machine busy enough passed for done mid-clustering.
ROUND_LIMIT = 180.0  # seconds a kill round waits for its kill or rest before killing it anyway
HOLD_WAIT = 30.0  # seconds a kill after a call waits for the call it holds (`Kill.hold`)
FINISH_LIMIT = 600.0  # seconds a finishing run may take to come to rest before it is a failure
LOOK_EVERY = 0.2  # seconds between two looks at the database and the fakes


# --- the news: invented places, people and events, written for this harness ------------------

_SYLLABLES = ("ka", "lor", "vin", "dre", "mos", "tal", "quen", "bri", "zu", "fen", "ost", "mar")
_EVENTS = (
    ("bridge", "{place} opens the {name} bridge after {n} years of work"),
    ("flood", "Floods close roads around {place} as the {name} river rises"),
    ("strike", "{name} dock workers in {place} begin a {n} day strike"),
    ("festival", "{place} hosts the {name} lantern festival for {n} thousand visitors"),
    ("mine", "{name} mine near {place} reopens with {n} hundred jobs"),
    ("vote", "{place} council votes on the {name} tram line costing {n} million"),
    ("fire", "Firefighters contain the {name} forest fire north of {place}"),
    ("ferry", "A new {name} ferry links {place} to the islands in {n} minutes"),
)
_ANGLES = (
    "{title}",
    "Officials in {place} confirm: {title}",
    "{place} reacts: {title}",
    "What we know so far. {title}",
    "{name} latest: {title}",
)
# Each outlet writes its own lead (one text shared by two outlets would be wire copy, one source).
_LEADS = (
    "Reporters in {place} said on Monday that the {name} {kind} had drawn crowds, with {n}"
    " named as the figure that mattered most to local families.",
    "The {name} {kind} dominated talk across {place} this week. Council staff gave the number"
    " {n} when asked, and promised a fuller statement before the weekend.",
    "Residents of {place} woke to news of the {name} {kind}; shopkeepers we met said {n} was"
    " lower than they had feared, though many still expect delays.",
    "Our correspondent in {place} describes the {name} {kind} as the biggest local event in years,"
    " and regional officials put the figure at {n} in a short briefing.",
    "In {place}, the {name} {kind} has left schools and buses running late; a spokesperson cited"
    " {n} and asked people to check the council website for updates.",
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()


@dataclass(slots=True)
class Story:
    key: str
    place: str
    name: str
    event: int
    n: int
    outlets: list[str] = field(default_factory=list)  # in the order they publish

    def title(self, outlet: str) -> str:
        base = _EVENTS[self.event][1].format(place=self.place, name=self.name, n=self.n)
        angle = _ANGLES[OUTLETS.index(outlet) % len(_ANGLES)]
        return angle.format(title=base, place=self.place, name=self.name)

    def text(self, outlet: str) -> str:
        lead = _LEADS[OUTLETS.index(outlet) % len(_LEADS)]
        return lead.format(place=self.place, name=self.name, kind=_EVENTS[self.event][0], n=self.n)


@dataclass(slots=True)
class Newsroom:
    """What every outlet has published so far, growing round by round."""

    rng: random.Random
    stories: list[Story] = field(default_factory=list)
    published: dict[str, list[tuple[Story, datetime]]] = field(
        default_factory=lambda: {o: [] for o in OUTLETS}
    )

    def new_story(self) -> Story:
        used = {s.name for s in self.stories} | {s.place for s in self.stories}
        while True:
            place, name = _word(self.rng), _word(self.rng)
            if place != name and not {place, name} & used:
                break
        story = Story(
            f"k{len(self.stories)}",
            place,
            name,
            len(self.stories) % len(_EVENTS),
            self.rng.randint(2, 90),
        )
        self.stories.append(story)
        return story

    def publish(self, story: Story, outlet: str, now: datetime) -> None:
        story.outlets.append(outlet)
        self.published[outlet].append((story, now))

    def advance(self, now: datetime, new: int) -> None:
        """One round's news: `new` stories from one or two outlets, and a new outlet on some
        stories already out (a story that grows)."""
        for story in self.stories:
            left = [o for o in OUTLETS if o not in story.outlets]
            if left and self.rng.random() < 0.3:
                self.publish(story, self.rng.choice(left), now)
        for _ in range(new):
            story = self.new_story()
            for outlet in self.rng.sample(OUTLETS, self.rng.choice((1, 2, 2, 3))):
                self.publish(story, outlet, now)

    def feed(self, outlet: str) -> bytes:
        items = "".join(
            f"<item><title>{escape(s.title(outlet))}</title>"
            f"<link>https://{outlet}.example/n/{s.key}</link>"
            f"<guid isPermaLink='false'>{outlet}-{s.key}</guid>"
            f"<pubDate>{format_datetime(at)}</pubDate>"
            f"<description>{escape(s.text(outlet))}</description></item>"
            for s, at in reversed(self.published[outlet])
        )
        return (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{outlet.capitalize()}"
            f" News</title><link>https://{outlet}.example/</link>{items}</channel></rss>"
        ).encode()


# --- fakes that can pull the trigger ---------------------------------------------------------


class Trigger:
    """The round's kill: which event fires it, and the process it kills."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.kind = ""
        self.method = ""
        self.count = 0
        self.after = False  # slack: kill after the call took effect (its answer lost)
        self.delay = 0.0
        self.hold_method, self.hold_count, self.hold_seen = "", 0, 0
        self.seen = 0
        self.fired = ""  # what fired it, for the report
        self.timers: list[threading.Timer] = []
        self.round = 0  # the run under way (`Soak.start`), whose posts the fakes tag with it

    def arm(self, proc: subprocess.Popen[bytes], kind: str, **how: Any) -> None:
        with self.lock:
            self.proc, self.kind, self.seen, self.fired = proc, kind, 0, ""
            self.method = how.get("method", "")
            self.count = how.get("count", 0)
            self.after = how.get("after", False)
            self.delay = how.get("delay", 0.0)
            self.hold_method, self.hold_count = how.get("hold") or ("", 0)
            self.hold_seen = 0

    def holds(self, method: str) -> bool:
        """Whether this call is the one to hold: taken, and its answer kept back until the
        kill, so that the kill finds it "maybe sent" too."""
        with self.lock:
            if not self.kind or method != self.hold_method:
                return False
            self.hold_seen += 1
            return self.hold_seen == self.hold_count

    async def until_killed(self) -> None:
        while self.proc is not None:
            await asyncio.sleep(0.05)

    async def kill_after(self, why: str) -> None:
        """The kill after a call landed; with a call to hold, once that one is held too (or has
        not come within a few seconds: then the kill finds one call "maybe sent", not two)."""
        deadline = time.monotonic() + HOLD_WAIT
        while self.hold_method and self.hold_seen < self.hold_count:
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.02)
        self.kill(why)

    def disarm(self) -> None:
        with self.lock:
            self.proc, self.kind = None, ""
            timers, self.timers = self.timers, []
        for timer in timers:
            timer.cancel()

    def later(self, delay: float, why: str) -> None:
        """Kills the process `delay` seconds from now, unless the round is over by then."""
        timer = threading.Timer(delay, self.kill, [why])
        with self.lock:
            self.timers.append(timer)
        timer.start()

    def kill(self, why: str) -> None:
        with self.lock:
            proc, self.proc, self.kind = self.proc, None, ""
            if proc is not None and proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                self.fired = why

    def call(self, method: str) -> str | None:
        """Counts a chat API call (`KILL_CALLS`' names): "before" or "after" when this one is
        the round's kill."""
        with self.lock:
            if self.kind != "call" or method != self.method:
                return None
            self.seen += 1
            if self.seen != self.count:
                return None
            return "after" if self.after else "before"

    def feed_request(self) -> None:
        with self.lock:
            if self.kind != "feed":
                return
            self.seen += 1
            if self.seen != self.count:
                return
            why = f"feed request {self.count} + {self.delay:.2f}s"
        self.later(self.delay, why)


class KillingSlack(FakeSlackAPI):
    """The fake Slack Web API, which kills the bot at the trigger's call: before the call takes
    effect, or after, so the answer never reaches the bot."""

    def __init__(self, trigger: Trigger) -> None:
        super().__init__()
        self.trigger = trigger
        self.posted_in: dict[str, int] = {}  # message ts -> the run that posted it

    def _chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        result = super()._chat_postMessage(body)
        if result.get("ok"):
            self.posted_in[result["ts"]] = self.trigger.round
        return result

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        when = self.trigger.call(method)
        if when == "before":
            self.trigger.kill(f"{method} #{self.trigger.count}, before it landed")
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        response = await super()._api(request)
        if when == "after":
            await self.trigger.kill_after(f"{method} #{self.trigger.count}, landed, answer lost")
        elif self.trigger.holds(method):
            await self.trigger.until_killed()
        return response


class KillingDiscord(FakeDiscord):
    """The fake Discord REST API, killing the bot at the trigger's call as `KillingSlack` does."""

    def __init__(self, trigger: Trigger) -> None:
        super().__init__()
        self.trigger = trigger
        self.posted_in: dict[str, int] = {}  # message id -> the run that posted it

    def _create_message(self, body: Any, query: Any, channel: str) -> tuple[int, Any, dict]:
        status, answer, headers = super()._create_message(body, query, channel)
        if status == 200:
            self.posted_in.setdefault(str(answer["id"]), self.trigger.round)
        return status, answer, headers

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        name = discord_call(request.method, "/" + request.match_info["tail"])
        when = self.trigger.call(name) if name else None
        if when == "before":
            self.trigger.kill(f"{name} #{self.trigger.count}, before it landed")
            return web.json_response({"message": "kill", "code": 0}, status=500)
        response = await super()._handle(request)
        if when == "after":
            await self.trigger.kill_after(f"{name} #{self.trigger.count}, landed, answer lost")
        elif name and self.trigger.holds(name):
            await self.trigger.until_killed()
        return response


def discord_call(method: str, path: str) -> str | None:
    """The name `KILL_CALLS` gives a Discord request: a post (card, heading, thread reply), an
    edit, a thread started, a history read."""
    if method == "POST" and re.fullmatch(r"/channels/\d+/messages", path):
        return "discord:post"
    if method == "PATCH" and re.fullmatch(r"/channels/\d+/messages/\d+", path):
        return "discord:edit"
    if method == "POST" and re.fullmatch(r"/channels/\d+/messages/\d+/threads", path):
        return "discord:thread"
    if method == "GET" and re.fullmatch(r"/channels/\d+/messages", path):
        return "discord:history"
    return None


class KillingFeeds(FeedServer):
    def __init__(self, trigger: Trigger) -> None:
        super().__init__()
        self.trigger = trigger

    def _record(self, request: RecordedRequest) -> None:
        super()._record(request)
        self.trigger.feed_request()


class ChatThread:
    """The fake Slack and Discord on an event loop of their own thread: they outlive every bot
    process."""

    def __init__(self, slack: FakeSlackAPI, discord: FakeDiscord) -> None:
        self.slack = slack
        self.discord = discord
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> ChatThread:
        self.thread.start()
        self.call(self.slack.start())
        self.call(self.discord.start())
        return self

    def __exit__(self, *exc: object) -> None:
        self.call(self.slack.stop())
        self.call(self.discord.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def snapshot(self) -> Recorded:
        """What the fakes hold, copied on their own loop."""

        async def copy() -> Recorded:
            return Recorded(
                slack=json.loads(json.dumps(self.slack.messages)),
                discord={
                    cid: [json.loads(json.dumps(self.discord.messages[m])) for m in ids]
                    for cid, ids in self.discord.channels.items()
                },
                posted_in={**self.slack.posted_in, **self.discord.posted_in},
                slack_posts=json.loads(json.dumps(self.slack.calls_to("chat.postMessage"))),
            )

        result: Recorded = self.call(copy())
        return result


@dataclass(slots=True)
class Recorded:
    slack: dict[str, list[dict[str, Any]]]  # channel id -> messages, oldest first
    discord: dict[int, list[dict[str, Any]]]  # channel (or thread) id -> messages, oldest first
    posted_in: dict[str, int]  # a message's Slack ts or Discord id -> the run that posted it
    slack_posts: list[dict[str, Any]]  # every chat.postMessage body, in order


# --- the soak --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kill:
    """A round's kill chosen by a test: at the `count`-th call `method` (`KILL_CALLS`), before
    it lands or `after` it did; `hold` (a method and a count): that call is taken, and its
    answer held back until the kill, a second call left "maybe sent"; `news`: the stories the
    round publishes."""

    method: str
    count: int
    after: bool
    hold: tuple[str, int] | None = None
    news: int = 2
    kind: str = "call"


@dataclass(slots=True)
class Figures:
    seed: int
    rounds: int = 0
    kills: int = 0
    kill_points: list[str] = field(default_factory=list)
    cards: int = 0
    expected_cards: int = 0
    duplicate_cards: list[str] = field(default_factory=list)
    dropped_cards: list[str] = field(default_factory=list)
    headings: int = 0
    # Headings with no card under them. Allowed: a kill between a heading's post and its
    # record shows it twice (`bot.delivery.digest_heading`): the last post of a killed run.
    extra_headings: int = 0
    duplicate_headings: list[str] = field(default_factory=list)  # bare, and no kill explains it
    stale_cards: list[str] = field(default_factory=list)  # Slack: a card's count never edited
    missing_updates: list[str] = field(default_factory=list)  # Slack: growth with no reply
    replies: int = 0
    duplicate_replies: list[str] = field(default_factory=list)
    unsettled: dict[str, int] = field(default_factory=dict)  # deliveries left, by state
    split_stories: list[str] = field(default_factory=list)  # the clusterer's doing, not delivery
    lost_articles: list[str] = field(default_factory=list)  # published, never stored or clustered
    finished: bool = True
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            self.finished
            and not self.duplicate_cards
            and not self.dropped_cards
            and not self.duplicate_replies
            and not self.unsettled
            and not self.duplicate_headings
            and not self.stale_cards
            and not self.missing_updates
            and not self.lost_articles
        )

    def summary(self) -> str:
        lines = [
            f"seed {self.seed}: {self.rounds} rounds, {self.kills} kills, {self.seconds:.0f} s",
            f"cards {self.cards} of {self.expected_cards} expected,"
            f" duplicates {len(self.duplicate_cards)}, drops {len(self.dropped_cards)}",
            f"headings {self.headings} (with no card under them: {self.extra_headings} after a"
            f" kill lost its record, allowed; {len(self.duplicate_headings)} otherwise),"
            f" thread replies {self.replies}, duplicate replies {len(self.duplicate_replies)}",
            f"Slack cards whose count was not brought up to date {len(self.stale_cards)},"
            f" stories grown with no reply saying so {len(self.missing_updates)}",
        ]
        if self.unsettled:
            lines.append(f"deliveries not settled: {self.unsettled}")
        if not self.finished:
            lines.append("the last run did not finish")
        if self.split_stories:
            lines.append(
                f"stories the clusterer split or joined (checked as the database has them): {self.split_stories}"
            )
        for name in (
            "duplicate_cards",
            "dropped_cards",
            "duplicate_replies",
            "duplicate_headings",
            "stale_cards",
            "missing_updates",
            "lost_articles",
        ):
            for item in getattr(self, name):
                lines.append(f"  {name}: {item}")
        return "\n".join(lines)


class Soak:
    def __init__(self, workdir: Path, seed: int) -> None:
        self.dir = workdir
        self.seed = seed
        self.rng = random.Random(seed)
        self.newsroom = Newsroom(random.Random(seed * 7919 + 1))
        self.trigger = Trigger()
        self.slack = KillingSlack(self.trigger)
        self.discord = KillingDiscord(self.trigger)
        self.feeds = KillingFeeds(self.trigger)
        self.db_path = workdir / "nd.db"
        self.config = workdir / "newsdigest.toml"
        self.figures = Figures(seed)
        self.round_started = 0.0
        self.killed: set[int] = set()  # the runs that ended in a SIGKILL
        self.proc: subprocess.Popen[bytes] | None = None  # the latest run
        self.chat: ChatThread | None = None  # the fakes' thread, while the soak runs

    # --- set-up ----------------------------------------------------------------------------

    def write_config(self) -> None:
        feeds = "".join(
            f'[[feeds]]\nurl = "{self.feeds.url("/" + o)}"\nname = "{o.capitalize()} News"\n'
            'interval = "60s"\n\n'
            for o in OUTLETS
        )
        self.config.write_text(
            f'database = "{self.db_path}"\n\n[polling]\nallow_private_networks = true\n'
            "timeout = 5\n\n[digests]\nsize = 50\n\n"
            + feeds
            + f'[[channels]]\nplatform = "slack"\nid = "{INSTANT}"\nmode = "instant"\n'
            "min_sources = 2\n\n"
            f'[[channels]]\nplatform = "slack"\nid = "{DIGEST}"\nmode = "digest"\n'
            'schedule = "* * * * *"\ntimezone = "UTC"\nmin_sources = 2\n\n'
            f'[[channels]]\nplatform = "discord"\nid = "{DISCORD}"\nmode = "digest"\n'
            'schedule = "* * * * *"\ntimezone = "UTC"\nmin_sources = 2\n\n'
            f'[[channels]]\nplatform = "discord"\nid = "{DISCORD_INSTANT}"\nmode = "instant"\n'
            "min_sources = 2\n"
        )

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("NEWSDIGEST_", "SLACK_", "DISCORD_"))
        }
        env.update(
            PYTHONPATH=str(ROOT),
            NEWSDIGEST_CONFIG=str(self.config),
            NEWSDIGEST_HEALTH_PORT="off",
            NEWSDIGEST_LOG_FORMAT="text",
            NEWSDIGEST_POLL_TICK="1",
            NEWSDIGEST_START_SPREAD="0",
            NEWSDIGEST_POST_PACE="0.05",
            NEWSDIGEST_UPDATE_INTERVAL="1",
            NEWSDIGEST_SHUTDOWN_GRACE="5",
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_API_URL=self.slack.api_url,
            SLACK_MODE="socket",
            DISCORD_TOKEN="fake-token",
            DISCORD_API_URL=self.discord.base,
            DISCORD_GATEWAY_URL=self.discord.gateway_url,
            # Ready once the fake's servers are in, not 2 s later, at each start.
            **{DISCORD_READY_AT_ONCE: "1"},
        )
        return env

    def publish(self, new: int) -> None:
        self.newsroom.advance(datetime.now(UTC), new)
        for outlet in OUTLETS:
            self.feeds.route("/" + outlet, Reply(body=self.newsroom.feed(outlet)))

    def time_passes(self) -> None:
        """What a downtime of a few minutes leaves: every feed due, the digest's slot missed.
        Only done while no process runs."""
        if not self.db_path.exists():
            return
        past = (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
        with sqlite3.connect(self.db_path) as db:
            db.execute("UPDATE feeds SET next_poll_at = ?", [past])
            db.execute("UPDATE digest_runs SET scheduled_for = ?", [past])

    def start(self) -> subprocess.Popen[bytes]:
        self.figures.rounds += 1
        self.trigger.round = self.figures.rounds
        log = open(self.dir / f"run{self.figures.rounds:03d}.log", "wb")  # noqa: SIM115
        self.round_started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=self.env(),
            cwd=self.dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        log.close()  # the child has its own copy
        return self.proc

    # --- rounds ----------------------------------------------------------------------------

    def kill_round(self, plan: Kill | None = None) -> None:
        """One round: news published, time passed, the bot started and killed, at the `plan`'s
        moment or at one drawn from the seed."""
        self.publish(plan.news if plan else self.rng.randint(1, 4))
        self.time_passes()
        proc = self.start()
        kind = (
            plan.kind if plan else self.rng.choice(("time", "time", "feed", "call", "call", "call"))
        )
        if plan is not None:
            how = {"method": plan.method, "count": plan.count, "after": plan.after}
            self.trigger.arm(proc, plan.kind, hold=plan.hold, **how)
        elif kind == "call":
            method = self.rng.choice(KILL_CALLS)
            count = self.rng.randint(1, 4 if method.endswith(("postMessage", "post")) else 2)
            self.trigger.arm(
                proc, "call", method=method, count=count, after=self.rng.random() < 0.6
            )
        elif kind == "feed":
            self.trigger.arm(
                proc,
                "feed",
                count=self.rng.randint(1, len(OUTLETS)),
                delay=self.rng.uniform(0.0, 1.0),
            )
        else:
            self.trigger.arm(proc, "time")
            delay = self.rng.uniform(0.5, 9.0)
            self.trigger.later(delay, f"{delay:.2f}s after start")
        # A kill whose event never comes (no such call this round) would leave the process
        # idle: it is then killed once it has nothing left to do, a kill at rest. The digest
        # channels are not waited for: news read after the start's catch-up digest waits for
        # the next one.
        outcome = self._wait(proc, ROUND_LIMIT, digests=False)
        if outcome != "exited":
            at = "at rest" if outcome == "rest" else "never at rest"
            self.trigger.kill(f"{at}, {time.monotonic() - self.round_started:.1f}s")
        proc.wait(10)
        self.trigger.disarm()
        if proc.returncode == -signal.SIGKILL:
            self.figures.kills += 1
            self.killed.add(self.figures.rounds)
            self.figures.kill_points.append(
                f"round {self.figures.rounds}: {kind}: {self.trigger.fired}"
            )
        else:
            self.figures.kill_points.append(
                f"round {self.figures.rounds}: exited {proc.returncode} before its kill"
            )

    def _running(self) -> bool:
        """Whether the round's process has started (caught up and logged that it is running)."""
        log = self.dir / f"run{self.figures.rounds:03d}.log"
        return b"newsdigest running" in log.read_bytes()

    def _wait(self, proc: subprocess.Popen[bytes], limit: float, digests: bool) -> str:
        """Waits until the process ends ("exited"), is at rest (`at_rest`: "rest"), or `limit`
        seconds have passed ("limit")."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return "exited"
            if self.at_rest(digests):
                return "rest"
            time.sleep(LOOK_EVERY)  # a look at the database and the fakes, again
        return "limit"

    def at_rest(self, digests: bool = True) -> bool:
        """Whether the running bot has done all it has to, as the database and the fakes tell:
        started, every article published stored and clustered, no delivery pending or sending,
        no feed due, every story of two outlets or more with its card in each instant channel
        (and each digest channel too, with `digests`), every Slack card's count up to date and a
        story grown after its card told in its thread. What is left would be a bug, which the
        check reports; waiting does not end it (the cap does)."""
        if self.chat is None or not self._running() or self._pending():
            return False
        progress = Figures(self.seed)
        try:
            self.verify(self.chat.snapshot(), progress)
        except sqlite3.Error:
            return False  # the bot holds the database a moment
        channels = CHANNELS if digests else (INSTANT, str(DISCORD_INSTANT))
        return not (
            progress.lost_articles
            or progress.stale_cards
            or progress.missing_updates
            or any(drop.split()[0] in channels for drop in progress.dropped_cards)
        )

    def finish(self) -> None:
        """The last runs, each left alone until it is at rest, then stopped as an operator
        would. One, or two when the first read news the kills had left unread: its start's
        catch-up digest had gone before, so those stories wait for the digest channels' next
        digest, which a second run's catch-up sends."""
        for run in range(2):
            articles = self._articles()
            self.time_passes()
            proc = self.start()
            outcome = self._wait(proc, FINISH_LIMIT, digests=False)
            if outcome == "rest" and (run == 1 or self._articles() == articles):
                outcome = self._wait(proc, FINISH_LIMIT, digests=True)
            if outcome != "rest":
                self.figures.finished = False  # it exited by itself, or never came to rest
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                    self.figures.finished = False
            if self._articles() == articles:
                return

    def _articles(self) -> int:
        with sqlite3.connect(self.db_path) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def _pending(self) -> bool:
        """Whether the bot has anything left to do: deliveries not settled, or feeds due."""
        try:
            with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=1) as db:
                now = datetime.now(UTC).isoformat()
                left = db.execute(
                    "SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending')"
                ).fetchone()[0]
                due = db.execute(
                    "SELECT count(*) FROM feeds WHERE next_poll_at IS NULL OR next_poll_at <= ?",
                    [now],
                ).fetchone()[0]
        except sqlite3.Error:
            return True
        return bool(left or due)

    def run(self, rounds: int, plan: list[Kill] | None = None) -> Figures:
        """`rounds` kill rounds drawn from the seed (or the kills `plan` lists), then the bot
        left to finish (`finish`), and the invariants checked."""
        started = time.monotonic()
        with self.feeds, ChatThread(self.slack, self.discord) as chat:
            self.chat = chat
            self.write_config()  # the feed server's port is known now
            try:
                for kill in plan or [None] * rounds:
                    self.kill_round(kill)
                self.publish(0)
                self.finish()
            finally:
                # However the soak ends (a failed wait, Ctrl-C), no bot outlives it.
                if self.proc is not None and self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
            recorded = chat.snapshot()
            self.chat = None
        # What the fakes held, for a look after a failure (bench/crash_soak.py --keep).
        (self.dir / "recorded.json").write_text(json.dumps(dataclasses.asdict(recorded)))
        self.verify(recorded, self.figures)
        self.figures.seconds = time.monotonic() - started
        return self.figures

    # --- the invariants --------------------------------------------------------------------

    def verify(self, recorded: Recorded, f: Figures) -> None:
        """What the fakes recorded and the database hold, checked into `f`: at the end, and
        while the bot runs, for whether it is at rest."""
        db = sqlite3.connect(self.db_path, timeout=5)
        try:
            story_of = dict(db.execute("SELECT guid, story_id FROM articles").fetchall())
            by_guid = dict(db.execute("SELECT guid, source FROM articles").fetchall())
            states = Counter(
                s for (s,) in db.execute("SELECT state FROM deliveries WHERE kind != 'refresh'")
            )
            nonces = {
                discord_nonce(nonce): (kind, story)
                for nonce, kind, story in db.execute("SELECT nonce, kind, story_id FROM deliveries")
            }
        finally:
            db.close()
        f.unsettled = {s: n for s, n in states.items() if s in ("pending", "sending", "failed")}
        # Every article published was stored and clustered: a kill mid-poll loses none.
        for story in self.newsroom.stories:
            for outlet in story.outlets:
                if story_of.get(f"{outlet}-{story.key}") is None:
                    f.lost_articles.append(f"{outlet}-{story.key}")
            ids = {story_of.get(f"{o}-{story.key}") for o in story.outlets}
            if len(ids) != 1:
                f.split_stories.append(f"{story.key} -> {sorted(map(str, ids))}")
        # The clusterer may join two of the newsroom's stories, or split one: what a channel
        # should get is the database's stories, each with the outlets its articles came from.
        outlets = {
            story: len({source for guid, source in by_guid.items() if story_of[guid] == story})
            for story in set(story_of.values())
            if story is not None
        }
        expected = {story for story, n in outlets.items() if n >= 2}
        for channel in CHANNELS:
            if channel.isdigit():
                shown = discord_channel(recorded.discord, int(channel), nonces, recorded.posted_in)
            else:
                shown = slack_channel(recorded.slack.get(channel, []), recorded.posted_in)
                self.check_sources(f, channel, shown, recorded.slack_posts, outlets)
            self.check_channel(f, channel, shown, expected)

    def check_sources(
        self,
        f: Figures,
        channel: str,
        shown: Shown,
        posts: list[dict[str, Any]],
        outlets: dict[str, int],
    ) -> None:
        """Slack: each card's count of sources, edited, is the story's in the end; a story that
        grew after its card has a thread reply, the last of them with that count."""
        first: dict[str, str] = {}
        for body in posts:
            meta = body.get("metadata") or {}
            if body.get("channel") == channel and meta.get("event_type") == "newsdigest_story":
                first.setdefault(meta["event_payload"]["story_id"], body.get("text", ""))
        for story, (ts, text) in shown.card_messages.items():
            if story not in outlets:
                continue
            now = outlets[story]
            if sources(text) != now:
                f.stale_cards.append(f"{channel} {story}: {text!r}, {now} sources")
            replies = shown.replies.get(ts, [])
            if sources(first.get(story, "")) < now and (not replies or sources(replies[-1]) != now):
                f.missing_updates.append(
                    f"{channel} {story}: posted {first.get(story)!r}, replies {replies}, {now}"
                )

    def check_channel(self, f: Figures, channel: str, shown: Shown, expected: set[str]) -> None:
        cards = Counter(shown.cards)
        f.cards += len(shown.cards)
        f.expected_cards += len(expected)
        for story_id, n in cards.items():
            if n > 1:
                f.duplicate_cards.append(f"{channel} {story_id} x{n}")
        for story_id in sorted(expected - set(cards)):
            f.dropped_cards.append(f"{channel} {story_id}")
        f.headings += len(shown.headings)
        explained, unexplained = shown.bare_headings(self.killed)
        f.extra_headings += explained
        f.duplicate_headings += [f"{channel} {h}" for h in unexplained]
        for root, texts in shown.replies.items():
            f.replies += len(texts)
            for text, n in Counter(texts).items():
                if n > 1:
                    f.duplicate_replies.append(f"{channel} thread {root}: {text[:80]!r} x{n}")


@dataclass(slots=True)
class Shown:
    """A channel as its members see it: its top-level messages in order (cards by their story,
    other messages, digest headings, by their text, each with the run that posted it), and each
    card's thread (its root -> the text of each reply)."""

    top: list[tuple[str, str, int]] = field(default_factory=list)  # ("card" | "heading", _, run)
    replies: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Slack: a card's story -> its message (ts, text as edited last).
    card_messages: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def cards(self) -> list[str]:
        return [what for kind, what, _ in self.top if kind == "card"]

    @property
    def headings(self) -> list[str]:
        return [what for kind, what, _ in self.top if kind == "heading"]

    def bare_headings(self, killed: set[int]) -> tuple[int, list[str]]:
        """Headings with no card under them (the next top-level message is another heading, or
        there is none): how many a kill explains, and the others. A kill explains one that was
        the last message its run posted in the channel, the run killed: its post landed and the
        kill lost its record, so the next run posted the digest's heading again."""
        explained, unexplained = 0, []
        for i, (kind, text, run) in enumerate(self.top):
            if kind != "heading" or (i + 1 < len(self.top) and self.top[i + 1][0] == "card"):
                continue
            last_of_run = all(later[2] != run for later in self.top[i + 1 :])
            if run in killed and last_of_run:
                explained += 1
            else:
                unexplained.append(f"{text[:60]!r} posted by run {run}")
        return explained, unexplained


def sources(text: str) -> int:
    """The count a Slack card or update gives, "... (3 sources)"; 0 when it gives none."""
    found = re.search(r"\((\d+) sources?\)", text)
    return int(found.group(1)) if found else 0


def slack_channel(messages: list[dict[str, Any]], posted_in: dict[str, int]) -> Shown:
    """Cards carry the story in their metadata; replies are in threads."""
    shown = Shown()
    for m in messages:
        meta = m.get("metadata", {})
        run = posted_in.get(m["ts"], 0)
        if "thread_ts" in m:
            shown.replies[m["thread_ts"]].append(m.get("text", ""))
        elif meta.get("event_type") == "newsdigest_story":
            shown.top.append(("card", meta["event_payload"]["story_id"], run))
            shown.card_messages[meta["event_payload"]["story_id"]] = (m["ts"], m.get("text", ""))
        else:
            shown.top.append(("heading", m.get("text", ""), run))
    return shown


def discord_channel(
    channels: dict[int, list[dict[str, Any]]],
    channel: int,
    nonces: dict[str, tuple[str, str]],
    posted_in: dict[str, int],
) -> Shown:
    """A card is known by its nonce (the outbox row's, as Discord took it); its thread is the
    channel of the card's message id."""
    shown = Shown()
    for m in channels.get(channel, []):
        kind, story = nonces.get(str(m.get("nonce")), ("", ""))
        run = posted_in.get(str(m["id"]), 0)
        if kind == "story":
            shown.top.append(("card", story, run))
        else:
            shown.top.append(("heading", str(m.get("content")), run))
        for reply in channels.get(int(m["id"]), []):
            what = reply.get("content") or json.dumps(reply.get("embeds"), sort_keys=True)
            shown.replies[m["id"]].append(str(what))
    return shown
