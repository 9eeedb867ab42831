"""``python -m fakewechat --port 5099``: run the fake WeChat API in the foreground."""
from __future__ import annotations

import argparse

from fakewechat.server import FakeWeChat


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fakewechat", description="Fake WeChat API on loopback")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--app-id", default="wx5e1a0c0ffee2024a")
    parser.add_argument("--app-secret", default="dev-app-secret")
    parser.add_argument("--token-ttl", type=int, default=7200)
    args = parser.parse_args(argv)
    fake = FakeWeChat(host=args.host, port=args.port, app_id=args.app_id, app_secret=args.app_secret,
                      token_ttl=args.token_ttl)
    try:
        fake.serve_forever(on_ready=lambda url: print(f"fake WeChat API on {url} (control: {url}_fake/...)",
                                                      flush=True))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
