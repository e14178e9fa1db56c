"""Rule-based understanding of what a caller said, for the offline policy.

:func:`understand` (in :mod:`.extract`) reads one caller turn into a :class:`Heard`; each
module reads one kind of fact (:mod:`.names`, :mod:`.ages`, :mod:`.money`, :mod:`.places`,
:mod:`.gates`, :mod:`.when`, :mod:`.email`, :mod:`.questions`) from the shared words in
:mod:`.vocabulary` and the intent table in :mod:`.patterns` (another lender's words in
:mod:`.lender`).
"""

from services.dialogue.language.extract import understand
from services.dialogue.language.heard import CallbackWhen, Expect, Heard, Intent
from services.dialogue.language.patterns import STOP_CALLING
from services.dialogue.language.questions import OBJECTIONS, QUESTIONS, kb_query
from services.dialogue.language.text import normalise
from services.dialogue.language.vocabulary import BIG_CITIES, RELATIONS, ROLE_WORDS, STATES

__all__ = [
    "BIG_CITIES",
    "OBJECTIONS",
    "QUESTIONS",
    "RELATIONS",
    "ROLE_WORDS",
    "STATES",
    "STOP_CALLING",
    "CallbackWhen",
    "Expect",
    "Heard",
    "Intent",
    "kb_query",
    "normalise",
    "understand",
]
