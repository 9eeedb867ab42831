"""Figures of a run (gate, participation, questions, buildings, progress, themes) and of a city."""
from surveys.stats.detail import by_building, not_answered, per_question, progress
from surveys.stats.gate import summary
from surveys.stats.overview import overview
from surveys.stats.report import full_report
from surveys.stats.themes import themes

__all__ = ["by_building", "full_report", "not_answered", "overview", "per_question", "progress", "summary",
           "themes"]
