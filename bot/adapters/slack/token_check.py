"""The bot token's check (auth.test), made once at start and handed to slack-bolt, which would
otherwise make its own on the first request it handles.

Bolt's check on the first request comes before the command's handler, so before its ack: Slack
wants the ack within 3 seconds, and an auth.test that Slack rate limits (waited out once,
`short_waits.AuthTestRetry`) or that is merely slow used those seconds up, so the first command
after a start was shown "dispatch_failed". `SlackBot.start` checks the token anyway, to fail at
start when it is wrong; bolt's `authorize` (`TokenCheck.bolt_authorize`) answers every request from
that one answer, as bolt's own single-workspace check does from its first, so no request waits
for an auth.test. A bot served without `start` (`SlackBot.start_http` alone) checks on its first
request, as bolt did, and logs Slack's error code when the check fails (bolt logs it only at
DEBUG). Bolt's warnings at every start that our client's token goes unused (it is the token
`authorize` hands every request) are filtered out here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.adapters.slack.auth import AUTH_ERRORS
from bot.adapters.slack.errors import BOT_TOKEN_HELP, error_code, http_status

log = logging.getLogger(__name__)


class TokenCheck:
    """The answer to the bot token's auth.test, once made; bolt's authorization of requests."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.answer: AsyncSlackResponse | None = None

    async def check(self) -> AsyncSlackResponse:
        """auth.test, raising as the client does when the token is refused; kept for bolt."""
        self.answer = await self.client.auth_test()
        return self.answer

    def bolt_authorize(self) -> Callable[..., Awaitable[AuthorizeResult]]:
        """The function for AsyncApp's `authorize`. A plain function: bolt passes the arguments
        it names by name, and would take a method's `self` for one of them."""

        async def authorize(user_id: str | None) -> AuthorizeResult:
            return await self.authorize(user_id)

        return authorize

    async def authorize(self, user_id: str | None) -> AuthorizeResult:
        """The bot's identity in the workspace, as bolt's single-workspace check makes it from
        auth.test, for a request from `user_id`. A SlackApiError (only when the token was not
        checked yet) is bolt's to answer, which tells the person to try again; its cause is
        logged here, as bolt logs it only at DEBUG."""
        try:
            answer = self.answer or await self.check()
        except SlackApiError as exc:
            code = error_code(exc) or f"HTTP {http_status(exc)}"
            fix = f": {BOT_TOKEN_HELP}" if code in AUTH_ERRORS else ""
            log.error("Slack: the bot token's check (auth.test) failed: %s%s", code, fix)
            raise
        scopes = answer.headers.get("x-oauth-scopes")
        return AuthorizeResult(
            enterprise_id=answer.get("enterprise_id"),
            team_id=answer.get("team_id"),
            team=answer.get("team"),
            url=answer.get("url"),
            bot_id=answer.get("bot_id"),
            bot_user_id=answer.get("user_id"),
            bot_token=self.client.token,
            bot_scopes=scopes,
            user_id=user_id,
        )


class _OwnClientNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and, given our client as well,
    warns at every start that the token goes unused; given our `authorize` too, that the
    client's token does. The client carries that very token (and the API URL tests and proxies
    need), and `authorize` hands it to every request, so neither warning says anything an
    operator can act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(
            ("As you gave `client` as well", "As `installation_store` or `authorize` has been")
        )


# Bolt's own logger for AsyncApp ("slack_bolt." + the class name).
logging.getLogger("slack_bolt.AsyncApp").addFilter(_OwnClientNotice())
