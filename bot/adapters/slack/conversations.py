"""A configured Slack channel's conversation id, for the calls that take nothing else.

chat.postMessage posts to "an encoded ID or channel name": a config entry may say
`id = "#team-news"` or a person's user id (`U…`, the bot's direct messages with them). But
chat.update and conversations.history take only the conversation's own id (C…, G…, D…), and
answer a name or a user id with channel_not_found: left as it was, a card edit there always
failed, and checking whether a post landed after a timeout or a crash paused the channel.

So the adapter remembers the id every successful post answers with (`learn`), and, when it has
none yet (after a restart, before the first post), looks it up: a user's direct message with
conversations.open (scope im:write), a name in conversations.list (channels:read, groups:read;
public channels and the private ones the bot is in). An id found is kept for the process's life.

conversations.list is rate limited per workspace (Tier 2, about 20 calls a minute), so it is
walked once for every name at a time: one walk, the only one in flight, fills the map for all
of them. A name the walk did not find (or a lookup Slack refused, a scope missing) is not asked
about again for `NOT_FOUND_FOR`: `resolve` says None meanwhile, for the caller to treat as
"cannot tell", and after that it is looked up again (the channel may have been created or the
bot invited since). A lookup Slack rate limits is that lookup's failure, a
`DeferredDeliveryError` for the row that needed it: the limit is the lookup method's own, so it
must not hold back every Slack post as an outage would, and the row waits out the Retry-After
without using an attempt (tried on the outbox's backoff instead, every try inside the window
would fail at once and a long Retry-After would give the row up untried). No lookup of that
method is made again before its Retry-After has passed. A walk limited part way still answers
for a name found on the pages it read.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.auth import AUTH_ERRORS
from bot.adapters.slack.errors import (
    RATE_LIMIT_WAIT,
    TRANSIENT_ERRORS,
    error_code,
    is_rate_limited,
    retry_after,
)
from bot.delivery.adapter import DeferredDeliveryError

log = logging.getLogger(__name__)

# What chat.update and conversations.history take: a channel, private channel or DM id.
CONVERSATION_ID_RE = re.compile(r"^[CGD][A-Z0-9]+$")
_USER_ID_RE = re.compile(r"^[UW][A-Z0-9]+$")
# conversations.list pages of Slack's largest size: 20 of them cover 20,000 channels; a name not
# found by then is reported as not found rather than listing for minutes.
LIST_LIMIT = 1000
LIST_PAGES = 20
# How long a name a walk did not find (or a lookup Slack refused) stands before it is asked again:
# every card edit and post check in its channel would otherwise walk the whole list.
NOT_FOUND_FOR = 300.0
LIST = "conversations.list"
OPEN = "conversations.open"


class ConversationIds:
    """Configured channel value ("#team-news", "U0123") -> the conversation id Slack uses.

    `clock` (seconds, monotonic) times the not-found answers and the waits after a 429."""

    def __init__(
        self, client: AsyncWebClient, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._clock = clock
        self._known: dict[str, str] = {}
        # Configured value -> when it may be looked up again (not found, or refused).
        self._unresolved: dict[str, float] = {}
        # Every channel name the last walk listed -> its id, and when that walk ended.
        self._listed: dict[str, str] = {}
        self._listed_at: float | None = None
        self._walking = asyncio.Lock()
        # Lookup method -> when it may be called again after a 429.
        self._limited_until: dict[str, float] = {}

    def learn(self, configured: str, answered: Any) -> None:
        """chat.postMessage's answer names the conversation it posted in (`channel`)."""
        if CONVERSATION_ID_RE.match(configured) or not isinstance(answered, str):
            return
        if CONVERSATION_ID_RE.match(answered):
            self._known[configured] = answered
            self._unresolved.pop(configured, None)

    async def resolve(self, configured: str) -> str | None:
        """The conversation id, or None when Slack would not say (not found, a scope missing).

        Raises `DeferredDeliveryError` when the lookup is rate limited, and Slack's own error
        for a dead token or an outage, which fail every other call as well."""
        if CONVERSATION_ID_RE.match(configured):
            return configured
        if known := self._known.get(configured):
            return known
        if self._unresolved.get(configured, float("-inf")) > self._clock():
            return None
        by_user = bool(_USER_ID_RE.match(configured))
        method = OPEN if by_user else LIST
        try:
            if by_user:
                found = await self._open_dm(configured)
            else:
                found = await self._by_name(configured.removeprefix("#"))
        except SlackApiError as exc:
            code = error_code(exc)
            if is_rate_limited(exc):
                raise self._rate_limited(method, configured, exc) from exc
            # A dead token or an outage says nothing about the channel: raised, it is mapped
            # as the same failure of any other call is.
            if not code or code in AUTH_ERRORS or code in TRANSIENT_ERRORS:
                raise
            log.warning(
                "Slack: cannot find the conversation id of %s (%s); the bot cannot edit its "
                "cards or check its posts there. Put the id in the config file (%s)",
                configured,
                code,
                "im:write is needed for a user id"
                if by_user
                else "channels:read and groups:read are needed for a name",
            )
            self._unresolved[configured] = self._clock() + NOT_FOUND_FOR
            return None
        if found is None:
            if configured not in self._unresolved:
                log.warning(
                    "Slack: no channel named %s that the bot can see (renamed, archived, or "
                    "private without the bot); the bot cannot edit its cards or check its posts "
                    "there. Put the channel's id in the config file",
                    configured,
                )
            self._unresolved[configured] = self._clock() + NOT_FOUND_FOR
            return None
        log.info("Slack: %s is conversation %s", configured, found)
        self._known[configured] = found
        self._unresolved.pop(configured, None)
        return found

    def _rate_limited(
        self, method: str, configured: str, exc: SlackApiError
    ) -> DeferredDeliveryError:
        wait = self._note_limit(method, exc)
        log.warning(
            "Slack: %s rate limited looking up %s; no lookup for %.0fs", method, configured, wait
        )
        return DeferredDeliveryError(
            f"Slack {method}: rate limited looking up the conversation id of {configured!r}; "
            f"looked up again after {wait:.0f}s",
            retry_after=wait,
        )

    def _note_limit(self, method: str, exc: SlackApiError) -> float:
        """No call of `method` until the 429's Retry-After has passed; returns the wait."""
        wait = retry_after(exc)
        wait = RATE_LIMIT_WAIT if wait is None else wait
        self._limited_until[method] = self._clock() + wait
        return wait

    def _check_limit(self, method: str) -> None:
        """Within a 429's Retry-After the lookup fails at once, without asking Slack."""
        wait = self._limited_until.get(method, 0.0) - self._clock()
        if wait > 0:
            raise DeferredDeliveryError(
                f"Slack {method}: rate limited; the conversation id is looked up again in "
                f"{wait:.0f}s",
                retry_after=wait,
            )

    async def _open_dm(self, user: str) -> str | None:
        self._check_limit(OPEN)
        response = await self._client.conversations_open(users=user)
        channel = response.get("channel") or {}
        found = channel.get("id") if isinstance(channel, dict) else None
        return found if isinstance(found, str) and found else None

    async def _by_name(self, name: str) -> str | None:
        # One walk at a time: lookups that come while one runs wait for it and read its map.
        async with self._walking:
            if found := self._listed.get(name):
                return found
            walked = self._listed_at
            if walked is not None and self._clock() - walked < NOT_FOUND_FOR:
                return None
            self._check_limit(LIST)
            try:
                await self._walk()
            except SlackApiError as exc:
                # The pages read before the failure are right: a name on them is found, though
                # the limit still holds off the next walk.
                found = self._listed.get(name)
                if found is None:
                    raise
                if is_rate_limited(exc):
                    self._note_limit(LIST, exc)
                return found
            return self._listed.get(name)

    async def _walk(self) -> None:
        """Every channel the bot can see, name -> id. The pages read before a failure are kept:
        their ids are right, though a name missing from them is not known to be missing."""
        listed: dict[str, str] = {}
        cursor: str | None = None
        try:
            for _ in range(LIST_PAGES):
                kwargs: dict[str, Any] = {
                    "types": "public_channel,private_channel",
                    "exclude_archived": True,
                    "limit": LIST_LIMIT,
                }
                if cursor:
                    kwargs["cursor"] = cursor
                response = await self._client.conversations_list(**kwargs)
                for channel in response.get("channels") or []:
                    name, cid = channel.get("name"), channel.get("id")
                    if isinstance(name, str) and isinstance(cid, str):
                        listed[name] = cid
                cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except BaseException:
            self._listed.update(listed)
            raise
        self._listed = listed
        self._listed_at = self._clock()
