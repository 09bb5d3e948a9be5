"""Helpers for tests that run the whole service."""

from __future__ import annotations

from bot.runner.service import Service


async def stop(service: Service) -> None:
    """Stop the service and close its database, as the process would on exit."""
    await service.stop()
    service.core.close()
