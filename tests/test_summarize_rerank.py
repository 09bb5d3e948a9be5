"""The reranker's word-by-word overlap features: what they count and what they leave out."""

from __future__ import annotations

from bot.outlets import outlet_names
from bot.summarize.candidates import Candidate, TldrParams, sentence_options
from bot.summarize.grounding import outlet_stems
from bot.summarize.rerank import RERANK_FEATURES, features, story_context, token_bag
from bot.summarize.sentences import article_sentences, stem
from bot.summarize.wordmodel import word_probabilities
from tests.test_summarize_fixtures import harbor_bridge_story


def test_token_bag_counts_stopwords_and_repeats() -> None:
    bag = token_bag("The bridge and the bridges were closed.")
    # As ROUGE counts them: "the" twice, and "bridge"/"bridges" share a stem.
    assert bag["the"] == 2
    assert bag[stem("bridge")] == 2


def test_token_bag_keeps_accented_and_non_latin_words_whole() -> None:
    # A story from a Zürich or Athens outlet must not fall apart into "z", "rich" or vanish.
    bag = token_bag("Zürich council backs the Δελφοί plan; ZURICH votes again")
    assert bag[stem("zurich")] == 2
    assert bag["δελφοι"] == 1
    assert "rich" not in bag


def _feature_rows() -> dict[str, dict[str, float]]:
    """Per bullet text, the features of a one-bullet candidate made of it."""
    articles = harbor_bridge_story()
    outlets = outlet_names(articles)
    params = TldrParams()
    sentences = article_sentences(articles, outlets, 25)
    ctx = story_context(
        articles,
        sentences,
        word_probabilities(articles, outlets),
        outlet_stems(articles, outlets),
    )
    rows = {}
    for forms in sentence_options(sentences, params):
        option = forms[0]
        row = features(Candidate((option,), 0.0), ctx, params)
        rows[option.text] = dict(zip(RERANK_FEATURES, row, strict=True))
    return rows


def test_consensus_sentence_beats_one_outlets_aside() -> None:
    rows = _feature_rows()
    core = next(r for t, r in rows.items() if t.startswith("Millbrook closed its harbor bridge"))
    aside = next(r for t, r in rows.items() if t.startswith("Ferry operator"))
    # The event every outlet opens with overlaps the other openings; the ferry detail does not.
    assert core["pseudo_f1_others"] > aside["pseudo_f1_others"]
    assert core["pseudo_f1"] > aside["pseudo_f1"]
    assert core["title_recall"] > aside["title_recall"]


def test_own_sentence_does_not_count_as_support() -> None:
    rows = _feature_rows()
    aside = next(r for t, r in rows.items() if t.startswith("Ferry operator"))
    # Against its own article's opening the aside matches itself; the other outlets never say it.
    assert aside["pseudo_f1_others"] < aside["pseudo_f1"]
