"""Whether words read as a sentence, told by a finite verb outside the asides (no tagger).

`is_clause` tells a sentence from a fragment by cues alone: auxiliaries, irregular forms, "-ed",
and "-s" after a noun (`has_verb`); `subject_head` is the last word of the noun phrase a sentence
opens on. Both read past an opener that is no main clause: a subordinate clause
(`SUBORDINATORS`) or a time noun with a clause of its own (`opens_time_phrase`). Where a
sentence may be cut is `clauses`'s and `clause_ends`'s to say, on these cues.
"""

from __future__ import annotations

import re

from bot.summarize.story_memo import story_cached

# The punctuation a word is stripped of before it is looked up.
PUNCT = ".,:;!?\"'“”‘’"
# Adverbs that may stand before a verb ("never missed") or end a subject's phrase.
ADVERBS = frozenset("never not also still already then later now once since".split())

COMMA_RE = re.compile(r",\s")

# Openers of a subordinate clause or a scene-setting phrase: the main clause comes after them.
SUBORDINATORS = frozenset(
    """
    after when while although though if because since before until unless once whereas as for in
    on at amid during despite with without following
    """.split()
)
# "The week after the storm hit the coast, ...": a time noun with its own clause sets the scene as
# "After the storm hit the coast" would; its noun is no subject and the main clause follows the
# comma. Told from "The day began ..." or "The year before was calmer" by the conjunction and by
# what follows it (see `opens_time_phrase`).
_TIME_PHRASE_RE = re.compile(
    r"[\"“‘']?(?:(?:the|a|an|one|two|three|four|five|six|few|several|that|this|last|next)\s+"
    r"(?:[a-z]+\s+)??)?"
    r"(?:day|days|week|weeks|month|months|year|years|hour|hours|minute|minutes|night|nights"
    r"|morning|afternoon|evening|weekend|moment|moments|decade|season|summer|winter|spring|autumn)"
    r"\s+(?:before|after|since|when|until|as)\s+(\S+)",
    re.IGNORECASE,
)


def opens_time_phrase(text: str) -> bool:
    """Whether `text` opens on a time noun with a clause of its own ("The day before nuclear
    talks were set to resume"), which is a scene-setting opener, not a subject."""
    match = _TIME_PHRASE_RE.match(text)
    # "The year before was calmer": "before" closes the subject and the verb follows it.
    return match is not None and match.group(1).casefold().strip(PUNCT) not in VERB_WORDS


# Finite-verb cues for `is_clause`: auxiliaries, modals and common irregular verb forms. Regular
# verbs are recognised by their endings ("-ed", and "-s" after a noun), so only the irregular
# ones need listing.
VERB_WORDS = frozenset(
    """
    is are was were be been am has have had do does did will would can could shall should may
    might must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't won't
    wouldn't can't couldn't shouldn't it's that's there's
    say says said tell tells told make makes made take takes took give gives gave become becomes
    became begin begins began come comes came go goes went find finds found get gets got hold
    holds held leave leaves left lead leads led meet meets met pay pays paid run runs ran see
    sees saw send sends sent set sets shoot shoots shot strike strikes struck think thinks
    thought hit hits cut cuts put puts quit quits fall falls fell rise rises rose grow grows grew
    draw draws drew fly flies flew know knows knew throw throws threw write writes wrote speak
    speaks spoke break breaks broke choose chooses chose drive drives drove win wins won lose
    loses lost sell sells sold build builds built bring brings brought buy buys bought catch
    catches caught fight fights fought teach teaches taught keep keeps kept mean means meant
    feel feels felt stand stands stood sit sits sat sink sinks sank spend spends spent swear
    swears swore shut shuts spread spreads steal steals stole sweep sweeps swept understand
    understands understood uphold upholds upheld withdraw withdraws withdrew wear wears wore
    bear bears bore beat beats bid bids bind binds bound bleed bleeds bled blow blows blew
    deal deals dealt dig digs dug eat eats ate feed feeds fed flee flees fled forbid forbids
    forbade forget forgets forgot forgive forgives forgave freeze freezes froze hang hangs hung
    hear hears heard hide hides hid hurt hurts lay lays laid lend lends lent let lets lie lies
    lay light lights lit ride rides rode ring rings rang seek seeks sought shake shakes shook
    shine shines shone show shows showed shrink shrinks shrank sing sings sang sleep sleeps
    slept slide slides slid stick sticks stuck sting stings stung swim swims swam swing swings
    swung tear tears tore wake wakes woke weep weeps wept wind winds wound overturn overturns
    undergo undergoes underwent overcome overcomes overcame oversee oversees oversaw
    """.split()
)
# Words that open a comma segment which is not the main clause: participles, relatives, asides.
_ASIDE_OPENERS = frozenset(
    """
    who whom whose which including according citing built made known born led held owned run
    based set written given taken seen chosen found called named hit cut put shot struck sold
    bought brought caught kept left lost won paid sent spent told begun done drawn driven eaten
    fallen flown forgotten frozen grown hidden ridden risen shaken shown sung spoken stolen sworn
    thrown worn beaten bitten broken
    """.split()
)
_RELATIVES = frozenset("who whom whose which including according citing".split())
_NOT_BEFORE_VERB = frozenset(
    """
    the a an of in on at for to from by with about into over under after before its his her
    their our your my this that these those some many several more most few all both each every
    no other new two three four five six seven eight nine ten and or as than
    """.split()
)
_CLAUSE_TOKEN_RE = re.compile(r"[A-Za-z][\w'’-]*")


def _aside(segment: str) -> bool:
    first = segment.split()[0].casefold().strip("\"“‘'(") if segment.split() else ""
    return first in _ASIDE_OPENERS or first.endswith(("ed", "ing"))


def is_clause(text: str) -> bool:
    """Whether `text` looks like a sentence: something outside its asides reads as a finite verb.

    No tagger, only cues (auxiliaries, irregular forms, "-ed", "-s" after a noun), so it is meant
    to compare a sentence with its own cut-down forms, not to judge arbitrary text: "The lander
    Kestrel-2, built by Skyforge." has lost the verb its source sentence had.
    """
    if not _has_main_verb(text):
        return False
    # "The flood was rising, but the chief of the plant near Tolberg": a cut at a place's comma
    # ("Tolberg, Vennmark has warned ...") leaves the last conjoined clause a subject alone.
    conjoined = list(_CONJOINED_RE.finditer(text))
    if not conjoined:
        return True
    last = conjoined[-1]
    rest = text[last.end() :]
    words = rest.split(maxsplit=1)
    first = words[0].strip(PUNCT) if words else ""
    subjects = _PRONOUN_SUBJECTS if last.group(1).casefold() in ("and", "or") else _SUBJECTS
    opens_subject = first.casefold() in subjects or (
        subjects is _SUBJECTS and first[:1].isupper() and first.isalpha()
    )
    return not opens_subject or _has_main_verb(rest)


# A comma and the conjunction of a clause joined to the one before it; "and" and "or" join list
# items as often, so after them only a pronoun ("and they") is taken for a clause's subject.
_CONJOINED_RE = re.compile(r",\s+(but|yet|while|whereas|and|or)\s+(?=\S)", re.IGNORECASE)
_PRONOUN_SUBJECTS = frozenset("he she they we i".split())
_SUBJECTS = _PRONOUN_SUBJECTS | frozenset(
    "the a an this that these those his her its their our my some many most several each it".split()
)


def _has_main_verb(text: str) -> bool:
    """Whether something outside `text`'s asides reads as a finite verb (see `is_clause`)."""
    segments = COMMA_RE.split(text)
    # A time phrase's clause ("The week after the storm hit") is not the sentence's own.
    kept = [] if opens_time_phrase(segments[0]) else [segments[0]]
    for i, segment in enumerate(segments[1:], start=1):
        # "X, built by Y, landed ..." or "X, in a letter, reversed ...": after an enclosed
        # segment, one opening with a past form is the predicate, not a second aside.
        first = segment.split()[0].casefold() if segment.split() else ""
        predicate = i >= 2 and not first.endswith("ing")
        if not _aside(segment) or (predicate and first not in _RELATIVES):
            kept.append(segment)
    return has_verb(kept)


def has_verb(segments: list[str]) -> bool:
    previous = ""
    previous_capital = False
    for segment in segments:
        tokens = _CLAUSE_TOKEN_RE.findall(segment)
        for i, token in enumerate(tokens):
            low = token.casefold().replace("’", "'")
            lower_case = token[:1].islower()
            if low in VERB_WORDS or (lower_case and len(low) >= 5 and low.endswith("ed")):
                return True
            if (
                lower_case
                and len(low) >= 4
                and low.endswith("s")
                and not low.endswith(("ss", "us", "is", "ics"))
                and previous
                and previous not in _NOT_BEFORE_VERB
                # "the Harbour Day celebrations." ends on a plural after a name; "Skyforge plans
                # a second mission" goes on past its verb.
                and not (previous_capital and i == len(tokens) - 1)
            ):
                return True
            previous = low
            previous_capital = token[:1].isupper()
    return False


_DETERMINERS = frozenset("the a an this that these those its his her their our".split())


# Asked of each bullet candidate for every pair it is in (the search's retelling check).
@story_cached
def subject_head(text: str) -> str:
    """The last word of `text`'s opening noun phrase, casefolded ("The city council on Tuesday
    approved" → "council"), past an opener up to its comma; "" when the text opens otherwise.

    Cues only, like `is_clause`: the phrase ends at a verb form, a function word or a comma.
    """
    first, comma, rest = text.partition(", ")
    opener = first.split(maxsplit=1)[0].casefold().strip(PUNCT) if first.split() else ""
    if comma and (opener in SUBORDINATORS or opens_time_phrase(first)):
        text = rest
    head = ""
    after_name = False
    for token in text.split():
        word = token.casefold().strip(PUNCT + "()")
        if not head and word in _DETERMINERS:
            continue
        lower = token[:1].islower()
        if (
            not word.isalpha()
            or word in VERB_WORDS
            or word in _NOT_BEFORE_VERB
            or word in ADVERBS
            or (lower and len(word) >= 5 and word.endswith("ed"))
            # "President Biden signs": after a name, "-s" is the verb ("rescue teams" a plural).
            or (lower and after_name and word.endswith("s"))
        ):
            break
        head = word
        after_name = not lower
        if token.endswith(","):
            break
    return head
