"""Topics' answers for stories already matched, so matching a story again costs a hash of its
text, not its words read and indexed again.

One story is matched many times as it waits to go out: each channel's digest, instant mode
after every poll, the queued post's check before it is sent (`bot.delivery.prepare`), its card
(`bot.runner.cards`). Each answer is kept under a fingerprint of everything matching reads
(every article's id, outlet, title, text and times, and the headline) and the query's text, so a
story that grew, an article corrected, a headline renamed or a query edited is matched afresh:
an answer is never stale. The answers are booleans, so thousands fit in little memory, where a
story's indexed words take ~50 KiB an article.

Channels follow different topics (30 channels following 150 topics between them, ten each), so
an answer kept per query still left each channel's digest reading every story afresh for the
topics only it follows: its ten topics asked of each of 2,000 stories, then the next channel's
ten others. Reading the story is most of the cost, and a query asked of a story already read
costs little, so once a digest reads a story it asks it the query of every topic some channel
follows and keeps all the answers (`pipeline.digest.matching_topics`' `also`): a story version
is read once for all the channels. Topics nobody follows are not asked: they would cost every
story read and answer nothing a digest asks (a card's Follow offer asks them of the story
only until one matches, keeping none: `pipeline.digest.first_matching`). A story's answers are the set of queries asked and the set that matched; the asked
set of a batch is one object shared by every story it was asked of, so all the followed topics'
answers for a story cost about as much memory as one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from bot.topics.query import QueryError, TopicQuery

if TYPE_CHECKING:
    from bot.models import Article

# Stories whose answers are kept, least recently used dropped first: the ~2,000 stories of a busy
# digest window (eight days of 1,000 feeds) twice over, in a few MiB.
MAX_STORIES = 4096
_NONE: frozenset[str] = frozenset()


def story_key(articles: Sequence[Article], headline: str | None) -> bytes:
    """A fingerprint of what matching reads of the story (`StoryDoc.from_articles`)."""
    fields = [(a.id, a.source, a.outlet, a.title, a.text, a.seen, a.published) for a in articles]
    # repr: unambiguous between fields, and ASCII-escapes a lone surrogate from a feed's bytes.
    return hashlib.blake2b(repr((headline, fields)).encode(), digest_size=16).digest()


# Parsed queries kept besides the followed ones (`askable` keeps those, however many): queries
# asked outside a digest's set, a card's Follow offer's among them. A parsed query takes about
# 1.5 KiB, 19 KiB at the longest (`MAX_QUERY_CHARS`): 2,048 typical ones take 3 MiB.
PARSED_QUERIES = 2048

# The followed queries, parsed, of the set `askable` was last asked for: each story read asks
# every one, so an LRU smaller than them missed on every one, every story (at 2,100 followed
# queries, 2,048 kept: 54 ms a story read against 0.3). Held as long as they are followed; the
# memory is the followed queries' own, not a bound of its own (`tests/test_cache_bounds.py`).
_followed: Mapping[str, TopicQuery] = MappingProxyType({})


def parsed(query: str) -> TopicQuery:
    """`TopicQuery.parse`, once per query text (an invalid one raises each time)."""
    found = _followed.get(query)
    return found if found is not None else _parsed(query)


@lru_cache(maxsize=PARSED_QUERIES)
def _parsed(query: str) -> TopicQuery:
    return TopicQuery.parse(query)


def askable(queries: Iterable[str]) -> frozenset[str]:
    """The valid ones of `queries`, as one object for each set of them (`Answers.put_all`).
    Their parsed queries are kept for `parsed` until another set is asked for; an empty one
    (a digest of a channel with no topics, built beside another's) keeps them."""
    global _followed
    asked = tuple(sorted(set(queries)))
    if not asked:
        return frozenset()
    valid, kept = _askable(asked)
    _followed = kept
    return valid


@lru_cache(maxsize=16)
def _askable(queries: tuple[str, ...]) -> tuple[frozenset[str], Mapping[str, TopicQuery]]:
    kept: dict[str, TopicQuery] = {}
    for query in queries:
        try:
            # From the set kept before when it holds the query: one object for both sets.
            kept[query] = parsed(query)
        except QueryError:
            continue  # said by the digest of a channel that follows it (`matching_topics`)
    return frozenset(kept), MappingProxyType(kept)


class Answers:
    """A bounded, thread-safe map of a story key to the queries asked of it and those that
    matched: so of (story key, query text) to whether the query matches. Bounded by stories."""

    def __init__(self, size: int = MAX_STORIES) -> None:
        self.size = size
        self._known: OrderedDict[bytes, tuple[frozenset[str], frozenset[str]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, story: bytes, query: str) -> bool | None:
        with self._lock:
            found = self._known.get(story)
            if found is None or query not in found[0]:
                return None
            self._known.move_to_end(story)
            return query in found[1]

    def put(self, story: bytes, query: str, matches: bool) -> None:
        self.put_all(story, frozenset((query,)), frozenset((query,)) if matches else _NONE)

    def put_all(self, story: bytes, asked: frozenset[str], matched: frozenset[str]) -> None:
        """The answers of the queries `asked` of the story: `matched` those that match. Kept with
        those known already, unless `asked` holds them all: then `asked`, maybe shared with other
        stories, is kept as it is."""
        with self._lock:
            known = self._known.get(story)
            if known is not None and not known[0] <= asked:
                asked, matched = known[0] | asked, (known[1] - asked) | matched
            self._known[story] = (asked, matched or _NONE)
            self._known.move_to_end(story)
            while len(self._known) > self.size:
                self._known.popitem(last=False)

    def __len__(self) -> int:
        return len(self._known)


ANSWERS = Answers()
