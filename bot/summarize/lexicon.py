"""The summariser's background document frequencies, shipped as a compact blob.

`bench/train_summary_model.py` counts in how many training articles each word stem occurs
(aggregate counts only) and writes them to `_lexicon.py` as zlib-compressed, base64-encoded JSON,
so the package carries a few dozen lines of data rather than one line per stem.
"""

from __future__ import annotations

import base64
import json
import zlib


def encode(n_docs: int, table: dict[str, int]) -> str:
    payload = json.dumps({"docs": n_docs, "df": dict(sorted(table.items()))}, separators=(",", ":"))
    return base64.b64encode(zlib.compress(payload.encode("utf-8"), 9)).decode("ascii")


def decode(blob: str) -> tuple[int, dict[str, int]]:
    data = json.loads(zlib.decompress(base64.b64decode(blob)))
    return int(data["docs"]), {str(k): int(v) for k, v in data["df"].items()}


def module_text(n_docs: int, table: dict[str, int]) -> str:
    blob = encode(n_docs, table)
    lines = "".join(f'    "{blob[i : i + 180]}"\n' for i in range(0, len(blob), 180))
    return (
        '"""Background document frequencies, written by bench/train_summary_model.py; do not edit.\n\n'
        "In how many training articles each word stem occurs (aggregate counts only), encoded by\n"
        '`bot.summarize.lexicon`. Used for the word model\'s idf feature.\n"""\n\n'
        f"BLOB = (\n{lines})\n"
    )
