"""gunicorn reads this file from the working directory (Procfile, scripts/run, bench/).

Command-line options still win; this only adds a hook: each worker builds its
FAQ index before it accepts a request (bot/warmup.py), so a re-forked worker
does not answer its first questions seconds late.
"""


def post_worker_init(worker):
    from bot.warmup import warm

    warm(worker.wsgi)
