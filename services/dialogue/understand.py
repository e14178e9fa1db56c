"""Kept for existing imports: the rule-based understanding now lives in
:mod:`services.dialogue.language` (``understand()`` in :mod:`services.dialogue.language.extract`).

New code should import from :mod:`services.dialogue.language` or its modules.
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
