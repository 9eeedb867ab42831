"""The demo FAQ and articles: loaded once, never over a community's own edits."""
from sqlmodel import Session, func, select

from handlers.faq import demo
from models import FaqEntry, PolicyArticle


def test_demo_faq_loads_once(app):
    engine = app.extensions["linli.engine"]
    for _ in range(2):
        with Session(engine) as session:
            lines = demo.load(session=session)
            session.commit()
    assert "未加载示例" in lines[0]
    with Session(engine) as session:
        assert session.exec(select(func.count(FaqEntry.id))).one() >= 30
        assert session.exec(select(func.count(PolicyArticle.id))).one() == 2
        sample = session.exec(select(FaqEntry).where(FaqEntry.question == "“三个80%”是什么意思？")).one()
        assert "示例内容" in sample.answer and len(sample.alternatives) >= 2
