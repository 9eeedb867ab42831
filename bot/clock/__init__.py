"""The clock process: APScheduler in its own process, never inside a web worker.

``registry`` holds the jobs; ``runner`` runs one inside an app context;
``scheduler`` builds the BlockingScheduler; ``lock`` keeps a second clock idle.
"""
