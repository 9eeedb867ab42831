"""Issue 16 item 6: a fault described in words ("楼道灯老不亮咋整") gets the FAQ's reply and a
pointer to 随手拍, through /wechat."""
from __future__ import annotations

import pytest

from bot.devtools.wechat_client import reply_text
from handlers.faq.fault import describes_fault

OPENID = "oFaqFaultResident00000000001"
HINT = "请发送“随手拍”，拍张照片反映"


@pytest.mark.parametrize("text", ["楼道灯老不亮咋整", "单元门坏了关不上怎么办", "下水道堵了找谁",
                                  "楼顶漏水了咋办", "小区路面有个大坑谁来修"])
def test_a_fault_gets_the_faq_reply_and_the_pointer_to_report_it(wechat, faq_sample, text):
    status, reply = wechat.text(OPENID, text)
    assert status == 200
    assert HINT in reply_text(reply)


@pytest.mark.parametrize("text", ["加装电梯有补贴吗", "老化的水管和下水管道会换吗", "改造要自己出钱吗"])
def test_a_policy_question_gets_no_pointer(wechat, faq_sample, text):
    status, reply = wechat.text(OPENID, text)
    assert HINT not in reply_text(reply)


def test_the_answer_itself_comes_with_the_pointer(wechat, faq_sample):
    entry = faq_sample["怎么反映小区里的问题？"]
    status, reply = wechat.text(OPENID, "楼道的灯坏了怎么反映")
    text = reply_text(reply)
    assert HINT in text and (entry.answer[:10] in text or "您是想问" in text)


def test_fault_words_need_a_facility():
    assert describes_fault("电梯老是坏") and not describes_fault("心情坏透了") and not describes_fault("楼道在哪")
