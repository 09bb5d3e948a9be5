"""A story is matched against a channel's topics many times while it waits to go out (each
channel's digest, instant mode after each poll, the queued post's check, its card), and each
time its words were read and indexed afresh. A topic's answer for the story as it is now is now
kept: asked again, nothing is rebuilt; a story that grew, an article corrected, a headline
renamed or a query edited is matched afresh, so an answer is never stale; and the memory is
bounded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.models import Article
from bot.pipeline import digest
from bot.pipeline.digest import matching_topics
from bot.store.channels import TopicRow
from bot.topics import StoryDoc
from bot.topics.answers import Answers

AT = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
FERRY = [
    Article(
        id="f1",
        source="Harbor Daily",
        title="Island ferry service cut to twice a day",
        text="The operator blamed a shortage of crew for the cuts.",
        seen=AT,
    ),
    Article(
        id="f2",
        source="Metro Wire",
        title="Ferry timetable shrinks",
        text="Commuters face longer waits from Monday as crew numbers fall.",
        seen=AT,
    ),
]


def topic(slug: str, query: str) -> TopicRow:
    return TopicRow(slug=slug, title=None, query=query, origin="chat")


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a story's words were read, one entry a build (no answers kept before)."""
    monkeypatch.setattr(digest, "ANSWERS", Answers())
    made: list[int] = []
    build = StoryDoc.from_articles.__func__  # type: ignore[attr-defined]

    def counted(cls: type[StoryDoc], articles: list[Article], headline: str | None = None):  # type: ignore[no-untyped-def]
        made.append(len(articles))
        return build(cls, articles, headline)

    monkeypatch.setattr(StoryDoc, "from_articles", classmethod(counted))
    return made


def test_a_story_matched_again_is_not_read_again(builds: list[int]) -> None:
    topics = [topic("ferries", "ferry OR ferries"), topic("crew", "crew"), topic("rail", "rail")]
    assert matching_topics(topics, FERRY) == ["ferries", "crew"]
    assert builds == [2]
    assert matching_topics(topics, list(FERRY)) == ["ferries", "crew"]
    assert matching_topics(topics[:1], FERRY) == ["ferries"]
    assert builds == [2]


def test_what_changes_the_story_or_the_query_is_matched_afresh(builds: list[int]) -> None:
    strike = [topic("strikes", "strike")]
    assert matching_topics(strike, FERRY) == []
    # Corrections put the strike in both outlets' leads.
    corrected = [
        replace(FERRY[0], text="A crew strike forced the cuts."),
        replace(FERRY[1], text="Commuters face longer waits from Monday as the strike goes on."),
    ]
    assert matching_topics(strike, corrected) == ["strikes"]
    # The story grows: a third outlet's headline says it.
    grown = [*FERRY, Article(id="f3", source="Coast Courier", title="Ferry strike looms", text="")]
    assert matching_topics(strike, grown) == ["strikes"]
    # The card's headline, which a negation reads, is renamed.
    assert matching_topics([topic("ferries", "ferry -timetable")], FERRY) == ["ferries"]
    renamed = matching_topics([topic("ferries", "ferry -timetable")], FERRY, "Ferry timetable")
    assert renamed == []
    # The topic's query is edited under the same name.
    assert matching_topics([topic("strikes", "crew")], FERRY) == ["strikes"]
    assert len(builds) == 6


def test_answers_are_bounded() -> None:
    answers = Answers(size=2)
    answers.put(b"a", "q", True)
    answers.put(b"b", "q", False)
    assert answers.get(b"a", "q") is True  # used: kept over b
    answers.put(b"c", "q", True)
    assert len(answers) == 2
    assert answers.get(b"b", "q") is None
    assert answers.get(b"a", "q") is True
    assert answers.get(b"c", "q") is True
