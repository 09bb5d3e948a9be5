"""While a thread reply waits out its paced gap, the card is edited silently whenever the story
has changed since the card was last set: by what the story holds, not by when it changed. A
merge brings in articles seen before the last edit, and a poll pass stamps its articles with
when it started, so an edit made during the pass came "after" them: timed, both stayed off the
card until the paced reply, up to 8 hours later.

Real planner, outbox and Slack adapter (slack-sdk over HTTP) against the fake Web API, on a real
SQLite file; assertions are on the JSON the fake recorded."""

from __future__ import annotations

import re
from pathlib import Path

from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_story, grow_story
from test_update_pacing import HOUR, MINUTE, T0, World, named

from bot.pipeline.clustering import DEFAULT_WINDOW
from bot.pipeline.story_upkeep import refresh_counts
from bot.runner import update_planner
from bot.store import stories as story_store


def edited_counts(fake: FakeSlackAPI) -> list[int]:
    """The source count each chat.update of the card set, in order."""
    found = [re.search(r"\((\d+) sources\)", c["text"]) for c in fake.calls_to("chat.update")]
    return [int(m.group(1)) for m in found if m]


async def test_a_merge_after_a_silent_edit_edits_the_card_at_once(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    world.now = T0 + HOUR
    await world.poll("C")  # the first reply; the next waits 2 h
    # Another story, never shown in C1, its reports seen at T0 + 70 min.
    add_story(world.db, "s2", ["X", "Y", "Z"], now=T0 + 70 * MINUTE)
    world.now = T0 + 80 * MINUTE
    await world.poll("D")  # the reply waits; the card is edited to 4
    assert world.card_count() == 4 and len(world.replies()) == 1
    # The clusterer finds s2 is the same event: s1 gains reports seen before that edit.
    world.now = T0 + 90 * MINUTE
    story_store.merge(world.db, "s2", "s1", now=world.now)
    refresh_counts(world.db, "s1", window=DEFAULT_WINDOW)
    await world.poll()
    assert world.card_count() == 7
    assert len(world.replies()) == 1  # still paced
    # Once: nothing changed since, nothing more to edit.
    for minutes in (100, 110):
        world.now = T0 + minutes * MINUTE
        await world.poll()
    assert edited_counts(slack_api) == [3, 4, 7]
    world.now = T0 + 3 * HOUR
    await world.poll()
    assert sorted(named(world.replies()[-1])) == ["D", "X", "Y", "Z"]


async def test_an_edit_made_during_a_poll_pass_does_not_hide_that_pass_s_later_outlets(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    world.now = T0 + HOUR
    await world.poll("C")  # the first reply; the next waits 2 h
    # A pass starts at 10:30 and stamps what it stores with that time. Its first feed brings D;
    # the outbox, kicked meanwhile, edits the card a minute later.
    started = T0 + 90 * MINUTE
    grow_story(world.db, "s1", ["D"], now=started)
    world.now = started + MINUTE
    update_planner.enqueue_updates(world.db, {"s1"}, now=world.now, interval=HOUR)
    await world.outbox.drain()
    assert world.card_count() == 4
    # A later feed of the same pass brings E, seen "at 10:30", before that edit.
    grow_story(world.db, "s1", ["E"], now=started)
    world.now = started + 2 * MINUTE
    update_planner.enqueue_updates(world.db, {"s1"}, now=world.now, interval=HOUR)
    await world.outbox.drain()
    assert world.card_count() == 5
    assert len(world.replies()) == 1
    assert edited_counts(slack_api) == [3, 4, 5]
