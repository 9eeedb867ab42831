"""Issue 17 item 10: production refuses a weak session key, published secrets and demo data."""
from __future__ import annotations

import secrets

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from bot import PROJECT_ROOT, config
from models import StaffUser

GOOD = {"app": {"env": "production", "secret_key": "Vq3-long-random-session-key-8Hk2-x7Pq"},
        "wechat": {"app_secret": "0123456789abcdef0123456789abcdef", "token": "RealToken7Hq2Ld9Xc"}}


def load(app: dict | None = None, wechat: dict | None = None) -> dict:
    overrides = {"app": {**GOOD["app"], **(app or {})}, "wechat": {**GOOD["wechat"], **(wechat or {})}}
    return config.load(PROJECT_ROOT / "config.toml", overrides=overrides, environ={})


def test_a_strong_production_configuration_starts():
    assert load()["app"]["env"] == "production"
    for _ in range(20):
        load(app={"secret_key": secrets.token_urlsafe(32)})


@pytest.mark.parametrize("key", ["a", "x7" * 8, "a" * 40, "abcd" * 8, "0123456789" * 4,
                                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabcdefgh"])
def test_weak_secret_key_refused_in_production(key):
    with pytest.raises(config.ConfigError, match="app.secret_key"):
        load(app={"secret_key": key})


def test_weak_secret_key_still_fine_in_development():
    assert load(app={"env": "development", "secret_key": "a"})["app"]["secret_key"] == "a"


@pytest.mark.parametrize("section,key,value", [
    ("wechat", "token", "OldCommunityToken2024"),  # committed in config.toml
    ("wechat", "encoding_aes_key", "LaoJiuXiaoQuGaiZaoTestEncodingAESKey2024abc"),  # the WeChat notes' test key
])
def test_secrets_published_in_the_repository_refused_in_production(section, key, value):
    with pytest.raises(config.ConfigError, match="published in the repository"):
        load(**{section: {key: value}})


def test_init_db_demo_refused_in_production(make_app, db_session):
    app = make_app(GOOD)
    result = app.test_cli_runner().invoke(args=["init-db", "--demo"])
    assert result.exit_code != 0
    assert "refused in production" in result.output
    assert db_session.exec(select(StaffUser)).all() == []
    assert "alembic_version" not in inspect(db_session.get_bind()).get_table_names()  # not even the schema
