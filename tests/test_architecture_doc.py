"""docs/ARCHITECTURE.md stays a map a reader can trust: every module of `bot/` is named in its
package's row of the module table or in its package's `__init__` docstring (the doc's promise:
start with a package's docstring, which names its modules), every way `CliContext` opens the
database is in the diagram, and its prose says each thing once (a bad merge once left a passage
twice, half of it cut mid-sentence)."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
BOT = ROOT / "bot"

# Ten words in a row said twice is a passage repeated, not a phrase the map reuses.
REPEAT_WORDS = 10


def _prose_words(text: str) -> list[str]:
    """The words of the document's running text: the module table and diagrams left out, where
    one package's row may well echo another's."""
    words: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith("|"):
            continue
        words.extend(line.split())
    return words


def test_no_passage_of_the_prose_is_repeated() -> None:
    words = _prose_words(ARCHITECTURE.read_text(encoding="utf-8"))
    runs = Counter(
        " ".join(words[i : i + REPEAT_WORDS]) for i in range(len(words) - REPEAT_WORDS + 1)
    )
    assert [run for run, count in runs.items() if count > 1] == []


def _table_rows(text: str) -> dict[str, str]:
    """The module table's rows by their first cell: `bot/cli/`, `bot/adapters/console.py`, or
    "top level" for the modules directly under bot/."""
    rows: dict[str, str] = {}
    for line in text.splitlines():
        found = re.match(r"\| (`bot/[^`]*`|top level) \|(.*)\|\s*$", line)
        if found:
            rows[found.group(1).strip("`")] = found.group(2)
    return rows


def _names(text: str, module: str) -> bool:
    # As the map writes a module: `name`, `name.attribute` or `name(...)`, never a bare word,
    # so "settings" in passing does not count for a package's settings module.
    return re.search(rf"`{re.escape(module)}[`.(]", text) is not None


def _docstring(path: Path) -> str:
    if not path.exists():
        return ""
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def test_every_module_is_named_in_the_map_or_its_package_docstring() -> None:
    rows = _table_rows(ARCHITECTURE.read_text(encoding="utf-8"))
    unnamed: list[str] = []
    for path in sorted(BOT.rglob("*.py")):
        if path.stem in {"__init__", "__main__"}:
            continue
        relative = path.relative_to(ROOT).as_posix()
        if relative in rows:
            continue
        package = path.parent.relative_to(ROOT).as_posix() + "/"
        row = rows.get("top level" if package == "bot/" else package, "")
        if _names(row, path.stem) or _names(_docstring(path.parent / "__init__.py"), path.stem):
            continue
        unnamed.append(relative)
    assert unnamed == []


def test_the_map_knows_its_packages_rows() -> None:
    # The check above reads rows by their first cell; one renamed would pass every module.
    rows = _table_rows(ARCHITECTURE.read_text(encoding="utf-8"))
    packages = {
        path.parent.relative_to(ROOT).as_posix() + "/"
        for path in BOT.rglob("__init__.py")
        if path.parent != BOT
    }
    assert "top level" in rows
    assert packages - {"bot/adapters/"} <= set(rows)


def test_every_way_the_cli_opens_the_database_is_in_the_diagram() -> None:
    tree = ast.parse((BOT / "cli" / "context.py").read_text(encoding="utf-8"))
    context = next(
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "CliContext"
    )
    opens = [
        node.name
        for node in context.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and isinstance(node.returns, ast.Name)
        and node.returns.id == "NewsDigest"
    ]
    assert {"core", "reader", "synced_core"} <= set(opens)
    text = ARCHITECTURE.read_text(encoding="utf-8")
    diagram = text[text.index("CliContext opens") : text.index("## Modules")]
    assert [name for name in opens if not re.search(rf"\b{name}\b", diagram)] == []
