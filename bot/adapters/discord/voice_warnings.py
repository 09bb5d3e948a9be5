"""discord.py's "voice will NOT be supported" warnings, silenced: the bot never joins a voice
channel, so PyNaCl and davey are not installed on purpose, and two warnings on every start (and
every `newsdigest discord sync`) only sent operators looking for a problem that is not there.
Only those two messages of discord.py's client logger are dropped; its other warnings pass."""

from __future__ import annotations

import logging

# Where and how discord.py says it (discord/client.py, Client.__init__).
VOICE_LOGGER = "discord.client"
VOICE_WARNINGS = frozenset(
    {
        "PyNaCl is not installed, voice will NOT be supported",
        "davey is not installed, voice will NOT be supported",
    }
)


class _NoVoiceWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.WARNING and record.msg in VOICE_WARNINGS)


_FILTER = _NoVoiceWarning()


def quiet_voice_warning() -> None:
    """Drop discord.py's voice warnings; call before creating a client. Safe to call again."""
    logger = logging.getLogger(VOICE_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
