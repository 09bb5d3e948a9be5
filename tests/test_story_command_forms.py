"""The notices after a digest's cards name /story as the channel's platform types it: Discord's
/story takes its words as the `query` option, so `/story <words>` written into a Discord channel
names a command Discord does not run. The notice as the overflow list builds it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.pipeline.digest import Candidate
from bot.runner.overflow import MAX_LISTED, overflow_notice
from bot.store.stories import StoryRow

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
FORMS = [("slack", "/story <words>"), ("discord", "/story query:<words>")]


def _candidate(name: str) -> Candidate:
    story = StoryRow(name, name, f"Headline of {name}", NOON, NOON, 2, 2, 2, None)
    return Candidate(story, [], [])


@pytest.mark.parametrize(("platform", "story"), FORMS)
def test_the_lists_count_of_the_rest_names_the_platforms_story_form(
    platform: str, story: str
) -> None:
    notice = overflow_notice(platform, [_candidate(f"s{i:02}") for i in range(MAX_LISTED + 3)])
    assert notice is not None
    assert notice.text.splitlines()[-1] == f"…and 3 more: /digest or {story}"


@pytest.mark.parametrize(("platform", "story"), FORMS)
def test_a_list_with_no_line_left_names_the_platforms_story_form(platform: str, story: str) -> None:
    # Every story was listed before with as many sources: the notice only counts them.
    overflow = [_candidate("a"), _candidate("b")]
    notice = overflow_notice(platform, overflow, listed_before={"a": 2, "b": 2})
    assert notice is not None
    assert notice.text == (
        "2 more stories match this channel without a card, listed in an earlier digest: "
        f"/digest or {story}"
    )


@pytest.mark.parametrize(("platform", "story"), FORMS)
def test_the_dropped_stories_line_names_the_platforms_story_form(platform: str, story: str) -> None:
    notice = overflow_notice(platform, [], dropped=2)
    assert notice is not None
    assert notice.text == (
        "2 stories matching this channel waited 8 days without a line and are no longer "
        f"carried: {story} finds any story."
    )
