"""A story is matched against a channel's topics many times while it waits to go out (each
channel's digest, instant mode after each poll, the queued post's check, its card), and each
time its words were read and indexed afresh. A topic's answer for the story as it is now is now
kept: asked again, nothing is rebuilt; a story that grew, an article corrected, a headline
renamed or a query edited is matched afresh, so an answer is never stale; and the memory is
bounded. Channels follow different topics, so a story read for one channel's is asked every
topic's query while it is read: the other channels' digests find their answers kept."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.models import Article
from bot.pipeline import digest
from bot.pipeline.digest import matching_topics
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store.channels import TopicRow
from bot.topics import StoryDoc, answers
from bot.topics.answers import Answers, askable
from bot.topics.query import TopicQuery

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


def test_a_story_read_for_one_channel_answers_the_others_topics(builds: list[int]) -> None:
    # Channels follow different topics: one channel's answers spared the next one nothing.
    harbour = [topic("ferries", "ferry OR ferries"), topic("rail", "rail")]
    commute = [topic("crew", "crew"), topic("strikes", "strike"), topic("buses", "bus")]
    every = askable(t.query for t in [*harbour, *commute, topic("bad", '"unclosed')])
    assert matching_topics(harbour, FERRY, also=every) == ["ferries"]
    assert builds == [2]
    assert matching_topics(commute, FERRY, also=every) == ["crew"]
    assert matching_topics(commute[1:], list(FERRY), also=every) == []
    assert builds == [2]
    # Grown, it is read once more, for every channel again.
    grown = [*FERRY, Article(id="f3", source="Coast Courier", title="Ferry strike looms", text="")]
    assert matching_topics(commute, grown, also=every) == ["crew", "strikes"]
    assert matching_topics(harbour, grown, also=every) == ["ferries"]
    assert builds == [2, 3]


def test_a_topic_outside_the_ones_asked_is_answered_and_kept_too(builds: list[int]) -> None:
    every = askable(["ferry", "rail"])
    assert matching_topics([topic("ferries", "ferry")], FERRY, also=every) == ["ferries"]
    # A card's check asks every topic, a new one among them: read again for it alone.
    assert matching_topics([topic("crew", "crew"), topic("rail", "rail")], FERRY) == ["crew"]
    assert builds == [2, 2]
    assert matching_topics([topic("crew", "crew")], FERRY, also=every) == ["crew"]
    assert matching_topics([topic("ferries", "ferry")], FERRY) == ["ferries"]
    assert builds == [2, 2]


def test_every_channels_digest_reads_each_story_once(
    builds: list[int], db: sqlite_utils.Database
) -> None:
    for slug, query in [("ferries", "ferry"), ("crew", "crew"), ("rail", "rail")]:
        channel_store.upsert_topic(db, slug, query)
    add_story(db, "ferry", ["Harbor Daily", "Metro Wire"], now=AT)
    add_story(db, "rail", ["Metro Wire", "Coast Courier"], now=AT)
    picked = {}
    channels = {}
    for name, slugs in [("harbour", ["ferries"]), ("depot", ["rail", "crew"])]:
        channels[name] = channel = add_channel(db, name)
        for slug in slugs:
            channel_store.follow(db, channel.id, slug)
    for name, channel in channels.items():
        selection = digests.digest_selection(db, channel, now=AT + timedelta(hours=1))
        picked[name] = [(c.story.id, c.topics) for c in selection.chosen]
    # The fakes' titles: "Harbor Daily on ferry", "Metro Wire on rail", ...
    assert picked == {"harbour": [("ferry", ["ferries"])], "depot": [("rail", ["rail"])]}
    assert builds == [2, 2]


def test_answers_are_kept_per_story_and_share_what_was_asked() -> None:
    answers = Answers()
    every = frozenset({"ferry", "crew", "rail"})
    answers.put_all(b"a", every, frozenset({"ferry"}))
    answers.put_all(b"b", every, frozenset())
    assert [answers.get(b"a", q) for q in ("ferry", "crew", "bus")] == [True, False, None]
    assert answers.get(b"b", "ferry") is False
    # One more answer is added to those kept; all of them asked again replace them.
    answers.put(b"a", "bus", True)
    assert [answers.get(b"a", q) for q in ("ferry", "crew", "bus")] == [True, False, True]
    answers.put_all(b"a", every | {"bus"}, frozenset({"crew"}))
    assert [answers.get(b"a", q) for q in ("ferry", "crew", "bus")] == [False, True, False]
    assert len(answers) == 2


def test_a_digest_asks_only_the_topics_some_channel_follows(
    builds: list[int], db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A topic nobody follows costs every story read something, and answers nothing anyone asks.
    asked: list[str] = []
    matches = TopicQuery.matches

    def counted(self: TopicQuery, doc: StoryDoc) -> bool:
        asked.append(self.source_text)
        return matches(self, doc)

    monkeypatch.setattr(TopicQuery, "matches", counted)
    for slug, query in [("ferries", "ferry"), ("crew", "crew"), ("unfollowed", "rail")]:
        channel_store.upsert_topic(db, slug, query)
    add_story(db, "ferry", ["Harbor Daily", "Metro Wire"], now=AT)
    harbour, depot = add_channel(db, "harbour"), add_channel(db, "depot")
    channel_store.follow(db, harbour.id, "ferries")
    channel_store.follow(db, depot.id, "crew")
    digests.digest_selection(db, harbour, now=AT + timedelta(hours=1))
    assert sorted(asked) == ["crew", "ferry"]


def test_a_topic_whose_matching_fails_is_no_match_said_once(
    builds: list[int],
    db: sqlite_utils.Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A bug in one topic's matching must not fail every channel's digest.
    matches = TopicQuery.matches

    def failing(self: TopicQuery, doc: StoryDoc) -> bool:
        if self.source_text == "harbour":
            raise RuntimeError("a bug of ours")
        return matches(self, doc)

    monkeypatch.setattr(TopicQuery, "matches", failing)
    monkeypatch.setattr(digest, "_FAILED", set())
    for slug, query in [("ferries", "ferry"), ("harbours", "harbour")]:
        channel_store.upsert_topic(db, slug, query)
    add_story(db, "ferry", ["Harbor Daily", "Metro Wire"], now=AT)
    add_story(db, "crew", ["Coast Courier", "Metro Wire"], now=AT)
    harbour, docks = add_channel(db, "harbour"), add_channel(db, "docks")
    channel_store.follow(db, harbour.id, "ferries")
    channel_store.follow(db, docks.id, "harbours")
    with caplog.at_level(logging.WARNING, logger="bot.pipeline.digest"):
        selection = digests.digest_selection(db, harbour, now=AT + timedelta(hours=1))
        assert [c.story.id for c in selection.chosen] == ["ferry"]
        assert digests.digest_selection(db, docks, now=AT + timedelta(hours=1)).chosen == []
        # The card's topics ask every topic, the failing one too.
        assert matching_topics(channel_store.list_topics(db), FERRY) == ["ferries"]
    failed = [r for r in caplog.records if "harbours" in r.getMessage()]
    assert len(failed) == 1
    assert failed[0].levelno == logging.WARNING


def test_more_followed_queries_than_a_thousand_stay_parsed() -> None:
    # Each story read asks every followed query: a parsed-query cache smaller than them missed
    # on every one, every story (1,100 queries cost five times what 1,000 did).
    queries = [f'"harbour ferry{i}" OR crew{i}' for i in range(1100)]
    answers._parsed.cache_clear()
    for _ in range(2):
        for query in queries:
            answers.parsed(query)
    assert answers._parsed.cache_info().misses == len(queries)
    assert answers.PARSED_QUERIES >= 2048


def test_followed_queries_past_the_lru_stay_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past `PARSED_QUERIES` followed queries the LRU missed on every one, every story read
    # (2,100 queries: 54 ms a story against 0.3): the set `askable` computed keeps them.
    parses: list[str] = []
    parse = TopicQuery.parse

    def counted(query: str) -> TopicQuery:
        parses.append(query)
        return parse(query)

    monkeypatch.setattr(TopicQuery, "parse", counted)
    queries = [f'"quay lantern{i}" OR tide{i}' for i in range(answers.PARSED_QUERIES + 52)]
    assert askable(queries) == frozenset(queries)
    for _ in range(3):  # three story reads
        for query in queries:
            answers.parsed(query)
    assert len(parses) == len(queries)  # each parsed once, when the set was asked for


def test_an_empty_set_asked_keeps_the_followed_queries_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A channel with no topics asks an empty set while another channel's digest reads stories
    # in another thread: that one's queries must stay kept, or it parses them all again.
    parses: list[str] = []
    parse = TopicQuery.parse

    def counted(query: str) -> TopicQuery:
        parses.append(query)
        return parse(query)

    monkeypatch.setattr(TopicQuery, "parse", counted)
    queries = [f'"harbour crane{i}" OR berth{i}' for i in range(answers.PARSED_QUERIES + 10)]
    askable(queries)
    assert askable([]) == frozenset()
    for query in queries:
        answers.parsed(query)
    assert len(parses) == len(queries)  # none parsed again after the empty set
