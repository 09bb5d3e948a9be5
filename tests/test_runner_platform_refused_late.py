"""A chat platform retried after network failures whose token is then refused: it will not start
this run, like one refused at its first attempt, so the terminal stands in again (as it does for
that one) and `channels list` and `status` say the refusal at once, not a minute later with
"retrying in the background" meanwhile. The real service, its real database file."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from test_runner_platform_retry import FlakyPlatform, digest_job_ids, make_service

from bot.delivery.adapter import AuthDeliveryError
from bot.runner.console import STANDING_IN
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import service_state

REFUSED = "Login refused; put a new one in FAKECHAT_TOKEN"


def recorded_problem(service: Service) -> str | None:
    """What `channels list` and `status` read of Slack: the running service's record."""
    platforms = service_state.running_platforms(service.db, os.getpid())
    assert platforms is not None
    problem: str | None = platforms["slack"]["problem"]
    return problem


@pytest.mark.parametrize("earlier_terminal", [False, True])
async def test_a_token_refused_after_network_retries_hands_back_to_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier_terminal: bool
) -> None:
    platform = FlakyPlatform(
        [ConnectionError("refused"), OSError("down"), AuthDeliveryError(REFUSED)]
    )
    service = make_service(tmp_path, monkeypatch, platform)
    if earlier_terminal:  # what an earlier run with no chat platform made
        made = channel_store.ensure_channel(service.db, "console", "terminal", name="terminal")
        channel_store.update_channel(service.db, made.id, schedule="0 * * * *", origin="runner")
    try:
        await service.start()
        # Being retried: it will run by itself, so nothing stands in meanwhile.
        assert [c.paused_reason for c in channel_store.list_channels(service.db, "console")] == (
            [STANDING_IN] if earlier_terminal else []
        )
        assert recorded_problem(service) == "ConnectionError: refused; retrying in the background"
        await asyncio.wait_for(asyncio.gather(*service.starter.tasks), timeout=5)
        assert platform.starts == 3 and "slack" not in service.outbox.adapters
        (terminal,) = channel_store.list_channels(service.db, "console")
        assert terminal.paused_reason is None
        assert digest_job_ids(service) == {f"digest:{terminal.id}"}
        expected = f"authentication failed, not retried: {REFUSED}"
        assert service.platform_errors["slack"] == expected
        assert recorded_problem(service) == expected
    finally:
        await service.stop()
        service.core.close()
