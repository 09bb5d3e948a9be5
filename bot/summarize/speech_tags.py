"""Whether the words after a quoted question or exclamation are its speech tag.

'“Is this legal?” Jones asked reporters.' is one sentence: the "?" ends the quotation, not the
sentence, and the capital after it opens a name, not a new sentence. Split there, the tag stands
alone as a bullet ("Jones asked reporters.") that says nothing. A stop inside a quotation before
a name and a speech verb is read as the quotation's own, the sentence going on to its tag.

Only verbs that report the quotation's manner ("asked", "shouted", "wondered") are taken
whatever follows them. A plain reporting verb may open a sentence of its own just as well ('“Why
now?” Smith said the timing was deliberate.'), so "said", "told", "wrote" and the like are a tag
only when what follows cannot be their own report: a stop, a comma, a preposition or a time
word ("Jones said on Monday.", "she told reporters in Ohio.").
"""

from __future__ import annotations

import re

# Verbs a quoted question or exclamation is tagged with, that report nothing of their own.
_MANNER_VERBS = (
    r"asked|asks|wondered|wonders|demanded|demands|shouted|shouts|yelled|yells|exclaimed"
    r"|exclaims|cried|cries|screamed|screams|chanted|chants|pleaded|pleads|quipped|quips"
    r"|joked|jokes|whispered|whispers|interjected|interjects|snapped|snaps|mused|muses"
)
# Verbs that tag a quotation as often as they open a report of their own.
_REPORT_VERBS = (
    r"said|says|added|adds|wrote|writes|replied|replies|responded|responds"
    r"|answered|answers|continued|continues|insisted|insists|recalled|recalls|tweeted|tweets"
    r"|posted|posts|countered|counters|declared|declares|warned|warns"
)
# Who speaks: a pronoun, or a name of up to four capitalised words ("Jones", "Mr. Jones",
# "Sen. Ann Jones", "O'Neill"), maybe with an adverb before the verb ("Jones later asked").
_SPEAKER = r"(?:he|she|they|we|i|you|(?-i:[A-Z][\w'’.-]*)(?:\s+(?-i:[A-Z][\w'’.-]*)){0,3})"
_ADVERB = r"(?:\s+(?:also|then|later|again|once|\w+ly))?"
_NAME = r"(?-i:[A-Z][\w'’.-]*)(?:\s+(?-i:[A-Z][\w'’.-]*)){0,3}"
# What may follow a plain reporting verb in its tag: nothing (a stop or a comma), where, when
# or to whom it was said.
_TAG_GOES_ON = (
    r"(?:[,.;:!?—–]|\s*$|\s+(?:to|in|on|at|during|after|before|as|while|when|from|about|with"
    r"|through|via|outside|inside|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|today|yesterday|tonight|last|this|earlier|later|afterward|afterwards|recently)\b)"
)
# To whom "told" said it: a word or two ("reporters", "the crowd", "Fox News").
_TOLD_WHOM = r"(?:\s+(?:the\s+)?[\w'’.-]+(?:\s+(?-i:[A-Z])[\w'’.-]*)?)?"
_VERB = (
    rf"(?:(?:{_MANNER_VERBS})\b|(?:{_REPORT_VERBS}){_TAG_GOES_ON}"
    rf"|(?:told|tells){_TOLD_WHOM}{_TAG_GOES_ON})"
)
_TAG_RE = re.compile(
    rf"{_SPEAKER}{_ADVERB}\s+{_VERB}"
    rf"|(?:{_MANNER_VERBS}|{_REPORT_VERBS}|told|tells)\s+{_NAME}\s*(?:[,.;:!?]|$)",
    re.IGNORECASE,
)
# The closing marks a quotation ends with: a tag follows only a quotation, not a bracket.
_QUOTE_CLOSERS = frozenset("\"'”’»")


def tags_quotation(text: str, stop: int, at: int) -> bool:
    """Whether the "?" or "!" at `stop`, closed by a quotation mark, is the quotation's own and
    the words from `at` (past the mark and a space) are its speech tag: the sentence goes on."""
    if text[stop] not in "?!" or not _QUOTE_CLOSERS.intersection(text[stop + 1 : at]):
        return False
    return _TAG_RE.match(text, at) is not None
