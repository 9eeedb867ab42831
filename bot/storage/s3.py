"""S3-compatible object storage through boto3 (AWS, MinIO, Aliyun OSS's S3 API...).

Configured by ``[media] s3_endpoint_url, s3_bucket, s3_region, s3_prefix`` and
the credentials ``s3_access_key_id`` / ``s3_secret_access_key`` (best from the
environment: LINLI_MEDIA_S3_ACCESS_KEY_ID, LINLI_MEDIA_S3_SECRET_ACCESS_KEY;
empty falls back to boto3's own chain, e.g. AWS_ACCESS_KEY_ID).
"""
from __future__ import annotations

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError


class S3Storage:
    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 prefix: str = "", access_key_id: str | None = None, secret_access_key: str | None = None):
        if not bucket:
            raise RuntimeError("config: media.s3_bucket is required for the s3 backend")
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            aws_access_key_id=access_key_id or None, aws_secret_access_key=secret_access_key or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=20))

    @classmethod
    def from_config(cls, media: dict) -> "S3Storage":
        return cls(media["s3_bucket"], endpoint_url=media.get("s3_endpoint_url"), region=media.get("s3_region"),
                   prefix=media.get("s3_prefix", ""), access_key_id=media.get("s3_access_key_id"),
                   secret_access_key=media.get("s3_secret_access_key"))

    def _key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type)
        except (BotoCoreError, ClientError) as exc:
            raise OSError(f"s3 put failed: {exc}") from exc

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise KeyError(key) from exc
            raise OSError(f"s3 get failed: {exc}") from exc
        except BotoCoreError as exc:
            raise OSError(f"s3 get failed: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise OSError(f"s3 delete failed: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise OSError(f"s3 head failed: {exc}") from exc
