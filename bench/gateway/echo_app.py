"""The baseline: a bare Flask + wechatpy view that verifies, parses and echoes a text.

With ``ECHO_RECORD_URL`` (a ``postgresql://`` or ``sqlite:///`` URL) it also
records each message once, durably, before answering (one INSERT ... ON
CONFLICT DO NOTHING and a COMMIT on a raw driver connection): the least any
exactly-once gateway must do, so the run shows how much of the gap to the
echo is that write alone.
"""
import os

from flask import Flask, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

TOKEN = os.environ.get("ECHO_TOKEN", "OldCommunityToken2024")
AES_KEY = os.environ.get("ECHO_AES_KEY", "")
APP_ID = os.environ.get("ECHO_APP_ID", "wx5e1a0c0ffee2024a")
RECORD_URL = os.environ.get("ECHO_RECORD_URL", "")

app = Flask(__name__)
crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID) if AES_KEY else None
_conn = None
_insert = ""


def connection():
    """One connection per worker process (opened after gunicorn forks)."""
    global _conn, _insert
    if _conn is None:
        if RECORD_URL.startswith("sqlite:///"):
            import sqlite3
            _conn = sqlite3.connect(RECORD_URL.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
            _conn.execute("PRAGMA journal_mode=WAL")
            _conn.execute("PRAGMA synchronous=NORMAL")
            _conn.execute("CREATE TABLE IF NOT EXISTS echo_record (msg_id TEXT PRIMARY KEY, openid TEXT, body TEXT)")
            _insert = "INSERT INTO echo_record VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
        else:
            import psycopg
            conn = psycopg.connect(RECORD_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
            try:  # both workers may create it at once: one of them loses the race, harmlessly
                conn.execute("CREATE TABLE IF NOT EXISTS echo_record (msg_id TEXT PRIMARY KEY, openid TEXT, body TEXT)")
            except psycopg.errors.UniqueViolation:
                pass
            _insert = "INSERT INTO echo_record VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
            _conn = conn
    return _conn


def record(msg) -> None:
    conn = connection()
    conn.execute(_insert, (str(msg.id), msg.source, msg.content))  # autocommit: one durable statement


@app.post("/wechat")
def echo():
    q = request.args
    check_signature(TOKEN, q["signature"], q["timestamp"], q["nonce"])
    body = request.get_data()
    if crypto is not None:
        body = crypto.decrypt_message(body, q["msg_signature"], q["timestamp"], q["nonce"])
    msg = parse_message(body)
    if RECORD_URL:
        record(msg)
    xml = TextReply(content=msg.content, message=msg).render()
    if crypto is not None:
        xml = crypto.encrypt_message(xml, q["nonce"], q["timestamp"])
    return xml, 200, {"Content-Type": "application/xml"}
