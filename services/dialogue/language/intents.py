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
    r"mhm+|mm[- ]?hmm|okay|ok|alright|all right|sounds good|please do|you bet(?:cha)?|indeed|"
    r"(?:i )?reckon so|i (?:do )?reckon(?! not\b)|"
    # (not "we are on the near west side", "I am in Madison": where, not yes)
    r"i do|we do|(?:i am|we are|it is)(?! (?:on|in|at|from|near|over|out|up|down|by|just|located)"
    r"\b)|it'?s true|i would|we would|i'?d like that|go ahead|fine|"
    r"perfect|great|that works|works for me|that'?d be (?:great|good|fine|nice)|i guess so|"
    r"i think so|why not|let'?s do (?:it|that)|sure thing|that one|affirmative|exactly|"
    r"yes please|you got it|that'?s me|speaking|"
    # "That's fine, I'll talk with whoever" (not "that's fine, but not now")
    r"(?:that'?s (?:fine|good|great)|that'?ll (?:be fine|do|work)|that would (?:be fine|work))"
    r"\b(?!.*\b(?:but|not|no thanks|don'?t|won'?t|can'?t)\b))\b"
)
_NO = re.compile(
    r"^(?:well,?\s+|oh,?\s+|um+,?\s+|uh+,?\s+)?(?:no|nope|nah|not really|not at all|"
    r"i don'?t|we don'?t|i do not|we do not|i don'?t think so|negative|no thanks|"
    r"no thank you|never|not yet|i'?m not|we'?re not|it isn'?t|it'?s not|it is not|"
    r"i haven'?t|we haven'?t|not that i know|i wouldn'?t|we wouldn'?t|neither|none|"
    r"(?:i )?reckon not)\b"
    # "I'm not too worried about the rest", "I'm not picky": no worry, not a no
    r"(?!,? (?:(?:too|that|so|all that|really|very|overly|one bit)\s)?(?:worried|concerned|"
    r"bothered|fussed|fussy|picky|particular|in a (?:hurry|rush)|opposed|against it|scared|"
    r"afraid|nervous)\b)"
)
#: (not "before I say yes": a yes talked about, not said)
_YES_ANYWHERE = re.compile(
    r"(?<!say )(?<!said )(?<!saying )(?<!says )\b(?:yes|yeah|yep|sure thing|absolutely|of course|"
    r"definitely)\b"
)
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
#: an appointment already made: "I made an appointment earlier", "I have a consultation
#: Tuesday", "my appointment"
_BOOKED_BEFORE = re.compile(
    # (not asked for: "can I set up an appointment?", "could we have a meeting?")
    r"(?<!can )(?<!could )(?<!would )(?<!should )(?<!shall )(?<!may )(?<!do )(?<!did )"
    r"\b(?:i|we) (?:already |just )?(?:made|booked|scheduled|set up|have|had|got|'ve got) "
    r"(?:an?|my|the|our|that) (?:appointment|consultation|meeting)\b|\b(?:my|our) (?:appointment|"
    r"consultation|meeting)\b|\b(?:i|we) (?:was|were) (?:booked|scheduled)\b|"
    # said in the past: "I set something up with you the other day", "we lined up a time last
    # week"
    r"\b(?:i|we) (?:already )?(?:set|lined|made|booked|scheduled|got) (?:something|a time|one|it|"
    r"that|an? (?:time|date|call)) (?:up )?(?:with (?:you|y'?all|your \w+) )?(?:already|the other "
    r"day|last (?:week|time|month|\w+day)|yesterday|earlier|a (?:few|couple)(?: of)? days ago|"
    r"(?:a )?(?:few|couple)(?: of)? (?:days|weeks) ago)\b"
)
#: someone else keeps something: "can my kids keep it?", "so they can keep it if they pay it
#: off?" (the house, not the appointment)
_OTHERS_KEEP = re.compile(
    r"\b(?:they|he|she|kids|children|heirs|son|daughter|sons|daughters|family|grandkids|"
    r"grandchildren|wife|husband|spouse|who)\b(?: [\w']+){0,3} keep\b"
)
#: information asked for about the loan, not about a person: "send me the information", "give
#: me the details"
_ABOUT_THE_LOAN = re.compile(
    r"\b(?:send|give|tell|show|mail|email|e-mail) (?:me|us) (?:the|some|your|a|that) "
    r"(?:information|info|details|brochure|packet|paperwork)\b(?! (?:on|about|for|of) (?!(?:the |"
    r"a |this |these |your |how )?(?:reverse|program|loan|mortgage|hecm|how|it\b|this\b)))"
)
#: someone else's record: "my neighbor's", "his", "the last caller's"
_SOMEONE_ELSES = re.compile(
    r"\b(?:his|her|their|neighbou?r'?s?|someone|somebody|another|other (?:people|callers|"
    r"customers)|callers?|customers?|clients?|leads?|ssn|social security number)\b|\d{3}"
)
#: a request taken back: "no, never mind", "forget I asked", "scratch that"
_NEVER_MIND = re.compile(
    r"\bnever ?mind\b|\bforget (?:it|that|i asked|about (?:it|that))\b|\bscratch that\b|"
    r"\bdon'?t worry about (?:it|that)\b"
)
#: requests a "never mind" takes back
#: e-mail turned down: "I don't do the email", "no email", "never look at my email"
_NO_EMAIL = re.compile(
    r"\b(?:no|don'?t (?:really |even |ever |much )?(?:do|have|use|check|want|need)|do not "
    r"(?:really |even )?(?:do|have|use)|never (?:look at|check|use)|not (?:on|into|big on|much "
    r"for|one for))(?: the| any| my| an| that)? e-?mails?\b"
)
_EMAIL_ME = re.compile(r"\be-?mail (?:me|it|us)\b|\bsend\b|\bin writing\b|\bmy e-?mail is\b")
#: a do-not-call said not to be one
_NOT_A_DNC = re.compile(
    r"\b(?:(?:you )?(?:don'?t|do not|doesn'?t|does not|no need to|needn'?t) (?:have to |need to |"
    r"bother to |gotta )?(?:take|put|cross|scratch|strike|remove) (?:me|us|my number|our number|"
    r"my name)(?: off| on)?(?: (?:of )?(?:anything|any list|your list|the list))?|"
    r"(?:you )?can keep (?:my|our) (?:number|name)(?: on file)?|"
    r"not asking (?:you )?to (?:take|stop|remove)[^.,;!?]*)"
)
#: a person now, not the broker later: "a real person", "right now", "transfer me"
_A_PERSON_NOW = re.compile(
    r"\b(?:right now|now|transfer|connect me|put me through|operator|supervisor|manager)\b"
)
#: when to meet, said with wanting to talk to someone
_MEETING_WHEN = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week|"
    r"mornings?|afternoons?|evenings?|o'?clock|a\.?m\b|p\.?m\b)"
)
_TAKEN_BACK = (Intent.EMAIL, Intent.CALLBACK, Intent.BOOK, Intent.HUMAN, Intent.RESCHEDULE,
               Intent.CANCEL, Intent.APPOINTMENT_QUERY)  # fmt: skip
#: words that close a call when Barbara did not ask if there was more
_CLOSING = re.compile(
    r"that'?s (?:all(?! right)|it|everything)|nothing else|have a \w+ (?:day|one)"
)
#: the caller may ring back themselves: "then I may call back", "I might call you"
_CALLER_MAY_CALL = re.compile(
    r"\b(?:i|we) (?:may|might|could|can|will|'ll)(?: then| maybe)? (?:call|ring|phone)(?: you)?"
    r"(?: back)?\b"
)
#: the caller, not Barbara, will make the next call
_CALLER_WILL_CALL = re.compile(
    r"\b(?:i'?ll|we'?ll|i will|we will|i'?m going to|we'?re going to) (?:call|reach out|get back|"
    r"ring|contact|get in touch)|\bwhen (?:i'?m|we'?re|i am|we are) ready\b"
)


def _refine_intents(heard: Heard, low: str, expect: Expect) -> None:
    intents = heard.intents
    if (
        Intent.NOT_INTERESTED in intents
        and Intent.WRONG_PERSON in intents
        and re.search(
            r"\bnot for (?:me|us)\b[^.?!]{0,20}\b(?:it'?s|its|it is) (?:her|his|their|my)", low
        )
    ):
        intents.discard(Intent.NOT_INTERESTED)  # "it's not for me, it's her house": someone else's
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
    _not_ready(heard, low)
    if Intent.KEEP in intents and _OTHERS_KEEP.search(low):
        intents.discard(Intent.KEEP)  # "so they can keep it if they pay it off?": the house
    _never_mind(heard, low)
    if Intent.PRIVACY in intents and _ABOUT_THE_LOAN.search(low) and not _SOMEONE_ELSES.search(low):
        # "just send me the information in writing": about reverse mortgages, nobody's record
        if not _INTENT_PATTERNS[Intent.PRIVACY].search(_ABOUT_THE_LOAN.sub(" ", low)):
            intents.discard(Intent.PRIVACY)
    if (
        expect in (Expect.APPOINTMENT_ACTION, Expect.CANCEL_CONFIRM)
        and re.search(r"\b(?:when|what (?:time|day|date))(?:'s| is| was)(?: it| that)\b", low)
        and not intents & {Intent.CANCEL, Intent.RESCHEDULE}
    ):
        intents.add(Intent.APPOINTMENT_QUERY)  # "when is it again?", just told of it
    if Intent.ROBOT in intents:
        intents.add(Intent.WHO_ARE_YOU)
    if Intent.AUTHORITY in intents:
        for intent in (Intent.HUMAN, Intent.BOOK, Intent.WRONG_PERSON, Intent.HOLD_ON):
            intents.discard(intent)
    if (
        Intent.HUMAN in intents
        and not _A_PERSON_NOW.search(low)
        and (_MEETING_WHEN.search(low) or expect in (Expect.BOOKING_OFFER, Expect.PREFERENCE))
    ):
        # "ok groovy lets talk to the person thursday, after eleven": the broker, at a time —
        # a booking, not a transfer now
        intents.discard(Intent.HUMAN)
        intents.add(Intent.BOOK)
    if Intent.BOOK in intents and re.search(
        r"\b(?:s?he|they|my \w+|her \w+|his \w+) (?:set|signed) (?:one|it|that|me|something) up\b",
        low,
    ) and not _INTENT_PATTERNS[Intent.BOOK].search(re.sub(r"\bset (?:one|it|that|me|something) "
                                                          r"up\b", " ", low)):  # fmt: skip
        intents.discard(Intent.BOOK)  # "my granddaughter set one up": done by someone, before
    if (
        Intent.EMAIL in intents
        and Intent.CALLBACK in intents
        and _EMAIL_ME.search(low)
        and not re.search(r"\b(?:call|ring|phone) (?:me |us |him |her )?back\b|\bcallback\b", low)
    ):
        # "I don't decide without my son. Can you send me something by email and I'll forward
        # it to him?": something to read, asked for in so many words
        intents.discard(Intent.CALLBACK)
    if Intent.EMAIL in intents and _NO_EMAIL.search(low) and not _EMAIL_ME.search(low):
        intents.discard(Intent.EMAIL)  # "No, I don't do the email", "no email, you call me"
    if Intent.STOP_CALLING in intents and _NOT_A_DNC.search(low):
        # "you can keep my number, you don't have to take me off anything, I'm just not
        # interested": a no, and said not to be a do-not-call
        rest = _NOT_A_DNC.sub(" ", low)
        if not _INTENT_PATTERNS[Intent.STOP_CALLING].search(rest):
            intents.discard(Intent.STOP_CALLING)
    # "no, hold on, that's from before we refinanced": correcting themselves, not a wait
    held = re.search(
        r"\b(?:no|nope|hmm+|um+|uh+|oh)[,.]?\s+(?:hold on|hang on|wait a (?:minute|second|sec|"
        r"moment))\b",
        low,
    )
    if (
        Intent.HOLD_ON in intents
        and held
        and len(low[held.end() :].split()) >= 4
        and not re.search(
            r"\b(?:let me|i'?ll (?:get|grab|go|put)|go get|while i|one (?:moment|second|minute)|"
            r"(?:s?he|they)'?s (?:coming|right here))\b",
            low[held.end() :],
        )
    ):
        intents.discard(Intent.HOLD_ON)  # "no, hold on, that's from before we refinanced …"
    if Intent.HUMAN in intents:
        intents.discard(Intent.BOOK)
    if intents & {Intent.CANCEL, Intent.KEEP, Intent.APPOINTMENT_QUERY, Intent.RESCHEDULE}:
        intents.discard(Intent.BOOK)  # "appointment" is said, but nothing new is booked
    if Intent.OTHER_LENDER in intents and _PAST_LOAN.search(low) and not _LENDER_NOW.search(low):
        intents.discard(Intent.OTHER_LENDER)  # "I did a cash-out refinance a couple years back"
    if Intent.OTHER_LENDER in intents:
        intents.discard(Intent.BAD_TIMING)
        intents.discard(Intent.BOOK)  # "my credit union already set it up for us"
    if expect == Expect.BOOKING_OFFER and heard.no and Intent.BOOK in intents:
        intents.discard(Intent.BOOK)
    if re.search(
        r"\b(?:no|not|don'?t|never)\b.{0,20}\b(?:book|schedul|appointment|set up (?:any|a|the)"
        r" (?:meeting|consultation))",
        low,
    ):
        intents.discard(Intent.BOOK)
    if Intent.BOOK in intents and _THEIR_APPOINTMENT.search(low):
        # "I'm about to head out for a doctor's appointment": theirs, not one to book
        if not _INTENT_PATTERNS[Intent.BOOK].search(_THEIR_APPOINTMENT.sub(" ", low)):
            intents.discard(Intent.BOOK)
    if Intent.BOOK in intents and _BOOKED_BEFORE.search(low):
        # "I made an appointment earlier today": one they have, not one to make
        if not _INTENT_PATTERNS[Intent.BOOK].search(_BOOKED_BEFORE.sub(" ", low)):
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
        # "written material to review, and then I may call back. Can you email it?": they will
        or (
            Intent.EMAIL in intents
            and _CALLER_MAY_CALL.search(low)
            and not _CALLBACK_ASKED.search(low)
        )
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


#: an appointment of the caller's own elsewhere
_THEIR_APPOINTMENT = re.compile(
    r"\b(?:doctor'?s?|doctors|dentist'?s?|hair|medical|hospital|eye|dialysis|clinic|therapy|vet'?s?|"
    r"lawyer'?s?|bank|church|physical therapy|chemo|foot|heart|skin) (?:appointment|appt|visit)s?\b"
)
#: a loan taken out in the past: the mortgage they have, not a lender helping them now
_PAST_LOAN = re.compile(
    r"\b(?:did|got|had|took out|took)\b[^.?!]{0,30}\b(?:refinanc\w*|refi|loan|heloc|home equity)"
    r"\b[^.?!]{0,40}\b(?:ago|back|last year|in (?:19|20)\d\d)\b|\brefinanced\b[^.?!]{0,40}\b(?:ago|"
    r"back|last year|in (?:19|20)\d\d)\b|"
    # "my boy co-signed on the loan when I refinanced"
    r"\b(?:when|after|since) (?:i|we) (?:refinanced|refi'?d|took (?:it |that )?out)\b|"
    r"\bco-?sign\w*|"
    # "I refinanced when my grandson had his troubles": done, whenever it was
    r"\b(?:i|we|they) (?:re-?financed|refi'?d)\b"
)
_LENDER_NOW = re.compile(
    r"\b(?:already|currently|right now|now) (?:working|talking|dealing|applying|going)|"
    r"\b(?:handling|helping|processing|putting)\b.{0,30}\b(?:reverse|hecm|application)"
)


def past_loan(low: str) -> bool:
    """A loan they had (a refinance, a co-signer), not a lender helping them now."""
    return bool(_PAST_LOAN.search(low)) and not _LENDER_NOW.search(low)


#: a meeting turned down for now: "I'm not ready to meet with anybody", "not ready to sign
#: anything" ("… yet" leaves the door open: unsure, not a no)
_NOT_READY = re.compile(
    r"\bnot (?:one|much|big|really one) for (?:meetings?|appointments?|sitting down)|"
    r"\bnot (?:really |quite )?ready (?:to|for) (?:meet|talk|speak|sit down|sign|commit|book|"
    r"schedul|set (?:anything|something|it) up|make an? (?:appointment|decision)|an? "
    r"(?:appointment|meeting|consultation)|any(?:thing|body|one)|do (?:anything|this|that|it|"
    r"one))(?![^.?!]*\byet\b)|"
    # "I don't want to meet with anyone right now" (not "I don't want to talk to a machine")
    r"\b(?:don'?t|do not) (?:really )?(?:want|wish|need) to (?:meet|sit down|book|schedul|set "
    r"(?:anything|something|it) up|make an? (?:appointment|decision)|have an? (?:appointment|"
    r"meeting|consultation))(?![^.?!]*\b(?:yet|without|until|till|before|unless)\b)"
)

#: time to think or to ask family first
_THINK_IT_OVER = re.compile(
    r"\b(?:sleep on it|think (?:it over|it through|about it)|mull (?:it )?over|talk (?:it over |"
    r"this "
    r"over |things over )?(?:with|to) (?:my|our)|discuss (?:it|this) with|run (?:it|this) by|"
    r"ask (?:my|our) (?:son|daughter|kids|children|family|husband|wife|lawyer|accountant))\b"
)


def _not_ready(heard: Heard, low: str) -> None:
    """ "Thanks, I understand it now. I'm not ready to meet with anybody": no to a meeting, not
    a request for one; unless they ask for something else instead (an email, a call back)."""
    said = _NOT_READY.search(low)
    if not said:
        return
    rest = low[: said.start()] + " " + low[said.end() :]
    if not _INTENT_PATTERNS[Intent.BOOK].search(rest):
        heard.intents.discard(Intent.BOOK)
    wants = {Intent.BOOK, Intent.EMAIL, Intent.CALLBACK, Intent.BAD_TIMING, Intent.HUMAN}
    questions_first = re.search(
        r"\b(?:questions?|ask (?:you )?(?:something|a few)|wondering|first)\b", rest
    )  # "I have some questions first … I'm not ready to sign anything": questions, not a no
    if _THINK_IT_OVER.search(rest):
        heard.intents.add(Intent.UNSURE)  # "not ready to commit; I'd like to sleep on it and
        return  # talk with my son": the door is open, not a no
    called_in = re.search(r"\b(?:i'?m|i am) calling (?:about|on|regarding|for)\b", rest)
    if not heard.intents & wants and "?" not in low and not questions_first and not called_in:
        # ("I'm calling about the letter. I'm not ready to talk to a broker or anything": they
        # called to hear about it, just not to meet yet)
        heard.intents.discard(Intent.UNSURE)
        heard.intents.add(Intent.NOT_INTERESTED)


def _never_mind(heard: Heard, low: str) -> None:
    """A request taken back in the same breath ("could you send my son the details too? no,
    never mind, I'll tell him myself") asks for nothing: only what is said after it counts."""
    said = list(_NEVER_MIND.finditer(low))
    if not said:
        return
    last = said[-1]
    before, after = low[: last.start()], low[last.end() :]
    for intent in _TAKEN_BACK:
        pattern = _INTENT_PATTERNS[intent]
        if intent in heard.intents and pattern.search(before) and not pattern.search(after):
            heard.intents.discard(intent)
    if heard.question and not re.search(r"\?", after) and "?" in before:
        heard.question = False


def _closes(low: str, match: re.Match[str]) -> bool:
    """Whether "that's it" (or "nothing else", "have a good day") closes the call; not after an
    amount: "thirty thousand on a home equity line, that's it" (or "nothing else") is all there
    is of it."""
    return not (
        match.group().startswith(("that", "nothing"))
        and _HAS_NUMBER.search(re.split(r"[.!?;]", low[: match.start()])[-1])
        and re.match(r"[\s,.!]*(?:(?:i|we) (?:owe|have|got)\b.*)?$", low[match.end() :])
    )


#: who the caller is to the one the letter was for: "it's addressed to my neighbor", "I live
#: next door"
_RELATION_TO_ADDRESSEE = re.compile(
    r"\b(?:addressed|meant|sent) (?:to|for) my (neighbou?r|landlord|tenant|friend|roommate)\b|"
    r"\b(?:my|our) (neighbou?r|landlord|tenant)'?s (?:letter|mail)\b|\b(?:i|we) live (next door)"
    r"\b|\b(?:i'?m|i am) (?:the|a|his|her|their) (neighbou?r|landlord|tenant)\b"
)
_RELATION_NAMES = {"next door": "neighbor", "neighbour": "neighbor"}


def _after_reading(heard: Heard, low: str, own_age: bool) -> None:
    """What only the facts together tell."""
    if Intent.WRONG_PERSON in heard.intents and heard.relation is None:
        related = _RELATION_TO_ADDRESSEE.search(low)
        if related:
            said = next(g for g in related.groups() if g)
            heard.relation = _RELATION_NAMES.get(said, said)
    if Intent.WRONG_PERSON in heard.intents and own_age:
        # "I'm sixty-four. Sorry, that's my wife. I'm sixty.": the caller, about the spouse
        rest = re.sub(rf"that'?s my {_SPOUSE_WORDS}(?:'s age)?\b", " ", low)
        if not _INTENT_PATTERNS[Intent.WRONG_PERSON].search(rest):
            heard.intents.discard(Intent.WRONG_PERSON)
    if Intent.APPOINTMENT_QUERY in heard.intents and heard.topic == "consultation":
        heard.topic = None
    if heard.intents & {Intent.AUTHORITY, Intent.ROBOT} and not heard.objection:
        heard.topic = None
