"""Yes, no, and the intents put right once the table has been read (:func:`_refine_intents`)."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.patterns import _INTENT_PATTERNS
from services.dialogue.language.text import _HAS_NUMBER
from services.dialogue.language.vocabulary import _SPOUSE_WORDS

_YES = re.compile(
    r"^(?:well,?\s+|oh,?\s+|um+,?\s+|uh+,?\s+)?(?:yes|yeah|yep|yup|ya|yea|sure|of course|"
    r"absolutely|definitely|certainly|correct|right|that'?s right|that is right|uh[- ]?huh|"
    r"mhm+|mm[- ]?hmm|okay|ok|alright|all right|sounds good|please do|you bet|indeed|"
    r"i do|we do|i am|we are|it is|it'?s true|i would|we would|i'?d like that|go ahead|fine|"
    r"perfect|great|that works|works for me|that'?d be (?:great|good|fine|nice)|i guess so|"
    r"i think so|why not|let'?s do (?:it|that)|sure thing|that one|affirmative|exactly|"
    r"yes please|you got it|that'?s me|speaking)\b"
)
_NO = re.compile(
    r"^(?:well,?\s+|oh,?\s+|um+,?\s+|uh+,?\s+)?(?:no|nope|nah|not really|not at all|"
    r"i don'?t|we don'?t|i do not|we do not|i don'?t think so|negative|no thanks|"
    r"no thank you|never|not yet|i'?m not|we'?re not|it isn'?t|it'?s not|it is not|"
    r"i haven'?t|we haven'?t|not that i know|i wouldn'?t|we wouldn'?t|neither|none)\b"
)
_YES_ANYWHERE = re.compile(r"\b(?:yes|yeah|yep|sure thing|absolutely|of course|definitely)\b")
_REVERSE_MORTGAGE = re.compile(r"reverse mortgage|\bhecm\b|home equity conversion")
#: a call back turned down: "no callback", "you don't need to call me back"
_NO_CALLBACK = re.compile(
    r"\bno(?:,)? (?:no )?(?:need (?:for a |to )?)?call ?backs?\b|\b(?:don'?t|do not|no need to|"
    r"not) (?:need|want|have)? ?(?:a |any |to )?(?:call ?backs?|call (?:me|us|her|him|them) "
    r"back)\b"
)
#: a call back told of, not asked for: "I was supposed to get a call back", "you were going to
#: call me back", "someone said they'd call me back"
_CALLBACK_AWAITED = re.compile(
    r"\b(?:was|were) (?:supposed|meant|going|scheduled|told) to (?:get |have |be getting |give "
    r"(?:me|us) )?(?:a )?call(?: (?:me|us))? ?back|\b(?:was|were|been) (?:expecting|waiting "
    r"(?:on|for)) (?:a |your |the |that )?call ?back|\b(?:said|promised) (?:you|they|someone|"
    r"somebody|she|he)(?:'d| would| will)? (?:call|ring) (?:me|us) back|\bnever (?:got|heard) "
    r"(?:a |the |my |that )?call ?back|\bmissed (?:your|the|a|my) call ?back"
)
#: a call back asked for all the same: "… so can you call me back Friday?"
_CALLBACK_ASKED = re.compile(
    r"\b(?:can|could|would|will|please) (?:you |someone |somebody |y'?all )?(?:please )?"
    r"call (?:me|us) back\b|\bcall (?:me|us) back (?:on|at|in|this|next|tomorrow|later)"
)
#: words that close a call when Barbara did not ask if there was more
_CLOSING = re.compile(r"that'?s (?:all|it|everything)|nothing else|have a \w+ (?:day|one)")
#: the caller, not Barbara, will make the next call
_CALLER_WILL_CALL = re.compile(
    r"\b(?:i'?ll|we'?ll|i will|we will|i'?m going to|we'?re going to) (?:call|reach out|get back|"
    r"ring|contact|get in touch)|\bwhen (?:i'?m|we'?re|i am|we are) ready\b"
)


def _refine_intents(heard: Heard, low: str, expect: Expect) -> None:
    intents = heard.intents
    if Intent.STOP_CALLING in intents:
        intents.discard(Intent.BAD_TIMING)
        intents.discard(Intent.CALLBACK)
        if not re.search(r"appointment|meeting|consultation", low):
            intents.discard(Intent.CANCEL)  # "cancel the calls": stop calling
    if Intent.CANCEL in intents and re.search(
        r"(?:don'?t|do not|not|no need to|never mind|didn'?t mean to|won'?t) (?:want to |need to "
        r"|have to )?cancel", low
    ):  # fmt: skip
        intents.discard(Intent.CANCEL)
        intents.add(Intent.KEEP)
    if (
        Intent.KEEP in intents
        and Intent.CANCEL in intents
        and not re.search(r"(?:don'?t|do not|no need to|not going to) cancel", low)
    ):
        intents.discard(Intent.KEEP)  # "cancel it, no need to keep it": the cancel counts
    if Intent.ROBOT in intents:
        intents.add(Intent.WHO_ARE_YOU)
    if Intent.AUTHORITY in intents:
        for intent in (Intent.HUMAN, Intent.BOOK, Intent.WRONG_PERSON, Intent.HOLD_ON):
            intents.discard(intent)
    if Intent.HUMAN in intents:
        intents.discard(Intent.BOOK)
    if intents & {Intent.CANCEL, Intent.KEEP, Intent.APPOINTMENT_QUERY, Intent.RESCHEDULE}:
        intents.discard(Intent.BOOK)  # "appointment" is said, but nothing new is booked
    if Intent.OTHER_LENDER in intents:
        intents.discard(Intent.BAD_TIMING)
    if expect == Expect.BOOKING_OFFER and heard.no and Intent.BOOK in intents:
        intents.discard(Intent.BOOK)
    if re.search(r"\b(?:no|not|don'?t|never)\b.{0,20}\b(?:book|schedul|appointment)", low):
        intents.discard(Intent.BOOK)
    if (
        expect in (Expect.CALLBACK_TIME, Expect.CALLBACK_OFFER)
        and Intent.BAD_TIMING in intents
        and not _CALLER_WILL_CALL.search(low)
    ):  # "call me later" answers when; "I'll call you when I'm ready" declines the call back
        intents.discard(Intent.BAD_TIMING)
    if Intent.CALLBACK in intents and (
        _NO_CALLBACK.search(low)
        or (_CALLBACK_AWAITED.search(low) and not _CALLBACK_ASKED.search(low))
    ):  # "no, no callback"; "I was supposed to get a call back but I figured I'd just call"
        intents.discard(Intent.CALLBACK)
    if Intent.WRONG_PERSON in intents and re.search(r"\bthis is (?:him|her|me)\b", low):
        intents.discard(Intent.WRONG_PERSON)
    if expect in (Expect.HOMEOWNER, Expect.PRIMARY) and Intent.LEGAL_TAX in intents:
        intents.discard(Intent.LEGAL_TAX)
    if Intent.GOODBYE in intents and expect != Expect.ANYTHING_ELSE and "bye" not in low:
        # "I'm good" / "all set" only close the call when Barbara asked if there was more
        if not any(_closes(low, m) for m in _CLOSING.finditer(low)):
            intents.discard(Intent.GOODBYE)


def _closes(low: str, match: re.Match[str]) -> bool:
    """Whether "that's it" (or "nothing else", "have a good day") closes the call; not after an
    amount: "thirty thousand on a home equity line, that's it" is all there is of it."""
    return not (
        match.group().startswith("that")
        and _HAS_NUMBER.search(re.split(r"[.!?;]", low[: match.start()])[-1])
        and re.match(r"[\s,.!]*(?:(?:i|we) (?:owe|have|got)\b.*)?$", low[match.end() :])
    )


def _after_reading(heard: Heard, low: str, own_age: bool) -> None:
    """What only the facts together tell."""
    if Intent.WRONG_PERSON in heard.intents and own_age:
        # "I'm sixty-four. Sorry, that's my wife. I'm sixty.": the caller, about the spouse
        rest = re.sub(rf"that'?s my {_SPOUSE_WORDS}(?:'s age)?\b", " ", low)
        if not _INTENT_PATTERNS[Intent.WRONG_PERSON].search(rest):
            heard.intents.discard(Intent.WRONG_PERSON)
    if Intent.APPOINTMENT_QUERY in heard.intents and heard.topic == "consultation":
        heard.topic = None
    if heard.intents & {Intent.AUTHORITY, Intent.ROBOT} and not heard.objection:
        heard.topic = None
