"""The same open question asked again is one row with its askers, also when two residents ask
at the same moment (on PostgreSQL the second insert meets the unique open key)."""
from __future__ import annotations

import threading
import time

from sqlmodel import Session, select

from handlers.faq import followup
from models import UnansweredAsker, UnansweredQuestion
from models.base import utcnow


def test_normalised_text_is_what_makes_the_same_question():
    same = ["快递柜能多装几个吗？", "快递柜，能多装几个", "快递柜能多装几个呀!!", "ＡＢ快递柜能多装几个吗", "ab 快递柜能多装几个"]
    assert followup.normalized(same[0]) == followup.normalized(same[1]) == followup.normalized(same[2])
    assert followup.normalized(same[3]) == followup.normalized(same[4])
    assert followup.open_key(1, same[0]) != followup.open_key(2, same[0])  # another community: another row


def test_two_residents_asking_at_once_make_one_row(app):
    engine = app.extensions["linli.engine"]
    text = "小区的快递柜能不能多装几个"
    first = Session(engine)
    followup.log_asked(text, openid="oRaceFirst", community_id=None, candidates=[], now=utcnow(), session=first)
    errors = []

    def second():
        try:
            with Session(engine) as other:
                followup.log_asked(text + "？", openid="oRaceSecond", community_id=None, candidates=[], now=utcnow(),
                                   session=other)
                other.commit()
        except Exception as exc:  # reported below: the test must see it, not the thread
            errors.append(exc)

    worker = threading.Thread(target=second)
    worker.start()
    time.sleep(0.5)  # the second resident's transaction now waits on the first (lock or unique key)
    first.commit()
    first.close()
    worker.join(30)
    assert not errors and not worker.is_alive()
    with Session(engine) as check:
        [row] = check.exec(select(UnansweredQuestion)).all()
        askers = check.exec(select(UnansweredAsker.openid).where(UnansweredAsker.question_id == row.id)).all()
    assert sorted(askers) == ["oRaceFirst", "oRaceSecond"]
