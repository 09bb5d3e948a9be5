"""`newsdigest topics ...`: the topics channels can follow, and a dry run of a query."""

from __future__ import annotations

import re

import click
from rich.markup import escape
from rich.table import Table

from bot.cli.context import HOURS, MIN_SOURCES, CliContext, QueryCommand, QueryWords, pass_cli
from bot.cli.feeds_list import not_synced_yet
from bot.cli.output import plain_console, table_console
from bot.config_entries import RESERVED_TOPIC_NAMES, SLUG_RE
from bot.render.text import clean
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import topic_matches
from bot.store.stories import StoryRow
from bot.textutil import plural
from bot.topics.outlets import KnownOutlets, check_source_names, source_notes
from bot.topics.query import QueryError, StoryDoc, TopicQuery, check_typed
from bot.topics.saved import flagged_topics, operator_note, saved_query_note

# Bounded so a huge value is a usage error, not an OverflowError in the date arithmetic.


QUERY_HELP = """Query syntax: words, "quoted phrases" (or «…», „…“), AND / OR / NOT (or -word),
parentheses and source:name filters (not a,b or a|b: write a OR b); case- and
accent-insensitive (but US, IT, WHO in capitals mean the initialism, "US" or "U.S.", not
"us"), matched on whole words (Chinese, Japanese, Thai,
Lao, Khmer, Burmese: inside a run of text too) where a story says what it is about: a headline,
the leads (first 60 words) of two of its outlets (of its only one), or 4 mentions in all its
articles; OR'd terms count together. A word also matches its plural or
singular (chip, chips). A negation leaves out a story only when it holds for the headline or for
most of its articles, anywhere in them (-source:tabloid: the tabloid's own stories). At most 1,000 characters,
100 terms, 12 words a phrase. Given as several shell words, one with spaces in it is a phrase,
and source:"Fox News" keeps its name whole; parentheses are quoted from the shell with what they
group ({example}).
Example: (chip OR semiconductor) AND export -rumour source:reuters"""


def query_help(example: str) -> str:
    """The query syntax, its shell example written as the command at hand is typed."""
    return QUERY_HELP.format(example=example)


ADD_EXAMPLE = 'topics add chips "chip export" OR semiconductor'
# Grouped: bare, `-rumour` binds tighter than OR and only left out rumours of semiconductors.
TEST_EXAMPLE = "topics test '(\"chip export\" OR semiconductor) -rumour' --hours 24"


@click.group("topics", help=f"Add, list, remove and test topics.\n\n{query_help(ADD_EXAMPLE)}")
def topics_group() -> None:
    pass


@topics_group.command(
    "add",
    cls=QueryCommand,
    help=(
        "Add the topic SLUG matching QUERY, or replace an existing topic's query for every "
        "channel that follows it (printing the query it replaced). A word written as another "
        "engine's operator (NEAR, XOR, ADJ, WITHIN) is saved as a word to find, with a note, "
        "as /follow says it."
        f"\n\n{query_help(ADD_EXAMPLE)}"
    ),
)
@click.argument("slug")
@click.argument("words", metavar="QUERY", nargs=-1, required=True, cls=QueryWords)
@click.option(
    "--title",
    help="Human title shown on cards [default: the topic's current title, for a new one the slug].",
)
@pass_cli
def topics_add(cli: CliContext, slug: str, words: tuple[str, ...], title: str | None) -> None:
    query = argv_query(words)
    if not SLUG_RE.match(slug):
        raise click.ClickException(f"topic slugs use lowercase letters, digits and '-': {slug!r}")
    parsed = _parse(query)
    outlets = KnownOutlets.of(feed_store.known_outlets(cli.core.db))
    try:
        check_source_names(query, outlets)
    except QueryError as exc:
        raise click.ClickException(f"invalid query:\n{exc}") from None
    existing = channel_store.get_topic(cli.core.db, slug)
    if existing is None and slug in RESERVED_TOPIC_NAMES:
        # Chat reads `/follow help` as a request for the command's usage.
        raise click.ClickException(
            f"{slug!r} cannot be a topic name: in chat, /follow {slug} and /unfollow {slug} show "
            "those commands' usage. Pick another name"
        )
    if (existing is not None and existing.origin == "config") or any(
        t.slug == slug for t in cli.config.topics
    ):
        # Replacing it here would make it the command line's: `topics remove` would then take it,
        # and the next sync bring it back; or the next sync would undo this change.
        raise click.ClickException(
            f"topic {slug} is declared in {cli.declaring_file()}; change it there"
        )
    if title is None and existing is not None:
        title = existing.title  # replacing the query keeps the title unless --title is given
    channel_store.upsert_topic(cli.core.db, slug, query, title=title, origin="cli")
    if existing is not None and not _same_meaning(existing.query, parsed):
        # The operator's command needs no `query:` marker as /follow does, but a topic is
        # shared by every channel following it: a typo'd slug must not replace one unnoticed.
        # Each query on a line of its own: quoted, a query's own quotes doubled up
        # ('replaced ""chip export" OR semiconductor" with …').
        click.echo(f"Topic {slug}: query replaced\n  was: {clean(existing.query)}\n  now: {query}")
    else:
        click.echo(f"Topic {slug}: {parsed.describe()}")
    if note := operator_note(query, clean):
        # Saved (it may be a word meant), but said as /follow says it.
        click.echo(f"Note: {note}", err=True)
    _source_notes(query, outlets)


@topics_group.command("list")
@pass_cli
def topics_list(cli: CliContext) -> None:
    """List topics and their queries, noting each that may not match what was meant, and
    counting those the config file declares that `poll` or `run` has not synced yet."""
    topics = channel_store.list_topics(cli.reader.db)
    # A listing does not sync: the file's topics not synced yet are said, not left a mystery.
    stored = {t.slug for t in topics}
    pending = not_synced_yet(cli, sum(t.slug not in stored for t in cli.config.topics), "topic")
    if not topics:
        click.echo(
            pending
            or 'No topics yet. Add one with: newsdigest topics add ai-policy "ai AND regulation"'
        )
        return
    table = Table("slug", "title", "query")
    for topic in topics:
        # Titles and queries may come from anyone in a chat channel (/follow).
        table.add_row(
            escape(topic.slug), escape(clean(topic.display_title)), escape(clean(topic.query))
        )
    table_console().print(table)
    flagged = flagged_topics([(t.slug, t.query) for t in topics])
    if flagged:
        # Saved before a typed query was checked, or from the config: they keep their meaning.
        console = plain_console()
        refused = (
            "would be refused if typed today and " if all(n.refused for _, n in flagged) else ""
        )
        console.print(
            f"{plural(len(flagged), 'query', 'queries')} {refused}"
            "may not match what was meant (`topics test --topic SLUG` shows what it matches):"
        )
        for slug, note in flagged:
            console.print(f"  {escape(slug)}: {escape(clean(str(note)))}")
    if pending:
        plain_console().print(escape(pending), highlight=False)


@topics_group.command("remove")
@click.argument("slug")
@pass_cli
def topics_remove(cli: CliContext, slug: str) -> None:
    """Remove a topic (channels stop following it)."""
    db = cli.editor.db
    topic = channel_store.get_topic(db, slug)
    if topic is None:
        raise click.ClickException(f"no topic {slug!r} (see: newsdigest topics list)")
    if topic.origin == "config":
        # The next sync would add it back, and the channels declaring it would have lost it.
        raise click.ClickException(
            f"topic {slug} is declared in {cli.declaring_file()}; remove it there"
        )
    followers = [c for c in cli.config.channels if slug in c.topics]
    if followers:
        # The file's channel would lose it now and the next sync refuse the whole file.
        who = ", ".join(f"{c.platform}:{c.id}" for c in followers)
        raise click.ClickException(
            f"topic {slug} is followed by {who} in {cli.declaring_file()}; take it out of "
            "that channel's topics first"
        )
    # A channel following no topic gets every story: say so rather than widen it silently.
    widened = [
        c.name or c.key
        for c in channel_store.list_channels(db)
        if [t.slug for t in channel_store.channel_topics(db, c.id)] == [slug]
    ]
    channel_store.remove_topic(db, slug)
    click.echo(f"Removed topic {slug}")
    if widened:
        click.echo(
            f"Warning: {', '.join(widened)} followed only {slug} and now "
            f"{'gets' if len(widened) == 1 else 'get'} every story "
            "(/follow a topic to narrow it again)",
            err=True,
        )


@topics_group.command(
    "test",
    cls=QueryCommand,
    help=(
        "Show which recent stories QUERY (or the saved topic --topic SLUG) would match, and "
        "where each says the query's terms. A story a channel was given by a topic of this "
        "query stays matched for it as other outlets join, and says 'kept from earlier'."
        f"\n\n{query_help(TEST_EXAMPLE)}"
    ),
)
@click.argument("words", metavar="QUERY", nargs=-1, cls=QueryWords)
@click.option(
    "--topic",
    "slug",
    metavar="SLUG",
    help="Test the saved topic SLUG's query as the digest reads it, instead of a QUERY.",
)
@click.option("--hours", default=72, show_default=True, type=HOURS, help="How far back to look.")
@MIN_SOURCES
@pass_cli
def topics_test(
    cli: CliContext, words: tuple[str, ...], slug: str | None, hours: int, min_sources: int
) -> None:
    if slug is not None:
        if words:
            raise click.UsageError("give a QUERY or --topic SLUG, not both")
        query, parsed = _saved(cli, slug)
    elif not words:
        raise click.UsageError("Missing argument 'QUERY' (or --topic SLUG to test a saved topic).")
    else:
        query = argv_query(words)
        # As the digest reads it: a config query spelt `chip or wafer` is tested as it runs,
        # with the note that a new query so spelt would be refused.
        try:
            parsed = TopicQuery.parse(query)
        except QueryError as exc:
            raise click.ClickException(f"invalid query:\n{exc}") from None
        outlets = KnownOutlets.of(feed_store.known_outlets(cli.reader.db))
        try:
            check_typed(query)
            check_source_names(query, outlets)
        except QueryError as exc:
            click.echo(
                f"Note: topics add and /follow refuse this query as typed ({exc.message}); "
                "a saved or config query spelt so is read as below.",
                err=True,
            )
        else:
            if note := operator_note(query, clean):
                click.echo(f"Note: {note}", err=True)
        _source_notes(query, outlets)
    stories = cli.reader.recent_stories(hours=hours, min_sources=min_sources, limit=2000)
    members = article_store.articles_for_stories(cli.reader.db, [s.id for s in stories])
    # As the digest matches (`pipeline.digest.matching_topics`), saying where each term was found.
    # A channel given a story by this query keeps it matched as it grows, as its digest does.
    kept = topic_matches.kept_by_query(cli.reader.db, query)
    hits: list[tuple[StoryRow, list[str]]] = []
    for s in stories:
        why = parsed.reasons(StoryDoc.from_articles(members[s.id], s.headline or None))
        if why is None and s.id in kept:
            why = [_kept_reason(kept[s.id])]
        if why is not None:
            hits.append((s, why))
    console = plain_console()
    console.print(
        f"{escape(parsed.describe())} matches {len(hits)} of {plural(len(stories), 'story', 'stories')} "
        f"from the last {hours}h"
    )
    for story, why in hits:
        console.print(
            # Feed text: clean() strips terminal escapes, escape() the Rich markup.
            f"  [bold]{escape(clean(story.slug))}[/bold]  {escape(clean(story.headline))}  "
            f"[dim]({plural(story.source_count, 'source')})[/dim]"
            + (f"  [dim]{escape(clean('; '.join(why)))}[/dim]" if why else "")
        )


def _source_notes(query: str, outlets: KnownOutlets) -> None:
    """Say which `source:` names match no outlet of this database's feeds (a feed may come)."""
    for note in source_notes(query, outlets, clean):
        click.echo(f"Note: {note}", err=True)


def _kept_reason(kept: list[topic_matches.KeptMatch]) -> str:
    """Why a story the query no longer matches as it is still counts: the channels that keep it
    matched since they were given it (`bot.store.topic_matches`)."""
    channels = ", ".join(dict.fromkeys(k.channel for k in kept))
    first = min((k.matched_at for k in kept if k.matched_at is not None), default=None)
    when = f" since {first:%Y-%m-%d %H:%M} UTC" if first is not None else ""
    return f"kept from earlier for {channels} (matched when it was given to them{when})"


def argv_query(words: tuple[str, ...]) -> str:
    """The query the command line's words make. Given as several words, one with spaces in it
    was quoted for the shell as a phrase (`topics add chips "chip export" OR semiconductor`):
    joined bare it would be "chip AND export", so it is quoted again. One with its own quotes,
    parentheses or operators is an expression the shell quotes kept together, and is left as
    it is; a single word is the whole query, typed inside one pair of shell quotes. A word
    `source:NAME WITH SPACES` (or `-source:`) was the shell's `source:"Fox News"`, and is quoted
    again after its `source:`, one word or several: bare, it was `source:fox AND news`."""
    words = tuple(_shell_source(word) for word in words)
    if len(words) < 2:
        return " ".join(words)
    return " ".join(f'"{word}"' if _shell_phrase(word) else word for word in words)


def _shell_phrase(word: str) -> bool:
    return len(word.split()) > 1 and _plain_words(word)


def _plain_words(text: str) -> bool:
    """Whether `text` is words alone: no quotes, groups, operators or filters of a query."""
    return not any(ch in _QUOTES_AND_GROUPS for ch in text) and not any(
        p in ("AND", "OR", "NOT") or p.startswith(("-", "source:")) for p in text.split()
    )


def _shell_source(word: str) -> str:
    """`word` with the outlet name of a `source:` the shell unquoted quoted again: a name as
    outlets write theirs, each word capitalised but the small ones between ("Fox News", "Times
    of India"). Lowercase words after it are the query's own, the whole query typed in one pair
    of shell quotes (`'source:reuters chips'`); a lowercase name the shell unquoted reads as
    words, which the typed check then points at (`bot.topics.outlets`)."""
    match = _SHELL_SOURCE_RE.match(word)
    if match is None or not _plain_words(match.group(2)) or not _named(match.group(2)):
        return word
    return f'{match.group(1)}"{match.group(2)}"'


def _named(name: str) -> bool:
    first, *rest = name.split()
    return (
        not first[:1].islower()
        and all(not w[:1].islower() or w in _NAME_SMALL_WORDS for w in rest[:-1])
        and not rest[-1][:1].islower()
    )


# Small words a name written in Title Case leaves lowercase between its words.
_NAME_SMALL_WORDS = frozenset("of the and for on in at de la le du von van".split())


# `source:Fox News` and `-source:Fox News`: a name with a space the shell left no quotes round.
_SHELL_SOURCE_RE = re.compile(r"^(-?source:)(\S+(?:\s+\S+)+)$", re.IGNORECASE)


_QUOTES_AND_GROUPS = frozenset("\"'“”„«»‹›()")


def _saved(cli: CliContext, slug: str) -> tuple[str, TopicQuery]:
    """The saved topic's query, as stored and as the digest reads it: not the typed check, which
    a query saved before it (or in the config) may fail while still matching what it always
    did."""
    topic = channel_store.get_topic(cli.reader.db, slug)
    if topic is None:
        raise click.ClickException(f"no topic {slug!r} (see: newsdigest topics list)")
    try:
        parsed = TopicQuery.parse(topic.query)
    except QueryError as exc:
        raise click.ClickException(f"topic {slug}'s query is invalid:\n{exc}") from None
    if note := saved_query_note(topic.query):
        click.echo(f"Note: {slug}: {clean(str(note))}", err=True)
    return topic.query, parsed


def _same_meaning(stored: str, parsed: TopicQuery) -> bool:
    """Whether the stored query means what `parsed` does (other quotes or spacing are no change)."""
    try:
        return TopicQuery.parse(stored).root == parsed.root
    except QueryError:
        return False


def _parse(query: str) -> TopicQuery:
    try:
        return TopicQuery.parse_typed(query)
    except QueryError as exc:
        raise click.ClickException(f"invalid query:\n{exc}") from None
