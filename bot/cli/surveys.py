"""``survey ...``: templates as JSON, publishing a run, a run's figures."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlmodel import select

from bot import db
from bot.runtime import now
from models import Community, localtime
from models.surveys import OWNER_RULES
from surveys import phases, runs, stats, templates
from surveys.errors import SurveyError

survey = AppGroup("survey", help="Survey templates, runs and figures.")


def parse_time(value: str | None) -> datetime | None:
    """ISO 8601; without an offset the time is read in the app's time zone."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=localtime.zone())
        return parsed.astimezone(timezone.utc)  # OverflowError: 0001-01-01T00:00 in Shanghai is before year 1 in UTC
    except (ValueError, OverflowError):
        raise click.BadParameter(f"不是有效的时间: {value}（例如 2026-05-01T08:00）") from None


def find_community(name: str, *, session) -> Community:
    found = session.exec(select(Community).where((Community.name == name) | (Community.code == name))).first()
    if found is None and name.isdigit():
        found = session.get(Community, int(name))
    if found is None:
        raise click.ClickException(f"小区不存在: {name}")
    return found


def _fail(exc: Exception) -> click.ClickException:
    db.session().rollback()
    return click.ClickException(str(exc))


@survey.command("templates")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_templates(as_json: bool) -> None:
    """Templates with their ids, titles, phases and versions."""
    rows = templates.list_templates(session=db.session())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        versions = ", ".join(f"v{v['number']}(#{v['id']}, {v['ballots']}票)" for v in row["versions"]) or "未发布"
        click.echo(f"{row['id']}\t{row['phase']}\t{row['title']}\t{versions}")


@survey.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_template(file: Path) -> None:
    """Create or update a template from a JSON file (docs/SURVEYS.md)."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        template = templates.import_definition(data, session=db.session(), actor="cli")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: 不是有效的 JSON: {exc}") from None
    except SurveyError as exc:
        raise _fail(exc) from None
    db.session().commit()
    click.echo(f"已导入模板 {template.id}: {template.title}")


@survey.command("export")
@click.argument("template_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_template(template_id: int, file: Path) -> None:
    """Write a template's definition to a JSON file."""
    try:
        data = templates.export_definition(template_id, session=db.session())
    except SurveyError as exc:
        raise _fail(exc) from None
    file.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"已导出模板 {template_id} 到 {file}")


@survey.command("publish")
@click.argument("template_id", type=int)
@click.option("--community", "community_name", required=True, help="Community name, code or id.")
@click.option("--opens", default=None, help="Opening time (ISO 8601; default now).")
@click.option("--closes", default=None, help="Closing time (ISO 8601).")
@click.option("--rule", type=click.Choice(OWNER_RULES), default=None,
              help="An owners' decision (Civil Code art. 278) counted by area and by head; absent: the 80% gate.")
@click.option("--scope", default="", help='With --rule: "3号楼" or "3号楼/2单元" (default: the whole community).')
@click.option("--nonvoters-join-majority", is_flag=True,
              help="With --rule: non-voters' weight joins the voters' majority (a local rule; off by default).")
def publish(template_id: int, community_name: str, opens: str | None, closes: str | None, rule: str | None,
            scope: str, nonvoters_join_majority: bool) -> None:
    """Start a run of the template for one community; prints the run id."""
    session = db.session()
    community = find_community(community_name, session=session)
    try:
        run = runs.publish(template_id, community.id, session=session, now=now(), opens_at=parse_time(opens),
                           closes_at=parse_time(closes), actor="cli", rule=rule, scope=scope,
                           nonvoters_join_majority=nonvoters_join_majority)
    except SurveyError as exc:
        raise _fail(exc) from None
    for warning in phases.unmet_gates(community.id, run.phase, session=session):
        click.echo(f"注意：{warning}", err=True)  # published all the same; stdout stays the run id
    session.commit()
    click.echo(run.id)


@survey.command("stats")
@click.argument("run_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--full", is_flag=True, help="Also per question, per building, progress and themes.")
def run_stats(run_id: int, as_json: bool, full: bool) -> None:
    """A run's figures: eligible households, ballots, gate yes and rate against the threshold."""
    try:
        data = stats.full_report(run_id, session=db.session()) if full else stats.summary(run_id,
                                                                                          session=db.session())
    except SurveyError as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    s = data["summary"] if full else data
    if s.get("rule"):
        click.echo(owners_line(s))
        return
    verdict = "已达到" if s["passed"] else "未达到"
    click.echo(f"{s['community']} {s['title']}：应参与 {s['eligible_households']} 户（另排除 "
               f"{s['excluded_households']} 户），已答 {s['ballots']} 户，计为同意/满意 {s['gate_yes']} 户，"
               f"{s['gate_rate']:.1%}，门槛 {s['threshold']:.0%}，{verdict}")


def owners_line(s: dict) -> str:
    verdict = "通过" if s["passed"] else "未通过"
    return (f"{s['community']} {s['title']}（{s['rule_label']}，{s['scope_words']}）：业主 {s['owners_total']} 人、"
            f"面积 {s['area_total']:.2f}㎡；已表决 {s['owners_voted']} 人、{s['area_voted']:.2f}㎡；"
            f"同意 {s['owners_yes']} 人、{s['area_yes']:.2f}㎡；参与{'已' if s['participation_passed'] else '未'}"
            f"达三分之二，表决{verdict}")


commands = [survey]
