"""The ready-made templates of data/surveys/ (the four phases, in Chinese)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session

from models.surveys import SurveyTemplate
from surveys import codes, templates

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "surveys"
ORDER = ("willingness", "plan_opinion", "plan_vote", "satisfaction")


def sample_files(directory: Path = SAMPLES_DIR) -> list[Path]:
    return [directory / f"{name}.json" for name in ORDER if (directory / f"{name}.json").is_file()]


def load_samples(*, session: Session, directory: Path = SAMPLES_DIR) -> list[SurveyTemplate]:
    """Import (or refresh the drafts of) the sample templates; idempotent."""
    return [templates.import_definition(json.loads(path.read_text(encoding="utf-8")), session=session)
            for path in sample_files(directory)]


def starter(phase: str, title: str, taken_codes: list[str], directory: Path = SAMPLES_DIR) -> dict:
    """A new definition: the phase's sample under ``title``, with a code made from the title."""
    d = json.loads((directory / f"{phase}.json").read_text(encoding="utf-8"))
    d["title"], d["code"] = title, codes.template_code(title, taken_codes)
    return d
