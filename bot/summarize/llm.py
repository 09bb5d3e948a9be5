"""Optional LLM writer for the TL;DR and angle lines, distrusted by design.

Any OpenAI-compatible chat-completions endpoint works (OpenAI, vLLM, llama.cpp, Ollama). The
model's answer is only used if it passes the grounding checks: every name and number it writes
must occur in a source, every quote must be verbatim in its outlet's text, and the TL;DR must fit
the card. Anything else (hallucination, timeout, HTTP error, malformed JSON, spent budget) yields
the extractive summary, so a flaky endpoint can degrade the prose but never the facts.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from bot.models import Angle, Article, Bullet, Summary
from bot.summarize.grounding import is_verbatim, supporting_outlets, ungrounded

if TYPE_CHECKING:
    import sqlite_utils

    from bot.summarize import LLMSettings

log = logging.getLogger(__name__)

MAX_TLDR_WORDS = 55
MAX_ARTICLE_CHARS = 2000
MAX_ARTICLES = 8
MAX_COMPLETION_TOKENS = 700

SYSTEM_PROMPT = """You write the text of a neutral news story card from several outlets' articles.
Reply with JSON only, of this shape:
{"tldr": ["bullet", ...], "angles": [{"source": "outlet", "line": "...", "quote": "..."}]}
Rules:
- tldr: 2 or 3 bullets, at most 55 words in total, the story's core facts, no repetition.
- Use only facts stated in the articles. Do not add names, numbers or dates that are not in them.
- angles: for outlets other than the first, one line on the detail or framing that outlet adds and
  the others lack, and a short quote copied word for word from that outlet's text.
- Neutral tone: no adjectives of judgement, no speculation."""


class TokenBudget:
    """Tokens spent per UTC day, refusing calls past the daily limit.

    Persisted in `llm_usage(day TEXT PK, tokens INT)` when a database is given, so a restart does
    not reset the spend; in memory otherwise.
    """

    TABLE = "llm_usage"

    def __init__(self, daily_limit: int, db: sqlite_utils.Database | None = None) -> None:
        self.daily_limit = daily_limit
        self.db = db
        self._memory: dict[str, int] = {}
        self._lock = threading.Lock()
        if db is not None and self.TABLE not in db.table_names():
            db[self.TABLE].create({"day": str, "tokens": int}, pk="day")  # type: ignore[union-attr]

    @staticmethod
    def today() -> str:
        return datetime.now(UTC).date().isoformat()

    def used(self, day: str | None = None) -> int:
        day = day or self.today()
        if self.db is None:
            return self._memory.get(day, 0)
        rows = list(self.db.query(f"select tokens from {self.TABLE} where day = ?", [day]))
        return int(rows[0]["tokens"]) if rows else 0

    def allows(self, estimate: int) -> bool:
        return self.used() + estimate <= self.daily_limit

    def record(self, tokens: int) -> None:
        day = self.today()
        with self._lock:
            if self.db is None:
                self._memory[day] = self._memory.get(day, 0) + tokens
                return
            self.db.execute(
                f"insert into {self.TABLE} (day, tokens) values (?, ?) "
                "on conflict(day) do update set tokens = tokens + excluded.tokens",
                [day, tokens],
            )
            self.db.conn.commit()


class LLMRejected(ValueError):
    """The model's answer failed a grounding or shape check."""


def build_messages(articles: Sequence[Article], outlets: Sequence[str]) -> list[dict[str, str]]:
    parts: list[str] = []
    for article, outlet in list(zip(articles, outlets, strict=True))[:MAX_ARTICLES]:
        parts.append(
            f"### Outlet: {outlet}\nTitle: {article.title}\n{article.text[:MAX_ARTICLE_CHARS]}"
        )
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n\n".join(parts)},
    ]


def estimate_tokens(messages: Sequence[dict[str, str]]) -> int:
    """Rough prompt size (4 characters a token) plus the completion cap: a spend upper bound."""
    return sum(len(m["content"]) for m in messages) // 4 + MAX_COMPLETION_TOKENS


def _content(payload: dict[str, Any]) -> str:
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMRejected("response has no choices[0].message.content") from None
    if not isinstance(content, str):
        raise LLMRejected("message content is not text")
    # Some servers wrap JSON in a markdown fence despite response_format.
    content = content.strip()
    if content.startswith("```"):
        content = content.strip("`").removeprefix("json").strip()
    return content


def check_answer(
    answer: dict[str, Any],
    articles: Sequence[Article],
    outlets: Sequence[str],
    base: Summary,
) -> Summary:
    """The model's answer as a Summary, or LLMRejected if anything in it is not grounded."""
    sources = [f"{a.title}\n{a.text}" for a in articles]
    raw_tldr = answer.get("tldr")
    if not isinstance(raw_tldr, list) or not 2 <= len(raw_tldr) <= 3:
        raise LLMRejected("tldr must be a list of 2-3 bullets")
    texts = [b.get("text") if isinstance(b, dict) else b for b in raw_tldr]
    if not all(isinstance(t, str) and t.strip() for t in texts):
        raise LLMRejected("tldr bullets must be non-empty strings")
    if sum(len(t.split()) for t in texts) > MAX_TLDR_WORDS:
        raise LLMRejected("tldr over the word limit")
    for text in texts:
        missing = ungrounded(text, sources)
        if missing:
            raise LLMRejected(f"tldr names or counts what no source says: {missing}")
    tldr: list[Bullet] = []
    for text in texts:
        support = supporting_outlets(text, None, articles, outlets)
        if not support:
            raise LLMRejected(f"no outlet supports bullet {text!r}")
        tldr.append(Bullet(text=text.strip(), sources=support))

    by_outlet: dict[str, list[Article]] = {}
    for article, outlet in zip(articles, outlets, strict=True):
        by_outlet.setdefault(outlet, []).append(article)
    angles: list[Angle] = []
    raw_angles = answer.get("angles") or []
    if not isinstance(raw_angles, list):
        raise LLMRejected("angles must be a list")
    for item in raw_angles:
        if not isinstance(item, dict):
            raise LLMRejected("angle must be an object")
        outlet, line, quote = item.get("source"), item.get("line"), item.get("quote")
        if outlet not in by_outlet or not isinstance(line, str) or not isinstance(quote, str):
            raise LLMRejected(f"angle for unknown outlet or malformed: {item!r}")
        own = by_outlet[outlet]
        if not any(is_verbatim(quote, f"{a.title}\n{a.text}") for a in own):
            raise LLMRejected(f"quote not verbatim in {outlet}'s text")
        missing = ungrounded(line, sources)
        if missing:
            raise LLMRejected(f"angle line names or counts what no source says: {missing}")
        if any(a.source == outlet for a in angles):
            continue
        angles.append(Angle(source=outlet, line=line.strip(), quote=quote.strip(), url=own[0].url))
    lead = tldr[0].sources[0] if tldr[0].sources else None
    covered = {a.source for a in angles}
    also = [o for o in dict.fromkeys(outlets) if o not in covered and o != lead]
    if not angles:
        # The model found nothing to add; the extractive angles are still grounded and useful.
        angles, also = base.angles, base.also_reporting
    return replace(base, tldr=tldr, angles=angles, also_reporting=also, writer="llm")


class LLMWriter:
    """Calls the endpoint within the token budget and falls back to `base` on any failure."""

    def __init__(self, settings: LLMSettings, budget: TokenBudget) -> None:
        self.settings = settings
        self.budget = budget

    def _request(self, messages: list[dict[str, str]]) -> tuple[str, dict[str, str], dict]:
        url = self.settings.base_url.rstrip("/") + "/chat/completions"
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.settings.api_key_env)
        # Local servers (llama.cpp, Ollama) need no key; only send one when configured.
        if key:
            headers["Authorization"] = f"Bearer {key}"
        body = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": 0.2,
            "max_tokens": MAX_COMPLETION_TOKENS,
            "response_format": {"type": "json_object"},
        }
        return url, headers, body

    def _accept(
        self,
        payload: dict[str, Any],
        estimate: int,
        articles: list[Article],
        outlets: list[str],
        base: Summary,
    ) -> Summary:
        usage = payload.get("usage") or {}
        tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
        self.budget.record(int(tokens) if isinstance(tokens, int) else estimate)
        try:
            answer = json.loads(_content(payload))
        except json.JSONDecodeError:
            raise LLMRejected("message content is not JSON") from None
        if not isinstance(answer, dict):
            raise LLMRejected("answer is not a JSON object")
        return check_answer(answer, articles, outlets, base)

    def rewrite(self, articles: list[Article], outlets: list[str], base: Summary) -> Summary:
        messages = build_messages(articles, outlets)
        estimate = estimate_tokens(messages)
        if not self.budget.allows(estimate):
            log.info("LLM daily token budget spent; using the extractive summary")
            return base
        url, headers, body = self._request(messages)
        try:
            with httpx.Client(timeout=self.settings.timeout) as client:
                response = client.post(url, headers=headers, json=body)
                response.raise_for_status()
                return self._accept(response.json(), estimate, articles, outlets, base)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("LLM writer fell back to extractive: %s", exc)
            return base

    async def arewrite(self, articles: list[Article], outlets: list[str], base: Summary) -> Summary:
        messages = build_messages(articles, outlets)
        estimate = estimate_tokens(messages)
        if not self.budget.allows(estimate):
            log.info("LLM daily token budget spent; using the extractive summary")
            return base
        url, headers, body = self._request(messages)
        try:
            async with httpx.AsyncClient(timeout=self.settings.timeout) as client:
                response = await client.post(url, headers=headers, json=body)
                response.raise_for_status()
                return self._accept(response.json(), estimate, articles, outlets, base)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("LLM writer fell back to extractive: %s", exc)
            return base
