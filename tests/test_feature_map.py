"""docs/ARCHITECTURE.md's feature map names files that exist (a renamed module fails here)."""
from __future__ import annotations

import re

from bot import PROJECT_ROOT

COLUMNS = ("bot", "handlers", "surveys", "models", "templates")  # the table's columns after the feature's name
PATH = re.compile(r"`([\w./*-]+?)`")


def map_rows() -> list[list[str]]:
    text = (PROJECT_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("## Feature map", 1)[1].split("\n\n")[2]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| **")]
    assert len(rows) >= 9, "FAQ, binding, surveys, complaints, notices, departments, console, H5, Open311"
    return rows


def exists(column: str, name: str) -> bool:
    """``name`` under the column's package, directly or in a subpackage the cell named before it."""
    root = PROJECT_ROOT / column if column != "templates" else PROJECT_ROOT
    tail = name.rstrip("/")
    candidates = [root / tail, PROJECT_ROOT / "templates" / tail] if column == "templates" else [root / tail]
    return any(c.exists() for c in candidates) or any(root.glob(tail)) or any(root.rglob(tail)) or \
        any((PROJECT_ROOT / "templates").glob(tail))


def test_every_file_in_the_feature_map_exists():
    missing = [f"{column}: {name}" for cells in map_rows() for column, cell in zip(COLUMNS, cells[1:])
               for name in PATH.findall(cell)
               if re.search(r"\.(py|txt|html|js)$|/$", name) and not exists(column, name)]
    assert missing == []
