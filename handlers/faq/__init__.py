"""Policy FAQ: residents' questions in their own words → the right entry.

``text`` normalises, ``features`` describes, ``index`` scores, ``decide``
chooses (answer / choices / no match / small talk), ``cache`` keeps each
worker's index fresh, ``chat`` plugs it into the dispatch, ``service`` and
``transfer`` write the FAQ.  Importing the package registers the chat handlers.
"""
from handlers.faq import chat  # noqa: F401  (registers the fallback, flow and menu click)
