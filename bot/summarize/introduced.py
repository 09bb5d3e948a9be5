"""What a bullet leans on that the card has not introduced: an "also" continuing a sentence the
card does not show, or an event referred back to ("The talks last week came as ..."), which
make no bullet. A TL;DR bullet is read without the article it came from. Its words stay the
source's: a person a bullet names by surname alone is not given a first name here, since
guessing which person (or whether "the Pope" is a person's name at all) puts words in the
source's mouth.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.summarize.restated import RARE_DOCS, core_claim, undated
from bot.summarize.sentences import stem
from bot.summarize.wordmodel import DOC_FREQ

# "Six victims were also found dead", "The company has also said": an "also" in the main
# clause adds to something said before it.
_ALSO_RE = re.compile(r"^[^,;:—–]{0,60}?\s(?:also|too)\s", re.IGNORECASE)
# "The talks last week came as ...", "The move comes after ...": the subject stands for an event
# the article told before, and the sentence gives its background.
_CAME_AS_RE = re.compile(
    r"^(?:the|this|that|these|those|its|his|her|their)\s[^,;:]{0,60}?\s(?:came|comes|come|"
    r"followed|follows)\s(?:as|after|amid|days|weeks|months|just|shortly|a\sday|a\sweek|hours)\b",
    re.IGNORECASE,
)


# "X opened last year's conference with ...": an event of a year before, told as background.
_LAST_YEAR_RE = re.compile(r"\b(?:last year['’]s|a year ago|years ago|last year)\b", re.IGNORECASE)


def leans_on_earlier(text: str, core: str = "") -> bool:
    """Whether `text` continues a sentence it was not the first of: "also" in its main clause,
    or an event referred back to and given background ("The talks came as ..."); or whether its
    main clause (`core`) tells of a year before, the story's background, not its news."""
    return (
        _ALSO_RE.match(text) is not None
        or _CAME_AS_RE.match(text) is not None
        or (bool(core) and _LAST_YEAR_RE.search(core) is not None)
    )


# "And, ...", "Separately, ...", "In other news, ...": a roundup turning to another story. The
# connective is cut from a bullet (`compress`), which would then read as this story's news.
_TOPIC_SWITCH_RE = re.compile(r"^(?:and|separately|elsewhere|in other news),\s", re.IGNORECASE)


def turns_to_other_news(raw: str) -> bool:
    """Whether a source sentence, as written, turns from the story to another one."""
    return _TOPIC_SWITCH_RE.match(raw.lstrip("\"“‘' ")) is not None


# A sentence announcing its event ("X and Y will meet in Tarn on Tuesday", "are set to hold
# talks"): once another outlet reports the event held, the announcement is out of date.
_PREVIEW_RE = re.compile(
    r"\b(?:will|(?:is|are) (?:set|due|expected|scheduled|poised|slated) to|"
    r"to (?:hold|meet|begin|start|resume|open|sign|vote))\b",
    re.IGNORECASE,
)


def previews(text: str) -> bool:
    """Whether `text` announces an event to come rather than reporting one."""
    return _PREVIEW_RE.search(text) is not None


# A gallery's or a video's teaser ("A look back at the life of ...", "In pictures: ...", "Watch
# as ..."): it points at pictures, and says nothing happened.
_TEASER_RE = re.compile(
    r"^(?:(?:a|an|our|here'?s a|here is a|take a)\s+(?:\w+\s+)?(?:look|glimpse|journey)\s+"
    r"(?:back\s+)?(?:at|into|through|inside)|in\s+(?:pictures|photos|images)\b|"
    r"(?:see|view|watch|browse)\s+(?:the\s+|our\s+)?(?:photos|pictures|images|video|gallery)\b|"
    r"photos?\s*:|watch\s*:|watch\s+as\b)",
    re.IGNORECASE,
)


# "A look at the figures shows ...": the look is the subject of a finding, which is reporting.
_FINDING_RE = re.compile(r"\b(?:shows?|suggests?|reveals?|finds?|confirms?)\b")


def is_teaser(text: str) -> bool:
    """Whether `text` is a gallery's or a video's teaser rather than reporting (see `_TEASER_RE`)."""
    return _TEASER_RE.match(text.lstrip("\"“‘' ")) is not None and not _FINDING_RE.search(text)


_WEEKDAYS = frozenset(
    stem(d) for d in "monday tuesday wednesday thursday friday saturday sunday".split()
)
# Rare words one event's two tellings share at least (as the TL;DR's retelling check counts).
_EVENT_RARE = 2


def overtaken(sentences: Sequence[tuple[str, frozenset[str]]]) -> set[int]:
    """Which of `sentences` (text, content stems) announce an event another of them reports as
    done ("X and Y will meet in Tarn on Tuesday" beside "X and Y agreed ... at talks in Tarn on
    Tuesday"): on the card the announcement would contradict the report, whichever bullet it is
    paired with. One event by its day, which both name, and rare words they share; the same
    actors' next step on another day is news."""
    ahead = [previews(core_claim(text)) for text, _ in sentences]
    if not any(ahead) or all(ahead):
        return set()
    done = [stems for (_, stems), a in zip(sentences, ahead, strict=True) if not a]
    return {
        n
        for n, ((_, stems), a) in enumerate(zip(sentences, ahead, strict=True))
        if a and any(_same_day_event(stems, report) for report in done)
    }


def _same_day_event(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a & b & _WEEKDAYS:
        return False
    shared = undated(a) & undated(b)
    return sum(1 for s in shared if DOC_FREQ.get(s, 0) <= RARE_DOCS) >= _EVENT_RARE
