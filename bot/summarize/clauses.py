"""Where a sentence may be cut, and whether what is left still reads as a sentence.

A TL;DR bullet may be a source sentence cut at a clause boundary (a comma, semicolon or dash), but
only where the words before it stand alone: no dangling "the company said it would", no lone
subordinate clause, no reporting verb without its report, no accusation left stated as fact.
`is_clause` tells a sentence from a fragment by cues alone (no tagger).
"""

from __future__ import annotations

import re

from bot.summarize.asides import CONDITION_RE, accusing, last_accusation
from bot.summarize.quote_marks import has_open_quote


def ensure_period(text: str) -> str:
    text = text.rstrip(" ,;:—–-")
    if not text.rstrip("\"'”’)").endswith((".", "!", "?", "…")):
        text += "."
    return text


COMMA_RE = re.compile(r",\s")


_CLAUSE_BREAK_RE = re.compile(r"(?:,|;|:|\s[—–]|\s-)\s")
# Words no phrase ends on, cut or whole: each leads to words that follow it (an article, a
# possessive, a preposition, a conjunction, a relative, an auxiliary). The one list every cut
# is checked against: a bullet's clause, a headline's and a quote's window.
WEAK_ENDINGS = frozenset(
    """
    a an the and or but nor of to in into on onto upon at for with by from about as than that
    which who whom whose its their his her our my your is are was were be been has have had will
    would can could should may might must
    """.split()
)
# ... of which a whole sentence, ending with its own full stop, may end on all but these: a
# preposition or a modal may be stranded ("... as they can.", "... was about.", "... in May."),
# an article, a conjunction, a possessive determiner or "than" always leads on: such a sentence
# is a feed's excerpt cut short, its full stop added.
SENTENCE_END_WEAK = frozenset("a an the and or but nor its their our my your whose than".split())
# ... and inside a sentence, at a cut shown with an ellipsis (a headline's, a quote's window):
# there a demonstrative is a determiner whose noun was cut ("... approved this"), "not" has lost
# what it negates and a reporting verb its report. A whole sentence may end on them: "The mayor
# denied this.", "..., officials said."
MID_CUT_ENDINGS = WEAK_ENDINGS | frozenset("this these those not said says told".split())


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
# Openers of a clause that is itself the sentence's subject ("Whether the deal holds is unclear").
# "That" also opens "That plan was rejected, officials said": that cut is lost too, a small price.
SENTENTIAL_SUBJECTS = frozenset({"that", "whether"})
# A head ending in a reporting verb and a few words ("X said in the recording") lost what was said.
# Only verbs of saying: "announced a new plan" or "warned of delays" is a whole clause.
_REPORT_END_RE = re.compile(
    r"\b(?:said|says|told|added)"
    r"(?:\s+(?!that\b)[^\s,]+){0,4}$"
)


_PUNCT = ".,:;!?\"'“”‘’"
_ADVERBS = frozenset("never not also still already then later now once since".split())


def opens_time_phrase(text: str) -> bool:
    """Whether `text` opens on a time noun with a clause of its own ("The day before nuclear
    talks were set to resume"), which is a scene-setting opener, not a subject."""
    match = _TIME_PHRASE_RE.match(text)
    # "The year before was calmer": "before" closes the subject and the verb follows it.
    return match is not None and match.group(1).casefold().strip(_PUNCT) not in VERB_WORDS


def _first_verbish(tokens: list[str]) -> str:
    """The first word of `tokens`, past an adverb ("never missed", "reportedly told")."""
    first = tokens[0].casefold().strip(_PUNCT)
    if len(tokens) > 1 and (first in _ADVERBS or first.endswith("ly")):
        return tokens[1].casefold().strip(_PUNCT)
    return first


def clean_cut(head: str, tail: str, tail_accusing: bool | None = None) -> bool:
    """Whether `head`, the words before a clause boundary, stands as a sentence without `tail`.

    Rejects cuts that leave a dangling word ("... the company said it would"), an open quote, a
    lone subordinate clause ("After the storm hit the coast"), a reporting verb without its
    report, or a main clause whose object still follows ("made it clear, before the vote, that").
    `tail_accusing`: `accusing(tail)`, when the caller knows it (see `last_accusation`).
    """
    tokens = head.split()
    if not tokens or has_open_quote(head) or tokens[-1].strip("\"'”’").casefold() in WEAK_ENDINGS:
        return False
    # A question cut short reads as a statement it never made.
    if tail.rstrip(" \"'”’)").endswith("?"):
        return False
    opener = tokens[0].casefold().strip("\"“‘'")
    # "Speaking at the harbour celebrations": a participle phrase is no sentence until the
    # clause it opens, after its comma, has its own verb ("celebrations" inside the phrase is
    # as likely a plural as a verb).
    if len(opener) >= 5 and opener.endswith(("ing", "ed")):
        _, comma, clause = head.partition(", ")
        if not comma or not has_verb([clause]):
            return False
    if _unfinished_report(head):
        return False
    if (opener in SUBORDINATORS or opens_time_phrase(head)) and ", " not in head:
        return False
    # "That the report was written by X, two harbour veterans, amounts to a rebuke": a clause as the
    # subject has its verb after the whole subject, past any comma, so no cut leaves a sentence.
    if opener in SENTENTIAL_SUBJECTS:
        return False
    if _REPORT_END_RE.search(head.rstrip(".")):
        return False
    # "X; unless Y, Z." cut after Y: a new clause's condition left without that clause.
    last = re.split(r"[;:]\s|\s[—–]\s", head)[-1]
    if last != head and CONDITION_RE.match(last) and ", " not in last:
        return False
    # "September 11, 2001": the comma of a date is no clause boundary.
    if re.match(r"\d{4}\b", tail) or CONDITION_RE.match(tail.lstrip()):
        return False
    # "X, prosecutors said." cut before its speaker states the accusation as fact; a cut inside
    # a kept "(in mice, rats)" leaves it open.
    if tail_accusing is None:
        tail_accusing = accusing(tail)
    if tail_accusing or head.count("(") > head.count(")"):
        return False
    # A tail opening with a verb, maybe after a short aside ("the won, took a hit", "Blackburn,
    # R-Tenn., told Fox"), is the predicate the head still needs.
    # Only the first two segments count; the tail may be the rest of a very long sentence.
    first_two = tail.split(", ", 2)[:2]
    segments = [seg.split() for seg in first_two]
    starts = [_first_verbish(seg) for seg in segments[:1] if seg]
    if len(segments) == 2 and segments[1] and len(segments[0]) <= 4:
        starts.append(_first_verbish(segments[1]))
    if any(w in VERB_WORDS or (len(w) >= 5 and w.endswith("ed")) for w in starts):
        return False
    return not any(seg.lstrip('"“').startswith("that ") for seg in first_two)


# A "that" opening a reported clause ("says that the lawyer ..."), told from a relative or a
# determiner ("the plan that critics oppose", "that bridge") by what follows it.
_REPORT_THAT_RE = re.compile(
    r"\b(?:that\s+(?=(?:the|a|an|his|her|its|their|this|these|those|he|she|it|they|we|there"
    r"|if|when|once|unless)\b|[A-Z])|if|whether)\s+",
    re.IGNORECASE,
)
_CONDITION_OPENERS = frozenset("if when once unless".split())


def _unfinished_report(head: str) -> bool:
    """Whether `head` ends inside a reported or conditional clause that has not got its verb
    ("says that the shipyard's chief lawyer Anton Reis") or its consequence ("announced that if
    the union and the port agree on a lease")."""
    found = list(_REPORT_THAT_RE.finditer(head))
    if not found:
        return False
    last = found[-1]
    clause = head[last.end() :]
    words = clause.split()
    if not words:
        return True
    if last.group(0).casefold().startswith("that") and words[0].casefold() in _CONDITION_OPENERS:
        return True
    return not has_verb([clause])


def cut_to_words(sentence: str, max_words: int, min_words: int = 6) -> str | None:
    """`sentence` cut at its last clause boundary within `max_words`, or None if no clean cut.

    Cutting at a comma, semicolon or dash keeps the bullet readable; a cut in the middle of a
    clause would leave "... the company said it would" dangling.
    """
    if len(sentence.split()) <= max_words:
        return sentence
    if sentence.rstrip(" \"'”’)").endswith("?"):
        return None
    # clause_ends builds on this module's words and patterns, so it is imported at use.
    from bot.summarize.clause_ends import inside_list

    best: str | None = None
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        head = sentence[: match.start()].rstrip()
        n = len(head.split())
        if n > max_words:
            break
        if n < min_words or not clean_cut(head, sentence[match.end() :]):
            continue
        if inside_list(match.group(), head, sentence[match.end() :]):
            continue
        best = head
    return ensure_period(best) if best else None


def clause_prefixes(sentence: str, max_words: int, min_words: int = 6) -> list[str]:
    """Every clean clause-boundary cut of `sentence` within `max_words`, longest first."""
    from bot.summarize.clause_ends import inside_list

    out: list[str] = []
    # Each tail starts after a space: whether it accuses is known from one pass (asking each
    # tail is quadratic in a long sentence with many clause breaks).
    accusation = last_accusation(sentence)
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        head = sentence[: match.start()].rstrip()
        n = len(head.split())
        if n > max_words:
            break
        tail_accusing = accusation >= match.end()
        if n < min_words or not clean_cut(head, sentence[match.end() :], tail_accusing):
            continue
        if inside_list(match.group(), head, sentence[match.end() :]):
            continue
        out.append(ensure_period(head))
    return out[::-1]


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


def subject_head(text: str) -> str:
    """The last word of `text`'s opening noun phrase, casefolded ("The city council on Tuesday
    approved" → "council"), past an opener up to its comma; "" when the text opens otherwise.

    Cues only, like `is_clause`: the phrase ends at a verb form, a function word or a comma.
    """
    first, comma, rest = text.partition(", ")
    opener = first.split(maxsplit=1)[0].casefold().strip(_PUNCT) if first.split() else ""
    if comma and (opener in SUBORDINATORS or opens_time_phrase(first)):
        text = rest
    head = ""
    after_name = False
    for token in text.split():
        word = token.casefold().strip(_PUNCT + "()")
        if not head and word in _DETERMINERS:
            continue
        lower = token[:1].islower()
        if (
            not word.isalpha()
            or word in VERB_WORDS
            or word in _NOT_BEFORE_VERB
            or word in _ADVERBS
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


# A bullet opening with one of these leans on a sentence the card does not show ("Its ferry
# resumes on Friday": whose?; "Also on board were ..."; "So when ..."). Bullets are read alone.
_ANAPHORS = frozenset("he she it they its their his her also so yet and but".split())
# "That brings the total to ...": a demonstrative standing for the previous sentence, told by
# the verb after it ("That plan was ..." names its own subject and may stay).
_DEMONSTRATIVES = frozenset("that this these those".split())


def leans_on_context(text: str) -> bool:
    """Whether `text` opens on a word standing for something said before it (a pronoun, "Also",
    "That brings ..."): read alone, as a bullet or an angle line is, it leaves the reader asking
    who or what."""
    words = text.split(maxsplit=2)
    if not words:
        return False
    first = words[0].casefold().rstrip(",")
    if first in _ANAPHORS:
        return True
    if first in _DEMONSTRATIVES and len(words) > 1:
        second = words[1].casefold().strip(",")
        # A singular demonstrative's own verb mostly ends in -s ("That seems", "This means").
        singular_verb = (
            first in ("that", "this") and second.endswith("s") and not {"'", "’"} & set(second)
        )
        return second in VERB_WORDS or (singular_verb and len(second) > 3)
    return False
