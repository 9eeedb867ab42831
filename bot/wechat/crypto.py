"""WeChat signatures and the safe-mode AES envelope, written against the spec.

Kept small and independent of wechatpy so it can use constant-time comparison;
the tests check it against wechatpy's implementation.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(ValueError):
    """Bad padding, a wrong AppID or an undecodable payload."""


def signature(*parts: str) -> str:
    """sha1 of the sorted concatenation of the parts (token, timestamp, nonce[, encrypt])."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def check_signature(expected: str, *parts: str) -> bool:
    """Constant-time comparison of a claimed signature with the computed one."""
    if not expected:
        return False
    return hmac.compare_digest(signature(*parts).encode(), expected.strip().lower().encode("utf-8", "replace"))


class Envelope:
    """AES-256-CBC with key = base64(EncodingAESKey + '='), IV = key[:16], PKCS#7 to 32 bytes."""

    def __init__(self, encoding_aes_key: str, app_id: str):
        try:
            self.key = base64.b64decode(encoding_aes_key + "=")
        except ValueError as exc:
            raise CryptoError("EncodingAESKey is not base64") from exc
        if len(self.key) != 32:
            raise CryptoError("EncodingAESKey must decode to 32 bytes")
        self.app_id = app_id.encode("utf-8")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, xml: str, random16: bytes | None = None) -> str:
        body = xml.encode("utf-8")
        plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + self.app_id
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        enc = self._cipher().encryptor()
        return base64.b64encode(enc.update(plain) + enc.finalize()).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        try:
            data = base64.b64decode(encrypted, validate=True)
        except ValueError as exc:
            raise CryptoError("Encrypt is not base64") from exc
        if not data or len(data) % 16:
            raise CryptoError("Encrypt has a bad length")
        dec = self._cipher().decryptor()
        plain = dec.update(data) + dec.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise CryptoError("bad padding")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise CryptoError("payload too short")
        (length,) = struct.unpack(">I", plain[16:20])
        xml, app_id = plain[20:20 + length], plain[20 + length:]
        if len(xml) != length:
            raise CryptoError("payload length mismatch")
        if not hmac.compare_digest(app_id, self.app_id):
            raise CryptoError("AppID does not match")
        try:
            return xml.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CryptoError("payload is not UTF-8") from exc
