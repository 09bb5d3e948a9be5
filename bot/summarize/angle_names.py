"""The names an angle's sentence gives: people, organisations and places.

A name counts towards what an outlet adds, and the line's framing ("Names ...") promises one;
so a date, an office, a possessive or a shouted slogan must not pass for a name.
"""

from __future__ import annotations

import re
from collections.abc import Container

from bot.models import Article
from bot.summarize.grounding import POSSESSIVE_RE
from bot.summarize.sentences import content_stems

# "Geneva Center for Security Policy" is one name: cut at "for", the label named "Geneva Center".
_NAME_RUN_RE = re.compile(
    r"(?<![\w'’])[A-Z][\w'’&-]*(?:\s+(?:of\s+|de\s+|the\s+|for\s+)?[A-Z][\w'’&-]*)*"
    r"(?:\s+[A-Z]\.)?"
)
# Days and months: capitalised, but they say when, not who or what.
CALENDAR_WORDS = frozenset(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December
    Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """.split()
)
_STOP_NAMES = CALENDAR_WORDS | frozenset(
    """
    The A An This That These Those It He She They We I In On At For And But Or Of To By With From
    As After Before While When Where What Why How Who Which There Here His Her Their Its Our
    Mr Mrs Ms Dr Sen Rep Gov Mayor President
    """.split()
)
# Offices before a name ("Secretary of State Hillary Clinton"): the person is the name, and an
# office alone names no one in particular.
_TITLES = frozenset(
    """
    Secretary Minister Prime Deputy Chancellor Senator Governor Lieutenant Chief Executive Attorney
    General Director Chairman Chairwoman Chair Speaker Commissioner Ambassador Judge Justice
    Officer Spokesman Spokeswoman Spokesperson Vice Acting Former King Queen Prince Princess Pope
    Premier Leader Representative Councillor Councilman Councilwoman Sheriff Inspector
    """.split()
)
_CONNECTORS = frozenset({"of", "de", "the", "for"})


# "Latin American", "South African": a people, not a name. The first word is one of a few, as
# any first name before "Brian" or "Christian" would read as a demonym too.
DEMONYM_RE = re.compile(
    r"^(?:(?:North|South|East|West|Central|Latin|Saudi)\s)?[A-Z][a-z]+(?:ern|ian|ean|ese|ish|ic|ans?)$"
)


def name_runs(sentence: str) -> list[str]:
    """Capitalised runs after the first word of the sentence: people, companies, places."""
    found: list[str] = []
    for match in _NAME_RUN_RE.finditer(sentence):
        for number, tokens in enumerate(_split_at_for(match.group(0).split())):
            # The first word of a sentence is capitalised anyway: "Mayor Elena Brandt" -> "Elena
            # Brandt".
            if match.start() == 0 and number == 0:
                tokens = tokens[1:]
            name = _name_of(tokens)
            if name:
                found.append(name)
    return found


def _name_of(tokens: list[str]) -> str:
    """The name a capitalised run's `tokens` give, or "" for none."""
    # A headline or slogan in capitals ("SAVE OUR WETLANDS NOW") is shouting, not a name.
    if len(tokens) > 2 and all(t.isupper() for t in tokens):
        return ""
    # "the Royal Family’s X account": the name is the Royal Family, what it owns is not.
    owner = next((i for i, t in enumerate(tokens[:-1]) if POSSESSIVE_RE.search(t)), None)
    if owner is not None:
        tokens = tokens[: owner + 1]
    tokens = _past_titles(tokens)
    if all(t in _TITLES for t in tokens):
        return ""  # an office alone ("the Prime Minister") names no one in particular
    # "Florida's largest cities": the name is Florida.
    name = POSSESSIVE_RE.sub("", " ".join(tokens).strip(".,'’"))
    # A lone short acronym ("AI", "EU") is a topic more often than a name.
    if len(tokens) == 1 and name.isupper() and len(name) <= 3:
        return ""
    return name


# "for" is inside a name only after an institution's or an office's word ("Center for Security
# Policy", "Secretary for Health"); elsewhere it joins two names: "left Barcelona for Paris".
_FOR_HEADS = frozenset(
    """
    Center Centre Institute Institution Council Committee Foundation Society Association Office
    Department Ministry Commission Agency Fund Alliance Coalition Campaign Movement League Union
    Board School College Academy Organisation Organization Bureau Service Trust Network Federation
    Partnership Secretary Minister Commissioner Coordinator Envoy Representative Advocates Project
    Program Programme Initiative Forum Party Group Fellowship Court Tribunal
    """.split()
)


def _split_at_for(tokens: list[str]) -> list[list[str]]:
    """A capitalised run's `tokens` as the names it holds: split at each "for" that follows no
    institution's word."""
    pieces: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        if token == "for" and i > 0 and tokens[i - 1] not in _FOR_HEADS:
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def _past_titles(tokens: list[str]) -> list[str]:
    """`tokens` after leading function words, dates and offices; an office's "of State" or "of
    the Treasury" goes with it. A title is only dropped before a name of two words or an "of":
    "General Motors" and "Justice Department" are names themselves."""
    while tokens and tokens[0] in _STOP_NAMES:
        tokens = tokens[1:]
    titled = False
    while tokens and tokens[0] in _TITLES and (len(tokens) > 2 or tokens[1:2] == ["of"]):
        tokens, titled = tokens[1:], True
    if titled and tokens[:1] == ["of"]:
        while tokens and tokens[0] in _CONNECTORS:
            tokens = tokens[1:]
        tokens = tokens[1:]
    return tokens


def known_person(name: str, other: Container[str]) -> bool:
    """Whether `name` is a person's name ("Alexey Navalny") whose surname some other outlet uses:
    it is the story's subject spelt another way ("Alexei Navalny"), not a name the others lack.
    Names with a connector ("Center for Security Policy") are institutions: all their words
    count, as the caller checks."""
    tokens = name.split()
    if len(tokens) < 2 or any(t in _CONNECTORS for t in tokens):
        return False
    surname = content_stems(POSSESSIVE_RE.sub("", tokens[-1]))
    return bool(surname) and all(s in other for s in surname)


def is_telling_name(name: str, article: Article) -> bool:
    """Whether `name` is worth a "Names ..." framing: a proper name of two words or more, or one
    word the outlet uses again (a lone capitalised word is as often a place in passing, an
    adjective or a slogan as the detail's subject)."""
    if len(name.split()) > 1:
        return True
    pattern = re.compile(rf"(?<![\w'’]){re.escape(name)}(?!\w)")
    return len(pattern.findall(f"{article.title}\n{article.text}")) > 1
