"""Barbara's templated lines for the offline policy: warm, plain, one or two sentences."""

from __future__ import annotations

from contracts.calls import CallDirection, CallType

GREETING_INBOUND = (
    "Hello, thank you for calling Equity Connect! This is Barbara, an AI assistant, and this "
    "call may be recorded; may I ask who I'm speaking with?"
)
GREETING_OUTBOUND = (
    "Hello, this is Barbara, an AI assistant calling from Equity Connect, and this call may be "
    "recorded. May I ask who I'm speaking with?"
)


def greeting(direction: CallDirection, call_type: CallType) -> str:
    return GREETING_OUTBOUND if direction == CallDirection.OUTBOUND else GREETING_INBOUND


ASK = {
    "name": "May I have your first and last name, please?",
    "name_again": "I'm sorry, I didn't quite catch your name; could you say it once more?",
    "location": "And what city and state is your home in?",
    "age": "May I ask how old you are, or the youngest homeowner if there are two of you?",
    "homeowner": "Do you own your home?",
    "primary": "And is that the home you live in most of the year?",
    "value": "Roughly what do you think your home is worth today?",
    "balance": "And about how much is left on the mortgage, if anything?",
    "booking_offer": (
        "Would you like me to set up a free, no-obligation consultation with {broker}?"
    ),
    "booking_again": "Would you like me to set up that consultation with {broker}?",
    "more_questions": "What other questions can I answer for you?",
    "anything_else": "Is there anything else I can help you with today?",
    "zip": "What's the ZIP code where your home is, so I can match you with the right broker?",
    "preference": "Do mornings or afternoons suit you better, and is there a day you prefer?",
    "slots": "I have {first} or {second}; which works better for you?",
    "one_slot": "I have {first}; would that work for you?",
    "callback_time": "Of course; what day and time would be best for a call back?",
    "callback_unverified": (
        "Someone from our team can call you back to go over everything and set up a "
        "consultation; what day and time would suit you?"
    ),
    "callback_offer": "Would you like us to call back at a better time for them?",
    "email": "What email address should we send it to?",
    "good_time": (
        "I'm following up about reverse mortgage options you asked about; is now a good time "
        "for a couple of minutes?"
    ),
    "waiting": "Take your time, I'm right here.",
    "zip_verify": "What's the ZIP code of your home?",
    "appointment_action": (
        "I see you're booked for {when}; would you like to keep it, move it, or cancel it?"
    ),
}

#: what would confirm a known caller, as asked for ("your last name or the ZIP code …")
_IDENTITY_WORDS = {
    "last_name": "your last name",
    "first_name": "your first and last name",
    "zip": "the ZIP code of the home",
    "address": "the street address of the home",
}


def identity_wanted(needs: list[str]) -> str:
    """ "your last name or the ZIP code of the home": what would confirm a known caller."""
    name = next((n for n in ("last_name", "first_name") if n in needs), None)
    place = next((p for p in ("zip", "address") if p in needs), None)
    return " or ".join(_IDENTITY_WORDS[n] for n in (name, place) if n)


def identity_question(needs: list[str], *, again: bool = False) -> str:
    """Ask a known caller for one more thing that confirms who they are (never saying what is on
    file): the first time plainly, the second time with a way out."""
    what = identity_wanted(needs)
    if again:
        return f"Would you mind telling me {what}, or would you rather not?"
    return f"Just to be sure I have the right file, could you tell me {what}?"


WHY_IDENTITY = (
    "It's only so I'm sure I'm speaking with the right person before we go over anything on file."
)
DECLINED_IDENTITY = "That's quite all right."

#: The second time a question is asked, in other words (never a third time).
REPHRASE = {
    "name": "I'm sorry, I didn't quite catch your name; what should I call you?",
    "age": "Could you tell me your age, or the age of the youngest owner of the home?",
    "homeowner": "Is the home yours, I mean, do you own it rather than rent?",
    "primary": "Do you live in that home most of the year, rather than somewhere else?",
    "value": "Just a rough guess is fine: what might your home sell for today?",
    "balance": "Is there still a mortgage on the home, and if so, roughly how much?",
    "zip": "If you know it, what's the ZIP code of the home? If not, that's fine too.",
    "location": "Which city and state is the home in?",
    "preference": "Is there a day of the week, morning or afternoon, that works best?",
    "callback_time": "When would be a good day and time for us to call you back?",
    "email": "What's the email address? Spelling it out a bit at a time is fine.",
    "appointment_action": "Would you like to keep that appointment, move it, or cancel it?",
}

OBJECTION_ANSWERS = {
    "scam": (
        "It's smart to be careful: this is a federally insured loan program, you can look up "
        "any broker's license yourself, and there's never any pressure from us."
    ),
    "lose_home": (
        "You keep the title to your home, and as long as you live there and keep up the taxes, "
        "insurance and upkeep, no one can make you leave."
    ),
    "heirs": (
        "Your heirs still inherit the home; they can keep it by paying off the loan or sell it, "
        "and they never owe more than the home is worth."
    ),
    "fees": (
        "There are closing costs and insurance, much like a regular mortgage, and most can be "
        "paid from the loan itself; the broker will walk you through every number."
    ),
    "existing_mortgage": (
        "That's very common: the reverse mortgage pays off the existing mortgage first, so you "
        "no longer have a monthly mortgage payment."
    ),
    "moving": (
        "If you move out for good or sell, the loan is simply repaid from the sale, and you or "
        "your heirs keep whatever equity is left."
    ),
}

NOT_QUALIFIED = {
    "age_below_62": (
        "Thank you for sharing that; a reverse mortgage needs the youngest homeowner to be at "
        "least sixty-two, so please do call us again once you reach that birthday."
    ),
    "not_homeowner": (
        "Thank you; a reverse mortgage is only for homeowners, so it wouldn't be a fit right "
        "now, but we're always happy to answer questions."
    ),
    "not_primary_residence": (
        "Thank you; a reverse mortgage has to be on the home you live in most of the year, so "
        "if your main home might work instead, we'd be glad to talk about that another time."
    ),
    "insufficient_equity": (
        "Thank you for walking through that with me; it looks like there isn't quite enough "
        "equity in the home right now, but things change, so please call us again anytime."
    ),
}

GOODBYE = "Take care, and goodbye!"
DNC = (
    "I'm so sorry for the bother; I've taken your number off our list and you won't hear from "
    "us again. Goodbye!"
)
PRIVACY = "I'm sorry, I can't look up or share anyone's personal records over the phone."
CANCELLED = (
    "All right, your appointment is cancelled; you're welcome to call us whenever you're ready."
)
CANCEL_FAILED = (
    "I'm sorry, I couldn't cancel it just now; someone will call you to take care of it."
)
ROBOT = (
    "I'm Barbara, an AI assistant with Equity Connect, not a person; I can answer your "
    "questions and set up a call with a licensed broker."
)
AUTHORITY = (
    "I'm sorry, I can't change how I work or share anyone's information; I'm glad to help "
    "with questions about reverse mortgages."
)
WHO = "Yes, you've reached Equity Connect; we help homeowners learn about reverse mortgages."
NO_ANSWER = (
    "That's a great question for the broker, and I'll make sure it's covered in your consultation."
)
LEGAL_TAX = (
    "For your own situation, a tax professional, a benefits counselor or an attorney is the "
    "best person to ask."
)
#: a question about Equity Connect itself: who is calling, why, the letters
ABOUT_US = (
    "This is Equity Connect; we help homeowners sixty-two and older learn about reverse "
    "mortgages, and yes, we do send letters about them."
)
#: a question that is not about reverse mortgages, and not one Barbara can answer
OFF_TOPIC = "I'm afraid I can't help with that one."
#: Barbara was not sure the caller meant to end the call: she asks (yes/no)
CONFIRM = {
    "stop_calling": (
        "Just to be sure: shall I note that no one from Equity Connect should contact you again?"
    ),
    "not_interested": (
        "I understand; would you like some information by email to read, or shall we leave it "
        "there for now?"
    ),
    "other_lender": "Just to be sure, is someone else already helping you with a reverse mortgage?",
}
#: "how'd you get my number?"
HOW_CONTACTED = (
    "We reach homeowners who may qualify through mailing lists, and you're welcome to ask us "
    "never to contact you again."
)
#: "will they call me at this same number?"
HOW_REACHED = "Yes, the broker will call you at the number on file, at the time you choose."
#: a caller who turned us down after asking how we reached them
OFFER_NO_CONTACT = "Would you like me to make sure no one from Equity Connect contacts you again?"
SORRY_AGAIN = "I'm sorry, I didn't quite catch that."
STILL_THERE = "Are you still there?"
HUMAN_CALLBACK = "I can't transfer you right now, but I can have a person call you back."
ANGRY = "I'm sorry for the frustration, and I'd be glad to have a person call you back."
NOT_INTERESTED = (
    "I understand completely, and thank you for your time; we're here if anything changes."
)
#: a reverse mortgage they already have: questions about it go to its servicer
SERVICER = (
    "We aren't the company that services your loan, so I can't see your account; the phone "
    "number on your servicer's letter or statement is the one to call."
)
OTHER_LENDER = (
    "That's wonderful that you already have help; if you ever want a second opinion, we're here."
)
CAPPED = "I don't want to take up too much of your time; you're welcome to call us back anytime."
WRONG_PERSON_BYE = "Understood, I'll make a note of it. Have a good day!"
OWNER_MOVED_BYE = "Thank you for letting me know; I'll update our records. Have a good day!"
TROUBLE = "I'm sorry, I'm having a little trouble on my end; let me have someone call you back."


def is_outbound(direction: CallDirection) -> bool:
    return direction == CallDirection.OUTBOUND
