"""An article's `Raw` profile (what the clusterer reads from its text: term counts, entities,
figures, marks) as bytes to store with the article, and read back by the same analysis code only.

A restart's open stories were profiled again from their text: two thirds of the warm-up's CPU
(a 48-hour window of 3,047 articles on a six-month database), for every `newsdigest poll` run by
cron and at every start of the service. Stored when an article is clustered (`store/articles.
set_story`; only while its story is open, `store/article_profiles`), the warm-up reads it back
instead (20-30 us an article against 170 for the text) and weighs it with the IDF stored beside
it: the very profile the article had on arrival. That warm-up took 0.97 s of CPU, now 0.34 s.

What the text yields depends on the code that reads it, so every stored value starts with a
fingerprint of that code (the sources of the modules `raw_profile` runs, the feature weights, the
stemmer's and Unicode's versions): after an upgrade that changed any of them the value is not
read, and the article is profiled from its text as before. The fields are marshalled, which
keeps the order of every mapping (the weighing's sums and sorts depend on it) and reads back in
half the time JSON took; the fingerprint names the interpreter's version, whose format marshal
is tied to. Not compressed: zlib tripled the cost of packing, which every article clustered pays
(in the analysis worker for a big batch, where it slowed a 20,000-article stream by a fifth),
to save 1 KB an article on a table that holds only the window's.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import unicodedata
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from bot.cluster.features import FeatureWeights
from bot.cluster.profile import Raw

# The modules whose code decides what `raw_profile` makes of a text: `bot.cluster.profile` and
# every project module it imports, transitively (a test keeps this list equal to that closure).
SOURCES = (
    "bot/cluster/_background.py",
    "bot/cluster/background.py",
    "bot/cluster/bylines.py",
    "bot/cluster/days.py",
    "bot/cluster/features.py",
    "bot/cluster/marks.py",
    "bot/cluster/periods.py",
    "bot/cluster/profile.py",
    "bot/cluster/specifics.py",
    "bot/textutil.py",
)
_FINGERPRINT = 8  # bytes of the digest that lead a stored value
_HEAD = _FINGERPRINT + 4  # and a CRC-32 of the rest

T = TypeVar("T")
_MARSHAL = 4  # the format `analysis_worker` also uses; the fingerprint names the interpreter


@lru_cache(maxsize=4)
def fingerprint(weights: FeatureWeights) -> bytes:
    """What a stored value is read back with: equal only under the same analysis code."""
    root = Path(__file__).resolve().parent.parent.parent
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    try:
        stemmer = metadata.version("snowballstemmer")
    except metadata.PackageNotFoundError:  # pragma: no cover - installed without metadata
        stemmer = "unknown"
    extra = f"{weights!r}|{stemmer}|{unicodedata.unidata_version}|{sys.version_info[:2]}"
    digest.update(extra.encode())
    return digest.digest()[:_FINGERPRINT]


def pack_raw(raw: Raw, weights: FeatureWeights) -> bytes:
    """`raw` as bytes for `unpack_raw` (read with the same `weights` and code). Equal `Raw`s
    may give other bytes: marshal writes what the process shares (interned strings, references)
    and sets in the order of its hash seed."""
    fields = (
        raw.full,
        raw.title,
        raw.lead,
        raw.ents,
        raw.nums,
        raw.marks,
        raw.ids,
        raw.shape,
        raw.byline,
        raw.periods,
    )
    body = marshal.dumps(fields, _MARSHAL)
    return fingerprint(weights) + zlib.crc32(body).to_bytes(4, "little") + body


def unpack_raw(packed: bytes, weights: FeatureWeights) -> Raw | None:
    """The `Raw` `pack_raw` stored, or None when it was stored by other analysis code (or is not
    one): the caller profiles the text instead."""
    if len(packed) <= _HEAD or packed[:_FINGERPRINT] != fingerprint(weights):
        return None
    body = memoryview(packed)[_HEAD:]
    # The checksum stands between a damaged value and marshal, which trusts its input.
    if zlib.crc32(body).to_bytes(4, "little") != packed[_FINGERPRINT:_HEAD]:
        return None
    try:
        full, title, lead, ents, nums, marks, ids, shape, byline, periods = marshal.loads(body)
        return Raw(
            full=_typed(full, dict),
            title=_typed(title, dict),
            lead=_typed(lead, dict),
            ents=_typed(ents, set),
            nums=_typed(nums, set),
            marks=_sets(marks),
            ids=_sets(ids),
            shape=_typed(shape, tuple),
            byline=_typed(byline, str),
            periods=_sets(periods),
        )
    except (EOFError, ValueError, TypeError):
        return None


def _sets(keyed: object) -> dict[str, frozenset[str]]:
    fields: dict[str, frozenset[str]] = _typed(keyed, dict)
    for value in fields.values():
        _typed(value, frozenset)
    return fields


def _typed(value: Any, kind: type[T]) -> T:
    """`value`, checked to be of the type `raw_profile` gives the field (a value written by hand,
    or by a version whose fields differ, is not read)."""
    if not isinstance(value, kind):
        raise TypeError(f"{type(value).__name__}, not {kind.__name__}")
    return value
