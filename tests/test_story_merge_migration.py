"""Migration 27 on a database the previous schema made, with its renames and merges made by the
store's own code as it ran before (the merge and rename records switched off): every old name
resolves as before, `/story` says of each what the file can tell (which story it went into and
when, "what is now" when the old record cannot say), and merges after the upgrade are recorded.
Real SQLite files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import NewsDigest
from bot.store import database, story_names
from bot.store import stories as story_store
from bot.store.database import applied_migrations, transaction
from bot.store.migrations import MIGRATIONS
from tests._story_merges import FIRST, RENAMED, SECOND, add_story, news_at, note_for

THIRD = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


def _old_database(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[Any, ...]]:
    """The file as the previous version left it; what each old name resolved to there."""
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 25])
        patch.setattr(story_names, "record_merge", lambda *args: None)
        patch.setattr(story_names, "record_rename", lambda *args: None)
        core = news_at(path)
        db = core.db
        assert "story_merges" not in db.table_names()
        with transaction(db):
            for story_id, slug in [
                ("lib", "library-sundays"),
                ("hours", "library-hours"),
                ("dock", "harbour-dock-strike"),
                ("ferry", "ferry-fares-rise"),
                ("port", "port-workers-walk-out"),
                ("dome", "dome-plan"),
                ("kes", "skyforge-kestrel"),
                ("a", "aurora-seen"),
                ("b", "aurora-seen-south"),
                ("c", "aurora-storm-warning"),
            ]:
                add_story(db, story_id, slug)
            story_store.merge(db, "hours", "lib", now=FIRST)  # the one merge into lib
            story_store.merge(db, "dock", "ferry", now=FIRST)
            story_store.merge(db, "ferry", "port", now=SECOND)
            story_store.rename(db, "dome", "lunar-dome-plan", now=RENAMED)
            story_store.merge(db, "dome", "port", now=THIRD)
            story_store.rename(db, "kes", "kestrel-lands", now=RENAMED)
            story_store.merge(db, "a", "b", now=FIRST)
            story_store.merge(db, "b", "c", now=SECOND)
            # A file from before merges repointed earlier ones at the survivor: a chain.
            db.execute("UPDATE stories SET merged_into = 'b' WHERE id = 'a'")
        names = [r[0] for r in db.execute("SELECT slug FROM story_aliases ORDER BY slug")]
        before = {name: _resolved(core, name) for name in names}
        db.conn.close()
    return before


def _resolved(core: NewsDigest, name: str) -> tuple[Any, ...]:
    found = core.find_story(name)
    return (found.story.story_id if found.story else None, found.reason)


async def test_an_upgraded_database_keeps_every_old_name_and_tells_its_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _old_database(tmp_path / "nd.db", monkeypatch)
    assert len(before) == 8 and all(r == "alias" for _, r in before.values()), before

    core = news_at(tmp_path / "nd.db")

    assert 27 in applied_migrations(core.db)
    assert {name: _resolved(core, name) for name in before} == before
    notes = {name: (await note_for(core, name))[0] for name in before}
    assert notes == {
        # The only story merged into lib: it went straight there.
        "library-hours": "`library-hours` was merged into `library-sundays` on 28 Nov"
        " (it now has 2 sources)",
        # Merged into ferry, which went into port later: the old record says only port, and
        # either of the stories merged into port after it may have taken it in first.
        "harbour-dock-strike": "`harbour-dock-strike` was merged into what is now"
        " `port-workers-walk-out` on 28 Nov (it now has 4 sources)",
        "ferry-fares-rise": "`ferry-fares-rise` was merged into what is now"
        " `port-workers-walk-out` on 30 Nov (it now has 4 sources)",
        # The last one merged into port went straight there.
        "lunar-dome-plan": "`lunar-dome-plan` was merged into `port-workers-walk-out` on 30 Nov"
        " (it now has 4 sources)",
        # An earlier name, of port or of a story merged into it: the old record cannot say.
        "dome-plan": "`dome-plan` is an earlier name; it now leads to `port-workers-walk-out`",
        # kes absorbed none: its alias is its own earlier name.
        "skyforge-kestrel": "`skyforge-kestrel` was renamed `kestrel-lands` on 27 Nov",
        # A chain kept as such in an older file is followed.
        "aurora-seen": "`aurora-seen` was merged into `aurora-seen-south` on 28 Nov, then"
        " `aurora-seen-south` into `aurora-storm-warning` on 30 Nov (it now has 3 sources)",
        "aurora-seen-south": "`aurora-seen-south` was merged into `aurora-storm-warning` on"
        " 30 Nov (it now has 3 sources)",
    }

    # A merge after the upgrade is recorded, and continues the old names' history.
    with transaction(core.db):
        add_story(core.db, "news", "harbour-news")
        story_store.merge(core.db, "port", "news", now=LATER)
    note, reply = await note_for(core, "lunar-dome-plan", now=LATER)
    assert [c.story_id for c in reply.cards] == ["news"]
    assert note == (
        "`lunar-dome-plan` was merged into `port-workers-walk-out` on 30 Nov, then"
        " `port-workers-walk-out` into `harbour-news` on 1 Dec (it now has 5 sources)"
    )
    note, _ = await note_for(core, "harbour-dock-strike", now=LATER)
    assert note == (
        "`harbour-dock-strike` was merged into what is now `harbour-news` on 28 Nov"
        " (it now has 5 sources)"
    )
    core.db.conn.close()
