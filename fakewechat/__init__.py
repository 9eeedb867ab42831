"""A fake WeChat API server for tests, the simulator and benchmarks.

Shipped with the project but never imported by the service: a real HTTP
server on loopback that answers the endpoints Linli calls in WeChat's shapes,
records every call and can be told to fail.  ``FakeWeChat`` is the Python
control API; ``/_fake/...`` (see fakewechat.control) is the same over HTTP.
"""
from fakewechat.server import FakeWeChat

__all__ = ["FakeWeChat"]
