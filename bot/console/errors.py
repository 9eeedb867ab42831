"""Console error pages in Chinese (a worker on a phone should know what happened)."""
from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError

from bot.console import bp

MESSAGES = {
    400: ("请求有误", "提交的内容不完整或不正确，请返回重试。"),
    403: ("没有权限", "您的账号不能查看或修改这项内容。"),
    404: ("找不到", "没有这个页面，或者它不在您负责的范围内。"),
}


@bp.errorhandler(CSRFError)
def csrf_error(error):
    return render_template("console/error.html", title="页面已过期",
                           message="页面停留太久或已在别处退出，请刷新页面后再提交。"), 400


def _page(code: int):
    title, message = MESSAGES[code]
    return render_template("console/error.html", title=title, message=message), code


for _code in MESSAGES:
    bp.register_error_handler(_code, lambda error, code=_code: _page(code))
