"""Which outlets a card may credit with words it did not copy: the LLM writer's bullets and lines.

A bullet is credited to an outlet when one of that outlet's sentences carries its claim by the
rule the extractive TL;DR uses (`support.supporting_outlets`), the outlet names everyone the
bullet names, and it holds every quotation of the bullet verbatim: a name or a quote found in
some other outlet is no evidence that this one reports the claim. An angle line is attributable
to its outlet when its content words overlap that outlet's text at least as much as any other
outlet's (the measure `bench/summary_quality.py` reports for extractive angles).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Article
from bot.summarize.grounding import is_verbatim, strip_ellipsis, supporting_outlets, unnamed
from bot.summarize.quote_marks import quoted_spans
from bot.summarize.sentences import content_stems


def outlet_texts(articles: Sequence[Article], outlet_of: Sequence[str]) -> dict[str, str]:
    """Every title and text of each outlet, joined: what that outlet said about the story."""
    texts: dict[str, str] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        texts[outlet] = texts.get(outlet, "") + f"\n{article.title}\n{article.text}"
    return texts


def attributable(line: str, outlet: str, texts: dict[str, str]) -> bool:
    """Whether `line` shares as many content words with `outlet`'s text as with any other's."""
    stems = set(content_stems(line))
    own = len(stems & set(content_stems(texts[outlet])))
    return all(own >= len(stems & set(content_stems(t))) for o, t in texts.items() if o != outlet)


def quotations(text: str) -> list[str]:
    """The non-empty quoted spans of `text`, trimmed of ellipses, in any quotation marks."""
    return [core for span in quoted_spans(text) if (core := strip_ellipsis(span))]


def credited_outlets(text: str, articles: Sequence[Article], outlet_of: Sequence[str]) -> list[str]:
    """The outlets a model-written bullet may be credited to (see the module docstring), in story
    order; empty when none reports it."""
    texts = outlet_texts(articles, outlet_of)
    quotes = quotations(text)
    return [
        outlet
        for outlet in supporting_outlets(text, None, articles, outlet_of)
        if not unnamed(text, [texts[outlet]])
        and all(is_verbatim(quote, texts[outlet]) for quote in quotes)
    ]
