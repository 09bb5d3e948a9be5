"""Usage in the platform's own syntax: Discord's slash commands take named options (`/follow
topic:ai query:...`) and /watchlist only as subcommands (`/watchlist show`), so Slack's forms,
which Discord refuses, must not be what a Discord user is taught. Real dispatch, real SQLite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.core import USAGE
from bot.commands.schedule import SCHEDULE_USAGE

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
DISCORD = CommandContext(platform="discord", channel_id="333", user_id="444", channel_name="news")

SLACK_FOLLOW = (
    "/follow <topic> [query]: follow a topic in this channel; with a query, create the topic "
    'first. Example: /follow chips "chip export" OR semiconductor. A new topic\'s query of '
    "plain words needs `query:` before it: /follow ml query: machine learning. Admins change an "
    "existing topic's query, for every channel that follows it, only with `query:`: "
    "/follow chips query: chip OR semiconductor"
)
DISCORD_FOLLOW = (
    "/follow topic:<topic> [query:<query>]: follow a topic in this channel; with a query, create "
    "the topic first, or (admins only) change an existing topic's query for every channel that "
    'follows it. Example: /follow topic:chips query:"chip export" OR semiconductor'
)
SLACK_WATCHLIST = (
    "/watchlist: this channel's topics and settings. Change them with: /watchlist schedule "
    "weekdays 09:00 Europe/Berlin | /watchlist timezone Europe/Berlin | "
    "/watchlist mode digest|instant | /watchlist min-sources N | /watchlist digest-size N | "
    "/watchlist quiet 22:00-07:00 | /watchlist quiet off | /watchlist mute <story> | "
    "/watchlist unmute <story> | /watchlist pause | /watchlist resume"
)
DISCORD_WATCHLIST = (
    "/watchlist show: this channel's topics and settings. Change them with: /watchlist schedule "
    "when:weekdays 09:00 Europe/Berlin | /watchlist timezone zone:Europe/Berlin | "
    "/watchlist mode mode:digest|instant | /watchlist "
    "min-sources count:N | /watchlist digest-size cards:N | /watchlist quiet hours:22:00-07:00 | /watchlist quiet hours:off | "
    "/watchlist mute story:<story> | /watchlist unmute story:<story> | /watchlist pause | "
    "/watchlist resume"
)
# Written out, not imported: the test must also fail (not just not import) on code without it.
DISCORD_SCHEDULE_USAGE = (
    "/watchlist schedule when:[DAYS] HH:MM [TIME_ZONE], where DAYS is daily (the default), "
    "weekdays, weekends or a list like mon,wed,fri; or when:<5 cron fields> [TIME_ZONE]. "
    "Example: /watchlist schedule when:weekdays 09:00 Europe/Berlin"
)
SLACK_STORY = (
    "/story <slug | prefix | search words | article link>: a story's full breakdown. "
    'To search for the word help itself: /story "help"'
)
DISCORD_STORY = (
    "/story query:<slug | prefix | search words | article link>: a story's full breakdown. "
    'To search for the word help itself: /story query:"help"'
)


@pytest.mark.parametrize(
    ("ctx", "follow", "watchlist", "story"),
    [
        (SLACK, SLACK_FOLLOW, SLACK_WATCHLIST, SLACK_STORY),
        (DISCORD, DISCORD_FOLLOW, DISCORD_WATCHLIST, DISCORD_STORY),
    ],
    ids=["slack", "discord"],
)
async def test_usage_is_in_the_platforms_syntax(
    core: NewsDigest, ctx: CommandContext, follow: str, watchlist: str, story: str
) -> None:
    commands = Commands(core)
    # Asked for with `help`, and appended to a refusal.
    assert (await commands.dispatch("follow", "help", ctx)).text == follow
    assert (await commands.dispatch("watchlist", "help", ctx)).text == watchlist
    assert (await commands.dispatch("story", "help", ctx)).text == story
    assert (await commands.dispatch("follow", "", ctx)).text == f"Which topic?\nUsage: {follow}"
    bogus = await commands.dispatch("watchlist", "bogus 1", ctx)
    assert bogus.text == f"Unknown setting 'bogus'.\nUsage: {watchlist}"
    assert (await commands.dispatch("story", "", ctx)).text == f"Which story?\nUsage: {story}"


@pytest.mark.parametrize(
    ("ctx", "usage"),
    [(SLACK, SCHEDULE_USAGE), (DISCORD, DISCORD_SCHEDULE_USAGE)],
    ids=["slack", "discord"],
)
async def test_schedule_usage_is_in_the_platforms_syntax(
    core: NewsDigest, ctx: CommandContext, usage: str
) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule monkey 07:30", ctx)
    assert reply.text == (
        "`monkey` is not a day name: DAYS is daily, weekdays, weekends or a day list like "
        "mon,wed,fri or mon-fri (monday, tues, thurs... also work)\nUsage: " + usage
    )


def test_slacks_manifest_hints_every_watchlist_setting() -> None:
    # What Slack shows as /watchlist is typed: a setting missing there is one nobody finds.
    manifest = (Path(__file__).parent.parent / "config" / "slack-manifest.yml").read_text("utf-8")
    block = manifest.split("- command: /watchlist", 1)[1].split("- command:", 1)[0]
    match = re.search(r'usage_hint: "(.*)"', block)
    assert match is not None
    hinted = set(re.findall(r"(?:^\[|\| )([a-z-]+)", match.group(1)))
    settings = set(re.findall(r"/watchlist ([a-z-]+)", USAGE["watchlist"]))
    assert settings == {
        "schedule",
        "timezone",
        "mode",
        "min-sources",
        "digest-size",
        "quiet",
        "mute",
        "unmute",
        "pause",
        "resume",
    }
    assert settings <= hinted
