"""Names that tell nothing an angle adds, so no "Names ..." framing promises one.

The story's own subjects: an outlet naming one again ("Names Donald Trump" under "Trump unloads
on ...") adds nothing the card lacks, however few of the other outlets spell the name the same
way. And names of every story or of none: a place or body all national news names ("United
States", "Capitol Hill"), the publication a statement was given to ("told Fox News"), a web
page's furniture ("Wayback Machine", "JavaScript").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from bot.models import Article
from bot.summarize.angle_names import CONNECTORS, FOR_HEADS
from bot.summarize.grounding import POSSESSIVE_RE
from bot.summarize.sentences import content_stems

# An outlet count past this share names the story's subject, not one outlet's detail.
SUBJECT_SHARE = 0.5


class StorySubjects:
    """Asked by membership: whether a name is one the story is about. A name in the card's
    headline, or a person's surname there ("Donald Trump" under "Trump unloads ..."), or a name
    whose words more than half the story's outlets (two at least) use.

    Outlets are read as the sets of stems they use (`outlet_stems`), which the angles build
    anyway: searching every outlet's whole text for each name cost a big story seconds."""

    __slots__ = ("_headline", "_outlets", "_seen")

    def __init__(self, headline: str, outlet_stems: Sequence[Collection[str]]) -> None:
        self._headline = headline
        self._outlets = outlet_stems
        self._seen: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or not name:
            return False
        known = self._seen.get(name)
        if known is None:
            known = self._seen[name] = self._about(name)
        return known

    def _about(self, name: str) -> bool:
        last = surname(name)
        if _has_word(self._headline, name) or (last and _has_word(self._headline, last)):
            return True
        stems = content_stems(name)
        if len(self._outlets) < 2 or not stems:
            return False
        using = sum(1 for outlet in self._outlets if all(s in outlet for s in stems))
        return using >= 2 and using > SUBJECT_SHARE * len(self._outlets)


def _has_word(text: str, words: str) -> bool:
    return re.search(rf"(?<![\w'’-]){re.escape(words)}(?![\w-])", text) is not None


def texts_of(articles: Sequence[Article]) -> str:
    """An outlet's titles and texts, one string."""
    return "\n".join(f"{a.title}\n{a.text}" for a in articles)


# Places and institutions every story of national news names: "Names White House" tells the
# reader nothing about what the outlet adds.
_GENERIC_NAMES = frozenset(
    name.strip()
    for name in """
    United States|U.S.|US|USA|America|United Kingdom|U.K.|UK|Britain|Great Britain|White House
    |Capitol Hill|Capitol|Congress|U.S. Congress|House|Senate|Washington|Washington, D.C.
    |Oval Office|East Room|West Wing|Legislature|Cabinet|Big Apple|Internet
    """.replace("\n", "").split("|")
    if name.strip()
)
# A lone capitalised word that stands for a body the sentence already named ("the Academy said",
# "the 70th Precinct"): no name of its own.
_INSTITUTION_WORDS = frozenset(
    """
    Academy Agency Board Bureau Cabinet Channel Chamber Commission Committee Council Court
    Department Legislature Ministry Parliament Precinct Senate House Congress Assembly Government
    Administration Office Police
    """.split()
)
# A page's furniture read as a name: "You need to enable JavaScript", "delete your Tweet
# location history", "added to the Wayback Machine", "URLs including their embeds".
_PAGE_WORDS = frozenset(
    """
    URL URLs Tweet Tweets JavaScript Javascript Wayback Machine Pay-Per-View On-Demand Embed
    Cookies Newsletter Browser
    """.split()
)
# A publication: the outlet a statement was given to ("told Fox News", "to The Associated Press")
# is where the words went, not what the outlet adds.
_PUBLICATION_RE = re.compile(
    r"(?:[A-Z][\w.&'’-]*\s+){0,3}(?:News|Times|Post|Journal|Press|Tribune|Herald|Gazette"
    r"|Telegraph|Guardian|Reuters|Bloomberg|CNN|CNBC|BBC|NPR|NBC|ABC|CBS|AFP|Politico|Axios"
    r"|Weekly|Magazine|Business|Daily|Blog|TV|Radio|Jazeera|Al-Jazeera|Newsweek|Insider)"
)


_COMPASS = frozenset("Eastern Western Northern Southern Central Mid Upper Lower".split())


def is_uninformative(name: str) -> bool:
    """Whether `name`, though a name, says nothing a "Names ..." framing should promise: a place
    or institution of every story ("United States", "Capitol Hill"), a body's lone word, a
    publication, or a web page's furniture."""
    words = name.split()
    # "the Eastern United States", "Northern California": a part of a place.
    if len(words) > 1 and words[0] in _COMPASS:
        words = words[1:]
        name = " ".join(words)
    if name in _GENERIC_NAMES or _PUBLICATION_RE.fullmatch(name) or "News" in words:
        return True
    if len(words) == 1 and name in _INSTITUTION_WORDS:
        return True
    return any(w in _PAGE_WORDS for w in words)


# A person's name's last word is never one of these: "White House", "Supreme Court", "Senate
# Bill 8" name places and things, whose last word alone is no one.
_NOT_SURNAMES = FOR_HEADS | frozenset(
    """
    House Hill Court City County State States Street Park Square River Island Islands Republic
    Kingdom Union Nations Coast Valley Bay Lake Mountain Act Bill Agreement Day Party Times News
    Post Journal Machine Room Office Building
    """.split()
)


def surname(name: str) -> str:
    """The last word of `name` when it reads as a person's ("Donald Trump" -> "Trump"), else "":
    two to four capitalised words, no connector, not ending on a place's or a body's word."""
    words = POSSESSIVE_RE.sub("", name).split()
    if not 2 <= len(words) <= 4 or any(w in CONNECTORS for w in words):
        return ""
    last = words[-1]
    if last in _NOT_SURNAMES or not last[:1].isupper() or not last.isalpha() or last.isupper():
        return ""
    return last
