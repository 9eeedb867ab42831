"""The question-type registry refuses a name claimed by a second class."""
from __future__ import annotations

import pytest

from surveys import questions
from surveys.questions.base import QuestionType, register


def test_a_type_name_taken_by_another_class_raises():
    class AnotherSingle(QuestionType):
        name = "single"

    before = questions.REGISTRY["single"]
    with pytest.raises(ValueError, match="already registered"):
        register(AnotherSingle)
    assert questions.REGISTRY["single"] is before


def test_registering_the_same_class_again_is_harmless():
    cls = type(questions.REGISTRY["single"])
    register(cls)
    assert type(questions.REGISTRY["single"]) is cls
