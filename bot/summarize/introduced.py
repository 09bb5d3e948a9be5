"""What a bullet leans on that the card has not introduced: a person named by surname alone
("Meta declined to comment on Sánchez's call", which gets the full name the story gives), an
"also" continuing a sentence the card does not show ("Six victims were also found dead"), or an
event referred back to ("The talks last week came as ..."), which make no bullet. A TL;DR
bullet is read without the article it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from bot.summarize.grounding import POSSESSIVE_RE, entities
from bot.summarize.restated import RARE_DOCS, core_claim, undated
from bot.summarize.sentences import stem
from bot.summarize.wordmodel import DOC_FREQ

# A surname in at least this many of the lexicon's 7,356 training articles is one readers know
# alone ("Trump", "Obama", "Putin"), as is a place ("Korea" of "South Korea"). One in fewer
# ("Sánchez", "Jerí") needs the full name somewhere on the card.
KNOWN_NAME_DOCS = 50
# Words that make a longer name a title or a place, not a person's full name ("Strait of
# Hormuz", "The Hague"): their last word alone is not a surname.
_NOT_PERSON_WORDS = frozenset({"of", "the", "de", "for", "and"})


_LOWER_WORD_RE = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(POSSESSIVE_RE.sub("", t) for t in name.split())


def full_forms(texts: Iterable[str]) -> dict[str, str]:
    """Per surname, the one full name the story gives it ("Sánchez": "Pedro Sánchez" of "Prime
    Minister Pedro Sánchez"): a capitalised given name before it that the story never writes in
    lower case (not "Minister", not "Builder" opening a sentence). A surname two people share in
    the story ("Ann Roe", "Bo Roe") has none: which one a bullet means is not known."""
    texts = list(texts)
    # Words the story writes in lower case: titles and common words, whatever case a sentence
    # start gives them.
    lower = {w for text in texts for w in _LOWER_WORD_RE.findall(text)}
    found: dict[str, set[str]] = {}
    for text in texts:
        for name in _names(text):
            if len(name) < 2 or _NOT_PERSON_WORDS & {t.casefold() for t in name}:
                continue
            # A name opening its sentence may open on a common word ("Builder Brakk will ...").
            if len(name) == 2 and text.lstrip("\"“‘'(").startswith(name[0]):
                continue
            given, surname = name[-2], name[-1]
            if given.isalpha() and given.casefold() not in lower and _name_like(surname):
                found.setdefault(surname, set()).add(f"{given} {surname}")
    return {surname: next(iter(forms)) for surname, forms in found.items() if len(forms) == 1}


def _name_like(word: str) -> bool:
    return len(word) >= 3 and word[:1].isupper() and word.replace("-", "").isalpha()


@lru_cache(maxsize=8192)
def _names(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(_tokens(name) for name in entities(text))


def introduce(text: str, forms: dict[str, str], known: Iterable[str] = ()) -> str:
    """`text` with the first mention of each person it names by surname alone given in full
    ("Meta declined to comment on Pedro Sánchez's call"), when the story names them in full
    (`full_forms`), the reader has not met them (`known`: surnames already named in full) and
    does not know the surname alone (see `KNOWN_NAME_DOCS`). Both words are the story's own."""
    names = _names(text)
    known = set(known)
    for surname in unknown_short_names(text):
        if surname not in forms or surname in known:
            continue
        if any(len(n) > 1 and n[-1] == surname for n in names):
            continue  # named in full here, or with a title ("Mr. Roe")
        match = re.search(rf"(?<![\w'’.-]){re.escape(surname)}(?![\w-])", text)
        if match is None or _after_capital(text, match.start()):
            continue
        text = text[: match.start()] + forms[surname] + text[match.start() + len(surname) :]
    return text


def unknown_short_names(text: str) -> frozenset[str]:
    """The one-word names in `text` readers may not know alone (see `KNOWN_NAME_DOCS`)."""
    return frozenset(
        n[0]
        for n in _names(text)
        if len(n) == 1
        and _name_like(n[0])
        and DOC_FREQ.get(stem(n[0].casefold()), 0) < KNOWN_NAME_DOCS
    )


def named_in_full(text: str) -> frozenset[str]:
    """The surnames `text` gives with a name or title before them: whom it introduces."""
    return frozenset(n[-1] for n in _names(text) if len(n) >= 2)


def _after_capital(text: str, at: int) -> bool:
    """Whether the word at `at` follows a capitalised word: part of a longer name, or after a
    title ("Mr.", "Gov.") the entity reader split off."""
    before = text[:at].split()
    return bool(before) and before[-1][:1].isupper() and not before[-1].endswith((",", ";", ":"))


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
