"""Topics' answers for stories already matched, so matching a story again costs a hash of its
text, not its words read and indexed again.

One story is matched many times as it waits to go out: each channel's digest, instant mode
after every poll, the queued post's check before it is sent (`bot.delivery.prepare`), its card
(`bot.runner.cards`). Each answer is kept under a fingerprint of everything matching reads
(every article's id, outlet, title, text and times, and the headline) and the query's text, so a
story that grew, an article corrected, a headline renamed or a query edited is matched afresh:
an answer is never stale. The answers are booleans, so thousands fit in little memory, where a
story's indexed words take ~50 KiB an article.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.topics.query import TopicQuery

if TYPE_CHECKING:
    from bot.models import Article

# Answers kept, least recently used dropped first: 300 stories in a digest's window times 50
# topics, with room to spare, in a few MiB.
MAX_ANSWERS = 20_000


def story_key(articles: Sequence[Article], headline: str | None) -> bytes:
    """A fingerprint of what matching reads of the story (`StoryDoc.from_articles`)."""
    fields = [(a.id, a.source, a.outlet, a.title, a.text, a.seen, a.published) for a in articles]
    # repr: unambiguous between fields, and ASCII-escapes a lone surrogate from a feed's bytes.
    return hashlib.blake2b(repr((headline, fields)).encode(), digest_size=16).digest()


@lru_cache(maxsize=1024)
def parsed(query: str) -> TopicQuery:
    """`TopicQuery.parse`, once per query text (an invalid one raises each time)."""
    return TopicQuery.parse(query)


class Answers:
    """A bounded, thread-safe map of (story key, query text) to whether the query matches."""

    def __init__(self, size: int = MAX_ANSWERS) -> None:
        self.size = size
        self._known: OrderedDict[tuple[bytes, str], bool] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, story: bytes, query: str) -> bool | None:
        with self._lock:
            found = self._known.get((story, query))
            if found is not None:
                self._known.move_to_end((story, query))
            return found

    def put(self, story: bytes, query: str, matches: bool) -> None:
        with self._lock:
            self._known[story, query] = matches
            self._known.move_to_end((story, query))
            while len(self._known) > self.size:
                self._known.popitem(last=False)

    def __len__(self) -> int:
        return len(self._known)


ANSWERS = Answers()
