"""Warm the app before it takes traffic, whatever serves it.

A fresh process would otherwise pay on its first requests for jieba's
dictionary, the word vectors, the sentence encoder, the FAQ index (the
encoder over every entry: seconds, tens of seconds on a busy machine) and the
templates: a resident's first question answered past WeChat's 5 seconds.

``create_app()`` calls ``init_app``, which, by ``[app] warm_up``:

- ``sync`` (what ``auto`` means when the app is served): warms before
  ``create_app()`` returns, so any WSGI server (gunicorn with or without our
  gunicorn.conf.py, uWSGI, waitress, wsgiref) gets a warm app;
- ``background``: returns at once and warms in a thread; ``/readyz`` answers
  503 until warm (for platforms that route by a readiness probe);
- ``off`` (what ``auto`` means for tests and the ``flask`` command line: a
  command is not traffic): nothing until asked; ``/readyz`` asking starts it.

The FAQ index is read in a short transaction and computed after it ended:
on SQLite every transaction takes the write lock (BEGIN IMMEDIATE, bot/db.py),
and an index computed inside one held every other worker's writes for as long
(past busy_timeout: "database is locked").
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import click
from flask import Flask
from sqlmodel import Session

from bot import runtime

log = logging.getLogger(__name__)

MODES = ("auto", "sync", "background", "off")
EXTENSION_KEY = "linli.warmup"


@dataclass
class WarmState:
    """How far this process's warm-up got (``app.extensions["linli.warmup"]``)."""

    mode: str = "off"
    ready: threading.Event = field(default_factory=threading.Event)
    running: bool = False
    error: str = ""
    seconds: float = 0.0
    steps: dict[str, tuple[float, float]] = field(default_factory=dict)  # name: (start, end), perf_counter
    lock: threading.Lock = field(default_factory=threading.Lock)


def _tokenizer(app: Flask) -> None:
    from handlers.faq import features

    features.tokenizer()


def _word_vectors(app: Flask) -> None:
    from handlers.faq import semantic

    semantic.vectors()


def _sentence_encoder(app: Flask) -> None:
    from handlers.faq import sentence

    sentence.encoder()


def _faq_index(app: Flask) -> None:
    from handlers.faq.cache import cache_for

    engine = app.extensions["linli.engine"]
    cache_for(runtime.services(app)).warm(lambda: Session(engine, expire_on_commit=False))


def _templates(app: Flask) -> None:
    """Compile every page and message template once (Jinja keeps them)."""
    env = app.jinja_env
    for name in env.list_templates(extensions=("html", "txt")):
        env.get_template(name)


# Run in this order; the index needs the tokenizer, vectors and encoder.
STEPS: dict[str, Callable[[Flask], None]] = {
    "templates": _templates, "tokenizer": _tokenizer, "word_vectors": _word_vectors,
    "sentence_encoder": _sentence_encoder, "faq_index": _faq_index,
}


def state_of(app: Flask) -> WarmState:
    return app.extensions.setdefault(EXTENSION_KEY, WarmState())


def mode_for(app: Flask) -> str:
    """The configured mode, ``auto`` resolved: off for tests and the flask command line, else sync."""
    cfg = app.config["LINLI"]
    mode = str(cfg["app"].get("warm_up", "auto")).strip().lower()
    if mode not in MODES:
        raise ValueError(f"app.warm_up must be one of {', '.join(MODES)}, not {mode!r}")
    if mode != "auto":
        return mode
    if cfg["app"]["env"] == "testing" or click.get_current_context(silent=True) is not None:
        return "off"
    return "sync"


def init_app(app: Flask) -> None:
    """Called last in create_app(): warm now, in the background, or not at all (see the module docstring)."""
    state = state_of(app)
    state.mode = mode_for(app)
    if state.mode == "sync":
        warm(app)
    elif state.mode == "background":
        start_background(app)


def start_background(app: Flask) -> None:
    """Warm in a daemon thread unless warm or already warming."""
    state = state_of(app)
    if state.ready.is_set() or state.running:
        return
    threading.Thread(target=warm, args=(app,), daemon=True, name="linli-warmup").start()


def warm(app: Flask) -> WarmState:
    """Run every step once (later calls return at once); never raises: a failure is logged and kept
    in ``state.error``, the FAQ then builds on the first question and ``/readyz`` retries."""
    state = state_of(app)
    with state.lock:
        if state.ready.is_set():
            return state
        state.running, state.error = True, ""
        started = time.perf_counter()
        try:
            _run_steps(app, state)
        finally:
            state.running = False
        if not state.error:
            state.seconds = time.perf_counter() - started
            state.ready.set()
            log.info("warm: ready in %.1f s (%s)", state.seconds, _summary(state))
    return state


def _run_steps(app: Flask, state: WarmState) -> None:
    for name, step in STEPS.items():
        begun = time.perf_counter()
        try:
            with app.app_context():
                step(app)
        except Exception as exc:  # noqa: BLE001 (the database may be down: serve anyway, answer slower)
            state.error = f"{name}: {type(exc).__name__}"
            log.warning("warm: step %s failed (%s: %s); the FAQ builds on its first question", name,
                        type(exc).__name__, exc)
            return
        state.steps[name] = (begun, time.perf_counter())


def _summary(state: WarmState) -> str:
    return ", ".join(f"{name} {end - begun:.1f} s" for name, (begun, end) in state.steps.items())
