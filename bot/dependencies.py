"""Whether the packages newsdigest needs are installed, checked before it starts work.

Operators upgrade with `git pull` and a restart. When the pull adds a dependency (or raises a
minimum version) and the venv is not reinstalled, the new code fails only where it first imports
the package, lazily and deep inside a poll (`bot.domains` loads `publicsuffixlist` on first use):
after the database was migrated, so going back is no longer a plain `git checkout`. So `run`,
`poll` and any command about to migrate the database check first, and refuse with the fix.

The check reads the `dependencies` of the checkout's own pyproject.toml (what the code now
needs), else the installed package's metadata, and asks `importlib.util.find_spec` for each:
nothing is imported, so it costs a few milliseconds. Only `>=` bounds are compared (the only kind
the project uses for runtime packages); a requirement with an environment marker is skipped.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import sys
import tomllib
from pathlib import Path

import bot

__all__ = ["DependencyError", "check_dependencies", "dependency_problem"]

_ROOT = Path(bot.__file__).resolve().parent.parent
# Distributions whose import name is not their name in lower case with "_" for "-" and ".".
_IMPORT_NAMES = {"discord.py": "discord", "pystemmer": "Stemmer"}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


class DependencyError(Exception):
    """A required package is missing or too old; the message says how to fix it."""


def check_dependencies() -> None:
    """Raise DependencyError when a runtime dependency is not installed (or older than needed)."""
    if problem := dependency_problem():
        raise DependencyError(problem)


def dependency_problem() -> str | None:
    """What is wrong with the installed dependencies, as the fix to make; None when all is well."""
    missing: list[str] = []
    old: list[str] = []
    for requirement in _requirements():
        match = _REQUIREMENT.match(requirement)
        if match is None or ";" in requirement:
            continue  # not a plain requirement, or one for some environments only
        name, _extras, spec = match.groups()
        if not _importable(name):
            missing.append(name)
        elif (needs := _minimum(spec)) and (have := _version(name)) and _older(have, needs):
            old.append(f"{name} {have} (needs >={needs})")
    if not missing and not old:
        return None
    found = [f"missing: {', '.join(missing)}"] * bool(missing)
    found += [f"too old: {', '.join(old)}"] * bool(old)
    return (
        f"newsdigest's dependencies changed: run `{_pip()} install -e .` (or `make install`) "
        f"in {_ROOT} after git pull; {'; '.join(found)}"
    )


def _requirements() -> list[str]:
    """The checkout's declared runtime dependencies (what this code needs), else those the
    installed copy's metadata lists."""
    try:
        with open(_ROOT / "pyproject.toml", "rb") as file:
            project = tomllib.load(file).get("project", {})
        if project.get("name") == "newsdigest":
            return [str(r) for r in project.get("dependencies", [])]
    except (OSError, tomllib.TOMLDecodeError):
        pass
    try:
        declared = importlib.metadata.requires("newsdigest") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [r for r in declared if "extra ==" not in r]


def _importable(name: str) -> bool:
    module = _IMPORT_NAMES.get(name.lower()) or re.sub(r"[-.]", "_", name.lower())
    if importlib.util.find_spec(module) is not None:
        return True
    # Another import name: the installed distribution says which, if it is installed.
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    tops = set((dist.read_text("top_level.txt") or "").split())
    if not tops:  # no top_level.txt (a wheel built without setuptools): its files say
        tops = {f.parts[0].removesuffix(".py") for f in dist.files or [] if f.parts}
    tops = {t for t in tops if t.isidentifier()}
    if not tops:
        return True  # nothing to say what it provides: installed is all that can be told
    return any(importlib.util.find_spec(top) is not None for top in tops)


def _minimum(spec: str) -> str | None:
    for clause in spec.split(","):
        clause = clause.strip()
        if clause.startswith(">="):
            return clause[2:].strip()
    return None


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _older(have: str, needs: str) -> bool:
    """Whether version `have` is below `needs`, by their leading numbers ("3.11.2" < "3.12")."""

    def numbers(version: str) -> tuple[int, ...]:
        parts = []
        for part in version.split("."):
            digits = re.match(r"\d+", part)
            if digits is None:
                break
            parts.append(int(digits.group()))
            if digits.group() != part:
                break  # "0rc1": the numbers end here
        return tuple(parts)

    a, b = numbers(have), numbers(needs)
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)) < b + (0,) * (width - len(b))


def _pip() -> str:
    """The pip of the Python running newsdigest, relative to the checkout when inside it."""
    pip = Path(sys.prefix) / ("Scripts/pip.exe" if os.name == "nt" else "bin/pip")
    try:
        return str(pip.relative_to(_ROOT))
    except ValueError:
        return str(pip)
