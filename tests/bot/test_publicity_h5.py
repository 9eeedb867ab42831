"""The H5 publicity page: figures per building, the objection form, refusals for outsiders and forged links."""
from datetime import timedelta

from sqlmodel import select

from models.publicity import Objection, Publicity
from surveys import publicity_links
from tests.fixtures.console import csrf_token


def url(app, resident, p, now):
    return publicity_links.page_url(app.config["LINLI"]["app"], resident_id=resident.id, publicity=p, now=now)


def path_of(full: str) -> str:
    return full[full.index("/h5/"):]


def test_resident_reads_figures_and_objects_on_the_page(app, client, published_run, db_session):
    made = published_run()
    p = db_session.get(Publicity, made.publicity_id)
    page = path_of(url(app, made.residents[2], p, p.published_at))
    db_session.rollback()
    html = client.get(page).get_data(as_text=True)
    assert "结果公示：测试改造意愿征询" in html and "1号楼" in html and "2号楼" in html and "未达到" in html
    assert 'id="objection"' in html
    token = page.split("?t=")[1]
    resp = client.post(page.split("?")[0], data={"csrf_token": csrf_token(client, page), "t": token,
                                                 "text": "2号楼没有人上门发问卷"})
    assert resp.status_code == 200 and "异议已记录" in resp.get_data(as_text=True)
    row = db_session.exec(select(Objection)).one()
    assert row.channel == "h5" and row.resident_id == made.residents[2].id and row.text == "2号楼没有人上门发问卷"


def test_outsider_sees_the_result_but_cannot_object(app, client, published_run, db_session):
    made = published_run()
    p = db_session.get(Publicity, made.publicity_id)
    page = path_of(url(app, made.outsider, p, p.published_at))
    db_session.rollback()
    html = client.get(page).get_data(as_text=True)
    assert "不在本次公示的范围内" in html and 'id="objection"' not in html
    resp = client.post(page.split("?")[0], data={"csrf_token": csrf_token(client), "t": page.split("?t=")[1],
                                                 "text": "我反对"})
    assert resp.status_code == 400 and "不在本次公示的范围内" in resp.get_data(as_text=True)
    assert db_session.exec(select(Objection)).all() == []


def test_forged_or_expired_link_is_refused(app, client, published_run, db_session, clock):
    made = published_run()
    p = db_session.get(Publicity, made.publicity_id)
    page = path_of(url(app, made.residents[0], p, p.published_at))
    db_session.rollback()
    assert client.get(page + "x").status_code == 403
    clock.advance(int(timedelta(days=9).total_seconds()))
    resp = client.get(page)
    assert resp.status_code == 403 and "链接已过期" in resp.get_data(as_text=True)
