"""The config file's settings sections, `[polling]`, `[storage]` and `[llm]`: their values and
defaults, each read and checked on its own (feeds, topics and channels are `bot.config_entries`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.config_entries import DEFAULT_POLL_INTERVAL
from bot.config_values import (
    ConfigError,
    boolean,
    opt_str,
    parse_duration,
    parse_span,
    positive_int,
    positive_seconds,
    reject_unknown,
    req_str,
    retention_days,
)

DEFAULT_RETENTION_DAYS = 180


@dataclass(slots=True)
class PollingConfig:
    default_interval: int = DEFAULT_POLL_INTERVAL
    max_failures: int = 10
    # Seconds a feed fails, from its first failure in a row, before it is disabled (and then
    # tried once a day): `max_failures` polls in a row are needed too (bot.ingest.policy).
    disable_after: int = 7 * 86400
    per_host_limit: int = 2
    total_limit: int = 20
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    # New entries one feed may add in one poll, the newest first; the rest wait for later polls.
    # Ordinary feeds carry 10 to 100 items, so only a first poll of an archive-sized feed or a
    # hostile one (20,000 items, or GUIDs that change on every fetch) meets it. See poll.py.
    max_new_entries: int = 200
    allow_private_networks: bool = False
    # An email or URL put in the User-Agent so feed publishers can reach this instance's operator.
    contact: str | None = None


@dataclass(slots=True)
class StorageConfig:
    # Days a story is kept after its newest article (articles in no story: after they were
    # seen); 0 keeps everything. See bot.store.retention.
    retention_days: int = DEFAULT_RETENTION_DAYS


@dataclass(slots=True)
class LLMConfig:
    base_url: str
    model: str
    api_key_env: str = "NEWSDIGEST_LLM_API_KEY"
    timeout: float = 20.0
    daily_token_budget: int = 200_000
    # Whether the endpoint's requests follow the proxy variables (HTTPS_PROXY, ALL_PROXY) and
    # SSL_CERT_FILE / SSL_CERT_DIR, as httpx does by default: off, so a proxy set for something
    # else never sees the prompt or the key unasked. (httpx 0.28 reads no ~/.netrc either way.)
    trust_env: bool = False


def parse_polling(raw: dict[str, Any]) -> PollingConfig:
    reject_unknown(
        raw,
        {
            "default_interval",
            "max_failures",
            "disable_after",
            "per_host_limit",
            "total_limit",
            "timeout",
            "max_bytes",
            "max_new_entries",
            "allow_private_networks",
            "contact",
        },
        "polling",
    )
    p = PollingConfig()
    if "default_interval" in raw:
        p.default_interval = parse_duration(raw["default_interval"], "polling.default_interval")
    if "disable_after" in raw:
        p.disable_after = parse_span(
            raw["disable_after"], "polling.disable_after", least=3600, most=365 * 86400
        )
    for name in ("max_failures", "per_host_limit", "total_limit", "max_bytes", "max_new_entries"):
        if name in raw:
            setattr(p, name, positive_int(raw[name], f"polling.{name}"))
    if "timeout" in raw:
        p.timeout = positive_seconds(raw["timeout"], "polling.timeout")
    if "allow_private_networks" in raw:
        p.allow_private_networks = boolean(
            raw["allow_private_networks"], "polling.allow_private_networks"
        )
    if "contact" in raw:
        p.contact = _contact(req_str(raw, "contact", "polling.contact"))
    return p


# Printable ASCII without spaces or parentheses: it goes into an HTTP header, inside a comment.
_CONTACT_RE = re.compile(r"^[!-'*-~]{1,200}$")


def _contact(value: str) -> str:
    if not _CONTACT_RE.match(value):
        raise ConfigError(
            "polling.contact",
            f"expected an email address or URL (no spaces or parentheses), got {value!r}",
        )
    return value


def parse_storage(raw: dict[str, Any], window_hours: int, warnings: list[str]) -> StorageConfig:
    reject_unknown(raw, {"retention_days"}, "storage")
    storage = StorageConfig()
    if "retention_days" in raw:
        storage.retention_days = retention_days(
            raw["retention_days"], window_hours, warnings=warnings
        )
    return storage


def parse_llm(raw: dict[str, Any], warnings: list[str] | None = None) -> LLMConfig:
    reject_unknown(
        raw,
        {"base_url", "model", "api_key_env", "timeout", "daily_token_budget", "trust_env"},
        "llm",
    )
    llm = LLMConfig(
        base_url=req_str(raw, "base_url", "llm.base_url"),
        model=req_str(raw, "model", "llm.model"),
    )
    llm.api_key_env = opt_str(raw, "api_key_env", "llm.api_key_env") or llm.api_key_env
    if "timeout" in raw:
        llm.timeout = positive_seconds(raw["timeout"], "llm.timeout")
    if "daily_token_budget" in raw:
        llm.daily_token_budget = positive_int(raw["daily_token_budget"], "llm.daily_token_budget")
    if "trust_env" in raw:
        llm.trust_env = boolean(raw["trust_env"], "llm.trust_env")
    if warnings is not None:
        warnings.extend(base_url_warnings(llm.base_url))
    return llm


def base_url_warnings(base_url: str) -> list[str]:
    """What is wrong with `llm.base_url` as the writer uses it: it appends /chat/completions."""
    warnings = []
    if not base_url.lower().startswith(("http://", "https://")):
        warnings.append(
            f"llm.base_url {base_url!r} has no http:// or https://: every LLM call fails and "
            "cards get the extractive summary"
        )
    if base_url.rstrip("/").lower().endswith("/chat/completions"):
        warnings.append(
            f"llm.base_url {base_url!r} ends in /chat/completions, which the writer appends "
            "itself (it would post to .../chat/completions/chat/completions): give the part "
            "before it, such as https://api.openai.com/v1"
        )
    return warnings
