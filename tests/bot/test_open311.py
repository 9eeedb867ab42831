"""Open311 GeoReport v2: read-only, API key, no personal data."""
from __future__ import annotations

import pytest

from tests.fixtures.complaints import WORKER

KEY = "city-key-1"


@pytest.fixture
def app(make_app):
    return make_app({"complaints": {"open311_api_keys": [KEY]}})


def test_key_required(client):
    for path in ("/open311/v2/services.json", "/open311/v2/requests.json"):
        assert client.get(path).status_code == 403
        assert client.get(path, query_string={"api_key": "wrong"}).status_code == 403
        assert client.get(path, query_string={"api_key": KEY}).status_code == 200


def test_services_and_requests_without_personal_data(client, make_complaint, department, db_session):
    department()
    c = make_complaint(lat=38.04, lng=114.51, description="楼道堆满杂物，电话13812345678",
                       steps=[("dispatch", WORKER, {})])
    hidden = make_complaint(openid="oOther")
    hidden.hidden = True
    db_session.commit()
    services = client.get("/open311/v2/services.json", query_string={"api_key": KEY}).get_json()
    assert {"service_code": "environment", "service_name": "环境卫生"}.items() <= services[2].items()
    listed = client.get("/open311/v2/requests.json", query_string={"api_key": KEY}).get_json()
    assert [r["service_request_id"] for r in listed] == [c.ticket]
    one = client.get(f"/open311/v2/requests/{c.ticket}.json", query_string={"api_key": KEY}).get_json()[0]
    assert one["status"] == "open" and one["agency_responsible"] == "物业公司" and one["lat"] == 38.04
    assert "13812345678" not in str(one) and "138****5678" in one["description"] and one["media_url"] == ""
    assert client.get(f"/open311/v2/requests/{hidden.ticket}.json",
                      query_string={"api_key": KEY}).status_code == 404
    closed = client.get("/open311/v2/requests.json", query_string={"api_key": KEY, "status": "closed"}).get_json()
    assert closed == []
    bad = client.get("/open311/v2/requests.json", query_string={"api_key": KEY, "start_date": "yesterday"})
    assert bad.status_code == 400


def test_only_accepted_complaints_with_rounded_coordinates(client, make_complaint, department):
    """Issue 17 item 7: not those awaiting review, rejected or duplicate; about 100 m, not 1 cm."""
    department()
    accepted = make_complaint(lat=38.0418056, lng=114.5041667, description="电话 +86 139-1234-5678",
                              steps=[("accept", WORKER, {})])
    waiting = make_complaint(openid="o2", lat=38.0418056, lng=114.5041667)
    asked = make_complaint(openid="o3", steps=[("request_info", WORKER, {"note": "请补充楼栋"})])
    rejected = make_complaint(openid="o4", steps=[("reject", WORKER, {"reason": "invalid", "note": "无效"})])
    duplicate = make_complaint(openid="o5", steps=[("mark_duplicate", WORKER, {"original_id": accepted.id})])
    withdrawn = make_complaint(openid="o6", steps=[("request_info", WORKER, {"note": "请补充"}),
                                                   ("close", WORKER, {"reason": "no_response"})])
    listed = client.get("/open311/v2/requests.json", query_string={"api_key": KEY}).get_json()
    assert [r["service_request_id"] for r in listed] == [accepted.ticket]
    assert (listed[0]["lat"], listed[0]["long"]) == (38.042, 114.504)
    assert "139****5678" in listed[0]["description"] and "1234-5678" not in listed[0]["description"]
    for c in (waiting, asked, rejected, duplicate, withdrawn):
        assert client.get(f"/open311/v2/requests/{c.ticket}.json",
                          query_string={"api_key": KEY}).status_code == 404, c.state
    by_id = client.get("/open311/v2/requests.json", query_string={
        "api_key": KEY, "service_request_id": ",".join(c.ticket for c in (accepted, waiting, rejected))}).get_json()
    assert [r["service_request_id"] for r in by_id] == [accepted.ticket]


def test_nul_in_codes_and_tickets_is_not_a_500(client):
    """PostgreSQL refuses NUL in text: service_code=%00 was a 500 there (found by bench/fuzz)."""
    for query in ({"service_code": "\x00"}, {"service_request_id": "SP\x00,\x00"}):
        assert client.get("/open311/v2/requests.json", query_string={"api_key": KEY, **query}).get_json() == []
    assert client.get("/open311/v2/requests/SP%00.json", query_string={"api_key": KEY}).status_code == 404
