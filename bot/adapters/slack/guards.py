"""Who may run admin commands, and which requests we have already handled.

An admin check is a command's, and waits out a short 429 once (`short_waits`); a longer one
refuses the command this time, not remembered."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import LOOKUP_FAILURES, failure_said
from bot.adapters.slack.short_waits import once_more_if_short

log = logging.getLogger(__name__)


class SeenRequests:
    """Keys of requests already processed, forgotten after `ttl` seconds.

    Slack redelivers an event it thinks we missed (HTTP retries carry X-Slack-Retry-Num, Socket
    Mode resends the envelope); the event_id or trigger_id stays the same, so it is the key.
    """

    def __init__(
        self,
        *,
        ttl: float = 15 * 60,
        max_size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = self._clock()
        while self._seen:
            oldest, when = next(iter(self._seen.items()))
            if now - when < self.ttl and len(self._seen) < self.max_size:
                break
            self._seen.pop(oldest)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def request_key(body: Mapping[str, Any]) -> str | None:
    """What identifies one delivery of an event, command or interaction across retries."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return None


class AdminCheck:
    """Workspace admins and owners, the configured user group, and `admin.users` from the config
    (user IDs, which users cannot change, unlike their names).

    Answers are cached for `ttl` seconds: a /feeds burst costs one users.info, and a demoted admin
    loses access within minutes. Any failure, Slack's refusal or no answer at all (a dropped
    connection, a timeout), answers "not an admin" (fail closed), and that answer is not cached:
    /feeds list then shows what anyone sees, rather than failing for everyone.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        admin_users: Iterable[str] = (),
        admin_group: str | None = None,
        ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.admin_users = {u.strip() for u in admin_users if u.strip()}
        self.admin_group = (admin_group or "").strip().lstrip("@") or None
        self.ttl = ttl
        self._clock = clock
        self._users: dict[str, tuple[float, bool]] = {}
        self._group: tuple[float, frozenset[str]] | None = None

    async def is_admin(self, user_id: str) -> bool:
        return await self.admin_status(user_id) is True

    async def admin_status(self, user_id: str) -> bool | None:
        """Whether the user is an admin; None when a lookup failed and nothing else said yes,
        which refuses the request (fail closed) but lets the reply say why."""
        if user_id in self.admin_users:
            return True
        cached = self._users.get(user_id)
        if cached and self._clock() - cached[0] < self.ttl:
            return cached[1]
        workspace_admin = await self._workspace_admin(user_id)
        members: frozenset[str] | None = None
        if not workspace_admin and self.admin_group:
            members = await self._group_members()
        allowed = bool(workspace_admin) or (members is not None and user_id in members)
        if not allowed and (workspace_admin is None or (self.admin_group and members is None)):
            # A lookup failed (e.g. rate limited): refuse this time, but do not remember it, or a
            # real admin would be locked out for the whole ttl.
            return None
        self._users[user_id] = (self._clock(), allowed)
        return allowed

    async def _workspace_admin(self, user_id: str) -> bool | None:
        try:
            response = await once_more_if_short(
                partial(self.client.users_info, user=user_id), what=f"users.info {user_id}"
            )
        except LOOKUP_FAILURES as exc:
            log.warning("users.info %s failed: %s", user_id, failure_said(exc))
            return None
        user = response.get("user") or {}
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))

    async def _group_members(self) -> frozenset[str] | None:
        """The admin group's members; None when Slack could not say (not cached)."""
        if self._group and self._clock() - self._group[0] < self.ttl:
            return self._group[1]
        members: frozenset[str] = frozenset()
        try:
            group_id = await self._group_id()
            if group_id:
                response = await once_more_if_short(
                    partial(self.client.usergroups_users_list, usergroup=group_id),
                    what="usergroups.users.list",
                )
                members = frozenset(response.get("users") or [])
        except LOOKUP_FAILURES as exc:
            log.warning("admin group %s lookup failed: %s", self.admin_group, failure_said(exc))
            return None
        self._group = (self._clock(), members)
        return members

    async def _group_id(self) -> str | None:
        group = self.admin_group or ""
        # An id (S0123ABCD) is used as is; a handle (news-admins) is looked up once per ttl.
        if group[:1] == "S" and group[1:].isalnum() and group.upper() == group:
            return group
        response = await once_more_if_short(self.client.usergroups_list, what="usergroups.list")
        for entry in response.get("usergroups") or []:
            if group in (entry.get("handle"), entry.get("name"), entry.get("id")):
                return str(entry["id"])
        log.warning("admin group %r not found in this workspace", group)
        return None
