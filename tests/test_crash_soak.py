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

from fakes.crash_soak import ChatThread, Kill, Soak

from bot.store.database import open_database

# One kill, two posts "maybe sent": Slack took a card and its answer is held back; Discord takes
# another, and the bot is killed before it hears back from either.
PLAN = [Kill("discord:post", 1, after=True, hold=("chat.postMessage", 1), news=4)]


def test_killed_after_posts_land_the_bot_posts_every_story_once(tmp_path: Path) -> None:
    figures = Soak(tmp_path, seed=23).run(len(PLAN), plan=PLAN)
    assert figures.kills == len(PLAN), figures.kill_points
    assert figures.ok, figures.summary()
    assert figures.cards == figures.expected_cards > 0


def test_a_bot_quiet_with_news_unread_is_not_at_rest(tmp_path: Path) -> None:
    # What the soak's waits end on is the bot at rest as the database and the fakes tell, not a
    # quiet spell: a bot started, with nothing pending and no chat call for as long as one
    # likes, has not finished while news it was given is not stored. A loaded machine made that
    # quiet spell (clustering) pass for done before.
    soak = Soak(tmp_path, seed=3)
    with soak.feeds, ChatThread(soak.slack, soak.discord) as chat:
        soak.chat = chat
        soak.write_config()
        open_database(soak.db_path).close()
        soak.publish(2)
        soak.figures.rounds = 1
        (tmp_path / "run001.log").write_bytes(b"... newsdigest running ...\n")
        assert soak._running() and not soak._pending()  # the quiet rule's "done"
        assert not soak.slack.calls and not soak.discord.requests
        assert not soak.at_rest()
