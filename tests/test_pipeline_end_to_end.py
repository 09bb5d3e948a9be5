"""The whole pipeline on the sample feeds over real loopback HTTP: fetch -> parse -> store ->
cluster -> summarise -> digest."""

from __future__ import annotations

from collections import defaultdict

from bot.app import NewsDigest
from bot.demo.sample_news import BROKEN_OUTLET, ITEMS, OUTLETS
from bot.feedserver import FeedServer
from bot.ingest.chat_markup import without_chat_markup
from bot.store import channels as channel_store
from bot.store import feeds as feed_store


async def test_poll_stores_clusters_and_builds_the_digest(
    core: NewsDigest, sample_server: FeedServer
) -> None:
    report = await core.poll()
    poll = report.poll
    assert len(poll.feeds) == len(OUTLETS) + 1
    assert len(poll.new_articles) == len(ITEMS)

    # The broken feed fails with a clear reason and the others are unaffected.
    failed = [r for r in poll.feeds if r.status == "failed"]
    assert [r.feed.url for r in failed] == [sample_server.url(f"/{BROKEN_OUTLET.slug}/feed")]
    assert failed[0].error
    broken = feed_store.get_feed(core.db, failed[0].feed.url)
    assert broken is not None and broken.consecutive_failures == 1 and broken.last_error

    # Tracking parameters are gone from the stored canonical URLs.
    urls = [r[0] for r in core.db.execute("SELECT canonical_url FROM articles")]
    assert urls and not any("utm_" in u for u in urls)

    # Articles written about one event end up in one story, and different events stay apart.
    story_of = {
        row["title"]: row["story_id"]
        for row in core.db.execute_returning_dicts("SELECT title, story_id FROM articles")
    }
    by_intended: dict[str, set[str]] = defaultdict(set)
    for item in ITEMS:
        # Ingest takes chat syntax (`<!channel>`) out of titles; `@everyone` stays, escaped later.
        by_intended[item.story].add(story_of[without_chat_markup(item.title)])
    assert all(len(ids) == 1 for ids in by_intended.values()), by_intended
    assert len({next(iter(ids)) for ids in by_intended.values()}) == len(by_intended)

    channel = channel_store.get_channel(core.db, "console", "team")
    assert channel is not None
    digest = core.digest(channel)
    multi_outlet = {
        s for s, ids in by_intended.items() if len({i.outlet for i in ITEMS if i.story == s}) > 1
    }
    assert len(digest.cards) == len(multi_outlet)
    for card in digest.cards:
        assert card.source_count >= 2
        assert 2 <= len(card.tldr) <= 3
        assert sum(len(b.text.split()) for b in card.tldr) <= 55
        assert card.slug and card.headline
        assert {link.source for link in card.sources} == set(card.outlets)

    # The wildfire story: three outlets, two of them carrying the same wire copy.
    wildfire = next(c for c in digest.cards if "wildfire" in c.headline.lower())
    assert wildfire.outlet_count == 3
    assert wildfire.source_count == 2
    assert wildfire.wire_groups and len(wildfire.wire_groups[0]) == 2


async def test_second_poll_uses_conditional_get_and_adds_nothing(
    core: NewsDigest, sample_server: FeedServer
) -> None:
    await core.poll()
    sample_server.clear_requests()
    again = await core.poll(
        feeds=[f for f in feed_store.list_feeds(core.db) if not f.disabled_reason]
    )
    assert again.poll.new_articles == []
    statuses = {r.status for r in again.poll.feeds}
    assert "not_modified" in statuses
    sent = [r.header("If-None-Match") for r in sample_server.requests]
    assert any(value and value.startswith('"v1-') for value in sent)
    # The broken feed's validators were not kept: it is fetched (and parsed) in full again.
    broken = sample_server.requests_to(f"/{BROKEN_OUTLET.slug}/feed")
    assert broken and broken[-1].header("If-None-Match") is None


async def test_story_lookup_and_full_card(core: NewsDigest) -> None:
    await core.poll()
    found = core.find_story("kestrel lander")
    assert found.story is not None
    story = core.story(found.story.story_id)
    assert story is not None
    card = core.card(story)
    assert card.source_count == 4
    assert card.angles, "a four-outlet story has something to say about what others add"
    for angle in card.angles:
        member_text = " ".join(
            a.title + " " + a.text for a in core.story_members(story.id) if a.source == angle.source
        )
        assert angle.quote.strip("…").strip() in member_text


async def test_stories_stay_apart_when_feeds_are_polled_a_few_at_a_time(
    core: NewsDigest, sample_server: FeedServer
) -> None:
    # `run` spreads the feeds due at start over minutes, a few at a time, so a story's first
    # report may meet only other events: one chip-export report, polled alone, joined the
    # national AI model's story on "AI" and the export story's later reports followed it in.
    feeds = {f.url: f for f in feed_store.list_feeds(core.db)}
    plan = [
        ["civic-wire"],
        ["daily-meridian", BROKEN_OUTLET.slug],
        ["harbor-times"],
        ["tech-current"],
        ["market-pulse", "northern-ledger"],
        ["riverside-gazette"],
    ]
    for slugs in plan:
        await core.poll(feeds=[feeds[sample_server.url(f"/{slug}/feed")] for slug in slugs])
    intended = {without_chat_markup(item.title): item.story for item in ITEMS}
    stories: dict[str, set[str]] = defaultdict(set)
    for title, story_id in core.db.execute("SELECT title, story_id FROM articles"):
        stories[story_id].add(intended[title])
    assert all(len(events) == 1 for events in stories.values()), stories
