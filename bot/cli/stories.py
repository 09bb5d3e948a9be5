"""`newsdigest stories | story | digest`: read the pipeline's results (`poll` is in
`bot.cli.poll`)."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from bot.cli.channels import known_channels
from bot.cli.context import HOURS, MIN_SOURCES, POSITIVE, CliContext, QueryCommand, pass_cli
from bot.cli.output import fit_table, table_console
from bot.models import Summary
from bot.render.console import render_card_console, render_digest_console
from bot.render.old_names import old_name_line
from bot.render.text import clean
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import story_names
from bot.store import summaries as summary_store
from bot.store.database import utcnow
from bot.textutil import plural


@click.command("stories")
@click.option("--hours", default=48, show_default=True, type=HOURS, help="How far back to look.")
@MIN_SOURCES
@click.option("--limit", default=30, show_default=True, type=POSITIVE, help="Most stories to list.")
@pass_cli
def stories_command(cli: CliContext, hours: int, min_sources: int, limit: int) -> None:
    """List recent stories with their slugs and source counts."""
    stories = cli.reader.recent_stories(hours=hours, min_sources=min_sources, limit=limit)
    if not stories:
        if min_sources > 1 and cli.reader.recent_stories(hours=hours, limit=1):
            # There are stories; the filter excluded them all. "Run poll" would mislead.
            click.echo(
                f"No story in the last {hours}h has {min_sources} or more independent "
                "sources (lower --min-sources to see the others)."
            )
        else:
            click.echo(f"No stories in the last {hours}h. {_why_no_stories(cli)}")
        return
    # One line per story: a long headline is cut with '…' (piped, it is printed whole).
    # Slugs cut at the end still work as `newsdigest story PREFIX`.
    table = Table(
        Column("slug", no_wrap=True, overflow="ellipsis"),
        Column("sources", no_wrap=True),
        Column("headline", no_wrap=True, overflow="ellipsis"),
        Column("updated (UTC)", no_wrap=True),
    )
    for story in stories:
        # Headlines (and slugs made from them) are feed text: clean() strips the terminal
        # escapes and bidi controls, escape() the Rich markup.
        table.add_row(
            escape(clean(story.slug)),
            str(story.source_count),
            escape(clean(story.headline)),
            story.last_updated.strftime("%Y-%m-%d %H:%M"),
        )
    console = table_console()
    # The headline is what a reader scans for: room goes to it first, the slug keeps 12 (a
    # prefix of it still works as `newsdigest story PREFIX`).
    fit_table(table, console, {2: 24, 0: 12})
    console.print(table)


def _why_no_stories(cli: CliContext) -> str:
    """What to do about an empty listing. After a poll in which every feed failed, "run poll
    first" sends the user to run it again, to the same failure: the errors are what to look at."""
    polled = [f for f in feed_store.list_feeds(cli.reader.db) if f.last_polled_at is not None]
    failing = [f for f in polled if f.consecutive_failures or f.disabled_reason]
    if not failing:
        return "Run `newsdigest poll` first."
    if len(failing) == len(polled):
        what = f"the last poll failed for every feed ({len(polled)})"
    else:
        what = f"{len(failing)} of {plural(len(polled), 'feed')} failed at the last poll"
    return f"{what[0].upper()}{what[1:]}: `newsdigest feeds list` shows the errors."


@click.command("story", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--llm",
    "ask_llm",
    is_flag=True,
    help="With an [llm] writer configured: ask it now for a story it has written nothing for "
    "at its size, waiting up to llm.timeout and spending from the daily budget.",
)
@pass_cli
def story_command(cli: CliContext, query: tuple[str, ...], ask_llm: bool) -> None:
    """Show a story's full breakdown, by slug, unique slug prefix or search words.

    With an [llm] writer configured, the card shows the summary the LLM wrote for the story at
    its size, stored when the bot built its card; without one stored, the extractive summary, with
    a note on stderr, and no call is made (no wait, no tokens): --llm asks the writer then.
    """
    text = " ".join(query)
    found = cli.reader.find_story(text)
    console = Console(emoji=False)  # feed text: see bot.cli.output
    if found.story is None:
        names = ", ".join(clean(s.slug) for s in found.suggestions)
        if found.reason == "ambiguous" and names:
            # Several stories match: "no story matches" would be false.
            raise click.ClickException(f"{text!r} matches several stories: {names}. Which one?")
        message = f"No story matches {text!r}."
        if found.reason == "unusable":
            # "the" or "!!!": nothing was searched; the newest stories are no guess at it.
            message = f"No story matches {text!r}: it has no word to search for."
            message += f" Recent stories: {names}." if names else ""
        elif names:
            message += f" Did you mean: {names}?"
        raise click.ClickException(message)
    story = cli.reader.story(found.story.story_id)
    assert story is not None
    size = len(cli.reader.story_members(story.id))
    stored = summary_store.cached_summary(cli.reader.db, story.id, size)
    # A look writes nothing: the extractive card made for a story without a stored one (or
    # with one for a smaller size) would replace the story's headline and cached summary.
    # An answer `--llm` asked for is kept, as the bot keeps the answers it asks for.
    card = cli.reader.card(story, llm=ask_llm, save=ask_llm)
    render_card_console(card, console, full=True)
    if ask_llm and cli.config.llm is None:
        # Asked for and silently not done, the card read as the model's answer.
        click.echo(
            f"Note: --llm asks nothing: {cli.declaring_file()} has no [llm] section, so no "
            "writer is configured; this is the extractive summary.",
            err=True,
        )
    if cli.config.llm is not None and card.writer != "llm":
        if ask_llm:  # what the call left: its answer refused, or none
            stored = summary_store.cached_summary(cli.reader.db, story.id, size) or stored
        click.echo(_extractive_note(stored, asked=ask_llm), err=True)
    if found.reason == "alias":
        # An old name: what became of it, as `/story` says it in chat, on one line however
        # wide the terminal (it wraps it; a pipe gets the line whole).
        line = old_name_line(
            story_names.typed_history(cli.reader.db, text, found.story.aliases),
            story_id=story.id,
            slug=story.slug,
            sources=card.source_count,
            code=clean,
            now=utcnow(),
        )
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if found.suggestions:
        # The best match is shown; the others the words also name are one command away.
        names = ", ".join(clean(s.slug) for s in found.suggestions)
        console.print(f"Also matching {text!r}: {names}", markup=False, highlight=False)


def _extractive_note(stored: Summary | None, *, asked: bool) -> str:
    """Why a story's card shows the extractive summary though an LLM writer is configured."""
    if stored is not None and not stored.llm_fallback:
        # Written with the writer's answer refused by the checks, or before it was configured:
        # kept until the story grows, as the bot keeps it.
        return (
            "Note: this story's stored summary is the extractive one (the LLM's answer was "
            "refused by the checks against the sources, or none was asked); kept until the "
            "story grows."
        )
    if asked:
        return (
            "Note: the LLM writer gave no answer (a failed call or the day's budget spent; "
            "-v logs which): this is the extractive summary."
        )
    return (
        "Note: the LLM writer has written no summary of this story at its size yet (the "
        "running bot asks for one only when it builds the story's card for a channel): this "
        "is the extractive summary. `--llm` asks the writer now."
    )


@click.command("digest")
@click.argument("channel")
@click.option("--all", "include_delivered", is_flag=True, help="Include stories already posted.")
@pass_cli
def digest_command(cli: CliContext, channel: str, include_delivered: bool) -> None:
    """Show the digest CHANNEL (platform:id, id or name) would get now, without posting it."""
    cli.warn_config = True
    try:
        row = channel_store.find_channel(cli.reader.db, channel)
    except channel_store.AmbiguousChannelError as exc:
        raise click.ClickException(
            f"{exc}; name one by its platform:id, e.g. `newsdigest digest {exc.keys[0]}`"
        ) from None
    if row is None:
        if any(c.named_by(channel) for c in cli.config.channels):
            # Read-only commands do not sync the config (see CliContext.core).
            raise click.ClickException(
                f"channel {channel!r} is in the config file but not yet in the database: "
                "`newsdigest poll` or `newsdigest run` syncs the config"
            )
        known = known_channels(cli.reader.db)
        if known:
            raise click.ClickException(f"no channel {channel!r} (known: {known})")
        # None at all: say where channels come from, or the user is left guessing.
        raise click.ClickException(
            f"no channel {channel!r}: there are no channels yet. Declare one under [[channels]] "
            "in the config file (then `newsdigest poll` or `newsdigest run` adds it), or invite "
            "the bot to a Slack or Discord channel and sign it up there (/follow TOPIC) while "
            "`newsdigest run` runs; "
            "`console:terminal` exists once `newsdigest run` has started without a chat platform"
        )
    if row.paused_reason:
        # The preview is what the channel would get, were it posting: say that it is not.
        since = f" since {row.paused_at:%Y-%m-%d %H:%M} UTC" if row.paused_at else ""
        click.echo(
            f"Note: posting to {row.key} is paused{since} ({clean(row.paused_reason)}); nothing "
            f"is posted there until it is resumed: `newsdigest channels resume {row.key}`",
            err=True,
        )
    if row.mode == "instant":
        # Its schedule is never used: a digest preview alone would suggest digests arrive.
        click.echo(
            f"Note: {row.key} is in instant mode: it gets each story once it has "
            f"{plural(row.min_sources, 'independent source')}, never a scheduled digest; "
            "below is what a digest would hold if it were in digest mode (/digest there says so).",
            err=True,
        )
    if cli.config.llm is not None:
        click.echo(
            "Note: a preview does not call the LLM writer (no tokens spent): each card shows "
            "its stored summary, else the extractive one.",
            err=True,
        )
    digest = cli.reader.digest(row, include_delivered=include_delivered)
    render_digest_console(digest, Console(emoji=False))
