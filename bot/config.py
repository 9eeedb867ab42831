"""Configuration: TOML file, then LINLI_* environment variables, then overrides.

Every known key has a default here; unknown keys are warned about, required
keys that end up empty stop start-up, and placeholder secrets are refused
outside development.  Relative paths are resolved against the directory of the
configuration file (documented in the README).
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import logging
import os
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULTS: dict[str, dict[str, Any]] = {
    "app": {
        "env": "production",
        "secret_key": "",
        "timezone": "Asia/Shanghai",
        "public_base_url": "http://127.0.0.1:5000",
        "warm_up": "auto",  # auto | sync | background | off (bot/warmup.py)
        "log_level": "INFO",
        "proxy_count": 0,  # reverse proxies in front (nginx: 1) whose X-Forwarded-For / -Proto are trusted
    },
    "database": {"url": "sqlite:///instance/linli.db", "echo": False},
    "wechat": {
        "app_id": "",
        "app_secret": "",
        "token": "",
        "encoding_aes_key": "",
        "message_mode": "",        # plaintext | compatible | safe; empty: safe with an encoding_aes_key, else plaintext
        "account_id": "",
        "api_base_url": "https://api.weixin.qq.com/",
        "timestamp_tolerance_s": 300,
        "max_body_bytes": 65536,
        "reply_budget_s": 4.0,     # a reply computed later than this goes through the outbox
        "shed_after_s": 1.0,       # a message that queued longer than this is answered through the outbox
        "drop_after_s": 3.0,       # ... longer than this: 503 at once, too late to answer safely (WeChat retries); 0: never
        "api_timeout_s": 5.0,
    },
    "media": {"dir": "instance/media", "backend": "local", "s3_endpoint_url": "", "s3_bucket": "", "s3_region": "",
              "s3_prefix": "", "s3_access_key_id": "", "s3_secret_access_key": "", "link_ttl_s": 604800},
    "complaints": {
        "quiet_minutes": 10,  # intake without news for this long is submitted with what it has
        "categories": [],  # [{code, name, deadline_class}]; empty: handlers.complaints.categories.DEFAULT
        "urgent_hours": 24, "general_workdays": 7, "complex_workdays": 15,
        "review_workdays": 1, "sign_workdays": 1, "urgent_review_hours": 24, "urgent_sign_hours": 24,
        "warn_fraction": 0.8,
        "max_returns": 3, "need_info_days": 7, "rating_days": 7,
        "duplicate_radius_m": 200, "duplicate_days": 7,
        "hotspot_radius_m": 50, "hotspot_days": 14,  # the complaint map's hot spots: same category and place
        "media_expire_days": 3, "fetch_backoff_s": 30, "fetch_backoff_max_s": 3600, "fetch_batch": 20,
        "max_photo_bytes": 20 * 1024 * 1024, "max_photo_pixels": 60_000_000, "max_side_px": 2048,
        "thumb_px": 400, "calendar_file": "",
        "open311_api_keys": [],  # or LINLI_COMPLAINTS_OPEN311_API_KEYS="k1,k2"
    },
    "redis": {"url": ""},
    "outbox": {
        "max_attempts": 8,
        "batch_size": 100,
        "rate_per_s": 50.0,
        "burst": 50,
        "backoff_base_s": 30,
        "backoff_max_s": 3600,
        "claim_timeout_s": 300,     # a crashed delivery run's claims are taken back after this
        "window_hours": 48,         # WeChat's customer-service window after a resident's interaction
        "send_timeout_s": 60,       # one delivery run stops claiming after this long
        "concurrency": 4,           # parallel sends (one resident's messages stay in order)
        "templates": {},            # notice kind -> template id (fallback outside the window)
        "subscriptions": {},        # notice kind -> subscription notice template id (after templates)
    },
    "clock": {"lock_path": "instance/clock.lock", "token_refresh_ahead_s": 900, "misfire_grace_s": 30,
              "schedules": {}},  # job name -> trigger arguments, e.g. "outbox.deliver" = {seconds = 5}
    "console": {"login_attempts": 5,            # failures per account from one address in login_window_s
                "login_address_attempts": 20,   # failures from one address, any accounts (spraying)
                "login_account_attempts": 50,   # failures on one account from all addresses together
                "login_window_s": 900, "page_size": 50,
                "session_hours": 10,            # a console session ends this long after login (a working day)
                "idle_minutes": 60},            # ... or after this long without a request
    "menu": {"buttons": []},
    "faq": {"default_hotline": "12345"},  # when the resident's community has no hotline
    "surveys": {"objection_days": 7},  # a closed run's published result is open for objection this many days
    # Key of the owners' ID number hashes (roster 产权人证件号); or LINLI_PRIVACY_ID_HASH_KEY. Empty: rosters
    # carrying ID numbers are refused. Changing it makes stored owners unrecognisable until the roster is re-imported.
    "privacy": {"id_hash_key": ""},
}

REQUIRED = [("app", "secret_key"), ("database", "url"), ("wechat", "app_id"), ("wechat", "token")]
SECRETS = [("app", "secret_key"), ("wechat", "app_secret"), ("wechat", "token"), ("wechat", "encoding_aes_key"),
           ("media", "s3_secret_access_key"), ("privacy", "id_hash_key")]
PATH_KEYS = [("media", "dir"), ("clock", "lock_path")]
PLACEHOLDER_MARKERS = ("...", "change-me", "changeme", "dev-", "placeholder", "insecure")
MIN_SECRET_KEY = 32
# Values anyone can read: the repository's own config.toml and the test credentials in the WeChat notes.
REPOSITORY_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"
PUBLISHED_SECRETS = frozenset({"OldCommunityToken2024", "LaoJiuXiaoQuGaiZaoTestEncodingAESKey2024abc"})


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says why."""


def load(path: str | os.PathLike | None = None, overrides: dict | None = None,
         environ: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """Load, merge, resolve and check the configuration; returns nested dicts."""
    environ = os.environ if environ is None else environ
    path = Path(path or environ.get("LINLI_CONFIG") or "config.toml").resolve()
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path} (set LINLI_CONFIG)")
    with path.open("rb") as fh:
        try:
            from_file = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    warn_unknown(from_file)
    cfg = merge(copy.deepcopy(DEFAULTS), from_file)
    apply_environment(cfg, environ)
    if overrides:
        cfg = merge(cfg, overrides)
    cfg["_meta"] = {"path": str(path), "root": str(path.parent)}
    resolve_paths(cfg, path.parent)
    derive_development_keys(cfg)
    check(cfg)
    return cfg


def derive_development_keys(cfg: dict) -> None:
    """Outside production an unset ``privacy.id_hash_key`` is derived from ``app.secret_key``.

    The embedded service (scripts/run) then imports rosters carrying 产权人证件号 with nothing to set;
    production keeps an explicit key or refuses such rosters (docs/SECURITY.md).
    """
    if cfg["app"]["env"] != "production" and not cfg["privacy"]["id_hash_key"] and cfg["app"]["secret_key"]:
        key = hmac.new(str(cfg["app"]["secret_key"]).encode(), b"linli privacy id_hash_key", hashlib.sha256)
        cfg["privacy"]["id_hash_key"] = key.hexdigest()


def merge(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict) and key not in ("templates",):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def warn_unknown(data: dict) -> None:
    for section, values in data.items():
        if section not in DEFAULTS:
            log.warning("config: unknown section [%s] ignored", section)
            continue
        if not isinstance(values, dict):
            raise ConfigError(f"config: [{section}] must be a table")
        for key in values:
            if key not in DEFAULTS[section]:
                log.warning("config: unknown key %s.%s ignored", section, key)


def apply_environment(cfg: dict, environ) -> None:
    """LINLI_<SECTION>_<KEY> overrides a key, e.g. LINLI_WECHAT_APP_SECRET."""
    for section, values in DEFAULTS.items():
        for key, default in values.items():
            name = f"LINLI_{section}_{key}".upper()
            if name in environ:
                cfg[section][key] = coerce(environ[name], default, name)


def coerce(raw: str, default: Any, name: str) -> Any:
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a number") from exc
    return raw


def resolve_paths(cfg: dict, root: Path) -> None:
    for section, key in PATH_KEYS:
        cfg[section][key] = str((root / cfg[section][key]).resolve())
    url = cfg["database"]["url"]
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url and url != prefix:
        cfg["database"]["url"] = prefix + str((root / url[len(prefix):]).resolve())


def check(cfg: dict) -> None:
    missing = [f"{s}.{k}" for s, k in REQUIRED if not str(cfg[s][k]).strip()]
    if missing:
        raise ConfigError("config: required key(s) missing or empty: " + ", ".join(missing))
    if cfg["app"]["env"] not in ("development", "production", "testing"):
        raise ConfigError("config: app.env must be development, testing or production")
    aes = cfg["wechat"]["encoding_aes_key"]
    if aes and len(aes) != 43:
        raise ConfigError("config: wechat.encoding_aes_key must be 43 characters (or empty for plaintext)")
    check_message_mode(cfg["wechat"])
    if cfg["app"]["env"] == "production":
        check_production_secrets(cfg)


def check_production_secrets(cfg: dict) -> None:
    """Refuse placeholders, values published in the repository, and a weak session key."""
    bad = [f"{s}.{k}" for s, k in SECRETS if is_placeholder(str(cfg[s][k]))]
    if bad:
        raise ConfigError("config: placeholder secrets refused in production: " + ", ".join(bad)
                          + " (set them via LINLI_* environment variables)")
    public = published_secrets()
    bad = [f"{s}.{k}" for s, k in SECRETS if cfg[s][k] and str(cfg[s][k]) in public]
    if bad:
        raise ConfigError("config: secrets published in the repository refused in production: " + ", ".join(bad)
                          + " (choose new ones; set them via LINLI_* environment variables)")
    weakness = secret_key_weakness(str(cfg["app"]["secret_key"]))
    if weakness:
        raise ConfigError(f"config: app.secret_key {weakness}; it signs sessions, ballot and complaint links "
                          "(generate one: python -c 'import secrets; print(secrets.token_urlsafe(32))')")


def published_secrets() -> frozenset[str]:
    """Secret values committed in the repository's config.toml, plus the published test credentials."""
    try:
        with REPOSITORY_CONFIG.open("rb") as fh:
            committed = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        committed = {}
    values = {str(committed.get(s, {}).get(k, "")) for s, k in SECRETS}
    return frozenset(v for v in values | PUBLISHED_SECRETS if v)


def secret_key_weakness(key: str) -> str | None:
    """Why the session key is too weak for production, or None.

    At least 32 characters, and the variety of a random one: 8 different
    characters or more, none making up a third of the key, no repeated unit
    ("abcd" * 8).  A random hex key of 32 fails this about once in 25,000.
    """
    if len(key) < MIN_SECRET_KEY:
        return f"is shorter than {MIN_SECRET_KEY} characters"
    counts = Counter(key)
    periodic = (key + key).find(key, 1) < len(key)
    if len(counts) < 8 or max(counts.values()) * 3 > len(key) or periodic:
        return "does not look random (too few different characters, or a repeated pattern)"
    return None


MESSAGE_MODES = ("plaintext", "compatible", "safe")


def check_message_mode(wechat: dict) -> None:
    """Settle ``wechat.message_mode``: empty means safe when an EncodingAESKey is set, else plaintext."""
    mode = str(wechat.get("message_mode") or "").strip().lower()
    mode = mode or ("safe" if wechat["encoding_aes_key"] else "plaintext")
    if mode not in MESSAGE_MODES:
        raise ConfigError("config: wechat.message_mode must be plaintext, compatible or safe")
    if mode != "plaintext" and not wechat["encoding_aes_key"]:
        raise ConfigError(f"config: wechat.message_mode = \"{mode}\" needs wechat.encoding_aes_key")
    wechat["message_mode"] = mode


def is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(marker in lowered for marker in PLACEHOLDER_MARKERS)


def redacted(cfg: dict) -> dict:
    """A copy safe to log: secrets replaced by '***'."""
    out = copy.deepcopy(cfg)
    for section, key in SECRETS + [("database", "url"), ("redis", "url")]:
        if out.get(section, {}).get(key):
            out[section][key] = "***"
    return out
