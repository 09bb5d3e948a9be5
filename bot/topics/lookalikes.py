"""Other search engines' syntax typed into a topic query, which this language reads as words:
a field other than `source:` (`title:chip` was the phrase "title chip"), a `*` wildcard (`chip*`
was `chip`: the mark is punctuation), a `!` for NOT (`covid !vaccine` was `covid AND vaccine`),
and an operator it lacks (`chip NEAR wafer` was `chip AND near AND wafer`). The first three are
refused when a query is saved (`check_lookalikes`, from `query.check_typed`); an operator-looking
word may be a word meant (an acronym, a name), so it is only pointed out (`operator_lookalikes`).
`&&` and `||` standing alone have no words and never parsed: `symbol_operator` names the
operator meant (`query`'s parser asks it)."""

from __future__ import annotations

import re

from bot.topics.lexer import QueryError, Tok

# Letters, a colon, then more than a colon or a slash: `title:chip`, not `http://`, `std::map`,
# `10:30` or `Wars:` ending a title.
_FIELD_RE = re.compile(r"^([^\W\d_]+):(?=[^\s:/])")
# How much of a term a refusal quotes back, in its fix.
_QUOTED_CHARS = 40
# Operators of other search engines, in capitals as they are written there: NEAR, NEAR/3, W/5.
_OPERATOR_RE = re.compile(r"^(?:(?:NEAR|ONEAR|ADJ|XOR|WITHIN)(?:/?\d+)?|[WN]/\d+)$")

# Programming languages' operators, and the one of this language to write for each.
_SYMBOL_OPERATORS = {"&&": "AND", "&": "AND", "||": "OR", "!": "-word or NOT"}

# The start of each refusal, for `bot.topics.saved` to say which one a saved query has.
FIELD_PROBLEM = "is not a field here"
WILDCARD_PROBLEM = "* is not a wildcard here"
SYMBOL_PROBLEM = "is not an operator here"


def symbol_operator(value: str) -> str | None:
    """Why a term of symbols alone (`&&`, `||`, `!`) is no term: the operator to write for it,
    or None for other punctuation."""
    meant = _SYMBOL_OPERATORS.get(value)
    return f"{value} {SYMBOL_PROBLEM}: use {meant}" if meant else None


def check_lookalikes(query: str, toks: list[Tok]) -> None:
    """Refuse a field other than `source:`, a `*` in a word and a `!`, `&&` or `||` joined to
    one (see the module docstring)."""
    for tok in toks:
        if tok.kind != "TERM":
            continue
        if tok.value[:1] == "!" and tok.value[1:2].isalnum():
            # Other engines' NOT; here punctuation, so the word it meant to leave out was required.
            raise QueryError(
                f"! {SYMBOL_PROBLEM}: use -word or NOT word to leave a word out", tok.pos, query
            )
        for mark, meant in (("&&", "AND"), ("||", "OR")):
            # `ukraine&&russia` was the phrase "ukraine russia"; marks round a word (Discord's
            # spoiler `||x||`) join nothing.
            if (at := _joining(tok.value, mark)) is not None:
                raise QueryError(
                    f"{mark} {SYMBOL_PROBLEM}: use {meant}, with spaces round it",
                    tok.pos + at,
                    query,
                )
        field = _FIELD_RE.match(tok.value)
        if field is not None:
            fix = (
                f'; quote "{tok.value}" to find its words as written'
                if len(tok.value) <= _QUOTED_CHARS
                else ""
            )
            raise QueryError(
                f'"{field.group(1)}:" {FIELD_PROBLEM}: the one field is source: (source:reuters)'
                + fix,
                tok.pos,
                query,
            )
        star = _wildcard_at(tok.value)
        if star is not None:
            raise QueryError(
                f"{WILDCARD_PROBLEM}: a word already finds its plural and singular (chip finds "
                "chips); write other words out with OR (chip OR chipmaker)",
                tok.pos + star,
                query,
            )


def _joining(value: str, mark: str) -> int | None:
    """Where `mark` stands between two words of a term (`a&&b`), or None."""
    at = value.find(mark)
    while at >= 0:
        before, after = value[:at], value[at + len(mark) :]
        if any(ch.isalnum() for ch in before) and any(ch.isalnum() for ch in after):
            return at
        at = value.find(mark, at + 1)
    return None


def _wildcard_at(value: str) -> int | None:
    """Where a `*` wildcard is in a term (`chip*`, `*chip`, `semi*con`), or None: marks round the
    whole word (`*bold*`, emphasis pasted with it) are none."""
    if not any(ch.isalnum() for ch in value):
        return None
    lead = len(value) - len(value.lstrip("*"))
    trail = len(value) - len(value.rstrip("*"))
    if lead and trail:
        inner = value[lead : len(value) - trail].find("*")
        return None if inner < 0 else lead + inner
    found = value.find("*")
    return None if found < 0 else found


def operator_lookalikes(toks: list[Tok]) -> list[str]:
    """The words of a query written as another engine's operator (NEAR), each once: searched
    for as words here, which a query's author may not expect."""
    found = [t.value for t in toks if t.kind == "TERM" and _OPERATOR_RE.match(t.value)]
    return list(dict.fromkeys(found))
