"""A card's overflow cut off by a cancellation (the outbox's drain cancelled at shutdown, after
its share of the grace): the parts left are an ERROR naming them, never dropped in silence,
whether they were being posted at once (no wait needed) or by the background task; and the part
whose request was under way is logged as one that may have landed, not as one that did not.
The real overflow poster; the post is a stand-in that can hang mid-request."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.adapters.slack.blocks import SlackMessage
from bot.adapters.slack.overflow import OverflowPoster

PROMPT = 5.0


class HangingPost:
    """Posts parts until the `hang_at`-th call, whose request never answers; `refuse_first`
    answers the first call with a 429 (Retry-After 1) instead."""

    def __init__(self, hang_at: int, *, refuse_first: bool = False) -> None:
        self.hang_at = hang_at
        self.refuse_first = refuse_first
        self.texts: list[str] = []
        self.hanging = asyncio.Event()

    async def __call__(self, channel_id: str, message: SlackMessage, thread_ts: str) -> None:
        self.texts.append(message.text)
        if self.refuse_first and len(self.texts) == 1:
            raise _rate_limited()
        if len(self.texts) == self.hang_at:
            self.hanging.set()
            await asyncio.Event().wait()


def _rate_limited() -> Exception:
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_slack_response import AsyncSlackResponse

    response = AsyncSlackResponse(
        client=None,  # type: ignore[arg-type]
        http_verb="POST",
        api_url="https://slack.invalid/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "1"},
        status_code=429,
    )
    return SlackApiError("ratelimited", response)


async def no_wait(seconds: float) -> None:
    return None


def parts(count: int) -> list[SlackMessage]:
    return [SlackMessage(text=f"part {n}", blocks=[]) for n in range(2, count + 2)]


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_parts_posted_at_once_cut_off_by_a_cancel_are_an_error_not_silence(
    caplog: pytest.LogCaptureFixture,
) -> None:
    post = HangingPost(hang_at=2)
    poster = OverflowPoster(post, no_wait)
    with caplog.at_level(logging.WARNING):
        task = asyncio.create_task(poster.post("C1", "100.1", parts(4), max_wait=None))
        await asyncio.wait_for(post.hanging.wait(), PROMPT)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert post.texts == ["part 2", "part 3"]
    assert errors(caplog) == [
        "Slack: part 3 of 5 of 100.1 in C1 may not have been posted (cut off): "
        "cancelled while posting them (shutdown)",
        "Slack: part(s) 4, 5 of 5 of 100.1 in C1 not posted: "
        "cancelled while posting them (shutdown)",
    ]
    assert not poster.tasks


async def test_a_background_part_cut_off_mid_request_may_have_been_posted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Part 2 is refused (429), so it and part 3 go to the background, where part 2's retry
    # hangs until the shutdown's grace is over.
    post = HangingPost(hang_at=2, refuse_first=True)
    poster = OverflowPoster(post, no_wait)
    with caplog.at_level(logging.WARNING):
        lost = await asyncio.wait_for(poster.post("C1", "100.1", parts(2), max_wait=None), PROMPT)
        assert lost == [] and len(poster.tasks) == 1
        await asyncio.wait_for(post.hanging.wait(), PROMPT)
        await asyncio.wait_for(poster.finish(0.05), PROMPT)
    assert not poster.tasks
    assert errors(caplog) == [
        "Slack: part 2 of 3 of 100.1 in C1 may not have been posted (cut off): "
        "stopped before they were posted (shutdown)",
        "Slack: part(s) 3 of 3 of 100.1 in C1 not posted: "
        "stopped before they were posted (shutdown)",
    ]
