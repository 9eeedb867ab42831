"""The clock process: APScheduler in its own process, never inside a web worker.

``registry`` holds the jobs; ``runner`` runs one inside an app context;
``scheduler`` builds the scheduler (its own thread; the ``clock`` command's main
thread only waits for a stop signal); ``lock`` keeps a second clock idle.
"""
