"""A digest schedule in words ("weekdays 09:00 Europe/Berlin"), and the DAYS words chat takes for
one: light enough for `status` and `channels list`, which must not load the scheduler that
`bot.commands.schedule` reads schedules with (`tests/test_cli_startup_imports.py`)."""

from __future__ import annotations

# The DAYS words a schedule may be typed with, and the cron day field each stands for.
DAY_WORDS = {"daily": "*", "everyday": "*", "weekdays": "mon-fri", "weekends": "sat,sun"}


def describe_schedule(cron: str, timezone: str) -> str:
    """'weekdays 09:00 Europe/Berlin' for crons chat writes; the raw cron otherwise."""
    fields = cron.split()
    simple = (
        len(fields) == 5
        and fields[0].isdigit()
        and fields[1].isdigit()
        and fields[2] == fields[3] == "*"
        and not any(ch.isdigit() for ch in fields[4])
    )
    if simple:
        names = {v: k for k, v in DAY_WORDS.items() if k != "everyday"}
        days = names.get(fields[4], fields[4])
        return f"{days} {int(fields[1]):02d}:{int(fields[0]):02d} {timezone}"
    return f"cron '{cron}' {timezone}"
