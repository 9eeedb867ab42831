"""The console home as the worker's to-do list: counts in scope, empty sections, links, a fixed number of queries."""
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from models import Binding, BindingRequest, Community, Notice, OutboundMessage, UnansweredQuestion
from models.localtime import day_start, today
from models.projects import ProjectItem, ensure_project
from models.publicity import Publicity
from surveys import objections
from tests.fixtures.console import login


def setup_day(db_session, published_run, make_complaint, publish_run, clock):
    made = published_run()
    community_id = made.run.community_id
    p = db_session.get(Publicity, made.publicity_id)
    objections.raise_objection(p.id, made.residents[3].id, "没有算上我家", session=db_session, now=p.published_at)
    make_complaint(community_id=community_id, openid="o-c1")
    make_complaint(community_id=community_id, openid="o-c2", description="路灯坏了")
    make_complaint(community_id=made.outsider.community_id, openid="o-c3")  # another community: not counted
    db_session.add(BindingRequest(resident_id=made.residents[0].id,
                                  household_id=_household(db_session, made.residents[0].id)))
    db_session.add(UnansweredQuestion(text="电梯什么时候装", community_id=community_id))
    closes = datetime.fromtimestamp(clock.now, timezone.utc) + timedelta(days=5)
    publish_run(_community(db_session, community_id), closes_at=closes)
    add_renovation(db_session, community_id, clock, "a")
    add_renovation(db_session, made.outsider.community_id, clock, "x")  # another community: not counted
    db_session.commit()
    return made


def add_renovation(db_session, community_id, clock, tag):
    """In one community: notices today (2) and tomorrow, one failed delivery; items overdue (2), done, on time."""
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    start = day_start(today(now))
    for i, at in enumerate((start + timedelta(minutes=1), start + timedelta(hours=23, minutes=59),
                            start + timedelta(days=1, minutes=1))):
        db_session.add(Notice(community_id=community_id, title=f"停水{tag}{i}", body="明天停水", status="scheduled",
                              send_at=at))
    failed = Notice(community_id=community_id, title=f"施工{tag}", body="施工", status="sent", sent_at=now)
    db_session.add(failed)
    db_session.flush()
    for openid, status in ((f"o-{tag}-1", "dead"), (f"o-{tag}-2", "dead"), (f"o-{tag}-3", "sent")):
        db_session.add(OutboundMessage(openid=openid, kind="notice", status=status,
                                       dedup_key=f"notice:{failed.id}:{openid}"))
    project_id = ensure_project(community_id, session=db_session).id
    day = today(now)
    for name, end, status in ((f"屋面防水{tag}", day - timedelta(days=3), "working"),
                              (f"雨污分流{tag}", day - timedelta(days=1), "planned"),
                              (f"外墙保温{tag}", day - timedelta(days=9), "done"),
                              (f"加装电梯{tag}", day, "working")):
        db_session.add(ProjectItem(project_id=project_id, name=name, planned_end=end, status=status, progress=40))


def _household(db_session, resident_id):
    return db_session.exec(select(Binding.household_id).where(Binding.resident_id == resident_id)).first()


def _community(db_session, community_id):
    return db_session.get(Community, community_id)


def test_worker_home_lists_the_days_work_in_scope(client, db_session, published_run, make_complaint, publish_run,
                                                  clock, staff_user):
    setup_day(db_session, published_run, make_complaint, publish_run, clock)
    login(client, staff_user("worker", communities=["测试小区"]))
    html = client.get("/console/").get_data(as_text=True)
    assert "待审核的诉求</a> <strong class=\"count\">2</strong>" in html
    assert "待审核的绑定申请</a> <strong class=\"count\">1</strong>" in html
    assert "还没有答案的问题</a> <strong class=\"count\">1</strong>" in html
    assert "测试小区 测试改造意愿征询：待答复的异议</a> <strong class=\"count\">1</strong>" in html
    assert "还剩 5 天" in html and "最落后的楼栋：1号楼 0%、2号楼 0%" in html and "还差 8 户" in html
    assert "/console/complaints/?state=submitted" in html and "/console/publicity/" in html
    assert "/not-answered" in html
    assert "今天要发的通知</a> <strong class=\"count\">2</strong>" in html
    assert "送达失败）</a> <strong class=\"count\">1</strong>" in html
    assert "超过计划完工日期仍未完工</a> <strong class=\"count\">2</strong>" in html
    assert "已逾期 3 天，施工中 40%" in html and "已逾期 1 天，计划中 40%" in html
    assert html.index("屋面防水a") < html.index("雨污分流a")  # the oldest first
    assert "外墙保温" not in html and "加装电梯" not in html and "屋面防水x" not in html
    item = _item(db_session, "屋面防水a")
    assert f'href="/console/projects/items/{item}">测试小区 屋面防水a</a>' in html


def _item(db_session, name):
    return db_session.exec(select(ProjectItem.id).where(ProjectItem.name == name)).one()


def test_empty_sections_say_so(client, staff_user, db_session):
    login(client, staff_user("worker", communities=["空小区"]))
    html = client.get("/console/").get_data(as_text=True)
    for text in ("没有待办的诉求。", "没有待审核的绑定申请。", "没有未答的问题。", "没有未达门槛的调查。", "没有待答复的异议。",
                 "今天没有要发的通知。", "没有逾期的改造内容。"):
        assert text in html


def test_department_user_sees_only_their_complaints(client, staff_user, db_session, department, make_complaint):
    dept = department("物业公司", categories=["environment"])
    clerk = staff_user("department", department="物业公司")
    c = make_complaint(openid="o-d1")
    c.department_id, c.state = dept.id, "dispatched"
    db_session.add(c)
    db_session.commit()
    login(client, clerk)
    html = client.get("/console/").get_data(as_text=True)
    assert "待签收的诉求</a> <strong class=\"count\">1</strong>" in html
    assert "绑定申请" not in html.split("<h1>")[1] and "公示异议" not in html and "未达门槛" not in html
    assert "todo-notices" not in html and "todo-overdue_items" not in html


def test_home_page_queries_do_not_grow_with_the_work(client, db_session, published_run, make_complaint, publish_run,
                                                     clock, staff_user, count_queries):
    made = setup_day(db_session, published_run, make_complaint, publish_run, clock)
    login(client, staff_user("admin"))
    client.get("/console/")
    with count_queries() as before:
        assert client.get("/console/").status_code == 200
    for i in range(4):
        make_complaint(community_id=made.run.community_id, openid=f"o-more{i}")
        publish_run(_community(db_session, made.run.community_id))
        add_renovation(db_session, made.run.community_id, clock, f"more{i}")
    db_session.commit()
    with count_queries() as after:
        html = client.get("/console/").get_data(as_text=True)
    assert "待审核的诉求</a> <strong class=\"count\">7</strong>" in html
    assert "今天要发的通知</a> <strong class=\"count\">12</strong>" in html  # admin: both communities, 6 sets
    assert "超过计划完工日期仍未完工</a> <strong class=\"count\">12</strong>" in html
    print(f"home page: {len(after)} queries")
    assert len(after) == len(before) <= 14, after.statements  # one query per section added: notices, items
