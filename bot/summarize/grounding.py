"""Checks that tie generated words back to the sources: support, verbatim quotes, entities, numbers.

The extractive writer is grounded by construction, but it still needs to know which outlets back
each bullet ("reported by 4 of 6"); the LLM writer is not grounded at all, so everything it names
or counts is checked here against the articles before it may reach a card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.models import Article
from bot.summarize.sentences import content_stems
from bot.textutil import fold, squash_spaces

# Share of a bullet's key content words an outlet must carry to count as reporting it.
SUPPORT_SHARE = 0.5
ELLIPSIS = "…"


def outlet_stems(articles: Sequence[Article], outlet_of: Sequence[str]) -> dict[str, set[str]]:
    by_outlet: dict[str, set[str]] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        by_outlet.setdefault(outlet, set()).update(
            content_stems(f"{article.title}\n{article.text}")
        )
    return by_outlet


def supporting_outlets(
    text: str,
    origin: str | None,
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    share: float = SUPPORT_SHARE,
    by_outlet: dict[str, set[str]] | None = None,
) -> list[str]:
    """Outlets whose text carries at least `share` of `text`'s content words, origin first.

    Content words rather than whole sentences, because outlets paraphrase: "ruled police were
    entitled to immunity" and "sided with officers seeking immunity" report the same fact.
    """
    key = set(content_stems(text))
    by_outlet = by_outlet if by_outlet is not None else outlet_stems(articles, outlet_of)
    result: list[str] = [origin] if origin in by_outlet else []
    if not key:
        return result
    for outlet, stems in by_outlet.items():
        if outlet not in result and len(key & stems) / len(key) >= share:
            result.append(outlet)
    return result


def _norm_for_match(text: str) -> str:
    """Normalise only spacing and quote glyphs: verbatim means same words, same case, same order.

    Feeds and models disagree on straight vs curly quotes and on line breaks, which is not a
    change of wording; a change of case or spelling is.
    """
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return squash_spaces(text)


def _fold_for_match(text: str) -> str:
    """Case- and accent-insensitive form, for finding names and numbers in the sources."""
    return squash_spaces(fold(_norm_for_match(text)))


def strip_ellipsis(quote: str) -> str:
    return quote.strip().strip(ELLIPSIS).strip().removesuffix("...").strip()


def _bounded(needle: str) -> re.Pattern[str]:
    """`needle` as a pattern that may not start or end inside a word of the text searched.

    A plain substring test takes "wner was arr" as a quote of "owner was arrested" and "Ann" as a
    name found in "announcement". The guard applies only where the needle itself starts or ends
    with a word character, so quotes opening on a quotation mark still match.
    """
    head = r"(?<!\w)" if needle[:1].isalnum() or needle[:1] == "_" else ""
    tail = r"(?!\w)" if needle[-1:].isalnum() or needle[-1:] == "_" else ""
    return re.compile(head + re.escape(needle) + tail)


def is_verbatim(quote: str, source_text: str) -> bool:
    """Whether `quote`, minus any trimming ellipses, appears word for word in `source_text`,
    starting and ending on word boundaries of that text."""
    core = _norm_for_match(strip_ellipsis(quote))
    if not core:
        return False
    return _bounded(core).search(_norm_for_match(source_text)) is not None


# Capitalised token sequences ("Preferred Networks", "U.S.", "NEC") that are not sentence starts.
_ENTITY_RE = re.compile(r"(?<![\w'’])(?:[A-Z][\w'’&.-]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’&.-]*)*")
_NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;]\s+|[\"“(]\s*)$")
# Words often capitalised for reasons other than being a name.
_COMMON_CAPS = frozenset(
    """
    the a an this that these those it its he she they we i in on at for and but or of to by with
    from as after before while when where what why how who which adds names puts surfaces
    confirms notes says reports frames focuses quotes highlights emphasises emphasizes stresses
    according also however meanwhile monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    """.split()
)


def entities(text: str) -> list[str]:
    """Named-entity-like spans: capitalised token runs, minus a sentence-initial common word."""
    found: list[str] = []
    for match in _ENTITY_RE.finditer(text):
        span = match.group(0).strip(".'’-")
        tokens = span.split()
        at_start = bool(_SENTENCE_START_RE.search(text[: match.start()]))
        while tokens and fold(tokens[0]) in _COMMON_CAPS:
            tokens = tokens[1:]
        if not tokens:
            continue
        if at_start and len(tokens) == 1 and len(span.split()) == 1 and not span.isupper():
            # A lone capitalised word opening a sentence is usually just the first word.
            continue
        found.append(" ".join(tokens))
    return found


def numbers(text: str) -> list[str]:
    return [m.group(0).rstrip(".,") for m in _NUMBER_RE.finditer(text)]


def _number_forms(value: str) -> set[str]:
    plain = value.replace(",", "")
    return {value, plain}


def ungrounded(text: str, sources: Iterable[str]) -> list[str]:
    """Entities and numbers of `text` that no source contains: evidence of invention."""
    corpus = _fold_for_match(" ".join(sources))
    corpus_numbers = {form for n in numbers(corpus) for form in _number_forms(n)}
    missing: list[str] = []
    for entity in entities(text):
        if not _bounded(_fold_for_match(entity)).search(corpus):
            missing.append(entity)
    for number in numbers(text):
        if not (_number_forms(number) & corpus_numbers):
            missing.append(number)
    return missing
