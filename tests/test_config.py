"""Config loading: valid files load, and every kind of mistake names its key."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, Secrets, load_config, parse_config, resolve_config_path

WEBHOOK = f"https://discord.com/api/webhooks/123456789012345678/{'T' * 68}"

VALID = """
database = "data/nd.db"

[polling]
default_interval = "10m"
allow_private_networks = true

[[feeds]]
url = "https://news.example/rss"
name = "Example News"
interval = "30m"

[[feeds]]
url = "http://other.example/atom.xml"

[[topics]]
slug = "chips"
title = "Chip exports"
query = '"chip export" OR semiconductor'

[[channels]]
platform = "slack"
id = "C0123"
topics = ["chips"]
schedule = "0 9 * * mon-fri"
timezone = "Europe/Berlin"
mode = "instant"
min_sources = 3
quiet_hours = "22:00-07:00"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsdigest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_config_loads_every_section(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID))
    assert config.database == "data/nd.db"
    assert config.polling.default_interval == 600
    assert config.polling.allow_private_networks is True
    assert [f.url for f in config.feeds] == [
        "https://news.example/rss",
        "http://other.example/atom.xml",
    ]
    assert config.feeds[0].interval == 1800
    assert config.feeds[1].interval == 600  # inherits the default interval
    assert config.topics[0].slug == "chips"
    channel = config.channels[0]
    assert (channel.platform, channel.id, channel.mode, channel.min_sources) == (
        "slack",
        "C0123",
        "instant",
        3,
    )
    assert channel.timezone == "Europe/Berlin"


def test_empty_file_is_a_valid_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.feeds == [] and config.topics == [] and config.channels == []


def test_shipped_example_config_is_valid() -> None:
    config = load_config(Path(__file__).parent.parent / "config" / "newsdigest.example.toml")
    assert config.feeds == []


def test_the_operators_config_is_theirs_not_the_checkouts() -> None:
    # Tracked, an edited config/newsdigest.toml made `git pull` stop ("local changes would be
    # overwritten"): the checkout ships the example, and git ignores the operator's copy.
    root = Path(__file__).parent.parent
    assert (root / "config" / "newsdigest.example.toml").is_file()
    ignored = (root / ".gitignore").read_text("utf-8").splitlines()
    assert "/config/newsdigest.toml" in ignored
    assert "config/newsdigest.toml:" in (root / "Makefile").read_text("utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_ignores_the_database_and_the_files_beside_it() -> None:
    # `run` leaves newsdigest.db.lock beside the database (bot.store.lock): untracked, it showed
    # in every `git status` of the checkout, as if the operator had changed something.
    root = Path(__file__).parent.parent
    for name in ("newsdigest.db", "newsdigest.db-wal", "newsdigest.db-shm", "newsdigest.db.lock"):
        found = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", name], cwd=root, check=False
        )
        assert found.returncode == 0, f"{name} is not ignored by .gitignore"


def test_a_missing_default_config_reads_the_shipped_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    assert load_config(None).missing_path == Path("config/newsdigest.toml")  # neither: empty
    (tmp_path / "config" / "newsdigest.example.toml").write_text('database = "ex.db"\n', "utf-8")

    example = load_config(None)

    assert example.path == Path("config/newsdigest.example.toml")
    assert example.database == "ex.db"
    (warning,) = example.warnings
    assert warning.startswith("config/newsdigest.toml not found: read the shipped example")
    (tmp_path / "config" / "newsdigest.toml").write_text('database = "own.db"\n', "utf-8")

    own = load_config(None)

    assert own.path == Path("config/newsdigest.toml") and own.database == "own.db"
    assert own.warnings == []


@pytest.mark.parametrize(
    ("snippet", "key", "problem"),
    [
        ("[[feeds]]\nname = 'x'", "feeds[0].url", "is required"),
        ("[[feeds]]\nurl = 'file:///etc/passwd'", "feeds[0].url", "only http"),
        (
            "[[feeds]]\nurl = 'https://a.example'\ninterval = '5s'",
            "feeds[0].interval",
            "at least 60",
        ),
        (
            "[[feeds]]\nurl = 'https://a.example'\nintervall = '5m'",
            "feeds[0].intervall",
            "unknown key",
        ),
        ("[[topics]]\nslug = 'Bad Slug'\nquery = 'x'", "topics[0].slug", "lowercase"),
        ("[[topics]]\nslug = 'ok'\nquery = '(a OR'", "topics[0].query", "invalid query"),
        ("[[channels]]\nplatform = 'irc'\nid = 'x'", "channels[0].platform", "must be one of"),
        (
            "[[channels]]\nplatform = 'slack'\nid = 'C1'\ntimezone = 'Mars/Olympus'",
            "channels[0].timezone",
            "unknown IANA",
        ),
        (
            "[[channels]]\nplatform = 'slack'\nid = 'C1'\nschedule = '61 9 * * *'",
            "channels[0].schedule",
            "cron",
        ),
        (
            "[[channels]]\nplatform = 'slack'\nid = 'C1'\nmode = 'loud'",
            "channels[0].mode",
            "digest",
        ),
        (
            "[[channels]]\nplatform = 'slack'\nid = 'C1'\nmin_sources = 0",
            "channels[0].min_sources",
            "positive",
        ),
        (
            "[[channels]]\nplatform = 'slack'\nid = 'C1'\ntopics = ['Chip exports']",
            "channels[0].topics[0]",
            "'Chip exports' is no topic name",
        ),
        (
            "[[channels]]\nplatform = 'slack'\nid = 'C1'\nquiet_hours = '10pm'",
            "channels[0].quiet_hours",
            "HH:MM",
        ),
        (
            "[[channels]]\nplatform = 'slack'\nid = 'C1'\nquiet_hours = '09:00-09:00'",
            "channels[0].quiet_hours",
            "same time",
        ),
        ("[polling]\ntimeout = -1", "polling.timeout", "positive"),
        (
            "[polling]\nallow_private_networks = 'yes'",
            "polling.allow_private_networks",
            "true or false",
        ),
        ("token = 'xoxb-secret'", "token", "unknown key"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, snippet: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, snippet))
    assert info.value.key == key
    assert problem in info.value.problem
    assert str(tmp_path) in str(info.value)  # the message says which file


@pytest.mark.parametrize(
    ("snippet", "key", "problem"),
    [
        (
            "[[feeds]]\nurl = 'https://a.example'\ninterval = '99999999999d'",
            "feeds[0].interval",
            "'99999999999d' is longer than the 7-day maximum",
        ),
        (
            "[[feeds]]\nurl = 'https://a.example'\ninterval = 604801",
            "feeds[0].interval",
            "604801 is longer than the 7-day maximum",
        ),
        (
            "[polling]\ndefault_interval = '8d'",
            "polling.default_interval",
            "'8d' is longer than the 7-day maximum",
        ),
        (
            "[polling]\ntimeout = nan",
            "polling.timeout",
            "expected a positive number of seconds, got nan",
        ),
        (
            "[polling]\ntimeout = inf",
            "polling.timeout",
            "expected a positive number of seconds, got inf",
        ),
        (
            "[clustering]\nwindow_hours = 99999999999999999",
            "clustering.window_hours",
            "99999999999999999 is longer than the 720-hour (30-day) maximum",
        ),
    ],
)
def test_intervals_and_timeouts_out_of_range(
    tmp_path: Path, snippet: str, key: str, problem: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, snippet))
    assert (info.value.key, info.value.problem) == (key, problem)


def test_interval_of_thousands_of_digits_is_over_the_cap_not_a_crash(tmp_path: Path) -> None:
    snippet = f"[[feeds]]\nurl = 'https://a.example'\ninterval = '{'9' * 5000}m'"
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, snippet))
    assert info.value.key == "feeds[0].interval"
    assert info.value.problem.endswith("is longer than the 7-day maximum")


def test_a_week_is_the_longest_interval(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[[feeds]]\nurl = 'https://a.example'\ninterval = '7d'"))
    assert config.feeds[0].interval == 7 * 86400


def test_runaway_nesting_in_a_config_topic_is_a_config_error(tmp_path: Path) -> None:
    query = "(" * 400 + "chips" + ")" * 400
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, f"[[topics]]\nslug = 'deep'\nquery = '{query}'"))
    assert info.value.key == "topics[0].query"
    assert (
        info.value.problem == "invalid query at character 21: parentheses nested more than 20 deep"
    )


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[[feeds]\nurl = "))


def test_duplicates_are_rejected() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"feeds": [{"url": "https://a.example"}, {"url": "https://a.example"}]})
    assert info.value.key == "feeds[1].url"


def test_config_path_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    assert resolve_config_path(None) == Path("config/newsdigest.toml")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(tmp_path / "env.toml"))
    assert resolve_config_path(None) == tmp_path / "env.toml"
    assert resolve_config_path("explicit.toml") == Path("explicit.toml")
    with pytest.raises(ConfigError, match="file not found"):
        load_config(None)  # named by the environment, so its absence is an error


def test_database_path_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config({"database": "from-config.db"})
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    assert config.database_path() == "from-config.db"
    monkeypatch.setenv("NEWSDIGEST_DB", "/tmp/from-env.db")
    assert config.database_path() == "/tmp/from-env.db"
    monkeypatch.delenv("NEWSDIGEST_DB")
    assert parse_config({}).database_path() == "newsdigest.db"


def test_secrets_come_from_the_environment_only() -> None:
    secrets = Secrets.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "DISCORD_TOKEN": ""})
    assert secrets.slack_bot_token == "xoxb-1"
    assert secrets.discord_token is None


def test_cron_weekdays_follow_standard_cron() -> None:
    """0 and 7 are Sunday, as in crontab(5); the same function validates and schedules."""
    from bot.cron import cron_trigger

    start = datetime(2024, 5, 1, tzinfo=UTC)  # a Wednesday
    sunday = cron_trigger("0 9 * * 0", "UTC").get_next_fire_time(None, start)
    assert sunday is not None and sunday.weekday() == 6
    weekday = cron_trigger("0 9 * * 1-5", "UTC").get_next_fire_time(None, start)
    assert weekday is not None and weekday.weekday() == 2
    parse_config({"channels": [{"platform": "slack", "id": "C1", "schedule": "0 9 * * 7"}]})
    with pytest.raises(ConfigError, match="schedule"):
        parse_config({"channels": [{"platform": "slack", "id": "C1", "schedule": "0 9 * * 8"}]})


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ("retention_days = 3", "3 is under the 9-day minimum (0 keeps everything)"),
        ("retention_days = -1", "expected a whole number of days (0 keeps everything), got -1"),
        (
            "retention_days = '90d'",
            "expected a whole number of days (0 keeps everything), got '90d'",
        ),
        ("retention_days = true", "expected a whole number of days (0 keeps everything), got True"),
        (
            "retention_days = 99999999",
            "99999999 is over the 36500-day maximum (0 keeps everything)",
        ),
    ],
)
def test_retention_days_out_of_range(tmp_path: Path, snippet: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, f"[storage]\n{snippet}"))
    assert (info.value.key, info.value.problem) == ("storage.retention_days", problem)


def test_retention_may_not_cut_into_the_clustering_window(tmp_path: Path) -> None:
    snippet = "[clustering]\nwindow_hours = 240\n[storage]\nretention_days = 10"
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, snippet))
    assert info.value.key == "storage.retention_days"
    assert "would cut into the clustering window" in info.value.problem
    assert "use at least 11" in info.value.problem
    # One day past the window is enough.
    ok = load_config(write(tmp_path, snippet.replace("= 10", "= 11")))
    assert ok.storage.retention_days == 11


def test_retention_defaults_to_180_days_and_0_keeps_everything(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")).storage.retention_days == 180
    off = load_config(write(tmp_path, "[storage]\nretention_days = 0"))
    assert off.storage.retention_days == 0
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, "[storage]\nkeep = 1"))
    assert info.value.key == "storage.keep"


def test_the_shortest_retention_outlasts_the_longest_digest_lookback() -> None:
    from bot.config_values import MIN_RETENTION_DAYS
    from bot.pipeline.digest import MAX_LOOKBACK

    # Otherwise a weekly digest could find its stories deleted before it ran.
    assert timedelta(days=MIN_RETENTION_DAYS) > MAX_LOOKBACK


@pytest.mark.parametrize(
    ("snippet", "key", "problem"),
    [
        (
            "[[feeds]]\nurl = 'http://user:pass@news.example/feed'",
            "feeds[0].url",
            "feed URLs with a user name or password are not allowed",
        ),
        (
            "[[feeds]]\nurl = 'https://news.example/a'\n[[feeds]]\nurl = 'https://token@b.example/'",
            "feeds[1].url",
            "feed URLs with a user name or password are not allowed",
        ),
        (
            "[[feeds]]\nurl = 'https://bad host.example/'",
            "feeds[0].url",
            "'bad host.example' is not a valid host name",
        ),
        (
            "[[feeds]]\nurl = 'https://[::1/feed'",
            "feeds[0].url",
            "not a valid URL (Invalid IPv6 URL): 'https://[::1/feed'",
        ),
        (
            "[[channels]]\nplatform = 'discord'\nid = '#news'",
            "channels[0].id",
            "a Discord channel id is a number (Developer Mode → Copy Channel ID), got '#news'",
        ),
        (
            "[[channels]]\nplatform = 'discord'\nid = '99999999999999999999'",
            "channels[0].id",
            "a Discord channel id is a number (Developer Mode → Copy Channel ID), "
            "got '99999999999999999999'",
        ),
        (
            f"[[channels]]\nplatform = 'slack'\nid = 'C1'\nwebhook_url = '{WEBHOOK}'",
            "channels[0].webhook_url",
            "only Discord channels have a webhook_url, not slack",
        ),
        (
            f"[[channels]]\nplatform = 'console'\nid = 'team'\nwebhook_url = '{WEBHOOK}'",
            "channels[0].webhook_url",
            "only Discord channels have a webhook_url, not console",
        ),
    ],
)
def test_config_refuses_what_the_cli_and_the_platforms_refuse(
    tmp_path: Path, snippet: str, key: str, problem: str
) -> None:
    """A feed URL `feeds add` refuses, a Discord id that is no id, a key the platform ignores:
    each an error at load naming its key, not a surprise at the first fetch or post."""
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, snippet))
    assert (info.value.key, info.value.problem) == (key, problem)


def test_discord_ids_and_webhooks_that_are_fine_load(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "[[channels]]\nplatform = 'discord'\nid = '234567890123456789'\n"
            f"webhook_url = '{WEBHOOK}'\n"
            "[[channels]]\nplatform = 'slack'\nid = '#news'\n"
            "[[channels]]\nplatform = 'console'\nid = 'team'\n",
        )
    )
    assert [c.id for c in config.channels] == ["234567890123456789", "#news", "team"]
    assert config.channels[0].webhook_url == WEBHOOK


@pytest.mark.parametrize(
    ("written", "cron"),
    [
        ("weekdays 09:00", "0 9 * * mon-fri"),
        ("mon, wed 7:30", "30 7 * * mon,wed"),
        ("daily 18:00", "0 18 * * *"),
        ("0 9 * * mon-fri", "0 9 * * mon-fri"),
    ],
)
def test_a_channel_schedule_takes_the_chat_form_too(written: str, cron: str) -> None:
    # The file took only cron, where `/watchlist schedule weekdays 09:00` took this form.
    raw = {"channels": [{"platform": "console", "id": "t", "schedule": written}]}
    assert parse_config(raw).channels[0].schedule == cron


def test_a_schedule_that_is_neither_form_shows_both() -> None:
    raw = {"channels": [{"platform": "console", "id": "t", "schedule": "fortnightly 09:00"}]}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert str(caught.value).startswith("channels[0].schedule: 'fortnightly' is not a day name")
    assert 'write 5 cron fields, "0 9 * * mon-fri", or [DAYS] HH:MM, "weekdays 09:00"' in str(
        caught.value
    )


def test_a_time_zone_in_the_schedule_must_be_the_channels() -> None:
    channel = {"platform": "console", "id": "t", "timezone": "Europe/Berlin"}
    same = {"channels": [{**channel, "schedule": "weekdays 09:00 Europe/Berlin"}]}
    assert parse_config(same).channels[0].schedule == "0 9 * * mon-fri"
    other = {"channels": [{**channel, "schedule": "weekdays 09:00 Asia/Tokyo"}]}
    with pytest.raises(ConfigError, match=r"the time zone goes in channels\[0\]\.timezone"):
        parse_config(other)
