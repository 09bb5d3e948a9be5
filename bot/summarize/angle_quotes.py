"""Where an angle's quote may come from: the outlet's sentences that add to its line.

`angles.py` picks an outlet's detail and makes its line; the quote under it is chosen
(`quotes.pick_quote`) from this pool: the line's own article only, never a feed's one-paragraph
description (in quotation marks an outlet's summary reads as someone's words), never the line's
sentence again or one sharing most of its words, and never a sentence that only points back at
the one before it, which as a line is skipped for the same reason (`points_back`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.sentences import content_stems, split_sentences

# A quote sentence sharing more of its content words with the line's sentence adds too little.
QUOTE_MAX_OVERLAP = 0.5


def quote_pool(
    sentence: str, article: Article, scored: Sequence[tuple[float, str, Article, list[str]]]
) -> list[tuple[float, str, Article, list[str]]]:
    """The sentences (of `scored`: novelty, sentence, article, words) a quote under the line made
    of `sentence` from `article` may come from, best first.

    Only the line's own article, whose link the angle carries: a quote from the outlet's other
    article read as said in this one. Not a feed's description: one paragraph of a sentence or
    two is the outlet's own summary, and in quotation marks it reads as someone's words. And
    never the line's sentence again, nor one sharing most of its words: the quote adds to it.
    """
    if _is_description(article):
        return []
    line_stems = set(content_stems(sentence))
    return sorted(
        (
            item
            for item in scored
            if item[2] is article
            and item[1] != sentence
            and not points_back(item[1])
            and _share(set(content_stems(item[1])), line_stems) < QUOTE_MAX_OVERLAP
        ),
        # A cut teaser owns up to its cut, but a complete sentence says more: teasers last.
        key=lambda item: (item[1].endswith(ELLIPSIS), -item[0]),
    )


# A text of one paragraph with at most this many sentences is a feed's description, not a body.
DESCRIPTION_MAX_SENTENCES = 2
# A line about the item itself under a description ("This is a photo gallery curated by our
# editors."): no paragraph of a body.
_FEED_NOTE_RE = re.compile(
    r"^(?:This|The following) (?:is an?|story|article|video|gallery|report|post)\b"
    r"|\bcurated by\b|\bphoto editors\b",
    re.IGNORECASE,
)


def _is_description(article: Article) -> bool:
    paragraphs = [p.strip() for p in article.text.split("\n") if p.strip()]
    paragraphs = [p for p in paragraphs if not _FEED_NOTE_RE.search(p)] or paragraphs
    if len(paragraphs) != 1:
        return False
    found = split_sentences(paragraphs[0], DESCRIPTION_MAX_SENTENCES + 1)
    return len(found) <= DESCRIPTION_MAX_SENTENCES


_DEMONSTRATIVES = frozenset("this that these those".split())


def points_back(sentence: str) -> bool:
    """Whether `sentence` opens on a demonstrative standing for what came before it, by a past
    tense after it ("This occurred just hours after ...", "That followed ..."): `leans_on_context`
    reads only present forms there. As a line alone, it leaves the reader asking what did."""
    words = sentence.split(maxsplit=2)
    if len(words) < 2 or words[0].casefold() not in _DEMONSTRATIVES:
        return False
    second = words[1].casefold().strip(",")
    return len(second) > 4 and second.endswith("ed")


def _share(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a))
