"""What an article's text yields the clusterer, stored and read back (`bot.cluster.kept_raw`):
exactly what reading the text gives, under the same analysis code only; anything else is not read
(the caller reads the text instead). Migration 45 keeps it in `article_profiles`."""

from __future__ import annotations

import ast
import marshal
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from _cluster_fixtures import event_articles

from bot.cluster import kept_raw
from bot.cluster.features import FeatureWeights
from bot.cluster.kept_raw import SOURCES, pack_raw, unpack_raw
from bot.cluster.online import OnlineClusterer
from bot.cluster.profile import raw_profile
from bot.demo.sample_news import ITEMS
from bot.store.database import open_database

ROOT = Path(__file__).resolve().parent.parent
W = FeatureWeights()

# Text written for these tests: figures, dates, a templated item, a byline, Title Case, accents,
# a lone surrogate (text decoded leniently upstream), and nothing at all.
TEXTS = [
    ("Draw 4127 results: jackpot rolls over to $1.2 billion", "The March 2026 draw, No. 4127."),
    ("Ferry Strike Halts Crossings In Tallinn - Harbour Post", "Crews walked out on Friday."),
    ("Zürich council approves €40m tram line", "Mayor Corine Mauch said 9.4% voted no."),
    ("Jobs report: 150,000 added in October", "Unemployment held at 4.1% in October 2026."),
    ("Storm \ud800 warning", "Gusts of 120 km/h expected in Brest on Tuesday."),
    ("", ""),
]


@pytest.mark.parametrize(("title", "text"), TEXTS + [(i.title, i.text) for i in ITEMS[:12]])
def test_a_stored_raw_reads_back_as_the_text_gives_it(title: str, text: str) -> None:
    raw = raw_profile(title, text, W)
    back = unpack_raw(pack_raw(raw, W), W)
    assert back == raw
    assert back is not None
    # The order of every mapping too: the weighing's sums and sorts follow it.
    assert list(back.full) == list(raw.full)
    assert list(back.title) == list(raw.title)
    assert list(back.lead) == list(raw.lead)


def test_a_raw_of_other_analysis_code_or_damaged_is_not_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = raw_profile(*TEXTS[0], W)
    packed = pack_raw(raw, W)
    # Other weights make other profiles of the same text.
    assert unpack_raw(packed, replace(W, title=3.0)) is None
    assert unpack_raw(packed[:20], W) is None
    assert unpack_raw(b"", W) is None
    damaged = bytearray(packed)
    damaged[-3] ^= 0x40
    assert unpack_raw(bytes(damaged), W) is None

    def sealed(body: bytes) -> bytes:  # under a checksum that holds
        return packed[:8] + zlib.crc32(body).to_bytes(4, "little") + body

    assert unpack_raw(sealed(packed[12:]), W) == raw
    assert unpack_raw(sealed(b"\xff\x00 no marshal data"), W) is None
    # Marshalled, but not a Raw's fields.
    assert unpack_raw(sealed(marshal.dumps(("a", "b", "c", 1, 2, 3, 4, 5, 6, 7))), W) is None
    assert unpack_raw(sealed(marshal.dumps(("a", "b"))), W) is None
    # Analysis code changed in an upgrade: its fingerprint changes, the old value goes unread.
    kept_raw.fingerprint.cache_clear()
    monkeypatch.setattr(kept_raw, "_CODE", b"other code")
    try:
        assert unpack_raw(packed, W) is None
    finally:
        kept_raw.fingerprint.cache_clear()


def _closure(start: str) -> set[str]:
    """The project's modules `start` imports, transitively, anywhere in their code."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse((ROOT / path).read_text())):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module.split(".")[0] != "bot":
                continue
            base = node.module.replace(".", "/")
            for alias in node.names:
                if (ROOT / f"{base}/{alias.name}.py").exists():
                    todo.append(f"{base}/{alias.name}.py")
                elif (ROOT / f"{base}.py").exists():
                    todo.append(f"{base}.py")
    return seen


def test_the_fingerprint_covers_every_module_the_text_analysis_runs() -> None:
    """A module `raw_profile` came to import, left out of `SOURCES`, could change what a text
    yields while stored values of the old code were still read."""
    assert set(SOURCES) == _closure("bot/cluster/profile.py") | {"bot/cluster/kept_raw.py"}


def test_migration_45_adds_the_table_to_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    db.execute("DROP TABLE article_profiles")
    db.execute("DELETE FROM schema_migrations WHERE version = 45")
    db.conn.close()
    db = open_database(path)
    assert "article_profiles" in db.table_names()
    keys = db.execute("PRAGMA foreign_key_list(article_profiles)").fetchall()
    assert [(k[2], k[3], k[4], k[6]) for k in keys] == [("articles", "article_id", "id", "CASCADE")]


def test_each_decision_carries_what_its_text_yielded_inline_and_from_the_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a restart reads back is the article's own `Raw`, whether its text was analysed here
    or ahead in the worker process (whose bytes may differ: its sets' order, its interning)."""
    from bot.cluster import analysis

    monkeypatch.setattr(analysis, "MIN_BATCH", 3)
    monkeypatch.setattr(analysis, "CHUNK", 2)
    items = [a for _, a in event_articles()]
    weights = OnlineClusterer().settings.features
    expected = [raw_profile(a.title or "", a.text or "", weights) for a in items]
    inline = OnlineClusterer()
    ahead = OnlineClusterer()
    try:
        alone = [unpack_raw(inline.add(a).raw, weights) for a in items]
        batch = [unpack_raw(d.raw, weights) for d in ahead.add_many(items)]
    finally:
        inline.close()
        ahead.close()
    assert alone == expected
    assert batch == expected
