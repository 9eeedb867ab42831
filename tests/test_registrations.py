"""A module that plugs into a list is on that list (forgetting the line fails here, not in production).

Each registry is filled by importing the modules a list names (``handlers.FEATURES``,
``surveys.questions.MODULES``, ``BLUEPRINTS``, ``COMMAND_MODULES``, ``LOADERS``,
``JOB_MODULES``); a new module that registers something but is missing from its list
would simply never run.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bot import PROJECT_ROOT, demo, web
from bot.cli import COMMAND_MODULES
from bot.clock.registry import JOB_MODULES
from surveys.questions import MODULES as QUESTION_MODULES


def modules_matching(package: str, pattern: str) -> set[str]:
    """Dotted names of the modules under ``package`` whose source matches ``pattern``."""
    found = set()
    for path in (PROJECT_ROOT / package.replace(".", "/")).rglob("*.py"):
        if re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    return set(subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=True, timeout=120).stdout.split())


def test_every_chat_feature_is_loaded_by_importing_handlers():
    plugged = modules_matching("handlers", r"^@registry\.(on|click|keyword|flow|fallback|probe)\(")
    assert plugged and plugged - loaded_by("import handlers") == set(), "add the module to handlers.FEATURES"


def test_every_question_type_module_is_listed():
    plugged = {m.rsplit(".", 1)[1] for m in modules_matching("surveys.questions", r"^@register$")}
    assert plugged and plugged - set(QUESTION_MODULES) == set()


@pytest.mark.parametrize("pattern, listed", [
    (r"^bp = Blueprint\(", set(web.BLUEPRINTS) | set(web.DEV_BLUEPRINTS) | {"bot.wechat.gateway"}),
    (r"^commands = \[", set(COMMAND_MODULES)),
    (r"^def load\(\*, session", set(demo.LOADERS)),
    (r"^@job\(", set(JOB_MODULES)),
], ids=["blueprints", "cli", "demo", "jobs"])
def test_every_module_of_the_app_lists_is_listed(pattern, listed):
    plugged = modules_matching("bot", pattern) | modules_matching("handlers", pattern)
    assert plugged and plugged - listed == set()


def test_every_template_named_in_code_exists():
    """A new keyword's reply text forgotten fails here, not when a resident first types the word."""
    named = set()
    for package in ("bot", "handlers", "surveys"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            named |= set(re.findall(r"[\"']((?:wechat|console|h5|dev)/[\w/]+\.(?:txt|html))[\"']",
                                    path.read_text(encoding="utf-8")))
    assert len(named) > 50
    assert sorted(n for n in named if not (PROJECT_ROOT / "templates" / n).exists()) == []
