"""Storage backends: the local directory and S3 (against moto's server on loopback)."""
from __future__ import annotations

import boto3
import pytest
from moto.server import ThreadedMotoServer

from bot.storage import STORAGES, LocalStorage, S3Storage, StorageConfigError, from_config

BUCKET = "linli-media"


@pytest.fixture(scope="module")
def s3_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_url, monkeypatch):
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket=BUCKET)
    return from_config({"media": {"backend": "s3", "s3_endpoint_url": s3_url, "s3_bucket": BUCKET,
                                  "s3_region": "us-east-1", "s3_prefix": "photos", "s3_access_key_id": "test",
                                  "s3_secret_access_key": "test"}})


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


def test_s3_objects_live_under_the_prefix(s3_storage, s3_url):
    s3_storage.put("complaints/9/x.jpg", b"data", content_type="image/jpeg")
    raw = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1", aws_access_key_id="test",
                       aws_secret_access_key="test")
    head = raw.head_object(Bucket=BUCKET, Key="photos/complaints/9/x.jpg")
    assert head["ContentType"] == "image/jpeg"


def test_backend_chosen_by_config_and_wired_into_the_app(make_app, s3_url, tmp_path):
    assert set(STORAGES) == {"local", "s3"}
    app = make_app()
    assert isinstance(app.extensions["linli.services"]["storage"], LocalStorage)
    app = make_app({"media": {"backend": "s3", "s3_endpoint_url": s3_url, "s3_bucket": BUCKET,
                              "s3_region": "us-east-1", "s3_access_key_id": "k", "s3_secret_access_key": "s"}})
    assert isinstance(app.extensions["linli.services"]["storage"], S3Storage)
    with pytest.raises(StorageConfigError):
        from_config({"media": {"backend": "ftp"}})
