"""A short seeded crash-restart soak (`fakes.crash_soak`): the real `newsdigest run` process, on a
real SQLite file, polling loopback feeds that grow between rounds and posting to the fake Slack
Web API and the fake Discord REST API, is SIGKILLed just after a card landed on each platform
(Slack and Discord took the post, the answer never reached the bot: the "maybe sent" it must look
up), restarted with more news each time, and finally left to finish. Every story of two outlets
or more then has its card exactly once in each of four channels (instant and digest, Slack and
Discord), no thread reply shows twice, and no delivery is left unsettled. The long version,
with kills drawn from the seed at any moment, is `bench/crash_soak.py`."""

from __future__ import annotations

from pathlib import Path

from fakes.crash_soak import Kill, Soak

# One kill, two posts "maybe sent": Slack took a card and its answer is held back; Discord takes
# another, and the bot is killed before it hears back from either.
PLAN = [Kill("discord:post", 1, after=True, hold=("chat.postMessage", 1), news=4)]


def test_killed_after_posts_land_the_bot_posts_every_story_once(tmp_path: Path) -> None:
    figures = Soak(tmp_path, seed=23).run(len(PLAN), plan=PLAN)
    assert figures.kills == len(PLAN), figures.kill_points
    assert figures.ok, figures.summary()
    assert figures.cards == figures.expected_cards > 0
