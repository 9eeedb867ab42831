"""Storage backends: the local directory and S3 (against moto's server on loopback)."""
from __future__ import annotations

import boto3
import pytest

from bot import runtime
from bot.storage import STORAGES, LocalStorage, S3Storage, StorageConfigError, from_config


@pytest.fixture
def s3_storage(s3_media):
    return from_config({"media": s3_media(prefix="photos")})


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    return request.getfixturevalue("s3_storage")


def test_put_get_exists_delete(storage):
    key = "complaints/1/2-abc.jpg"
    assert not storage.exists(key)
    storage.put(key, b"\xff\xd8 jpeg bytes", content_type="image/jpeg")
    assert storage.exists(key) and storage.get(key) == b"\xff\xd8 jpeg bytes"
    storage.put(key, b"replaced")
    assert storage.get(key) == b"replaced"
    storage.delete(key)
    assert not storage.exists(key)
    with pytest.raises(KeyError):
        storage.get(key)


@pytest.mark.parametrize("key", ["../escape.jpg", "/etc/passwd", "a/../../b", ""])
def test_keys_cannot_leave_the_store(storage, key):
    with pytest.raises(ValueError):
        storage.put(key, b"x")


def test_s3_objects_live_under_the_prefix(s3_storage, moto_s3_url):
    s3_storage.put("complaints/9/x.jpg", b"data", content_type="image/jpeg")
    raw = boto3.client("s3", endpoint_url=moto_s3_url, region_name="us-east-1", aws_access_key_id="test",
                       aws_secret_access_key="test")
    head = raw.head_object(Bucket=s3_storage.bucket, Key="photos/complaints/9/x.jpg")
    assert head["ContentType"] == "image/jpeg"


def test_backend_chosen_by_config_and_wired_into_the_app(make_app, s3_media):
    assert set(STORAGES) == {"local", "s3"}
    app = make_app()
    assert isinstance(runtime.services(app).storage, LocalStorage)
    app = make_app({"media": s3_media()})
    assert isinstance(runtime.services(app).storage, S3Storage)
    with pytest.raises(StorageConfigError):
        from_config({"media": {"backend": "ftp"}})
