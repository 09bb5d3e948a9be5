"""The TL;DR: 2-3 extractive bullets, at most 55 words in total, chosen by cross-outlet consensus.

Each word of the story gets the chance that a neutral summary uses it (`wordmodel`: cross-outlet
consensus, titles, leads, position, names, background rarity). Sentences are then picked greedily by the weight of the words they add that the bullets
already chosen do not cover (coverage-based redundancy removal), per word spent, with a prior for
sentences near the top of an article, where news writing puts the facts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Article, Bullet
from bot.summarize.compress import clause_prefixes, compress, variants
from bot.summarize.grounding import outlet_stems, supporting_outlets
from bot.summarize.sentences import Sentence, article_sentences, content_stems
from bot.summarize.wordmodel import MAX_SENTENCES, word_probabilities
from bot.textutil import STOPWORDS, words

MAX_WORDS = 55


@dataclass(frozen=True, slots=True)
class TldrParams:
    """Knobs of the sentence selector; defaults tuned on the NeuS training split."""

    max_words: int = MAX_WORDS
    max_bullets: int = 3
    min_bullets: int = 2
    min_bullet_words: int = 6
    # Credit per stopword token: ~0.54 of them match, but they do not make a summary better, and
    # a low credit keeps the selector from preferring wordy sentences (0.15 tuned on train).
    stopword_hit: float = 0.15
    # Assumed length of an ideal summary in words: the F1 denominator, so it sets how much a
    # longer TL;DR must add to be worth its words.
    target_words: float = 80.0
    # Penalties, in expected matched words, for sentences that read badly as a bullet.
    quote_cost: float = 2.0
    pronoun_cost: float = 2.0
    incomplete_cost: float = 3.0
    position_cost: float = 0.3
    # A candidate sharing more than this share of its content words with a chosen bullet is a repeat.
    max_overlap: float = 0.6
    # Only the best few sentences enter the combination search, to bound its cost.
    pool_size: int = 14
    beam_width: int = 6


@dataclass(slots=True)
class _Option:
    """One way to use a sentence: its compressed text, or that text cut at a clause boundary."""

    text: str
    sentence: Sentence
    stems: frozenset[str]
    n_words: int
    n_stop: int
    cost: float


def _cost(sentence: Sentence, text: str, params: TldrParams) -> float:
    cost = params.position_cost * math.log1p(sentence.position)
    if not sentence.complete:
        cost += params.incomplete_cost
    # Quotes are voices, not facts: a bullet should state what happened, not who said what.
    if text[:1] in "\"“‘'" or text.count('"') + text.count("“") >= 2:
        cost += params.quote_cost
    # "He said..." as a bullet leaves the reader asking who.
    if text.split()[0].casefold().strip('"“') in _DANGLING_STARTS:
        cost += params.pronoun_cost
    return cost


_DANGLING_STARTS = frozenset("he she it they them his her their this these those but".split())


def _forms(sentence: str, params: TldrParams) -> list[str]:
    """Shorter grounded forms of a compressed sentence: asides dropped, clause-boundary cuts."""
    texts: list[str] = []
    for variant in dict.fromkeys(v2 for v1 in variants(sentence) for v2 in variants(v1)):
        texts.append(variant)
        texts.extend(clause_prefixes(variant, params.max_words, params.min_bullet_words))
    # A feed excerpt cut mid-sentence ("...shot and killed after...") is only usable up to a clause.
    return [t for t in dict.fromkeys(texts) if not t.rstrip("\"'”’").endswith(("..", "…"))]


def _options(sentences: Sequence[Sentence], params: TldrParams) -> list[list[_Option]]:
    """Per source sentence, its usable forms; sentences repeated across outlets kept once."""
    out: list[list[_Option]] = []
    seen: set[str] = set()
    for sentence in sentences:
        full = compress(sentence.text)
        key = full.casefold()
        if len(full.split()) < params.min_bullet_words or key in seen:
            continue
        seen.add(key)
        forms = []
        for text in _forms(full, params):
            n_words = len(text.split())
            if n_words > params.max_words or n_words < params.min_bullet_words:
                continue
            n_stop = sum(1 for w in words(text) if w in STOPWORDS)
            stems = frozenset(content_stems(text))
            if stems:
                forms.append(
                    _Option(text, sentence, stems, n_words, n_stop, _cost(sentence, text, params))
                )
        if forms:
            out.append(forms)
    return out


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _value(combo: Sequence[_Option], probs: dict[str, float], params: TldrParams) -> float:
    """Expected unigram F1 of the bullets together: matched words over summary + ideal length."""
    stems: set[str] = set()
    n_words = n_stop = 0
    cost = 0.0
    for option in combo:
        stems |= option.stems
        n_words += option.n_words
        n_stop += option.n_stop
        cost += option.cost
    matched = sum(probs.get(s, 0.0) for s in stems) + params.stopword_hit * n_stop - cost
    return 2.0 * matched / (n_words + params.target_words)


def select_sentences(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    params: TldrParams | None = None,
    probs: dict[str, float] | None = None,
) -> list[tuple[str, Sentence]]:
    """The bullets' texts (compressed, possibly cut at a clause) with the sentence each came from.

    A small beam search over combinations of up to three of the best sentences, each in any of
    its shorter forms: it finds pairings a greedy pick misses (two medium sentences that together
    fill 55 words better than one long one) at a cost of a few thousand set unions.
    """
    params = params or TldrParams()
    probs = probs if probs is not None else word_probabilities(articles, outlet_of)
    groups = _options(article_sentences(list(articles), list(outlet_of), MAX_SENTENCES), params)
    if not groups:
        return []
    # Rank sentences by their best form's own value and search over the best few.
    groups.sort(key=lambda forms: -max(_value([f], probs, params) for f in forms))
    groups = groups[: params.pool_size]
    beams: list[tuple[float, tuple[int, ...], tuple[_Option, ...]]] = [(-math.inf, (), ())]
    best: tuple[float, tuple[_Option, ...]] = (-math.inf, ())
    for _ in range(params.max_bullets):
        grown: dict[frozenset[int], tuple[float, tuple[int, ...], tuple[_Option, ...]]] = {}
        for _, used, combo in beams:
            room = params.max_words - sum(o.n_words for o in combo)
            for g, forms in enumerate(groups):
                if g in used:
                    continue
                for form in forms:
                    if form.n_words > room or any(
                        _overlap(form.stems, o.stems) > params.max_overlap for o in combo
                    ):
                        continue
                    new = (*combo, form)
                    value = _value(new, probs, params)
                    key = frozenset((*used, g))
                    if key not in grown or value > grown[key][0]:
                        grown[key] = (value, (*used, g), new)
        if not grown:
            break
        beams = sorted(grown.values(), key=lambda b: -b[0])[: params.beam_width]
        # The card wants 2-3 bullets: a single bullet only when nothing else is usable.
        if beams[0][0] > best[0] or (len(best[1]) < params.min_bullets <= len(beams[0][2])):
            best = (beams[0][0], beams[0][2])
    ordered = sorted(best[1], key=lambda o: (o.sentence.position, -len(o.stems)))
    return [(o.text, o.sentence) for o in ordered]


def build_tldr(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    params: TldrParams | None = None,
    probs: dict[str, float] | None = None,
) -> list[Bullet]:
    picked = select_sentences(articles, outlet_of, params, probs)
    by_outlet = outlet_stems(articles, outlet_of)
    return [
        Bullet(
            text=text,
            sources=supporting_outlets(
                text, sentence.outlet, articles, outlet_of, by_outlet=by_outlet
            ),
        )
        for text, sentence in picked
    ]
