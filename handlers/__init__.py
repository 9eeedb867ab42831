"""Chat features.  Pure code: no Flask, no wechatpy; handlers get a Context.

Importing the package loads every feature module so that it registers itself.
"""
from importlib import import_module

FEATURES = ("welcome", "media", "complaints", "complaints.progress", "survey_chat", "households.binding",
            "projects.chat", "faq", "publicity", "notices.chat")

for _name in FEATURES:
    import_module(f"handlers.{_name}")
