"""/console/outbox: admins see dead letters (masked, no content) and retry them."""
from __future__ import annotations

from sqlmodel import Session

from models import OutboundMessage
from models.outbox import enqueue_text
from tests.fixtures.console import csrf_token, login


def dead_letter(app) -> int:
    with Session(app.extensions["linli.engine"]) as session:
        row = enqueue_text(openid="oAbcdefgh123456", text="机密内容", kind="complaint", session=session)
        row.status, row.attempts, row.last_error = "dead", 8, "45009 reach max api daily quota limit"
        session.add(row)
        session.commit()
        return row.id


def test_admin_sees_and_retries_dead_letters(app, client, staff_user):
    message_id = dead_letter(app)
    login(client, staff_user("admin"))
    page = client.get("/console/outbox/").get_data(as_text=True)
    assert "oAbc****3456" in page and "45009" in page and "机密内容" not in page
    assert "<td>诉求进度</td>" in page and "<td>complaint</td>" not in page  # the kind in words, not its code
    resp = client.post(f"/console/outbox/{message_id}/retry", data={"csrf_token": csrf_token(client,
                                                                                             "/console/outbox/")})
    assert resp.status_code == 302
    with Session(app.extensions["linli.engine"]) as session:
        row = session.get(OutboundMessage, message_id)
        assert (row.status, row.attempts) == ("pending", 0)
    assert client.post(f"/console/outbox/{message_id}/retry",
                       data={"csrf_token": csrf_token(client, "/console/outbox/")}).status_code == 404


def test_workers_may_not(app, client, staff_user):
    dead_letter(app)
    login(client, staff_user("worker", communities=["幸福里小区"]))
    assert client.get("/console/outbox/").status_code == 403


def test_every_kind_the_code_queues_has_words():
    import re
    from pathlib import Path

    from bot.console.outbox import KIND_LABELS
    from handlers.faq.followup import KIND as FAQ_KIND
    from surveys.publicity import KIND as PUBLICITY_KIND

    root = Path(__file__).resolve().parents[2]
    queued = {m for pkg in ("bot", "handlers", "surveys") for path in (root / pkg).rglob("*.py")
              for m in re.findall(r'kind="([a-z_.]+)"', path.read_text()) if "enqueue" in path.read_text()}
    queued -= {"before", "after", "stable", "greeting", "click"}  # photo kinds and capability-list reasons
    assert queued | {FAQ_KIND, PUBLICITY_KIND} <= set(KIND_LABELS)
