"""``faq import FILE``, ``faq export FILE`` and ``faq ask QUESTION`` (try the matcher)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from bot import db
from bot.runtime import render
from handlers.faq import followup, transfer
from handlers.faq.cache import IndexCache, load_outside
from handlers.faq.decide import understand
from handlers.faq.report import build_report, report_lines
from models.audit import record
from models.base import utcnow

MAX_ERRORS_SHOWN = 200


@click.group("faq")
def faq() -> None:
    """The policy FAQ."""


@faq.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path: str) -> None:
    """Import entries from .xlsx/.csv (question/问题, alternatives/相似问法, answer/答案, category/分类).

    All-or-nothing: any bad row and nothing is written.  Rows update the entry with
    the same id (as exported) or the same question; other rows are added.
    """
    with Session(db.engine(), expire_on_commit=False) as session:
        result = transfer.import_file(path, actor="cli", session=session)
        if not result.ok:
            session.rollback()
            for row, message in result.errors[:MAX_ERRORS_SHOWN]:
                click.echo(f"第{row}行：{message}" if row else message, err=True)
            raise click.ClickException(f"文件有 {len(result.errors)} 处错误，未导入任何数据。")
        record(actor="cli", action="faq.import", target=Path(path).name[:100],
               after={"created": result.created, "updated": result.updated}, session=session)
        index, outside = IndexCache().rebuild_now(session=session), load_outside(session=session)
        answered = followup.answer_matched(followup.decider(index), set(result.entry_ids), actor="cli",
                                           render=render, now=utcnow(), session=session)
        session.commit()
    click.echo(f"导入完成：新增 {result.created} 条，更新 {result.updated} 条。")
    if result.retired_samples:
        click.echo(f"已停用 {result.retired_samples} 条示例问答（仍可在管理后台查看和重新启用）。")
    if answered:
        click.echo(f"现在能回答 {len(answered)} 个未答问题，答案已发给提问的居民。")
    for line in report_lines(build_report(index, result.entry_ids, outside=outside)):
        click.echo(line)


@faq.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--chinese", is_flag=True, help="Chinese column headers (问题, 相似问法, 答案, 分类...).")
@with_appcontext
def export_command(path: str, chinese: bool) -> None:
    """Export every entry to .xlsx or .csv (alternatives joined with |)."""
    with Session(db.engine()) as session:
        rows = transfer.export_rows(chinese=chinese, session=session)
    try:
        data = transfer.write_table(rows, path)
    except transfer.TransferError as exc:
        raise click.ClickException(str(exc)) from exc
    Path(path).write_bytes(data)
    click.echo(f"已导出 {len(rows) - 1} 条到 {path}")


@faq.command("ask")
@click.argument("question")
@with_appcontext
def ask_command(question: str) -> None:
    """Show what the matcher does with QUESTION, with the top candidates and scores."""
    with Session(db.engine()) as session:
        index = IndexCache().get(session=session)
    decision = understand(index, question)
    click.echo(f"决定: {decision.kind}{' ' + decision.smalltalk if decision.smalltalk else ''}")
    for candidate in index.search(question, limit=5):
        click.echo(f"  {candidate.score:.3f}  #{candidate.entry_id} {candidate.question}")


commands = [faq]
