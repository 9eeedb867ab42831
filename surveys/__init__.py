"""Surveys: templates, frozen versions, runs, ballots and statistics.

Pure code: imports only ``models`` and libraries, never Flask or the layers
above.  Service functions take ``*, session`` and flush; the caller commits.
"""
