"""Whether another outlet's sentence reports a bullet's remark by quoting its words.

Outlets that report one remark paraphrase all around it (the speaker by name or by office, where
it was made) but quote the same words, so a quotation shared word for word can back a bullet
whose other words the sentence lacks. Shared words alone are not enough, though: a title or a
slogan ("Gone With the Wind") is quoted by everyone who mentions it, another speaker may use the
same words of something else, and a denial ("rejected claims that the report was 'a complete
fabrication'") quotes the words it disputes. So the quotation must be more than names, the
other sentence must report someone speaking, neither may frame the words as a claim it rejects, and
the two must give the words to one speaker, or at least name someone or somewhere alike outside
the quotation.
"""

from __future__ import annotations

import re

from bot.summarize.quote_marks import nested_bounds, quotation_bounds
from bot.summarize.sentences import content_stems, stem
from bot.summarize.speakers import (
    NOT_NAME_WORDS,
    SPEECH_VERB_RE,
    Name,
    name_key,
    same_speaker,
    speakers,
)
from bot.text_cache import SENTENCE_CHARS, text_cache
from bot.textutil import STOPWORDS

# A bullet's quotation with this many content words, quoted word for word by another outlet, is
# the same statement reported.
SHARED_QUOTE_MIN_STEMS = 2
# Share of the bullet's words outside its quotations the sentence must have when neither a
# speaker nor a name is known to be shared (see `_same_remark`).
SAME_SETTING_SHARE = 0.5

# Reporting verbs the speech-verb list of `speakers` leaves out because they name no speaker
# plainly enough for a misattribution check, though they do report a remark.
_MORE_SPEECH_RE = re.compile(
    r"\b(?:reiterat|repeat|dubb?|label|brand|praise|hail|criticis|criticiz|condemn|quot)\w*"
    r"|\b(?:declar|insist|warn|vow|announc|describ|stress|urg|claim|call|writ|argu)ing\b"
    r"|\baccording\s+to\b",
    re.IGNORECASE,
)
# Framing that reports the quoted words as a claim someone disputes, not as a remark made.
_DENIAL_RE = re.compile(
    r"\b(?:reject|den(?:y|ies|ied|ying)|dismiss|disput|refut|rebut)\w*"
    r"|\b(?:claims?|allegations?|suggestions?)\s+that\b",
    re.IGNORECASE,
)
# Words between a speaker and the speech verb: "has said", "did not call", "also told".
_AUXILIARIES = frozenset("has have had also then later again once did does do not never".split())
# Where the words naming a speaker before a speech verb start: a clause break or a quotation.
_SPEAKER_START_RE = re.compile(r"[,;:—–()\"“”«»]|\s-\s|\bthat\b|\bwho\b")
_SPEAKER_WORDS = 3
# Capitalised words that date a remark rather than name anyone: no shared name.
_CALENDAR = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday
    """.split()
)
_WORD_RE = re.compile(r"[\w'’-]+")


def quotes_alike(bullet: str, sentence: str, shared: frozenset[str]) -> bool:
    """Whether `sentence` quotes, word for word, a quotation of the bullet's that holds
    `SHARED_QUOTE_MIN_STEMS` content words and is not only names ("'deeply committed' to the
    success of" beside "is 'deeply committed to your success'"), shares a word of the bullet's
    outside it, and reports the same remark (`_same_remark`). A common phrase quoted about
    something else shares no word besides."""
    theirs = _quotations(sentence)
    if not theirs:
        return False
    for original, quote in zip(_original_quotations(bullet), _quotations(bullet), strict=True):
        quote_stems = frozenset(content_stems(" ".join(quote)))
        if len(quote_stems) < SHARED_QUOTE_MIN_STEMS or not shared - quote_stems:
            continue
        if _names_only(original):
            continue
        if any(_contains(words, quote) for words in theirs):
            return _same_remark(bullet, sentence)
    return False


def _same_remark(bullet: str, sentence: str) -> bool:
    """Whether two sentences sharing a quotation report one remark: the sentence reports
    speech, neither disputes the words, and one speaker says them (by name, or by the same office), or, where
    one names and the other gives only an office, they name someone or somewhere alike."""
    a, b = _unquoted(bullet), _unquoted(sentence)
    # The bullet may be a lead whose "X said" another sentence gave ("The US is 'going in the
    # wrong direction' as cases rise"); the sentence that backs it must report the speech.
    if not _speaks(b):
        return False
    if _DENIAL_RE.search(a) or _DENIAL_RE.search(b):
        return False
    one = one_speaker(bullet, sentence)
    if one is not None:
        return one
    # One of them names no speaker: they must name someone or somewhere alike, or tell most of
    # the same around the quotation (one outlet's lead beside another's with "X says that").
    mine = frozenset(content_stems(a))
    around = mine & frozenset(content_stems(b))
    return bool((_name_stems(a) | _name_stems(b)) & around) or (
        len(around) >= SAME_SETTING_SHARE * len(mine) > 0
    )


def one_speaker(a: str, b: str) -> bool | None:
    """Whether two sentences give their remarks to one speaker: True when both name one person
    or give one office, False when they name two or give two offices, None when either is
    unclear (no speaker read, or a name in one and an office in the other)."""
    named = same_named_speaker(a, b)
    if named is not None:
        return named
    a_roles, b_roles = _speaker_words(a)[1], _speaker_words(b)[1]
    if a_roles and b_roles:
        return any(x & y for x in a_roles for y in b_roles)
    return None


def same_named_speaker(a: str, b: str, plain: bool = False) -> bool | None:
    """Whether two sentences give their words to one named person: True when both name one,
    False when each names someone and no name of one can be the other's (`same_speaker`), None
    when either names no speaker. Offices are not read: "the mayor" and "officials" may be one.

    `plain`, for two sentences that share no quotation: only a name right before "said",
    "says" or "told", or after "said" or "says", is read (`_plainly_named`). Any speech verb
    serves when a quotation is shared; without one, "The economy added 900,000 jobs", "the
    secretary of state", "James's office said" or "The US says" beside "Antony Blinken said"
    are no speakers to set against each other."""
    a_names, b_names = _speaker_words(a, plain)[0], _speaker_words(b, plain)[0]
    if a_names and b_names:
        return any(same_speaker(x, y) for x in a_names for y in b_names)
    return None


def speaker_stems(text: str) -> frozenset[str]:
    """Content stems of the words naming whoever speaks in `text` ("Premier Anna Holm said",
    "the harbour minister told"): who, not what was said."""
    return _speaker_words(text)[2]


def named_stems(text: str) -> frozenset[str]:
    """Stems of the people and places `text` names: its capitalised words less little words,
    dates and offices ("Premier", "Mayor")."""
    return frozenset(s for s in _name_stems(text) if s not in _OFFICE_STEMS)


_OFFICE_STEMS = frozenset(stem(w) for w in NOT_NAME_WORDS)


def _speaks(unquoted: str) -> bool:
    return bool(SPEECH_VERB_RE.search(unquoted) or _MORE_SPEECH_RE.search(unquoted))


@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def _unquoted(text: str) -> str:
    """`text` with each quotation, marks and all, replaced by a dash: what the outlet says
    around the quoted words."""
    parts: list[str] = []
    at = 0
    for start, end in sorted(quotation_bounds(text)):
        if start - 1 < at:
            continue
        parts.append(text[at : start - 1])
        parts.append(" — ")
        at = end + 1
    parts.append(text[at:])
    return "".join(parts)


@text_cache(maxsize=256, max_chars=SENTENCE_CHARS)
def _speaker_words(
    text: str, plain: bool = False
) -> tuple[list[Name], list[frozenset[str]], frozenset[str]]:
    """Who `text` says spoke: names (`name_key`) and offices written in lower case ("the
    mayor"), each read from the few words before a speech verb outside the quotations (`plain`:
    before "said", "says" or "told", or a name right after "said" or "says"), and the content
    stems of all those words."""
    names: list[Name] = []
    roles: list[frozenset[str]] = []
    said_by: set[str] = set()
    unquoted = _unquoted(text)
    if plain:
        # ", said Mayor Ada Wren." names the speaker after the verb.
        names.extend(key for m in _SAID_NAME_RE.finditer(unquoted) if (key := name_key(m[1])))
    for match in (_PLAIN_SPEECH_RE if plain else SPEECH_VERB_RE).finditer(unquoted):
        before = _SPEAKER_START_RE.split(unquoted[: match.start()])[-1].split()
        while before and before[-1].casefold() in _AUXILIARIES:
            before.pop()
        words = before[-_SPEAKER_WORDS:]
        said_by.update(content_stems(" ".join(words)))
        # "The union said": a capitalised opener is no name.
        capitalised = [w for w in words if w[:1].isupper()]
        if plain and not _plainly_named(before, capitalised):
            continue
        if key := name_key(" ".join(capitalised)):
            names.append(key)
        elif stems := frozenset(content_stems(" ".join(words))):
            roles.append(stems)
    # '"...," said Mayor Ruiz', 'Ruiz, the mayor, said "..."': the forms `speakers` reads.
    for start, end in [] if plain else quotation_bounds(text):
        for name in speakers(text, start - 1, end + 1):
            names.append(name)
            said_by.update(stem(w) for w in name)
    return names, roles, frozenset(said_by)


def _plainly_named(before: list[str], capitalised: list[str]) -> bool:
    """Whether the words `before` a speech verb (from the clause's start) are a speaker and no
    more: a few words ("Harbour chief Ada Wren", "Sen. Joe Manchin on Thursday"), not a clause
    with a name in it ("putting him far from the lowest figure progressive Democrats have
    said"); ending on the name, not on what it qualifies ("James's office said", "Minnesota
    officials said"); and more than one word in capitals ("The US says": a country or a body by
    its initials, not a person)."""
    if not before or len(before) > _PLAIN_SPEAKER_WORDS or not before[-1][:1].isupper():
        return False
    named = [w for w in capitalised if w.casefold() not in NOT_NAME_WORDS]
    return not (len(named) == 1 and named[0].isupper())


# The most words a plainly named speaker's clause holds before its verb.
_PLAIN_SPEAKER_WORDS = 6


# The verbs that plainly say who spoke (`same_named_speaker`'s `plain`), and a name after one.
_PLAIN_SPEECH_RE = re.compile(r"\b(?:say|says|said|tell|tells|told)\b", re.IGNORECASE)
_SAID_NAME_RE = re.compile(
    r"\b(?:said|says)\s+((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)(?=\s*[.,;:]|\Z)"
)


def _name_stems(text: str) -> frozenset[str]:
    """Stems of the capitalised words of `text` (its first too: "Premier Holm said"), less
    little words and dates."""
    return frozenset(
        stem(w.casefold())
        for w in _WORD_RE.findall(text)
        if w[:1].isupper() and w.casefold() not in STOPWORDS and w.casefold() not in _CALENDAR
    )


def _names_only(quote: str) -> bool:
    """Whether every content word of a quotation is capitalised: a title, a name or a slogan
    ("Gone With the Wind", "Make Tolberg Great Again"), quoted by all who mention it."""
    words = [
        w for w in _WORD_RE.findall(quote) if w.casefold() not in STOPWORDS and w[:1].isalpha()
    ]
    return bool(words) and all(w[:1].isupper() for w in words)


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def _original_quotations(text: str) -> tuple[str, ...]:
    """The quotations `_quotations` reads, as written: those nested at most _QUOTATION_DEPTH
    deep, so a quotation within a quotation ("'called it “deeply flawed”'") is still one to
    share, and hostile nesting is read a few times over, not once per mark."""
    return tuple(
        span
        for start, end in nested_bounds(text, _QUOTATION_DEPTH)
        if _WORD_RE.search(span := text[start:end])
    )


# Quotations nested deeper than this in a sentence are read only within those holding them.
_QUOTATION_DEPTH = 3


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def _quotations(text: str) -> tuple[tuple[str, ...], ...]:
    """Each quotation's words, case-folded."""
    return tuple(
        tuple(w.casefold() for w in _WORD_RE.findall(span)) for span in _original_quotations(text)
    )


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))
