"""Which of the search's candidate TL;DRs to ship: a linear model of each candidate's ROUGE-1.

The beam search scores a candidate by one number, the expected overlap of its words with a
neutral summary. Other evidence says which candidate a reader (and the reference) would prefer:
how much of the cross-outlet consensus and the titles it covers, whether its sentences are
central to the story (LexRank-style), how far down their articles they sit, how much the
compressor cut, repetition between bullets, length. `bench/train_summary_model.py` fits the
weights on NeuS train to predict each candidate's ROUGE-1 F1 within its story; they live in
`_rerank_weights.py` (numbers only).

The strongest single cue is a ROUGE-like overlap of the candidate's words, stopwords and repeats
included, with each article's opening: the outlets' own text is the best stand-in for the unseen
reference, and the set-of-stems features cannot see how a bullet reads word by word.

The linear model is at a plateau, not short of data: fitted on all of NeuS train it picks no
better there than out of fold (40.29 vs 40.32 ROUGE-1), and nearly all of the gap to the oracle
is which sentences to use, not which cut of them (best cut of the picked sentences: +0.5; best
sentence set: +5.2). Measured on NeuS train (5-fold CV, 40.32 as shipped) and not kept, all
within +-0.1 or worse: minimum-Bayes-risk consensus among the candidates as a feature
(40.25-40.31) or as the decision rule (39.6-40.3); pseudo-references from each outlet's title and
first two sentences, from all titles, or from openings of 30/60/200 words (mean, max, others
only); an expected-count reference pooled from all openings; expected stopword matches from
reference statistics; a supervised sentence scorer; whether a lead sentence is used uncut, and
how many bullets are cut; probability-weighted redundancy and each bullet's novel word mass;
per-story z-scored, ranked or quadratic features; targets relative to the story's best,
z-scored, pairwise (ridge, logistic) or weighted toward the top; training on 48 candidates per
story; direct search of the weights for the picked ROUGE; boosted trees on the ridge's residual;
a length bonus at decision time (longer picks score lower).

Measured later (NeuS train 5-fold CV, 40.04 in that run; dev: NeuS / AllSides / Multi-News
39.97 / 37.76 / 24.72 as shipped) and not kept. The candidates hold nearly all there is: the
best 2-3 bullets of any sentences and cuts score 45.6 on train (48.5 with one-bullet TL;DRs)
against 45.1 for the best candidate and 39.7 for the pick, and the pool never binds (NeuS stories
have about 6 usable sentences, the oracle's all in the top 11); the pick holds the best
candidate's sentence set in 35% of stories. Tried: each bullet's outlet's agreement, the mean
ROUGE-1 of its article's opening with the other openings (CV 40.15; dev 40.08 / 37.77 / 24.70),
or as word shares (40.06); the worst and best bullet's peer support, centrality, word
probability and agreement instead of means (40.01-40.11); length against the story's size (NeuS
references run ~35 words when the sources total under 160, ~80 above), as features
(40.02-40.08) or as the search's `target_words` scaled to the source (39.95-40.04); candidates
from every 2-3 sentence set of the best 10, each cut as the objective likes (39.91); choosing
the sentence set by the mean or top two of its cuts' scores (39.92-40.05); predicting which
outlet's opening the reference follows (the right one's ~50 words score 44.2) from 15 surface
cues, weekday, quotes, loaded verbs, first person, title case, length (38.4, against 38.3 for
agreement alone). Allowing a one-bullet TL;DR gave dev 41.05 / 37.75 / 24.50 (64 of 307 NeuS
cards one bullet, 18 now), and only where the sources total under 160 words 40.46 / 37.76 /
24.58: not kept, as the card promises 2-3 bullets and Multi-News lost 0.22 and 0.14.

Measured in session 22 (NeuS train 5-fold CV, 40.04 refit without it; dev NeuS / AllSides /
Multi-News 39.94 / 37.74 / 24.88, shipped weights 39.92 / 37.74 / 24.98) and not kept: a small
sentence-embedding model (all-MiniLM-L6-v2, numpy, 64 tokens) as rerank evidence. Each candidate's
embedding centrality among the pool's or all of the story's sentences, cosine to the pool's, the
story's or the openings' mean embedding, coverage of the titles, of each outlet's opening, of the
story's sentences (facility location) and of its 3 k-means clusters, agreement with the other
outlets' titles or openings, bullet-bullet redundancy, consensus among the 24 candidates (CV
39.95-40.10; dev NeuS 39.83-40.05, AllSides 37.66-37.77, Multi-News 24.86-25.07, one at a time or
all together); the candidate's mean embedding less the pool centroid as 384 extra features (CV
39.84-40.08; dev at best 39.95 / 37.81 / 25.04); a ridge sentence scorer on embeddings predicting
each sentence's ROUGE-1 precision (CV 39.98-40.07; dev 39.87-39.93 / 37.70-37.74 / 24.91-25.04).
Random unit vectors in the same features move dev NeuS as much (39.80-39.98). The embeddings track
a candidate's ROUGE-1 within its story (correlation 0.06-0.33; lexical centrality 0.30, pseudo_f1
0.46) but hardly what this model gets wrong (at most 0.03): the word-overlap features already hold
what they know. They cost 0.2-0.9 s of CPU a story, 7-16 times the summariser, and a 90 MB model.

Measured in session 24 against a refit without the change (a refit alone moves dev from the
shipped 39.92 / 37.74 / 25.17 to 39.94 / 37.74 / 25.07; NeuS train CV over all 2,452 stories,
`--every-story`, 40.08, since a new pool gives some stories their first candidates) and not kept:
the outlets' titles as candidate bullets (cleaned as the headline is, with a full stop, title-cased
ones left out), a count of title bullets as a feature. All titles: CV 40.37, dev 40.59 / 38.06 /
25.07, but the card's own headline then sits under itself as a bullet, and titles that ask, quote
or editorialise become bullets; with the shipped weights 40.44 / 37.98 / 25.17 and ROUGE-L 0.4
lower on NeuS and AllSides. Without the card's headline: CV 40.13, dev 40.43 / 37.92 / 25.09;
without it nor titles holding a quotation mark, "?", "!", "|" or a second sentence: CV 40.06,
dev 40.33 / 37.80 / 25.08; only titles reading as a plain report (a finite verb, no colon, the
headline's `badness` 0): dev 40.20 / 37.73 / 25.15. The gain is the headline's own words, which
the card already shows. Nor the compressor's trailing attributions taken again once an aside is
dropped (", NBC News reported Tuesday, citing officials."): CV 40.03 against 40.04, dev 39.96 /
37.74 / 25.06, the best candidate unchanged (`compress` and `variants` already free those
words); nor "It's" charged as a dangling pronoun (dev 39.90 / 37.74 / 25.12, 3 NeuS cards).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.models import Article
from bot.summarize._rerank_weights import RERANK_WEIGHTS
from bot.summarize.candidates import Candidate, Option, TldrParams
from bot.summarize.sentences import Sentence, content_stems, stem
from bot.textutil import fold

RERANK_FEATURES: tuple[str, ...] = (
    "value",
    "prob_sum",
    "prob_mean",
    "top_mass",
    "f1_short",
    "f1_long",
    "n_words",
    "three_bullets",
    "title_cov",
    "consensus_cov",
    "consensus_share",
    "numbers",
    "redundancy",
    "position",
    "has_lead",
    "compression",
    "centrality",
    "articles_used",
    "cost",
    "stop_ratio",
    "title_prec",
    "peer_prec",
    "lead_cov",
    "pseudo_f1",
    "title_recall",
    "pseudo_f1_others",
)
_TOP_WORDS = 20
_PEER_SENTENCES = 3
# How much of each article stands in for the reference: its opening carries the story, and a
# whole long article (Multi-News) would reward wordy background (120 tuned on NeuS train).
_PSEUDO_WORDS = 120
# Letters and digits of any script, on folded text: the same tokens as ROUGE on English, and
# accented or non-Latin words stay whole instead of falling apart into fragments or vanishing.
_TOKEN_RE = re.compile(r"[^\W_]+")


@dataclass(slots=True)
class StoryContext:
    """What every candidate of one story is measured against, computed once."""

    probs: dict[str, float]
    titles: set[str]
    consensus: set[str]
    top_mass: float
    sentences: list[Sentence]
    # Per article, the content stems of its title and first sentences: what each outlet leads
    # with, to measure how far other outlets back a bullet.
    peers: list[set[str]] = field(default_factory=list)
    leads: set[str] = field(default_factory=set)
    centrality: dict[int, float] = field(default_factory=dict)
    # `_peer_support` by option's id, with the option.
    peer_support: dict[int, tuple[Option, float]] = field(default_factory=dict)
    # Word bags (every token, stemmed, as ROUGE counts them) of each article's
    # title and opening (by article index; empty when it has no text), of all titles together,
    # and per option or sentence text (filled lazily).
    openings: list[Counter[str]] = field(default_factory=list)
    opening_sizes: list[int] = field(default_factory=list)
    title_bag: Counter[str] = field(default_factory=Counter)
    bags: dict[str, Counter[str]] = field(default_factory=dict)


def tokens(text: str) -> list[str]:
    """Every word of the text, stemmed: ROUGE counts stopwords and repeats, so this does too."""
    return [stem(w) for w in _TOKEN_RE.findall(fold(text))]


def token_bag(text: str) -> Counter[str]:
    return Counter(tokens(text))


def _bags(text: str, ctx: StoryContext) -> Counter[str]:
    if text not in ctx.bags:
        ctx.bags[text] = token_bag(text)
    return ctx.bags[text]


def story_context(
    articles: Sequence[Article],
    sentences: list[Sentence],
    probs: dict[str, float],
    by_outlet: dict[str, set[str]],
) -> StoryContext:
    titles = {s for a in articles for s in content_stems(a.title)}
    counts: dict[str, int] = {}
    for stems in by_outlet.values():
        for word in stems:
            counts[word] = counts.get(word, 0) + 1
    consensus = {s for s, n in counts.items() if n >= 2}
    top = sorted(probs.values(), reverse=True)[:_TOP_WORDS]
    peers = [set(content_stems(a.title)) for a in articles]
    leads: set[str] = set()
    for s in sentences:
        if s.position < _PEER_SENTENCES:
            peers[s.article_index].update(s.stems)
        if s.position == 0:
            leads.update(s.stems)
    openings = [
        tokens(f"{a.title} {' '.join(a.text.split(maxsplit=_PSEUDO_WORDS)[:_PSEUDO_WORDS])}")
        for a in articles
    ]
    return StoryContext(
        openings=[Counter(words) for words in openings],
        opening_sizes=[len(words) for words in openings],
        title_bag=token_bag(" ".join(a.title for a in articles)),
        probs=probs,
        titles=titles,
        consensus=consensus,
        top_mass=max(1e-6, sum(top)),
        sentences=sentences,
        peers=peers,
        leads=leads,
    )


def _centrality(sentence: Sentence, ctx: StoryContext) -> float:
    """Mean cosine of the sentence's stem set with the story's other sentences."""
    key = id(sentence)
    if key not in ctx.centrality:
        own = sentence.stem_set
        total = 0.0
        n = 0
        for other in ctx.sentences:
            if other is sentence or not other.stems:
                continue
            theirs = other.stem_set
            total += len(own & theirs) / math.sqrt(max(1, len(own)) * len(theirs))
            n += 1
        ctx.centrality[key] = total / max(1, n)
    return ctx.centrality[key]


def _matched(ours: Counter, theirs: Counter, minus: Counter | None = None) -> int:
    """Clipped overlap of two bags, as ROUGE counts it; `minus` is first taken out of `theirs`.

    One bag's counts are looked up in the other's: `Counter.__and__` builds a new Counter each
    call, and even a set of the shared keys cost most of the rerank's time, asked of every
    article's opening for every candidate.
    """
    total = 0
    if minus is None:
        # Clipping is symmetric: walk the smaller bag.
        if len(theirs) < len(ours):
            ours, theirs = theirs, ours
        get = theirs.get
        for key, count in ours.items():
            other = get(key)
            if other is not None:
                total += count if count < other else other
        return total
    get, taken = theirs.get, minus.get
    for key, count in ours.items():
        other = get(key)
        if other is None:
            continue
        left = other - taken(key, 0)
        if left > 0:
            total += count if count < left else left
    return total


def _pseudo_rouge(options: Sequence[Option], bag: Counter[str], ctx: StoryContext) -> list[float]:
    """ROUGE-1 F1 of the candidate against each article's opening, mean; and the same with the
    candidate's own sentences taken out of their articles' openings, so what counts is how far
    the other outlets' openings agree, not that a lead matches itself. (A ROUGE-2 twin added
    nothing on NeuS train and cost a fifth of the summariser's time.)
    """
    own: dict[int, Counter[str]] = {}
    for o in options:
        own.setdefault(o.sentence.article_index, Counter()).update(_bags(o.sentence.text, ctx))
    size = sum(bag.values())
    f1 = others = 0.0
    n_f1 = n_others = 0
    for i, b in enumerate(ctx.openings):
        b_size = ctx.opening_sizes[i]
        if not b_size:
            continue
        n_f1 += 1
        f1 += 2.0 * _matched(bag, b) / (size + b_size)
        minus = own.get(i)
        rest_size = b_size - (_matched(minus, b) if minus else 0)
        if rest_size:
            n_others += 1
            others += 2.0 * _matched(bag, b, minus) / (size + rest_size)
    return [f1 / max(1, n_f1), others / max(1, n_others)]


def features(candidate: Candidate, ctx: StoryContext, params: TldrParams) -> list[float]:
    options = candidate.options
    bag: Counter[str] = Counter()
    for o in options:
        bag.update(_bags(o.text, ctx))
    pseudo_f1, pseudo_f1_others = _pseudo_rouge(options, bag, ctx)
    stems: set[str] = set()
    for o in options:
        stems |= o.stems
    n_words = sum(o.n_words for o in options)
    n_stop = sum(o.n_stop for o in options)
    n_bullets = len(options)
    prob_sum = sum(ctx.probs.get(s, 0.0) for s in stems)
    matched = prob_sum + params.stopword_hit * n_stop
    position = sum(math.log1p(o.sentence.position) for o in options) / n_bullets
    source_words = sum(o.sentence.n_words for o in options)
    return [
        candidate.value,
        prob_sum / 10.0,
        prob_sum / max(1, len(stems)),
        prob_sum / ctx.top_mass,
        2.0 * matched / (n_words + 40.0),
        2.0 * matched / (n_words + 120.0),
        n_words / params.max_words,
        1.0 if n_bullets >= 3 else 0.0,
        len(stems & ctx.titles) / max(1, len(ctx.titles)),
        len(stems & ctx.consensus) / max(1, len(ctx.consensus)),
        len(stems & ctx.consensus) / max(1, len(stems)),
        sum(1 for s in stems if s[:1].isdigit() and s in ctx.consensus) / 3.0,
        1.0 - len(stems) / max(1, sum(len(o.stems) for o in options)),
        position,
        1.0 if any(o.sentence.position == 0 for o in options) else 0.0,
        n_words / max(1, source_words),
        sum(_centrality(o.sentence, ctx) for o in options) / n_bullets,
        len({o.sentence.article_index for o in options}) / n_bullets,
        sum(o.cost for o in options) / 3.0,
        n_stop / max(1, n_words),
        len(stems & ctx.titles) / max(1, len(stems)),
        sum(_peer_support(o, ctx) for o in options) / n_bullets,
        len(stems & ctx.leads) / max(1, len(ctx.leads)),
        pseudo_f1,
        _matched(bag, ctx.title_bag) / max(1, sum(ctx.title_bag.values())),
        pseudo_f1_others,
    ]


def _peer_support(option: Option, ctx: StoryContext) -> float:
    """Share of the bullet's words that the other articles' titles and leads also use."""
    # An option is in many candidates: worked out once. Kept with the option itself, so its id
    # is not another's while the context lives.
    found = ctx.peer_support.get(id(option))
    if found is None or found[0] is not option:
        found = ctx.peer_support[id(option)] = (option, _peer_share(option, ctx))
    return found[1]


def _peer_share(option: Option, ctx: StoryContext) -> float:
    others = [p for i, p in enumerate(ctx.peers) if i != option.sentence.article_index]
    if not others or not option.stems:
        return 0.0
    return sum(len(option.stems & p) for p in others) / (len(others) * len(option.stems))


def score(row: Sequence[float]) -> float:
    return sum(w * x for w, x in zip(RERANK_WEIGHTS, row, strict=True))


def choose(candidates: Sequence[Candidate], ctx: StoryContext, params: TldrParams) -> Candidate:
    """The candidate the model expects to score best; the search's own pick without weights."""
    if not any(RERANK_WEIGHTS):
        return candidates[0]
    return max(candidates, key=lambda c: score(features(c, ctx, params)))
