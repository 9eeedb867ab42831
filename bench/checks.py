"""After a load or fault run: nothing acknowledged lost, nothing duplicated, every notice delivered."""
from __future__ import annotations

import time
from collections import Counter

from bench.loadgen import Stats
from bench.stack import Stack


def wait_settled(stack: Stack, limit_s: float) -> dict:
    """Until the backlog is answered, drafts submitted, photos fetched and the outbox empty (or ``limit_s``)."""
    deadline = time.monotonic() + limit_s
    while True:
        left = pending_work(stack)
        if not any(left.values()) or time.monotonic() > deadline:
            left["settled_after_s"] = round(limit_s - (deadline - time.monotonic()), 1)
            return left
        time.sleep(2)


def unsettled(settle: dict) -> list[str]:
    """What the clock had not finished when ``wait_settled`` gave up (a problem too)."""
    return [f"{k}={v} left after {settle['settled_after_s']} s" for k, v in settle.items()
            if k != "settled_after_s" and v]


def pending_work(stack: Stack) -> dict:
    one = lambda q: stack.sql(q)[0][0]  # noqa: E731
    return {"backlog": one("SELECT count(*) FROM inbound_message WHERE status = 'queued'"),
            "drafts": one("SELECT count(*) FROM complaint WHERE state = 'draft'"),
            "photos_pending": one("SELECT count(*) FROM complaint_photo WHERE status = 'pending'"),
            "outbox_unsent": one("SELECT count(*) FROM outbound_message WHERE status <> 'sent'")}


def verify(stack: Stack, stats: Stats, run_id: int) -> dict:
    return {**inbound_checks(stack, stats), **photo_checks(stack, stats), **ballot_checks(stack, stats, run_id),
            **outbox_checks(stack), "retry_answer_mismatch": len(stats.retry_mismatch),
            "retry_mismatch_examples": stats.retry_mismatch[:3]}


def inbound_checks(stack: Stack, stats: Stats) -> dict:
    inbound = Counter(key for (key,) in stack.sql("SELECT dedup_key FROM inbound_message"))
    lost = [key for key in stats.acked if inbound[key] == 0]
    return {"acknowledged": len(stats.acked), "never_acknowledged": len(stats.unacked),
            "acknowledged_lost": len(lost), "examples_lost": lost[:5],
            "inbound_duplicates": sum(1 for n in inbound.values() if n > 1),
            "handler_failures": stack.sql("SELECT count(*) FROM inbound_message WHERE status = 'failed'")[0][0]}


def photo_checks(stack: Stack, stats: Stats) -> dict:
    """Each acknowledged photo (a new resident each) is one photo row of one complaint."""
    photo_rows = Counter(stack.sql(
        "SELECT c.openid, p.media_id FROM complaint_photo p JOIN complaint c ON c.id = p.complaint_id"))
    per_openid = Counter(o for (o,) in stack.sql("SELECT openid FROM complaint WHERE openid LIKE 'oLoadPic%%'"))
    photos = [m for m in stats.acked.values() if m.kind == "photo"]
    return {"photos_acknowledged": len(photos),
            "photos_lost": sum(1 for m in photos if photo_rows[(m.openid, m.media_id)] == 0),
            "photos_duplicated": sum(1 for m in photos if photo_rows[(m.openid, m.media_id)] > 1),
            "complaints_lost": sum(1 for m in photos if per_openid[m.openid] == 0),
            "complaints_duplicated": sum(1 for n in per_openid.values() if n > 1),
            "complaints_by_state": dict(stack.sql("SELECT state, count(*) FROM complaint GROUP BY state"))}


def ballot_checks(stack: Stack, stats: Stats, run_id: int) -> dict:
    """A resident told "提交成功" has exactly one ballot; no ballot is partial; none comes from nowhere."""
    voters = set(o for (o,) in stack.sql(
        "SELECT r.openid FROM ballot b JOIN binding bd ON bd.household_id = b.household_id "
        "JOIN resident r ON r.id = bd.resident_id WHERE b.run_id = %s", (run_id,)))
    return {"walkers_submitted": len(stats.walkers_done), "walkers_unknown": len(stats.walkers_unknown),
            "ballots": stack.sql("SELECT count(*) FROM ballot WHERE run_id = %s", (run_id,))[0][0],
            "ballots_lost": len(stats.walkers_done - voters),
            "ballots_duplicated": len(stack.sql("SELECT household_id FROM ballot WHERE run_id = %s "
                                                "GROUP BY household_id HAVING count(*) > 1", (run_id,))),
            "ballots_unexplained": len(voters - stats.walkers_done - stats.walkers_unknown),
            "ballots_incomplete": stack.sql("SELECT count(*) FROM ballot WHERE run_id = %s "
                                            "AND NOT (answers::jsonb ? 'agree')", (run_id,))[0][0]}


def outbox_checks(stack: Stack) -> dict:
    """Every row ``sent`` was accepted by the fake API at least once (its recorded calls)."""
    rows = Counter(o for (o,) in stack.sql("SELECT openid FROM outbound_message WHERE status = 'sent'"))
    delivered = Counter(c.get("touser") for c in stack.fake_calls()
                        if c["path"] in ("cgi-bin/message/custom/send", "cgi-bin/message/template/send")
                        and c.get("errcode") == 0 and c.get("http_status") == 200)
    return {"outbox": dict(stack.sql("SELECT status, count(*) FROM outbound_message GROUP BY status")),
            "outbox_sent_not_seen_by_api": sum(max(0, n - delivered[o]) for o, n in rows.items()),
            "outbox_delivered_twice": sum(max(0, delivered[o] - n) for o, n in rows.items())}


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
