"""Saved queries that a query typed today would refuse (`query.check_typed`): a lowercase `or`
or `not` between words, words in single quotes, another engine's field or wildcard. They were
saved before the check, or come from the config file, and keep the meaning they always had
(`chip or semiconductor` needs the word "or" too, and matches almost nothing); changing that
silently would change what a channel gets. So they are flagged where an operator looks:
`topics list`, `run`'s start, /watchlist, and for the file's own topics as it loads (`config
check`, `poll`: `bot.config_warnings`). A word written as another engine's operator (`NEAR`,
`XOR`) is saved, as it may be a word meant, and flagged in the same places; `/follow` and
`topics add` say so when they save one (`operator_note`, the one wording)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.topics.lexer import QueryError, tokenize
from bot.topics.lookalikes import (
    FIELD_PROBLEM,
    SYMBOL_PROBLEM,
    WILDCARD_PROBLEM,
    operator_lookalikes,
)
from bot.topics.query import TopicQuery, check_typed


@dataclass(frozen=True, slots=True)
class SavedQueryNote:
    problem: str  # '"or" is a word to find here, not the operator OR'
    read_as: str  # how the digest reads it: 'chip AND or AND semiconductor'
    fix: str  # what to write instead: 'write OR in capitals for the operator'
    # Whether `topics add` and /follow refuse the query as typed; an operator-looking word
    # (NEAR) is saved, as it may be a word meant, and only pointed out.
    refused: bool = True

    @property
    def short(self) -> str:
        """For a chat line beside the query."""
        return f"({self.problem})"

    def __str__(self) -> str:
        return f"{self.problem}: read as {self.read_as}"


def saved_query_note(query: str) -> SavedQueryNote | None:
    """What is off about a saved query the typed check refuses, or one with a word written as
    another engine's operator (NEAR); None for one that is fine (or does not parse at all,
    which is reported where it is used)."""
    try:
        parsed = TopicQuery.parse(query)
    except QueryError:
        return None
    try:
        check_typed(query)
    except QueryError as exc:
        word = query[exc.position :].split(None, 1)[0] if query[exc.position :].strip() else ""
        if word.lower() in ("or", "not"):
            problem = f'"{word}" is a word to find here, not the operator {word.upper()}'
            fix = f"write {word.upper()} in capitals for the operator"
        elif FIELD_PROBLEM in exc.message:
            field = word.split(":", 1)[0]
            problem = f'"{field}:" is no field here, just words to find'
            fix = f'the one field is source:; write "{word}" in double quotes to find its words'
        elif exc.message.startswith(WILDCARD_PROBLEM):
            problem = "* is no wildcard here, just punctuation"
            fix = "a word already finds its plural and singular; write other words out with OR"
        elif SYMBOL_PROBLEM in exc.message:
            # `!vaccine`, `ukraine&&russia`: the message names the mark and what to write.
            mark, _, fix = exc.message.partition(f" {SYMBOL_PROBLEM}: ")
            problem = f"{mark} is no operator here, just punctuation"
        else:
            problem = "single quotes make no phrase"
            fix = 'write a phrase in "double quotes"'
        return SavedQueryNote(problem=problem, read_as=parsed.describe(), fix=fix)
    if found := operator_lookalikes(tokenize(query)):
        return SavedQueryNote(
            problem=_operator_problem(found, str),
            read_as=parsed.describe(),
            fix=OPERATORS,
            refused=False,
        )
    return None


# Said after a word written as another engine's operator, wherever one is pointed out.
OPERATORS = "the operators are AND, OR and NOT"


def _operator_problem(found: list[str], show: Callable[[str], str]) -> str:
    words = " and ".join(show(w) for w in found[:3])
    verb = "is a word" if len(found) == 1 else "are words"
    return f"{words} {verb} to find here, not an operator"


def operator_note(query: str, show: Callable[[str], str] = str) -> str:
    """What `/follow` and `topics add` say on saving a query with a word written as another
    engine's operator ("NEAR is a word to find here, not an operator; the operators are AND,
    OR and NOT."): it may be a word meant (an acronym), so it is saved, but `chip AND near AND
    wafer` should not come as a surprise. "" for none. `show` writes each word for where the
    note goes (chat's `literal`, the terminal's `clean`)."""
    try:
        found = operator_lookalikes(tokenize(query))
    except QueryError:
        return ""
    return f"{_operator_problem(found, show)}; {OPERATORS}." if found else ""


def flagged_topics(topics: list[tuple[str, str]]) -> list[tuple[str, SavedQueryNote]]:
    """(slug, note) for each (slug, query) whose query the typed check would refuse."""
    return [(slug, note) for slug, query in topics if (note := saved_query_note(query))]


def flagged_warning(topics: list[tuple[str, str]]) -> str | None:
    """One line for `run`'s start naming every flagged topic, or None."""
    flagged = flagged_topics(topics)
    if not flagged:
        return None
    listed = "; ".join(f"{slug}: {note}" for slug, note in flagged)
    count = f"{len(flagged)} saved topic {'query' if len(flagged) == 1 else 'queries'}"
    if all(note.refused for _, note in flagged):
        said = "would be refused if typed today and keep their old meaning, which"
    else:
        said = "keep a meaning that"
    return (
        f"{count} {said} may not be what was meant ({listed}). `newsdigest topics test --topic "
        'SLUG` shows what one matches; save it again with OR/NOT in capitals or "double quotes" '
        "to change it."
    )
