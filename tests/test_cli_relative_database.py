"""A relative `database` in a config file is relative to that file, not to the directory a command
is run from; and a write command that creates a database file says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "site" / "config" / "newsdigest.toml"
    config.parent.mkdir(parents=True)
    config.write_text('database = "../data/newsdigest.db"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    return tmp_path


def test_a_relative_database_is_next_to_the_config_file(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    database = site / "site" / "data" / "newsdigest.db"
    # Created from the file's directory, where older versions' reading (relative to the current
    # directory) names the same file: nothing can be split by creating it.
    with monkeypatch.context() as there:
        there.chdir(site / "site" / "config")
        added = runner.invoke(cli, ["feeds", "add", "https://a.example/rss"])
    assert added.exit_code == 0, added.output
    assert database.exists()
    assert not (site / "elsewhere" / "data").exists()
    assert f"Created a new database at {database}\n" in added.stderr
    # The next write finds it: nothing more is created, and nothing said.
    again = runner.invoke(cli, ["feeds", "add", "https://b.example/rss"])
    assert again.exit_code == 0 and "Created" not in again.output
    listed = runner.invoke(cli, ["feeds", "list"])
    assert "a.example" in listed.stdout and "b.example" in listed.stdout


def test_newsdigest_db_stays_relative_to_the_current_directory(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDIGEST_DB", "here.db")
    added = CliRunner().invoke(cli, ["topics", "add", "ai", "AI"])
    assert added.exit_code == 0, added.output
    assert (site / "elsewhere" / "here.db").exists()
    assert f"Created a new database at {site / 'elsewhere' / 'here.db'}\n" in added.stderr


def test_an_existing_database_at_the_old_reading_is_still_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Before, `database = "newsdigest.db"` in config/newsdigest.toml, run from the deployment's
    # directory, meant ./newsdigest.db. An upgrade must not move on to an empty
    # config/newsdigest.db and leave the feeds, stories and delivery history behind.
    deploy = tmp_path / "deploy"
    (deploy / "config").mkdir(parents=True)
    config = deploy / "config" / "newsdigest.toml"
    config.write_text('database = "newsdigest.db"\n', encoding="utf-8")
    monkeypatch.chdir(deploy)
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    runner = CliRunner()
    with monkeypatch.context() as before:
        # The old reading, as an existing deployment has it: a database in the current directory.
        before.setenv("NEWSDIGEST_DB", "newsdigest.db")
        assert runner.invoke(cli, ["feeds", "add", "https://a.example/rss"]).exit_code == 0

    listed = runner.invoke(cli, ["feeds", "list"])
    assert listed.exit_code == 0, listed.output
    assert "a.example" in listed.stdout
    assert not (deploy / "config" / "newsdigest.db").exists()
    assert "or an absolute path in" in caplog.text


SHIPPED = Path(__file__).resolve().parent.parent / "config" / "newsdigest.example.toml"


def _checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, installed: bool = True) -> Path:
    """A fresh clone: the shipped example in clone/config/, no database yet; `installed`, with
    the copy of it `make install` makes, config/newsdigest.toml."""
    clone = tmp_path / "clone"
    (clone / "config").mkdir(parents=True)
    (clone / "config" / "newsdigest.example.toml").write_text(SHIPPED.read_text("utf-8"), "utf-8")
    if installed:
        (clone / "config" / "newsdigest.toml").write_text(SHIPPED.read_text("utf-8"), "utf-8")
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    return clone


def test_the_shipped_config_names_one_database_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README followed literally from another directory: `--config ../clone/config/...` filled
    # elsewhere/newsdigest.db, and `feeds list` in the clone showed nothing.
    clone = _checkout(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    runner = CliRunner()
    with monkeypatch.context() as in_clone:
        in_clone.chdir(clone)  # README's first steps, in the checkout, create the database
        first = runner.invoke(cli, ["feeds", "add", "https://first.example/rss"])
    assert first.exit_code == 0, first.output
    assert f"Created a new database at {clone / 'newsdigest.db'}\n" in first.stderr
    added = runner.invoke(
        cli,
        ["--config", "../clone/config/newsdigest.toml", "feeds", "add", "https://a.example/rss"],
    )
    assert added.exit_code == 0, added.output
    assert "Created" not in added.stderr
    assert not (elsewhere / "newsdigest.db").exists()
    monkeypatch.chdir(clone)  # the default config, found from the checkout's root
    listed = runner.invoke(cli, ["feeds", "list"])
    assert listed.exit_code == 0, listed.output
    assert "a.example" in listed.stdout and "first.example" in listed.stdout


def test_a_fresh_clone_creates_its_database_from_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shipped `database = "../newsdigest.db"`, run from the checkout's root as README says:
    # the file's reading and an older version's (./newsdigest.db) are one file, so `poll` creates.
    # Before `make install` copied the example into place, the example is read, and said so, and
    # neither `poll` nor a write creates anything by it: the settings are not the operator's yet.
    clone = _checkout(tmp_path, monkeypatch, installed=False)
    monkeypatch.chdir(clone)
    refused = CliRunner().invoke(cli, ["poll"])
    assert refused.exit_code == 1
    assert (
        "config/newsdigest.toml not found: read the shipped example "
        "config/newsdigest.example.toml instead; copy it to config/newsdigest.toml"
    ) in refused.stderr
    added = CliRunner().invoke(cli, ["feeds", "add", "https://first.example/rss"])
    assert added.exit_code == 1 and "none is created here" in added.stderr
    assert not (clone / "newsdigest.db").exists()
    example = clone / "config" / "newsdigest.example.toml"
    (clone / "config" / "newsdigest.toml").write_text(example.read_text("utf-8"), "utf-8")
    polled = CliRunner().invoke(cli, ["poll"])
    assert f"Created a new database at {clone / 'newsdigest.db'}\n" in polled.stderr
    assert (clone / "newsdigest.db").exists()


def test_a_config_naming_no_database_keeps_the_current_directorys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A service in its own working directory, its config naming no database: one command run
    # from elsewhere must not create a database next to the file that the service would then
    # switch to, empty (it read "no database" as "next to the file" for a while).
    config = tmp_path / "site" / "bot.toml"
    config.parent.mkdir()
    config.write_text("", encoding="utf-8")
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    runner = CliRunner()
    for where, host in (("service", "a"), ("home", "b"), ("service", "c")):
        (tmp_path / where).mkdir(exist_ok=True)
        monkeypatch.chdir(tmp_path / where)
        added = runner.invoke(cli, ["feeds", "add", f"https://{host}.{where}.example/rss"])
        assert added.exit_code == 0, added.output
    assert not (tmp_path / "site" / "newsdigest.db").exists()
    monkeypatch.chdir(tmp_path / "service")
    listed = runner.invoke(cli, ["feeds", "list"])
    assert "a.service.example" in listed.stdout and "c.service.example" in listed.stdout
    assert "home.example" not in listed.stdout


def test_a_database_in_both_places_is_named_in_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "etc" / "newsdigest.toml"
    config.parent.mkdir()
    config.write_text('database = "newsdigest.db"\n', encoding="utf-8")
    workdir = tmp_path / "var"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    runner = CliRunner()
    with monkeypatch.context() as before:
        before.setenv("NEWSDIGEST_DB", "newsdigest.db")  # where an older version put it
        assert runner.invoke(cli, ["feeds", "add", "https://old.example/rss"]).exit_code == 0
    monkeypatch.setenv("NEWSDIGEST_DB", str(config.parent / "newsdigest.db"))
    assert runner.invoke(cli, ["feeds", "add", "https://new.example/rss"]).exit_code == 0
    monkeypatch.delenv("NEWSDIGEST_DB")

    listed = runner.invoke(cli, ["feeds", "list"])
    assert "new.example" in listed.stdout and "old.example" not in listed.stdout
    assert "another newsdigest database" in caplog.text
    assert str(workdir / "newsdigest.db") in caplog.text


def test_an_existing_database_in_the_current_directory_survives_the_upgrade(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The shipped file named no database: ./newsdigest.db. A deployment that runs from elsewhere
    # than the file's home (a service's working directory) keeps its database when its file
    # now says what the shipped one says.
    config = tmp_path / "etc" / "config" / "newsdigest.toml"
    config.parent.mkdir(parents=True)
    config.write_text('database = "../newsdigest.db"\n', encoding="utf-8")
    workdir = tmp_path / "var"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    runner = CliRunner()
    with monkeypatch.context() as before:
        before.setenv("NEWSDIGEST_DB", "newsdigest.db")
        assert runner.invoke(cli, ["feeds", "add", "https://a.example/rss"]).exit_code == 0
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)

    listed = runner.invoke(cli, ["feeds", "list"])
    assert listed.exit_code == 0, listed.output
    assert "a.example" in listed.stdout
    assert not list(tmp_path.glob("etc/**/*.db"))
    keep = "../../var/newsdigest.db"
    assert f"database = {keep!r} (relative to the file)" in caplog.text
