"""Issue 17 items 12 and 13: redirects stay on the site; huge numbers in URLs are 404/400, never 500.

The walkers go through the URL map, so a route added later is covered too.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.fixtures.console import csrf_token, login
from tests.fixtures.surveys import sample_definition

HUGE = "9" * 20  # past 2**63: SQLite cannot bind it, PostgreSQL overflows
HUGE_ARGS = {"page": str(10 ** 30), "community": HUGE, "building": HUGE, "department": HUGE,
             "after": f"{HUGE}~{HUGE}~a~b", "before": f"{HUGE}~{HUGE}~a~b", "household_id": HUGE,
             "since": HUGE, "run": HUGE, "id": HUGE}


def rules_with_int(app, method: str) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if method in rule.methods and "<int:" in rule.rule:
            urls.append(re.sub(r"<int:[a-z_]+>", HUGE, rule.rule))
    return sorted(set(re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "x", url) for url in urls))


NOT_READY_BY_DESIGN = {"/readyz"}  # 503 until the process is warm (and asking starts a warm-up): not a crash


def get_rules(app) -> list[str]:
    return sorted({re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "1", rule.rule) for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.rule.startswith("/static")
                   and rule.rule not in NOT_READY_BY_DESIGN})


def test_every_int_route_answers_404_for_a_huge_id(client, app, staff_user):
    login(client, staff_user("admin"))
    token = csrf_token(client, "/console/")
    gets, posts = rules_with_int(app, "GET"), rules_with_int(app, "POST")
    assert "/console/complaints/" + HUGE in gets and "/h5/surveys/" + HUGE in gets and len(posts) > 10
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        # 405: a GET-only rule of a string converter matches the path
        assert client.post(url, data={"csrf_token": token}).status_code in (404, 405), url


def test_every_get_route_survives_huge_query_numbers(client, app, staff_user):
    login(client, staff_user("admin"))
    for url in get_rules(app):
        resp = client.get(url, query_string=HUGE_ARGS)
        assert resp.status_code < 500, (url, resp.status_code)


@pytest.mark.parametrize("query", [{"page": str(10 ** 30)}, {"page": "²"}, {"community": HUGE},
                                   {"department": "①"}])
def test_complaint_queue_page_and_filters(client, staff_user, query):
    login(client, staff_user("admin"))
    assert client.get("/console/complaints/", query_string=query).status_code == 400


def test_household_cursor_with_huge_numbers_is_400(client, staff_user):
    login(client, staff_user("admin"))
    assert client.get("/console/households", query_string={"after": f"{HUGE}~1~a~b"}).status_code == 400
    assert client.get("/console/households", query_string={"community": HUGE}).status_code == 400


def test_open311_dates_out_of_range_are_400(make_app):
    client = make_app({"complaints": {"open311_api_keys": ["k-open311-test-key"]}}).test_client()
    for query in ({"end_date": "0001-01-01"}, {"start_date": "9999-12-31T23:59:59", "end_date": "0001-01-01"},
                  {"end_date": "0001-01-01T00:00:00+14:00"},
                  {"start_date": "2026-01-01T00:00:00Z", "end_date": "9999-12-31T23:59:59-14:00"}):
        resp = client.get("/open311/v2/requests.json", query_string=query,
                          headers={"X-Api-Key": "k-open311-test-key"})
        assert resp.status_code == 400, (query, resp.status_code)
    for query in ({"start_date": "0001-01-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"},
                  {"start_date": "2026-01-01T00:00:00Z", "end_date": "9999-12-31T09:59:59Z"}):
        resp = client.get("/open311/v2/requests.json", query_string=query,
                          headers={"X-Api-Key": "k-open311-test-key"})
        assert resp.status_code == 200, (query, resp.status_code)


# ------------------------------------------------------------- item 12: redirects
EVIL = ["https://evil.example/", "//evil.example/x", "/\\evil.example/x", "\\\\evil.example", "/\t/evil.example",
        "https:evil.example", " //evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", EVIL)
def test_bulk_dispatch_does_not_follow_an_outside_next(client, staff_user, target):
    login(client, staff_user("admin"))
    resp = client.post("/console/complaints/bulk-dispatch",
                       data={"csrf_token": csrf_token(client, "/console/"), "next": target})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/console/complaints/", resp.headers["Location"]


def test_bulk_dispatch_follows_a_local_next(client, staff_user):
    login(client, staff_user("admin"))
    resp = client.post("/console/complaints/bulk-dispatch",
                       data={"csrf_token": csrf_token(client, "/console/"),
                             "next": "/console/complaints/?state=submitted"})
    assert resp.headers["Location"] == "/console/complaints/?state=submitted"


@pytest.mark.parametrize("target", EVIL)
def test_login_does_not_follow_an_outside_next(client, staff_user, target):
    worker = staff_user("worker")
    resp = client.post("/console/login", query_string={"next": target},
                       data={"csrf_token": csrf_token(client), "username": worker.username,
                             "password": worker.password})
    assert resp.headers["Location"] == "/console/", resp.headers["Location"]


@pytest.mark.parametrize("number", [HUGE, "²", "①"])
def test_numbers_in_console_forms_never_500(client, staff_user, number):
    login(client, staff_user("admin"))
    token = csrf_token(client, "/console/")
    posts = {"/console/staff": {"username": "probe1", "role": "worker", "password": "long-enough-1",
                                "communities": number, "department": number},
             "/console/complaints/new": {"community_id": number, "category": "x", "description": "d"},
             "/console/faq/new": {"question": "问题", "answer": "回答", "article_id": number},
             "/console/faq/articles/new": {"title": "标题", "body": "正文", "sort_key": number}}
    for url, data in posts.items():
        resp = client.post(url, data={"csrf_token": token, **data})
        assert resp.status_code < 500, (url, resp.status_code)


def test_survey_publish_with_a_time_before_year_one_in_utc(client, staff_user, seed_community):
    seeded = seed_community("控制台小区")
    login(client, staff_user("admin"))
    token = csrf_token(client, "/console/surveys/templates")
    resp = client.post("/console/surveys/templates",
                       data={"csrf_token": token, "json": json.dumps(sample_definition(), ensure_ascii=False)})
    template_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    for opens in ("0001-01-01T00:00", "9999-12-31T23:59:59-14:00"):
        resp = client.post(f"/console/surveys/templates/{template_id}/publish",
                           data={"csrf_token": token, "community_id": seeded.community.id, "opens": opens})
        assert resp.status_code < 500, (opens, resp.status_code)
