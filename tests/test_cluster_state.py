"""The clusterer's saved state (`store/clusterer_state`): a commit writes what it changed, not the
whole vocabulary; a state that can't be read is dropped rather than failing every pass; and two
processes clustering into one database (`newsdigest poll` while `run` is up) never leave a state
that misses the other's stories. The news is the demo's sample (written for the project)."""

from __future__ import annotations

import json
import logging
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.demo.sample_news import ITEMS, OUTLETS, Item
from bot.pipeline.clustering import ClusteredElsewhere, StoryClusterer
from bot.store import articles as article_store
from bot.store import clusterer_state
from bot.store.database import open_database, transaction

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
NAMES = {o.slug: o.name for o in OUTLETS}


def _row(item: Item, key: str, *, hours: float = 0.0) -> dict[str, Any]:
    when = NOW + timedelta(hours=hours - item.hours_ago)
    return {
        "source": NAMES[item.outlet],
        "guid": key,
        "url": None,
        "canonical_url": f"https://news.example/{key}",
        "title": item.title,
        "text": item.text,
        "published": when,
        "seen_at": when,
    }


def _rows(items: tuple[Item, ...] | list[Item], rnd: int = 0) -> list[dict[str, Any]]:
    return [_row(it, f"r{rnd}-{i}", hours=rnd) for i, it in enumerate(items)]


def _insert(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    with transaction(db):
        article_store.insert_new(db, rows)


def _pass(stage: StoryClusterer) -> int:
    return sum(1 for _ in stage.assign_in_batches(stage.backlog(), set(), batch_size=3))


def _stored_counts(db: sqlite_utils.Database) -> dict[str, float]:
    saved = clusterer_state.read(db)
    assert saved is not None and saved.state is not None
    return saved.counts


def _story_of(db: sqlite_utils.Database, guid: str) -> str:
    return str(db.execute("SELECT story_id FROM articles WHERE guid = ?", [guid]).fetchone()[0])


# ---- F1: a commit writes its own terms ----------------------------------------------------------


@pytest.mark.parametrize("min_log", [clusterer_state.MIN_LOG, 0])
def test_each_commit_stores_only_its_terms_and_the_copy_stays_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, min_log: int
) -> None:
    monkeypatch.setattr(clusterer_state, "MIN_LOG", min_log)  # 0: written whole as soon as due
    db = open_database(tmp_path / "news.db")
    stage = StoryClusterer(db)
    stats = stage.clusterer._stats
    # A half-life of 20 documents: the statistics fold and prune faded terms every few commits,
    # as a long-running bot's do once per 20,000 articles.
    stats._decay = 0.5 ** (1 / 20)
    logged: list[int] = []  # bytes of counts each commit wrote
    wholes: list[int] = []  # bytes of all the counts then
    for rnd in range(4):
        for start in range(0, len(ITEMS), 2):
            rows = [
                {**_row(it, f"r{rnd}-{start + i}", hours=rnd), "title": f"{it.title} ({rnd})"}
                for i, it in enumerate(ITEMS[start : start + 2])
            ]
            _insert(db, rows)
            assert len(stage.backlog()) == len(rows)
            _pass(stage)
            # After every commit, the stored counts are the clusterer's, to the last bit, and
            # the stored stories its open stories, in order.
            assert _stored_counts(db) == stats.counts()[0]
            saved = clusterer_state.read(db)
            assert saved is not None and saved.stories == stage.clusterer.open_stories()
            (last,) = db.execute(
                "SELECT length(counts) FROM clusterer_idf ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            logged.append(last)
            wholes.append(len(json.dumps(stats.counts()[0])))
    # Most commits wrote their two articles' terms, not all of them.
    small = sum(1 for n, whole in zip(logged, wholes, strict=True) if n < whole / 4)
    assert small > len(logged) * 2 / 3
    # The log stays within about twice what it holds.
    (stored,) = db.execute("SELECT sum(length(counts)) FROM clusterer_idf").fetchone()
    assert stored <= 2 * max(wholes[-1], min_log) + max(logged)
    state = db.execute("SELECT value FROM service_state WHERE key = 'clusterer'").fetchone()[0]
    assert "df" not in json.loads(state)  # the vocabulary is not in the JSON any more

    # A restart takes the same counts up, and goes on writing only what changed.
    again = StoryClusterer(db)
    again.warm_up(now=NOW)
    assert again.clusterer._stats.counts() == stats.counts()
    _insert(db, [{**_row(ITEMS[0], "late", hours=5), "title": "Late report"}])
    _pass(again)
    assert _stored_counts(db) == again.clusterer._stats.counts()[0]
    saved = clusterer_state.read(db)
    assert saved is not None and saved.stories == again.clusterer.open_stories()
    # The stories stored are the open ones: closed ones go (the window is two days).
    assert len(saved.stories) == len(again.clusterer.active_story_ids())


# ---- F2: a state that can't be read -------------------------------------------------------------


def _set_value(db: sqlite_utils.Database, change: Any) -> None:
    (value,) = db.execute("SELECT value FROM service_state WHERE key = 'clusterer'").fetchone()
    db.execute("UPDATE service_state SET value = ? WHERE key = 'clusterer'", [change(value)])


def _truncated(db: sqlite_utils.Database) -> None:
    _set_value(db, lambda value: value[: len(value) // 2])


def _missing_key(db: sqlite_utils.Database) -> None:
    _set_value(
        db, lambda value: json.dumps({k: v for k, v in json.loads(value).items() if k != "n"})
    )


def _a_list(db: sqlite_utils.Database) -> None:
    _set_value(db, lambda value: "[]")


def _other_version(db: sqlite_utils.Database) -> None:
    _set_value(db, lambda value: json.dumps({**json.loads(value), "version": 999}))


def _wrong_type(db: sqlite_utils.Database) -> None:
    _set_value(db, lambda value: json.dumps({**json.loads(value), "n": "many"}))


def _members_not_ids(db: sqlite_utils.Database) -> None:
    db.execute("UPDATE clusterer_stories SET members = '[[1, 2]]'")


def _counts_cut_short(db: sqlite_utils.Database) -> None:
    db.execute("UPDATE clusterer_idf SET counts = substr(counts, 1, 20)")


@pytest.mark.parametrize(
    "spoil",
    [
        _truncated,
        _missing_key,
        _a_list,
        _other_version,
        _wrong_type,
        _members_not_ids,
        _counts_cut_short,
    ],
)
def test_an_unreadable_state_is_dropped_with_a_warning_and_clustering_goes_on(
    tmp_path: Path, spoil: Any, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(tmp_path / "news.db")
    _insert(db, _rows(ITEMS[:10]))
    first = StoryClusterer(db)
    _pass(first)
    first.clusterer.close()
    with transaction(db):
        spoil(db)

    for rnd in (1, 2):  # the next process, and the one after it
        stage = StoryClusterer(db)
        _insert(db, _rows(ITEMS[6 + 4 * rnd : 10 + 4 * rnd], rnd))
        with caplog.at_level(logging.WARNING, logger="bot.pipeline.clustering"):
            assert _pass(stage) > 0
        assert stage.backlog() == []
        # Restored from the database: the first round's stories are still open.
        assert stage.clusterer.active_story_ids()
        stage.clusterer.close()
    warnings = [r for r in caplog.records if "saved state could not be read" in r.getMessage()]
    assert len(warnings) == 1  # dropped, then saved anew: the second process resumes from it
    saved = clusterer_state.read(db)
    assert saved is not None and saved.state is not None


# ---- F3: two processes on one database ----------------------------------------------------------


def _joined_pair() -> tuple[Item, Item, Item]:
    """Two reports of one story by two outlets that join when clustered in one run, and an
    unrelated item."""
    by_story: dict[str, list[Item]] = {}
    for item in ITEMS:
        by_story.setdefault(item.story, []).append(item)
    story = next(s for s, items in by_story.items() if len({i.outlet for i in items}) >= 2)
    first, second = (
        by_story[story][0],
        next(i for i in by_story[story] if i.outlet != by_story[story][0].outlet),
    )
    other = next(i for i in ITEMS if i.story != story)
    return first, second, other


def test_a_story_another_process_clustered_is_not_lost_at_the_next_restart(
    tmp_path: Path,
) -> None:
    x, z, y = _joined_pair()
    # In one process, the follow-up joins the first report.
    control = open_database(tmp_path / "control.db")
    _insert(control, [_row(x, "x"), _row(y, "y")])
    stage = StoryClusterer(control)
    _pass(stage)
    _insert(control, [_row(z, "z", hours=1)])
    _pass(stage)
    stage.clusterer.close()
    assert _story_of(control, "z") == _story_of(control, "x")

    path = tmp_path / "news.db"
    db = open_database(path)
    service = StoryClusterer(db)
    service.warm_up(now=NOW)  # `newsdigest run`, up
    poll = StoryClusterer(open_database(path))  # `newsdigest poll` run by hand meanwhile
    _insert(db, [_row(x, "x")])
    _pass(poll)  # the poll clusters the first report and saves its state
    poll.clusterer.close()
    _insert(db, [_row(y, "y")])
    _pass(service)  # then the service clusters something else, and saves
    service.clusterer.close()

    restarted = StoryClusterer(db)
    restarted.warm_up(now=NOW)
    assert _story_of(db, "x") in restarted.clusterer.active_story_ids()
    _insert(db, [_row(z, "z", hours=1)])
    _pass(restarted)
    restarted.clusterer.close()
    assert _story_of(db, "z") == _story_of(db, "x")


def test_a_commit_after_another_process_s_is_refused_then_made_with_its_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process commits between this one's look at the token and its commit: this one
    must neither store decisions made without the other's story (the articles both read as
    unclustered would be filed twice, one event in two stories) nor save a state that misses
    it. Its batch is refused whole; its next pass takes up the database's view."""
    x, _z, y = _joined_pair()
    path = tmp_path / "news.db"
    db = open_database(path)
    one = StoryClusterer(db)
    two = StoryClusterer(open_database(path))
    one.warm_up(now=NOW)
    two.warm_up(now=NOW)
    _insert(db, [_row(y, "y")])
    writer = clusterer_state.writer
    looks = []

    def one_commits_meanwhile(db: sqlite_utils.Database) -> str | None:
        token = writer(db)
        looks.append(token)
        # `two`'s looks before its backlog is read and before its batch is decided: `one`
        # clusters `x` right after the second.
        if len(looks) == 2:
            _insert(one.db, [_row(x, "x")])
            # Drained for its side effect: `one` files `x` as the generator is consumed.
            deque(
                one.assign_in_batches([a for a in one.backlog() if a.id != y_id], set()), maxlen=0
            )
        return token

    (y_id,) = [a.id for a in two.backlog()]
    monkeypatch.setattr(clusterer_state, "writer", one_commits_meanwhile)
    with pytest.raises(ClusteredElsewhere):
        _pass(two)
    monkeypatch.setattr(clusterer_state, "writer", writer)
    assert looks[:2] == [None, None]  # `two` read its backlog and began its batch before `one`
    assert two.backlog() != []  # nothing of its batch stored
    saved = clusterer_state.read(db)
    assert saved is not None and saved.state is not None  # `one`'s, with `x`'s story
    assert _pass(two) > 0  # the next pass, with `x`'s story known
    assert two.backlog() == []
    one.clusterer.close()
    two.clusterer.close()

    restarted = StoryClusterer(db)
    restarted.warm_up(now=NOW)
    assert _story_of(db, "x") in restarted.clusterer.active_story_ids()
    assert _story_of(db, "y") in restarted.clusterer.active_story_ids()


def test_a_saved_story_whose_articles_were_pruned_is_not_kept(tmp_path: Path) -> None:
    db = open_database(tmp_path / "news.db")
    _insert(db, _rows(ITEMS[:8]))
    first = StoryClusterer(db)
    _pass(first)
    first.clusterer.close()
    gone = first.clusterer.active_story_ids()[0]
    with transaction(db):  # as a prune would (the window is shorter than any retention, but)
        db.execute("DELETE FROM articles WHERE story_id = ?", [gone])
    again = StoryClusterer(db)
    again.warm_up(now=NOW)
    assert gone not in again.clusterer.active_story_ids()
    _insert(db, _rows(ITEMS[8:10], 1))
    _pass(again)
    saved = clusterer_state.read(db)
    assert saved is not None and saved.stories == again.clusterer.open_stories()
    assert gone not in {sid for sid, _ in saved.stories}
