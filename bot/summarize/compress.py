"""Sentence compression: shorter source sentences so a 55-word TL;DR carries more facts.

Every rule only deletes words (or re-capitalises the new first word), so a compressed sentence is
still a subsequence of its source sentence and stays grounded. Rules target text that carries
little story content: datelines, neutral attributions ("officials said"), parenthetical asides
("(pictured)"), discourse openers ("However,"), a newsletter's signposts ("Why it matters:") and a
transcript's speaker labels (`signposts`).
"""

from __future__ import annotations

import re

from bot.summarize.asides import (
    CONDITION_RE,
    accusing,
    dash_asides_dropped,
    parentheticals_dropped,
    plain_speaker,
    scene_opener,
)
from bot.summarize.clauses import WEAK_ENDINGS, clean_cut, ensure_period, tail_accuses
from bot.summarize.datelines import without_dateline
from bot.summarize.finite_verbs import COMMA_RE, PUNCT, SUBORDINATORS, VERB_WORDS, has_verb
from bot.summarize.owed_parts import cut_owes
from bot.summarize.quote_marks import has_open_quote, quoted_ranges
from bot.summarize.signposts import without_signpost
from bot.summarize.story_memo import story_cached

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
# A second report of the same speaker ("announced that X and that it plans Y"): without the
# attribution its "that" has nothing to hang on ("X and that it plans Y").
_SECOND_REPORT_RE = re.compile(r"\b(?:and|but|or)\s+that\s+")
_PRONOUNS = frozenset("it he she they we i you this that these those there".split())
_DOUBLE_DOT_RE = re.compile(r"(?<!\.)\.\.(?=[\"'”’]*$)")
_SPACES_RE = re.compile(r"\s{2,}")
_SPACE_PUNCT_RE = re.compile(r"\s+([,.;:!?])")


def capitalise(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch not in "\"'“‘(":
            break
    return text


def compress(sentence: str) -> str:
    """A shorter form of `sentence` that keeps its facts; the original when no rule applies."""
    text = sentence.strip()
    text = _SOURCE_TAG_RE.sub("", text)
    text = without_signpost(without_dateline(text))
    text = parentheticals_dropped(text)
    text = _LEAD_DISCOURSE_RE.sub("", text, count=1)
    lead = _LEAD_ATTRIB_RE.match(text)
    attributed = text[lead.end() :] if lead else text
    # Only drop a leading attribution if what remains still reads as a clause of its own.
    # A bare pronoun left in front ("It would cut 500 jobs") would lose who is speaking.
    if (
        lead
        and plain_speaker(lead.group("speaker").split(), VERB_WORDS)
        and len(attributed.split()) >= 6
        and attributed.split()[0].casefold() not in _PRONOUNS
        and not _SECOND_REPORT_RE.search(attributed)
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
    return ensure_period(capitalise(text))


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
    return list(_variants(sentence, max_segment_words, limit))


# The TL;DR varies each variant again, meeting the same sentences twice, and the angle lines
# vary the sentences the TL;DR did: each answered once a story.
@story_cached
def _variants(sentence: str, max_segment_words: int, limit: int) -> tuple[str, ...]:
    return tuple(_variant_list(sentence, max_segment_words, limit))


def _variant_list(sentence: str, max_segment_words: int, limit: int) -> list[str]:
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
        if CONDITION_RE.match(segment.lstrip()) or has_open_quote(segment) or tail_accuses(segment):
            continue
        if end is None:
            # Dropping the last segment is a cut like any other ("made it clear, that ..." is not).
            head = sentence[: match.start()]
            if not clean_cut(head, segment) or cut_owes(match.group(), head, segment):
                continue
            shorter = ensure_period(sentence[: match.start()])
        elif _ATTRIBUTION_SEGMENT_RE.search(segment) and not _ATTRIBUTION_SEGMENT_RE.match(segment):
            # ", officials said," is an aside; ", told Fox News," is the speaker's own verb.
            shorter = sentence[: match.start()] + sentence[end:]
        elif (
            first in _ASIDE_STARTS
            and not _clause_segment(first, segment)
            and _continues_clause(sentence[commas[i + 1].end() :])
        ):
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
    opens_subordinate = bool(first_word) and first_word[0].casefold() in SUBORDINATORS
    out.extend(dash_asides_dropped(sentence, opens_subordinate, limit - len(out)))
    return out


_ARTICLES = frozenset({"the", "a", "an"})
_RELATIVES = frozenset("who whom whose which that where when".split())


def _clause_segment(first: str, segment: str) -> bool:
    """Whether `segment`, opening on an article, is a clause of the sentence's own rather than
    an appositive ("the engineer's question is growing and | ..." has its verb; "..., the
    mayor and | ..." leads on): dropping it would take the main clause with it."""
    if first not in _ARTICLES:
        return False
    tokens = [w.casefold().strip(PUNCT) for w in segment.split()]
    if tokens[-1] in WEAK_ENDINGS:
        return True
    # A relative's verb is the appositive's own: "a pilot who is a friend of the mayor".
    for word in tokens:
        if word in _RELATIVES:
            return False
        if word in VERB_WORDS:
            return True
    return False


def _closed_quote_commas(sentence: str) -> list[re.Match[str]]:
    """The ", " matches of `sentence` not inside a quotation, in one pass: asking
    `has_open_quote` of every prefix would be quadratic in a sentence of many commas. The marks
    are read as `quote_marks` reads them: „…“ and »…« close as “…” does."""
    out: list[re.Match[str]] = []
    ranges = quoted_ranges(sentence)
    k = 0
    for match in COMMA_RE.finditer(sentence):
        at = match.start()
        while k < len(ranges) and ranges[k][1] <= at:
            k += 1
        if k == len(ranges) or at < ranges[k][0]:
            out.append(match)
    return out


def _opener_dropped(sentence: str, comma: int, max_words: int = 8) -> str | None:
    """`sentence` without a leading scene-setting adverbial that ends at `comma`, if it has one."""
    if comma < 0 or has_open_quote(sentence[:comma]):
        return None
    head = sentence[:comma].split()
    # A clause ("After the merger is approved,") is a condition on the claim, not a scene.
    if not head or len(head) > max_words or not scene_opener(head) or has_verb([" ".join(head)]):
        return None
    rest = sentence[comma + 1 :].strip()
    return capitalise(rest) if len(rest.split()) >= 6 else None


def _continues_clause(rest: str) -> bool:
    """Whether `rest`, what follows an inner aside, carries on the main clause: not a list's next
    item ("U.S.-owned boats", "and the second in ...") left hanging once the aside goes.
    """
    # Only the first word: splitting the whole rest for every comma would be quadratic.
    head = rest.lstrip('"“').split(None, 1)
    first = head[0] if head and rest.split(None, 1) else ""
    return first[:1].islower() and first not in ("and", "or", "nor")
