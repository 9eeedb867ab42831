"""Residents, households and who lives where: roster import, binding, membership.

Pure code (no Flask): services take ``*, session`` and flush; the edge commits.
``handlers.households.binding`` is the chat feature (registered in ``handlers.FEATURES``).
"""
from handlers.households.membership import current_household, may_vote

__all__ = ["current_household", "may_vote"]
