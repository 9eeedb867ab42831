"""Outbound delivery: the outbox rows queued by ``models.outbox.enqueue``, sent to WeChat.

- ``claims``: take a batch (pending -> sending), give back a crashed run's claims.
- ``channels``: customer-service message, template fallback, or wait.
- ``delivery``: one run of the delivery job (rate-limited, retried, dead-lettered).
- ``ratelimit``: the token bucket (Redis-shared when configured).
- ``service``: dead letters, retry, waking waiting messages on interaction, counts.

The guarantee is documented in docs/OUTBOX.md.
"""
