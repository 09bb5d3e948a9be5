"""Platform-neutral chat commands (see core.py; /story in story.py, /follow in topics.py, its words
read in follow_args.py, /watchlist in watchlist.py, its mutes in mutes.py, its quiet hours in
quiet.py, its pause and resume in pause.py, posts held for quiet hours let go in held_posts.py,
the running service's follow-up to a change in follow_up.py; what /digest says when it queues
nothing in digest_replies.py), schedule parsing (schedule.py;
times of day as typed in clock.py), how /feeds replies name a feed (feeds.py, feed_lines.py),
what an argument may be as it is typed (choices.py) and the bot's pointers to its commands in
each platform's form (hints.py)."""

from bot.commands.core import USAGE, CommandContext, Commands, Reply

__all__ = ["USAGE", "CommandContext", "Commands", "Reply"]
