"""Slack API error codes that mean our token itself is refused (revoked, invalid, expired, its
user deactivated): no retry can help until someone sets a new one and restarts.

One list for every place that tells these apart: the adapter's sends, Socket Mode's reconnects
and the runner's start (`bot.runner.platforms`). It imports nothing, so the runner can check a
failed start without loading slack-sdk; the package's `__init__` is lazy for the same reason.
"""

from __future__ import annotations

AUTH_ERRORS = frozenset(
    {
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
