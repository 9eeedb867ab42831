"""Templates (editable drafts) and versions (frozen snapshots), JSON in and out."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from models import AuditLog
from models.base import utcnow
from models.surveys import Ballot, SurveyRun, SurveyTemplate, SurveyVersion
from surveys import definition as defs
from surveys.errors import StructuralEditRefused, SurveyError


def import_definition(data: dict, *, session: Session, actor: str = "system") -> SurveyTemplate:
    """Create a template from a definition, or replace the draft of the one with the same code."""
    d = defs.check(data)
    template = session.exec(select(SurveyTemplate).where(SurveyTemplate.code == d["code"])).first()
    if template is None:
        template = SurveyTemplate(code=d["code"], title=d["title"], phase=d["phase"], draft=d)
    else:
        template.title, template.phase, template.draft, template.updated_at = d["title"], d["phase"], d, utcnow()
    session.add(template)
    session.flush()
    session.add(AuditLog(actor=actor, action="survey.template.import", target=f"survey_template:{template.id}",
                         after={"code": d["code"], "title": d["title"]}))
    session.flush()
    return template


def export_definition(template_id: int, *, session: Session) -> dict:
    return dict(_template(template_id, session=session).draft)


def publish_version(template_id: int, *, session: Session, actor: str = "system") -> SurveyVersion:
    """Freeze the draft as a new version, or return the latest one when nothing changed."""
    template = _template(template_id, session=session)
    latest = latest_version(template_id, session=session)
    if latest is not None and latest.definition == template.draft:
        return latest
    version = SurveyVersion(template_id=template_id, number=(latest.number + 1) if latest else 1,
                            definition=defs.check(template.draft), created_by=actor)
    session.add(version)
    session.flush()
    return version


def latest_version(template_id: int, *, session: Session) -> SurveyVersion | None:
    return session.exec(select(SurveyVersion).where(SurveyVersion.template_id == template_id)
                        .order_by(SurveyVersion.number.desc())).first()


def ballot_count(version_id: int, *, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Ballot).where(Ballot.version_id == version_id)).one()


def edit_version(version_id: int, data: dict, *, session: Session, actor: str) -> SurveyVersion:
    """Change a version in place: anything before its first ballot, wording only after (audited)."""
    version = session.get(SurveyVersion, version_id)
    if version is None:
        raise SurveyError(f"版本 {version_id} 不存在")
    new = defs.check(data)
    if ballot_count(version_id, session=session) and defs.structure(new) != defs.structure(version.definition):
        raise StructuralEditRefused("该版本已有答卷，只能修改文字（标题、选项文字、说明）；"
                                    "增删题目或选项、改题型、代码、门槛或范围请另存为新版本")
    before = version.definition
    version.definition = new
    session.add(version)
    session.add(AuditLog(actor=actor, action="survey.version.edit", target=f"survey_version:{version_id}",
                         before=before, after=new))
    for run in session.exec(select(SurveyRun).where(SurveyRun.version_id == version_id)):
        run.title = new["title"]
        session.add(run)
    session.flush()
    return version


def list_templates(*, session: Session) -> list[dict[str, Any]]:
    """Templates with their versions (id, number, ballots), for the CLI and the console."""
    rows = []
    for t in session.exec(select(SurveyTemplate).order_by(SurveyTemplate.id)):
        versions = session.exec(select(SurveyVersion).where(SurveyVersion.template_id == t.id)
                                .order_by(SurveyVersion.number)).all()
        rows.append({"id": t.id, "code": t.code, "title": t.title, "phase": t.phase,
                     "questions": len(t.draft.get("questions", [])),
                     "versions": [{"id": v.id, "number": v.number, "created_at": v.created_at.isoformat(),
                                   "ballots": ballot_count(v.id, session=session)} for v in versions]})
    return rows


def _template(template_id: int, *, session: Session) -> SurveyTemplate:
    template = session.get(SurveyTemplate, template_id)
    if template is None:
        raise SurveyError(f"模板 {template_id} 不存在")
    return template
