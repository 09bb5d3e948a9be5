"""A stored profile that carries this code's fingerprint and a checksum that holds (the checksum
is no secret) but is not what `raw_profile` gives: a damaged or forged `article_profiles` row.
It costs its own article only, read from its text, and is deleted; it used to make the weighing
raise and the whole saved state be dropped, at every restart. One claiming more items than it
has bytes is refused before marshal reserves room for them (16 GiB for a 17-byte row), nested
containers' claims counted together (684 MB for a 50 KB row of nested tuples)."""

from __future__ import annotations

import logging
import marshal
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils
import test_cluster_restart as restart

from bot.cluster.kept_raw import _bounded, fingerprint, pack_raw, unpack_raw
from bot.cluster.profile import raw_profile
from bot.cluster.settings import ClusterSettings
from bot.demo.sample_news import ITEMS
from bot.pipeline.clustering import StoryClusterer
from bot.store.database import transaction

W = ClusterSettings().features
ROOT = Path(__file__).resolve().parent.parent
TEXT = ("Ferry strike halts crossings in Tallinn", "Crews walked out on Friday.")


def forge(body: bytes) -> bytes:
    stamp = fingerprint(W)
    assert stamp is not None
    return stamp + zlib.crc32(body).to_bytes(4, "little") + body


def altered(kind: type, value: object) -> bytes:
    """What `pack_raw` stores for a real text, its first value of `kind` replaced by `value`."""
    raw = raw_profile(*TEXT, W)
    fields = list(marshal.loads(pack_raw(raw, W)[12:]))
    at = next(i for i, f in enumerate(fields) if type(f) is kind)
    fields[at] = value
    return marshal.dumps(tuple(fields), 4)


# Each a Raw's value but for one field: weighing such a value raised (TypeError, KeyError).
WRONG_INNER = altered(dict, {"t": "x"})  # a mapping to other than what the field holds
WRONG_ITEMS = altered(set, {1, 2})  # entities that are not str
WRONG_SHAPE = altered(tuple, (1, 2))
WRONG_COUNTS = altered(bytes, b"\0" * 7)  # not a whole number of doubles
TUPLE_BOMB = b"(" + struct.pack("<i", 2**31 - 1)  # 5 bytes claiming 2**31 - 1 items
LIST_BOMB = b"[" + struct.pack("<i", 2**31 - 1)
LONG_BOMB = b"l" + struct.pack("<i", 2**31 - 1)


def nested_bomb(size: int, depth: int = 1900) -> bytes:
    """`depth` tuples (marshal's limit is 2,000), each claiming about the bytes after it: every
    count fits on its own, but marshal reserves all the levels at once (684 MB for 50 KB)."""
    pad = size - 5 * depth
    heads = (b"(" + struct.pack("<i", pad + 5 * (depth - d - 1) - 1) for d in range(depth))
    return b"".join(heads) + b"N" * pad


NESTED_BOMB = nested_bomb(200_000)  # ~2.9 GB reserved


def poison(body: bytes) -> Callable[[sqlite_utils.Database], None]:
    def spoil(db: sqlite_utils.Database) -> None:
        row = db.execute("SELECT article_id FROM article_profiles ORDER BY 1 LIMIT 1").fetchone()
        with transaction(db):
            db.execute(
                "UPDATE article_profiles SET profile = ? WHERE article_id = ?",
                [forge(body), row[0]],
            )

    return spoil


def dropped_state(caplog: pytest.LogCaptureFixture) -> bool:
    return any("saved state could not be read" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "body",
    [WRONG_INNER, WRONG_ITEMS, WRONG_SHAPE, WRONG_COUNTS, TUPLE_BOMB],
    ids=["mapping", "items", "shape", "counts", "bomb"],
)
def test_a_forged_profile_costs_its_article_only(
    tmp_path: Path, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    continuous, _one = restart._run(tmp_path, "continuous", None)
    restarted, _two = restart._run(tmp_path, "restarted", 77, before_restart=poison(body))
    assert not dropped_state(caplog)
    assert restarted.decisions == continuous.decisions


def test_a_forged_profile_is_deleted_and_not_met_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _rec, stage = restart._run(tmp_path, "db", None)
    stage.clusterer.close()
    db = stage.db
    poison(WRONG_INNER)(db)
    profiles = db.execute("SELECT count(*) FROM article_profiles").fetchone()[0]
    caplog.set_level(logging.WARNING)
    StoryClusterer(db).warm_up()
    assert not dropped_state(caplog)
    assert any("1 stored article profiles were damaged" in r.getMessage() for r in caplog.records)
    forged = db.execute(
        "SELECT count(*) FROM article_profiles WHERE profile = ?", [forge(WRONG_INNER)]
    )
    assert forged.fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM article_profiles").fetchone()[0] == profiles - 1
    caplog.clear()
    StoryClusterer(db).warm_up()
    assert not dropped_state(caplog)
    assert not [r for r in caplog.records if "profiles were damaged" in r.getMessage()]


@pytest.mark.parametrize(
    "body",
    [TUPLE_BOMB, LIST_BOMB, LONG_BOMB, NESTED_BOMB],
    ids=["tuple", "list", "long", "nested"],
)
def test_a_value_claiming_more_items_than_its_bytes_is_not_unmarshalled(
    tmp_path: Path, body: bytes
) -> None:
    """In a process allowed 1 GiB of address space: marshal would ask for 16 GiB (a tuple's
    room is zeroed, every page of it touched: out of memory at every start), or for the nested
    bomb ~2.9 GB."""
    assert not _bounded(body)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from bot.cluster.kept_raw import unpack_raw\n"
        "from bot.cluster.settings import ClusterSettings\n"
        "print(unpack_raw(bytes.fromhex(sys.stdin.read()), ClusterSettings().features))\n"
    )
    done = subprocess.run(  # on stdin: the nested bomb is beyond one argument's 128 KiB
        [sys.executable, "-c", code],
        input=forge(body).hex(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "None\n", "")


def test_what_pack_raw_writes_is_within_bounds() -> None:
    for item in ITEMS:
        raw = raw_profile(item.title, item.text, W)
        packed = pack_raw(raw, W)
        assert _bounded(packed[12:])
        assert unpack_raw(packed, W) == raw
    # A long headline's shape (over 255 words) is a tuple with a count of four bytes.
    raw = replace(raw_profile(*TEXT, W), shape=("w",) * 300)
    packed = pack_raw(raw, W)
    assert _bounded(packed[12:]) and unpack_raw(packed, W) == raw


def test_a_term_with_the_separator_stores_nothing() -> None:
    raw = raw_profile(*TEXT, W)
    assert pack_raw(replace(raw, title={"a\0b": 1.0}), W) == b""
