"""Which words of a story a neutral summary of it will use: a small logistic model.

A fact that several independent outlets report is both more likely to be the core of the story
and safer to state, so cross-outlet consensus is the strongest cue; titles and lead sentences,
early position, repetition and names add to it, while words only found inside quotes (voices,
not facts) or only in one outlet's headline (framing) count less. The weights are fitted by
`bench/train_summary_model.py` on the NeuS training split and live in `_weights.py`: feature
weights only, no vocabulary and no text.

Measured and not kept: a per-stem prior of how often training references use a stem when their
story contains it (leave-one-out counts, smoothed). It raised this model's CV AUC from 0.793 to
0.806, but the reranked TL;DR moved only +0.03 ROUGE-1 on NeuS train and +0.16 / +0.12 / -0.13
on NeuS / AllSides / Multi-News dev, each within about one standard error, for a second shipped
count table. Nor, later: the share of articles whose title and first two sentences use the stem,
and the best or mean agreement of those articles' openings with the others' (CV AUC 0.7929 ->
0.7933).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.models import Article
from bot.summarize._lexicon import BLOB as _LEXICON
from bot.summarize._weights import BIAS, WEIGHTS
from bot.summarize.lexicon import decode
from bot.summarize.sentences import content_stems, split_sentences, token_stems

# Background document counts (module globals: the training script swaps in its own).
DOCS, DOC_FREQ = decode(_LEXICON)

# Long documents (Multi-News style full articles) put the story in the first sentences anyway.
MAX_SENTENCES = 25
_TOKEN_RE = re.compile(r"[\w][\w'’.-]*[\w]|[\w]")
_QUOTE_CHARS_RE = re.compile(r"[\"“”]")

FEATURES: tuple[str, ...] = (
    "share",
    "outlets_log",
    "title_frac",
    "title_multi",
    "title_only",
    "lead_frac",
    "lead_multi",
    "tf_log",
    "tf_per_outlet",
    "name_frac",
    "number",
    "first_pos",
    "first_sent",
    "quote_frac",
    "sent_frac",
    "word_len",
    "share_x_title",
    "ctx_share",
    "ctx_title",
    "idf",
)


@dataclass(slots=True)
class _Stats:
    outlets: set[str] = field(default_factory=set)
    titles: int = 0
    leads: int = 0
    freq: int = 0
    capitalised: int = 0
    quoted: int = 0
    sentences: int = 0
    # Per article: the earliest word index and sentence index where the stem occurs.
    first_word: list[int] = field(default_factory=list)
    first_sentence: list[int] = field(default_factory=list)
    # Best consensus and title overlap of a sentence using the stem: words travel with the
    # sentence that carries the story's core.
    ctx_share: float = 0.0
    ctx_title: float = 0.0


def _gather(articles: Sequence[Article], outlet_of: Sequence[str]) -> tuple[dict[str, _Stats], int]:
    stats: dict[str, _Stats] = defaultdict(_Stats)
    n_sentences = 0
    sentence_stems: list[set[str]] = []
    # A story's words recur: each token's stems looked up once here, past `token_stems`' cache.
    token_memo: dict[str, tuple[str, ...]] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        for s in set(content_stems(article.title)):
            stats[s].titles += 1
            stats[s].outlets.add(outlet)
        seen: set[str] = set()
        word_index = 0
        for position, sentence in enumerate(split_sentences(article.text, MAX_SENTENCES)):
            n_sentences += 1
            # Odd-numbered pieces between quote marks are inside a quotation.
            pieces = _QUOTE_CHARS_RE.split(sentence)
            in_sentence: set[str] = set()
            first_token = True
            for k, piece in enumerate(pieces):
                quoted = k % 2 == 1
                for token in _TOKEN_RE.findall(piece):
                    word_index += 1
                    stems = token_memo.get(token)
                    if stems is None:
                        stems = token_memo[token] = token_stems(token)
                    if not stems:
                        first_token = False
                        continue
                    for s in stems:
                        st = stats[s]
                        st.freq += 1
                        st.outlets.add(outlet)
                        # Capitalised after the first word of a sentence: a name.
                        if not first_token and token[:1].isupper():
                            st.capitalised += 1
                        if quoted:
                            st.quoted += 1
                        in_sentence.add(s)
                        if s not in seen:
                            seen.add(s)
                            st.first_word.append(word_index)
                            st.first_sentence.append(position)
                    first_token = False
            sentence_stems.append(in_sentence)
            for s in in_sentence:
                stats[s].sentences += 1
                if position == 0:
                    stats[s].leads += 1
    n_outlets = len(set(outlet_of))
    for in_sentence in sentence_stems:
        if not in_sentence:
            continue
        share = sum(len(stats[s].outlets) - 1 for s in in_sentence) / len(in_sentence)
        share /= max(1, n_outlets - 1)
        title = sum(stats[s].titles > 0 for s in in_sentence) / len(in_sentence)
        for s in in_sentence:
            stats[s].ctx_share = max(stats[s].ctx_share, share)
            stats[s].ctx_title = max(stats[s].ctx_title, title)
    return stats, max(1, n_sentences)


def idf(stem: str) -> float:
    """Background rarity of the stem: generic news words ("week", "official") are seldom the
    point of a story. From document counts over the training articles (`_lexicon.py`); a stem
    missing from the table is rare.
    """
    return math.log((DOCS + 1) / (DOC_FREQ.get(stem, 0) + 1)) / 10.0


def word_features(
    articles: Sequence[Article], outlet_of: Sequence[str]
) -> tuple[list[str], list[list[float]]]:
    """Per content stem of the story, its feature vector (in `FEATURES` order)."""
    stats, n_sentences = _gather(articles, outlet_of)
    n_outlets = len(set(outlet_of))
    n_articles = max(1, len(articles))
    stems: list[str] = []
    rows: list[list[float]] = []
    for s, st in stats.items():
        # With one outlet there is no consensus to measure; treat every word as half-shared.
        share = (len(st.outlets) - 1) / (n_outlets - 1) if n_outlets > 1 else 0.5
        title_frac = min(st.titles, n_articles) / n_articles
        occurrences = max(1, st.freq)
        first_pos = min(st.first_word) if st.first_word else 200
        first_sent = min(st.first_sentence) if st.first_sentence else MAX_SENTENCES
        rows.append(
            [
                share,
                math.log(len(st.outlets)),
                title_frac,
                1.0 if st.titles >= 2 else 0.0,
                1.0 if st.freq == 0 else 0.0,
                min(st.leads, n_articles) / n_articles,
                1.0 if st.leads >= 2 else 0.0,
                math.log1p(st.freq),
                math.log1p(st.freq / n_outlets),
                st.capitalised / occurrences,
                1.0 if s[:1].isdigit() else 0.0,
                math.log1p(first_pos),
                math.log1p(first_sent),
                st.quoted / occurrences,
                st.sentences / n_sentences,
                min(len(s), 12) / 12,
                share * title_frac,
                st.ctx_share,
                st.ctx_title,
                idf(s),
            ]
        )
        stems.append(s)
    return stems, rows


def word_probabilities(articles: Sequence[Article], outlet_of: Sequence[str]) -> dict[str, float]:
    """For each content stem, the estimated chance that a neutral summary uses it."""
    stems, rows = word_features(articles, outlet_of)
    probs: dict[str, float] = {}
    for s, row in zip(stems, rows, strict=True):
        z = BIAS + sum(w * x for w, x in zip(WEIGHTS, row, strict=True))
        probs[s] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return probs
