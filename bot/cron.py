"""Cron expressions as users write them, turned into APScheduler 3 triggers.

Standard cron counts weekdays from Sunday = 0 (and 7); APScheduler 3's `from_crontab` counts from
Monday = 0. Digits are rewritten as day names so `0 9 * * 1-5` means Monday to Friday, as anyone
who has written a crontab expects. Config validation and the scheduler both use this one function,
so a schedule that validates is the schedule that runs.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _cron_dow(field: str) -> str:
    def name(match: re.Match[str]) -> str:
        number = int(match.group())
        if number > 7:
            raise ValueError(f"day of week {number} is out of range 0-7")
        return _DOW_NAMES[number]

    return re.sub(r"\d+", name, field)


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"a cron schedule has 5 fields, got {len(fields)}")
    fields[4] = _cron_dow(fields[4])
    return CronTrigger.from_crontab(" ".join(fields), timezone=ZoneInfo(timezone))
