"""The TL;DR: 2-3 extractive bullets, at most 55 words in total, chosen by cross-outlet consensus.

Each word of the story gets the chance that a neutral summary uses it (`wordmodel`: cross-outlet
consensus, titles, leads, position, names, background rarity). A beam search (`candidates`) over
combinations of the best sentences, each compressed or cut at a clause, ranks TL;DRs by their
expected word overlap with a neutral summary; a reranker (`rerank`) then picks among its best
few dozen with candidate-level evidence: ROUGE-like overlap with the outlets' openings, coverage,
centrality, position, length.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Article, Bullet
from bot.outlets import independent_backing
from bot.summarize.candidates import (
    MAX_WORDS,
    Candidate,
    Option,
    TldrParams,
    search,
    sentence_options,
)
from bot.summarize.grounding import outlet_stems, story_evidence, supporting_outlets
from bot.summarize.rerank import StoryContext, choose, story_context
from bot.summarize.sentences import Sentence, article_sentences, content_stems
from bot.summarize.wordmodel import MAX_SENTENCES, word_probabilities


def candidate_tldrs(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    params: TldrParams | None = None,
    probs: dict[str, float] | None = None,
    by_outlet: dict[str, set[str]] | None = None,
) -> tuple[list[Candidate], StoryContext]:
    """The search's best candidates, best first by its objective, and what to rerank them with."""
    params = params or TldrParams()
    probs = probs if probs is not None else word_probabilities(articles, outlet_of)
    by_outlet = by_outlet if by_outlet is not None else outlet_stems(articles, outlet_of)
    sentences = article_sentences(list(articles), list(outlet_of), MAX_SENTENCES)
    shown = frozenset(s for article in articles for s in content_stems(article.title or ""))
    candidates = search(sentence_options(sentences, params, shown), probs, params)
    return candidates, story_context(articles, sentences, probs, by_outlet)


def select_sentences(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    params: TldrParams | None = None,
    probs: dict[str, float] | None = None,
    by_outlet: dict[str, set[str]] | None = None,
    headline: str = "",
) -> list[tuple[str, Sentence]]:
    """The bullets' texts (compressed, possibly cut at a clause) with the sentence each came from,
    in reading order (`headline`: the card's, see `reading_order`)."""
    params = params or TldrParams()
    candidates, ctx = candidate_tldrs(articles, outlet_of, params, probs, by_outlet)
    if not candidates:
        return []
    best = choose(candidates, ctx, params)
    return [(o.text, o.sentence) for o in reading_order(best.options, headline)]


def reading_order(options: Sequence[Option], headline: str) -> list[Option]:
    """The bullets in the order a reader wants them: an article's lead before its later
    sentences, and between two leads (each outlet opens on something) the one stating the event
    the headline names, so the approval comes before the doctors' reaction to it. The headline
    is the most representative of the outlets' titles; the fuller bullet breaks what ties remain.

    Position stays first: on the dev stories, ordering by headline words alone put quotes,
    photo captions and figures ahead of the sentences that say what happened.
    """
    focus = set(content_stems(headline))
    return sorted(
        options, key=lambda o: (o.sentence.position, -len(focus & o.stems), -len(o.stems))
    )


def build_tldr(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    params: TldrParams | None = None,
    probs: dict[str, float] | None = None,
    headline: str = "",
    wire_groups: Sequence[Sequence[str]] = (),
) -> list[Bullet]:
    """The bullets in reading order, the story's core moved first (see `core_first`;
    `wire_groups`: the outlets that ran one wire text, named as in `outlet_of`)."""
    by_outlet = outlet_stems(articles, outlet_of)
    picked = select_sentences(articles, outlet_of, params, probs, by_outlet, headline)
    evidence = story_evidence(articles, outlet_of, by_outlet)
    bullets = [
        Bullet(
            text=text,
            sources=supporting_outlets(
                text, sentence.outlet, articles, outlet_of, evidence=evidence
            ),
        )
        for text, sentence in picked
    ]
    return core_first(bullets, [sentence.position for _, sentence in picked], wire_groups)


def core_first(
    bullets: Sequence[Bullet], positions: Sequence[int], wire_groups: Sequence[Sequence[str]] = ()
) -> list[Bullet]:
    """`bullets` (in reading order, from sentences at `positions` in their articles) with the
    story's core first: of the bullets that open their articles, the one most independent
    sources back, the earliest of equals. The others keep their order.

    Reading order alone can open on one outlet's side detail ("shares rose 6%", 1 of 4) when
    every bullet is some outlet's lead, with the event most outlets report last; and the first
    bullet's outlet is the card's lead, whose angle is not shown. Backing is counted as the
    card's "reported by N of M" counts it, wire copy once, so one agency text run by three
    papers does not outrank a fact two outlets found on their own.

    Only leads compete: a later sentence is not promoted however many outlets carry it. On
    the dev stories promoting any bullet put quotes, background and short fragments (which the
    support check finds in other outlets most easily) ahead of the event, and cost ROUGE-L
    0.15-0.26 per subset; among leads the order's ROUGE-L is unchanged.
    """
    # Position 0: the article's first sentence. With no such bullet, nothing competes.
    leads = [i for i, position in enumerate(positions) if position == 0]
    if len(bullets) < 2 or not leads:
        return list(bullets)
    backing = {i: independent_backing(bullets[i].sources, wire_groups) for i in leads}
    # max() keeps the first of equals, so ties stay in reading order.
    core = max(leads, key=backing.__getitem__)
    return [bullets[core], *bullets[:core], *bullets[core + 1 :]]


__all__ = [
    "MAX_WORDS",
    "TldrParams",
    "build_tldr",
    "candidate_tldrs",
    "core_first",
    "select_sentences",
]
