"""Background document frequencies shipped with the package (numbers only, no text).

`bench/train_cluster_model.py` counts, over a separate labelled news corpus, in how many articles
each matching key (stem, entity, figure) occurs, and stores `(crc32(key), count)` pairs for keys
seen at least twice, zlib-compressed and base64-encoded in `_background.py`. Blended into the live
counts (`TermStats`), they give a sensible IDF from the very first article.
"""

from __future__ import annotations

import base64
import zlib
from array import array
from functools import lru_cache


def encode(table: dict[int, int], n_docs: int) -> str:
    keys = sorted(table)
    packed = (
        array("I", [n_docs, *keys]).tobytes()
        + array("H", [min(table[k], 65535) for k in keys]).tobytes()
    )
    return base64.b64encode(zlib.compress(packed, 9)).decode("ascii")


def decode(blob: str) -> tuple[dict[int, float], float]:
    raw = zlib.decompress(base64.b64decode(blob))
    n = (len(raw) - 4) // 6
    ints = array("I")
    ints.frombytes(raw[: 4 * (n + 1)])
    counts = array("H")
    counts.frombytes(raw[4 * (n + 1) :])
    return {k: float(c) for k, c in zip(ints[1:], counts, strict=True)}, float(ints[0])


@lru_cache(maxsize=1)
def load_background() -> tuple[dict[int, float], float] | None:
    """The shipped table, or None before the training script has produced one."""
    try:
        from bot.cluster._background import BLOB
    except ImportError:
        return None
    return decode(BLOB)
