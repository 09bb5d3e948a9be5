"""Whether an angle's line stands alone, and whether it is someone's voice.

A line has no sentence before it on the card: one opening on a word standing for what came
before ("he", "That list ..."), speaking as an unnamed "I" or "we", or an exclamation no one is
said to have made needs what it leaves out. A line is a voice when someone is said to say it
with a speaker the others do not name, or quotes a few words whoever says them
(`angle_lines.angle_line` frames it "Adds a voice:"). Moved from `angle_lines` unchanged.
"""

from __future__ import annotations

import re

from bot.summarize.clauses import leans_on_context
from bot.summarize.finite_verbs import PUNCT
from bot.summarize.quote_marks import quotation_bounds

_SPEECH_VERBS = (
    r"said|says|saying|told|tells|telling|argued|argues|arguing|warned|warns|warning|wrote"
    r"|writes|added|adds|cautioned|cautions|defended|defends|insisted|insists|declared|stated"
    r"|explained|acknowledged|admitted|conceded|stressed|vowed|replied|recalled|tweeted"
    r"|urged|predicted"
)
SPEECH_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
# A quotation this long is someone's words, not a scare-quoted phrase ("“a good number”").
VOICE_MIN_QUOTED_WORDS = 4


def quotes_words(detail: str) -> bool:
    return any(
        len(detail[start:end].split()) >= VOICE_MIN_QUOTED_WORDS
        for start, end in quotation_bounds(detail)
    )


def mostly_quoted(detail: str) -> bool:
    """Whether `detail` is mostly someone's quoted words, the rest their speaker ("“...,” Hale
    said."): a name there is who speaks, and the line adds a voice more than a name."""
    quoted = sum(len(detail[start:end].split()) for start, end in quotation_bounds(detail))
    return quoted >= VOICE_MIN_QUOTED_WORDS and 2 * quoted > len(detail.split())


# A pronoun glued to its verb ("He's", "They're", "That's"): `leans_on_context` reads the word
# whole. "It's" stays: as often "It's not clear whether ...", which says what it means alone.
_CONTRACTED_ANAPHOR_RE = re.compile(r"^(?:he|she|they|that|this|these|those)['’]\w+\b", re.I)


# A line opening on one of these speaks as someone ("I'll ...", "We did ...") whom only a
# speaker named in the line makes anyone.
_FIRST_PERSONS = frozenset("i i'm i'll i've i'd we we're we'll we've my our us you your".split())
_BARE_CUE_RE = re.compile(
    rf"(?:^|[,:] )(?:he|she|they|it|we|i)\s+(?:\w+\s+)?(?:{_SPEECH_VERBS})[.:]?$",
    re.IGNORECASE,
)
# "This week", "That morning": a demonstrative before a time says when, and needs nothing before.
_TIME_NOUNS = frozenset(
    "year week month morning afternoon evening night weekend summer spring fall autumn winter "
    "time season quarter day decade century".split()
)


def leans(detail: str) -> bool:
    """Whether the shown detail needs something said before it: it opens on a word standing for
    it (a pronoun, "That list ..." where the card never said which list: the clause test lets
    "That plan was ..." stand, but a line has no sentence before it at all), or speaks as an
    "I" or "we" with no speaker named, or is an exclamation no one is said to have made ("I'll
    Tase you!")."""
    if leans_on_context(detail) or _CONTRACTED_ANAPHOR_RE.match(detail) is not None:
        return True
    words = [w.casefold().strip(PUNCT).replace("’", "'") for w in detail.split()[:2]]
    if not words:
        return False
    # Inside a quotation ("“That is not me,” Jackson said") the speaker's words point at what
    # the speaker had in mind: the line names the speaker, as the checks below ask.
    quoted = detail[:1] in "\"'“‘«"
    if words[0] in ("that", "this", "these", "those") and len(words) > 1 and not quoted:
        return words[1] not in _TIME_NOUNS
    # "On another occasion, she writes.": a speaker's cue whose words the line leaves out.
    if _BARE_CUE_RE.search(detail):
        return True
    spoken = SPEECH_RE.search(detail) is not None
    # An exclamation with no one named in it ("I'll Tase you!"): whose, the line cannot say.
    exclaims = detail.rstrip("\"'”’)").endswith("!") and not any(
        w[:1].isupper() for w in detail.split()[1:]
    )
    return not spoken and (words[0] in _FIRST_PERSONS or exclaims)
