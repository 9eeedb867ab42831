"""``flask --app bot ...`` commands.  Each command module defines ``commands``."""
from __future__ import annotations

from importlib import import_module

from flask import Flask

# Modules that define a list ``commands`` of click commands or groups.
COMMAND_MODULES = ["bot.cli.database", "bot.cli.simulate", "bot.cli.households", "bot.cli.surveys", "bot.cli.jobs",
                   "bot.cli.faq", "bot.cli.complaints", "bot.cli.departments",
                   "bot.cli.projects", "bot.cli.notices"]


def register(app: Flask) -> None:
    """Add every module's commands; two commands of one name raise (click would keep the last)."""
    for name in COMMAND_MODULES:
        for command in import_module(name).commands:
            held = app.cli.commands.get(command.name)
            if held is not None and held is not command:
                raise ValueError(f"command {command.name!r} of {name} is already registered")
            app.cli.add_command(command)
