"""Saved queries that a query typed today would refuse (`query.check_typed`): a lowercase `or`
or `not` between words, words in single quotes, another engine's field or wildcard. They were
saved before the check, or come from the config file, and keep the meaning they always had
(`chip or semiconductor` needs the word "or" too, and matches almost nothing); changing that
silently would change what a channel gets. So they are flagged where an operator looks:
`topics list`, `run`'s start, /watchlist."""

from __future__ import annotations

from dataclasses import dataclass

from bot.topics.lexer import QueryError
from bot.topics.lookalikes import FIELD_PROBLEM, WILDCARD_PROBLEM
from bot.topics.query import TopicQuery, check_typed


@dataclass(frozen=True, slots=True)
class SavedQueryNote:
    problem: str  # '"or" is a word to find here, not the operator OR'
    read_as: str  # how the digest reads it: 'chip AND or AND semiconductor'

    @property
    def short(self) -> str:
        """For a chat line beside the query."""
        return f"({self.problem})"

    def __str__(self) -> str:
        return f"{self.problem}: read as {self.read_as}"


def saved_query_note(query: str) -> SavedQueryNote | None:
    """What is off about a saved query the typed check refuses; None for one it accepts (or one
    that does not parse at all, which is reported where it is used)."""
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
        elif FIELD_PROBLEM in exc.message:
            problem = f'"{word.split(":", 1)[0]}:" is no field here, just words to find'
        elif exc.message.startswith(WILDCARD_PROBLEM):
            problem = "* is no wildcard here, just punctuation"
        else:
            problem = "single quotes make no phrase"
        return SavedQueryNote(problem=problem, read_as=parsed.describe())
    return None


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
    return (
        f"{count} would be refused if typed today and keep their old meaning, which may not be "
        f"what was meant ({listed}). `newsdigest topics test --topic SLUG` shows what one "
        'matches; save it again with OR/NOT in capitals or "double quotes" to change it.'
    )
