"""Every registered question type is drawn on every page: chat, H5, the console's paper entry,
the printed ballot and the figures.  A type registered without its templates stops the app."""
import re

import pytest

from bot import question_ui
from surveys import questions
from surveys.questions.base import PLACES, QuestionType
from tests.fixtures.console import login
from tests.fixtures.surveys import sample_definition


def every_type() -> dict:
    """One optional question of each answerable type (its own example), after a section note."""
    qs = [{"code": "intro", "type": "note", "title": "以下每种题型各一道。"}]
    for n, (name, kind) in enumerate(sorted(questions.REGISTRY.items())):
        if kind.answerable:
            qs.append({**kind.example(f"q{n}"), "required": False})
    return sample_definition(code="every-type", phase="plan_opinion", gate=None, questions=qs)


def answerable(d: dict) -> list[dict]:
    return [q for q in d["questions"] if questions.get(q["type"]).answerable]


def has_input(html: str, code: str) -> bool:
    """An input, textarea or select posting this question's value (``code`` or ``code.<part>``)."""
    return re.search(rf'<(input|textarea|select)\b[^>]*\bname="{re.escape(code)}[".]', html) is not None


@pytest.fixture
def every_run(seed_community, publish_run):
    seeded = seed_community("题型小区")
    d = every_type()
    return seeded, publish_run(seeded.community, definition=d), d


def test_every_type_is_asked_in_chat(wechat, seed_community, bind_resident, every_run):
    from PIL import Image

    def png():  # a whole image: survey photos are decoded and re-encoded (issue 17 item 8)
        out = io.BytesIO()
        Image.new("RGB", (20, 20), "white").save(out, "PNG")
        out.seek(0)
        return out

    seeded, run, d = every_run
    bind_resident(seeded.households[0], "o-types")
    reply = wechat.text("o-types", "调查")[1]["Content"]
    for number, q in enumerate(answerable(d), start=1):
        assert f"第{number}题：{q['title']}" in reply, (q["type"], reply)
        answered = wechat.text("o-types", "1")[1]["Content"]
        reply = answered if f"第{number}题" not in answered else wechat.text("o-types", "跳过")[1]["Content"]
    assert "提交" in reply  # the confirmation after the last question


def test_every_type_has_an_input_on_h5(app, client, bind_resident, every_run, clock):
    from tests.bot.test_survey_h5 import link_for

    from PIL import Image

    def png():  # a whole image: survey photos are decoded and re-encoded (issue 17 item 8)
        out = io.BytesIO()
        Image.new("RGB", (20, 20), "white").save(out, "PNG")
        out.seek(0)
        return out

    seeded, run, d = every_run
    url, _ = link_for(app, bind_resident(seeded.households[0], "o-h5"), run, clock)
    html = client.get(url).get_data(as_text=True)
    for q in answerable(d):
        fieldset = re.search(rf'<fieldset[^>]*id="q-{q["code"]}".*?</fieldset>', html, re.S)
        assert fieldset and has_input(fieldset.group(0), q["code"]), q["type"]
        assert f'data-value="{questions.get(q["type"]).form_value}"' in fieldset.group(0)


def test_every_type_on_paper_entry_print_and_figures(client, staff_user, every_run):
    from PIL import Image

    def png():  # a whole image: survey photos are decoded and re-encoded (issue 17 item 8)
        out = io.BytesIO()
        Image.new("RGB", (20, 20), "white").save(out, "PNG")
        out.seek(0)
        return out

    seeded, run, d = every_run
    login(client, staff_user("worker", communities=["题型小区"]))
    entry = client.get(f"/console/surveys/runs/{run.id}/paper").get_data(as_text=True)
    printed = client.get(f"/console/surveys/runs/{run.id}/ballots/print?household={seeded.households[0].id}")
    printed = printed.get_data(as_text=True)
    pages = [client.get(f"/console/surveys/runs/{run.id}{tail}").get_data(as_text=True) for tail in ("", "/report")]
    for number, q in enumerate(answerable(d), start=1):
        assert has_input(entry, q["code"]), q["type"]
        after_title = printed.split(f"{number}. {q['title']}", 1)[1].split("</p>", 1)[1]
        drawn = after_title.split('<div class="paper-q">', 1)[0].split('class="signature"', 1)[0]
        assert re.sub(r"\s", "", drawn).removesuffix("</div>"), q["type"]  # boxes, lines or a hint
        for page in pages:
            section = page.split(f"<h2>{q['title']}</h2>", 1)[1].split("</section>", 1)[0]
            assert "作答 0 户" in section, q["type"]


def test_a_type_without_its_templates_stops_the_app(make_app, monkeypatch):
    class Stars(QuestionType):
        name, label = "stars", "星级"

    monkeypatch.setitem(questions.REGISTRY, "stars", Stars())
    with pytest.raises(RuntimeError, match="stars: surveys/widgets/stars.html"):
        make_app()


def test_every_registered_type_names_its_templates(app):
    assert question_ui.missing_templates(app.jinja_env) == []
    for kind in questions.REGISTRY.values():
        assert kind.templates() == ([f"surveys/{p}/{kind.name}.html" for p in PLACES] if kind.answerable else [])


def test_each_type_reads_its_own_form_value_on_h5(app, client, db_session, bind_resident, every_run, clock):
    import io

    from sqlmodel import select

    from models.surveys import Ballot
    from tests.bot.test_survey_h5 import csrf, link_for

    from PIL import Image

    def png():  # a whole image: survey photos are decoded and re-encoded (issue 17 item 8)
        out = io.BytesIO()
        Image.new("RGB", (20, 20), "white").save(out, "PNG")
        out.seek(0)
        return out

    seeded, run, d = every_run
    url, token = link_for(app, bind_resident(seeded.households[0], "o-h5"), run, clock)
    code = {q["type"]: q["code"] for q in answerable(d)}
    form = {"csrf_token": csrf(client.get(url).get_data(as_text=True)), "t": token,
            code["multiple"]: ["a", "c"], f"{code['ranking']}.b": "1", f"{code['ranking']}.a": "1",
            f"{code['grid']}.r2": "b", code["short_text"]: "  楼道灯  ", code["date"]: "2026-05-01",
            code["photo"]: (png(), "a.png", "image/png")}
    same_place = client.post(f"/h5/surveys/{run.id}", data=form, content_type="multipart/form-data")
    assert same_place.status_code == 400 and "名次不能重复" in same_place.get_data(as_text=True)
    form.update({f"{code['ranking']}.a": "2", "csrf_token": csrf(client.get(url).get_data(as_text=True)),
                 code["photo"]: (png(), "a.png", "image/png")})
    assert client.post(f"/h5/surveys/{run.id}", data=form, content_type="multipart/form-data").status_code == 200
    answers = db_session.exec(select(Ballot)).one().answers
    assert answers[code["multiple"]] == ["a", "c"] and answers[code["ranking"]] == ["b", "a"]
    assert answers[code["grid"]] == {"r2": "b"} and answers[code["short_text"]] == "楼道灯"
    assert answers[code["date"]] == "2026-05-01" and answers[code["photo"]][0].startswith(f"surveys/{run.id}/")
    db_session.rollback()


def test_the_editor_offers_what_each_type_says(client, staff_user, every_run):
    _, run, d = every_run
    login(client, staff_user("admin"))
    page = client.get(f"/console/surveys/templates/{run.template_id}").get_data(as_text=True)
    names = {"options": 'name="options"', "rows": 'name="rows"', "choices": 'name="min_choices"',
             "range": 'name="min"'}
    for q in d["questions"]:
        form = re.search(rf'<form[^>]*action="[^"]*/questions/{q["code"]}[^"]*".*?</form>', page, re.S)
        assert form, q["code"]
        offered = {field for field, name in names.items() if name in form.group(0)}
        assert offered == set(questions.get(q["type"]).editor_fields), q["type"]


def test_the_previews_draw_every_type_as_residents_see_it(client, staff_user, every_run):
    _, run, d = every_run
    login(client, staff_user("admin"))
    chat = client.get(f"/console/surveys/templates/{run.template_id}/preview").get_data(as_text=True)
    h5 = client.get(f"/console/surveys/templates/{run.template_id}/preview/h5").get_data(as_text=True)
    for q in answerable(d):
        hint = questions.get(q["type"]).hint_for(q)  # the grid's example has one number per row, as in chat
        assert q["title"] in chat and hint in chat, q["type"]
        assert has_input(h5, q["code"]), q["type"]
