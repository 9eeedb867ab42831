"""FAQ matcher latency and memory at a size of FAQ (see run.py, which prints them too).

The FAQ is padded with synthetic community-service entries; every timed question
is new to the process (nothing of it remembered), as a resident's question is.
"""
from __future__ import annotations

import os
import random
import statistics
import time
import tracemalloc

from handlers.faq import decide as decide_mod
from handlers.faq import semantic, sentence
from handlers.faq.index import Doc, Index, text_features


def synthetic_docs(count: int, start: int) -> list[Doc]:
    """Plausible but unrelated entries (community services) to grow the FAQ to 2,000."""
    rng = random.Random(7)
    things = ("社区医院", "菜市场", "公交站", "垃圾站", "老年食堂", "图书室", "快递柜", "社保窗口", "党群中心",
              "幼儿园", "理发店", "便民服务站", "文化广场", "志愿者队伍", "居委会", "派出所", "养老驿站",
              "自行车棚", "消防通道", "供暖站", "水表", "电表", "宽带", "有线电视", "门卫室", "信报箱")
    asks = ("在哪里", "几点开门", "怎么办理", "收费标准是多少", "需要带什么材料", "可以预约吗", "周末开放吗",
            "坏了找谁", "怎么报名", "能不能增加", "归谁管", "电话是多少", "要排队吗", "有没有优惠")
    who = ("老人", "孩子", "租户", "业主", "残疾人", "低保户", "外地人", "退休职工")
    docs = []
    for i in range(count):
        thing, ask, person = rng.choice(things), rng.choice(asks), rng.choice(who)
        question = f"{person}想了解{thing}{ask}"
        alternatives = (f"{thing}{ask}", f"{person}去{thing}{rng.choice(asks)}")
        answer = f"{thing}由街道统一管理，{person}可以在工作日前往咨询，第{i}号服务说明。"
        docs.append(Doc(start + i, question, alternatives, answer, "社区服务"))
    return docs


def model_load(name: str, load) -> dict:
    """Time ``load()`` (true when the model is there) and trace the memory it keeps."""
    tracemalloc.start()
    started = time.perf_counter()
    loaded = bool(load())
    load_s = time.perf_counter() - started
    size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if loaded:
        print(f"[{name}] loaded in {load_s:.2f} s; {size / 2**20:.1f} MiB (peak {peak / 2**20:.1f} MiB while loading)")
    return {"loaded": loaded, "load_s": round(load_s, 2), "mib": round(size / 2**20, 1),
            "peak_mib": round(peak / 2**20, 1)}


def forget_texts() -> None:
    """Forget every text analysed or embedded so far (a cold index build)."""
    text_features.cache_clear()
    semantic._embed.cache_clear()
    sentence.forget()


def time_questions(index: Index, texts: list[str], rounds: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and thread CPU milliseconds of deciding each text, ``rounds`` times over."""
    for text in texts:  # warm the process once, as a running worker would be
        decide_mod.judge(index, text)
    timings, cpu = [], []
    for _ in range(rounds):
        for text in texts:
            # Every question is new to the process: nothing remembered of it (a repeated
            # question costs a dict lookup in decide.understand, which is not timed here).
            sentence.forget()
            semantic._embed.cache_clear()
            t0, c0 = time.perf_counter(), time.thread_time()
            decide_mod.judge(index, text)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
    return timings, cpu


def latency(base: list[Doc], texts: list[str], total_entries: int = 2000) -> dict:
    """Per-question time over ``texts`` with ``base`` padded to ``total_entries``, and memory."""
    docs = base + synthetic_docs(total_entries - len(base), start=10_000)
    semantic._load.cache_clear()  # each model loaded afresh, once per process as in a worker
    sentence._load.cache_clear()
    forget_texts()
    vectors = model_load("vectors", semantic.vectors)
    sentences = model_load("sentences", sentence.encoder)
    started = time.perf_counter()
    Index.build(docs)  # cold: every text analysed and embedded (tracemalloc would slow it down)
    build_s = time.perf_counter() - started
    forget_texts()
    tracemalloc.start()
    index = Index.build(docs)  # again, cold, for the memory it holds
    size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timings, cpu = time_questions(index, texts)
    timings.sort()
    cpu.sort()
    p95 = timings[int(len(timings) * 0.95)]
    cpu_p95 = cpu[int(len(cpu) * 0.95)]
    print(f"[latency] {len(docs)} entries, {index_size(index)} phrasings; build {build_s:.2f} s; "
          f"index memory {size / 2**20:.1f} MiB (peak {peak / 2**20:.1f} MiB)")
    print(f"  per query over {len(timings)} runs: p50 {statistics.median(timings):.2f} ms, "
          f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms")
    print(f"  CPU time of this thread (what a busy machine does not inflate): p50 {statistics.median(cpu):.2f} ms, "
          f"p95 {cpu_p95:.2f} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return {"entries": len(docs), "phrasings": index_size(index), "build_s": round(build_s, 2),
            "index_mib": round(size / 2**20, 1), "peak_mib": round(peak / 2**20, 1), "queries_timed": len(timings),
            "p50_ms": round(statistics.median(timings), 3), "p95_ms": round(p95, 3), "max_ms": round(timings[-1], 3),
            "cpu_p50_ms": round(statistics.median(cpu), 3), "cpu_p95_ms": round(cpu_p95, 3),
            "load_average": round(os.getloadavg()[0], 1), "cores": os.cpu_count(), "vectors": vectors,
            "sentences": sentences}


def index_size(index: Index) -> int:
    return len(index.phrasings)
