"""Sentence compression: shorter source sentences so a 55-word TL;DR carries more facts.

Every rule only deletes words (or re-capitalises the new first word), so a compressed sentence is
still a subsequence of its source sentence and stays grounded. Rules target text that carries
little story content: datelines, neutral attributions ("officials said"), parenthetical asides
("(pictured)"), discourse openers ("However,").
"""

from __future__ import annotations

import re

from bot.summarize.asides import (
    CONDITION_RE,
    accusing,
    dash_asides_dropped,
    has_open_quote,
    last_accusation,
    parentheticals_dropped,
    plain_speaker,
    scene_opener,
)

# "WASHINGTON (Reuters) -", "LONDON —", "NEW YORK, May 3 (AP) —"
_DATELINE_RE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?:,\s*(?:[A-Z][\w.]*\s*){1,3}?)?(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
)
_SOURCE_TAG_RE = re.compile(r"^\((?:AP|Reuters|AFP|CNN|UPI)\)\s*[—–-]*\s*")
# The comma is required: without it the phrase may be the start of a longer one ("So far,",
# "In addition to the fines,", "Later this year,") and stripping its first word changes it.
_LEAD_DISCOURSE_RE = re.compile(
    r"^(?:However|Meanwhile|Still|Moreover|Furthermore|Additionally|In addition|Also|Instead|"
    r"Indeed|Nonetheless|Nevertheless|Now|Yet|But|And|So|Separately|Elsewhere|Earlier|Later|"
    r"At the same time|In a statement|In an interview|On the other hand|As a result|"
    r"For (?:his|her|their|its) part|In other words|Already|Ultimately),\s+|^(?:And|But)\s+"
)
# Trailing attributions: ", officials said.", ", according to the report.", ", he told CNN."
# The speaker must follow a comma and hold no auxiliary or negation: otherwise "... in which a
# decision has not been announced." reads as an attribution and the clause (and its "not") goes.
_SPEAKER_WORD = r"(?!(?:has|have|had|not|never|no|been|be|was|were|is|are|will|would|could)\b)"
_TRAIL_ATTRIB_RE = re.compile(
    r"(?:,?\s+according to [^,;.]{1,60}|,\s+(?:the\s+)?"
    rf"{_SPEAKER_WORD}[\w.'’-]+(?:\s+{_SPEAKER_WORD}[\w.'’-]+){{0,4}}\s+"
    r"(?:said|says|told [\w\s.]{1,30}?|reported|reports|added|noted|confirmed|announced)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"yesterday|in a statement|in an interview))?)\s*(?=[.!?]?[\"'”’]*$)"
)
# Leading attributions: "Officials said Monday that ...", "The report says ...". As for trailing
# ones, no word may negate: "Officials never said that X" or "No one reported that X" deny X.
# "reports that" is left alone: it is mostly the noun, the object of a denial ("The minister
# denied reports that X"), and `plain_speaker` checks the words before the verb for the same.
_NEG_WORD = r"(?!(?i:never|not|no|nobody|none|neither|falsely|wrongly)\b|[\w'’-]*n[’']t\b)"
_LEAD_ATTRIB_RE = re.compile(
    rf"^(?P<speaker>(?:{_NEG_WORD}[\w.'’-]+\s+){{1,4}})(?:said|says|reported|announced|confirmed)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today))?"
    r"\s+that\s+"
)
_PRONOUNS = frozenset("it he she they we i you this that these those there".split())
_DOUBLE_DOT_RE = re.compile(r"(?<!\.)\.\.(?=[\"'”’]*$)")
_SPACES_RE = re.compile(r"\s{2,}")
_SPACE_PUNCT_RE = re.compile(r"\s+([,.;:!?])")


def _capitalise(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch not in "\"'“‘(":
            break
    return text


def _ensure_period(text: str) -> str:
    text = text.rstrip(" ,;:—–-")
    if not text.rstrip("\"'”’)").endswith((".", "!", "?", "…")):
        text += "."
    return text


def compress(sentence: str) -> str:
    """A shorter form of `sentence` that keeps its facts; the original when no rule applies."""
    text = sentence.strip()
    text = _SOURCE_TAG_RE.sub("", text)
    text = _DATELINE_RE.sub("", text, count=1)
    text = parentheticals_dropped(text)
    text = _LEAD_DISCOURSE_RE.sub("", text, count=1)
    lead = _LEAD_ATTRIB_RE.match(text)
    attributed = text[lead.end() :] if lead else text
    # Only drop a leading attribution if what remains still reads as a clause of its own.
    # A bare pronoun left in front ("It would cut 500 jobs") would lose who is speaking.
    if (
        lead
        and plain_speaker(lead.group("speaker").split(), _VERB_WORDS)
        and len(attributed.split()) >= 6
        and attributed.split()[0].casefold() not in _PRONOUNS
    ):
        text = attributed
    trail = _TRAIL_ATTRIB_RE.search(text)
    trimmed = text[: trail.start()] + text[trail.end() :] if trail else text
    # ", prosecutors said." or ", according to the lawsuit." is what keeps the claim a claim.
    if (
        trail
        and not accusing(trail.group(0))
        and len(trimmed.split()) >= 6
        and not has_open_quote(trimmed)
    ):
        text = trimmed
    text = _SPACE_PUNCT_RE.sub(r"\1", _SPACES_RE.sub(" ", text)).strip()
    # "D-W.Va., sources said." minus its attribution leaves the abbreviation's dot doubled.
    text = _DOUBLE_DOT_RE.sub(".", text)
    if len(text.split()) < 4:
        return sentence.strip()
    return _ensure_period(_capitalise(text))


_CLAUSE_BREAK_RE = re.compile(r"(?:,|;|:|\s[—–]|\s-)\s")
WEAK_ENDINGS = frozenset(
    "a an the and or but of to in on at for with by from as that which who whose its their his her "
    "is are was were be been has have had will would could should may might than".split()
)


# Openers of a subordinate clause or a scene-setting phrase: the main clause comes after them.
_SUBORDINATORS = frozenset(
    """
    after when while although though if because since before until unless once whereas as for in
    on at amid during despite with without following
    """.split()
)
# A head ending in a reporting verb and a few words ("X said in the recording") lost what was said.
# Only verbs of saying: "announced a new plan" or "warned of delays" is a whole clause.
_REPORT_END_RE = re.compile(
    r"\b(?:said|says|told|added)"
    r"(?:\s+(?!that\b)[^\s,]+){0,4}$"
)


_PUNCT = ".,:;!?\"'“”‘’"
_ADVERBS = frozenset("never not also still already then later now once since".split())


def _first_verbish(tokens: list[str]) -> str:
    """The first word of `tokens`, past an adverb ("never missed", "reportedly told")."""
    first = tokens[0].casefold().strip(_PUNCT)
    if len(tokens) > 1 and (first in _ADVERBS or first.endswith("ly")):
        return tokens[1].casefold().strip(_PUNCT)
    return first


def _clean_cut(head: str, tail: str, tail_accusing: bool | None = None) -> bool:
    """Whether `head`, the words before a clause boundary, stands as a sentence without `tail`.

    Rejects cuts that leave a dangling word ("... the company said it would"), an open quote, a
    lone subordinate clause ("After the storm hit the coast"), a reporting verb without its
    report, or a main clause whose object still follows ("made it clear, before the vote, that").
    `tail_accusing`: `accusing(tail)`, when the caller knows it (see `last_accusation`).
    """
    tokens = head.split()
    if not tokens or has_open_quote(head) or tokens[-1].strip("\"'”’").casefold() in WEAK_ENDINGS:
        return False
    if tokens[0].casefold().strip("\"“‘'") in _SUBORDINATORS and ", " not in head:
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
    if any(w in _VERB_WORDS or (len(w) >= 5 and w.endswith("ed")) for w in starts):
        return False
    return not any(seg.lstrip('"“').startswith("that ") for seg in first_two)


def cut_to_words(sentence: str, max_words: int, min_words: int = 6) -> str | None:
    """`sentence` cut at its last clause boundary within `max_words`, or None if no clean cut.

    Cutting at a comma, semicolon or dash keeps the bullet readable; a cut in the middle of a
    clause would leave "... the company said it would" dangling.
    """
    if len(sentence.split()) <= max_words:
        return sentence
    best: str | None = None
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        head = sentence[: match.start()].rstrip()
        n = len(head.split())
        if n > max_words:
            break
        if n < min_words or not _clean_cut(head, sentence[match.end() :]):
            continue
        best = head
    return _ensure_period(best) if best else None


_COMMA_RE = re.compile(r",\s")
# A segment starting with one of these is a clause the rest of the sentence may depend on.
_KEEP_SEGMENT_STARTS = frozenset("and but or nor so yet".split())

_ASIDE_STARTS = frozenset(
    "the a an who which whose including citing according officials known formerly".split()
)
_ATTRIBUTION_SEGMENT_RE = re.compile(r"\b(?:said|says|reported|reports|told|added)\b")


# Variants per sentence, the sentence itself included. News sentences have at most five (a
# few asides, an opener, a dash pair); a list-like or hostile one ("A — B — C — ..." a hundred
# times) has one per separator, and each variant is a copy of the whole sentence.
MAX_VARIANTS = 16


def variants(sentence: str, max_segment_words: int = 14, limit: int = MAX_VARIANTS) -> list[str]:
    """`sentence` with one comma-delimited aside removed at a time, plus the sentence itself.

    Appositives (", the top trade adviser,") and trailing asides (", citing officials.") carry
    detail that may or may not matter for this story; offering both forms lets the selector decide
    by what each adds per word, and deleting a whole comma-bounded segment keeps the grammar.
    At most `limit` forms, the first asides first: the cost stays linear in the sentence.
    """
    out = [sentence]
    commas = _closed_quote_commas(sentence)
    for i, match in enumerate(commas):
        if len(out) >= limit:
            return out
        end = commas[i + 1].start() if i + 1 < len(commas) else None
        segment = sentence[match.end() : end] if end is not None else sentence[match.end() :]
        n_words = len(segment.split())
        first = segment.split()[0].casefold().strip('"“') if segment.split() else ""
        if n_words == 0 or n_words > max_segment_words or first in _KEEP_SEGMENT_STARTS:
            continue
        # ", unless the union agrees", ", though only in mice": the claim holds only with them;
        # ", prosecutors said," or ", the lawsuit claims," makes it an accusation.
        if CONDITION_RE.match(segment.lstrip()) or has_open_quote(segment) or accusing(segment):
            continue
        if end is None:
            # Dropping the last segment is a cut like any other ("made it clear, that ..." is not).
            if not _clean_cut(sentence[: match.start()], segment):
                continue
            shorter = _ensure_period(sentence[: match.start()])
        elif _ATTRIBUTION_SEGMENT_RE.search(segment) and not _ATTRIBUTION_SEGMENT_RE.match(segment):
            # ", officials said," is an aside; ", told Fox News," is the speaker's own verb.
            shorter = sentence[: match.start()] + sentence[end:]
        elif first in _ASIDE_STARTS and _continues_clause(sentence[commas[i + 1].end() :]):
            # The rest must carry on the main clause ("..., the city's engineer, ordered"): after
            # "the law that limits shipping to U.S.-made, U.S.-owned boats" it is a list's next item.
            shorter = sentence[: match.start()] + " " + sentence[commas[i + 1].end() :]
        else:
            # An inner segment not shaped like an aside may be the main verb phrase.
            continue
        if len(shorter.split()) >= 6:
            out.append(shorter)
    opener = _opener_dropped(sentence, commas[0].start() if commas else -1)
    if opener and len(out) < limit:
        out.append(opener)
    # A dash-bounded aside ("fell to 5% — a new low — the bureau said") is a parenthesis.
    first_word = sentence.split(None, 1)[:1]
    opens_subordinate = bool(first_word) and first_word[0].casefold() in _SUBORDINATORS
    out.extend(dash_asides_dropped(sentence, opens_subordinate, limit - len(out)))
    return out


def _closed_quote_commas(sentence: str) -> list[re.Match[str]]:
    """The ", " matches of `sentence` not inside an open quote, in one pass: asking
    `has_open_quote` of every prefix would be quadratic in a sentence of many commas."""
    out: list[re.Match[str]] = []
    straight = curly_open = curly_close = 0
    last = 0
    for match in _COMMA_RE.finditer(sentence):
        between = sentence[last : match.start()]
        straight += between.count('"')
        curly_open += between.count("“")
        curly_close += between.count("”")
        last = match.start()
        # Same test as `has_open_quote(sentence[: match.start()])`.
        if not (straight % 2 == 1 or curly_open > curly_close):
            out.append(match)
    return out


def _opener_dropped(sentence: str, comma: int, max_words: int = 8) -> str | None:
    """`sentence` without a leading scene-setting adverbial that ends at `comma`, if it has one."""
    if comma < 0 or has_open_quote(sentence[:comma]):
        return None
    head = sentence[:comma].split()
    # A clause ("After the merger is approved,") is a condition on the claim, not a scene.
    if not head or len(head) > max_words or not scene_opener(head) or _has_verb([" ".join(head)]):
        return None
    rest = sentence[comma + 1 :].strip()
    return _capitalise(rest) if len(rest.split()) >= 6 else None


def _continues_clause(rest: str) -> bool:
    """Whether `rest`, what follows an inner aside, carries on the main clause: not a list's next
    item ("U.S.-owned boats", "and the second in ...") left hanging once the aside goes.
    """
    # Only the first word: splitting the whole rest for every comma would be quadratic.
    head = rest.lstrip('"“').split(None, 1)
    first = head[0] if head and rest.split(None, 1) else ""
    return first[:1].islower() and first not in ("and", "or", "nor")


def clause_prefixes(sentence: str, max_words: int, min_words: int = 6) -> list[str]:
    """Every clean clause-boundary cut of `sentence` within `max_words`, longest first."""
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
        if n < min_words or not _clean_cut(head, sentence[match.end() :], tail_accusing):
            continue
        out.append(_ensure_period(head))
    return out[::-1]


# Finite-verb cues for `is_clause`: auxiliaries, modals and common irregular verb forms. Regular
# verbs are recognised by their endings ("-ed", and "-s" after a noun), so only the irregular
# ones need listing.
_VERB_WORDS = frozenset(
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
    segments = _COMMA_RE.split(text)
    kept = [segments[0]]
    for i, segment in enumerate(segments[1:], start=1):
        # "X, built by Y, landed ..." or "X, in a letter, reversed ...": after an enclosed
        # segment, one opening with a past form is the predicate, not a second aside.
        first = segment.split()[0].casefold() if segment.split() else ""
        predicate = i >= 2 and not first.endswith("ing")
        if not _aside(segment) or (predicate and first not in _RELATIVES):
            kept.append(segment)
    return _has_verb(kept)


def _has_verb(segments: list[str]) -> bool:
    previous = ""
    for segment in segments:
        for token in _CLAUSE_TOKEN_RE.findall(segment):
            low = token.casefold().replace("’", "'")
            lower_case = token[:1].islower()
            if low in _VERB_WORDS or (lower_case and len(low) >= 5 and low.endswith("ed")):
                return True
            if (
                lower_case
                and len(low) >= 4
                and low.endswith("s")
                and not low.endswith(("ss", "us", "is", "ics"))
                and previous
                and previous not in _NOT_BEFORE_VERB
            ):
                return True
            previous = low
    return False
