"""The names an angle's sentence gives: people, organisations and places.

A name counts towards what an outlet adds, and the line's framing ("Names ...") promises one;
so a date, an office, a possessive or a shouted slogan must not pass for a name. Which names are
worth the framing is `telling_names`'.
"""

from __future__ import annotations

import re

from bot.summarize.grounding import POSSESSIVE_RE
from bot.summarize.sentences import ABBREVIATIONS, PLACE_ABBREVIATIONS

# One word of a name: a dotted acronym ("U.S.", "D.C."), an abbreviation the sentence splitter
# does not end a sentence at ("Rep.", "Sen.", "Jr."), an initial ("W." of "George W. Bush") or a
# capitalised word. Without the dotted forms a name stopped at the dot: "George W" and "Bush".
_ABBREVIATED = "|".join(
    sorted(
        {re.escape(a.capitalize()) for a in ABBREVIATIONS if a.isalpha()} | PLACE_ABBREVIATIONS,
        key=len,
        reverse=True,
    )
)
# An Arabic name's article is part of it: "al-Qaeda", "Ayman al-Zawahiri". Without it the name
# was clipped to "Qaeda".
_PARTICLE = r"(?:(?:al|el|ad|ash|as|at|ar|an|az|bin|ibn|abu)[-‑]|al\s)"
_NAME_WORD = rf"(?:[A-Z](?:\.[A-Z])+\.?|(?:{_ABBREVIATED})\.|[A-Z]\.|{_PARTICLE}?[A-Z][\w'’&-]*)"
# "Geneva Center for Security Policy" is one name: cut at "for", the label named "Geneva Center".
# An ampersand between capitalised words joins a firm's names: "Procter & Gamble".
_NAME_RUN_RE = re.compile(
    rf"(?<![\w'’.-]){_NAME_WORD}(?:\s+(?:of\s+|de\s+|the\s+|for\s+|&\s+)?{_NAME_WORD})*"
)
# Days and months: capitalised, but they say when, not who or what.
CALENDAR_WORDS = frozenset(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December
    Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """.split()
)
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_STOP_NAMES = CALENDAR_WORDS | frozenset(
    """
    The A An This That These Those It He She They We I In On At For And But Or Of To By With From
    As After Before While When Where What Why How Who Which There Here His Her Their Its Our
    """.split()
)
# Offices before a name ("Secretary of State Hillary Clinton"): the person is the name, and an
# office alone names no one in particular.
_TITLES = frozenset(
    """
    Secretary Minister Prime Deputy Chancellor Senator Governor Lieutenant Chief Executive Attorney
    General Director Chairman Chairwoman Chair Speaker Commissioner Ambassador Judge Justice
    Officer Spokesman Spokeswoman Spokesperson Vice Acting Former King Queen Prince Princess Pope
    Premier Leader Representative Councillor Councilman Councilwoman Sheriff Inspector Editor
    Correspondent Adviser Advisor Administrator Superintendent Treasurer Whip
    """.split()
)
# Titles that only ever stand before a person, so one word after them is a name ("Mr. Obama",
# "Sen. Hirono"); a dot makes an abbreviation one ("Gen. Milley", but "Gen Z").
_HONORIFICS = frozenset("Mr Mrs Ms Dr Sen Rep Gov Mayor President".split())
_DOTTED_HONORIFICS = _HONORIFICS | frozenset(
    "Mx Prof Sens Reps Lt Gen Col Maj Capt Sgt Cmdr Adm Rev Hon Pres Supt Det".split()
)
# Party words before a person ("Democrat Joe Manchin"); before an institution's word they are
# part of its name ("Republican National Committee").
_PARTY_WORDS = frozenset(
    "Democrat Democratic Republican GOP Independent Labour Conservative Tory Liberal".split()
)
CONNECTORS = frozenset({"of", "de", "the", "for", "&"})
# Roman numerals end names ("World War I", "Henry V."); any other letter with a dot is an initial.
_NUMERALS = frozenset("I V X".split())


# "Latin American", "South African": a people, not a name. The first word is one of a few, as
# any first name before "Brian" or "Christian" would read as a demonym too.
DEMONYM_RE = re.compile(
    r"^(?:(?:North|South|East|West|Central|Latin|Saudi)\s)?[A-Z][a-z]+(?:ern|ian|ean|ese|ish|ic|ans?)$"
)
# Marks a sentence may open with before its first word, and that quote a phrase.
_OPENING_MARKS = "\"'“‘«([ "
_OPEN_QUOTES = "\"“‘«'"
_CLOSE_QUOTES = "\"”’»'"


def name_runs(sentence: str) -> list[str]:
    """Capitalised runs after the first word of the sentence: people, companies, places."""
    found: list[str] = []
    for match in _NAME_RUN_RE.finditer(sentence):
        # A run in quotation marks of its own is a phrase someone said or titled ("shouting
        # “Allahu Akbar”"), not someone the sentence names.
        if _quoted(sentence, match.start(), match.end()):
            continue
        run = match.group(0).split()
        if _is_party_tag(sentence, match.start()):
            continue
        # "No. 10 Downing Street", "Vol. 3": an abbreviation before a number numbers something.
        if run[-1].rstrip(".").lower() in ABBREVIATIONS and _NUMBER_NEXT_RE.match(
            sentence, match.end()
        ):
            run = run[:-1]
        elif run[-1] in _NUMBERED and (numeral := _NUMERAL_RE.match(sentence, match.end())):
            # "Senate Bill 8", "Channel 4", "Terminal 2": the number is the name's; without it
            # the label names nothing ("Names Senate Bill").
            run = [*run, numeral.group(1)]
        # The first word of a sentence is capitalised anyway, after an opening quote too:
        # "Mayor Elena Brandt" -> "Elena Brandt", '“Maybe I was wrong,”' -> no name. Not the
        # "St." of "St. Louis officials said": it belongs to the place.
        first = not sentence[: match.start()].strip(_OPENING_MARKS) and not (
            len(run) > 1 and run[0].rstrip(".") in PLACE_ABBREVIATIONS
        )
        # "the 9th Congressional District", "the 70th Precinct": the ordinal is the name's.
        if ordinal := _ORDINAL_BEFORE_RE.search(sentence, max(0, match.start() - 8), match.start()):
            run = [ordinal.group(1), *run]
        pieces = [p for part in _split_at_ampersand(run) for p in _split_at_for(part)]
        for number, tokens in enumerate(pieces):
            if first and number == 0:
                tokens = tokens[1:]
            name = _name_of(tokens)
            if name:
                found.append(name)
    return found


_NUMBER_NEXT_RE = re.compile(r"\s*\d")
_ORDINAL_BEFORE_RE = re.compile(r"(?<![\w.,])(\d+(?:st|nd|rd|th))\s+$")
_NUMERAL_RE = re.compile(r"\s+(\d+[A-Z]?)\b")
# Words that take a number to name one thing: "Senate Bill 8", "Proposition 22", "Channel 4".
_NUMBERED = frozenset(
    """
    Bill Proposition Prop Amendment Article Title Section Chapter Route Highway Interstate Flight
    Channel Terminal Gate Pier Precinct District Ward Station Platform Building Apollo
    """.split()
)
# A party and a state after a member of Congress, "Sen. Ed Markey (D-Mass.)" or "Sen. Joe
# Manchin, D-W.Va., said": set off like an aside, it says where they sit, and names no one.
_PARTY_TAG_RE = re.compile(r"[RDI]-(?:[A-Z][a-z]*\.?){1,2}(?=[),;:]|\s*$)")


def _is_party_tag(sentence: str, start: int) -> bool:
    return sentence[:start].rstrip().endswith(("(", ",")) and bool(
        _PARTY_TAG_RE.match(sentence, start)
    )


def _quoted(sentence: str, start: int, end: int) -> bool:
    before = sentence[start - 1 : start] if start else ""
    after = sentence[end:].lstrip(".,;:!?")[:1]
    return bool(before and after) and before in _OPEN_QUOTES and after in _CLOSE_QUOTES


def _name_of(tokens: list[str]) -> str:
    """The name a capitalised run's `tokens` give, or "" for none."""
    # A headline or slogan in capitals ("SAVE OUR WETLANDS NOW") is shouting, not a name.
    if len(tokens) > 2 and all(t.isupper() for t in tokens):
        return ""
    # "a New York-based band", "the Democrat-pushed For the People Act": a compound on a
    # participle or "-style" is an adjective. A name may follow it, as written: its capitalised
    # "For" is its own, as no sentence's word after an adjective would be capitalised.
    modifier = max((i for i, t in enumerate(tokens) if _is_modifier(t)), default=-1)
    as_written = modifier >= 0
    tokens = tokens[modifier + 1 :]
    # A phrase in title case ("The Same Person Calling Me Names Is Back", "Who Is Running"): a
    # pronoun inside a long capitalised run, or a form of "to be" inside one of three words, is
    # a headline's, never a name's. Read past what leads into the name ("Members of", an
    # office): "Members of United We Dream" names "United We Dream".
    core = tokens
    while core and (core[0] in CONNECTORS or _is_title(core[0])):
        core = core[1:]
    if (len(core) > 3 and any(t in _PHRASE_WORDS for t in core[1:])) or (
        len(core) > 2 and any(t in _TO_BE for t in core[1:])
    ):
        return ""
    # "No." of "No. 10" labels a number, and a lone "No" ("said No to the plan") is a word; a
    # name may open on it: "No Labels", "the No Kings protests".
    if (
        tokens
        and tokens[0].rstrip(".") == "No"
        and (tokens[0].endswith(".") or len(tokens) == 1 or tokens[1] in CONNECTORS)
    ):
        return ""
    # "Sen. Susan Collins, Republican of Maine": like "R-Maine", where she sits, no name.
    if len(tokens) > 2 and tokens[0] in _PARTY_WORDS and tokens[1] == "of":
        return ""
    # "the Royal Family’s X account", "Boris Johnson’s Conservative Party": the name is the
    # owner, what it owns is not; but a plural's possessive before an institution's word is
    # part of its name: "Jackson Women’s Health Organization", "the Veterans’ Affairs Office".
    owner = next((i for i, t in enumerate(tokens[:-1]) if POSSESSIVE_RE.search(t)), None)
    if owner is not None and not (
        (_is_plural_possessive(tokens[owner]) and tokens[-1] in FOR_HEADS)
        or tokens[-1] in _OWNED_DAYS
    ):
        tokens = tokens[: owner + 1]
    tokens = _past_party(_past_titles(tokens, as_written))
    # "John R." cut off by a comma or the sentence's end, "Sen." whose name never came, "the
    # Cabinet Monday": a name does not end on an initial, a title or a weekday (a month may end
    # one: "Theresa May").
    while tokens and (
        _is_initial(tokens[-1])
        or tokens[-1] in _WEEKDAYS
        or (tokens[-1].endswith(".") and tokens[-1].rstrip(".") in _DOTTED_HONORIFICS)
    ):
        tokens = tokens[:-1]
    # An office alone ("the Prime Minister", "Democratic Reps.") names no one in particular.
    if all(
        _is_title(t) or _is_title(t.rstrip(".").removesuffix("s")) or t in _PARTY_WORDS
        for t in tokens
    ):
        return ""
    # "Florida's largest cities": the name is Florida. A dotted acronym keeps its last dot.
    name = " ".join(tokens).strip(",'’")
    if not _DOTTED_RE.fullmatch(tokens[-1]):
        name = name.rstrip(".")
    name = POSSESSIVE_RE.sub("", name)
    # A lone short acronym ("AI", "EU", "U.S.") is a topic more often than a name.
    if len(tokens) == 1 and name.isupper() and len(name.replace(".", "")) <= 3:
        return ""
    return name


_DOTTED_RE = re.compile(r"[A-Z](?:\.[A-Z])+\.?")
# The lowercase tail of an adjective compound: a participle ("New York-based", "Democratic-led")
# or one of a few words that make adjectives of names. Not any lowercase tail: a Korean given
# name's second syllable is one ("Kim Jong-un", "Choe Kang-il").
_MODIFIER_TAIL_RE = re.compile(r"-(?:[a-z]+ed|style|era|born|run|made|like|type)$")
# Pronouns and forms of "to be" that a headline in title case carries and a name does not.
_TO_BE = frozenset("Is Are Was Were Am".split())
_PHRASE_WORDS = frozenset("Me My You Your We Us Him Them".split()) | _TO_BE


def _is_modifier(token: str) -> bool:
    return bool(_MODIFIER_TAIL_RE.search(POSSESSIVE_RE.sub("", token)))


# English plurals not ending in "s", whose possessive takes "’s".
_IRREGULAR_PLURALS = frozenset("Women Men Children People".split())


# A day or season named for someone is one name, possessive and all: "International Women's Day",
# "New Year's Eve", "Valentine's Day".
_OWNED_DAYS = frozenset("Day Eve Week Month".split())


def _is_plural_possessive(token: str) -> bool:
    return token.endswith(("s’", "s'")) or POSSESSIVE_RE.sub("", token) in _IRREGULAR_PLURALS


def _is_initial(token: str) -> bool:
    return len(token) == 2 and token[0].isupper() and token[1] == "." and token[0] not in _NUMERALS


def _is_title(token: str) -> bool:
    """Whether `token` is an office or an honorific; "Director-General" is one too."""
    base = token.rstrip(".")
    if base in _TITLES or base in _HONORIFICS:
        return True
    if token.endswith(".") and base in _DOTTED_HONORIFICS:
        return True
    parts = base.split("-")
    return len(parts) > 1 and all(p in _TITLES for p in parts)


def _is_honorific(token: str) -> bool:
    base = token.rstrip(".")
    return base in _HONORIFICS or (token.endswith(".") and base in _DOTTED_HONORIFICS)


# "for" is inside a name only after an institution's or an office's word ("Center for Security
# Policy", "Secretary for Health"); elsewhere it joins two names: "left Barcelona for Paris".
FOR_HEADS = frozenset(
    """
    Center Centre Institute Institution Council Committee Foundation Society Association Office
    Department Ministry Commission Agency Fund Alliance Coalition Campaign Movement League Union
    Board School College Academy Organisation Organization Bureau Service Trust Network Federation
    Partnership Secretary Minister Commissioner Coordinator Envoy Representative Advocates Project
    Program Programme Initiative Forum Party Group Fellowship Court Tribunal Conference Caucus
    Convention Hospital
    """.split()
)


def _split_at_for(tokens: list[str]) -> list[list[str]]:
    """A capitalised run's `tokens` as the names it holds: split at each "for" that follows no
    institution's word."""
    pieces: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        head = tokens[i - 1] if i > 0 else ""
        # "Centers for Disease Control": a plural institution's word heads its name too.
        if token == "for" and i > 0 and head not in FOR_HEADS and head[:-1] not in FOR_HEADS:
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def _split_at_ampersand(tokens: list[str]) -> list[list[str]]:
    """A capitalised run's `tokens` split at each "&" that joins two names rather than makes
    one: "Procter & Gamble", "Merck & Co" and "Fish & Wildlife Service" are one firm or body,
    "Mike Trapp & Royce Adkins" two people (a name of two words or more on each side)."""
    # Where the words after each "&" end (the next "&", or the run's end), found in one pass
    # from the back: reading or copying them at each "&" was quadratic in a run of many.
    ends = [len(tokens)] * len(tokens)
    end = len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        ends[i] = end
        if tokens[i] == "&":
            end = i
    pieces: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        if token == "&" and len(pieces[-1]) > 1:
            # The words up to the next "&": two or more, and not ending on a body's head word.
            last = ends[i] - 1
            if last - i > 1 and tokens[last] not in FOR_HEADS:
                pieces.append([])
                continue
        pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def _past_titles(tokens: list[str], as_written: bool = False) -> list[str]:
    """`tokens` after leading function words, dates and offices; an office's "of State" or "of
    the Treasury" goes with it. A title is only dropped before a name of two words or an "of"
    ("General Motors" and "Justice Department" are names themselves), an honorific before any
    name. What stands before the last such office describes the person: "New York Democratic
    Rep. Grace Meng", "Republican National Committee Chairman Reince Priebus". `as_written`
    keeps the leading function words: the run is a title, "For the People Act"."""
    while (
        tokens
        and not as_written
        and (tokens[0].rstrip(".") in _STOP_NAMES or tokens[0] in CONNECTORS)
    ):
        tokens = tokens[1:]
    for i in range(len(tokens) - 2, -1, -1):
        rest = tokens[i + 1 :]
        named = len(rest) > 1 or _is_honorific(tokens[i])
        if named and _is_title(tokens[i]) and not (rest[0] in CONNECTORS or _is_title(rest[0])):
            tokens = rest
            break
    titled = False
    while tokens and _is_title(tokens[0]) and (len(tokens) > 2 or tokens[1:2] == ["of"]):
        tokens, titled = tokens[1:], True
    if titled and tokens[:1] == ["of"]:
        while tokens and tokens[0] in CONNECTORS:
            tokens = tokens[1:]
        tokens = tokens[1:]
    return tokens


def _past_party(tokens: list[str]) -> list[str]:
    """`tokens` without the party words before a person's name: one of two words or more, with
    no connector or institution's word ("Democratic Socialists of America" stays whole)."""
    while (
        len(tokens) > 2
        and tokens[0] in _PARTY_WORDS
        and tokens[-1] not in FOR_HEADS
        and not any(t in CONNECTORS for t in tokens)
    ):
        tokens = tokens[1:]
    return tokens
