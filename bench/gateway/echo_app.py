"""The baseline: a bare Flask + wechatpy view that verifies, parses and echoes a text."""
import os

from flask import Flask, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

TOKEN = os.environ.get("ECHO_TOKEN", "OldCommunityToken2024")
AES_KEY = os.environ.get("ECHO_AES_KEY", "")
APP_ID = os.environ.get("ECHO_APP_ID", "wx5e1a0c0ffee2024a")

app = Flask(__name__)
crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID) if AES_KEY else None


@app.post("/wechat")
def echo():
    q = request.args
    check_signature(TOKEN, q["signature"], q["timestamp"], q["nonce"])
    body = request.get_data()
    if crypto is not None:
        body = crypto.decrypt_message(body, q["msg_signature"], q["timestamp"], q["nonce"])
    msg = parse_message(body)
    xml = TextReply(content=msg.content, message=msg).render()
    if crypto is not None:
        xml = crypto.encrypt_message(xml, q["nonce"], q["timestamp"])
    return xml, 200, {"Content-Type": "application/xml"}
