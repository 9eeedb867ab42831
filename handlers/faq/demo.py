"""Demo FAQ and policy articles (sample text for a community to adapt); loading twice changes nothing."""
from __future__ import annotations

from sqlmodel import Session, select

from handlers.faq import service, transfer
from handlers.faq.text import DATA_DIR
from models import FaqEntry, PolicyArticle

SAMPLE_FAQ = DATA_DIR / "faq_sample.csv"

ARTICLES = (
    {"title": "老旧小区改造政策问答（示例）", "summary": "改造什么、钱从哪来、居民怎么参与，一文读懂。",
     "body": "一、改造内容分为基础类、完善类、提升类三类……\n二、资金由政府支持、居民合理共担……\n"
             "三、改造前后实行“三个80%”：意愿、方案、满意度均需80%以上户数支持。\n"
             "（示例内容，请按本地政策修改）", "sort_key": 1},
    {"title": "既有住宅加装电梯办事指南（示例）", "summary": "条件、表决比例、费用分摊、补贴申请和办理流程。",
     "body": "一、适用范围：四层及以上无电梯的既有多层住宅。\n二、表决：本单元业主“双三分之二”参与、“双四分之三”同意。\n"
             "三、费用：扣除补贴后按楼层分摊。\n四、流程：表决→设计公示→联合审查→施工→验收→申请补贴。\n"
             "（示例内容，请按本地政策修改）", "sort_key": 2},
)


def load(*, session: Session) -> list[str]:
    if session.exec(select(FaqEntry.id).limit(1)).first() is not None:
        return ["政策问答已有内容，未加载示例"]  # never overwrite a community's own edits
    result = transfer.import_file(SAMPLE_FAQ, actor=transfer.SAMPLE_ACTOR, session=session, use_ids=False)
    if not result.ok:  # the shipped sample is broken: say so, load nothing
        return [f"示例问答未导入：第{row}行 {msg}" for row, msg in result.errors[:5]]
    for values in ARTICLES:
        found = session.exec(select(PolicyArticle).where(PolicyArticle.title == values["title"])).first()
        if found is None:
            service.save_article(dict(values), actor="demo", session=session)
    return [f"示例政策问答：{result.created} 条，政策文章 {len(ARTICLES)} 篇"]
