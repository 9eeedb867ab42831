"""The one-way rule held by the suite: ``bot → handlers → surveys → models``.

Every module's imports are read from its syntax tree (imports inside functions,
relative imports and ``import_module("...")`` with a literal name included), then
each layer package is imported alone in a fresh interpreter to catch what a
computed name would hide.  Only ``bot/`` may know the web and scheduling frameworks.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bot import PROJECT_ROOT

LAYERS = ("bot", "handlers", "surveys", "models")  # each may import only itself and those after it
FRAMEWORKS = {"flask", "wechatpy", "apscheduler", "werkzeug"}
OUTSIDE = {"fakewechat", "tests", "bench", "scripts", "migrations"}  # never imported by the service


def imported_names(source: str, module: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything ``source`` (the module ``module``) imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, _absolute(node, module)))
        elif _is_import_module(node) and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, str(node.args[0].value)))
        elif _is_import_module(node) and isinstance(node.args[0], ast.JoinedStr):
            head = node.args[0].values[0]  # f"handlers.{name}": the literal head names the package
            if isinstance(head, ast.Constant):
                found.append((node.lineno, str(head.value)))
    return sorted(found)


def _absolute(node: ast.ImportFrom, module: str) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")[:-node.level] if node.level else []
    return ".".join(base + ([node.module] if node.module else []))


def _is_import_module(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "import_module"


def violations(layer: str, source: str, module: str) -> list[str]:
    """What in ``source`` breaks the rule for a module of ``layer``."""
    allowed = set(LAYERS[LAYERS.index(layer):])
    wrong = []
    for line, name in imported_names(source, module):
        root = name.split(".")[0]
        if root in set(LAYERS) - allowed:
            wrong.append(f"{module}:{line} imports {name}, a layer above {layer}/")
        elif root in OUTSIDE:
            wrong.append(f"{module}:{line} imports {name}, which the service never imports")
        elif root in FRAMEWORKS and layer != "bot":
            wrong.append(f"{module}:{line} imports {name}; only bot/ knows the frameworks")
    return wrong


def modules_of(layer: str):
    for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
        parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if path.name == "__init__.py":
            name += ".__init__"  # a package's relative imports start from the package itself
        yield path, name


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_only_point_down(layer):
    wrong = []
    for path, module in modules_of(layer):
        wrong += violations(layer, path.read_text(encoding="utf-8"), module)
    assert wrong == []


@pytest.mark.parametrize("layer", LAYERS[1:])
def test_a_layer_imported_alone_loads_nothing_above_it(layer):
    """Computed names (``import_module(name)`` from a list) are caught by really importing."""
    above = set(LAYERS[:LAYERS.index(layer)]) | FRAMEWORKS | OUTSIDE
    code = f"import sys, {layer}; print('\\n'.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True, timeout=120).stdout.split()
    assert sorted(above & set(loaded)) == []


def test_the_checker_sees_each_kind_of_wrong_import():
    source = ("import flask\n"
              "from handlers import registry\n"
              "def later():\n"
              "    from bot.db import session\n"
              "    import_module('handlers.faq')\n"
              "    importlib.import_module(f'bot.{name}')\n"
              "from fakewechat import server\n")
    wrong = violations("surveys", source, "surveys.stats.figures")
    assert [w.split(" ")[0] for w in wrong] == [f"surveys.stats.figures:{n}" for n in (1, 2, 4, 5, 6, 7)]
    assert violations("bot", source, "bot.stats") == ["bot.stats:7 imports fakewechat, "
                                                      "which the service never imports"]


def test_relative_imports_resolve_from_their_package():
    assert imported_names("from . import base\nfrom ..x import y", "surveys.questions.__init__") == [
        (1, "surveys.questions"), (2, "surveys.x")]
    assert imported_names("from .base import get", "surveys.questions.choice") == [(1, "surveys.questions.base")]


def test_the_wechat_samples_are_in_the_repository():
    from tests.fixtures.wechat import SAMPLES, fixture_names
    assert SAMPLES.is_relative_to(PROJECT_ROOT) and len(fixture_names()) >= 30
