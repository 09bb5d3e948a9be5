"""The console as a chat platform one types into (`newsdigest chat`): who is typing, and a
command's platform-neutral `Reply` drawn for the terminal.

The commands are the core's (`bot.commands.Commands`), dispatched as Slack's and Discord's
adapters dispatch them; only the drawing is the console's. On a terminal a reply is drawn with
rich, its cards as `newsdigest story` and `run`'s console channels draw them
(`bot.render.console`); read from a pipe, as plain text (`bot.render.text`), for scripts. Feed
text and typed text only ever enter rich as `Text` content, never as markup, and go through
`clean` (control characters) first, as every console reply does.

A card's buttons cannot be clicked here: each is offered as the command it stands for, to type.
"""

from __future__ import annotations

import getpass

from rich.console import Console
from rich.text import Text

from bot.cards import BREAKDOWN, FOLLOW, MUTE, NEW_TOPIC, StoryCard
from bot.commands.base import CommandContext, Reply
from bot.commands.mutes import mute_usage
from bot.commands.topics import suggested_topic
from bot.render.console import render_card_console, render_digest_console
from bot.render.text import clean, preformatted, render_card_text, render_digest_text

PLATFORM = "console"

# Said under a digest shown in the chat: with no running bot behind the session, /digest is a
# preview (`NewsDigest.digest`), and nothing records the stories as sent.
DIGEST_PREVIEW_NOTE = (
    "A preview: nothing is posted or recorded as sent; `newsdigest run` posts this channel's "
    "digests on its schedule."
)


def console_context(channel_id: str, channel_name: str | None) -> CommandContext:
    """Who types in the chat: the person at the server's terminal, its operator. They can edit
    the database with `newsdigest feeds add` or `topics add` already, so they are an admin here
    too (/feeds add and remove, /follow changing a topic's query, /watchlist resume of a channel
    the config file dropped): refusing them in chat what the same terminal allows would protect
    nothing."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): still someone
        user = "terminal"
    return CommandContext(
        platform=PLATFORM,
        channel_id=channel_id,
        user_id=user,
        channel_name=channel_name,
        is_admin=True,
    )


def follow_ups(card: StoryCard, *, full: bool) -> list[str]:
    """A card's buttons (`StoryCard.actions`) as the commands to type for them."""
    slug = clean(card.slug)
    typed: list[str] = []
    for action in card.actions(full=full):
        if action.kind == BREAKDOWN:
            typed.append(f"/story {slug}")
        elif action.kind == FOLLOW:
            typed.append(f"/follow {clean(action.value)}")
        elif action.kind == NEW_TOPIC:
            # Slack's answer to the button names this /follow, a topic to create.
            typed.append(f"/follow {suggested_topic(slug)} query: <words it matches>")
        elif action.kind == MUTE:
            typed.append(mute_usage(PLATFORM).replace("<slug>", slug))
    return typed


def _follow_up_line(card: StoryCard, *, full: bool) -> str:
    return "Type: " + " · ".join(follow_ups(card, full=full))


# A line of only this opens or closes a code block in a reply's text, as Slack and Discord read it.
_FENCE = "```"


def _text_lines(reply: Reply) -> list[tuple[str, bool]]:
    """A text reply's lines, each with whether it is preformatted: its text (the bot's, quoting
    what was typed, marks gone) and one line per list entry. `clean` makes each one display
    line: a typed or stored escape sequence cannot reach the terminal. A code block's lines are
    shown as Slack and Discord show them, without the fences and with their spacing
    (`preformatted`): squashed and stripped, a caret no longer pointed at its character."""
    lines: list[tuple[str, bool]] = []
    in_block = False
    for line in reply.text.splitlines():
        if line.strip() == _FENCE:
            in_block = not in_block
        elif in_block:
            lines.append((preformatted(line), True))
        else:
            lines.append((clean(line), False))
    return lines + [(f"  • {clean(str(line))}", False) for line in reply.lines]


def print_reply(reply: Reply, console: Console) -> None:
    """`reply` drawn on a terminal with rich."""
    if reply.digest is not None:
        render_digest_console(reply.digest, console)
        console.print(Text(DIGEST_PREVIEW_NOTE, style="dim"))
        return
    if reply.cards:
        for card in reply.cards:
            render_card_console(card, console, full=reply.full)
            console.print(Text(_follow_up_line(card, full=reply.full), style="dim"))
        if reply.see_also:
            console.print(Text(clean(reply.see_also), style="dim"))
        return
    for line, pre in _text_lines(reply):
        # Not rewrapped at the terminal's width: a wrapped query would leave its caret behind.
        console.print(Text(line), soft_wrap=pre)
    if reply.hint:
        console.print(Text(clean(reply.hint), style="dim"))


def reply_text(reply: Reply) -> str:
    """`reply` as plain text, for a pipe: no colour, no box drawing, each line whole."""
    if reply.digest is not None:
        return f"{render_digest_text(reply.digest).rstrip()}\n\n{DIGEST_PREVIEW_NOTE}"
    if reply.cards:
        parts = [
            f"{render_card_text(card, full=reply.full)}\n{_follow_up_line(card, full=reply.full)}"
            for card in reply.cards
        ]
        if reply.see_also:
            parts.append(clean(reply.see_also))
        return "\n\n".join(parts)
    hint = [clean(reply.hint)] if reply.hint else []
    return "\n".join([line for line, _ in _text_lines(reply)] + hint)
