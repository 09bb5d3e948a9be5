"""A small LRU memo of what is worked out from whole article texts, bounded in entries and in
characters held.

One story's texts are split into sentences and normalised by several stages in turn (the word
model, the TL;DR's sentences, the support check, each outlet's angle, the quote check), each
doing the same work again. The bot runs for months and summarises in worker threads
(`Summarizer.asummarize`), so the memo is bounded twice: in entries, and in the characters of
the texts it keeps alive (a key pins its text: a few long texts must not hold megabytes), and
locked, so two threads never evict the same entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")


class TextMemo(Generic[V]):
    """Values keyed by a text, least recently used dropped first once either bound is passed."""

    __slots__ = ("_chars", "_entries", "_lock", "_max_chars", "_max_entries")

    def __init__(self, max_entries: int, max_chars: int) -> None:
        self._max_entries = max_entries
        self._max_chars = max_chars
        # The text, then (its value, the characters it is counted for).
        self._entries: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str) -> V | None:
        with self._lock:
            found = self._entries.get(text)
            if found is None:
                return None
            self._entries.move_to_end(text)
            return found[0]

    def put(self, text: str, value: V, chars: int) -> None:
        """Keeps `value` for `text`, counted as `chars` characters (the text's and the value's);
        one over the character bound alone is not kept."""
        if chars > self._max_chars:
            return
        with self._lock:
            old = self._entries.pop(text, None)
            if old is not None:
                self._chars -= old[1]
            self._entries[text] = (value, chars)
            self._chars += chars
            while len(self._entries) > self._max_entries or self._chars > self._max_chars:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._chars -= dropped

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def chars(self) -> int:
        return self._chars

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0
