"""How /feeds replies name a feed: by its URL as code, to copy back into /feeds remove, or, for a
URL too long to show whole, by its start and its #id; the longest URL /feeds add takes; and the
value after Discord's option name typed on Slack."""

from __future__ import annotations

from bot.render.literal import url_code
from bot.store.feeds import FeedRow

# A feed URL to copy back is shown whole up to this length: a longer one would be split across
# Discord messages, and a code span cut in two lets the rest format.
ECHO_CODE_CHARS = 500
# The start shown of a stored URL longer than that: enough to recognise, with the id to use.
_ECHO_CUT_URL_CHARS = 100
# A feed URL /feeds add takes: the length browsers and servers commonly allow; a longer paste is
# no feed address, and a reply could not show it to copy back.
MAX_CHAT_FEED_URL = 2048
# Discord's option for each /feeds subcommand's value (bot/adapters/discord/slash.py).
_OPTIONS = {"add": "url:", "remove": "feed:"}


def feed_shown(feed: FeedRow, platform: str, *, removable: bool = True) -> str:
    """A feed's URL as code, whole, to copy into /feeds remove; one too long to show whole (a
    code span cut in two would let the rest format on Discord) by its start and its #id, which
    /feeds remove takes as well."""
    if len(feed.url.replace("`", "%60")) <= ECHO_CODE_CHARS:
        return url_code(feed.url)
    text = f"#{feed.id} {url_code(feed.url, _ECHO_CUT_URL_CHARS)} ({len(feed.url):,} characters"
    if not removable:
        return text + ")"
    remove = "/feeds remove feed:" if platform == "discord" else "/feeds remove "
    return text + f": {remove}#{feed.id} removes it)"


def without_feed_option(action: str, rest: list[str]) -> list[str]:
    """`rest` without the Discord option name typed before the value (`url:https://…`, `feed:#3`,
    `feed: #3`), as people who use both platforms type it on Slack too."""
    option = _OPTIONS.get(action)
    if option is None or not rest or not rest[0].lower().startswith(option):
        return rest
    first = rest[0][len(option) :]
    return [first, *rest[1:]] if first else rest[1:]
