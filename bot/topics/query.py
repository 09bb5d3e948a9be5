"""Topic queries: the small search language a channel uses to pick which stories it gets.

Syntax
------

``ai chips``
    Words. Adjacent terms must all match (implicit AND).
``"chip export"``
    A quoted phrase: the words must appear consecutively, in that order. Curly quotes
    (“…”), as Slack sometimes inserts them, work too, also mixed with straight ones either way
    round (``"…”``, ``“…"``), and so do «…», ‹…›, »…«, „…“, „…” and ‚…’.
    「…」 and 『…』 quote a phrase set apart by spaces (``首相 「辞任 表明」``); inside a word
    (``首相「辞任」へ``), or left unclosed, they are part of the word.
``ai OR chips``, ``ai AND chips``
    Boolean operators. They must be written in CAPITALS. A new query typed in chat or on the
    command line (`TopicQuery.parse_typed`) refuses a lowercase ``or`` between two terms and a ``not``
    before one (``chip or semiconductor`` would need the word "or" too): write ``OR``/``NOT``, or
    quote the phrase (``"salt or pepper"``) to find it as written. ``Not`` opening a title
    (``Not Forgotten``) is a word. A lowercase ``and`` is an
    ordinary word, as are ``or``/``not`` in saved and config queries, which keep their meaning.
``'lunar lander'``
    Single quotes make no phrase (they are apostrophes too: don't, O'Brien, rock 'n' roll), so a
    typed query refuses two or more words between them and asks for double quotes.
``NOT crypto``, ``-crypto``
    Exclusion. The ``-`` form also works before a phrase, a group or a filter:
    ``-"price target"``, ``-(sports OR celebrity)``, ``-source:tabloid``. A dash a phone or a Mac
    types for ``--`` or ``-`` (``—crypto``, ``–crypto``, the minus sign ``−crypto``), and ``--``
    itself, opening a term is that ``-``; inside a word (``covid—vaccine``) it is punctuation.
    ``!crypto`` is refused in a typed query (``use -word or NOT``), as are ``&&`` and ``||``
    (``use AND``, ``use OR``) anywhere. It leaves out the
    stories the negated part is central to: it holds for the story's headline, or for more than
    half of its articles (each judged alone, on its whole text). ``chip -opposition`` keeps a chip story one of
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
character is its own unit and a term matches inside a run of text: ``日本`` matches
"日本経済が回復". Other scripts, Korean included (it is written with spaces), keep whole-word
matching, so a Korean particle joined to a word hides it (``한국`` does not match "한국은").

Parentheses may nest at most 20 deep, and a query is at most 1,000 characters, 100 terms
(words, phrases and ``source:`` filters), and a phrase at most 12 words.

A query is checked against what a story is about, not a single article, nor every word of
every article. A term (word or phrase) holds where the story says it: in its headline or any of
its articles' titles; in the leads (the first 60 words after the title) of two or more of its
outlets, or of its only outlet; or, said only further down, when it comes up at least 4 times
in all its articles. A passing mention ("a major booster of efforts", a profile's "served in
Afghanistan") matches nothing. Terms joined by OR count together, as one topic's words: one
outlet's lead saying "covid" and another's "vaccine" are two leads for ``covid OR vaccine``.
Terms joined by AND each hold on their own, anywhere in the story: ``ai export`` matches a story
one outlet headlines "AI" and another "export rules". A phrase must occur within one title or
one paragraph. A negation is judged on the headline and each article's whole text (above): it
is the positive terms a channel follows that must be what a story is about, while a story it
does not want is left out when the negated words are in its headline or most of its articles,
however they are said. (`bot.topics.storydoc` weighs where a term stands; ``newsdigest topics
test`` shows it for each story.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.topics.expr import And, Node, Not, Or, Source, Term, reasons
from bot.topics.lexer import QUOTE_MARKS, QueryError, Tok, tokenize
from bot.topics.lookalikes import check_lookalikes, symbol_operator
from bot.topics.storydoc import StoryDoc, parts, query_parts

# Re-exported: callers import the error and the quote marks with the parser.
__all__ = [
    "MAX_PHRASE_WORDS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "QUOTE_MARKS",
    "QueryError",
    "StoryDoc",
    "TopicQuery",
]

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
        self.toks = tokenize(query)
        self.i = 0
        self.depth = 0
        self.terms = 0

    def error(self, message: str, pos: int) -> QueryError:
        return QueryError(message, pos, self.query)

    def peek(self) -> Tok | None:
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

    def expect_operand(self, op: Tok) -> None:
        nxt = self.peek()
        name = (op.value or "-") if op.kind == "-" else op.value
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
            if tok.kind == "TERM" and (hint := symbol_operator(tok.value)):
                raise self.error(hint, tok.pos)  # `a && b`: another language's operator
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

    @classmethod
    def parse_typed(cls, query: str) -> TopicQuery:
        """`parse`, for a query someone is saving now: also refuses the spellings that read
        as one thing and search for another (`check_typed`)."""
        parsed = cls.parse(query)
        check_typed(query)
        return parsed

    def matches(self, doc: StoryDoc) -> bool:
        return self.root.matches(doc)

    def reasons(self, doc: StoryDoc) -> list[str] | None:
        """Why the story matches, a line per term ("vaccine: headline"), or None if it does not."""
        return reasons(self.root, doc)

    def describe(self) -> str:
        """The query as understood: folded words, explicit operators, minimal grouping."""
        return self.root.describe()

    def __str__(self) -> str:
        return self.describe()


@lru_cache(maxsize=512)
def _parse_cached(query: str) -> TopicQuery:
    # Queries parsed outside `answers.parsed` (which keeps the followed ones for the digest):
    # a parsed query is immutable, so sharing it is safe (errors are raised afresh each time).
    return TopicQuery(source_text=query, root=_Parser(query).parse())


# --- typed queries -----------------------------------------------------------------------------

_LOWER_OPERATORS = {"or": "OR", "not": "NOT"}
_ENDS_TERM = {"TERM", "PHRASE", "SOURCE", ")"}
_STARTS_TERM = {"TERM", "PHRASE", "SOURCE", "(", "-"}
_SINGLE_OPEN = "'‘"
_SINGLE_CLOSE = "'’"


def check_typed(query: str) -> None:
    """Refuse, for a query being saved, a lowercase `or` between two terms or `not` before one,
    words in single quotes, and a field or wildcard of another engine (`title:chip`, `chip*`):
    each parses, but as a search for something else than meant (`chip or semiconductor` needs
    the word "or" too; `'lunar lander'` is two loose words; `chip*` is `chip`)."""
    toks = tokenize(query)
    for i, tok in enumerate(toks):
        if tok.kind != "TERM":
            continue
        word = tok.value.lower()
        if word not in _LOWER_OPERATORS or tok.value == _LOWER_OPERATORS[word]:
            continue
        before = toks[i - 1] if i else None
        after = toks[i + 1] if i + 1 < len(toks) else None
        starts = after is not None and (
            after.kind in _STARTS_TERM or (after.kind == "OP" and after.value == "NOT")
        )
        if word == "or" and before is not None and before.kind in _ENDS_TERM and starts:
            fix = "write OR in capitals to match either word"
            raise QueryError(_lowercase_fix(query, tok, fix, before, after), tok.pos, query)
        if word == "not" and starts and (before is None or before.kind != "-"):
            if before is None and _title_words(tok, after):
                continue  # "Not Forgotten": a title, as its capitals say
            fix = "write NOT in capitals (or -word) to leave a word out"
            raise QueryError(_lowercase_fix(query, tok, fix, tok, after), tok.pos, query)
    _check_single_quotes(query, toks)
    # Another engine's field or wildcard, read here as words: `bot.topics.lookalikes`.
    check_lookalikes(query, toks)


def _title_words(tok: Tok, after: Tok | None) -> bool:
    """`Not` then a capitalised word, as a title is written, not `not` or `NOT`."""
    return (
        tok.value == "Not"
        and after is not None
        and after.kind == "TERM"
        and after.value[:1].isupper()
    )


# How much of a query a refusal's suggested fix repeats.
_FIX_CHARS = 120


def _lowercase_fix(query: str, tok: Tok, fix: str, first: Tok, last: Tok | None) -> str:
    """Why a lowercase `or`/`not` is refused, and the fixes to copy: the phrase quoted when the
    words round it are plain words, else the query with the operator in capitals (a phrase
    "source:bbc or source:cnn" would find nothing)."""
    text = f'"{tok.value}" in lowercase is a word to find: {fix}'
    if last is not None and first.kind == "TERM" and last.kind == "TERM":
        phrase = query[first.pos : last.pos + len(last.value)]
        return text + f', or quote the phrase ("{phrase}") to find it as written'
    fixed = query[: tok.pos] + tok.value.upper() + query[tok.pos + len(tok.value) :]
    if len(fixed) > _FIX_CHARS:
        fixed = fixed[: _FIX_CHARS - 1].rstrip() + "…"
    return text + f" ({fixed})"


def _check_single_quotes(query: str, toks: list[Tok]) -> None:
    """Refuse a run of two or more words between single quotes at word edges. One quoted word
    ('n', 'plan') finds the same either way, and an apostrophe inside a word (O'Brien) or at
    one end only (students', or '90s: a quote opens before a letter) pairs with nothing."""
    opened: Tok | None = None
    for tok in toks:
        if tok.kind != "TERM":
            opened = None
            continue
        if opened is None and tok.value[:1] in _SINGLE_OPEN and tok.value[1:2].isalpha():
            if tok.value[-1:] in _SINGLE_CLOSE and len(tok.value) > 1:
                continue  # one word in quotes
            opened = tok
        elif opened is not None and tok.value[-1:] in _SINGLE_CLOSE:
            words = query[opened.pos + 1 : tok.pos + len(tok.value) - 1]
            raise QueryError(
                f'single quotes do not make a phrase: write "{words}" in double quotes to '
                "find the words together (without quotes, each is found anywhere)",
                opened.pos,
                query,
            )
