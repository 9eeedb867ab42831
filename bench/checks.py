"""After a load or fault run: nothing acknowledged lost, nothing duplicated, every notice delivered."""
from __future__ import annotations

import time
from collections import Counter

from bench.loadgen import Stats
from bench.stack import Stack


def wait_settled(stack: Stack, limit_s: float) -> dict:
    """Until drafts are submitted, photos fetched and the outbox is empty (or ``limit_s`` passes)."""
    deadline = time.monotonic() + limit_s
    while True:
        left = pending_work(stack)
        if not any(left.values()) or time.monotonic() > deadline:
            left["settled_after_s"] = round(limit_s - (deadline - time.monotonic()), 1)
            return left
        time.sleep(2)


def pending_work(stack: Stack) -> dict:
    one = lambda q: stack.sql(q)[0][0]  # noqa: E731
    return {"drafts": one("SELECT count(*) FROM complaint WHERE state = 'draft'"),
            "photos_pending": one("SELECT count(*) FROM complaint_photo WHERE status = 'pending'"),
            "outbox_unsent": one("SELECT count(*) FROM outbound_message WHERE status <> 'sent'")}


def verify(stack: Stack, stats: Stats, run_id: int) -> dict:
    inbound = Counter(key for (key,) in stack.sql("SELECT dedup_key FROM inbound_message"))
    acked = stats.acked
    lost = [key for key in acked if inbound[key] == 0]
    inbound_dups = [key for key, n in inbound.items() if n > 1]

    photo_rows = Counter((openid, media) for openid, media in stack.sql(
        "SELECT c.openid, p.media_id FROM complaint_photo p JOIN complaint c ON c.id = p.complaint_id"))
    complaints_per_openid = Counter(openid for (openid,) in stack.sql(
        "SELECT openid FROM complaint WHERE openid LIKE 'oLoadPic%%'"))
    photos = [m for m in acked.values() if m.kind == "photo"]
    photos_lost = [m.dedup_key for m in photos if photo_rows[(m.openid, m.media_id)] == 0]
    photos_dup = [m.dedup_key for m in photos if photo_rows[(m.openid, m.media_id)] > 1]
    complaints_dup = [o for o, n in complaints_per_openid.items() if n > 1]
    complaints_lost = [m.openid for m in photos if complaints_per_openid[m.openid] == 0]

    ballots = stack.sql("SELECT r.openid FROM ballot b JOIN binding bd ON bd.household_id = b.household_id "
                        "JOIN resident r ON r.id = bd.resident_id WHERE b.run_id = %s", (run_id,))
    ballot_openids = Counter(o for (o,) in ballots)
    ballots_dup = stack.sql("SELECT household_id FROM ballot WHERE run_id = %s GROUP BY household_id "
                            "HAVING count(*) > 1", (run_id,))
    ballots_lost = sorted(stats.walkers_done - set(ballot_openids))
    ballots_unexplained = sorted(set(ballot_openids) - stats.walkers_done - stats.walkers_unknown)
    incomplete = stack.sql("SELECT count(*) FROM ballot WHERE run_id = %s AND NOT (answers::jsonb ? 'agree')",
                           (run_id,))[0][0]

    outbox = dict(stack.sql("SELECT status, count(*) FROM outbound_message GROUP BY status"))
    rows = Counter(o for (o,) in stack.sql("SELECT openid FROM outbound_message WHERE status = 'sent'"))
    calls = stack.fake_calls()
    delivered = Counter(c.get("touser") for c in calls
                        if c["path"] in ("cgi-bin/message/custom/send", "cgi-bin/message/template/send")
                        and c.get("errcode") == 0 and c.get("http_status") == 200)
    undelivered = sum(max(0, n - delivered[o]) for o, n in rows.items())
    delivered_twice = sum(max(0, delivered[o] - n) for o, n in rows.items())
    return {
        "acknowledged": len(acked), "never_acknowledged": len(stats.unacked),
        "acknowledged_lost": len(lost), "inbound_duplicates": len(inbound_dups),
        "handler_failures": stack.sql("SELECT count(*) FROM inbound_message WHERE status = 'failed'")[0][0],
        "photos_acknowledged": len(photos), "photos_lost": len(photos_lost), "photos_duplicated": len(photos_dup),
        "complaints_lost": len(complaints_lost), "complaints_duplicated": len(complaints_dup),
        "complaints_by_state": dict(stack.sql("SELECT state, count(*) FROM complaint GROUP BY state")),
        "walkers_submitted": len(stats.walkers_done), "walkers_unknown": len(stats.walkers_unknown),
        "ballots": sum(ballot_openids.values()), "ballots_lost": len(ballots_lost),
        "ballots_duplicated": len(ballots_dup), "ballots_unexplained": len(ballots_unexplained),
        "ballots_incomplete": incomplete,
        "retry_answer_mismatch": len(stats.retry_mismatch), "retry_mismatch_examples": stats.retry_mismatch[:3],
        "outbox": outbox, "outbox_sent_not_seen_by_api": undelivered, "outbox_delivered_twice": delivered_twice,
        "examples_lost": lost[:5],
    }


def problems(result: dict) -> list[str]:
    """The invariants that failed, by name (empty: all good)."""
    keys = ["acknowledged_lost", "inbound_duplicates", "photos_lost", "photos_duplicated", "complaints_lost",
            "complaints_duplicated", "ballots_lost", "ballots_duplicated", "ballots_unexplained",
            "ballots_incomplete", "retry_answer_mismatch", "outbox_sent_not_seen_by_api"]
    found = [f"{k}={result[k]}" for k in keys if result[k]]
    unsent = {k: v for k, v in result["outbox"].items() if k != "sent"}
    if unsent:
        found.append(f"outbox not delivered: {unsent}")
    return found
