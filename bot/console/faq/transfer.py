"""Import (upload, all-or-nothing, errors by row) and export (.xlsx / .csv) of the FAQ."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for

from bot import db
from bot.console.auth import actor, audit, roles_required
from bot.console.faq import EDITORS, READERS, bp, faq_cache, rebuild_and_follow_up
from handlers.faq import transfer
from handlers.faq.cache import load_outside
from handlers.faq.report import build_report

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


@bp.get("/transfer")
@roles_required(*EDITORS)
def transfer_page():
    return render_template("console/faq/transfer.html", errors=[])


@bp.post("/import")
@roles_required(*EDITORS)
def import_upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择文件。", "error")
        return redirect(url_for("console_faq.transfer_page"))
    sess = db.session()
    result = transfer.import_file(upload.filename, actor=actor(), session=sess, data=upload.read())
    if not result.ok:
        sess.rollback()
        flash(f"文件有 {len(result.errors)} 处错误，未导入任何数据。", "error")
        return render_template("console/faq/transfer.html", errors=result.errors[:500]), 400
    audit("faq.import", upload.filename[:100], after={"created": result.created, "updated": result.updated})
    answered = rebuild_and_follow_up(set(result.entry_ids))
    sess.commit()
    flash(f"导入完成：新增 {result.created} 条，更新 {result.updated} 条。", "info")
    if result.retired_samples:
        flash(f"已停用 {result.retired_samples} 条示例问答（可在问答列表中查看和重新启用）。", "info")
    if answered:
        flash(f"现在能回答 {len(answered)} 个未答问题，答案已发给提问的居民。", "info")
    report = build_report(faq_cache().index, result.entry_ids, outside=load_outside(session=sess))
    return render_template("console/faq/transfer.html", errors=[], report=report)


@bp.get("/export.<fmt>")
@roles_required(*READERS)
def export(fmt: str):
    if fmt not in MIME:
        return Response("unknown format", status=404)
    rows = transfer.export_rows(chinese=request.args.get("headers") == "zh", session=db.session())
    data = transfer.write_table(rows, f"faq.{fmt}")
    return Response(data, mimetype=MIME[fmt], headers={"Content-Disposition": f"attachment; filename=faq.{fmt}"})
