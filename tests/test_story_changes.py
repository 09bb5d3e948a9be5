"""The numbers clustering commits give the stories they change (`bot.store.story_changes`): read
in commit order, each change once, another process's apart from the reader's own. Two
connections to one SQLite file, as two processes have."""

from __future__ import annotations

from pathlib import Path

from bot.app import NewsDigest
from bot.config import Config
from bot.models import Article
from bot.store import articles as article_store
from bot.store import story_changes
from bot.store.database import open_database, utcnow


def test_changes_are_read_in_commit_order_once(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    other = open_database(tmp_path / "nd.db")
    for story_id in ("s1", "s2"):
        db.execute(
            "INSERT INTO stories (id, slug, headline, first_seen, last_updated) VALUES"
            " (?, ?, 'h', '2027-01-01T00:00:00+00:00', '2027-01-01T00:00:00+00:00')",
            [story_id, story_id],
        )
    db.conn.commit()
    story_changes.record(other, ["s1", "s2"], origin="cli")
    other.conn.commit()
    stories, seq = story_changes.changed_since(db, 0, besides="run")
    assert stories == {"s1", "s2"}
    # s1 changed again, by the service itself: its new number is read past, not s1 again.
    story_changes.record(db, ["s1"], origin="run")
    db.conn.commit()
    assert story_changes.changed_since(db, seq, besides="run") == (set(), seq + 1)
    story_changes.record(other, ["s1"], origin="cli")
    other.conn.commit()
    assert story_changes.changed_since(db, seq + 1, besides="run") == ({"s1"}, seq + 2)


def store(core: NewsDigest, outlet: str, title: str) -> list[Article]:
    now = utcnow()
    row = {"source": outlet, "guid": f"{outlet}-{title}", "title": title, "seen_at": now}
    return article_store.insert_new(core.db, [row])


async def test_each_process_reads_the_others_clustered_stories_not_its_own(
    tmp_path: Path,
) -> None:
    config = Config(database=str(tmp_path / "nd.db"))
    run = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    cli = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    try:
        version = story_changes.data_version(run.db)
        start = story_changes.latest(run.db)
        store(cli, "alpha", "Harbour ferry crews end their strike")
        theirs: set[str] = set()
        await cli.cluster_backlog(theirs)
        assert theirs
        # Another connection committed: the service's look has something to read.
        assert story_changes.data_version(run.db) != version
        assert story_changes.changed_since(run.db, start, besides=run.origin)[0] == theirs
        assert story_changes.changed_since(cli.db, start, besides=cli.origin)[0] == set()

        store(run, "beta", "Mountain railway closes for summer track repairs")
        own: set[str] = set()
        await run.cluster_backlog(own)
        version = story_changes.data_version(run.db)
        found, seq = story_changes.changed_since(run.db, start, besides=run.origin)
        assert found == theirs and not own & found
        # Its own commits do not move the service's data_version.
        assert story_changes.data_version(run.db) == version
        assert story_changes.changed_since(run.db, seq, besides=run.origin) == (set(), seq)
    finally:
        run.close()
        cli.close()
