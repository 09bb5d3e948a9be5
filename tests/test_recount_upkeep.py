"""A recount's loose ends: a channel that muted the story is told the new count too, so its unmute
replies nothing; a recount that lifts a fresh story over an instant channel's minimum gets it
posted by the pass; one story whose recount fails is set aside, the rest of the upgrade's list
and the feed's own recount go on; a database error that undid the whole transaction surfaces as
itself; and the upgrade's batch stops once it has done its share of work.

The three publishers' feeds of `test_recount_card_edits` (their `Team`), polled by a real
NewsDigest into a real SQLite file and posted through the Slack adapter to the fake Web API."""

from __future__ import annotations

from fakes.slack_api import FakeSlackAPI
from test_recount_card_edits import HOUR, Team, count_line, server, team  # noqa: F401

from bot.runner import unmutes
from bot.store import channels as channel_store


async def test_an_unmute_after_a_recount_edits_the_card_and_replies_nothing(
    team: Team, slack_api: FakeSlackAPI
) -> None:
    await team.poll()
    await team.post_card()
    story = team.story_id()
    channel_store.mute_story(team.db, team.channel.id, story)
    team.give_own_links()  # no article joins: the feeds' outlets are decided anew
    team.now += HOUR
    await team.poll()
    assert team.stored_sources() == 3
    team.now += 3 * HOUR
    done = unmutes.unmute(team.db, team.channel, story, now=team.now, interval=HOUR)
    await team.outbox.drain()
    assert done.catch_up == unmutes.CatchUp.EDIT
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # the card: no "joined" reply
    (edit,) = slack_api.calls_to("chat.update")
    assert count_line(edit).startswith("3 sources tracking this story")
