"""The rules' reading and the learned one, weighed together.

The rules stay where they are strong (numbers, ZIPs, dates, amounts, names, and the intents
they recognise); the learned reading (:mod:`.acts`) adds what the caller meant in words the
rules never saw, and checks the rules' call-ending readings. Where the two disagree about
ending the call, or the learned reading is only likely, Barbara asks instead of guessing:
:func:`weigh` then returns the intent to confirm.
"""

from __future__ import annotations

import re

from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.intents import past_loan
from services.dialogue.language.meaning.acts import GATE_ACTS, SURE, Act, Reading

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
#: answers about when to meet: "Wednesday at eleven" there is a time, not a call back
TIME_ANSWERS = (Expect.PREFERENCE, Expect.SLOT, Expect.BOOKING_OFFER, Expect.CALLBACK_TIME,
                Expect.CALLBACK_OFFER, Expect.ZIP)  # fmt: skip
#: a "no" to selling or leaving the home, which a reverse mortgage is not
NOT_A_SALE = re.compile(
    r"\b(?:not|never) (?:interested in|going to|gonna|looking to|about to) (?:sell|selling|"
    r"move|moving|leav(?:e|ing)|giv(?:e|ing) up) (?:my|our|the) (?:house|home|place)|"
    r"\b(?:don'?t|do not) (?:want|plan|intend) to (?:sell|move out of|leave|give up) (?:my|our|"
    r"the) (?:house|home|place)"
)
#: what the caller wants, heard by the rules: the reader does not second-guess it
DECIDING = frozenset({*ENDING, Intent.EMAIL, Intent.CALLBACK, Intent.BAD_TIMING, Intent.BOOK,
                      Intent.WRONG_PERSON, Intent.HUMAN, Intent.CANCEL, Intent.RESCHEDULE,
                      Intent.KEEP, Intent.APPOINTMENT_QUERY, Intent.AUTHORITY, Intent.ROBOT,
                      Intent.PRIVACY, Intent.ANGRY})  # fmt: skip
#: a turn this short that the rules read as a plain answer is not read again
SHORT_ANSWER = 8
#: how far apart two readings must be for the first to count alone
MARGIN = 0.1
#: being contacted, in so many words
CONTACT = re.compile(r"\b(?:call|phone|ring|contact|bother|mail|write|reach)")
#: something to read, asked for in so many words
TO_READ = re.compile(
    r"\b(?:read|look (?:it |that |them )?over|go over|e-?mail(?:ed)?|mail(?:ed)?|send|brochure|"
    r"pamphlet|paper(?:s|work)?|in writing|written|website|booklet|packet|literature)\b"
)
#: readings that are questions: never the top one of a turn that asks nothing
ASKING = (Act.ABOUT_US, Act.RM_QUESTION, Act.LEGAL_TAX)
#: what a question is when it is not about reverse mortgages
NOT_FOR_THE_KB = (Act.LINE_TROUBLE, Act.ABOUT_US, Act.HOLD_ON, Act.RESUME, Act.STATEMENT)

#: words of a loan under way elsewhere: without any, no "another lender?" is read
LENDING = re.compile(
    r"\b(?:lend|loan|mortgage|bank|credit union|broker|compan|officer|hecm|reverse|refinanc|"
    r"application|paperwork|apprais|underwrit|financ|handl|taking care|working on|putting|"
    r"one of (?:these|those|them)|in the works|under ?way|process|closing|signed|counsel)"
)


def weigh(
    heard: Heard,
    reading: Reading,
    expect: Expect,
    *,
    facts: bool = False,
    homeowner_speaking: bool = True,
) -> Intent | None:
    """Put the learned reading into ``heard``; the call-ending intent to confirm, if any.

    ``facts``: the rules read facts in the turn (an age, a name, amounts): it answers a
    question, and the learned reading adds no request to it. ``homeowner_speaking``: false
    when someone else has the phone — the reader then adds nothing that would end the call.
    """
    if not LENDING.search(heard.text.lower()):
        # "I'd like to talk with my son; he's an accountant": nobody lending, whatever it reads
        reading = Reading({a: v for a, v in reading.scores.items() if a != Act.OTHER_LENDER})
    heard.meaning = reading
    if homeowner_speaking:
        read_gates(heard, reading, expect)
    top, confidence = reading.top
    if not heard.question and top in ASKING:
        # "No, it's with a different company. … We're just waiting on the appraisal now.":
        # nothing is asked, so what reads as a question is not the top reading
        said = {a: v for a, v in reading.scores.items() if a not in ASKING and a not in GATE_ACTS}
        if said:
            top = max(said, key=lambda a: said[a])
            confidence = said[top]
    sure_top = top if confidence >= SURE else None
    doubt: Intent | None = None
    if Intent.NOT_INTERESTED in heard.intents and NOT_A_SALE.search(heard.text.lower()):
        # "I'm not interested in selling my house": it is not a sale; said so, not a goodbye
        heard.intents.discard(Intent.NOT_INTERESTED)
        heard.objection = "lose_home"
    if (
        Intent.NOT_INTERESTED in heard.intents
        and Intent.STOP_CALLING not in heard.intents
        and reading.likely(Act.STOP_CALLING)
        and CONTACT.search(heard.text.lower())
    ):
        # "I don't need any loans. And I'd thank you not to ring me about it again": a no, and
        # maybe a do-not-call: asked
        heard.intents.discard(Intent.NOT_INTERESTED)
        doubt = Intent.STOP_CALLING
    for intent in ENDING:
        if intent not in heard.intents or reading.likely(ACT_OF[intent]) or top == ACT_OF[intent]:
            continue
        if reading.sure(Act.SEND_INFO) or (
            reading.likely(Act.SEND_INFO) and TO_READ.search(heard.text.lower())
        ):
            heard.intents.discard(intent)  # "not ready to sit down; something I can read"
            heard.intents.add(Intent.EMAIL)
        elif "?" in heard.text and (
            reading.likely(Act.ABOUT_US) or reading.likely(Act.RM_QUESTION)
        ):
            heard.intents.discard(intent)  # "…, is that what this is?": a question first
            heard.question = True
        elif sure_top in (Act.BOOK, Act.CALLBACK, Act.BAD_TIMING):
            heard.intents.discard(intent)  # the rules heard a goodbye, the reader a request
            doubt = doubt or intent
    if (
        heard.intents & {Intent.BOOK, Intent.CALLBACK}
        and Intent.STOP_CALLING not in heard.intents
        and reading.sure(Act.STOP_CALLING)
        and not reading.likely(Act.BOOK)
        and not reading.likely(Act.CALLBACK)
    ):
        # "whoever's got my number can go ahead and lose it": not "go ahead and book"
        heard.intents -= {Intent.BOOK, Intent.CALLBACK}
        doubt = doubt or Intent.STOP_CALLING
    if (
        Intent.BOOK in heard.intents
        and reading.likely(Act.OTHER_LENDER)
        and not reading.likely(Act.BOOK)
        and re.search(r"\balready\b", heard.text.lower())
    ):
        # "we've already got an appointment with the reverse mortgage lady at our bank": an
        # appointment they have elsewhere, not one to book — asked
        heard.intents.discard(Intent.BOOK)
        doubt = doubt or Intent.OTHER_LENDER
    if (
        Intent.OTHER_LENDER in heard.intents
        and not reading.likely(Act.OTHER_LENDER)
        and (heard.home_value is not None or heard.mortgage_balance is not None)
    ):
        # "I did a cash-out refinance a couple years back … I still owe the bank six hundred":
        # a loan they have, not another lender helping them now
        heard.intents.discard(Intent.OTHER_LENDER)
    if (
        Intent.BOOK in heard.intents
        and reading.sure(Act.SEND_INFO)
        and not reading.likely(Act.BOOK)
    ):
        heard.intents.discard(Intent.BOOK)  # "before I speak to a broker, mail me the papers"
        heard.intents.add(Intent.EMAIL)
    if (
        heard.relation
        and Intent.WRONG_PERSON not in heard.intents
        and reading.likely(Act.WRONG_PERSON)
        and not heard.intents & DECIDING
        and heard.age is None
        and not heard.borrower_ages
    ):
        heard.intents.add(Intent.WRONG_PERSON)  # "this is her son, she's out at the store"
    if reading.sure(Act.RESUME) or (reading.sure(Act.STATEMENT) and expect in TIME_ANSWERS):
        # "okay, I'm back, go ahead"; "Wednesday at eleven is fine": no call back asked for
        for intent in (Intent.CALLBACK, Intent.BAD_TIMING, Intent.HOLD_ON):
            if not reading.likely(ACT_OF[intent]):
                heard.intents.discard(intent)
    if not homeowner_speaking:
        return None  # someone else has the phone: their "no" is not the homeowner's
    if heard.intents & DECIDING or doubt is not None:
        return doubt  # the rules heard what the caller wants: the reader adds no ending
    # a do-not-call the reader hears is always asked about, a question or not ("I'd like this
    # to be the last time anyone rings this house. Can you make a note of that?")
    # a sentence of the turn may end the call though another is a plain statement: "it still
    # sounds like more debt to me. I'd just as soon your people not phone me anymore"
    if (reading.likely(Act.STOP_CALLING) and Intent.GOODBYE not in heard.intents) or (
        reading.sure(Act.STOP_CALLING)
    ):
        return Intent.STOP_CALLING  # never ended on the reader's word alone: asked
    if heard.text.rstrip().endswith("?"):
        # a turn that ends on a question is never read as a decline: "why do you need that?"
        if heard.question:
            _top_up(heard, reading, expect, facts)
        return None
    money_talk = heard.home_value is not None or heard.mortgage_balance is not None
    concern = heard.objection is not None  # "I know all about these scams, …": no lender
    if past_loan(heard.text.lower()):
        concern = True  # "my boy co-signed on the loan when I refinanced": a loan they had
    if reading.sure(Act.OTHER_LENDER) and not heard.question and not money_talk and not concern:
        heard.intents.add(Intent.OTHER_LENDER)  # "my nephew is in mortgages, he's doing mine"
        return None
    if reading.sure(Act.OTHER_LENDER) and money_talk and not concern:
        return Intent.OTHER_LENDER  # "a refinance years back … I owe the bank six hundred": asked
    if reading.likely(Act.OTHER_LENDER) and top == Act.OTHER_LENDER and not concern:
        return Intent.OTHER_LENDER
    ranked = sorted(
        (
            (v, a)
            for a, v in reading.scores.items()
            if a not in (Act.STATEMENT, Act.RESUME) and a not in GATE_ACTS
        ),
        reverse=True,
    )
    if (
        len(ranked) >= 2
        and ranked[0][0] - ranked[1][0] < MARGIN
        and reading.likely(ranked[0][1])
        and not concern
    ):
        # two readings as likely as each other ("he's putting one of these together for me"):
        # one that would end the call is asked about; nothing is added on a coin toss
        for _, act in ranked[:2]:
            if INTENT_OF.get(act) in ENDING and reading.likely(act):
                return INTENT_OF[act]
        return None
    if heard.question and "?" in heard.text:
        # "Do my children have to sign anything? I don't want to make it a big family thing.":
        # a question with a worry after it is answered, not read as a decline
        _top_up(heard, reading, expect, facts)
        return None
    if top == Act.NOT_INTERESTED and expect == Expect.ANYTHING_ELSE and heard.no:
        return None  # "no, that's all set, thanks" to "anything else?": nothing more, no decline
    if (
        top == Act.NOT_INTERESTED
        and (reading.sure(Act.NOT_INTERESTED) or (reading.likely(Act.NOT_INTERESTED) and heard.no))
        # ("I'm not ready to talk to a broker or anything": not yet, which the policy hears)
        and Intent.UNSURE not in heard.intents
    ):
        # asked: information to read, or leave it there? ("No, no need. We'll get our money
        # when it sells.")
        return Intent.NOT_INTERESTED
    _top_up(heard, reading, expect, facts)
    return None


#: how far ahead of its opposite a reading about the home must be to count
GATE_MARGIN = 0.3
#: each gate: the reading that says yes, the one that says no, the question that asks it
GATES = (
    ("homeowner", Act.OWNS, Act.NOT_OWNER, Expect.HOMEOWNER),
    ("primary_residence", Act.LIVES_THERE, Act.LIVES_ELSEWHERE, Expect.PRIMARY),
)


def read_gates(heard: Heard, reading: Reading, expect: Expect) -> None:
    """What the caller said about the home, where the rules heard nothing of it ("it's just
    me living there now"); what the rules heard stands ("I own it, … my grandson rents the
    upstairs" is a homeowner, though the reader hears a tenant). A "no" is taken when the
    reader is sure of it (it ends the call), a "yes" when sure or likely in answer to its own
    question; either only well ahead of the other (:data:`GATE_MARGIN`). A lone question ("do
    I have to own it outright?") says nothing of the home."""
    if heard.question and len(_SENTENCES.split(heard.text.strip())) < 2:
        return
    for field, yes, no, asked in GATES:
        said: bool | None = getattr(heard, field)
        lead = reading.of(yes) - reading.of(no)
        says_no = reading.sure(no) and lead <= -GATE_MARGIN
        says_yes = (reading.sure(yes) or (expect == asked and reading.likely(yes))) and (
            lead >= GATE_MARGIN
        )
        if said is None and (says_no or says_yes):
            setattr(heard, field, says_yes)
    if heard.homeowner is False and heard.primary_residence is True:
        heard.primary_residence = None  # a tenant: no owned home to live in or not


_SENTENCES = re.compile(r"(?<=[.!?])\s+")


#: a call made already, and one still to make
CALLED = re.compile(r"\b(?:called|rang|phoned)\b")
CALL_AHEAD = re.compile(r"\b(?:call|ring|phone|try|reach)\b")


#: words of something to read or be sent
SOMETHING_TO_READ = re.compile(
    r"\b(?:e-?mail|mail|send|sent|read|write|writing|brochure|pamphlet|paper|papers|packet|"
    r"information|info|literature|letter|website|online|look (?:it )?over)\b"
)


def _top_up(heard: Heard, reading: Reading, expect: Expect, facts: bool) -> None:
    """A request the rules did not hear, when the reader is sure of it and the rules heard
    nothing else (never one that ends the call)."""
    asked: dict[Act, float] = {
        a: v
        for a, v in reading.scores.items()
        if a not in (Act.STATEMENT, Act.RESUME) and a not in GATE_ACTS
    }
    top = max(asked, key=lambda a: asked[a]) if asked else Act.STATEMENT
    if heard.intents - {Intent.THANKS, Intent.WHO_ARE_YOU} or facts or not reading.sure(top):
        return
    if top == Act.ABOUT_US and heard.question:
        heard.intents.add(Intent.WHO_ARE_YOU)
    intent = INTENT_OF.get(top)
    if intent is None or intent in ENDING or intent == Intent.WRONG_PERSON:
        return  # (someone else on the phone is heard with whose they are: see weigh())
    if intent == Intent.CALLBACK and expect in TIME_ANSWERS:
        return
    if heard.no:
        return  # "Nope, no email, I don't do the computer": a no is no request
    if intent == Intent.EMAIL and heard.yes and not SOMETHING_TO_READ.search(heard.text.lower()):
        return  # "Sure, we'd both like to hear what it's about": a yes to the meeting
    low = heard.text.lower()
    if intent == Intent.CALLBACK and CALLED.search(low) and not CALL_AHEAD.search(low):
        return  # "You called me… no wait, I called you": a call made, none asked for

    heard.intents.add(intent)


def needs_reading(heard: Heard, facts: bool) -> bool:
    """Whether the learned reader has anything to add: not to a short plain answer the rules
    read whole ("Sixty-eight.", "98115", "Yes, we own it."), where it would only cost time."""
    short = len(heard.text.split()) <= SHORT_ANSWER
    return not (short and not heard.intents - {Intent.THANKS} and not heard.question and (
        facts or heard.yes or heard.no or heard.choice is not None or heard.days
        or heard.part_of_day
    ))  # fmt: skip


def for_the_kb(heard: Heard) -> bool:
    """Whether a question is one for the knowledge base (about reverse mortgages), as far as
    the learned reading can tell; without one, every question is."""
    reading = heard.meaning
    if reading is None or heard.topic or heard.objection:
        return True
    top, _ = reading.top
    return (
        reading.likely(Act.RM_QUESTION)
        or reading.likely(Act.LEGAL_TAX)
        or (top not in NOT_FOR_THE_KB)
        # asked aloud, and no other reading it is likely to be: the question stands
        or ("?" in heard.text and not reading.likely(top))
    )
