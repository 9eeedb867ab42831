"""The test harness itself: the database reset between tests and the Redis fixture."""
import redis
from sqlalchemy import func
from sqlmodel import Session, select

from models import Community


def test_each_test_starts_with_empty_tables(db_session):
    assert db_session.exec(select(func.count()).select_from(Community)).one() == 0
    db_session.add(Community(name="残留小区", code="T002"))
    db_session.commit()


def test_each_test_starts_with_empty_tables_again(db_session):
    assert db_session.exec(select(func.count()).select_from(Community)).one() == 0


def test_redis_url_is_a_working_empty_database(redis_url):
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.dbsize() == 0
        client.set("linli:test", "1", ex=60)
        assert client.get("linli:test") == b"1"
    finally:
        client.close()


def test_redis_database_is_emptied_between_tests(redis_url):
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.get("linli:test") is None
    finally:
        client.close()
