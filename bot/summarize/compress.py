"""Sentence compression: shorter source sentences so a 55-word TL;DR carries more facts.

Every rule only deletes words (or re-capitalises the new first word), so a compressed sentence is
still a subsequence of its source sentence and stays grounded. Rules target text that carries
little story content: datelines, attributions ("officials said"), parentheticals, discourse
openers ("However,").
"""

from __future__ import annotations

import re

# "WASHINGTON (Reuters) -", "LONDON —", "NEW YORK, May 3 (AP) —"
_DATELINE_RE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?:,\s*(?:[A-Z][\w.]*\s*){1,3}?)?(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
)
_SOURCE_TAG_RE = re.compile(r"^\((?:AP|Reuters|AFP|CNN|UPI)\)\s*[—–-]*\s*")
_LEAD_DISCOURSE_RE = re.compile(
    r"^(?:However|Meanwhile|Still|Moreover|Furthermore|Additionally|In addition|Also|Instead|"
    r"Indeed|Nonetheless|Nevertheless|Now|Yet|But|And|So|Separately|Elsewhere|Earlier|Later|"
    r"At the same time|In a statement|In an interview|On the other hand|As a result|"
    r"For (?:his|her|their|its) part|In other words|Already|Ultimately),?\s+"
)
# Trailing attributions: ", officials said.", ", according to the report.", ", he told CNN."
_TRAIL_ATTRIB_RE = re.compile(
    r",?\s+(?:according to [^,;.]{1,60}|(?:the\s+)?[\w.'’-]+(?:\s+[\w.'’-]+){0,4}\s+"
    r"(?:said|says|told [\w\s.]{1,30}?|reported|reports|added|noted|confirmed|announced)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"yesterday|in a statement|in an interview))?)\s*(?=[.!?]?[\"'”’]*$)"
)
# Leading attributions: "Officials said Monday that ...", "The report says ..."
_LEAD_ATTRIB_RE = re.compile(
    r"^(?:[\w.'’-]+\s+){1,4}(?:said|says|reported|reports|announced|confirmed)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today))?"
    r"\s+that\s+"
)
_PRONOUNS = frozenset("it he she they we i you this that these those there".split())
_PAREN_RE = re.compile(r"\s*\([^()]{0,80}\)")
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
    text = _PAREN_RE.sub("", text)
    text = _LEAD_DISCOURSE_RE.sub("", text, count=1)
    attributed = _LEAD_ATTRIB_RE.sub("", text, count=1)
    # Only drop a leading attribution if what remains still reads as a clause of its own.
    # A bare pronoun left in front ("It would cut 500 jobs") would lose who is speaking.
    if (
        attributed != text
        and len(attributed.split()) >= 6
        and attributed.split()[0].casefold() not in _PRONOUNS
    ):
        text = attributed
    trimmed = _TRAIL_ATTRIB_RE.sub("", text, count=1)
    if trimmed != text and len(trimmed.split()) >= 6 and not _has_open_quote(trimmed):
        text = trimmed
    text = _SPACE_PUNCT_RE.sub(r"\1", _SPACES_RE.sub(" ", text)).strip()
    # "D-W.Va., sources said." minus its attribution leaves the abbreviation's dot doubled.
    text = _DOUBLE_DOT_RE.sub(".", text)
    if len(text.split()) < 4:
        return sentence.strip()
    return _ensure_period(_capitalise(text))


def _has_open_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


_CLAUSE_BREAK_RE = re.compile(r"(?:,|;|:|\s[—–]|\s-)\s")
_WEAK_ENDINGS = frozenset(
    "a an the and or but of to in on at for with by from as that which who whose its their his her "
    "is are was were be been has have had will would could should may might than".split()
)


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
        if n < min_words or _has_open_quote(head):
            continue
        last = head.split()[-1].strip("\"'”’").casefold()
        if last in _WEAK_ENDINGS:
            continue
        best = head
    return _ensure_period(best) if best else None


_COMMA_RE = re.compile(r",\s")
# A segment starting with one of these is a clause the rest of the sentence may depend on.
_KEEP_SEGMENT_STARTS = frozenset("and but or nor so yet because while although if when".split())

_ASIDE_STARTS = frozenset(
    "the a an who which whose including citing according officials known formerly".split()
)
_ATTRIBUTION_SEGMENT_RE = re.compile(r"\b(?:said|says|reported|reports|told|added)\b")


def variants(sentence: str, max_segment_words: int = 14) -> list[str]:
    """`sentence` with one comma-delimited aside removed at a time, plus the sentence itself.

    Appositives (", the top trade adviser,") and trailing asides (", citing officials.") carry
    detail that may or may not matter for this story; offering both forms lets the selector decide
    by what each adds per word, and deleting a whole comma-bounded segment keeps the grammar.
    """
    out = [sentence]
    commas = [m for m in _COMMA_RE.finditer(sentence) if not _has_open_quote(sentence[: m.start()])]
    for i, match in enumerate(commas):
        end = commas[i + 1].start() if i + 1 < len(commas) else None
        segment = sentence[match.end() : end] if end is not None else sentence[match.end() :]
        n_words = len(segment.split())
        first = segment.split()[0].casefold().strip('"“') if segment.split() else ""
        if n_words == 0 or n_words > max_segment_words or first in _KEEP_SEGMENT_STARTS:
            continue
        if _has_open_quote(segment):
            continue
        if end is None:
            shorter = _ensure_period(sentence[: match.start()])
        elif _ATTRIBUTION_SEGMENT_RE.search(segment):
            shorter = sentence[: match.start()] + sentence[end:]
        elif first in _ASIDE_STARTS:
            shorter = sentence[: match.start()] + " " + sentence[commas[i + 1].end() :]
        else:
            # An inner segment not shaped like an aside may be the main verb phrase.
            continue
        if len(shorter.split()) >= 6:
            out.append(shorter)
    return out


def clause_prefixes(sentence: str, max_words: int, min_words: int = 6) -> list[str]:
    """Every clean clause-boundary cut of `sentence` within `max_words`, longest first."""
    out: list[str] = []
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        head = sentence[: match.start()].rstrip()
        n = len(head.split())
        if n > max_words:
            break
        if n < min_words or _has_open_quote(head):
            continue
        if head.split()[-1].strip("\"'”’").casefold() in _WEAK_ENDINGS:
            continue
        out.append(_ensure_period(head))
    return out[::-1]
