"""Two processes clustering into one database at once (`newsdigest poll` beside `newsdigest run`,
or two polls): an article is filed once, whichever process's commit lands first, and the saved
state counts it once; and one process's decisions do not hold the other's writes. Two real
connections on one SQLite file; the news is the demo's sample (written for the project)."""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from collections.abc import Generator, Iterable
from pathlib import Path

import pytest
import sqlite_utils

from bot.cluster.online import Assignment
from bot.demo.sample_news import ITEMS
from bot.models import Article
from bot.pipeline.clustering import ClusteredElsewhere, StoryClusterer
from bot.store import articles as article_store
from bot.store import clusterer_state
from bot.store.database import open_database
from tests.test_cluster_state import NOW, _insert, _joined_pair, _pass, _row, _rows

ITEMS_FEW = ITEMS[:7]


def _filed(db: sqlite_utils.Database) -> dict[str, str | None]:
    return dict(db.execute("SELECT guid, story_id FROM articles").fetchall())


def _counts_agree(db: sqlite_utils.Database) -> None:
    """Every story's stored count is its members', and the saved state lists each article once."""
    for story_id, count in db.execute(
        "SELECT id, article_count FROM stories WHERE merged_into IS NULL"
    ).fetchall():
        members = db.execute("SELECT COUNT(*) FROM articles WHERE story_id = ?", [story_id])
        assert members.fetchone()[0] == count, story_id
    saved = [
        m
        for _s, ms in db.execute("SELECT story_id, members FROM clusterer_stories")
        for m in json.loads(ms)
    ]
    assert len(saved) == len(set(saved))


@pytest.mark.parametrize("warm", [False, True])
def test_articles_another_process_filed_after_this_one_read_them_are_not_filed_again(
    tmp_path: Path, warm: bool
) -> None:
    """The service read the backlog; a CLI poll then clustered the same articles and committed;
    the service's clusterer takes up the poll's state (its token) before its own batch, so the
    batch's token check passes: the articles must not be filed a second time."""
    x, z, y = _joined_pair()
    path = tmp_path / "news.db"
    db = open_database(path)
    service = StoryClusterer(db)
    if warm:  # the service clustered something before (its token is the saved one)
        _insert(db, [_row(y, "y")])
        _pass(service)
    _insert(db, [_row(x, "x"), _row(z, "z", hours=1)])
    read = article_store.unclustered(db)  # the service's backlog, read first
    poll = StoryClusterer(open_database(path))
    _pass(poll)
    poll.clusterer.close()
    filed = _filed(db)
    assert None not in filed.values()

    # Drained for its side effect: the service files its stale backlog as it is consumed.
    deque(service.assign_in_batches(read, set()), maxlen=0)
    service.clusterer.close()

    assert _filed(db) == filed
    _counts_agree(db)
    restarted = StoryClusterer(db)
    restarted.warm_up(now=NOW)
    members = [a for _s, ms in restarted.clusterer.open_stories() for a in ms]
    assert len(members) == len(set(members)) == (3 if warm else 2)
    restarted.clusterer.close()


def test_an_article_filed_between_the_look_and_the_commit_refuses_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However it came to be filed meanwhile, the commit files only articles without a story: the
    batch is refused whole (nothing of it stored), for the caller to read the backlog again."""
    path = tmp_path / "news.db"
    db = open_database(path)
    _insert(db, _rows(ITEMS_FEW))
    stage = StoryClusterer(db)
    stage.warm_up(now=NOW)
    other = sqlite3.connect(path, isolation_level=None)
    first = stage.backlog()[0]
    real = article_store.still_unclustered

    def filed_meanwhile(db_: sqlite_utils.Database, articles: Iterable[Article]) -> list[Article]:
        found = real(db_, list(articles))
        other.execute("UPDATE articles SET story_id = 'elsewhere' WHERE id = ?", [first.id])
        return found

    monkeypatch.setattr(article_store, "still_unclustered", filed_meanwhile)
    other.execute(
        "INSERT INTO stories (id, slug, headline, first_seen, last_updated)"
        " VALUES ('elsewhere', 'elsewhere', 'x', '2026-11-02', '2026-11-02')"
    )
    token = clusterer_state.writer(db)
    with pytest.raises(ClusteredElsewhere):
        _pass(stage)
    assert clusterer_state.writer(db) == token  # nothing saved
    filed = {k: v for k, v in _filed(db).items() if v is not None}
    assert list(filed.values()) == ["elsewhere"]
    other.close()


def test_a_batch_is_decided_before_the_write_lock_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a big backlog is clustered, another process's writes (the service's outbox, its
    look for stories changed elsewhere) wait only for each batch's stores, never for its
    decisions: a write made while the clusterer decides finds the database free."""
    path = tmp_path / "news.db"
    db = open_database(path)
    _insert(db, _rows(ITEMS_FEW))
    stage = StoryClusterer(db)
    stage.warm_up(now=NOW)
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    locked: list[str] = []
    real = stage.clusterer.add_many

    def deciding(articles: Iterable[Article]) -> Generator[Assignment, None, None]:
        for decision in real(articles):
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                locked.append(str(exc))
            yield decision

    monkeypatch.setattr(stage.clusterer, "add_many", deciding)
    _pass(stage)
    assert None not in _filed(db).values()
    assert locked == []
    other.close()


def test_the_saved_state_is_read_while_another_process_holds_the_write_lock(
    tmp_path: Path,
) -> None:
    """Taking up the other process's state (before a pass) waits for none of its batches: the
    state is read as of its last commit, and that commit's check refuses a batch decided before
    a later one."""
    path = tmp_path / "news.db"
    db = open_database(path)
    _insert(db, _rows(ITEMS_FEW))
    _pass(StoryClusterer(db))
    token = clusterer_state.writer(db)
    reader = open_database(path)
    reader.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other process, mid-batch
    try:
        saved = clusterer_state.read(reader)
        stage = StoryClusterer(reader)
        stage.warm_up(now=NOW)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert saved is not None and saved.token == token and saved.state is not None
    assert stage._token == token and stage.clusterer.active_story_ids()
    stage.clusterer.close()
