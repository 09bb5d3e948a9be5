"""`digests.instant_selection` held after its first read until the test releases it: a big
database's seconds of choosing, during which a change can land between the read and the write."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from bot.pipeline.digest import Selection
from bot.runner import digests


class Held:
    """`digests.instant_selection`, its first call held after the read until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = digests.instant_selection
        self.entered = threading.Event()
        self.release = threading.Event()
        monkeypatch.setattr(digests, "instant_selection", self)

    def __call__(self, *args: Any, **kwargs: Any) -> Selection:
        selection = self.real(*args, **kwargs)
        if not self.entered.is_set():
            self.entered.set()
            assert self.release.wait(10)
        return selection
