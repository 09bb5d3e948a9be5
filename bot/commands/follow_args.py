"""How `/follow`'s and `/unfollow`'s words are read: the topic name as typed (in quotes, before
a `query:` marker, after Discord's `topic:` option name), its query, the slug the name means,
and whether words after a new name are plain words or a query. `bot.commands.topics` answers.
"""

from __future__ import annotations

import re

import sqlite_utils

from bot.commands.base import straight_quotes
from bot.store import channels as channel_store
from bot.topics.query import QUOTE_MARKS, QueryError, check_typed

# `query:` (Discord's option name; on Slack the way to give a query of plain words) as a word of
# its own or the start of one ("query:chip").
_MARKER_RE = re.compile(r"(?:^|(?<=\s))query:", re.IGNORECASE)
_TOPIC_OPTION_RE = re.compile(r"^topic:\s*", re.IGNORECASE)
# A name in quotes, first (`"ferries"`, `'machine learning'`; curly ones made straight first),
# and what follows it (a full stop after the quotes is the sentence's).
_QUOTED_NAME_RE = re.compile(r"""^\s*(["'])([^"']*)\1[.,;:!?…]*(?!\S)(.*)$""", re.DOTALL)
# The query language's own quotes: «…» or ‹…› quote a phrase as "…" does.
_QUERY_SYNTAX = QUOTE_MARKS + "()"


def split_follow(args: str) -> tuple[str, str, bool]:
    """`/follow`'s topic name as typed, its query, and whether the query was marked `query:`.

    With the marker, every word before it is the topic name (`/follow machine learning query:
    machine learning` is the topic `machine-learning`, as Discord's topic option reads it), and
    the marker is never part of the query. Without it, the first word is the name. A `query:`
    inside the query's own quotes or brackets is not the marker."""
    args = without_topic_option(args)
    if (quoted_name := _QUOTED_NAME_RE.match(straight_quotes(args))) is not None:
        # `/follow “ferries” query: ferry`: the quotes group the name, as they group a value.
        rest = args[quoted_name.start(3) :].strip()
        if (marker := _MARKER_RE.match(rest)) is not None:
            return quoted_name.group(2).strip(), _unmarked_query(rest[marker.end() :]), True
        return quoted_name.group(2).strip(), rest, False
    found = _MARKER_RE.search(args)
    if found is not None and not any(ch in args[: found.start()] for ch in _QUERY_SYNTAX):
        return args[: found.start()].strip(), _unmarked_query(args[found.end() :]), True
    name, _, query = args.strip().partition(" ")
    return name, query.strip(), False


def _unmarked_query(query: str) -> str:
    """The query after its `query:` marker, without the marker typed again (`query: query:
    ferry`, or Discord's query option given `query: ferry`): read as a word it made the topic
    match "query AND ferry"."""
    query = query.strip()
    while (again := _MARKER_RE.match(query)) is not None:
        query = query[again.end() :].strip()
    return query


def unquoted_name(typed: str) -> tuple[str, str]:
    """A topic name as typed without the quotes around it (`/unfollow “ferries”`), straight or
    curly: no topic name has a quote; and what was typed after the quotes, which is no part of
    the name (`/unfollow "x y" OR z`)."""
    found = _QUOTED_NAME_RE.fullmatch(straight_quotes(typed.strip()))
    if found is None:
        return typed, ""
    return found.group(2).strip(), typed.strip()[found.start(3) :].strip()


def without_topic_option(args: str) -> str:
    """`args` without Discord's option name before the topic (`topic:chips`), as people who use
    both type it on Slack: no topic name has a ':'."""
    return _TOPIC_OPTION_RE.sub("", args.strip())


def topic_slug(db: sqlite_utils.Database, typed: str) -> str:
    """The topic a typed name means: lowercase, its words joined by '-' (as Discord's slash
    command joins them), and no '-' at either end or twice in a row (`bad-topic-` is
    `bad-topic`), nor the sentence's punctuation after it (`/follow ferries.`, `/unfollow
    ferries!`). A topic already saved under the name exactly as typed (the config file and
    `newsdigest topics add` allow such names) keeps it, so it can still be followed."""
    name = "-".join(typed.lower().split())
    if channel_store.get_topic(db, name) is not None:
        return name
    return re.sub(r"-{2,}", "-", name.rstrip(SENTENCE_ENDS)).strip("-")


# What ends a sentence typed after a name: no topic name ends with one.
SENTENCE_ENDS = ".,;:!?…"


def plain_words(query: str) -> bool:
    """True for words with no query syntax (quotes, brackets, AND/OR/NOT, -word, source:): the
    text could as well be the rest of a topic name typed with spaces."""
    if any(ch in query for ch in _QUERY_SYNTAX):
        return False
    if any(w in ("AND", "OR", "NOT") or w.startswith("-") or ":" in w for w in query.split()):
        return False
    try:
        # "chip or wafer" and "'lunar lander'" were meant as a query, one /follow refuses: its
        # fix is the answer, not a `query:` command that would be refused in turn.
        check_typed(query)
    except QueryError:
        return False
    return True
