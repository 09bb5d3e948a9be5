"""Migration 39 credits each topic match kept before it to what gave the channel its story
(`bot.store.topic_match_givers`): the story's card, queued with it or later, or the notice that
lists or counts it, as the old database's outbox, listings and counts tell; not whichever notice
was queued at the same moment. Real SQLite files left at schema 38, filled as the old version
left them, then opened by this one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from _kept_matches import MONDAY, TUESDAY, report
from fakes.stories import add_channel

from bot.store import channels as channel_store
from bot.store import database, migrations, topic_matches
from bot.store.database import iso, open_database
from bot.store.topic_match_givers import add_givers


@pytest.fixture
def old_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite_utils.Database]:
    """A schema-38 database: a channel (id 1) following `buses` (`electric`) since Sunday."""
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] <= 38])
        db = open_database(tmp_path / "nd.db")
        channel = add_channel(db, "C1", min_sources=1)
        channel_store.upsert_topic(db, "buses", "electric", origin="chat")
        channel_store.follow(db, channel.id, "buses", now=MONDAY - timedelta(days=1))
    yield db


def story(db: sqlite_utils.Database, story_id: str) -> None:
    report(db, story_id, ("Harbor Daily", f"Electric {story_id}", "Electric buses."), MONDAY)


def card(db: sqlite_utils.Database, story_id: str, state: str, at: datetime) -> int:
    return db.execute(
        "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, created_at, updated_at)"
        " VALUES (?, 1, 'story', ?, ?, ?, ?)",
        [story_id, state, story_id, iso(at), iso(at)],
    ).lastrowid


def notice(db: sqlite_utils.Database, key: str, state: str, at: datetime) -> int:
    return db.execute(
        "INSERT INTO alerts (channel_pk, key, text, state, created_at)"
        " VALUES (1, ?, 'Also matching', ?, ?)",
        [f"{key}:{iso(at)}", state, iso(at)],
    ).lastrowid


def listed(db: sqlite_utils.Database, story_id: str, alert_id: int, at: datetime) -> None:
    db.execute(
        "INSERT OR REPLACE INTO listed_stories (channel_pk, story_id, sources, listed_at, alert_id)"
        " VALUES (1, ?, 1, ?, ?)",
        [story_id, iso(at), alert_id],
    )


def digest_ran(db: sqlite_utils.Database, at: datetime) -> None:
    db.execute(
        "INSERT OR REPLACE INTO digest_runs (channel_pk, scheduled_for, ran_at, stories)"
        " VALUES (1, ?, ?, 1)",
        [iso(at), iso(at)],
    )


def kept_then(db: sqlite_utils.Database, story_id: str, at: datetime) -> None:
    """The old version's one row: kept when its first card or notice was queued."""
    db.execute(
        "INSERT INTO topic_matches VALUES (1, ?, 'buses', 'electric', ?)", [story_id, iso(at)]
    )


def upgraded(db: sqlite_utils.Database) -> sqlite_utils.Database:
    path = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    db.close()
    db = open_database(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    return db


def test_a_card_dropped_unsent_is_not_credited_to_its_digest_s_sent_list(
    old_db: sqlite_utils.Database,
) -> None:
    db = old_db
    for story_id in ("budget", "ferry"):
        story(db, story_id)
        kept_then(db, story_id, MONDAY)
    # Monday's digest: the budget story's card (deleted unsent once min-sources went up) and a
    # list of the ferry after it, which was sent.
    sent = notice(db, "digest-more", "sent", MONDAY)
    listed(db, "ferry", sent, MONDAY)
    digest_ran(db, MONDAY)
    db = upgraded(db)
    # The channel never saw the budget story: it is matched as it is now.
    assert topic_matches.kept(db, 1, ["budget", "ferry"]) == {"ferry": {"buses"}}
    assert topic_matches.kept_for(db, 1, "budget", queued=True) == set()


def test_a_story_listed_by_a_failed_notice_then_carded_is_kept_by_its_card(
    old_db: sqlite_utils.Database,
) -> None:
    db = old_db
    failed = notice(db, "digest-more", "failed", MONDAY)
    for story_id in ("budget", "harbour"):
        story(db, story_id)
        # Listed first by a notice that never went out: that is when the match was kept.
        kept_then(db, story_id, MONDAY)
        listed(db, story_id, failed, MONDAY)
    # Tuesday's digest gave each its card: the budget's sent, the harbour's still queued.
    card(db, "budget", "sent", TUESDAY)
    card(db, "harbour", "pending", TUESDAY)
    digest_ran(db, TUESDAY)
    db = upgraded(db)
    assert topic_matches.kept(db, 1, ["budget", "harbour"]) == {"budget": {"buses"}}
    # The queued card goes out as it was queued: matching.
    assert topic_matches.kept_for(db, 1, "harbour", queued=True) == {"buses"}
    assert list(topic_matches.kept_by_query(db, "electric")) == ["budget"]


def test_a_story_its_notice_may_have_given_stays_credited_to_it(
    old_db: sqlite_utils.Database,
) -> None:
    db = old_db
    stories = ["counted", "relisted", "instant", "listed_before", "unknown"]
    at = {story_id: MONDAY + timedelta(hours=h) for h, story_id in enumerate(stories)}
    for story_id in stories:
        story(db, story_id)
        kept_then(db, story_id, at[story_id])
    # Counted ("…and 3 more") by its digest's sent notice.
    notice(db, "digest-more", "sent", at["counted"])
    db.execute("INSERT INTO counted_stories VALUES (1, 'counted', ?)", [iso(at["counted"])])
    # Listed by a sent notice, then by a later one that failed, whose listing overwrote it.
    notice(db, "digest-more", "sent", at["relisted"])
    listed(db, "relisted", notice(db, "digest-more", "failed", TUESDAY), TUESDAY)
    # Counted by an instant pass's "more" notice, which records nothing of what it counted.
    notice(db, "instant-more", "sent", at["instant"])
    # Listed by Sunday's sent notice; kept by the next digest that picked it, whose notice
    # did not list it again (its card, if it had one, was dropped).
    sunday = MONDAY - timedelta(days=1)
    listed(db, "listed_before", notice(db, "digest-more", "sent", sunday), sunday)
    notice(db, "digest-more", "sent", at["listed_before"])
    # Its card and notice both gone: counted as every match was before.
    db = upgraded(db)
    assert topic_matches.kept(db, 1, stories) == {s: {"buses"} for s in stories}


def test_a_story_whose_count_may_have_expired_stays_credited_to_its_notice(
    old_db: sqlite_utils.Database,
) -> None:
    db = old_db
    story(db, "budget")
    kept_then(db, "budget", MONDAY)
    notice(db, "digest-more", "sent", MONDAY)
    # No card and no listing: counted, maybe, and dropped by a digest 9 days on (waited its
    # longest), or its card dropped unsent. The records cannot tell: it counts as before.
    digest_ran(db, MONDAY + timedelta(days=9))
    db = upgraded(db)
    assert topic_matches.kept(db, 1, ["budget"]) == {"budget": {"buses"}}


def test_the_upgrade_s_work_grows_linearly_with_the_matches_and_notices(
    old_db: sqlite_utils.Database,
) -> None:
    """A channel's every old match was compared with all its notices: a year of digests took
    minutes under the write lock. Counted in SQLite's steps, which do not depend on the machine:
    twice the days costs about twice, not four times."""

    def steps(days: int) -> int:
        db.execute("DROP TABLE IF EXISTS topic_matches")
        db.execute("DELETE FROM listed_stories")
        db.execute("DELETE FROM alerts")
        db.execute("DELETE FROM deliveries")
        db.execute("DELETE FROM stories")
        db.execute(
            "CREATE TABLE topic_matches (channel_pk INTEGER NOT NULL, story_id TEXT NOT NULL,"
            " topic_slug TEXT NOT NULL, query TEXT NOT NULL, matched_at TEXT NOT NULL,"
            " PRIMARY KEY (channel_pk, story_id, topic_slug))"
        )
        for day in range(days):
            at = MONDAY - timedelta(days=day)
            ids = [f"s{day}-{n}" for n in range(10)]
            db.conn.executemany(
                "INSERT INTO stories (id, slug, headline, first_seen, last_updated,"
                " article_count, outlet_count, source_count) VALUES (?, ?, 'h', ?, ?, 1, 1, 1)",
                [(s, s, iso(at), iso(at)) for s in ids],
            )
            alert_id = notice(db, "digest-more", "sent", at)
            card(db, ids[0], "sent", at)
            for story_id in ids:
                kept_then(db, story_id, at)
            for story_id in ids[1:]:
                listed(db, story_id, alert_id, at)
        count = [0]

        def step() -> int:
            count[0] += 1
            return 0

        db.conn.set_progress_handler(step, 100)
        add_givers(db)
        db.conn.set_progress_handler(None, 100)
        assert db.execute("SELECT COUNT(*) FROM topic_matches").fetchone()[0] == days * 10
        return count[0]

    db = old_db
    db.execute("PRAGMA foreign_keys = OFF")
    assert steps(400) < 2.5 * steps(200)
