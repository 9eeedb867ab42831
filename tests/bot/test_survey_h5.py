"""The H5 survey page: signed links, the whole form, server-side validation."""
import re
from datetime import datetime, timezone

from sqlmodel import select

from models.surveys import Ballot
from surveys import links
from tests.fixtures.surveys import sample_definition


def link_for(app, resident, run, clock, ttl=7200):
    token = links.make_token(app.config["LINLI"]["app"]["secret_key"], resident_id=resident.id, run_id=run.id,
                             now_s=clock.now, ttl_s=ttl)
    return f"/h5/surveys/{run.id}?t={token}", token


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_answer_whole_survey_on_h5(app, client, db_session, seed_community, bind_resident, publish_run, clock):
    seeded = seed_community()
    run = publish_run(seeded.community)
    resident = bind_resident(seeded.households[0], "o-h5")
    url, token = link_for(app, resident, run, clock)
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "测试改造意愿征询" in html and 'data-show-if' in html
    form = {"csrf_token": csrf(html), "t": token, "agree": "no", "items": ["pipes", "pipes2"]}
    bad = client.post(f"/h5/surveys/{run.id}", data=form)
    assert bad.status_code == 400 and "此题必答" in bad.get_data(as_text=True)  # reason is shown after "no"
    form.update(reason="noise", items=["pipes", "roof"], comment="希望施工时间避开午休")
    done = client.post(f"/h5/surveys/{run.id}", data=form)
    assert done.status_code == 200 and "提交成功" in done.get_data(as_text=True)
    ballot = db_session.exec(select(Ballot)).one()
    assert ballot.channel == "h5" and ballot.answers["reason"] == "noise" and not ballot.gate_yes
    db_session.rollback()


def test_forged_expired_or_foreign_links_are_refused(app, client, seed_community, bind_resident, publish_run, clock):
    seeded = seed_community()
    run = publish_run(seeded.community)
    resident = bind_resident(seeded.households[0], "o-h5")
    url, _ = link_for(app, resident, run, clock, ttl=60)
    assert client.get(url + "x").status_code == 403
    clock.advance(61)
    assert "过期" in client.get(url).get_data(as_text=True)
    other = publish_run(seeded.community, definition=sample_definition(code="other"))
    url, _ = link_for(app, resident, run, clock)
    assert client.get(url.replace(f"/{run.id}?", f"/{other.id}?")).status_code == 403


def test_ranking_and_grid_on_h5(app, client, db_session, seed_community, bind_resident, publish_run, clock):
    seeded = seed_community()
    d = sample_definition(code="plan", phase="plan_opinion", gate=None, questions=[
        {"code": "menu", "type": "ranking", "title": "点菜", "max_choices": 2,
         "options": [{"code": "a", "label": "管网"}, {"code": "b", "label": "电梯"}, {"code": "c", "label": "停车"}]},
        {"code": "rate", "type": "grid", "title": "评价", "rows": [{"code": "r1", "label": "道路"}],
         "options": [{"code": "good", "label": "好"}, {"code": "bad", "label": "差"}]}])
    run = publish_run(seeded.community, definition=d)
    resident = bind_resident(seeded.households[0], "o-h5")
    url, token = link_for(app, resident, run, clock)
    html = client.get(url).get_data(as_text=True)
    form = {"csrf_token": csrf(html), "t": token, "menu.c": "1", "menu.a": "2", "rate.r1": "bad"}
    assert client.post(f"/h5/surveys/{run.id}", data=form).status_code == 200
    assert db_session.exec(select(Ballot)).one().answers == {"menu": ["c", "a"], "rate": {"r1": "bad"}}
    db_session.rollback()


def test_two_members_post_at_once_on_two_workers(make_app, db_session, seed_community, bind_resident, publish_run,
                                                 clock):
    import threading

    seeded = seed_community()
    household = seeded.households[0]
    household.answers_changeable = False
    db_session.add(household)
    db_session.commit()
    run = publish_run(seeded.community)
    members = [bind_resident(household, "o-wife"), bind_resident(household, "o-husband", role="family")]
    workers = [make_app(), make_app()]
    forms = []
    for app, member, choice in zip(workers, members, ["yes", "abstain"]):
        client = app.test_client()
        url, token = link_for(app, member, run, clock)
        forms.append((client, {"csrf_token": csrf(client.get(url).get_data(as_text=True)), "t": token,
                               "agree": choice}))
    barrier, pages = threading.Barrier(2), []

    def post(client, form):
        barrier.wait()
        pages.append(client.post(f"/h5/surveys/{run.id}", data=form).get_data(as_text=True))

    threads = [threading.Thread(target=post, args=f) for f in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum("提交成功" in p for p in pages) == 1 and sum("不能修改" in p for p in pages) == 1
    assert len(db_session.exec(select(Ballot).where(Ballot.run_id == run.id)).all()) == 1
    db_session.rollback()
