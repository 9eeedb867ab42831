"""``flask survey ...`` commands as operators run them."""
import json
from datetime import datetime, timezone

from surveys import ballots
from surveys.samples import sample_files
from tests.fixtures.surveys import sample_definition


def test_import_list_export_publish_stats(runner, db_session, seed_community, bind_resident, clock, tmp_path, render):
    seeded = seed_community("CLI小区")
    source = tmp_path / "t.json"
    source.write_text(json.dumps(sample_definition(), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["survey", "import", str(source)])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(args=["survey", "templates", "--json"]).output)
    assert listed[0]["code"] == "test-willingness" and listed[0]["versions"] == []
    template_id = listed[0]["id"]

    out = tmp_path / "out.json"
    assert runner.invoke(args=["survey", "export", str(template_id), str(out)]).exit_code == 0
    assert json.loads(out.read_text())["questions"][1]["code"] == "agree"

    result = runner.invoke(args=["survey", "publish", str(template_id), "--community", "CLI小区",
                                 "--closes", "2027-01-01T00:00"])
    assert result.exit_code == 0, result.output
    run_id = int(result.output.strip())
    resident = bind_resident(seeded.households[0], "o-cli")
    ballots.cast_by_resident(run_id, resident.id, {"agree": "yes"}, channel="wechat", session=db_session,
                             now=datetime.fromtimestamp(clock.now, timezone.utc), render=render)
    db_session.commit()

    figures = json.loads(runner.invoke(args=["survey", "stats", str(run_id), "--json"]).output)
    assert {k: figures[k] for k in ("eligible_households", "ballots", "gate_yes", "threshold", "passed")} == \
        {"eligible_households": 9, "ballots": 1, "gate_yes": 1, "threshold": 0.8, "passed": False}
    assert figures["gate_rate"] == round(1 / 9, 4)
    listed = json.loads(runner.invoke(args=["survey", "templates", "--json"]).output)
    assert listed[0]["versions"][0]["ballots"] == 1


def test_failures_exit_non_zero_and_write_nothing(runner, tmp_path, seed_community):
    seed_community("CLI小区")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sample_definition(phase="nope")), encoding="utf-8")
    result = runner.invoke(args=["survey", "import", str(bad)])
    assert result.exit_code != 0 and "phase" in result.output
    assert json.loads(runner.invoke(args=["survey", "templates", "--json"]).output) == []
    assert runner.invoke(args=["survey", "publish", "99", "--community", "CLI小区"]).exit_code != 0
    assert runner.invoke(args=["survey", "publish", "1", "--community", "无此小区"]).exit_code != 0
    assert runner.invoke(args=["survey", "stats", "42", "--json"]).exit_code != 0


def test_sample_templates_import(runner):
    for path in sample_files():
        result = runner.invoke(args=["survey", "import", str(path)])
        assert result.exit_code == 0, result.output
    phases = {t["phase"] for t in json.loads(runner.invoke(args=["survey", "templates", "--json"]).output)}
    assert phases == {"willingness", "plan_opinion", "plan_vote", "satisfaction"}


def test_publish_warns_on_stderr_when_an_earlier_gate_has_not_passed(runner, seed_community, tmp_path):
    seed_community("次序小区")
    source = tmp_path / "s.json"
    source.write_text(json.dumps(sample_definition(code="test-satisfaction", phase="satisfaction", gate=None),
                                 ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(args=["survey", "import", str(source)]).exit_code == 0
    result = runner.invoke(args=["survey", "publish", "1", "--community", "次序小区"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().isdigit()  # scripts read the run id from stdout, as before
    assert "注意：本小区还没有进行过“改造意愿”调查" in result.stderr
