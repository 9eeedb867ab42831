"""survey.js reads each question type's value by the shape the type declares (data-value),
not by its name: a later question shown after a pick in a checkbox list, a ranking, a grid
or a number, in headless Chromium."""
import pytest

from surveys import links, questions
from tests.bot.test_question_types_ui import every_type

pytestmark = pytest.mark.browser


def conditional(d: dict) -> dict:
    code = {q["type"]: q["code"] for q in d["questions"]}
    shown_after = {"many": ("multiple", "contains", "b"), "ranked": ("ranking", "contains", "a"),
                   "grid": ("grid", "contains", "r1"), "number": ("number", "gt", 2)}
    for shape, (kind, op, value) in shown_after.items():
        assert questions.get(kind).form_value == shape
        d["questions"].append({"code": f"after_{kind}", "type": "short_text", "title": f"跟进{kind}",
                               "required": False, "show_if": {"question": code[kind], "op": op, "value": value}})
    return d


def test_later_questions_follow_each_value_shape(live_server, live_app, browser, seed_community, bind_resident,
                                                 publish_run, clock):
    seeded = seed_community("题型浏览器小区")
    d = conditional(every_type())
    run = publish_run(seeded.community, definition=d)
    resident = bind_resident(seeded.households[0], "o-shapes")
    token = links.make_token(live_app.config["LINLI"]["app"]["secret_key"], resident_id=resident.id, run_id=run.id,
                             now_s=clock.now)
    h5 = browser.new_context(locale="zh-CN").new_page()
    h5.goto(f"{live_server}/h5/surveys/{run.id}?t={token}")
    code = {q["type"]: q["code"] for q in d["questions"] if not q["code"].startswith("after_")}
    follow = {kind: h5.locator(f"#q-after_{kind}") for kind in ("multiple", "ranking", "grid", "number")}
    assert not any(f.is_visible() for f in follow.values())
    h5.check(f"input[name='{code['multiple']}'][value='b']")
    h5.fill(f"input[name='{code['ranking']}.a']", "1")
    h5.check(f"input[name='{code['grid']}.r1'][value='a']")
    h5.fill(f"input[name='{code['number']}']", "1")
    assert [k for k, f in follow.items() if f.is_visible()] == ["multiple", "ranking", "grid"]
    h5.fill(f"input[name='{code['number']}']", "3")
    assert all(f.is_visible() for f in follow.values())
