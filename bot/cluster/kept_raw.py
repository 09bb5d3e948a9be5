"""An article's `Raw` profile (what the clusterer reads from its text: term counts, entities,
figures, marks) as bytes to store with the article, and read back by the same analysis code only.

A restart's open stories were profiled again from their text: two thirds of the warm-up's CPU
(a 48-hour window of 3,047 articles on a six-month database), for every `newsdigest poll` run by
cron and at every start of the service. Stored when an article is clustered (`store/articles.
set_story`; only while its story is open, `store/article_profiles`), the warm-up reads it back
instead (20-30 us an article against 170 for the text) and weighs it with the IDF stored beside
it: the very profile the article had on arrival. That warm-up took 0.97 s of CPU, now 0.34 s.

What the text yields depends on the code that reads it, so every stored value starts with a
fingerprint of that code (the modules `raw_profile` runs and this one, as their loader reads
them, the feature weights, the stemmer in use and its version, Unicode's version): after an
upgrade that changed any of them the value is not read, and the article is profiled from its
text as before. The modules are read when this one is imported, beside the code the process
runs: read later, an upgrade that replaced the files meanwhile stamped the old code's values as
the new code's. Read through their loader, not from a path: a package installed compiled only,
or zipped, fingerprints its compiled files; one whose modules cannot be read stores no values.

The fields are marshalled, which keeps the order of every mapping (the weighing's sums and sorts
depend on it) and reads back in half the time JSON took; the fingerprint names the interpreter's
version, whose format marshal is tied to. Each field's term counts go as two values, its terms
joined and its counts as doubles, rather than two a term. Marshal trusts what it reads, and the
checksum, no secret, guards only against damage: a forged value that claims more items than it
has bytes is refused before marshal reserves room for them (`_bounded`, which the two values a
field keep to some 40 codes to walk: 7-8 us an article more than marshal alone, ~16 us in all),
and one whose items are not what `raw_profile` gives is not read (a row the warm-up cannot use
costs its article only, and is deleted: `Analysis.reweighed`). Not compressed: zlib tripled the
cost of packing, which every article clustered pays (in the analysis worker for a big batch,
where it slowed a 20,000-article stream by a fifth), to save 1 KB an article on a table that
holds only the window's.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
import sys
import unicodedata
import zlib
from array import array
from functools import lru_cache
from importlib import metadata
from typing import Any, TypeVar

import snowballstemmer

from bot.cluster.features import FeatureWeights
from bot.cluster.profile import Raw

log = logging.getLogger(__name__)

# The modules whose code decides what `raw_profile` makes of a text: `bot.cluster.profile` and
# every project module it imports, transitively (a test keeps this list equal to that closure),
# and this one, which writes and reads the values.
SOURCES = (
    "bot/cluster/_background.py",
    "bot/cluster/background.py",
    "bot/cluster/bylines.py",
    "bot/cluster/days.py",
    "bot/cluster/features.py",
    "bot/cluster/kept_raw.py",
    "bot/cluster/marks.py",
    "bot/cluster/periods.py",
    "bot/cluster/profile.py",
    "bot/cluster/specifics.py",
    "bot/text_cache.py",
    "bot/textutil.py",
)
_FINGERPRINT = 8  # bytes of the digest that lead a stored value
_HEAD = _FINGERPRINT + 4  # and a CRC-32 of the rest

T = TypeVar("T")
_MARSHAL = 4  # the format `analysis_worker` also uses; the fingerprint names the interpreter
_SEP = "\0"  # between a field's terms: never in one (`words` takes none); else nothing stored


def _stemmer() -> str:
    """The stemmer `bot.cluster.features` uses, and its version: snowballstemmer hands out
    PyStemmer's C stemmer when that is installed, its own pure-Python one otherwise."""
    kind = type(snowballstemmer.stemmer("english")).__module__.split(".")[0]
    package = "PyStemmer" if kind == "Stemmer" else "snowballstemmer"
    try:
        return f"{package} {metadata.version(package)}"
    except metadata.PackageNotFoundError:  # pragma: no cover - installed without metadata
        return f"{package} unknown"


def _code_digest() -> bytes | None:
    """A digest of the analysis code this process runs (`SOURCES`, as their loaders read them)
    and of the stemmer it uses; None when a module cannot be read (then no value is stored)."""
    digest = hashlib.sha256()
    try:
        for name in SOURCES:
            spec = importlib.util.find_spec(name.removesuffix(".py").replace("/", "."))
            get_data = getattr(spec.loader, "get_data", None) if spec is not None else None
            if spec is None or spec.origin is None or get_data is None:
                raise ImportError(f"no loader reads {name}")
            digest.update(name.encode() + b"\0" + get_data(spec.origin) + b"\0")
    except Exception as exc:  # whatever it is, clustering goes on without stored values
        log.warning(
            "the text analysis code could not be read (%s: %s): no article profiles are stored,"
            " and a restart profiles its open stories from their text",
            type(exc).__name__,
            exc,
        )
        return None
    digest.update(_stemmer().encode())
    return digest.digest()


# At import, beside the code the process runs (see the module's docstring).
_CODE = _code_digest()


@lru_cache(maxsize=4)
def fingerprint(weights: FeatureWeights) -> bytes | None:
    """What a stored value is read back with: equal only under the same analysis code. None when
    that code could not be read: nothing is stored, nothing read."""
    if _CODE is None:
        return None
    digest = hashlib.sha256(_CODE)
    extra = f"{weights!r}|{unicodedata.unidata_version}|{sys.version_info[:2]}"
    digest.update(extra.encode())
    return digest.digest()[:_FINGERPRINT]


def pack_raw(raw: Raw, weights: FeatureWeights) -> bytes:
    """`raw` as bytes for `unpack_raw` (read with the same `weights` and code). Equal `Raw`s
    may give other bytes: marshal writes what the process shares (interned strings, references)
    and sets in the order of its hash seed. Empty (nothing to store) when the analysis code
    could not be read (`fingerprint`)."""
    stamp = fingerprint(weights)
    if stamp is None:
        return b""
    # Each field's term counts as its terms joined and its counts as doubles: two values
    # rather than two a term, for `_bounded` to walk (and marshal to read) in a tenth the time.
    counts: list[str | array[float]] = []
    for field in (raw.full, raw.title, raw.lead):
        joined = _SEP.join(field)
        if joined.count(_SEP) != max(len(field) - 1, 0):
            return b""  # a term with the separator in it (none has: `words`) is not stored
        counts += (joined, array("d", field.values()))
    fields = (*counts, raw.ents, raw.nums, raw.marks, raw.ids, raw.shape, raw.byline, raw.periods)
    body = marshal.dumps(fields, _MARSHAL)
    return stamp + zlib.crc32(body).to_bytes(4, "little") + body


def stamped_here(packed: bytes, weights: FeatureWeights) -> bool:
    """Whether `packed` carries this code's fingerprint: one that does but does not read back
    (`unpack_raw`) is damaged or forged, never to be read by any version."""
    stamp = fingerprint(weights)
    return stamp is not None and packed[:_FINGERPRINT] == stamp


def unpack_raw(packed: bytes, weights: FeatureWeights) -> Raw | None:
    """The `Raw` `pack_raw` stored, or None when it was stored by other analysis code (or is not
    one): the caller profiles the text instead."""
    stamp = fingerprint(weights)
    if stamp is None or len(packed) <= _HEAD or packed[:_FINGERPRINT] != stamp:
        return None
    body = memoryview(packed)[_HEAD:]
    # The checksum keeps a damaged value from marshal; `_bounded` a crafted one (the checksum is
    # no secret) that would have it reserve memory for items the value has no bytes for.
    if zlib.crc32(body).to_bytes(4, "little") != packed[_FINGERPRINT:_HEAD] or not _bounded(body):
        return None
    try:
        (full, full_n, title, title_n, lead, lead_n, ents, nums, marks, ids, shape, byline,
         periods) = marshal.loads(body)  # fmt: skip
        return Raw(
            full=_terms(full, full_n),
            title=_terms(title, title_n),
            lead=_terms(lead, lead_n),
            ents=_strs(ents, set),
            nums=_strs(nums, set),
            marks=_sets(marks),
            ids=_sets(ids),
            shape=_strs(shape, tuple),
            byline=_typed(byline, str),
            periods=_sets(periods),
        )
    except (EOFError, ValueError, TypeError):
        return None


# What follows each marshal code (format 4, as `marshal.c` reads it; the high bit flags an object
# kept for later references): a size of its own (> 0: an int, a float, a reference, a small
# tuple's one-byte count, a dict's opening: its items follow to "0"), a one-byte length (a short
# string: -1), a four-byte length (a string or bytes: -2) or count of the items that follow (a
# tuple, list, set, frozenset: -3), a long's count of 15-bit digits (-4); 0: not a value a `Raw`
# is made of (a code object, another format's codes), refused.
_STEP = [0] * 256
for _codes, _step in (
    ("NTF0S.{", 1),
    (")", 2),
    ("ir", 5),
    ("g", 9),
    ("y", 17),
    ("zZ", -1),
    ("utaAs", -2),
    ("([<>", -3),
    ("l", -4),
):
    for _code in _codes:
        _STEP[ord(_code)] = _STEP[ord(_code) | 0x80] = _step


def _bounded(body: memoryview | bytes) -> bool:
    """Whether every length and count `body` claims fits in its bytes, and it holds none but the
    plain values a `Raw` is made of. Marshal reserves a tuple's (or list's, or long's) room from
    its count before reading any item: a 17-byte value claiming 2**31 items took 16 GiB at every
    warm-up. Each item takes a byte at least, so a count beyond the bytes left is a lie, and so
    is a sum of all the containers' counts beyond the body's bytes: nested containers are all
    reserved at once, ~2,000 levels (marshal's depth limit) each claiming the bytes after it took
    684 MB for a 50 KB row. Read as marshal reads it, one code after the other (a container's
    items follow its count), building nothing: ~5 us for the ~40 values of a 1 KB `pack_raw`."""
    end = len(body)
    i = 0
    claimed = 0  # items all the containers so far claim: each a byte of the body at least
    while i < end:
        step = _STEP[body[i]]
        if step > 0:
            if step == 2:  # a small tuple: its one-byte count
                claimed += body[i + 1] if i + 1 < end else 0
                if claimed > end:
                    return False
            i += step
        elif step == -1:
            i += 2 + (body[i + 1] if i + 1 < end else 0)
        elif step == 0:
            return False
        else:
            n = int.from_bytes(body[i + 1 : i + 5], "little", signed=True)
            if step == -4:
                n = 2 * abs(n)
            if n < 0 or n > end - i:
                return False
            if step == -3:
                claimed += n
                if claimed > end:
                    return False
            i += 5 if step == -3 else 5 + n
    return True


def _terms(joined: object, counts: object) -> dict[str, float]:
    """A field's term counts, from its terms joined and its counts as doubles (`pack_raw`)."""
    terms = _typed(joined, str).split(_SEP) if joined else []
    values = array("d")
    values.frombytes(_typed(counts, bytes))  # ValueError: not a whole number of doubles
    if len(values) != len(terms):
        raise ValueError(f"{len(terms)} terms, {len(values)} counts")
    return dict(zip(terms, values))  # noqa: B905 - the lengths were compared


def _strs(value: object, kind: type[T]) -> T:
    """A set (or frozenset, or tuple) of str."""
    items = _typed(value, kind)
    if not set(map(type, items)) <= {str}:  # type: ignore[call-overload]
        raise TypeError(f"a {kind.__name__} of other than str")
    return items


def _sets(keyed: object) -> dict[str, frozenset[str]]:
    fields: dict[str, frozenset[str]] = _typed(keyed, dict)
    for key, value in fields.items():
        _typed(key, str)
        _strs(value, frozenset)
    return fields


def _typed(value: Any, kind: type[T]) -> T:
    """`value`, checked to be of the type `raw_profile` gives the field (a value written by hand,
    or by a version whose fields differ, is not read)."""
    if not isinstance(value, kind):
        raise TypeError(f"{type(value).__name__}, not {kind.__name__}")
    return value
