"""The console in headless Chromium: logging in through the real page."""
import pytest


@pytest.mark.browser
def test_login_in_chromium(live_server, page, staff_user):
    worker = staff_user("worker", communities=["幸福里小区"])
    page.goto(live_server + "/console/")
    assert "工作人员登录" in page.content()
    page.fill("input[name=username]", worker.username)
    page.fill("input[name=password]", worker.password)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/console/")
    assert "您好" in page.content()
