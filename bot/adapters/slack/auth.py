"""Slack API error codes that mean our token itself is refused (revoked, invalid, expired, its
user deactivated): no retry can help until someone sets a new one and restarts.

One list for every place that tells these apart: the adapter's sends, Socket Mode's reconnects
and a failed start (`errors.start_error`, which the platform hands the runner). It imports
nothing, so a module may read it without loading slack-sdk.
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
