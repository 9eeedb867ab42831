"""Errors the survey services raise; messages are Chinese because people read them."""
from __future__ import annotations


class SurveyError(ValueError):
    """Base: the request cannot be done; ``str(error)`` says why, for a person."""


class DefinitionError(SurveyError):
    """A template definition is invalid; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


class StructuralEditRefused(SurveyError):
    """A version with ballots may only change wording."""


class AnswerError(SurveyError):
    """One answer is invalid; ``code`` names the question."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


class NotAllowed(SurveyError):
    """This resident or household may not answer (now)."""
