"""From scores to a decision: answer, offer choices, or admit we do not know.

Scores are in [0, 1] (see ``index``).  With the learned second look
(``learned``) a score is the chance that the entry answers the question and
each candidate carries the chance that the question is about the FAQ at all;
``IN_SCOPE`` and ``SURE_LEAD`` judge those (``bench/faq/lofo.py`` reports
what they give for a FAQ left out).  Without it the hand-set scores are
judged with the thresholds set on the development question sets; an index
built without the vectors package (lexical scores only) with ``LEXICAL_ONLY``.
"""
from __future__ import annotations

from dataclasses import dataclass

from handlers.faq import sentence, smalltalk
from handlers.faq.index import Candidate, Index

CONFIDENT = 0.30  # at or above (with a clear lead): answer directly
LEAD = 0.80  # ... when the second entry scores at most this share of the best
SURE = 0.80  # at or above: answer even without a lead
ACCEPTABLE = 0.16  # below: no match
LEXICAL_ONLY = (0.26, 0.75, 0.10)  # CONFIDENT, LEAD, ACCEPTABLE for lexical scores alone
CHOICE_FLOOR = 0.6  # a choice is offered only if it scores ≥ this share of the best
MAX_CHOICES = 3
IN_SCOPE = 0.5  # learned: below this chance that the question is about the FAQ, no match
SURE_LEAD = 0.50  # learned: answer directly when the best entry's chance leads the second's by this
# (chosen leaving one FAQ out over 21 FAQs, bench/faq/lofo.py --sweep: the most direct answers with
# at most 3 % of in-scope questions answered wrongly, the bar; 0.40, chosen on ten FAQs, answered
# 5.1 % wrongly on nine FAQs it had not seen)
CHAT = 0.7  # learned: a message the FAQ has nothing for is small talk at this chance (``learned.Model.chat``)
CHANCE_FLOOR = 0.02  # learned: a choice is offered only if its chance is ≥ this share of the best
MEMO_SIZE = 4096  # decisions remembered per index (the same words, the same decision)


@dataclass(frozen=True)
class Decision:
    kind: str  # answer | choices | none | smalltalk
    candidates: tuple[Candidate, ...] = ()
    smalltalk: str = ""  # greeting, thanks, bye, identity, laugh, grumble; chat (learned, kind unknown)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def decide(candidates: list[Candidate], lexical_only: bool = False) -> Decision:
    if candidates and candidates[0].in_scope is not None:
        return _decide_learned(candidates)
    confident, lead, acceptable = LEXICAL_ONLY if lexical_only else (CONFIDENT, LEAD, ACCEPTABLE)
    top = candidates[0] if candidates else None
    second = candidates[1].score if len(candidates) > 1 else 0.0
    if top is None or top.score < acceptable:
        return Decision("none", tuple(candidates[:MAX_CHOICES]))
    if top.score >= SURE or (top.score >= confident and second <= top.score * lead):
        return Decision("answer", (top,))
    # Below CONFIDENT even a lone candidate is offered ("您是想问：1. …"), not answered.
    choices = [c for c in candidates[:MAX_CHOICES] if c.score >= top.score * CHOICE_FLOOR]
    return Decision("choices", tuple(choices))


def _decide_learned(candidates: list[Candidate]) -> Decision:
    top = candidates[0]
    if top.in_scope < IN_SCOPE:
        return Decision("none", tuple(candidates[:MAX_CHOICES]))
    second = _chance(candidates[1]) if len(candidates) > 1 else 0.0
    if _chance(top) - second >= SURE_LEAD:
        return Decision("answer", (top,))
    choices = [c for c in candidates[:MAX_CHOICES] if c.score >= top.score * CHANCE_FLOOR]
    return Decision("choices", tuple(choices))


def _chance(candidate: Candidate) -> float:
    """The ranking's chance that this is the entry meant, if any is (the score is scope × it)."""
    return candidate.score / candidate.in_scope if candidate.in_scope else 0.0


def understand(index: Index, text: str) -> Decision:
    """What to do with one message, remembered per index until the FAQ changes.

    Residents ask the same things in the same words (a menu's suggested
    question, "电梯呢", a neighbour's forwarded text): those cost a dict lookup.
    """
    found = index.memo.get(text)
    if found is None:
        found = judge(index, text)
        if len(index.memo) >= MEMO_SIZE:
            index.memo.clear()
        index.memo[text] = found
    return found


def judge(index: Index, text: str) -> Decision:
    """Small talk first, then the FAQ (no memo: what the FAQ benchmark times)."""
    kind = smalltalk.detect(text)
    if kind:
        return Decision("smalltalk", smalltalk=kind)
    decision = decide(index.search(text, limit=MAX_CHOICES + 2), lexical_only=index.vectors is None)
    if decision.kind == "none" and index.model is not None and index.sentences is not None \
            and index.model.chat_chance(sentence.embed(text)) >= CHAT:
        return Decision("smalltalk", smalltalk=smalltalk.LEARNED)
    return decision
