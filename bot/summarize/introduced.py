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
from itertools import pairwise

from bot.summarize.finite_verbs import ADVERBS, PUNCT, VERB_WORDS
from bot.summarize.quote_marks import open_quotes, quotation_bounds
from bot.summarize.restated import RARE_DOCS, core_claim, undated
from bot.summarize.sentences import stem
from bot.summarize.wordmodel import DOC_FREQ
from bot.textutil import STOPWORDS

# "Six victims were also found dead", "The company has also said": an "also" in the main
# clause adds to something said before it. Without the word the sentence states its own fact
# ("Six victims were found dead ..."), which is how a bullet gives it (`without_also`). Only the
# lowercase word: "played Also Sprach Zarathustra" names a work, and dropping it misnames it.
_ALSO_RE = re.compile(r"^[^,;:—–]{0,60}?\s(also)\s")
# "not only ... but also", "also known as": the word is part of a phrase, not an addition.
_ALSO_PHRASE_BEFORE = frozenset({"but", "only"})
_ALSO_PHRASE_AFTER = frozenset({"known", "called", "named"})
# "The mayor, too, said ...", "Fares rose too.": "too" as "also" stands beside commas or ends the
# sentence; "too fast", "too strong" mean excessively and are the sentence's own claim.
_TOO_RE = re.compile(r"^[^;:—–]{0,60}?(?:,\s*too\b|\stoo\s*[.!]?$)", re.IGNORECASE)
# "The talks last week came as ...", "The move comes after ...": the subject stands for an event
# the article told before, and the sentence gives its background.
_CAME_AS_RE = re.compile(
    r"^(?:the|this|that|these|those|its|his|her|their)\s[^,;:]{0,60}?\s(?:came|comes|come|"
    r"followed|follows)\s(?:as|after|amid|days|weeks|months|just|shortly|a\sday|a\sweek|hours)\b",
    re.IGNORECASE,
)


# "X opened last year's conference with ...": an event of a year before, told as background.
_LAST_YEAR_RE = re.compile(r"\b(?:last year['’]s|a year ago|years ago|last year)\b", re.IGNORECASE)
# "... compared with last year", "higher than a year ago", "up from last year": last year as the
# measure of this year's news, not the time of the event told.
_COMPARED_RE = re.compile(
    r"\b(?:than|compared|from|since|versus|vs\.?|against|over)\b(?:\s+\S+){0,3}\s*$",
    re.IGNORECASE,
)


def without_also(text: str) -> str | None:
    """`text` with the "also" of its main clause left out ("Six victims were found dead in the
    school"), the rest word for word; `text` itself when it has none; None when the word is part
    of a phrase ("not only ... but also") that reads wrong without it, or stands inside a
    quotation: a bullet never changes what someone is quoted as saying, so the sentence makes no
    bullet, as an "also" sentence made none before."""
    match = _ALSO_RE.match(text)
    if match is None:
        return text
    if any(start <= match.start(1) < end for start, end in quotation_bounds(text)):
        return None
    # `quotation_bounds` may read a single quotation's close as a possessive ("the port 'will
    # also raise harbour fees' next summer"); a quotation still open before the word is enough.
    if open_quotes(text[: match.start(1)]):
        return None
    before = text[: match.start(1)].split()
    after = text[match.end(1) :].split()
    folded = [word.casefold() for word in before]
    # "not only cuts fares but will also add ferries": the "also" answers the "not only".
    not_only = any(a == "not" and b == "only" for a, b in pairwise(folded))
    if (
        not_only
        or (folded and folded[-1] in _ALSO_PHRASE_BEFORE)
        or (after and after[0].casefold().strip(",.") in _ALSO_PHRASE_AFTER)
    ):
        return None
    return text[: match.start(1)].rstrip() + text[match.end(1) :]


def _of_a_year_before(core: str) -> bool:
    """Whether a main clause tells an event of a year before: "opened last year's regatta".
    Not last year as a comparison ("than a year ago") or a year's result ("a profit of $2
    billion last year"): this year's news, measured."""
    if any(ch.isdigit() for ch in core):
        return False
    for match in _LAST_YEAR_RE.finditer(core):
        possessive = match.group(0).casefold().startswith("last year") and len(match.group(0)) > 9
        if possessive or not _COMPARED_RE.search(core[: match.start()]):
            return True
    return False


def leans_on_earlier(text: str, core: str = "") -> bool:
    """Whether `text` continues a sentence it was not the first of: "too" beside its subject,
    or an event referred back to and given background ("The talks came as ..."); or whether its
    main clause (`core`) tells of a year before, the story's background, not its news. An "also"
    is left out instead (`without_also`)."""
    return (
        _TOO_RE.match(text) is not None
        or _CAME_AS_RE.match(text) is not None
        or (bool(core) and _of_a_year_before(core))
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
    r"^(?:(?:a|an|our|here'?s a|here is a|take a)\s+(?:\w+\s+)?(?:look|glimpse)\s+"
    r"(?:back\s+)?(?:at|into|inside)|in\s+(?:pictures|photos|images)\s*(?:[:|–—-]|$)|"
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


# A description opening a sentence ("The Texas lawmaker blamed ...", "The proposed measures come
# ...", "The agency is ...") stands for someone or something its article named before: "The", a
# few modifiers and a lower-case noun, then straight away the verb or an aside's comma. One with
# words of its own after the noun ("The number of Americans ...", "The leaders of two agencies
# ...") or a name ("The Senate", "The Consumer Price Index") introduces itself.
_MAX_MODIFIERS = 3
# Words after which a lower-case "-s" word is the verb, not a plural: "The suit argues that".
_AFTER_VERB = frozenset("the a an that to his her its their this these those".split())
# "..., said the officials, who ...", "..., the officials said": a report by people named before.
_REPORTERS_RE = re.compile(
    r"\b(?:said|says|according\sto)\sthe\s([a-z]+)\b(?!\s(?:of|at|for|from|in|with)\b)"
    r"|,\sthe\s([a-z]+)\s(?:said|say|says)\b"
)
# The nouns outlets stand in for someone or something they named before. Not the story's own
# object ("The bill", "The lawsuit", "The order"), a figure's ("The unemployment rate") or a
# report's ("The video", "The study"): those read alone, and on the dev stories leaving them out
# cost ROUGE-1 0.1-0.2 a subset for little a reader misses.
_STAND_INS = frozenset(
    stem(w)
    for w in """
    official officials source sources lawmaker lawmakers legislator legislators senator
    congressman congresswoman governor mayor leader leaders spokesman spokeswoman spokesperson
    lawyer lawyers attorney attorneys agency department firm company group team trio duo pair
    couple man woman boy girl suspect victim victims singer actor actress star rapper player
    philanthropist billionaire officer officers measures proposal move
    """.split()
)
# An organisation's name on the card introduces "the agency", "the firm": its last word.
_ORGANISATIONS = frozenset(stem(w) for w in "agency department company firm group".split())
_ORGANISATION_NAMES_RE = re.compile(
    r"\b(?:Administration|Department|Agency|Services?|Commission|Bureau|Office|Board|Centers|"
    r"Institute|Inc|Corp|Co|Company|Group|Authority|Council|Committee)\b"
)


def described(text: str) -> tuple[str, ...]:
    """The stems of the nouns standing for someone or something said before (`_STAND_INS`)
    that `text` opens on ("The agency is ...") or gives its report to ("... said the
    officials"). A card shows the bullet without its article: each must be on it before."""
    tokens = text.split()
    heads = [_opening_head(tokens) if tokens and tokens[0] == "The" else None]
    heads.extend(g for found in _REPORTERS_RE.finditer(text) for g in found.groups())
    stems = (stem(head.casefold()) for head in heads if head)
    return tuple(dict.fromkeys(s for s in stems if s in _STAND_INS))


def introduces(text: str, stems: frozenset[str], noun: str) -> bool:
    """Whether a bullet (`text`, its content `stems`) introduces the `described` noun: it says
    the noun itself, or names an organisation for "the agency" to stand for."""
    if noun in stems or any(s.endswith(noun) for s in stems):
        return True  # "lawsuits" for "the suit"
    return noun in _ORGANISATIONS and _ORGANISATION_NAMES_RE.search(text) is not None


def _opening_head(tokens: list[str]) -> str | None:
    """The noun of the bare description opening `tokens` (after its "The"), if it is one."""
    phrase: list[str] = []
    for n, token in enumerate(tokens[1 : 2 + _MAX_MODIFIERS], start=1):
        word = token.strip(PUNCT)
        low = word.casefold()
        following = tokens[n + 1].casefold() if n + 1 < len(tokens) else ""
        # A verb, or an adverb before it ("The agency reportedly ..."), ends the phrase.
        verb = low in VERB_WORDS or low in ADVERBS or (len(low) >= 5 and low.endswith(("ed", "ly")))
        verb = verb or (low.endswith("s") and following in _AFTER_VERB)
        if phrase and word[:1].islower() and verb:
            break  # the verb right after the noun: a bare description
        if low in STOPWORDS or not word:
            return None  # "The number of ...": the phrase goes on
        phrase.append(word)
        if token.endswith(","):
            break  # "The lawsuit, filed in ...,": an aside after the noun
    else:
        return None
    head = phrase[-1]
    return head if head[:1].islower() and head.replace("-", "").isalpha() else None
