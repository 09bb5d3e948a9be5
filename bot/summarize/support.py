"""Which outlets report a TL;DR bullet: one of their sentences must carry its claim.

A sentence carries a bullet when it shares enough of the bullet's weighted words, gives the
bullet's main figure and contradicts none of its other figures, and agrees with it on negation
where the two overlap. Dates are left out of the figure check: an outlet that reports the fine
without the weekday still reports the fine. A year may be left out too, but not given as another.
Nor may the sentence give the words to another named speaker than the bullet does ("Berg said"
beside "Wren said"): the shared-quotation rule's reading of speakers (`shared_quotes`) decides.
Nor may it tell another occasion of the bullet's act (`occasions`: days apart, the other side)
or its opposite act ("rejected" for "approved"; `acts.two_facts` asks both), not even quoting the
bullet's quotation word for word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.models import Article
from bot.summarize.acts import two_facts
from bot.summarize.claim_figures import Count, figures_agree, main_figure, story_counts
from bot.summarize.main_clause import NEGATION_RE, main_clause
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.shared_quotes import quotes_alike, same_named_speaker
from bot.summarize.story_memo import story_cached
from bot.text_cache import SENTENCE_CHARS, text_cache
from bot.textutil import opening_letters

# Weighted share of a bullet's content words one source sentence must carry to report it. Below
# a half because a bullet is one outlet's whole sentence and another outlet that reports the same
# fact rarely repeats every detail of it (on the dev clusters most sentence pairs scoring 0.4-0.5
# are the same fact told twice); the weighting, figures and negation keep it from overcounting.
SUPPORT_SHARE = 0.4
# Weight of a word every outlet of the story uses (the place, "fire", the weekday): such words are
# true of the story, not of one claim in it, so they are next to no evidence that a sentence
# reports the bullet. A word only one outlet uses weighs 1; weights fall linearly in between.
COMMON_WEIGHT = 0.25
# A sentence that says part of the bullet (the headline "Thousands evacuated as river floods
# town" beside a bullet that adds the day and the cause) reports it when the bullet carries this
# weighted share of the sentence's words, and at least this much weight: a short sentence of
# the story's common words says nothing in particular.
PART_SHARE = 0.45
PART_MIN_WEIGHT = 1.5
# Shared name words (stems) that tell a claim without a word of its own: three or four people
# and places in one relation, not one actor and one place.
NAMES_ALONE_WORDS = 4
# Sentences checked per article: feeds carry leads and excerpts, and this bounds the cost.
MAX_SUPPORT_SENTENCES = 40


def outlet_stems(articles: Sequence[Article], outlet_of: Sequence[str]) -> dict[str, set[str]]:
    by_outlet: dict[str, set[str]] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        by_outlet.setdefault(outlet, set()).update(article_stems(article.title, article.text))
    return by_outlet


@story_cached
def article_stems(title: str, text: str) -> frozenset[str]:
    """An article's stems, its title's with its text's: asked by the TL;DR's outlets and the
    angles' once a story each. Kept by the story, not the sentence caches, which keep no text
    past a sentence's length (`SENTENCE_CHARS`): most articles are longer."""
    return frozenset(content_stems(f"{title}\n{text}"))


# Clause edges a negation does not reach across: "The fire, which was not deliberate, killed 12."
_CLAUSE_RE = re.compile(
    r"[,;:()\[\]—–]|\s-\s|\b(?:but|while|although|though|whereas|however)\b", re.IGNORECASE
)
# Figures written as words, so "Twelve workers died" carries the figure of "killed 12 workers".
# "one" is left out: "one of the", "no one" are rarely a count.
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if w != "_"
} | {
    w: str(10 * i)
    for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)
}
_NUMBER_WORD_RE = re.compile(
    rf"\b{opening_letters(_NUMBER_WORDS)}(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence (or bullet) as the support check compares it: words, figures, negated clauses."""

    text: str
    stems: frozenset[str]
    figures: frozenset[str]

    @property
    def counts(self) -> tuple[Count, ...]:
        """Counts and years in text order, dates and times left out: the first count is the
        claim's main figure. Read on first need: only a sentence that passes the word test is
        compared by figures."""
        return story_counts(self.text)

    @property
    def word_stems(self) -> frozenset[str]:
        """The stems of the claim's words that are not names: what it says happened."""
        return _word_stems(self.text)

    @property
    def main_figure(self) -> Count | None:
        return main_figure(self.counts)

    def negated_where(self, stems: set[str] | frozenset[str]) -> bool:
        """Whether a negation in some clause reaches any of `stems`: the polarity of that content."""
        return any(scope & stems for scope in _negated_scopes(self.text))


# Clauses are only read for the few sentences that pass the word and figure checks, so they are
# worked out on demand rather than for every sentence of every story.
@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def _negated_scopes(text: str) -> tuple[frozenset[str], ...]:
    """Per negated clause, the content stems its negation reaches: from the word before the
    negation ("killed no one", "have not arrested") to the clause's end. Words earlier in the
    clause are not negated: "nurses staff hospitals as workers risk their jobs for not meeting a
    deadline" still says the nurses staff hospitals."""
    scopes: list[frozenset[str]] = []
    for part in _CLAUSE_RE.split(text):
        match = NEGATION_RE.search(part) if part else None
        if match is None:
            continue
        words_before = part[: match.start()].split()
        start = match.start() - len(words_before[-1]) - 1 if words_before else 0
        scopes.append(frozenset(content_stems(part[max(0, start) :])))
    return tuple(scopes)


@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def _word_stems(text: str) -> frozenset[str]:
    """Content stems of `text`'s words written in lower case: a name keeps its capital wherever
    it stands. A capitalised first word may be either ("Fire", "Iran") and is left out; the
    claim's verb and objects follow it."""
    kept = [t for t in text.split() if not t.lstrip("\"“‘'(")[:1].isupper()]
    return frozenset(content_stems(" ".join(kept)))


def _figure_value(token: str) -> str:
    """One spelling per value: "1,200" and "1200" agree, as do "7.0" and "7"."""
    plain = token.replace(",", "")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return plain


# A figure, not the digits of a name: "Covid-19", "F-35" and "G7" carry no count to compare.
_FIGURE_RE = re.compile(r"(?<![\w.])(?<![A-Za-z]-)(?:\d[\d,.]*\d|\d)")


# Asked again of one sentence by the TL;DR's options, the support claims and the quote ties.
@story_cached
def figures(text: str) -> frozenset[str]:
    found = {_figure_value(m.group(0).rstrip(".,")) for m in _FIGURE_RE.finditer(text)}
    found.update(_NUMBER_WORDS[m.group(0).lower()] for m in _NUMBER_WORD_RE.finditer(text))
    return frozenset(found)


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def claim(text: str) -> Claim:
    return Claim(text, frozenset(content_stems(text)), figures(text))


@dataclass(slots=True)
class StoryEvidence:
    """Every title and body sentence of a story, by outlet, and how many outlets use each word."""

    outlets: list[str]
    sentences: list[tuple[str, Claim]]
    outlet_count: dict[str, int]

    def weight(self, stem: str) -> float:
        """1 for a word one outlet uses, COMMON_WEIGHT for one every outlet uses (see above)."""
        n = len(self.outlets)
        used_by = self.outlet_count.get(stem, 0)
        if n <= 1 or used_by <= 1:
            return 1.0
        return 1.0 - (1.0 - COMMON_WEIGHT) * (used_by - 1) / (n - 1)


def story_evidence(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    by_outlet: dict[str, set[str]] | None = None,
) -> StoryEvidence:
    by_outlet = by_outlet if by_outlet is not None else outlet_stems(articles, outlet_of)
    outlet_count: dict[str, int] = {}
    for stems in by_outlet.values():
        for s in stems:
            outlet_count[s] = outlet_count.get(s, 0) + 1
    sentences: list[tuple[str, Claim]] = []
    for article, outlet in zip(articles, outlet_of, strict=True):
        # A headline is a claim of its own: a title-only outlet reports what its headline says.
        texts = [article.title, *split_sentences(article.text, MAX_SUPPORT_SENTENCES)]
        sentences.extend((outlet, claim(t)) for t in texts if t.strip())
    return StoryEvidence(list(by_outlet), sentences, outlet_count)


def carries(
    bullet: Claim,
    sentence: Claim,
    evidence: StoryEvidence,
    share: float,
    main: Claim | None = None,
) -> bool:
    """Whether one source sentence reports the bullet's claim.

    Either its words cover `share` of the bullet's, or (a shorter report of the same fact, such
    as a headline) the bullet covers `PART_SHARE` of the sentence's words and the sentence adds
    no figure; word shares are weighted away from the story's common words. Either way it must
    give the bullet's main figure and contradict none of the others (`figures_agree`), and the
    two must agree on negation where they overlap ("have not arrested" is not "was arrested").
    `main`: the bullet's main clause (`main_clause`), whose words may stand in for the whole
    bullet's in the first test: an outlet rarely repeats the tail another hung on the fact.
    """
    shared = bullet.stems & sentence.stems
    if quotes_alike(bullet.text, sentence.text, shared):
        # The same words said on another day, or quoted of the other side's vote, are another
        # occasion (`two_facts`), which backs no bullet however word for word it quotes.
        if two_facts(bullet.text, sentence.text):
            return False
        return figures_agree(bullet.counts, sentence.counts) and bullet.negated_where(
            shared
        ) == sentence.negated_where(shared)
    # Names alone ("Iran", "the Strait of Hormuz") say what the sentence is about, not that it
    # tells the bullet's claim: "Iran held drills in the strait" shares every name of "Iran
    # closed the strait" and reports something else. Many names together do tell it: "In
    # Hungary, Marco Rubio stresses Trump's support for Viktor Orban" is the bullet's visit.
    if not shared & bullet.word_stems and len(shared) < NAMES_ALONE_WORDS:
        return False
    weight = evidence.weight
    got = sum(weight(s) for s in shared)
    main_got = sum(weight(s) for s in main.stems & sentence.stems) if main else 0.0
    if not (
        (
            (
                got >= share * _mass(bullet, weight)
                or (main and main_got >= share * _mass(main, weight))
            )
            and figures_agree(bullet.counts, sentence.counts)
        )
        or (
            got >= PART_MIN_WEIGHT
            and got >= PART_SHARE * _mass(sentence, weight)
            and figures_agree(bullet.counts, sentence.counts, adds_none=True)
        )
    ):
        return False
    # "Wren said the pier will close" is not backed by another outlet's "Berg said the pier
    # will close": the words match, the remark is someone else's; nor "voted for" by "voted
    # against", a vote days before, or "rejected" for "approved" (`two_facts`). Read last: they
    # cost most.
    if same_named_speaker(bullet.text, sentence.text, plain=True) is False:
        return False
    if two_facts(bullet.text, sentence.text):
        return False
    return bullet.negated_where(shared) == sentence.negated_where(shared)


def _mass(c: Claim, weight: Callable[[str], float]) -> float:
    return sum(weight(s) for s in c.stems)


def supporting_outlets(
    text: str,
    origin: str | None,
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    share: float = SUPPORT_SHARE,
    evidence: StoryEvidence | None = None,
) -> list[str]:
    """Outlets with a title or sentence that carries `text`'s claim (see `carries`), origin first.

    One sentence must carry it, not the outlet's text as a whole: spread over a whole article,
    the story's common words alone reach any share. Content words rather than exact wording,
    because outlets paraphrase: "ruled police were entitled to immunity" and "sided with officers
    seeking immunity" report the same fact.
    """
    evidence = evidence if evidence is not None else story_evidence(articles, outlet_of)
    # The bullet was taken from its origin's text, so the origin reports it by construction.
    result: list[str] = [origin] if origin in evidence.outlets else []
    bullet = claim(text)
    if not bullet.stems:
        return result
    head = main_clause(text)
    main = claim(head) if head != text else None
    backed = set(result)
    for outlet, sentence in evidence.sentences:
        if outlet not in backed and carries(bullet, sentence, evidence, share, main):
            backed.add(outlet)
    # Story order, as before: the card lists outlets the way the story does.
    result.extend(o for o in evidence.outlets if o in backed and o not in result)
    return result
