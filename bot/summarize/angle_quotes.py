"""Where an angle's quote may come from: the outlet's sentences that back its line and add to it.

`angles.py` picks an outlet's detail and makes its line; the quote under it is chosen
(`quotes.pick_quote`) from this pool: the line's own article only, never a feed's one-paragraph
description (in quotation marks an outlet's summary reads as someone's words), never the line's
sentence again or one sharing most of its words, and never a sentence that only points back at
the one before it, which as a line is skipped for the same reason (`points_back`).

The quote must also back its line (`backs`): share one of the line's own distinctive words (a
word no other outlet used that news at large seldom does) or one of its figures. Tried first, and measured on the
dev clusters: excluding only the sentences sharing most of the line's words, so that the quote
"adds". The pool's best by novelty was then often the outlet's lede, telling the core story again,
or an unrelated detail, and an editor found 35 of 72 quotes not backing their line (the line on
inflation at 2.9%, the quote "The crown weakened slightly after the decision."). A line with no
quote reads better than one over a quote about something else, so when nothing backs the line,
the pool is empty. The line is the words the reader sees: a quote sharing a word only with what
the line's cut left out of its sentence backed nothing on the card. And a name the story is about
(the card's headline or a bullet gives it, or most outlets' titles: `CardSubjects`) ties no quote
to its line: the demo's "Nordtel" card quoted "Nordtel is also the largest customer of ..." under
a line on Nordtel's cloud revenue, sharing nothing else.

Nor may a quote give someone's words with no speaker in it under a line naming someone
(`quotes_no_one`): the reader would take them for the named one's.

Among the sentences that back it, one short enough to show whole (`quotes.shows_whole`) comes
before one the quote would cut with an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from bot.models import Article
from bot.summarize.angle_names import name_runs
from bot.summarize.angle_topic import quotes_no_one
from bot.summarize.grounding import ELLIPSIS, figures
from bot.summarize.quote_marks import has_open_quote
from bot.summarize.quotes import verbatim_quote
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.speakers import SPEECH_VERB_RE
from bot.summarize.wordmodel import DOC_FREQ, DOCS

# A quote sentence sharing more of its content words with the line's sentence adds too little.
QUOTE_MAX_OVERLAP = 0.5
# A stem in more than this share of the background news documents ("state", "report", "week")
# is too common to tie a quote to its line: any two sentences of a story may share it.
COMMON_STEM_SHARE = 0.05
# A sentence of at most this many words is quoted whole (`quotes.QUOTE_WHOLE_MAX_WORDS`).
_WHOLE_MAX_WORDS = 32


def quote_pool(
    sentence: str,
    article: Article,
    scored: Sequence[tuple[float, str, Article, list[str]]],
    shown: str = "",
    subjects: Container[str] = frozenset(),
) -> list[tuple[float, str, Article, list[str]]]:
    """The sentences (of `scored`: novelty, sentence, article, words) a quote under the line made
    of `sentence` from `article` may come from, best first.

    Only the line's own article, whose link the angle carries: a quote from the outlet's other
    article read as said in this one. Not a feed's description: one paragraph of a sentence or
    two is the outlet's own summary, and in quotation marks it reads as someone's words. And
    never the line's sentence again, nor one sharing most of its words: the quote adds to it.
    But it must back the line (`backs`), or the pool is empty and the line goes without a quote:
    the line as `shown`, the words the reader sees (a clause of `sentence`, or the sentence
    whole when not given), not the sentence it was cut from, whose cut-off words the reader
    never sees; and not by a name of it in `subjects`, the names the story is about
    (`CardSubjects`).
    """
    shown = shown or sentence
    told = _subject_stems(shown, subjects)
    if _is_description(article):
        return []
    line_stems = set(content_stems(sentence))
    novel = next((words for _, text, _, words in scored if text == sentence), [])
    lede = next(iter(split_sentences(article.text, 1)), "")
    # Someone's words with no speaker in the sentence ('“The right to vote is the central pillar
    # of our democracy.”') read, under a line naming someone, as that one's words; the outlet
    # named the speaker a sentence before.
    names = bool(name_runs(shown))
    ties = {
        item[1]: backs(item[1], shown, novel, lede=item[1] == lede, subjects=told)
        for item in scored
        if item[2] is article
        and item[1] != sentence
        and not points_back(item[1])
        and _share(set(content_stems(item[1])), line_stems) < QUOTE_MAX_OVERLAP
        and not (names and _speakerless(item[1], article, item[3]))
    }
    return sorted(
        (item for item in scored if item[2] is article and ties.get(item[1])),
        # A cut teaser owns up to its cut, but a complete sentence says more: teasers last. One
        # tied to the line by its own words or figures before one tied by the story's. A
        # sentence shown whole reads better than a window cut from a longer one.
        key=lambda item: (
            item[1].endswith(ELLIPSIS),
            ties[item[1]] != _OWN,
            len(item[1].split()) > _WHOLE_MAX_WORDS,
            -item[0],
        ),
    )


# How a sentence backs a line: by the line's own word or figure, or by a rare word of the story.
_OWN, _STORY = "own", "story"


def backs(
    quote: str,
    line: str,
    novel: Sequence[str] = (),
    *,
    lede: bool = False,
    subjects: frozenset[str] = frozenset(),
) -> str:
    """How the sentence `quote` backs the line made of the sentence `line`, "" when it does not.

    `_OWN`: it gives one of the line's figures, or shares one of `novel` (the line's words no
    other outlet used) that news at large seldom uses; a word every story uses ("week",
    "officials") ties two sentences of any story. `_STORY`: it shares a rare word the other
    outlets use too (the line's "insurgents", "Fauci"), the story's own; but not as the article's
    `lede`, whose sentence tells the story every outlet tells and adds nothing to the line.
    A stem of `subjects` (the line's names the story is about) ties nothing: "Nordtel" under a
    card headed "Nordtel leads ..." is in any sentence of the story, whatever else it says.
    """
    if figures(quote) & figures(line):
        return _OWN
    shared = set(content_stems(quote)) & set(content_stems(line)) - subjects
    rare = {stem for stem in shared if not common_stem(stem)}
    if any(stem in rare for word in novel for stem in content_stems(word)):
        return _OWN
    return _STORY if rare and not lede else ""


# An outlet count past this share of titles naming a name makes it the story's subject.
SUBJECT_TITLE_SHARE = 0.5


class CardSubjects:
    """Asked by membership: whether a name is one the story is about, which ties no quote to
    its line: the `card` (its headline and bullets) gives it, or more than half the outlets'
    `titles` do (two at least, one title an outlet)."""

    __slots__ = ("_card", "_titles")

    def __init__(self, card: Sequence[str], titles: Sequence[str]) -> None:
        self._card = [text for text in card if text]
        self._titles = titles

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or not name:
            return False
        if any(_names(text, name) for text in self._card):
            return True
        using = sum(1 for title in self._titles if _names(title, name))
        return using >= 2 and using > SUBJECT_TITLE_SHARE * len(self._titles)


def _names(text: str, name: str) -> bool:
    """Whether `text` gives `name` as a word of its own ("Nordtel's" gives "Nordtel")."""
    return re.search(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", text) is not None


def _subject_stems(line: str, subjects: Container[str]) -> frozenset[str]:
    """The stems of the names in `line` that the story is about (`CardSubjects`)."""
    return frozenset(s for name in name_runs(line) if name in subjects for s in content_stems(name))


def _speakerless(sentence: str, article: Article, focus: Sequence[str]) -> bool:
    """Whether `sentence`, or the window of it a quote would show, gives someone's words with no
    speaker: a long sentence's window may cut off the ', Attorney General X said' after them."""
    if quotes_no_one(sentence):
        return True
    shown = verbatim_quote(sentence, article.text, focus).replace(ELLIPSIS, " ").strip()
    # A quotation the window opens and cuts ('“The right of all ... is the central pillar…'),
    # its speaker in the words cut off, is no one's either.
    opened = has_open_quote(shown) and not SPEECH_VERB_RE.search(shown)
    return bool(shown) and (opened or quotes_no_one(shown))


def common_stem(stem: str) -> bool:
    """Whether news at large uses `stem` too often for it to tie two sentences together."""
    return DOC_FREQ.get(stem, 0) > COMMON_STEM_SHARE * DOCS


# A text of one paragraph with at most this many sentences is a feed's description, not a body.
DESCRIPTION_MAX_SENTENCES = 2
# A line about the item itself under a description ("This is a photo gallery curated by our
# editors."): no paragraph of a body.
_FEED_NOTE_RE = re.compile(
    r"^(?:This|The following) (?:is an?|story|article|video|gallery|report|post)\b"
    r"|\bcurated by\b|\bphoto editors\b",
    re.IGNORECASE,
)


def _is_description(article: Article) -> bool:
    paragraphs = [p.strip() for p in article.text.split("\n") if p.strip()]
    paragraphs = [p for p in paragraphs if not _FEED_NOTE_RE.search(p)] or paragraphs
    if len(paragraphs) != 1:
        return False
    found = split_sentences(paragraphs[0], DESCRIPTION_MAX_SENTENCES + 1)
    return len(found) <= DESCRIPTION_MAX_SENTENCES


_DEMONSTRATIVES = frozenset("this that these those".split())


def points_back(sentence: str) -> bool:
    """Whether `sentence` opens on a demonstrative standing for what came before it, by a past
    tense after it ("This occurred just hours after ...", "That followed ..."): `leans_on_context`
    reads only present forms there. As a line alone, it leaves the reader asking what did."""
    words = sentence.split(maxsplit=2)
    if len(words) < 2 or words[0].casefold() not in _DEMONSTRATIVES:
        return False
    second = words[1].casefold().strip(",")
    return len(second) > 4 and second.endswith("ed")


def _share(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a))
