"""fold(): letters with strokes fold like accented ones; kana voicing marks are not accents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store.database import open_database
from bot.textutil import fold
from bot.topics.query import StoryDoc, TopicQuery


def matches(query: str, text: str) -> bool:
    return TopicQuery.parse(query).matches(StoryDoc(text))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("lodz", "Powódź w Łodzi: Łódź ewakuuje mieszkańców"),
        ("kilicdaroglu", "Kılıçdaroğlu konuştu"),
        ("odegaard", "Ødegaard scores twice"),
        ("dokovic", "Đoković osvojio turnir"),
        ("da nang", "Bão đổ bộ Đà Nẵng"),
        ("faergen aero", "Færgen til Ærø aflyst"),
        ("thorsson", "Þórsson"),
        ("oeuvre", "Son œuvre complète"),
        ("Łódź", "LODZ council"),  # and the other way round
    ],
)
def test_letters_with_strokes_match_their_plain_spelling(query: str, text: str) -> None:
    assert matches(query, text)


def test_kana_voicing_marks_are_not_accents() -> None:
    # バス (bus) and パス (pass) are different words, and neither is ハス (lotus).
    assert fold("バス") == "バス"
    assert fold("パスワード") == "パスワード"
    assert TopicQuery.parse("バス").describe() == "バス"
    assert not matches("バス", "パスワード流出")
    assert matches("バス", "バス事故")
    # Half-width kana with a separate voicing mark fold to the same word as full-width.
    assert fold("ﾊﾞｽ") == "バス"


def test_accents_still_fold() -> None:
    assert fold("Zürich İstanbul Straße") == "zurich istanbul strasse"


def test_keys_stored_by_an_older_fold_are_recomputed_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path)
    when = datetime(2026, 1, 5, tzinfo=UTC)
    story_store.create_story(db, "s1", "łódź-flood", "Łódź flood", when)
    row = {"source": "PAP", "guid": "g1", "title": "Powódź w Łodzi", "seen_at": when}
    assert article_store.insert_new(db, [row])
    # Pretend the keys were written by the fold of before migration 7.
    db.execute("UPDATE stories SET slug_key = 'łodz-flood'")
    db.execute("UPDATE articles SET title_key = 'powodz w łodzi'")
    db.execute("DELETE FROM schema_migrations WHERE version >= 7")
    db.close()
    upgraded = open_database(path)
    assert story_store.slug_taken(upgraded, "lodz-flood")  # folds onto the old slug
    # The same title from the same outlet an hour later is still the same article.
    again = {**row, "guid": "g2", "seen_at": datetime(2026, 1, 5, 1, tzinfo=UTC)}
    assert article_store.insert_new(upgraded, [again]) == []
