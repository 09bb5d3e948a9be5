"""Folders of an OPML file (nested `<outline text="Tech">` groups) are kept: each imported feed
remembers the folder it was in (migration 19), the import says how many feeds went to each,
`feeds list` shows them in a folder column (only when there are folders), and `feeds export`
writes them back as folder outlines. A database from before migration 19 upgrades in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_piped_output import cli_env, newsdigest, on_terminal

from bot.cli import cli
from bot.ingest.opml import read_opml
from bot.store import database
from bot.store.database import applied_migrations, open_database
from bot.store.feeds import add_feed, list_feeds
from bot.store.migrations import MIGRATIONS

FOLDERS = b"""<?xml version="1.0"?><opml version="2.0"><body>
  <outline text="Tech" title="Tech">
    <outline type="rss" text="Circuit Weekly" xmlUrl="https://circuit.example/rss"/>
    <outline type="rss" text="Kernel Notes" xmlUrl="https://kernel.example/atom"/>
  </outline>
  <outline text="Local">
    <outline type="rss" text="Harbour Gazette" xmlUrl="https://gazette.example/feed"/>
  </outline>
  <outline type="rss" text="Loose Leaf" xmlUrl="https://loose.example/rss"/>
</body></opml>"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_import_keeps_each_feeds_folder_and_says_so(env: Path) -> None:
    path = env / "subs.opml"
    path.write_bytes(FOLDERS)
    result = CliRunner().invoke(cli, ["feeds", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"Imported 4 feeds from {path}\nFolders: Tech (2), Local (1)\n")
    feeds = list_feeds(open_database(env / "nd.db"))
    assert [(f.name, f.folder) for f in feeds] == [
        ("Circuit Weekly", "Tech"),
        ("Kernel Notes", "Tech"),
        ("Harbour Gazette", "Local"),
        ("Loose Leaf", None),
    ]
    listed = CliRunner().invoke(cli, ["feeds", "list"]).stdout
    header = next(line for line in listed.splitlines() if "url" in line)
    assert [cell.strip() for cell in header.split("┃")[1:4]] == ["id", "name", "folder"]
    rows = {line.split("│")[2].strip(): line.split("│")[3].strip() for line in listed.splitlines()
            if line.startswith("│")}  # fmt: skip
    assert rows == {
        "Circuit Weekly": "Tech",
        "Kernel Notes": "Tech",
        "Harbour Gazette": "Local",
        "Loose Leaf": "",
    }


def test_a_list_without_folders_has_no_folder_column(env: Path) -> None:
    assert CliRunner().invoke(cli, ["feeds", "add", "https://plain.example/rss"]).exit_code == 0
    listed = CliRunner().invoke(cli, ["feeds", "list"]).stdout
    assert "folder" not in listed


def test_export_writes_the_folders_back(env: Path) -> None:
    source = env / "subs.opml"
    source.write_bytes(FOLDERS)
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "import", str(source)]).exit_code == 0
    exported = runner.invoke(cli, ["feeds", "export"])
    assert exported.exit_code == 0, exported.output
    back = read_opml(exported.stdout.encode("utf-8")).feeds
    assert {f.url: f.category for f in back} == {
        "https://circuit.example/rss": "Tech",
        "https://kernel.example/atom": "Tech",
        "https://gazette.example/feed": "Local",
        "https://loose.example/rss": None,
    }


def test_a_database_from_before_folders_upgrades_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 18])
        old = open_database(path)
        old.execute(
            "INSERT INTO feeds (url, name, poll_interval, origin, created_at)"
            " VALUES ('https://old.example/rss', 'Old Paper', 1800, 'cli', '2026-01-01T00:00:00Z')"
        )
        assert "folder" not in old["feeds"].columns_dict
        old.conn.close()

    db = open_database(path)
    assert 19 in applied_migrations(db)
    [feed] = list_feeds(db)
    assert (feed.url, feed.name, feed.poll_interval, feed.folder) == (
        "https://old.example/rss",
        "Old Paper",
        1800,
        None,
    )
    added = add_feed(db, "https://new.example/rss", folder="World")
    assert added.folder == "World"
    db.conn.close()
    assert open_database(path)["feeds"].columns_dict["folder"] is str  # reopened: nothing to do


def test_folder_column_fits_a_narrow_terminal(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    path = tmp_path / "subs.opml"
    path.write_text(
        '<opml version="2.0"><body><outline text="A folder with a rather long name indeed">'
        '<outline type="rss" text="Regional" '
        'xmlUrl="https://news.example/section/world/regional/feeds/latest/north.xml"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    newsdigest(env, "feeds", "import", str(path))
    listing = on_terminal(env, 80, "feeds", "list")
    lines = listing.splitlines()
    assert max(len(line) for line in lines) <= 80
    [row] = [line for line in lines if "north.xml" in line]
    cells = [cell.strip() for cell in row.split("│")]
    assert cells[3].startswith("A fo") and cells[3].endswith("…")  # cut, as names are
    assert cells[4].endswith("north.xml")  # the URL keeps its end


def test_a_re_run_puts_feeds_imported_without_folders_in_them(env: Path) -> None:
    db = open_database(env / "nd.db")
    add_feed(db, "https://circuit.example/rss", origin="opml")  # imported before folders
    add_feed(db, "https://kernel.example/atom", origin="cli", folder="Mine")
    db.conn.close()
    path = env / "subs.opml"
    path.write_bytes(FOLDERS)
    result = CliRunner().invoke(cli, ["feeds", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "skipped 2 feeds already in the database (1 now in the file's folder)" in result.stderr
    folders = {f.url: f.folder for f in list_feeds(open_database(env / "nd.db"))}
    assert folders["https://circuit.example/rss"] == "Tech"
    assert folders["https://kernel.example/atom"] == "Mine"  # a folder it has is kept
