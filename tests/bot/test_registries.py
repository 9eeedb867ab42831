"""The app's lists (CLI command modules, blueprints) refuse a name or a URL claimed twice."""
from __future__ import annotations

import sys
import types
from collections import defaultdict

import click
import pytest
from flask import Flask

from bot import cli


def test_two_commands_of_one_name_raise(monkeypatch):
    twin = types.ModuleType("linli_twin_commands")
    twin.commands = [click.Command("init-db", callback=lambda: None)]
    monkeypatch.setitem(sys.modules, twin.__name__, twin)
    monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, twin.__name__])
    with pytest.raises(ValueError, match="'init-db' of linli_twin_commands is already registered"):
        cli.register(Flask("twin"))


def test_no_two_views_answer_the_same_url_and_method(app):
    """Werkzeug would route to the first rule and the second view would never run."""
    owners = defaultdict(set)
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            owners[(rule.rule, method)].add(rule.endpoint)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


def test_two_jobs_of_one_id_raise():
    from bot.clock.registry import JOBS, job, load_jobs
    load_jobs()
    held = JOBS["outbox.deliver"]
    with pytest.raises(ValueError, match="'outbox.deliver' is already registered by bot.jobs.outbox"):
        job("outbox.deliver")(lambda: None)
    assert JOBS["outbox.deliver"] is held
    job("outbox.deliver", held.trigger, **held.trigger_args)(held.func)  # the same function again: harmless
    JOBS["outbox.deliver"] = held
