"""The rules' reading and the learned one, weighed together.

The rules stay where they are strong (numbers, ZIPs, dates, amounts, names, and the intents
they recognise); the learned reading (:mod:`.acts`) adds what the caller meant in words the
rules never saw, and checks the rules' call-ending readings. Where the two disagree about
ending the call, or the learned reading is only likely, Barbara asks instead of guessing:
:func:`weigh` then returns the intent to confirm.
"""

from __future__ import annotations

from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.meaning.acts import Act, Reading

#: what each act means to the conversation
INTENT_OF: dict[Act, Intent] = {
    Act.STOP_CALLING: Intent.STOP_CALLING,
    Act.NOT_INTERESTED: Intent.NOT_INTERESTED,
    Act.SEND_INFO: Intent.EMAIL,
    Act.CALLBACK: Intent.CALLBACK,
    Act.BAD_TIMING: Intent.BAD_TIMING,
    Act.OTHER_LENDER: Intent.OTHER_LENDER,
    Act.WRONG_PERSON: Intent.WRONG_PERSON,
    Act.BOOK: Intent.BOOK,
    Act.LINE_TROUBLE: Intent.REPEAT,
    Act.HOLD_ON: Intent.HOLD_ON,
    Act.LEGAL_TAX: Intent.LEGAL_TAX,
}
ACT_OF = {intent: act for act, intent in INTENT_OF.items()}
#: intents that end the call: never taken on a guess
ENDING = (Intent.STOP_CALLING, Intent.NOT_INTERESTED, Intent.OTHER_LENDER)
#: intents the caller decides with; a turn holding one of these is not topped up
DECIDING = frozenset({*ENDING, Intent.EMAIL, Intent.CALLBACK, Intent.BAD_TIMING, Intent.BOOK,
                      Intent.WRONG_PERSON, Intent.HUMAN, Intent.CANCEL, Intent.RESCHEDULE,
                      Intent.KEEP, Intent.APPOINTMENT_QUERY, Intent.AUTHORITY})  # fmt: skip
#: answers about when to meet: "Wednesday at eleven" there is a time, not a call back
TIME_ANSWERS = (Expect.PREFERENCE, Expect.SLOT, Expect.BOOKING_OFFER, Expect.CALLBACK_TIME,
                Expect.CALLBACK_OFFER, Expect.ZIP)  # fmt: skip
#: what a question is when it is not about reverse mortgages
NOT_FOR_THE_KB = (Act.LINE_TROUBLE, Act.ABOUT_US, Act.HOLD_ON, Act.RESUME, Act.STATEMENT)


def weigh(heard: Heard, reading: Reading, expect: Expect) -> Intent | None:
    """Put the learned reading into ``heard``; the call-ending intent to confirm, if any."""
    heard.meaning = reading
    top, confidence = reading.top
    doubt: Intent | None = None
    for intent in ENDING:
        if intent not in heard.intents:
            continue
        act = ACT_OF[intent]
        if reading.likely(act) or top == act:
            continue
        if reading.sure(Act.SEND_INFO):
            heard.intents.discard(intent)  # "not ready to sit down; something I can read"
            heard.intents.add(Intent.EMAIL)
        elif heard.question or reading.sure(Act.ABOUT_US) or reading.sure(Act.RM_QUESTION):
            heard.intents.discard(intent)  # "not interested in selling; is that what this is?"
            heard.question = True
        elif confidence >= 0.5 and top not in (Act.GOODBYE,):
            heard.intents.discard(intent)
            doubt = doubt or intent
    if reading.sure(Act.RESUME) or (reading.sure(Act.STATEMENT) and expect in TIME_ANSWERS):
        # "okay, I'm back, go ahead"; "Wednesday at eleven is fine": no call back asked for
        for intent in (Intent.CALLBACK, Intent.BAD_TIMING, Intent.HOLD_ON):
            if not reading.likely(ACT_OF[intent]):
                heard.intents.discard(intent)
    if heard.intents & DECIDING:
        return doubt
    for act, intent in INTENT_OF.items():
        if not reading.sure(act) or act != top:
            continue
        if intent == Intent.CALLBACK and expect in TIME_ANSWERS:
            continue
        if intent == Intent.BOOK and heard.no:
            continue
        if intent in ENDING and heard.question:
            return doubt or intent  # a question said with it: ask before ending
        heard.intents.add(intent)
    if not heard.intents & DECIDING and doubt is None:
        for intent in ENDING:
            if top == ACT_OF[intent] and not reading.sure(top) and reading.likely(top):
                return intent  # likely, not sure: confirm
    if top == Act.ABOUT_US and reading.sure(top) and heard.question:
        heard.intents.add(Intent.WHO_ARE_YOU)
    if top == Act.RM_QUESTION and reading.likely(top):
        heard.question = heard.question or "?" in heard.text
    return doubt


def for_the_kb(heard: Heard) -> bool:
    """Whether a question is one for the knowledge base (about reverse mortgages), as far as
    the learned reading can tell; without one, every question is."""
    reading = heard.meaning
    if reading is None or heard.topic or heard.objection:
        return True
    top, _ = reading.top
    return reading.likely(Act.RM_QUESTION) or reading.likely(Act.LEGAL_TAX) or (
        top not in NOT_FOR_THE_KB
    )
