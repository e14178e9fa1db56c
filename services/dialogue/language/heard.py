"""What the rules hear in one caller turn: :class:`Heard`, and what was asked (:class:`Expect`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from contracts.tools import PartOfDay, Weekday
from services.dialogue.language.meaning.acts import Reading


class Expect(StrEnum):
    """What Barbara's last question asked for."""

    NOTHING = "nothing"
    NAME = "name"
    LOCATION = "location"
    AGE = "age"
    HOMEOWNER = "homeowner"
    PRIMARY = "primary"
    VALUE = "value"
    BALANCE = "balance"
    BOOKING_OFFER = "booking_offer"
    PREFERENCE = "preference"
    SLOT = "slot"
    ZIP = "zip"
    CALLBACK_OFFER = "callback_offer"
    CALLBACK_TIME = "callback_time"
    EMAIL = "email"
    ANYTHING_ELSE = "anything_else"
    GOOD_TIME = "good_time"
    RIGHT_PERSON = "right_person"
    WAITING = "waiting"
    #: a returning caller gave their first name: their last name, ZIP code or street confirms it
    IDENTITY = "identity"
    APPOINTMENT_ACTION = "appointment_action"  # keep, move or cancel the upcoming appointment
    CANCEL_CONFIRM = "cancel_confirm"
    #: Barbara was not sure the caller meant to end the call (``CallState.unsure_of``): yes/no
    CONFIRM_INTENT = "confirm_intent"


class Intent(StrEnum):
    BOOK = "book"
    STOP_CALLING = "stop_calling"
    NOT_INTERESTED = "not_interested"
    BAD_TIMING = "bad_timing"
    OTHER_LENDER = "other_lender"
    HUMAN = "human"
    GOODBYE = "goodbye"
    THANKS = "thanks"
    EMAIL = "email"
    CALLBACK = "callback"
    WRONG_PERSON = "wrong_person"
    HOLD_ON = "hold_on"
    PRIVACY = "privacy"
    LEGAL_TAX = "legal_tax"
    ANGRY = "angry"
    REPEAT = "repeat"
    UNSURE = "unsure"
    WHO_ARE_YOU = "who_are_you"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"  # call off the booked appointment (never also BOOK)
    KEEP = "keep"  # leave the booked appointment as it is (never also BOOK)
    APPOINTMENT_QUERY = "appointment_query"  # "when is my appointment?" (never also BOOK)
    ROBOT = "robot"  # "are you a robot / a real person?" (never HUMAN; also WHO_ARE_YOU)
    AUTHORITY = "authority"  # claims authority or orders the agent ("I'm your supervisor")


@dataclass
class CallbackWhen:
    weekday: Weekday | None = None
    in_days: int | None = None
    hour: int | None = None
    minute: int = 0
    part_of_day: PartOfDay | None = None
    in_minutes: int | None = None


@dataclass
class Heard:
    """Everything the rules found in one caller turn (``None``: not said)."""

    text: str
    yes: bool = False
    no: bool = False
    first_name: str | None = None
    last_name: str | None = None
    age: int | None = None
    home_value: int | None = None
    mortgage_balance: int | None = None
    amount_needed: int | None = None
    zip: str | None = None
    #: a street address with its house number ("4417 Linden Ave N")
    address: str | None = None
    city: str | None = None
    state: str | None = None
    homeowner: bool | None = None
    primary_residence: bool | None = None
    days: list[Weekday] = field(default_factory=list)
    part_of_day: PartOfDay | None = None
    hour: int | None = None
    #: the hours the caller will take, minutes after midnight on their own clock: an offered
    #: time starts at or after ``starts_from`` and before ``starts_before``
    starts_from: int | None = None
    starts_before: int | None = None
    #: a time named to the minute ("half past ten": 630), for a call back or the nearest slot
    exact_minute: int | None = None
    choice: int | None = None
    choice_rejected: bool = False
    callback: CallbackWhen | None = None
    email: str | None = None
    money_purpose: str | None = None
    timeline: str | None = None
    intents: set[Intent] = field(default_factory=set)
    objection: str | None = None
    topic: str | None = None
    question: bool = False
    relation: str | None = None
    #: every age stated for a borrower (the caller, the spouse/partner), caller first, each
    #: person once with the value they settled on; ``age`` is the youngest of them
    borrower_ages: list[int] = field(default_factory=list)
    #: the caller's own age, when it was said as theirs (``age`` may be a spouse's)
    own_age: int | None = None
    #: the caller mentioned a reverse mortgage (also through mishearings: "reverse mort gauge")
    reverse_mortgage: bool = False
    #: the learned reading of the turn (:mod:`.meaning`), when one was made
    meaning: Reading | None = None
    #: surnames said after a title ("Mrs. Abernathy"), lowercased: never a first name
    surnames_said: set[str] = field(default_factory=set)
    #: the turn trails off mid-thought ("Oh, it's worth, um..."): more is coming
    unfinished: bool = False

    @property
    def silent(self) -> bool:
        return not self.text.strip()

    def has(self, intent: Intent) -> bool:
        return intent in self.intents
