"""``/h5``: mobile pages residents open from chat (large fonts, work without JavaScript).

Residents are identified by a signed link sent in chat (or OAuth2 later);
views are thin: parse the form, call the pure services, commit once.
"""
from __future__ import annotations

from importlib import import_module

from flask import Blueprint

bp = Blueprint("h5", __name__, url_prefix="/h5")

# Modules adding views to ``bp``.
MODULES = ["bot.h5.surveys", "bot.h5.survey_door", "bot.h5.articles", "bot.h5.publicity", "bot.h5.projects",
           "bot.h5.notices"]

for _name in MODULES:
    import_module(_name)
