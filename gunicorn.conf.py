"""gunicorn reads this file from the working directory (Procfile, scripts/run, bench/).

Command-line options still win.  The defaults here:

- the threaded worker that stamps when each request was handed to its thread
  pool (bot/serving.py): above capacity, ``/wechat`` sees how long a message
  waited and answers it through the outbox instead of past WeChat's 5 s;
- each worker builds its FAQ index before it accepts a request
  (bot/warmup.py), so a re-forked worker does not answer its first questions
  seconds late;
- the access log (when enabled: ``--access-logfile``) is written without
  bearer tokens: ballot and complaint links, Open311 keys, WeChat signatures
  (bot/accesslog.py);
- numpy's BLAS (the FAQ's sentence encoder) runs on one thread per worker:
  workers are processes sharing the cores, and a thread per core in each of
  them only makes them wait for one another.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

worker_class = "bot.serving.StampedThreadWorker"
logger_class = "bot.accesslog.RedactingLogger"
threads = 1


def post_worker_init(worker):
    from bot.warmup import warm

    warm(getattr(worker.wsgi, "__wrapped__", worker.wsgi))
