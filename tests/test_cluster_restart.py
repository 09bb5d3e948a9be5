"""A restart takes clustering up exactly where it stopped: the same IDF statistics, the same open
stories with the same member profiles, and so the same decisions on what comes next as a bot that
never stopped. The stream is the demo's sample news (written for the project), round after round
a day apart, so stories stay open across the restart."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.cluster import analysis
from bot.cluster.online import OnlineClusterer
from bot.demo.sample_news import ITEMS, OUTLETS
from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store.database import open_database, transaction

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
ROUNDS = 5
NAMES = {o.slug: o.name for o in OUTLETS}
# Words that make one round's items news of their own day (a repeated title would be a
# duplicate), and keep the statistics moving.
DAY_WORDS = ["harvest", "tunnel", "regatta", "census", "glacier"]


def _rows() -> list[dict[str, Any]]:
    rows = []
    for rnd in range(ROUNDS):
        for i, item in enumerate(ITEMS):
            when = NOW + timedelta(days=rnd, hours=-item.hours_ago)
            extra = f" Officials also mentioned the {DAY_WORDS[(rnd + i) % len(DAY_WORDS)]}."
            rows.append(
                {
                    "source": NAMES[item.outlet],
                    "guid": f"r{rnd}-{i}",
                    "url": f"https://news.example/{rnd}/{i}",
                    "canonical_url": f"https://news.example/{rnd}/{i}",
                    "title": f"{item.title}, {DAY_WORDS[rnd]} edition",
                    "text": item.text + extra,
                    "published": when,
                    "seen_at": when,
                }
            )
    return rows


Decisions = dict[str, tuple[str, tuple[tuple[str, str], ...]]]


class Recorder:
    """Each article's decision, with stories named by the guid of the article that opened them
    (story ids are random)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.guid = {r[0]: r[1] for r in db.execute("SELECT id, guid FROM articles")}
        self.opener: dict[str, str] = {}
        self.decisions: Decisions = {}

    def watch(self, stage: StoryClusterer) -> None:
        add_many = stage.clusterer.add_many

        def recorded(articles: Any) -> Iterator[Any]:
            articles = list(articles)
            for article, decision in zip(articles, add_many(articles), strict=True):
                if decision.created:
                    self.opener.setdefault(decision.story_id, self.guid[article.id])
                name = self.opener.get
                merges = tuple(sorted((name(g, "?"), name(k, "?")) for g, k in decision.merges))
                self.decisions[self.guid[article.id]] = (name(decision.story_id, "?"), merges)
                yield decision

        stage.clusterer.add_many = recorded  # type: ignore[method-assign]


def _cluster(stage: StoryClusterer, articles: list[Any], batch: int) -> None:
    # Drained for its side effect: each batch is clustered and filed as it is consumed.
    deque(stage.assign_in_batches(articles, set(), batch_size=batch), maxlen=0)


def _forget_profiles(db: sqlite_utils.Database) -> None:
    with transaction(db):
        db.execute("DELETE FROM article_profiles")


def _profiles(clusterer: OnlineClusterer, guid: dict[str, str]) -> dict[str, Any]:
    """Open stories' members' profiles, by guid."""
    return {
        guid[doc.article_id]: doc.p
        for story in clusterer._active.values()  # the open stories a restart rebuilds
        for doc in story.members
    }


def _run(
    tmp_path: Path,
    name: str,
    cut: int | None,
    *,
    before_restart: Callable[[sqlite_utils.Database], None] | None = None,
    warming: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> tuple[Recorder, StoryClusterer]:
    """The stream clustered, the process restarted before article `cut` (None: never): the
    database changed first by `before_restart`, the new process warmed up within `warming`."""
    db = open_database(tmp_path / f"{name}.db")
    article_store.insert_new(db, _rows())
    rec = Recorder(db)
    backlog = StoryClusterer(db).backlog()
    stage = StoryClusterer(db)
    stage.warm_up(now=NOW)
    rec.watch(stage)
    _cluster(stage, backlog[: cut or len(backlog)], batch=10)
    if cut is not None:
        stage.clusterer.close()
        # A new process: only what the database holds carries over.
        if before_restart is not None:
            before_restart(db)
        stage = StoryClusterer(db)
        with warming():
            stage.warm_up(now=backlog[cut - 1].seen)
        rec.watch(stage)
        _cluster(stage, backlog[cut:], batch=10)
    return rec, stage


@pytest.mark.parametrize("cut", [45, 77, 120])
def test_a_restarted_clusterer_goes_on_as_one_that_never_stopped(tmp_path: Path, cut: int) -> None:
    continuous, one = _run(tmp_path, "continuous", None)
    restarted, two = _run(tmp_path, "restarted", cut)
    assert len(continuous.decisions) == ROUNDS * len(ITEMS)
    # Exactly the same weights: every article ever clustered counts, not only the open stories'.
    after, before = two.clusterer.state(), one.clusterer.state()
    assert after is not None and before is not None
    assert two.clusterer._stats.counts() == one.clusterer._stats.counts()
    # The same open stories, least recently touched first, with their members in order.
    named = [[restarted.guid[a] for a in members] for _sid, members in two.clusterer.open_stories()]
    assert named == [
        [continuous.guid[a] for a in members] for _sid, members in one.clusterer.open_stories()
    ]
    assert _profiles(two.clusterer, restarted.guid) == _profiles(one.clusterer, continuous.guid)
    assert restarted.decisions == continuous.decisions


def test_without_a_saved_state_the_window_s_stories_are_still_restored(tmp_path: Path) -> None:
    """A database from before the state was saved (or a crash amid a big batch): the stories of
    the window come back, weighed anew, and new reports still join them."""
    db = open_database(tmp_path / "old.db")
    rows = _rows()[: len(ITEMS)]
    article_store.insert_new(db, rows)
    stage = StoryClusterer(db)
    _cluster(stage, stage.backlog(), batch=10)
    with transaction(db):
        db.execute("DELETE FROM service_state")
        db.execute("DELETE FROM article_weights")
    later = StoryClusterer(db)
    restored = later.warm_up(now=NOW)
    assert restored == len(stage.clusterer.active_story_ids()) > 0
    assert sorted(later.clusterer.active_story_ids()) == sorted(stage.clusterer.active_story_ids())


@pytest.mark.parametrize("worker", ["answers", "dies"])
def test_a_restart_shares_its_profiles_with_the_worker_and_goes_on_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: str
) -> None:
    """A big window is weighed half in the analysis worker (here every window is big): the same
    profiles and the same decisions after, and the same again when the worker fails and
    the rest is weighed inline."""
    continuous, one = _run(tmp_path, "continuous", None)
    monkeypatch.setattr(analysis, "MIN_RESUME", 1)
    started: list[analysis.Worker] = []
    real = analysis.Worker

    def recorded(*args: Any) -> analysis.Worker:
        started.append(real(*args))
        return started[-1]

    monkeypatch.setattr(analysis, "Worker", recorded)
    if worker == "dies":

        def cut_short(self: analysis.Worker) -> Any:
            raise EOFError("the text analysis worker's reply was cut short")

        monkeypatch.setattr(real, "recv", cut_short)
    # A database of an older version, which kept no profiles: the text is read again.
    restarted, two = _run(tmp_path, "restarted", 77, before_restart=_forget_profiles)
    assert started  # the restart's profiles were shared with a worker
    assert _profiles(two.clusterer, restarted.guid) == _profiles(one.clusterer, continuous.guid)
    assert restarted.decisions == continuous.decisions


def _no_text(*args: Any) -> Any:
    raise AssertionError("an article's text was profiled again at the restart")


@contextmanager
def _text_unread() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis, "raw_profile", _no_text)
        yield


def test_a_restart_weighs_the_profiles_kept_and_reads_no_text(tmp_path: Path) -> None:
    """Each clustered article keeps what its text yielded: a restart weighs that with its IDF,
    reading no text, and goes on exactly as a process that never stopped."""
    continuous, one = _run(tmp_path, "continuous", None)
    restarted, two = _run(tmp_path, "restarted", 77, warming=_text_unread)
    assert _profiles(two.clusterer, restarted.guid) == _profiles(one.clusterer, continuous.guid)
    assert restarted.decisions == continuous.decisions


def _spoil_some(db: sqlite_utils.Database) -> None:
    """Of the profiles kept: one in three gone (an older version kept none), one in three of
    other analysis code (its fingerprint), and one cut short."""
    rows = db.execute("SELECT article_id, profile FROM article_profiles ORDER BY 1").fetchall()
    assert len(rows) > 6
    with transaction(db):
        for i, (article_id, profile) in enumerate(rows):
            if i % 3 == 0:
                db.execute("DELETE FROM article_profiles WHERE article_id = ?", [article_id])
            elif i % 3 == 1:
                other = bytes([profile[0] ^ 1]) + profile[1:]
                db.execute(
                    "UPDATE article_profiles SET profile = ? WHERE article_id = ?",
                    [other, article_id],
                )
        db.execute(
            "UPDATE article_profiles SET profile = substr(profile, 1, 20) WHERE article_id = ?",
            [rows[2][0]],
        )


def test_articles_without_a_readable_profile_are_read_from_their_text(tmp_path: Path) -> None:
    continuous, one = _run(tmp_path, "continuous", None)
    restarted, two = _run(tmp_path, "restarted", 77, before_restart=_spoil_some)
    assert _profiles(two.clusterer, restarted.guid) == _profiles(one.clusterer, continuous.guid)
    assert restarted.decisions == continuous.decisions


def test_only_the_open_stories_articles_keep_their_profiles(tmp_path: Path) -> None:
    """A restart reads back only the open stories' members: a story closed forgets its
    articles' profiles, and an article deleted (a prune) takes its own with it."""
    _rec, stage = _run(tmp_path, "continuous", None)
    db = stage.db

    def kept() -> set[str]:
        return {r[0] for r in db.execute("SELECT article_id FROM article_profiles")}

    def members(clusterer: OnlineClusterer) -> set[str]:
        return {a for _sid, ids in clusterer.open_stories() for a in ids}

    assert kept() == members(stage.clusterer)
    # Days later, one report: every story of the stream leaves the window.
    later_rows = [
        dict(r, guid=f"late-{i}", url=f"https://news.example/late/{i}")
        for i, r in enumerate(_rows()[:2])
    ]
    for i, row in enumerate(later_rows):
        row["canonical_url"] = row["url"]
        row["published"] = row["seen_at"] = NOW + timedelta(days=ROUNDS + 3, minutes=i)
    article_store.insert_new(db, later_rows)
    del stage.clusterer.add_many  # the recorder's: these are not the stream's
    _cluster(stage, stage.backlog(), batch=10)
    late = {r[0] for r in db.execute("SELECT id FROM articles WHERE guid LIKE 'late-%'")}
    assert kept() == members(stage.clusterer) == late
    gone = sorted(late)[0]
    with transaction(db):
        db.execute("DELETE FROM articles WHERE id = ?", [gone])
    assert (
        db.execute("SELECT 1 FROM article_profiles WHERE article_id = ?", [gone]).fetchone() is None
    )
    # A save that rewrites the open stories whole (a restart that found no saved state) keeps
    # the profiles of none but their members.
    with transaction(db):
        db.execute("DELETE FROM service_state")
        db.execute("INSERT INTO article_profiles SELECT id, x'00' FROM articles LIMIT 5")
    restored = StoryClusterer(db)
    restored.warm_up(now=NOW + timedelta(days=ROUNDS + 3))
    with transaction(db):
        restored._save()
    assert kept() == members(restored.clusterer) == late - {gone}
