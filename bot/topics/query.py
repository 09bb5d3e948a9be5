"""Topic queries: the small search language a channel uses to pick which stories it gets.

Syntax
------

``ai chips``
    Words. Adjacent terms must all match (implicit AND).
``"chip export"``
    A quoted phrase: the words must appear consecutively, in that order. Curly quotes
    (“…”), as Slack sometimes inserts them, work too, and so do «…», ‹…›, »…«, „…“, „…” and ‚…’.
``ai OR chips``, ``ai AND chips``
    Boolean operators. They must be written in CAPITALS; a lowercase ``and``/``or``/``not``
    is an ordinary word.
``NOT crypto``, ``-crypto``
    Exclusion. The ``-`` form also works before a phrase, a group or a filter:
    ``-"price target"``, ``-(sports OR celebrity)``, ``-source:tabloid``. It leaves out the
    stories the negated part is central to: it holds for the story's headline, or for more than
    half of its articles (each judged alone). ``chip -opposition`` keeps a chip story one of
    whose articles quotes "opposition lawmakers"; ``-source:tabloid`` leaves out the tabloid's
    own stories (it is their only outlet, or wrote most of their articles), not a big story a
    tabloid also covered.
``(ai OR chips) AND export``
    Parentheses group terms.
``source:reuters``, ``source:"new york times"``, ``source:nytimes.com``
    Keep stories that at least one matching outlet is covering. The value matches whole
    words of the outlet name or of its site, so ``source:times`` matches "The New York Times"
    and "Financial Times", and ``source:nytimes`` matches "The New York Times" at nytimes.com.
    A name with spaces takes double quotes (single ones are refused).

Precedence, tightest first: NOT, AND, OR. So ``a OR b c`` means ``a OR (b AND c)`` and
``NOT a b`` means ``(NOT a) AND b``.

Matching ignores case and accents (``zurich`` matches "Zürich", ``lodz`` matches "Łódź"; the
kana voicing marks are not accents: ``バス`` does not match "パス") and works on whole words:
``ai`` does not match "said", but it does match "AI-powered", because hyphenated words and
possessives ("Japan's") are also matched by their parts. A dotted initialism is one word
(``us`` matches "U.S.", ``ai`` "A.I."), and a common word of 2-4 letters written in capitals
(``US``, ``IT``, ``WHO``) asks for the initialism only: "US" or "U.S.", not the pronoun "us"
(``NATO`` is no common word: it matches "Nato" and "NATOs" too). Punctuation other than that is
ignored (``c++`` is the word ``c``; ``tcp/ip`` is the phrase "TCP/IP"), except that a ``,`` or
``|`` between two words (``chips,semiconductors``) is an error: write ``OR`` or a space.
Figures (``9/11``, ``24/7``, ``1,000``) and links or sites (``example.com/news``) are fine.

A word also matches its regular English plural, and a plural its singular (``semiconductor``
matches "semiconductors", ``company`` "companies", ``chips`` "chip"); in a phrase each word does
(``"chip export"`` matches "chip exports"). See `bot.topics.inflect` for the limits: no form
is derived that is a stopword or another common word (``good`` does not match "goods"). ``source:``
names are matched as written.

Chinese, Japanese, Thai, Lao, Khmer and Burmese are written without spaces, so there every
character is its own unit and a term matches anywhere in the text: ``日本`` matches
"日本経済が回復". Other scripts, Korean included (it is written with spaces), keep whole-word
matching, so a Korean particle joined to a word hides it (``한국`` does not match "한국은").

Parentheses may nest at most 20 deep, and a query is at most 1,000 characters, 100 terms
(words, phrases and ``source:`` filters), and a phrase at most 12 words.

A query is checked against a whole story, not a single article: the story matches when the
titles and texts of all its articles, taken together, satisfy the query. ``ai export`` matches
a story where one outlet mentions AI and another the export rules. A phrase, though, must occur
within one title or one paragraph, and a negation is judged on the headline and each article
(above).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.textutil import APOSTROPHE_MARKS, QUOTATION_PAIRS
from bot.topics.expr import And, Node, Not, Or, Source, Term
from bot.topics.storydoc import StoryDoc, parts, query_parts

# Each opening quote and the marks that close it (`QUOTATION_PAIRS`, shared with the summaries),
# but for the single marks that are apostrophes too: a query word "don't" is no quotation. A
# straight " closes any of them too, as a phone's autocorrect leaves a mix.
_OPEN_QUOTES = {o: c for o, c in QUOTATION_PAIRS.items() if o not in APOSTROPHE_MARKS}
_CLOSE_QUOTES = {'"', "”", "“"}
# Every quote mark the lexer reads, for callers that must tell query syntax from plain words.
QUOTE_MARKS = "".join(_OPEN_QUOTES) + "”"
# Between two words these read as "either" or a list, and as part of a word they made one phrase
# ("chips,semiconductors") that matched nothing.
_SEPARATORS = ",|"
# A link or a site ("example.com/news") keeps its slashes and commas: it is one name.
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DOTTED_RE = re.compile(r"\w\.\w")
_OPERATORS = {"AND", "OR", "NOT"}
_SOURCE_PREFIX = "source:"
# Real queries nest two or three deep; the cap keeps a pasted "((((..." far from the recursion limit.
MAX_NESTING = 20
# Every query is checked against every story a digest considers, on every run: these keep one
# pasted query (800 phrases; a phrase of 300 words) from costing the digest minutes. Real topics
# are a line or two: a handful of terms, phrases of a few words.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 100
MAX_PHRASE_WORDS = 12
_UNCLOSED = "unbalanced parenthesis: this ( is never closed"
_STRAY_CLOSE = "unbalanced parenthesis: this ) closes nothing"
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
        return f"{self.message} at {self.position}:\n  {shown}\n  {caret}^"


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
class _Tok:
    kind: str  # "(", ")", "OP", "-", "TERM", "PHRASE", "SOURCE"
    pos: int
    value: str = ""


def _read_quoted(query: str, i: int) -> tuple[str, int]:
    """Return (content, index after the closing quote) for a quote opening at `i`."""
    closers = _OPEN_QUOTES[query[i]] + '"'
    j = i + 1
    while j < len(query) and (query[j] not in closers or _apostrophe(query, j)):
        j += 1
    if j >= len(query):
        raise QueryError("unterminated quote", i, query)
    return query[i + 1 : j], j + 1


def _apostrophe(query: str, j: int) -> bool:
    # ’ also closes ‚…’, but between two letters (‚Macron’s plan’) it is the apostrophe.
    return query[j] == "’" and query[j - 1 : j].isalnum() and query[j + 1 : j + 2].isalnum()


def _read_bare(query: str, i: int) -> tuple[str, int]:
    j = i
    while j < len(query) and not query[j].isspace() and query[j] not in "()" + QUOTE_MARKS:
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


def _tokenize(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            toks.append(_Tok(ch, i))
            i += 1
        elif ch in _CLOSE_QUOTES and ch not in _OPEN_QUOTES:
            raise QueryError("closing quote without an opening one", i, query)
        elif ch == "-":
            if i + 1 >= len(query) or query[i + 1].isspace():
                raise QueryError("- is missing a term after it", i, query)
            toks.append(_Tok("-", i))
            i += 1
        elif ch in _OPEN_QUOTES:
            text, end = _read_quoted(query, i)
            toks.append(_Tok("PHRASE", i, text))
            i = end
        elif query[i : i + len(_SOURCE_PREFIX)].lower() == _SOURCE_PREFIX:
            j = i + len(_SOURCE_PREFIX)
            if j < len(query) and query[j] in "'‘":
                # Read bare, source:'harbor times' would be source:harbor AND times.
                raise QueryError('source: names are quoted with " (use double quotes)', j, query)
            if j < len(query) and query[j] in _OPEN_QUOTES:
                text, end = _read_quoted(query, j)
            else:
                text, end = _read_bare(query, j)
            toks.append(_Tok("SOURCE", i, text))
            i = end
        else:
            text, end = _read_bare(query, i)
            kind = "OP" if text in _OPERATORS else "TERM"
            if kind == "TERM":
                _check_separators(query, i, text)
            toks.append(_Tok(kind, i, text))
            i = end
    return toks


# --- parser ----------------------------------------------------------------------------------


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*; unary := NOT unary | atom."""

    def __init__(self, query: str) -> None:
        self.query = query
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(
                f"query is longer than {MAX_QUERY_CHARS:,} characters ({len(query):,})",
                MAX_QUERY_CHARS,
                query,
                too_big=True,
            )
        self.toks = _tokenize(query)
        self.i = 0
        self.depth = 0
        self.terms = 0

    def error(self, message: str, pos: int) -> QueryError:
        return QueryError(message, pos, self.query)

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> Node:
        if not self.toks:
            raise self.error("empty query", 0)
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            # parse_or only stops early at a ')' nobody opened.
            raise self.error(_STRAY_CLOSE, tok.pos)
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "OP" and tok.value == "OR":
            self.i += 1
            self.expect_operand(tok)
            children.append(self.parse_and())
        return _flatten(Or, children)

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while (tok := self.peek()) is not None:
            if tok.kind == "OP" and tok.value == "AND":
                self.i += 1
                self.expect_operand(tok)
            elif tok.kind == ")" or (tok.kind == "OP" and tok.value == "OR"):
                break
            children.append(self.parse_unary())
        return _flatten(And, children)

    def parse_unary(self) -> Node:
        # A loop, not recursion: a run of a thousand NOTs must not reach the recursion limit.
        negated = False
        while (tok := self.peek()) is not None and (
            tok.kind == "-" or (tok.kind == "OP" and tok.value == "NOT")
        ):
            self.i += 1
            self.expect_operand(tok)
            negated = not negated
        node = self.parse_atom()
        if not negated:
            return node
        # NOT NOT x is x; keeping the tree small keeps describe() honest.
        return node.child if isinstance(node, Not) else Not(node)

    def expect_operand(self, op: _Tok) -> None:
        nxt = self.peek()
        name = "-" if op.kind == "-" else op.value
        if nxt is None or nxt.kind == ")" or (nxt.kind == "OP" and nxt.value != "NOT"):
            raise self.error(f"{name} is missing a term after it", op.pos)

    def parse_atom(self) -> Node:
        tok = self.peek()
        if tok is None:  # only reachable through a bug; operators check their operand first
            raise self.error("unexpected end of query", len(self.query))
        if tok.kind == "OP":
            raise self.error(f"{tok.value} needs a term before it", tok.pos)
        if tok.kind == ")":
            raise self.error(_STRAY_CLOSE, tok.pos)
        self.i += 1
        if tok.kind == "(":
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise self.error("empty parentheses", tok.pos)
            if nxt is None:
                raise self.error(_UNCLOSED, tok.pos)
            if self.depth == MAX_NESTING:
                raise self.error(f"parentheses nested more than {MAX_NESTING} deep", tok.pos)
            self.depth += 1
            node = self.parse_or()
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != ")":
                # parse_or stops only at a ')' or the end, and a deeper '(' left open would have
                # failed first: this is the innermost '(' never closed. The end of the query, where
                # the parser noticed, says nothing about which of several '(' needs its ')'.
                raise self.error(_UNCLOSED, tok.pos)
            self.i += 1
            return node
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(
                f"query has more than {MAX_TERMS} terms", tok.pos, self.query, too_big=True
            )
        if tok.kind == "SOURCE":
            if not (outlet := tuple(parts(tok.value))):
                raise self.error("source: needs an outlet name", tok.pos)
            return Source(outlet)
        found = tuple(query_parts(tok.value))
        if not found:
            what = "phrase" if tok.kind == "PHRASE" else "term"
            raise self.error(f"{what} has no words to search for", tok.pos)
        if len(found) > MAX_PHRASE_WORDS:
            what = "phrase" if tok.kind == "PHRASE" else "term"
            raise QueryError(
                f"{what} has more than {MAX_PHRASE_WORDS} words", tok.pos, self.query, too_big=True
            )
        return Term(found)


def _flatten(kind: type[And] | type[Or], children: list[Node]) -> Node:
    if len(children) == 1:
        return children[0]
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return kind(tuple(flat))


# --- public API ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicQuery:
    """A parsed topic query. Build with `TopicQuery.parse`."""

    source_text: str
    root: Node

    @classmethod
    def parse(cls, query: str) -> TopicQuery:
        """Parse `query`, raising QueryError. Repeated calls for one string are cached."""
        return _parse_cached(query)

    def matches(self, doc: StoryDoc) -> bool:
        return self.root.matches(doc)

    def describe(self) -> str:
        """The query as understood: folded words, explicit operators, minimal grouping."""
        return self.root.describe()

    def __str__(self) -> str:
        return self.describe()


@lru_cache(maxsize=1024)
def _parse_cached(query: str) -> TopicQuery:
    # The digest stage re-parses each channel topic for every story; a parsed query is
    # immutable, so sharing it is safe (errors are not cached and are raised afresh).
    return TopicQuery(source_text=query, root=_Parser(query).parse())
