"""Ask a FAQ set's questions through the real ``/wechat`` endpoint, as a city would meet them.

    .venv/bin/python bench/faq/wechat_run.py bench/faq/sets/NAME      # demo data, then `faq import`, then ask
    .venv/bin/python bench/faq/wechat_run.py DIR --json bench/results/faq-wechat-NAME.json

A fresh SQLite instance is initialised with the demo (`init-db --demo`, as
`scripts/run` does), the set's ``faq.csv`` imported with `faq import` (which
retires the untouched sample entries), and each question posted to ``/wechat``
as a signed message from its own resident: every fifth as a voice message with
WeChat's ``Recognition`` text.  The reply is read as a resident reads it: the
answer of an entry, numbered choices, "no match", or small talk.  The models
and bank are the shipped ones (``handlers/faq/data``): fitted on every
development FAQ, the set's own included unless it is a held-out set.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faq import sets as faq_sets  # noqa: E402
from bench.faq.run import expected_ids  # noqa: E402
from bot import PROJECT_ROOT, create_app  # noqa: E402
from bot.devtools.transport import in_process  # noqa: E402
from bot.devtools.wechat_client import SimulatedWeChat  # noqa: E402

CHOICE = re.compile(r"^\d+\. (.+)$", re.M)


def fresh_app(workdir: Path):
    """A new SQLite instance in ``workdir`` with the demo loaded, as `scripts/run` starts."""
    app = create_app({"config_path": str(PROJECT_ROOT / "config.toml"), "app": {"env": "testing"},
                      "database": {"url": f"sqlite:///{workdir / 'linli.db'}"},
                      "media": {"dir": str(workdir / "media")}})
    run_cli(app, ["init-db", "--demo"])
    return app


def run_cli(app, args: list[str]):
    """One `flask --app bot` command; stops the bench with its output when it fails."""
    result = app.test_cli_runner().invoke(args=args)
    if result.exit_code:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.output}")
    return result


def simulated(app) -> SimulatedWeChat:
    """WeChat's servers posting signed messages to the app's ``/wechat``, in process."""
    cfg = app.config["LINLI"]["wechat"]
    return SimulatedWeChat(transport=in_process(app), token=cfg["token"], app_id=cfg["app_id"],
                           account=cfg["account_id"])


def read_reply(text: str, docs) -> tuple[str, list[int]]:
    """(kind, entry ids) of a reply as the resident reads it."""
    if text.startswith("您是想问"):
        by_question = {d.question: d.entry_id for d in docs}
        return "choices", [by_question.get(q.strip(), -1) for q in CHOICE.findall(text)]
    if "答不上来" in text:
        return "none", []
    for d in docs:
        if text.startswith(d.answer[:60]):
            return "answer", [d.entry_id]
    return "smalltalk", []


def ask_all(folder: Path) -> dict:
    docs = faq_sets.read_faq(folder / "faq.csv")
    rows = [q for f in sorted(folder.glob("queries*.csv")) for q in faq_sets.read_questions(f, f.stem)]
    c = dict(inscope=0, direct=0, wrong=0, offered=0, missed=0, oos=0, oos_none=0, none=0, chat=0, chat_right=0,
             voice=0, seconds=0.0)
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(Path(tmp))
        run_cli(app, ["faq", "import", str(folder / "faq.csv")])
        wechat = simulated(app)
        for n, row in enumerate(rows):
            openid = f"o_bench_{n:04d}"
            started = time.perf_counter()
            if n % 5 == 4:
                c["voice"] += 1
                status, reply = wechat.send_fields(openid, "voice", {"MediaId": f"m{n}", "Format": "amr",
                                                                     "Recognition": row["query"]})
            else:
                status, reply = wechat.send_fields(openid, "text", {"Content": row["query"]})
            c["seconds"] += time.perf_counter() - started
            kind, ids = read_reply(reply.get("Content", "") if isinstance(reply, dict) else "", docs)
            tally(c, row, kind, ids)
    return c


def tally(c: dict, row: dict, kind: str, ids: list[int]) -> None:
    c["none"] += kind == "none"
    if row["expected"] == "chat":
        c["chat"] += 1
        c["chat_right"] += kind == "smalltalk"
        return
    if row["expected"] == "none":
        c["oos"] += 1
        c["oos_none"] += kind == "none"
        return
    want = expected_ids(row)
    c["inscope"] += 1
    c["direct"] += kind == "answer" and ids[0] in want
    c["wrong"] += kind == "answer" and ids[0] not in want
    c["offered"] += kind == "choices" and bool(want & set(ids))
    c["missed"] += kind in ("none", "smalltalk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    c = ask_all(args.folder)
    n = c["inscope"] or 1
    f = {"set": args.folder.name, "questions": c["inscope"] + c["oos"] + c["chat"], "voice": c["voice"],
         "in_scope": c["inscope"], "direct": round(c["direct"] / n, 3), "wrong": round(c["wrong"] / n, 3),
         "offered": round(c["offered"] / n, 3), "in_scope_no_match": c["missed"],
         "no_match_precision": round(c["oos_none"] / c["none"], 3) if c["none"] else 1.0,
         "no_match_recall": round(c["oos_none"] / c["oos"], 3) if c["oos"] else 1.0,
         "small_talk_recognised": f"{c['chat_right']}/{c['chat']}",
         "mean_ms_per_message": round(1000 * c["seconds"] / max(1, c["inscope"] + c["oos"] + c["chat"]), 1)}
    print(json.dumps(f, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d"), **f},
                                        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
