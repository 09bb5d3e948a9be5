"""An outlet's best detail for "What others are reporting": the sentence of its own carrying the
most content no other outlet has (names and numbers count most, they are the checkable facts),
and its next best, scored against the card's headline and bullets so that a sentence retelling
them is no detail. How a detail becomes a line and a quote is `angles.py`'s.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field

from bot.boilerplate import is_page_furniture
from bot.models import Article
from bot.summarize.acts import two_facts
from bot.summarize.angle_beyond import beyond_bullets, goes_on_past, unattributed
from bot.summarize.angle_facts import (
    NUMBER_RE,
    KnownFigures,
    figure_known,
    gives_figure_of,
    is_year_like_date,
    mostly_restates,
    own_dates,
    retells_headline,
    rewords_bullet,
)
from bot.summarize.angle_lines import stem_of
from bot.summarize.angle_names import DEMONYM_RE, name_runs
from bot.summarize.angle_quotes import points_back
from bot.summarize.angle_topic import (
    off_topic_paragraphs,
    quotes_no_one,
    relayed_paragraphs,
    relays,
)
from bot.summarize.clauses import leans_on_context
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.quotes import teaser_quote
from bot.summarize.restated import cores_alike, one_remark
from bot.summarize.sentence_checks import caption, steering
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.telling_names import known_person

# Below this novelty an outlet is only repeating the story: it goes to "Also reporting".
MIN_NOVELTY = 2.0
# What a word no other outlet uses counts for in an article's first sentence without a name or
# figure of its own, against 1 elsewhere.
LEAD_WORD_WEIGHT = 0.2


@dataclass(slots=True)
class Pick:
    outlet: str
    article: Article
    sentence: str
    novelty: float
    names: list[str]
    numbers: list[str]
    novel_words: list[str]
    # How much the outlet adds at all, for the "Also reporting" bar: its lead's reworded words
    # count in full here, so an outlet whose only addition is in its lead keeps its angle.
    added: float = 0.0
    # The sentence restates a bullet and goes on with its own detail: the line must keep that.
    restates: bool = False
    # Every sentence of the outlet with novel content: where the quote comes from.
    scored: list[tuple[float, str, Article, list[str]]] = field(default_factory=list)
    # The outlet's next details, best first: the line when no complete short form of this
    # sentence's detail exists.
    alternates: list[Pick] = field(default_factory=list)
    # The sentence tells a development of the story (`developments`).
    develops: bool = False


class OtherStems:
    """The stems some outlet other than one uses, asked by membership.

    From per-stem outlet counts: the union of every other outlet's vocabulary, built per outlet,
    is quadratic in the outlets (60 outlets of long articles: seconds).
    """

    __slots__ = ("_counts", "_own")

    def __init__(self, counts: dict[str, int], own: set[str]) -> None:
        self._counts = counts
        self._own = own

    def __contains__(self, stem: object) -> bool:
        if not isinstance(stem, str):
            return False
        return self._counts.get(stem, 0) - (stem in self._own) > 0


def outlet_counts(cache: dict[str, set[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for stems in cache.values():
        for s in stems:
            counts[s] = counts.get(s, 0) + 1
    return counts


def pick_for_outlet(
    outlet: str,
    articles: list[Article],
    other: Container[str],
    tldr: Sequence[tuple[frozenset[str], frozenset[str]]] = (),
    known: KnownFigures | None = None,
    core: frozenset[str] | None = None,
    headline: frozenset[str] = frozenset(),
    tldr_texts: Sequence[str] = (),
    developed: Mapping[int, frozenset[str]] | None = None,
) -> Pick | None:
    own = headline.union(*(content_stems(a.title) for a in articles))
    if core is not None:
        core = core.union(own)
    candidates: list[Pick] = []
    added = 0.0
    scored: list[tuple[float, str, Article, list[str]]] = []
    for article in articles:
        # Its title's news no earlier report told (`developments`), keyed by the article itself.
        development = developed.get(id(article), frozenset()) if developed else frozenset()
        off_topic = off_topic_paragraphs(article.text, core, own=own) if core is not None else []
        # Another publication's words, relayed: neither the outlet's line nor its quote.
        off_topic += relayed_paragraphs(article.text)
        previous = ""
        for position, sentence in enumerate(split_sentences(article.text, 30)):
            relayed, previous = relays(previous, sentence, article.text), sentence
            if caption(sentence) or is_page_furniture(sentence):
                continue  # a photo's caption describes a picture, a page's buttons nothing
            if steering(sentence, article.text):
                continue  # a line planted for a model, or shouting: no reporting
            # A feed teaser cut mid-sentence ("...and ask whether the...") says less than it
            # seems to: as a line it would read as a finished claim. Up to its last clean clause
            # it is still the outlet's words, and as a quote its ellipsis owns up to the cut.
            quote_only = _is_teaser_cut(sentence)
            if quote_only:
                sentence = teaser_quote(sentence)
                if not sentence:
                    continue
            # Words no other outlet uses score, so a paragraph on another subject (a roundup's
            # "pressure on Putin" under a singer's death) is the most novel of all.
            if relayed or any(sentence in paragraph for paragraph in off_topic):
                continue
            stems = content_stems(sentence)
            novel = [s for s in dict.fromkeys(stems) if s not in other]
            # Read before the bullets are: a sentence with nothing new needs none of their checks.
            if not novel:
                continue
            bullets = _same_occasion(sentence, tldr, tldr_texts)
            # A later report telling that the story moved on ("the strike ended after ...") in
            # the earlier reports' setting: the development, not the setting, is what it tells,
            # unless the card's bullets or headline tell it already.
            develops = bool(
                beyond_bullets(
                    [s for s in novel if s in development and s not in headline], bullets
                )
            )
            # A sentence going on past a bullet's fact with its own ("..., only weeks before the
            # April 12 election") is the outlet's detail, the bullet's part its setting.
            # Not by whom it was said or first reported: ", the Insurance Federation said" or
            # ", according to a CNBC analysis" tells no more of the bullet's fact.
            # A date of its own is such a fact: "could return to Facebook on Jan. 7, 2023" under
            # a bullet's two-year ban tells when, which no other outlet does.
            dates = own_dates(sentence, outlet, known)
            goes_on = (
                develops
                or bool(dates)
                or goes_on_past(*unattributed(sentence, beyond_bullets(novel, bullets)))
            )
            # The bullet's event in other words and with other background ("Millions are
            # celebrating the festival" under "People are celebrating the festival on Tuesday")
            # restates it as much as a sentence of the bullet's own words does.
            restates = mostly_restates(stems, bullets) or any(
                cores_alike(sentence, text) or one_remark(sentence, text) for text in tldr_texts
            )
            if restates and not goes_on:
                continue
            names = [
                n
                for n in name_runs(sentence)
                if not all(s in other for s in content_stems(n))
                and not known_person(n, other)
                and not DEMONYM_RE.match(n)
            ]
            numbers = [
                m.group(0).strip(" ,.")
                for m in NUMBER_RE.finditer(sentence)
                if not figure_known(m.group(0), outlet, other, known)
                and not is_year_like_date(m.group(0))
            ]
            numbers += dates
            # An outlet's lead tells the story every outlet tells, in its own words: reworded
            # vocabulary is no addition there, while a name or figure of its own still is.
            reworded = position == 0 and not names and not numbers and not develops
            words_weight = LEAD_WORD_WEIGHT if reworded else 1.0
            facts = 1.5 * len(names) + 2.0 * len(numbers)
            novelty = words_weight * len(novel) + facts
            # Prefer early sentences a little, past the lead: the outlet's main additions.
            novelty /= 1.0 + 0.02 * position
            full = (len(novel) + facts) / (1.0 + 0.02 * position)
            if sentence[:1] in '"“':
                novelty *= 0.8
                full *= 0.8
            novel_set = set(novel)
            words = [w for w in sentence.split() if stem_of(w) in novel_set]
            scored.append((novelty, sentence, article, words))
            # A bullet's figure told again may still be quoted, but it is not what the outlet adds;
            # nor is a sentence opening on "She said ..." a line: the card does not show who.
            if quote_only:
                continue
            # A sentence retelling the headline may be quoted for a figure it adds, but as a
            # line it is the card's top again; one quoting someone it does not name would pass
            # that person's words off as the outlet's.
            if (
                (goes_on or not gives_figure_of(stems, sentence, bullets))
                and (names or numbers or goes_on or not rewords_bullet(stems, novel, bullets))
                and not leans_on_context(sentence)
                and not points_back(sentence)
                and not quotes_no_one(sentence)
                and (numbers or not retells_headline(stems, headline))
            ):
                added = max(added, full)
                candidate = Pick(
                    outlet, article, sentence, novelty, names, numbers, words, develops=develops
                )
                if goes_on and (restates or gives_figure_of(stems, sentence, bullets)):
                    beyond = set(beyond_bullets(novel, bullets))
                    candidate.novel_words = [w for w in words if stem_of(w) in beyond]
                    candidate.restates = True
                candidates.append(candidate)
    if not candidates:
        return None
    # Stable: of equal novelty the earlier sentence leads, as before. A development leads
    # whatever the novelty of the outlet's other details: the story changed.
    candidates.sort(key=lambda p: (not p.develops, -p.novelty))
    best = candidates[0]
    best.added = added
    best.scored = scored
    best.alternates = candidates[1:MAX_ALTERNATES]
    return best


# Details of an outlet tried for its line, at most: each costs the compressor's forms.
MAX_ALTERNATES = 6


def _same_occasion(
    sentence: str,
    tldr: Sequence[tuple[frozenset[str], frozenset[str]]],
    texts: Sequence[str],
) -> Sequence[tuple[frozenset[str], frozenset[str]]]:
    """The bullets (`tldr`, told as `texts`) that `sentence` could retell: not one telling
    another occasion of its act or its opposite act ("voted against" under "voted for",
    "rejected" under "approved": `two_facts`), which shares its words but not its fact."""
    if len(texts) != len(tldr):
        return tldr
    return [b for b, text in zip(tldr, texts, strict=True) if not two_facts(sentence, text)]


def _is_teaser_cut(sentence: str) -> bool:
    return sentence.rstrip("\"'”“’)] ").endswith(("..", ELLIPSIS))
