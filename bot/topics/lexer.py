"""The topic query lexer: a query's characters as tokens (words, phrases, source: filters,
operators, parentheses) for `query`'s parser, and the QueryError both raise."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.textutil import APOSTROPHE_MARKS, QUOTATION_PAIRS

# Each opening quote and the marks that close it (`QUOTATION_PAIRS`, shared with the summaries),
# but for the single marks that are apostrophes too: a query word "don't" is no quotation. A
# straight " closes any of them too, and ” a straight one, as a phone's autocorrect leaves a mix.
_OPEN_QUOTES = {o: c for o, c in QUOTATION_PAIRS.items() if o not in APOSTROPHE_MARKS}
_CLOSE_QUOTES = {'"', "”", "“"}
# Japanese and Chinese set 「…」 and 『…』 against the words around them (首相「辞任」へ), where
# they mark a word, not a query phrase; saved topics read them as part of the word before these
# were quotes. So they quote a phrase only standing apart: opening at the start or after a space,
# "(" or a leading "-", closing at the end or before a space or ")". Anywhere else, or unclosed,
# they stay part of the word.
_SPACED_QUOTES = "「『"
# Every quote mark the lexer reads, for callers that must tell query syntax from plain words.
QUOTE_MARKS = "".join(_OPEN_QUOTES) + "”"
# The marks that end a bare word: a spaced quote's brackets inside a word are part of it.
_WORD_ENDS = "".join(m for m in QUOTE_MARKS if m not in _SPACED_QUOTES)
# Between two words these read as "either" or a list, and as part of a word they made one phrase
# ("chips,semiconductors") that matched nothing.
_SEPARATORS = ",|"
# A link or a site ("example.com/news") keeps its slashes and commas: it is one name.
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DOTTED_RE = re.compile(r"\w\.\w")
_OPERATORS = {"AND", "OR", "NOT"}
# Dashes that stand for "-" when they open a term: a phone's or a Mac's keyboard turns "--" into
# an em dash (and "-" may come out en dash, minus sign, figure dash or bar). Folded into the
# word, `covid —vaccine` read `covid AND vaccine`: the opposite of what was typed. Inside a word
# (`covid—vaccine`) they stay punctuation, as before.
DASH_LOOKALIKES = "\u2013\u2014\u2212\u2012\u2015"
_SOURCE_PREFIX = "source:"

_UNOPENED = "closing quote without an opening one"

# How much of a long query an error message shows, around the problem.
_SHOWN_CHARS = 76


class QueryError(ValueError):
    """An invalid topic query; `position` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int, query: str, *, too_big: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.position = max(0, min(position, len(query)))
        self.query = query
        # Over a size limit: a reply may say so without echoing the whole query back.
        self.too_big = too_big

    def __str__(self) -> str:
        # Tabs/newlines would knock the caret out of line with the character it points at.
        shown = re.sub(r"\s", " ", self.query)
        start = 0
        if len(shown) > _SHOWN_CHARS:
            # A query over the size limit is a paste: show the part around the problem.
            start = max(0, min(self.position - _SHOWN_CHARS // 2, len(shown) - _SHOWN_CHARS))
            end = start + _SHOWN_CHARS
            shown = ("…" if start else "") + shown[start:end] + ("…" if end < len(shown) else "")
            start -= 1 if start else 0
        caret = " " * _columns(shown[: self.position - start])
        # The place first: after the message, "…as written) at 5:" read as part of its sentence.
        return f"At character {self.position + 1}: {self.message}\n  {shown}\n  {caret}^"


def _columns(text: str) -> int:
    """How many terminal columns `text` takes: counting characters put the caret two columns
    short for every CJK or full-width character before the problem, and one past it for every
    combining accent."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


# --- lexer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tok:
    kind: str  # "(", ")", "OP", "-", "TERM", "PHRASE", "SOURCE"
    pos: int
    value: str = ""


def _read_quoted(query: str, i: int) -> tuple[str, int]:
    """Return (content, index after the closing quote) for a quote opening at `i`."""
    # A straight " closes a curly quote, and a curly ” closes a straight one: autocorrect
    # curls one end of a quotation and not the other either way round.
    closers = _OPEN_QUOTES[query[i]] + '"' + ("”" if query[i] == '"' else "")
    j = i + 1
    while j < len(query) and (query[j] not in closers or _apostrophe(query, j)):
        j += 1
    if j >= len(query):
        if query[i] == '"' and i > 0 and query[i - 1].isalnum():
            # `climate change"`: a straight quote after a word closes it; said as for `change”`.
            raise QueryError(_UNOPENED, i, query)
        raise QueryError("unterminated quote", i, query)
    return query[i + 1 : j], j + 1


def _at_word_start(query: str, i: int) -> bool:
    if i > 0 and (query[i - 1] == "-" or query[i - 1] in DASH_LOOKALIKES):
        i -= 1
    return _term_start(query, i)


def _term_start(query: str, i: int) -> bool:
    """Whether `i` starts a term: at the start, after a space or a "(" (a leading dash then
    reads as `-`, not as punctuation of a word)."""
    return i == 0 or query[i - 1].isspace() or query[i - 1] == "("


def _negation_end(query: str, i: int) -> int | None:
    """Where the term after a negation opening at `i` starts: `-`, and at a term's start a dash
    look-alike (`DASH_LOOKALIKES`) or `--`, which the keyboards above would have made one. None
    when the character at `i` negates nothing (a dash inside a word is part of it)."""
    ch = query[i]
    if ch in DASH_LOOKALIKES:
        return i + 1 if _term_start(query, i) else None
    if ch != "-":
        return None
    # `--vaccine` read as NOT NOT vaccine, that is `vaccine`: one dash meant twice.
    if query[i + 1 : i + 2] == "-" and _term_start(query, i) and query[i + 2 : i + 3] != "-":
        return i + 2
    return i + 1


def _spaced_quote_end(query: str, i: int) -> int | None:
    """The index of the mark closing a spaced quote (`_SPACED_QUOTES`) opening at `i`, or None
    when the bracket there is part of a word."""
    if not _at_word_start(query, i):
        return None
    closers = _OPEN_QUOTES[query[i]] + '"'
    for j in range(i + 1, len(query)):
        after = query[j + 1 : j + 2]
        if query[j] in closers and (not after or after.isspace() or after == ")"):
            return j
    return None


def _apostrophe(query: str, j: int) -> bool:
    # ’ also closes ‚…’, but between two letters (‚Macron’s plan’) it is the apostrophe.
    return query[j] == "’" and query[j - 1 : j].isalnum() and query[j + 1 : j + 2].isalnum()


def _read_bare(query: str, i: int) -> tuple[str, int]:
    j = i
    while j < len(query) and not query[j].isspace() and query[j] not in "()" + _WORD_ENDS:
        j += 1
    return query[i:j], j


def _check_separators(query: str, i: int, text: str) -> None:
    """Refuse a `,` or `|` that joins two words (`a|b`): the words would be one phrase,
    which the text never has. Figures (9/11, 24/7, 1,000) and links or sites are names."""
    if len(text) == 1 and text in _SEPARATORS:
        raise QueryError(f"{text} is not an operator: use OR or spaces between words", i, query)
    host, slash, _ = text.partition("/")
    if _SCHEME_RE.match(text) or (slash and _DOTTED_RE.search(host)):
        return
    for k in range(1, len(text) - 1):
        before, ch, after = text[k - 1], text[k], text[k + 1]
        if ch in _SEPARATORS and before.isalnum() and after.isalnum():
            if before.isdigit() and after.isdigit():
                continue
            # A pasted run of words glued by commas is not worth echoing back as a phrase.
            hint = f' (or "{text}" in quotes to find it as written)' if len(text) <= 30 else ""
            raise QueryError(
                f"{ch} is not an operator: use OR or spaces between words{hint}", i + k, query
            )


def tokenize(query: str) -> list[Tok]:
    toks: list[Tok] = []
    i = 0
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            toks.append(Tok(ch, i))
            i += 1
        elif ch in _CLOSE_QUOTES and ch not in _OPEN_QUOTES:
            raise QueryError(_UNOPENED, i, query)
        elif (end := _negation_end(query, i)) is not None:
            dash = query[i:end]
            if end >= len(query) or query[end].isspace():
                raise QueryError(f"{dash} is missing a term after it", i, query)
            # The dash as typed, for an error to name (`— is missing a term after it`).
            toks.append(Tok("-", i, dash))
            i = end
        elif ch in _SPACED_QUOTES and (close := _spaced_quote_end(query, i)) is not None:
            toks.append(Tok("PHRASE", i, query[i + 1 : close]))
            i = close + 1
        elif ch in _OPEN_QUOTES and ch not in _SPACED_QUOTES:
            text, end = _read_quoted(query, i)
            toks.append(Tok("PHRASE", i, text))
            i = end
        elif query[i : i + len(_SOURCE_PREFIX)].lower() == _SOURCE_PREFIX:
            j = i + len(_SOURCE_PREFIX)
            if j < len(query) and query[j] in "'‘":
                # Read bare, source:'harbor times' would be source:harbor AND times.
                raise QueryError('source: names are quoted with " (use double quotes)', j, query)
            if j < len(query) and query[j] in _OPEN_QUOTES and query[j] not in _SPACED_QUOTES:
                text, end = _read_quoted(query, j)
            else:
                text, end = _read_bare(query, j)
            toks.append(Tok("SOURCE", i, text))
            i = end
        else:
            text, end = _read_bare(query, i)
            kind = "OP" if text in _OPERATORS else "TERM"
            if kind == "TERM":
                _check_separators(query, i, text)
            toks.append(Tok(kind, i, text))
            i = end
    return toks
