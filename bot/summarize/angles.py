""" "What others are reporting": per outlet, the detail it adds that the others lack.

An outlet's angle is found in its own words: the sentence carrying the most content that no other
outlet has (names and numbers count most, they are the checkable facts). The line describing it
is built from that sentence's own novel words, so it is attributable to the outlet, and the quote
is a verbatim span of the outlet's text, trimmed only at word boundaries.

Which of the outlet's sentences that quote may come from is `angle_quotes.py`'s.
A later report telling that the story moved on (`developments`) has that as its detail first.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field

from bot.boilerplate import is_caption, is_page_furniture
from bot.models import Angle, Article, Bullet
from bot.summarize.acts import two_facts
from bot.summarize.angle_beyond import beyond_bullets, goes_on_past, unattributed
from bot.summarize.angle_facts import (
    NUMBER_RE,
    KnownFigures,
    figure_known,
    gives_figure_of,
    is_year_like_date,
    mostly_restates,
    retells_headline,
    rewords_bullet,
)
from bot.summarize.angle_lines import angle_line, repeats_bullet, stem_of
from bot.summarize.angle_names import DEMONYM_RE, name_runs
from bot.summarize.angle_quotes import points_back, quote_pool
from bot.summarize.angle_subjects import StorySubjects, texts_of
from bot.summarize.angle_topic import (
    off_topic_paragraphs,
    quotes_no_one,
    relayed_paragraphs,
    relays,
)
from bot.summarize.clauses import leans_on_context
from bot.summarize.developments import credited_changes, developed_articles
from bot.summarize.grounding import ELLIPSIS, figures
from bot.summarize.quotes import Told, pick_quote, teaser_quote
from bot.summarize.restated import cores_alike, one_remark
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.steering import is_steering
from bot.summarize.telling_names import known_person

MAX_ANGLES = 6
# Below this novelty an outlet is only repeating the story: it goes to "Also reporting".
MIN_NOVELTY = 2.0
# What a word no other outlet uses counts for in an article's first sentence without a name or
# figure of its own, against 1 elsewhere.
LEAD_WORD_WEIGHT = 0.2


@dataclass(slots=True)
class _Pick:
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
    alternates: list[_Pick] = field(default_factory=list)
    # The sentence tells a development of the story (`developments`).
    develops: bool = False


class _OtherStems:
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


def _outlet_counts(cache: dict[str, set[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for stems in cache.values():
        for s in stems:
            counts[s] = counts.get(s, 0) + 1
    return counts


def _pick_for_outlet(
    outlet: str,
    articles: list[Article],
    other: Container[str],
    tldr: Sequence[tuple[frozenset[str], frozenset[str]]] = (),
    known: KnownFigures | None = None,
    core: frozenset[str] | None = None,
    headline: frozenset[str] = frozenset(),
    tldr_texts: Sequence[str] = (),
    developed: Mapping[int, frozenset[str]] | None = None,
) -> _Pick | None:
    own = headline.union(*(content_stems(a.title) for a in articles))
    if core is not None:
        core = core.union(own)
    candidates: list[_Pick] = []
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
            if is_caption(sentence) or is_page_furniture(sentence):
                continue  # a photo's caption describes a picture, a page's buttons nothing
            if is_steering(sentence, article.text):
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
            goes_on = develops or goes_on_past(
                *unattributed(sentence, beyond_bullets(novel, bullets))
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
                candidate = _Pick(
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
# Names and figures of its own a detail needs to be shown whole past WHOLE_LINE_MAX_WORDS.
LONG_LINE_MIN_FACTS = 2


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


def build_angles(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    lead_outlet: str | None,
    max_angles: int = MAX_ANGLES,
    tldr: Sequence[str | Bullet] = (),
    headline: str = "",
    headline_outlet: str | None = None,
) -> tuple[list[Angle], list[str]]:
    """Angles for outlets other than the lead, best first, and the outlets that add nothing.

    `headline_outlet` is the outlet whose title the card's headline is: like the lead it is
    never "adding nothing" for want of an angle, since the card leads with its words, though it
    may still have an angle of its own. Backing no bullet and with no angle it is still listed
    under "Also reporting": the title alone credits it with no fact.

    `tldr` is the card's bullets (or their texts): a sentence that mostly restates one is not an
    angle; `headline` the card's, which no quote should tell again either. An outlet that is a bullet's only source is never "adding nothing" (it is left out of
    the returned list); when its angle is below the novelty bar its best one is still shown.
    """
    texts = [b if isinstance(b, str) else b.text for b in tldr]
    bullets = [(frozenset(content_stems(text)), figures(text)) for text in texts]
    told = Told(
        frozenset(content_stems(headline)),
        bullets,
        figures(headline).union(*(f for _, f in bullets)),
        texts,
        headline,
    )
    sole = {b.sources[0] for b in tldr if not isinstance(b, str) and len(b.sources) == 1}
    by_outlet: dict[str, list[Article]] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        by_outlet.setdefault(outlet, []).append(article)
    cache = {
        name: {s for a in arts for s in content_stems(f"{a.title}\n{a.text}")}
        for name, arts in by_outlet.items()
    }
    counts = _outlet_counts(cache)
    core = told.headline.union(s for s, n in counts.items() if n >= 2)
    known = KnownFigures(
        {o: texts_of(arts) for o, arts in by_outlet.items()},
        "\n".join([headline, *texts]),
    )
    subjects = StorySubjects(headline, list(cache.values()))
    developed = developed_articles(articles, outlet_of)
    # A bullet telling an outlet's development credits it with the story's change, though
    # another outlet's sentence backs it too: not "adding nothing".
    changed = credited_changes(tldr, by_outlet, developed)
    picks: list[_Pick] = []
    sole_angles: list[Angle] = []
    also: list[str] = []
    # The card's lead sources: the core bullet's and the headline's.
    leads = {o for o in (lead_outlet, headline_outlet) if o}
    for outlet, arts in by_outlet.items():
        if outlet == lead_outlet:
            continue
        other = _OtherStems(counts, cache[outlet])
        pick = _pick_for_outlet(
            outlet, arts, other, bullets, known, core, told.headline, texts, developed
        )
        if pick is not None and pick.added >= MIN_NOVELTY:
            picks.append(pick)
        elif outlet in sole:
            # Its detail is a bullet, so its angle is the next best thing it adds (weak by the
            # novelty bar, but its own). With nothing else, the bullet's "reported by" credits
            # it: listing it as adding nothing would be false, and an angle repeating the
            # bullet would say the same thing twice on one card.
            if pick is not None:
                sole_angles.append(_angle(pick, told, subjects))
        elif outlet not in leads and outlet not in changed:
            also.append(outlet)
    picks.sort(key=lambda p: -p.novelty)
    # Sole sources take the places first: past the cap an outlet goes to "Also reporting", which
    # would say they add nothing (a card has at most a few bullets, so they always fit).
    ranked = [a.source for a in sole_angles]
    ranked += [p.outlet for p in picks if p.outlet in sole]
    ranked += [p.outlet for p in picks if p.outlet not in sole]
    keep = set(ranked[:max_angles])
    angles = [_angle(p, told, subjects) for p in picks if p.outlet in keep]
    # An outlet whose detail no line can hold is listed, not given a line without it.
    also += [a.source for a in angles if not a.line and a.source not in sole | leads]
    angles = [a for a in angles if a.line]
    also += [p.outlet for p in picks if p.outlet not in keep and p.outlet not in sole | leads]
    # Weak by the novelty measure: listed after the outlets' own angles.
    angles += [a for a in sole_angles if a.source in keep and a.line]
    # The headline's outlet leads the card with its title, but the title alone credits it with
    # no fact: backing no bullet and with no angle, it is listed, or no part of the card would
    # name it. (With bullets as texts, whom they credit is unknown: it is left out as before.)
    credited = {o for b in tldr if not isinstance(b, str) for o in b.sources}
    if (
        headline_outlet in by_outlet
        and headline_outlet != lead_outlet
        and all(isinstance(b, Bullet) for b in tldr)
        and tldr
        and headline_outlet not in credited
        and headline_outlet not in {a.source for a in angles}
        and headline_outlet not in also
    ):
        also.append(headline_outlet)
    return angles, also


def _angle(pick: _Pick, told: Told, subjects: Container[str] = frozenset()) -> Angle:
    """The outlet's angle from its best detail that makes a line, with a quote and link from
    that detail's article; a line of "" when none does (the outlet is listed instead)."""
    # A whole form of any of its details first; then one cut where a phrase ends; then a long
    # sentence whole; last, rather than no line, one cut before an "of" or "to" phrase.
    passes = ((False, False, False), (True, False, False), (True, True, False), (True, False, True))
    # A development is tried every way before any other detail: the story changed.
    tries = [[pick], pick.alternates] if pick.develops else [[pick, *pick.alternates]]
    for details in tries:
        for phrase_cut, long_whole, last_resort in passes:
            for candidate in details:
                # A long sentence is worth its length for facts of its own, not the story.
                facts = len(candidate.names) + len(candidate.numbers)
                if long_whole and facts < LONG_LINE_MIN_FACTS:
                    continue
                line = angle_line(
                    candidate.sentence,
                    candidate.article,
                    candidate.names,
                    candidate.numbers,
                    candidate.novel_words,
                    phrase_cut,
                    keep_focus=candidate.restates,
                    long_whole=long_whole,
                    subjects=subjects,
                    last_resort=last_resort,
                )
                if line and not repeats_bullet(line, told.texts):
                    quote = pick_quote(
                        quote_pool(candidate.sentence, candidate.article, pick.scored), told
                    )
                    return Angle(pick.outlet, line, quote, candidate.article.url)
    return Angle(pick.outlet, "", "", pick.article.url)
