"""Candidate TL;DRs: combinations of up to three sentence forms, found by a small beam search.

The beam's objective (`value`, an expected unigram F1 from the word model) is a good guide but a
poor judge: on NeuS train the best of its top 24 candidates scores ~7 ROUGE-1 points above the
one it ranks first (46.5 vs 39.3). So the search returns its top few dozen distinct candidates
and `rerank` picks among them with evidence the objective cannot see (coverage, centrality,
length).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.summarize.acts import two_facts
from bot.summarize.asides import accusing
from bot.summarize.balance import run_on, unbalanced
from bot.summarize.clauses import clause_prefixes, leans_on_context, weak_endings
from bot.summarize.compress import compress, variants
from bot.summarize.finite_verbs import is_clause
from bot.summarize.grounding import figures
from bot.summarize.introduced import (
    described,
    introduces,
    is_teaser,
    leans_on_earlier,
    overtaken,
    turns_to_other_news,
    without_also,
)
from bot.summarize.restated import (
    SAME_FIGURES_SHARE,
    core_claim,
    counts_differ,
    names_differ,
    same_core,
    same_figure_restated,
    stem_overlap,
    undated,
)
from bot.summarize.same_act import retold, same_act
from bot.summarize.sentences import Sentence, before_run_on, content_stems
from bot.textutil import STOPWORDS, words

MAX_WORDS = 55
# A compressed sentence longer than this is not one a bullet can use whole, even with asides
# dropped (each drop removes a few words; the longest sentence in the evaluation data has 165):
# it is a list, a table or text without full stops. Only its opening clauses are offered.
MAX_SENTENCE_WORDS = 200
# Distinct variants (one or two asides dropped) per sentence whose clause cuts are offered; news
# sentences have at most 22, a list-like one thousands.
MAX_FORM_SOURCES = 32
# Each variant costs about its length to cut and check, so the words of a sentence's variants are
# bounded too, and those of a whole story's: on the evaluation data at most 673 per sentence and
# 4,133 per story, while 60 outlets of long comma-laden sentences would spend seconds.
MAX_VARIANT_WORDS = 1_000
MAX_STORY_VARIANT_WORDS = 12_000


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
    # A candidate sharing more than this share of its content words with a chosen bullet is a
    # repeat. At 0.6, two bullets could both open on the event ("X landed near the pole ..." and
    # "X landed near the pole, carrying ..."); 0.5 costs 0.05 ROUGE-1 on NeuS, 0.2 on AllSides.
    max_overlap: float = 0.5
    # ...or, between bullets giving the very same figures, this share (a restatement, reworded).
    max_overlap_same_figures: float = SAME_FIGURES_SHARE
    # ...or, leaving out dates and figures, this share: one event told twice dates it twice
    # ("last week", "on Saturday") and may give an age. At 0.5 it cost NeuS 0.24 ROUGE-1; at
    # 0.6 nothing on the benchmarks.
    max_overlap_undated: float = 0.6
    # Only the best few sentences enter the combination search, to bound its cost.
    pool_size: int = 14
    beam_width: int = 6
    # How many of the search's best candidates the reranker chooses from.
    n_candidates: int = 24


@dataclass(slots=True)
class Option:
    """One way to use a sentence: its compressed text, or that text cut at a clause boundary."""

    text: str
    sentence: Sentence
    stems: frozenset[str]
    n_words: int
    n_stop: int
    cost: float
    figures: frozenset[str] = frozenset()
    # The nouns of descriptions standing for what its article named before ("The agency is
    # ...", `introduced.described`) that the card's titles do not say: another bullet must,
    # before it.
    needs: tuple[str, ...] = ()


@dataclass(slots=True)
class Candidate:
    """One possible TL;DR: its bullets' forms and the search objective's value for it."""

    options: tuple[Option, ...]
    value: float


_DANGLING_STARTS = frozenset("he she it they them his her their this these those but".split())


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


def _variant_sources(sentence: str, max_words: int = MAX_VARIANT_WORDS) -> list[str]:
    """The sentence itself, then it with up to two asides dropped: at most `MAX_FORM_SOURCES`
    texts, and no more once they hold `max_words` words between them.

    Variants of variants are quadratic in a sentence's asides, and each is cut at every clause
    boundary after: a list-like sentence ("A won — B won — ..." a hundred times) would otherwise
    cost tens of seconds. First variants first, and news sentences stay far inside both bounds.
    """
    if max_words <= 0:
        return [sentence]
    sources: dict[str, None] = {}
    total = 0
    for v1 in variants(sentence):
        for v2 in variants(v1):
            if v2 in sources:
                continue
            sources[v2] = None
            total += len(v2.split())
            if len(sources) >= MAX_FORM_SOURCES or total >= max_words:
                return list(sources)
    return list(sources)


def _forms(
    sentence: str,
    params: TldrParams,
    sources: Sequence[str] | None = None,
    complete: bool = True,
) -> list[str]:
    """Shorter grounded forms of a compressed sentence: asides dropped, clause-boundary cuts.

    `sources`: the variants to cut (`_variant_sources` of the sentence by default). `complete`:
    whether the source sentence ended with its own stop (`Sentence.complete`), not one that
    `compress` added to a feed's excerpt cut short.
    """
    texts: list[str] = []
    cuts: set[str] = set()
    tokens = sentence.split()
    if len(tokens) > MAX_SENTENCE_WORDS:
        # Too long to use whole even with asides dropped: only its opening clauses, cut from the
        # first words. A cut is judged by what follows it too ("X, prosecutors said"), and a
        # window cannot see an accusation further on, so with one anywhere nothing is cut.
        if not accusing(sentence):
            window = " ".join(tokens[:MAX_SENTENCE_WORDS])
            texts = clause_prefixes(window, params.max_words, params.min_bullet_words)
            cuts.update(texts)
    else:
        for variant in _variant_sources(sentence) if sources is None else sources:
            texts.append(variant)
            prefixes = clause_prefixes(variant, params.max_words, params.min_bullet_words)
            texts.extend(prefixes)
            cuts.update(prefixes)
    # The sentence before a fragment run on past its stop ("... thinks. the truth.") is a cut.
    heads = [head for t in texts if (head := before_run_on(t))]
    texts.extend(heads)
    cuts.update(heads)
    # A feed excerpt cut mid-sentence ("...shot and killed after...", "... Costa and") is only
    # usable up to a clause; so is one running on past a stop.
    whole = set(texts) - cuts
    out = [
        t
        for t in dict.fromkeys(texts)
        if not t.rstrip("\"'”“’").endswith(("..", "…"))
        and t.split()[-1].strip(".\"'”“’").casefold() not in weak_endings(t, t in whole, complete)
        and before_run_on(t) is None
    ]
    # A shorter form must still be a sentence: cutting "X, built by Y, landed ..." after "Y" drops
    # the main verb. The whole sentence is kept even when the check doubts it: it was written so.
    if is_clause(sentence):
        out = [t for t in out if t == sentence or is_clause(t)]
    return out


def sentence_options(
    sentences: Sequence[Sentence], params: TldrParams, shown: frozenset[str] = frozenset()
) -> list[list[Option]]:
    """Per source sentence, its usable forms; sentences repeated across outlets kept once.
    `shown`: stems the card shows above the bullets (its titles'), which a description may
    stand for."""
    out: list[list[Option]] = []
    seen: set[str] = set()
    budget = MAX_STORY_VARIANT_WORDS
    for sentence in sentences:
        # "Six victims were also found dead": a bullet gives the fact without the "also", which
        # added it to a sentence the card may not show.
        plain = without_also(compress(sentence.text))
        if plain is None:
            continue
        full = plain
        key = full.casefold()
        n_full = len(full.split())
        # A run-on sentence keeps its cuts that read balanced themselves, never its whole.
        runs_on = unbalanced(full) and run_on(full)
        if (
            n_full < params.min_bullet_words
            or key in seen
            or (unbalanced(full) and not runs_on)
            or leans_on_context(full)
            or is_teaser(full)
            or leans_on_earlier(full, core_claim(full))
            or turns_to_other_news(sentence.text)
        ):
            continue
        seen.add(key)
        sources = None
        if n_full <= MAX_SENTENCE_WORDS:
            # Once the story's budget is spent, a sentence is only cut, not varied.
            sources = _variant_sources(full, min(MAX_VARIANT_WORDS, budget))
            budget -= sum(len(v.split()) for v in sources)
        forms = []
        for text in _forms(full, params, sources, sentence.complete):
            if runs_on and (text == full or unbalanced(text, whole=False)):
                continue
            n_words = len(text.split())
            if n_words > params.max_words or n_words < params.min_bullet_words:
                continue
            n_stop = sum(1 for w in words(text) if w in STOPWORDS)
            stems = frozenset(content_stems(text))
            # An article's opening sentence introduces what it describes ("The agency said ...").
            needs = described(text) if sentence.position else ()
            needs = tuple(n for n in needs if not introduces("", shown, n))
            if stems:
                forms.append(
                    Option(
                        text,
                        sentence,
                        stems,
                        n_words,
                        n_stop,
                        _cost(sentence, text, params),
                        figures(text),
                        needs,
                    )
                )
        if forms:
            out.append(forms)
    # The announcement of an event the story reports as done would contradict the report.
    drop = overtaken([(forms[0].text, forms[0].stems) for forms in out])
    return [forms for n, forms in enumerate(out) if n not in drop]


def _repeats(a: Option, b: Option, params: TldrParams) -> bool:
    """Whether two bullets say the same thing: most of their words, or the same figures in other
    words ("Nine people were killed after a 7.1 quake…" / "At least nine people died when a
    7.1-magnitude quake…", "…called a 48-hour strike" / "…will strike for 48 hours…") with a good
    share of the words besides. One bullet's figures may be a part of the other's: the restatement
    often adds one ("two days without trains"). Or one core claim in both (`same_core`: "voted
    to impeach X, ..." / "voted to remove X ... as ..."), or one act told by one subject in
    other words (`same_act`: "signed an executive order" twice), or most words but the dates. A
    restatement with no figure, or with other ones, still gets through when it shares few
    words. Never two facts however alike their words (`two_facts`: two occasions of one act,
    "voted on Monday" / "voted on Thursday", "voted for" / "voted against"; or two decisive
    acts the model bullets' verb check tells apart, "approved" / "rejected")."""
    if two_facts(a.text, b.text):
        return False
    if stem_overlap(a.stems, b.stems) > params.max_overlap or retold(a, b):
        return True
    if same_core(a.text, a.stems, b.text, b.stems) or same_act(a.text, b.text):
        return True
    if stem_overlap(undated(a.stems), undated(b.stems)) > params.max_overlap_undated and not (
        counts_differ(a.text, b.text) or names_differ(a.text, b.text)
    ):
        return True
    return same_figure_restated(
        a.stems, a.figures, b.stems, b.figures, params.max_overlap_same_figures
    )


def _introduced(combo: Sequence[Option]) -> bool:
    """Whether each form's description (`Option.needs`) is named by another form from an
    earlier place in its article, which `tldr.reading_order` puts first."""
    return all(
        any(
            other.sentence.position < option.sentence.position
            and introduces(other.text, other.stems, noun)
            for other in combo
        )
        for option in combo
        for noun in option.needs
    )


def value(combo: Sequence[Option], probs: dict[str, float], params: TldrParams) -> float:
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


def search(
    groups: list[list[Option]], probs: dict[str, float], params: TldrParams
) -> list[Candidate]:
    """The best candidates of a beam search over combinations of the best sentences' forms.

    Combinations of up to three of the best sentences, each in any of its shorter forms: it finds
    pairings a greedy pick misses (two medium sentences that together fill 55 words better than
    one long one) at a cost of a few thousand set unions. Best first by the objective; with
    fewer than `min_bullets` bullets only when nothing longer is possible.
    """
    if not groups:
        return []
    # Rank sentences by their best form's own value and search over the best few.
    groups = sorted(groups, key=lambda forms: -max(value([f], probs, params) for f in forms))
    groups = groups[: params.pool_size]
    beams: list[tuple[float, tuple[int, ...], tuple[Option, ...]]] = [(-math.inf, (), ())]
    seen: dict[tuple[int, ...], Candidate] = {}
    # Each beam meets the same pairs of forms again, and the repeat check is the search's
    # dearest step: each pair is judged once (the options live as long as this call).
    repeats: dict[tuple[int, int], bool] = {}

    def repeated(form: Option, chosen: Option) -> bool:
        pair = (id(form), id(chosen))
        found = repeats.get(pair)
        if found is None:
            found = repeats[pair] = _repeats(form, chosen, params)
        return found

    for _ in range(params.max_bullets):
        grown: dict[frozenset[int], tuple[float, tuple[int, ...], tuple[Option, ...]]] = {}
        for _, used, combo in beams:
            room = params.max_words - sum(o.n_words for o in combo)
            for g, forms in enumerate(groups):
                if g in used:
                    continue
                for form in forms:
                    if form.n_words > room or any(repeated(form, o) for o in combo):
                        continue
                    new = (*combo, form)
                    score = value(new, probs, params)
                    ident = tuple(sorted(id(o) for o in new))
                    if ident not in seen:
                        seen[ident] = Candidate(new, score)
                    key = frozenset((*used, g))
                    if key not in grown or score > grown[key][0]:
                        grown[key] = (score, (*used, g), new)
        if not grown:
            break
        beams = sorted(grown.values(), key=lambda b: -b[0])[: params.beam_width]
    ranked = sorted(seen.values(), key=lambda c: -c.value)
    # A bullet describing what only its article introduced comes after a bullet that names it.
    ranked = [c for c in ranked if _introduced(c.options)] or ranked
    # The card wants 2-3 bullets: a single bullet only when nothing else is usable.
    full = [c for c in ranked if len(c.options) >= params.min_bullets]
    return (full or ranked)[: params.n_candidates]
