"""An open-loop WeChat load generator (asyncio, raw HTTP/1.1 on loopback), bounded in count and time.

Messages are posted as WeChat posts them: signed plaintext XML, one connection per request.  The mix:

- 70% policy questions: text, or voice with ``Recognition`` (30% of them);
- 10% survey answers in chat: residents bound to households walk the open
  survey step by step ("调查", then "1" until "提交成功"), one step at a time;
- 10% photos: image messages whose MediaId the fake API serves, one new resident
  per photo (each acknowledged photo must become one photo of one complaint);
- 10% events: subscribe (new residents) and menu CLICKs.

WeChat's retries: a share of messages is posted again with the same MsgId (events: the
same FromUserName+CreateTime+Event), half at once (racing), half 0.5-4 s later; same answer.  With ``wechat_retries`` a message that got no 200 (error,
refused connection, or nothing within 5 s) is re-sent like WeChat does:
after 5 s, up to 3 times.
"""
from __future__ import annotations

import asyncio
import csv
import itertools
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.wechat import crypto, xmlcodec

TOKEN, ACCOUNT, APP_ID = "OldCommunityToken2024", "gh_0a1b2c3d4e5f", "wx5e1a0c0ffee2024a"
AES_KEY = "LaoJiuXiaoQuGaiZaoTestEncodingAESKey2024abc"  # the shared test key (safe mode runs)
QUESTIONS_CSV = Path(__file__).resolve().parent / "faq" / "queries.csv"
CLICK_KEYS = ["FAQ", "MY_COMPLAINTS", "COMPLAINT", "BIND", "SURVEY"]
WECHAT_WAIT_S = 5.0  # WeChat gives up on a reply after 5 s


def load_questions() -> list[str]:
    with QUESTIONS_CSV.open(encoding="utf-8") as fh:
        return [row["query"] for row in csv.DictReader(fh) if row.get("query")]


@dataclass
class Message:
    kind: str  # question | voice | survey | photo | subscribe | click
    openid: str
    dedup_key: str
    xml: str
    media_id: str = ""


@dataclass
class Attempt:
    message: Message
    started: float
    latency: float
    status: int  # 0: no HTTP answer (connection error / timeout)
    reply: str
    retry: bool  # a deliberate duplicate (WeChat retry simulation)
    stage: str


@dataclass
class Stats:
    attempts: list[Attempt] = field(default_factory=list)
    acked: dict[str, Message] = field(default_factory=dict)  # dedup_key -> message that got a 200
    unacked: dict[str, Message] = field(default_factory=dict)  # never got a 200 (after WeChat's retries)
    shed: int = 0  # not sent: too many requests in flight at the generator
    walkers_done: set[str] = field(default_factory=set)
    walkers_unknown: set[str] = field(default_factory=set)
    retry_mismatch: list[tuple[str, str, str]] = field(default_factory=list)


def reply_content(text: str) -> str:
    """What a resident reads: the Content of a text reply, titles of news, or the raw text."""
    if text in ("", "success"):
        return text
    try:
        fields = xmlcodec.parse(text.encode("utf-8"))
        if "Encrypt" in fields:  # safe mode: WeChat decrypts the reply
            text = crypto.Envelope(AES_KEY, APP_ID).decrypt(fields["Encrypt"])
            fields = xmlcodec.parse(text.encode("utf-8"))
    except Exception:  # noqa: BLE001 (a broken reply is reported, not raised)
        return "<unparsable>" + text[:80]
    if fields.get("MsgType") == "news":
        return re.sub(r"<CreateTime>\d+</CreateTime>", "", text)
    return str(fields.get("Content", fields.get("MsgType", "")))


class Generator:
    def __init__(self, port: int, *, media_ids: list[str], walkers: list[str], seed: int = 1,
                 retry_share: float = 0.05, wechat_retries: bool = False, max_inflight: int = 1500,
                 timeout_s: float = 12.0, id_base: int | None = None, safe: bool = False):
        self.port = port
        self.envelope = crypto.Envelope(AES_KEY, APP_ID) if safe else None
        self.rng = random.Random(seed)
        self.questions = load_questions()
        self.media_ids = list(media_ids)
        self.media_next = 0
        self.walkers_idle = list(walkers)
        self.walker_step: dict[str, int] = {w: 0 for w in walkers}
        self.retry_share = retry_share
        self.wechat_retries = wechat_retries
        self.max_inflight = max_inflight
        self.timeout_s = timeout_s
        self.msg_ids = itertools.count(id_base or int(time.time() * 1000) * 1000)
        self.serial = itertools.count(1)
        self.stats = Stats()
        self.inflight = 0
        self.stage = ""
        self.tasks: set[asyncio.Task] = set()

    # ---------------------------------------------------------------- building
    def _xml(self, openid: str, msg_type: str, fields: dict, *, event: bool = False) -> tuple[str, str]:
        create_time = int(time.time())
        parts = [f"<ToUserName>{xmlcodec.cdata(ACCOUNT)}</ToUserName>",
                 f"<FromUserName>{xmlcodec.cdata(openid)}</FromUserName>",
                 f"<CreateTime>{create_time}</CreateTime>", f"<MsgType>{xmlcodec.cdata(msg_type)}</MsgType>"]
        parts += [f"<{k}>{xmlcodec.cdata(str(v))}</{k}>" for k, v in fields.items()]
        if event:
            key = f"evt:{openid}:{create_time}:{fields['Event']}"
        else:
            msg_id = next(self.msg_ids)
            parts.append(f"<MsgId>{msg_id}</MsgId>")
            key = f"msg:{msg_id}"
        return "<xml>" + "".join(parts) + "</xml>", key

    def next_message(self) -> Message | None:
        n, roll = next(self.serial), self.rng.random()
        if 0.70 <= roll < 0.80 and self.walkers_idle:
            openid = self.walkers_idle.pop()  # LIFO: a walker goes on with its next step soon
            text = "调查" if self.walker_step[openid] == 0 else "1"
            xml, key = self._xml(openid, "text", {"Content": text})
            return Message("survey", openid, key, xml)
        if 0.80 <= roll < 0.90 and self.media_ids:
            media_id = self.media_ids[self.media_next % len(self.media_ids)]
            self.media_next += 1
            openid = f"oLoadPic{n:06d}"
            xml, key = self._xml(openid, "image", {"PicUrl": f"http://mmbiz.example/{media_id}",
                                                   "MediaId": media_id})
            return Message("photo", openid, key, xml, media_id=media_id)
        if 0.90 <= roll:
            openid = f"oLoadEvt{n:06d}"
            if self.rng.random() < 0.5:
                xml, key = self._xml(openid, "event", {"Event": "subscribe", "EventKey": ""}, event=True)
                return Message("subscribe", openid, key, xml)
            xml, key = self._xml(openid, "event", {"Event": "CLICK", "EventKey": self.rng.choice(CLICK_KEYS)},
                                 event=True)
            return Message("click", openid, key, xml)
        openid = f"oLoadAsk{self.rng.randrange(3000):05d}"
        question = self.rng.choice(self.questions)
        if self.rng.random() < 0.3:
            xml, key = self._xml(openid, "voice", {"MediaId": f"voice{n}", "Format": "amr",
                                                   "Recognition": question + "。"})
            return Message("voice", openid, key, xml)
        xml, key = self._xml(openid, "text", {"Content": question})
        return Message("question", openid, key, xml)

    def next_probe(self) -> str:
        """A subscribe event of a new resident (recorded, not counted)."""
        return self._xml(f"oLoadProbe{next(self.serial):06d}", "event", {"Event": "subscribe", "EventKey": ""},
                         event=True)[0]

    # ---------------------------------------------------------------- sending
    async def post(self, xml: str) -> tuple[int, str]:
        timestamp, nonce = str(int(time.time())), f"{self.rng.randrange(10**9)}"
        query = f"timestamp={timestamp}&nonce={nonce}&signature={crypto.signature(TOKEN, timestamp, nonce)}"
        if self.envelope is not None:  # safe mode, as a production account is configured
            encrypt = self.envelope.encrypt(xml)
            query += f"&encrypt_type=aes&msg_signature={crypto.signature(TOKEN, timestamp, nonce, encrypt)}"
            xml = f"<xml><ToUserName>{xmlcodec.cdata(ACCOUNT)}</ToUserName><Encrypt>{xmlcodec.cdata(encrypt)}</Encrypt></xml>"
        body = xml.encode("utf-8")
        head = (f"POST /wechat?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(head + body)
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
        head_bytes, _, payload = data.partition(b"\r\n\r\n")
        status = int(head_bytes.split(b" ", 2)[1]) if head_bytes.startswith(b"HTTP/") else 0
        return status, payload.decode("utf-8", "replace")

    async def attempt(self, message: Message, *, retry: bool) -> Attempt:
        started = time.monotonic()
        try:
            status, text = await asyncio.wait_for(self.post(message.xml), self.timeout_s)
        except (OSError, asyncio.TimeoutError, IndexError, ValueError):
            status, text = 0, ""
        attempt = Attempt(message, started, time.monotonic() - started, status, text, retry, self.stage)
        self.stats.attempts.append(attempt)
        return attempt

    async def deliver(self, message: Message) -> None:
        """One message as WeChat sends it: first attempt, maybe a deliberate duplicate, retries on failure."""
        self.inflight += 1
        try:
            duplicate = None
            roll = self.rng.random()
            if roll < self.retry_share / 2:
                duplicate = asyncio.ensure_future(self.attempt(message, retry=True))  # racing the first
            elif roll < self.retry_share:
                duplicate = asyncio.ensure_future(self.later(message, self.rng.uniform(0.5, 4.0)))
            first = await self.attempt(message, retry=False)
            ok = first if first.status == 200 and first.latency <= WECHAT_WAIT_S else None
            tries = 0
            while ok is None and self.wechat_retries and tries < 3:
                await asyncio.sleep(max(0.0, WECHAT_WAIT_S - first.latency) if tries == 0 else WECHAT_WAIT_S)
                tries += 1
                again = await self.attempt(message, retry=True)
                if again.status == 200:
                    ok = again
            if ok is None and first.status == 200:
                ok = first  # answered, only late: still recorded as acknowledged (and counted as too slow)
            if duplicate is not None:
                dup = await duplicate
                if ok is not None and dup.status == 200 and reply_content(dup.reply) != reply_content(ok.reply):
                    self.stats.retry_mismatch.append((message.dedup_key, reply_content(ok.reply)[:60],
                                                      reply_content(dup.reply)[:60]))
                if ok is None and dup.status == 200:
                    ok = dup
            if ok is not None:
                self.stats.acked[message.dedup_key] = message
            else:
                self.stats.unacked[message.dedup_key] = message
            if message.kind == "survey":
                self.walker_done_step(message, ok)
        finally:
            self.inflight -= 1

    async def later(self, message: Message, delay: float) -> Attempt:
        await asyncio.sleep(delay)
        return await self.attempt(message, retry=True)

    def walker_done_step(self, message: Message, ok: Attempt | None) -> None:
        openid = message.openid
        if ok is None:
            self.stats.walkers_unknown.add(openid)  # WeChat gave up: the resident would start over
            self.walker_step[openid] = 0
            self.walkers_idle.append(openid)
            return
        content = reply_content(ok.reply)
        if content == "success":  # answered through the outbox, which the generator does not read
            self.stats.walkers_unknown.add(openid)
            return
        if "提交成功" in content:
            self.stats.walkers_done.add(openid)
            self.stats.walkers_unknown.discard(openid)
            return
        self.walker_step[openid] += 1
        if self.walker_step[openid] > 25:
            self.stats.walkers_unknown.add(openid)
            return
        self.walkers_idle.append(openid)

    async def run_stage(self, name: str, rate: float, seconds: float) -> None:
        """Post ``rate`` messages per second for ``seconds``, open-loop; wait for the stragglers."""
        self.stage = name
        count = int(rate * seconds)
        t0 = time.monotonic()
        for i in range(count):
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.inflight >= self.max_inflight:
                self.stats.shed += 1
                continue
            message = self.next_message()
            task = asyncio.ensure_future(self.deliver(message))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        await self.drain(self.timeout_s * 4 + 30)

    async def drain(self, limit: float) -> None:
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=limit)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def stage_figures(attempts: list[Attempt], stage: str, seconds: float) -> dict:
    mine = [a for a in attempts if a.stage == stage]
    lat = [a.latency for a in mine]
    answered = [a for a in mine if a.status == 200]
    return {"stage": stage, "requests": len(mine), "achieved_per_s": round(len(answered) / seconds, 1),
            "p50_ms": round(percentile(lat, 0.50) * 1e3, 1), "p99_ms": round(percentile(lat, 0.99) * 1e3, 1),
            "max_ms": round(max(lat, default=0) * 1e3, 1),
            "errors": sum(1 for a in mine if a.status != 200),
            "over_4_5s": sum(1 for a in mine if a.latency > 4.5),
            # "success" to a message: queued too long, answered through the outbox (bot/wechat/backlog.py)
            "answered_later": sum(1 for a in answered if a.reply == "success"
                                  and a.message.kind in ("question", "voice", "survey", "photo"))}
