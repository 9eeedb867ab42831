"""Survey and paper-ballot photos (issue 17 item 8): checked like complaint photos, cleaned, written last.

Before: the client's MIME type was trusted (an HTML page sent as image/jpeg was
stored), EXIF and GPS were kept, and files were written while the form was read,
so a refused submission left them behind.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlmodel import select

from models.surveys import Ballot
from tests.bot.test_survey_h5 import csrf, link_for
from tests.fixtures.complaints import jpeg_with_metadata
from tests.fixtures.console import csrf_token, login
from tests.fixtures.surveys import sample_definition

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PHOTO_QUESTION = {"code": "pic", "type": "photo", "title": "请拍一张楼道照片", "required": False, "max_photos": 2}


def stored_files(app) -> list[Path]:
    root = Path(app.config["LINLI"]["media"]["dir"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_clean_jpeg(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG"
        assert not im.getexif() and "comment" not in im.info  # no camera, no GPS, no comment


def photo_run(seeded, publish_run):
    d = sample_definition(questions=sample_definition()["questions"] + [PHOTO_QUESTION])
    return publish_run(seeded.community, definition=d)


def test_h5_photos_are_verified_cleaned_and_written_only_when_the_ballot_is_taken(
        app, client, db_session, seed_community, bind_resident, publish_run, clock):
    seeded = seed_community()
    run = photo_run(seeded, publish_run)
    resident = bind_resident(seeded.households[0], "o-photo")
    url, token = link_for(app, resident, run, clock)
    form = lambda **kw: {"csrf_token": csrf(client.get(url).get_data(as_text=True)), "t": token, **kw}  # noqa: E731

    fake = client.post(url.split("?")[0], data=form(agree="yes", pic=(io.BytesIO(HTML), "x.jpg", "image/jpeg")))
    assert fake.status_code == 400 and "照片无法使用" in fake.get_data(as_text=True)
    refused = client.post(url.split("?")[0], data=form(pic=(io.BytesIO(jpeg_with_metadata()), "p.jpg")))
    assert refused.status_code == 400 and "此题必答" in refused.get_data(as_text=True)  # agree missing
    too_many = client.post(url.split("?")[0], data=form(agree="yes", pic=[
        (io.BytesIO(jpeg_with_metadata()), f"p{i}.jpg") for i in range(3)]))
    assert too_many.status_code == 400 and "最多 2 张照片" in too_many.get_data(as_text=True)
    assert stored_files(app) == []  # nothing left behind by refused submissions

    done = client.post(url.split("?")[0], data=form(agree="yes", pic=(io.BytesIO(jpeg_with_metadata()), "p.png",
                                                                      "image/png")))
    assert done.status_code == 200
    ballot = db_session.exec(select(Ballot)).one()
    [key] = ballot.answers["pic"]
    assert key.endswith(".jpg") and [p.name for p in stored_files(app)] == [key.rsplit("/", 1)[1]]
    assert_clean_jpeg(stored_files(app)[0].read_bytes())
    db_session.rollback()


def test_paper_ballot_sheet_is_verified_cleaned_and_written_last(app, client, db_session, staff_user,
                                                                 seed_community, publish_run):
    seeded = seed_community("纸质小区")
    run = publish_run(seeded.community)
    login(client, staff_user("worker", communities=["纸质小区"]))
    page = f"/console/surveys/runs/{run.id}/paper"
    household = str(seeded.households[1].id)

    def post(sheet, **answers):
        return client.post(page, content_type="multipart/form-data", data={
            "csrf_token": csrf_token(client, page), "household_id": household, "sheet": sheet, **answers})

    fake = post((io.BytesIO(HTML), "sheet.jpg", "image/jpeg"), agree="yes")
    assert fake.status_code == 400 and "照片无法使用" in fake.get_data(as_text=True)
    invalid = post((io.BytesIO(jpeg_with_metadata()), "sheet.jpg"), agree="no")  # "no" needs a reason
    assert invalid.status_code == 400 and stored_files(app) == []
    assert post((io.BytesIO(jpeg_with_metadata()), "sheet.jpg"), agree="yes").status_code == 302
    ballot = db_session.exec(select(Ballot)).one()
    db_session.rollback()
    served = client.get(f"/console/surveys/ballots/{ballot.id}/sheet")
    assert served.mimetype == "image/jpeg" and len(stored_files(app)) == 1
    assert_clean_jpeg(served.data)


def test_survey_forms_refuse_a_huge_body_in_chinese(app, client, seed_community, bind_resident, publish_run, clock):
    seeded = seed_community()
    run = photo_run(seeded, publish_run)
    resident = bind_resident(seeded.households[0], "o-big")
    url, token = link_for(app, resident, run, clock)
    big = client.post(url.split("?")[0], data={"t": token, "pic": (io.BytesIO(b"\0" * (25 * 1024 * 1024)), "a.jpg")})
    assert big.status_code == 413 and "照片太大" in big.get_data(as_text=True)
    assert stored_files(app) == []
