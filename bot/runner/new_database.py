"""What `newsdigest run` says when it starts on a database it has just created: a `database`
path changed (or mistyped) starts an empty one, and the channels would then get again every
story the old one had posted. Said at WARNING, as commands say "Created a new database at ...",
naming another database where this deployment may have kept its data so far, if one is there."""

from __future__ import annotations

import os
from pathlib import Path

from bot.config import Config
from bot.database_location import DEFAULT_DB_PATH


def is_new(path: str) -> bool:
    """Whether `run` is about to create the database (asked before it opens it)."""
    return path != ":memory:" and not Path(path).exists()


def new_database_warning(path: str, config: Config) -> str:
    where = os.path.abspath(path)
    text = f"Created a new database at {where}: it starts empty"
    other = earlier_database(path, config)
    if other is None:
        return text
    from bot.store.contents import what_it_holds

    return (
        f"{text}, while {other} holds a newsdigest database ({what_it_holds(other)}) that is not"
        " used. If that one is this bot's, stop it now, before its channels get those stories"
        f" again: move that file (with its -wal and -shm files) to {where}, or point `database`"
        " at it, and start again (docs/DEPLOY.md, 'Moving the database')."
    )


def earlier_database(path: str, config: Config) -> str | None:
    """Another database holding newsdigest data where a deployment would have kept it: the
    current directory's newsdigest.db (the default), or the checkout's (next to the config
    file, or its parent, as the shipped `database = "../newsdigest.db"`)."""
    from bot.store.contents import holds_newsdigest_data

    places = [Path(DEFAULT_DB_PATH)]
    if config.path is not None:
        places += [
            config.path.parent / DEFAULT_DB_PATH,
            config.path.parent.parent / DEFAULT_DB_PATH,
        ]
    mine = Path(path).resolve()
    for place in places:
        if place.is_file() and place.resolve() != mine and holds_newsdigest_data(place):
            return str(place.resolve())
    return None
