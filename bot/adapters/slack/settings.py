"""Slack settings from the environment, and the one Web API client built from them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.short_waits import AuthTestRetry
from bot.config import PlatformConfigError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
MODES = ("socket", "http")


class SlackConfigError(PlatformConfigError):
    """Slack is wanted (SLACK_BOT_TOKEN is set) but the rest of its settings are missing or wrong."""


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: str
    mode: str = "socket"
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str = DEFAULT_API_URL
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlackSettings | None:
        """None when SLACK_BOT_TOKEN is unset (Slack is off); SlackConfigError when it is set but
        the chosen mode lacks its token or secret, so `newsdigest run` fails at start, not later."""
        env = os.environ if env is None else env
        token = (env.get("SLACK_BOT_TOKEN") or "").strip()
        if not token:
            return None
        mode = (env.get("SLACK_MODE") or "socket").strip().lower()
        if mode not in MODES:
            raise SlackConfigError(f"SLACK_MODE must be 'socket' or 'http', got {mode!r}")
        port_text = (env.get("PORT") or str(DEFAULT_PORT)).strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SlackConfigError(f"PORT must be a TCP port number, got {port_text!r}")
        settings = cls(
            bot_token=token,
            mode=mode,
            app_token=(env.get("SLACK_APP_TOKEN") or "").strip() or None,
            signing_secret=(env.get("SLACK_SIGNING_SECRET") or "").strip() or None,
            api_url=normalise_api_url(env.get("SLACK_API_URL") or DEFAULT_API_URL),
            host=(env.get("SLACK_HOST") or "0.0.0.0").strip(),
            port=int(port_text),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.mode == "socket" and not self.app_token:
            raise SlackConfigError(
                "SLACK_MODE=socket needs SLACK_APP_TOKEN (an xapp- token with connections:write; "
                "Basic Information > App-Level Tokens), or set SLACK_MODE=http"
            )
        if self.mode == "socket" and self.app_token and not self.app_token.startswith("xapp-"):
            # The usual mix-up is the bot token (xoxb-) pasted twice; Slack would only answer
            # not_allowed_token_type at connect time, far from the setting that caused it.
            raise SlackConfigError(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                "(Basic Information > App-Level Tokens), not the bot token"
            )
        if self.mode == "http" and not self.signing_secret:
            raise SlackConfigError(
                "SLACK_MODE=http needs SLACK_SIGNING_SECRET (Basic Information > Signing Secret)"
            )


def normalise_api_url(url: str) -> str:
    # slack-sdk joins base_url + method name, so a missing slash would call ".../apichat.postMessage".
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise SlackConfigError(f"SLACK_API_URL must be an http(s) URL, got {url!r}")
    return url if url.endswith("/") else url + "/"


def retry_handlers() -> list[AsyncRetryHandler]:
    """What slack-sdk may resend by itself, for response_url posts and, but for auth.test
    (`make_client`), the Web API client: nothing.

    Not a 429: slept through inside the call, its Retry-After (up to about a minute) held the
    outbox's whole drain, every channel and platform, for one rate limited post. It reaches our
    code instead: the outbox holds the calls it limits (`bot.delivery.rate_limits`) and a
    command's reply waits out a short one once (`short_waits`). Nor a dropped connection or a
    5xx (slack-sdk's default): the message may have landed, so the outbox checks the channel
    before resending, and a command's reply is not resent at all."""
    return []


def make_client(settings: SlackSettings, *, timeout: int = 15) -> AsyncWebClient:
    client = AsyncWebClient(token=settings.bot_token, base_url=settings.api_url, timeout=timeout)
    # The token's check at start (and bolt's on the first request, when there was none) would
    # fail for a short 429: that one call waits it out once (`short_waits.AuthTestRetry`).
    client.retry_handlers = [*retry_handlers(), AuthTestRetry()]
    return client
