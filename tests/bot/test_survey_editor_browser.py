"""The survey editor without codes, in headless Chromium: questions and options typed as text (codes
made from it, shown only in the advanced view), conditions picked in words, a preview as residents
see it (chat and the H5 page), and a warning before publishing a phase whose earlier gate has not passed."""
import re

import pytest
from sqlmodel import select

from models.surveys import SurveyRun, SurveyTemplate
from tests.fixtures.browser import log_in
from tests.fixtures.surveys import sample_definition

pytestmark = pytest.mark.browser
CODE_LIKE = re.compile(r"[A-Za-z_]{2,}")


def test_build_without_codes_preview_and_advanced_view(live_server, page, staff_user, db_session):
    log_in(page, live_server, staff_user("admin"))
    page.goto(live_server + "/console/surveys/templates")
    page.fill("#new-form input[name=title]", "幸福里小区加装电梯意愿")
    page.select_option("#new-form select[name=phase]", label="改造意愿")
    page.click("#new-form button[type=submit]")
    page.wait_for_selector("#add-question")
    assert page.locator("textarea[name=json]").count() == 0  # no raw JSON on the editor

    page.select_option("#add-question select[name=type]", label="单选")
    page.fill("#add-question input[name=title]", "您家住在几层？")
    page.fill("#add-question textarea[name=options]", "一至三层\n四至六层\n七层及以上")
    page.select_option("#add-question select[name=condition]", label="仅当第1题选“同意”")
    page.click("#add-question button[type=submit]")
    page.wait_for_selector("text=已添加题目“您家住在几层？”")
    added = page.locator("#question-list li").last
    assert "一至三层 / 四至六层 / 七层及以上" in added.inner_text() and "第1题选“同意”时填写" in added.inner_text()
    assert not CODE_LIKE.findall(page.inner_text("#builder"))  # no codes anywhere a person reads

    added.locator("summary").click()
    added.locator("textarea[name=options]").fill("一到三层\n四至六层\n七层及以上\n地下室")
    added.locator("button[type=submit]", has_text="保存").click()
    page.wait_for_selector("text=已保存题目")
    template = db_session.exec(select(SurveyTemplate).where(SurveyTemplate.title == "幸福里小区加装电梯意愿")).one()
    floor = template.draft["questions"][-1]
    db_session.commit()
    assert floor["code"] == "nin_jia_zhu_zai"
    assert [o["code"] for o in floor["options"]] == ["yi_zhi_san_ceng", "si_zhi_liu_ceng", "qi_ceng_ji_yi",
                                                    "di_xia_shi"]  # the renamed first option kept its code
    assert floor["show_if"] == {"all": [{"question": "agree", "op": "equals", "value": "yes"}]}

    page.click("#preview-link")
    bubbles = page.locator("#chat-preview .bubble")
    first = bubbles.first.inner_text()
    assert "【幸福里小区加装电梯意愿】" in first and "第1题：" in first and "1. 同意" in first
    last = page.locator("#chat-preview .chat-message").last.inner_text()
    assert "第1题选“同意”时才问" in last and "1. 一到三层" in last and "4. 地下室" in last
    frame = page.frame_locator("#h5-preview iframe")
    assert "提交不会保存" in frame.locator("#preview-notice").inner_text()
    assert frame.locator("button.submit").is_disabled()
    floor_set = frame.locator("fieldset", has_text="您家住在几层？")
    assert not floor_set.is_visible()
    frame.locator("input[name=agree][value=yes]").check()
    assert floor_set.is_visible()  # the page's own script shows it, as residents will see

    page.goto(live_server + f"/console/surveys/templates/{template.id}")
    page.click("#advanced-link")
    codes = page.inner_text("#codes")
    assert "nin_jia_zhu_zai" in codes and "di_xia_shi" in codes
    assert page.locator("#json-form textarea[name=json]").count() == 1


def test_publishing_satisfaction_before_willingness_passed_warns_first(live_server, page, staff_user, db_session,
                                                                      seed_community, publish_run):
    seeded = seed_community("提醒小区")
    publish_run(seeded.community)  # willingness, open, nobody answered: not passed
    from surveys import templates
    satisfaction = templates.import_definition(sample_definition(
        code="test-satisfaction", title="竣工满意度测评", phase="satisfaction", gate=None), session=db_session)
    db_session.commit()
    log_in(page, live_server, staff_user("admin"))
    page.goto(live_server + f"/console/surveys/templates/{satisfaction.id}")
    page.select_option("#publish-form select[name=community_id]", label="提醒小区")
    page.fill("#publish-form input[name=closes]", "2030-01-01T08:00")
    page.click("#publish-form button[type=submit]")
    warnings = page.inner_text("#publish-warnings")
    assert "在“提醒小区”发布满意度调查前" in warnings
    assert "“改造意愿”调查尚未达到门槛" in warnings and "还没有进行过“方案意见”调查" in warnings
    assert db_session.exec(select(SurveyRun).where(SurveyRun.phase == "satisfaction")).first() is None
    db_session.commit()
    page.click("#publish-anyway button[type=submit]")
    page.wait_for_selector("#eligible")
    run = db_session.exec(select(SurveyRun).where(SurveyRun.phase == "satisfaction")).one()
    assert run.community_id == seeded.community.id and run.closes_at is not None
