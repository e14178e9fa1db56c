"""Rule-based understanding of what a caller said, for the offline policy.

``understand(text, expect)`` returns a :class:`Heard`: yes/no, a name, an age, amounts, a ZIP,
a city and state, the gates, days and times, a slot choice, intents (book, stop calling, …),
and the question or objection it raises. ``expect`` is what Barbara just asked, so a bare
"seventy-one" is an age and a bare "no" answers the right question. Nothing here calls out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from contracts.tools import PartOfDay, Weekday
from services.dialogue.numbers import find_numbers, words_to_number


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
    APPOINTMENT_ACTION = "appointment_action"  # keep, move or cancel the upcoming appointment
    CANCEL_CONFIRM = "cancel_confirm"


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
    city: str | None = None
    state: str | None = None
    homeowner: bool | None = None
    primary_residence: bool | None = None
    days: list[Weekday] = field(default_factory=list)
    part_of_day: PartOfDay | None = None
    hour: int | None = None
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
    #: the caller mentioned a reverse mortgage (also through mishearings: "reverse mort gauge")
    reverse_mortgage: bool = False

    @property
    def silent(self) -> bool:
        return not self.text.strip()

    def has(self, intent: Intent) -> bool:
        return intent in self.intents


# ---- vocabulary -----------------------------------------------------------------------------

STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA",
    "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
    "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS",
    "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV", "new hampshire": "NH",
    "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
}  # fmt: skip
_STATE_CODES = set(STATES.values())
_STATE_NAME_RE = re.compile(
    r"\b(" + "|".join(sorted(STATES, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_STATE_CODE_RE = re.compile(r"(?:,\s*|\s)([A-Z]{2})\b(?:\s+\d{5})?\s*[.!?]?\s*$|,\s*([A-Z]{2})\b")
_WEEKDAYS = {
    "monday": Weekday.MON, "mon": Weekday.MON, "tuesday": Weekday.TUE, "tues": Weekday.TUE,
    "tue": Weekday.TUE, "wednesday": Weekday.WED, "weds": Weekday.WED, "wed": Weekday.WED,
    "thursday": Weekday.THU, "thurs": Weekday.THU, "thu": Weekday.THU, "friday": Weekday.FRI,
    "fri": Weekday.FRI, "saturday": Weekday.SAT, "sat": Weekday.SAT, "sunday": Weekday.SUN,
    "sun": Weekday.SUN,
}  # fmt: skip
_WEEKDAY_RE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|"
    r"thu|fri)s?\b"
)
RELATIONS = (
    "husband", "wife", "son", "daughter", "brother", "sister", "caregiver", "neighbor",
    "neighbour", "friend", "grandson", "granddaughter", "nephew", "niece", "mother", "father",
    "mom", "dad", "partner", "spouse", "roommate", "aide", "nurse", "child", "kid",
)  # fmt: skip
_NOT_NAMES = {
    "calling", "not", "sorry", "fine", "good", "doing", "here", "there", "retired", "the",
    "his", "her", "their", "interested", "just", "a", "an", "so", "ready", "looking",
    "worried", "over", "still", "glad", "happy", "okay", "ok", "well", "returning", "about",
    "wondering", "trying", "on", "in", "at", "with", "from", "home", "busy", "afraid", "sure",
    "yes", "yeah", "no", "nope", "hello", "hi", "hey", "concerned", "curious", "thinking",
    "getting", "going", "gonna", "also", "really", "very", "pretty", "quite", "it", "that",
    "this", "what", "who", "is", "me", "my", "we", "i", "you", "your", "speaking", "great",
    "thanks", "thank", "alright", "all", "right", "hold", "one", "wait", "actually", "um",
    "uh", "oh", "and", "but", "or", "because", "old", "young", "years", "owner",
    "homeowner", "renting", "living", "alive", "hard", "deaf", "confused", "tired", "up",
    "out", "back", "done", "finished", "call", "reverse", "mortgage", "equity",
    "bank", "broker", "lender", "scam", "real", "person", "human", "robot", "ai", "barbara",
    "mister", "missus", "mrs", "mr", "ms", "miss", "dr", "doctor", "hmm", "huh", "nobody",
    "someone", "somebody", "anyone", "fine.", "age", "aged", "born", "turning", "turned",
    "now", "today", "currently", "almost", "nearly", "around", "sixty", "seventy",
    "eighty", "ninety", "fifty", "forty", "like", "love", "want", "need", "have", "had",
}  # fmt: skip
_NOT_NAMES |= set(RELATIONS) | set(_WEEKDAYS)
_HONORIFICS = re.compile(r"\b(?:mr|mrs|ms|miss|mister|missus|dr)\.?\s+", re.IGNORECASE)

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

_INTENT_PATTERNS: dict[Intent, re.Pattern[str]] = {
    Intent.STOP_CALLING: re.compile(
        r"stop (?:calling|contacting|phoning|bothering)|don'?t (?:ever )?(?:call|contact|phone)"
        r" (?:me|us|here|this number)|do not (?:call|contact)|take (?:me|us|my (?:name|number))"
        r" off|remove (?:me|us|my (?:name|number))|off (?:your|the) (?:list|calling list|"
        r"call list)|quit calling|never call|no more calls|unsubscribe|do.?not.?call list|"
        r"leave (?:me|us) alone"
    ),
    Intent.NOT_INTERESTED: re.compile(
        r"not interested|no interest|don'?t (?:want|need) (?:it|one|a reverse|that|this|any)|"
        r"not for (?:me|us)|i'?ll pass|we'?ll pass|changed my mind|not something (?:i|we)"
    ),
    Intent.BAD_TIMING: re.compile(
        r"not a good time|bad time|busy right now|i'?m busy|we'?re busy|(?:call|try) (?:me |us )?"
        r"(?:back )?later|another time|i'?m driving|in the middle of|can'?t talk|at work|"
        r"on my way out|not right now|not now"
    ),
    Intent.OTHER_LENDER: re.compile(
        r"already (?:working|talking|dealing|going|speaking) with|(?:have|got) (?:a|my own|our"
        r" own|another) (?:lender|broker|loan officer|mortgage (?:guy|person|company))|"
        r"my bank is (?:handling|helping|doing)|another (?:company|lender|broker)|already have "
        r"(?:someone|somebody|a lender|a broker)"
    ),
    Intent.HUMAN: re.compile(
        r"real person|a human|live person|representative|operator|transfer me|talk to a person|"
        r"speak to a person|speak (?:to|with) a (?:human|real)|manager|supervisor|actual person"
    ),
    Intent.BOOK: re.compile(
        r"\bbook\b|schedul|appointment|consult|set (?:something|it|that|one|a time|me|us|things)"
        r" up|set up (?:a|an|the|something|that|one|time)|sign (?:me|us) up|talk (?:to|with) "
        r"(?:someone|somebody|the broker|a broker|him|her|a specialist|an expert)|speak (?:to|with)"
        r" (?:someone|somebody|the broker|a broker|a specialist)|meet (?:with|the)|sit down with|"
        r"let'?s do (?:it|this)|i'?m ready|we'?re ready|next step|get started|move forward|"
        r"go ahead and|let'?s set|make an? (?:time|appointment)"
    ),
    Intent.GOODBYE: re.compile(
        r"\b(?:bye|goodbye|good bye|bye bye|that'?s (?:all|it|everything)|that is (?:all|it)|"
        r"nothing else|have a (?:good|nice|great|lovely|blessed) (?:day|one|evening|night)|"
        r"talk (?:to you )?(?:later|soon)|i'?m (?:all )?set|we'?re (?:all )?set|all good|"
        r"no more questions|i'?m good|we'?re good)\b"
    ),
    Intent.THANKS: re.compile(r"\bthank|\bappreciate"),
    Intent.EMAIL: re.compile(
        r"\be-?mail\b|send (?:me |us )?(?:something|some information|information|info|it|the "
        r"details|a brochure|details)|in writing|brochure|mail (?:me|us) (?:something|some)|"
        r"read (?:about|up on) it first|look it over"
    ),
    Intent.CALLBACK: re.compile(
        r"call (?:me |us )?back|callback|call (?:me|us) (?:later|tomorrow|next|on|in|at|this)|"
        r"try (?:me |us |him |her )?again|reach (?:me|him|her) (?:later|tomorrow)|have (?:him|her"
        r"|someone|the broker) call"
    ),
    Intent.WRONG_PERSON: re.compile(
        r"wrong number|(?:this is|i'?m|i am) (?:his|her|their) (?:" + "|".join(RELATIONS) + r")"
        r"|(?:he|she)(?:'?s| is) not (?:here|home|available|in|around)|(?:he|she)(?:'?s| is) "
        r"(?:out|at (?:the|a|work|church)|away|sleeping|napping|busy|unavailable|in the hospital"
        r"|resting|not feeling)|you have the wrong|no one (?:here )?by that name|nobody (?:here )?"
        r"by that name|(?:he|she) passed away|that'?s my (?:" + "|".join(RELATIONS) + r")|"
        r"(?:this|it) is(?:n'?t| not) (?:him|her)|not (?:him|her)\b"
    ),
    Intent.HOLD_ON: re.compile(
        r"hold on|one (?:moment|minute|second|sec)|let me (?:get|grab|fetch|find) (?:him|her|"
        r"them)|i'?ll (?:get|grab) (?:him|her)|go get (?:him|her)|just a (?:moment|minute|second|"
        r"sec)|wait a (?:moment|minute|second|sec)|hang on|(?:he|she)'?s (?:coming|right here)"
    ),
    Intent.PRIVACY: re.compile(
        r"(?:read|tell|give|send|show) me (?:the|their|his|her|that|your|a|my neighbou?r'?s?) "
        r"(?:record|file|information|info|details|address|phone|number|account|ssn|social|data)|"
        r"record for|records? (?:of|on) (?:someone|another|my neighbou?r|\d)|ignore (?:your|all|"
        r"previous|the|any) (?:previous )?(?:instructions|rules|prompt|guidelines)|system prompt|"
        r"pretend (?:you are|to be)|you are now|developer mode|jailbreak|look up (?:someone|"
        r"another|my neighbou?r|a different|the number|number|a phone)|(?:who|whose) (?:is|number"
        r" is) \d{3}"
    ),
    Intent.LEGAL_TAX: re.compile(
        r"\b(?:tax|taxes|taxable|irs|deduct\w*|legal|lawyer|attorney|lawsuit|estate plan\w*|"
        r"probate|medicaid|ssi|power of attorney|my will\b)"
    ),
    Intent.ANGRY: re.compile(
        r"\b(?:damn|hell|stupid|idiot|ridiculous|sick (?:and tired )?of|fed up|furious|harass\w*"
        r"|report you|shut up|useless|annoying|leave me alone)\b"
    ),
    Intent.REPEAT: re.compile(
        r"^(?:sorry,?\s*)?(?:what|huh|pardon|sorry|excuse me|come again)\s*\??$|"
        r"say (?:that|it) again|repeat (?:that|it|"
        r"the)|didn'?t (?:catch|hear|get) (?:that|you|it)|come again|speak up|one more time"
    ),
    Intent.UNSURE: re.compile(
        r"not sure|don'?t know|no idea|unsure|let me think|need to think|think about it|"
        r"think it over|talk (?:it over|to my|with my)|not ready|need (?:some )?time|maybe later"
    ),
    Intent.WHO_ARE_YOU: re.compile(
        r"are you (?:a |an )?(?:real|robot|person|human|ai|computer|machine|recording|bot)|"
        r"who (?:is this|are you|am i (?:talking|speaking) (?:to|with))|what company|"
        r"where are you calling from|is this (?:the )?reverse mortgage"
    ),
    Intent.RESCHEDULE: re.compile(
        r"reschedul|move (?:my|the|our) (?:appointment|consultation|meeting)|change (?:my|the|"
        r"our) (?:appointment|time|consultation)|cancel (?:my|the|our) (?:appointment|"
        r"consultation)|different time for (?:my|the|our)"
    ),
}

#: Objection topic → the knowledge-base query that answers it.
OBJECTIONS: dict[str, tuple[re.Pattern[str], str]] = {
    "scam": (
        re.compile(r"scam|fraud|rip.?off|legit|too good to be true|con artist|swindl|trust you"),
        "is a reverse mortgage a scam, how to stay safe",
    ),
    "lose_home": (
        re.compile(
            r"lose (?:my|the|our) (?:house|home)|take (?:my|the|our) (?:house|home)|bank "
            r"(?:owns?|will own|gets?|takes?|would own)|kick (?:me|us) out|foreclos|"
            r"keep (?:the|my|our) (?:house|home|title)|have to leave (?:my|the|our) (?:house|home)|"
            r"who owns the (?:house|home)|still own"
        ),
        "will I lose my home, who keeps the title",
    ),
    "heirs": (
        re.compile(
            r"\bkids\b|children|heirs?\b|inherit|\bestate\b|grandchild|grandkids|leave (?:the "
            r"house|it|my home|the home) to|family get|when i die|after i die|pass away|"
            r"when i'?m gone|my (?:son|daughter)\b.*(?:get|inherit|house|home)|my (?:family)"
        ),
        "what happens to my heirs and the home when I die",
    ),
    "fees": (
        re.compile(
            r"\bfees?\b|\bcosts?\b|expensive|closing cost|interest rate|insurance premium|"
            r"how much does it cost|origination|hidden charges"
        ),
        "costs and fees of a reverse mortgage",
    ),
    "existing_mortgage": (
        re.compile(
            r"(?:still|already) (?:have|owe) (?:a|my|on (?:the|my)) mortgage|existing mortgage|"
            r"current mortgage|still paying (?:the|my|a) mortgage"
        ),
        "can I get a reverse mortgage if I still have a mortgage",
    ),
    "moving": (
        re.compile(
            r"move (?:out|later|away|in with)|assisted living|nursing home|sell (?:the|my|our) "
            r"(?:house|home)|selling|downsiz"
        ),
        "what happens if I move out or sell the home",
    ),
}

#: Common question → knowledge-base query.
QUESTIONS: dict[str, tuple[re.Pattern[str], str]] = {
    "amount": (
        re.compile(
            r"how much (?:money )?(?:can|could|would|will|do|might) (?:i|we) (?:actually )?"
            r"(?:get|receive|borrow|qualify|take)|how much (?:is|are) (?:i|we) (?:eligible|"
            r"able)|how much money|what amount"
        ),
        "how much money can I get from a reverse mortgage",
    ),
    "what_is": (
        re.compile(
            r"what (?:is|'s) (?:a |an )?(?:reverse mortgage|hecm|home equity conversion)"
            r"|how does (?:it|this|a reverse mortgage) work|explain"
        ),
        "what is a reverse mortgage and how does it work",
    ),
    "payments": (
        re.compile(
            r"monthly payments?|make payments|have to (?:pay|repay)|pay (?:it|anything) "
            r"back|repay"
        ),
        "do I have to make monthly payments or repay",
    ),
    "benefits": (
        re.compile(r"social security|medicare|pension|benefits"),
        "does a reverse mortgage affect social security or medicare",
    ),
    "counseling": (re.compile(r"counsel"), "HUD counseling requirement"),
    "consultation": (
        re.compile(
            r"(?:what|how long).{0,30}(?:consultation|appointment|meeting)|what (?:do|should) i"
            r" (?:need|bring|have ready)"
        ),
        "what happens in the consultation with the broker",
    ),
    "payout": (
        re.compile(
            r"lump sum|line of credit|monthly (?:income|check|deposit)|payout|how is it "
            r"paid|how do i get the money"
        ),
        "payout options lump sum line of credit monthly",
    ),
    "spouse": (
        re.compile(r"(?:wife|husband|spouse|partner) is (?:younger|under)|non.?borrowing"),
        "younger spouse non-borrowing spouse",
    ),
    "eligibility": (
        re.compile(r"(?:do|would|could|can) (?:i|we) qualify|eligib|requirements|who qualifies"),
        "who is eligible for a reverse mortgage",
    ),
    "upkeep": (
        re.compile(r"property tax|homeowners? insurance|upkeep|repairs|maintenance"),
        "property taxes insurance and upkeep obligations",
    ),
}

_QUESTION_START = re.compile(
    r"^(?:and |so |but |okay,? |well,? |also,? )?(?:what|how|why|when|where|who|which|can|could"
    r"|will|would|is|are|do|does|did|should|may|am)\b"
)
_EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}")
_SPOKEN_EMAIL = re.compile(
    r"([a-z0-9._-]+(?:\s+dot\s+[a-z0-9_-]+)*)\s+at\s+([a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)+)"
)
_ZIP_RE = re.compile(r"(?<![\d,$.])\b(\d{5})\b(?![\d,])")
_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}

_VALUE_WORDS = re.compile(
    r"worth|value|valued|apprais|sell (?:it )?for|market|zillow|estimat|the (?:house|home) is|"
    r"it'?s (?:about|around|maybe|probably)|priced"
)
_BALANCE_WORDS = re.compile(r"\bowe|owing|mortgage|balance|left on|loan|still have|pay(?:ing)? off")
_PAID_OFF = re.compile(
    r"paid (?:it )?off|paid for|no mortgage|don'?t (?:owe|have a mortgage)|owe nothing|"
    r"nothing (?:left|owed)|free and clear|own it outright|owe (?:zero|nothing)|mortgage free|"
    r"no (?:loan|balance|debt on)"
)
_RENT = re.compile(
    r"\b(?:we|i) (?:just )?rent\b|\brenting\b|\brenter\b|\btenant\b|\blease\b|\blandlord\b|"
    r"(?:don'?t|do not) own|not (?:the )?(?:home)?owners?|(?:my|our) (?:son|daughter|kids?|"
    r"family)'?s? (?:house|home|place)|live with my (?:son|daughter|kids)|apartment"
)
_OWN = re.compile(
    r"\b(?:we|i) (?:do )?own\b|own (?:it|the (?:house|home|place)|our|my)|homeowners?\b|"
    r"in (?:my|our) name|paid (?:it )?off|we bought|i bought|owned it"
)
_OWN_WEAK = re.compile(r"it'?s (?:mine|ours)|(?:my|our) (?:own )?(?:house|home)\b|we do|i do")
_NOT_PRIMARY = re.compile(
    r"vacation|second home|summer (?:home|place|house)|winter (?:home|place)|rental propert|"
    r"it'?s a rental|a rental|rent (?:it|the (?:house|home|place)|them) out|investment|cabin|"
    r"don'?t live (?:there|in it)|do not live (?:there|in it)|snowbird|half (?:the|of the) year|"
    r"part of the year|weekend place|lake house|beach house|timeshare|not (?:my|our) (?:main|"
    r"primary)"
)
_PRIMARY = re.compile(
    r"live (?:there|in it|here|in the (?:house|home))|full.?time|year.?round|all year|primary|"
    r"main (?:home|house|residence)|(?:our|my) home\b|where (?:we|i) live|(?:we|i) live in|"
    r"(?:we|i)'?ve lived|only home"
)
_DONT_RENT = re.compile(r"(?:don'?t|do not|never) rent\b")
_MORNING = re.compile(r"morning|\bam\b|a\.m\.|before (?:noon|lunch)|early")
_AFTERNOON = re.compile(
    r"afternoon|\bpm\b|p\.m\.|after (?:noon|lunch)|later in the day|evening|after (?:1|2|3|one|"
    r"two|three)\b"
)
_ANYTIME = re.compile(
    r"any ?time|either|doesn'?t matter|whenever|any day|whatever (?:works|is open)|"
    r"flexible|open|no preference"
)
_TIME_OF_DAY = re.compile(
    r"\b(?:at|around|about|after|by|before)?\s*(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|"
    r"o'?clock)?\b"
)
_WORD_HOUR = re.compile(
    r"\b(?:at|around|about|after)\s+(one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve)(?:\s+(thirty|fifteen|forty.?five))?\b"
)
_ORDINALS = {
    "first": 0, "1st": 0, "number one": 0, "option one": 0, "second": 1, "2nd": 1,
    "number two": 1, "option two": 1, "last": 1, "latter": 1, "former": 0, "third": 2,
}  # fmt: skip
_ORDINAL_RE = re.compile(
    r"\b(first|1st|second|2nd|third|last|latter|former|number one|number two|option one|"
    r"option two)\b"
)
_EARLIER = re.compile(r"earlier|sooner|first available|soonest|early one|the one before")
_LATER = re.compile(r"\blater one|the later|\blatter\b|second available")
_EITHER = re.compile(r"either|whichever|doesn'?t matter|any of (?:them|those)|both (?:work|are)")
_REJECT = re.compile(
    r"neither|none of (?:them|those)|something else|different (?:day|time)|other (?:days?|times?)"
    r"|don'?t work|doesn'?t work|can'?t do (?:those|either|that)"
)
_PURPOSE = re.compile(
    r"(?:roof|repair|renovat|remodel|fix (?:up )?the|medical|doctor|hospital|bills|debt|credit "
    r"card|pay off (?:the|my|our) (?:mortgage|house|loan)|travel|income|cushion|emergenc|"
    r"help (?:my|our|the) (?:kids|children|grand\w+|son|daughter)|tuition|long.?term care|"
    r"in.?home care|car\b|groceries|living expenses|retirement)[^.?!,]{0,60}"
)
_TIMELINE = re.compile(
    r"(?:within|in) (?:the next )?(?:a |\d+ |few |couple (?:of )?|one |two |three |six |"
    r"several )?(?:days?|weeks?|months?|years?)|this (?:year|month|summer|fall|spring|winter|"
    r"week)|next (?:year|month|spring|summer|fall|winter)|as soon as possible|asap|right away|"
    r"no rush|no hurry|sometime|by (?:the end of )?(?:the )?(?:year|summer|spring|fall|winter)"
)
_NEED = re.compile(r"need(?:s|ed)?|looking for|want(?:ed)?|hoping (?:for|to get)|would like")
_AGE_CUE = re.compile(
    r"(?:i'?m|i am|i'?ll be|turned|turning|age|aged|be|years?|both|we'?re|we are|he'?s|she'?s"
    r"|youngest)\s*(?:is\s*)?(?:just\s*)?(?:over\s*|about\s*|almost\s*|nearly\s*)?$"
)
_DECADE = re.compile(r"\bin (?:my|our|his|her) (sixties|seventies|eighties|nineties|fifties)")
_DECADES = {"fifties": 55, "sixties": 65, "seventies": 75, "eighties": 85, "nineties": 95}
_BORN = re.compile(r"born in (\d{4})")
_NAME_CUE = re.compile(
    r"\bname|\bthis is\b|\bi'?m\b|\bi am\b|\bit'?s\b|\bspeaking\b|\bhere\b|\bcall me\b|"
    r"^[a-z]+(?: [a-z]+)?[.!]?$"
)
_HAS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|half|grand)\b|\bsixties|seventies|eighties|nineties|fifties"
)
_WORRY = re.compile(
    r"worr|concern|afraid|scared|nervous|heard (?:that|you|they)|is it true|what if|what about|"
    r"what happens|don'?t want to lose|not sure about|hesita|inherit|heirs"
)


STOP_CALLING = _INTENT_PATTERNS[Intent.STOP_CALLING]


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def understand(text: str, expect: Expect = Expect.NOTHING, *, this_year: int = 2026) -> Heard:
    raw = text.strip()
    low = normalise(raw)
    heard = Heard(text=raw)
    if not low or low in ("<silence>", "[silence]"):
        heard.text = ""
        return heard
    heard.yes = bool(_YES.search(low)) or (
        expect != Expect.NOTHING and bool(_YES_ANYWHERE.search(low))
    )
    heard.no = bool(_NO.search(low))
    if heard.no and heard.yes and _NO.search(low) and not low.startswith(("yes", "yeah")):
        heard.yes = False
    for intent, pattern in _INTENT_PATTERNS.items():
        if pattern.search(low):
            heard.intents.add(intent)
    _refine_intents(heard, low, expect)
    if expect in (Expect.NAME, Expect.RIGHT_PERSON, Expect.WAITING) or _NAME_CUE.search(low):
        _names(heard, raw, low, expect)
    if _HAS_NUMBER.search(low):
        numbers = find_numbers(low)
        _age(heard, low, expect, this_year, numbers)
        _amounts(heard, low, expect, numbers)
    elif _PAID_OFF.search(low):
        heard.mortgage_balance = 0
    _location(heard, raw, low, expect)
    _gates(heard, low, expect)
    _when(heard, low, expect)
    _choice(heard, low, expect)
    if "@" in low or " at " in low:
        _email(heard, low)
    _purpose(heard, low)
    _topic(heard, low)
    return heard


def _refine_intents(heard: Heard, low: str, expect: Expect) -> None:
    intents = heard.intents
    if Intent.STOP_CALLING in intents:
        intents.discard(Intent.BAD_TIMING)
        intents.discard(Intent.CALLBACK)
    if Intent.HUMAN in intents:
        intents.discard(Intent.BOOK)
    if Intent.RESCHEDULE in intents:
        intents.discard(Intent.BOOK)
    if expect == Expect.BOOKING_OFFER and heard.no and Intent.BOOK in intents:
        intents.discard(Intent.BOOK)
    if re.search(r"\b(?:no|not|don'?t|never)\b.{0,20}\b(?:book|schedul|appointment)", low):
        intents.discard(Intent.BOOK)
    if expect in (Expect.CALLBACK_TIME, Expect.CALLBACK_OFFER) and Intent.BAD_TIMING in intents:
        intents.discard(Intent.BAD_TIMING)
    if Intent.WRONG_PERSON in intents and re.search(r"\bthis is (?:him|her|me)\b", low):
        intents.discard(Intent.WRONG_PERSON)
    if expect in (Expect.HOMEOWNER, Expect.PRIMARY) and Intent.LEGAL_TAX in intents:
        intents.discard(Intent.LEGAL_TAX)
    if Intent.GOODBYE in intents and expect != Expect.ANYTHING_ELSE and "bye" not in low:
        # "I'm good" / "all set" only close the call when Barbara asked if there was more
        if not re.search(r"that'?s (?:all|it|everything)|nothing else|have a \w+ (?:day|one)",
                         low):  # fmt: skip
            intents.discard(Intent.GOODBYE)


def _names(heard: Heard, raw: str, low: str, expect: Expect) -> None:
    for rel in RELATIONS:
        if re.search(rf"\b(?:i'?m|i am|this is|it'?s) (?:his|her|their|the) {rel}\b", low):
            heard.relation = rel
            return
    text = _HONORIFICS.sub("", raw)
    patterns = (
        r"(?:my name is|my name'?s|name is|this is|it'?s|it is|i'?m|i am|call me|you'?re "
        r"speaking (?:with|to)|you are speaking (?:with|to)|here is|this here is)\s+"
        r"([A-Za-z][A-Za-z'’-]+)(?:\s+([A-Za-z][A-Za-z'’-]+))?",
        r"^([A-Z][a-z'’-]+)(?:\s+([A-Z][A-Za-z'’-]+))?\s+(?:speaking|here)\b",
    )
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE if "my name" in pattern else 0):
            first, last = match.group(1), match.group(2)
            if first.lower() in _NOT_NAMES or (not first[0].isupper() and expect != Expect.NAME):
                if not re.search(r"my name", match.group(0), re.IGNORECASE):
                    continue
            if first.lower() in _NOT_NAMES:
                continue
            heard.first_name = _title(first)
            if (
                last
                and last.lower() not in _NOT_NAMES
                and (last[0].isupper() or expect == Expect.NAME)
            ):
                heard.last_name = _title(last)
            return
    if expect in (Expect.NAME, Expect.RIGHT_PERSON, Expect.WAITING):
        if re.search(r"\b(?:i'?m|i am|it'?s|this is|we'?re)\b", low):
            return  # "I'm fine", "I'm 71": a sentence about something else, not a name
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if "'" not in w]
        if not words or len(words) > 6:
            return
        candidates = [w for w in words if w.lower() not in _NOT_NAMES and len(w) > 1]
        caps = [w for w in candidates if w[0].isupper()]
        pick = caps or (candidates if len(words) <= 3 else [])
        if pick and (caps or text.islower()):
            heard.first_name = _title(pick[0])
            if len(pick) > 1:
                heard.last_name = _title(pick[1])


def _title(word: str) -> str:
    word = word.replace("’", "'")
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def _age(heard: Heard, low: str, expect: Expect, this_year: int,
         numbers: list[tuple[float, int, int]]) -> None:  # fmt: skip
    born = _BORN.search(low)
    if born:
        heard.age = this_year - int(born.group(1))
        return
    decade = _DECADE.search(low)
    for value, start, end in numbers:
        if not (40 <= value <= 115) or value != int(value):
            continue
        before, after = low[:start], low[end : end + 30]
        cue = bool(_AGE_CUE.search(before[-30:])) or bool(
            re.match(
                r"\s*(?:years?|yrs?)(?: old| young| of age)?|\s*(?:next|this) (?:month|"
                r"year|week)|\s*in (?:a|two|three|few)",
                after,
            )
        )
        if not cue and expect != Expect.AGE:
            continue
        if re.search(r"\$|dollars|thousand|grand|k\b", low[max(0, start - 2) : end + 10]):
            continue
        age = int(value)
        if re.search(r"(?:over|older than|past)\s*$", before):
            age += 1
        elif re.search(r"(?:i'?ll be|turning|be)\s*$", before) or re.match(
            r"\s*(?:next|in) ", after
        ):
            if not re.search(r"just turn", before[-20:]):
                age -= 1
        elif re.search(r"(?:almost|nearly|under|younger than)\s*$", before):
            age -= 1
        heard.age = age
        return
    if decade:
        heard.age = _DECADES[decade.group(1)]


def _amounts(heard: Heard, low: str, expect: Expect, found: list[tuple[float, int, int]]) -> None:
    if _PAID_OFF.search(low):
        heard.mortgage_balance = 0
    money_context = expect in (Expect.VALUE, Expect.BALANCE)
    numbers = [
        n for n in found
        if not (heard.age is not None and n[0] == heard.age) and n[0] != int(heard.zip or -1)
    ]  # fmt: skip
    for value, start, end in numbers:
        span = low[max(0, start - 1) : end + 12]
        is_money = bool(re.search(r"\$|dollars|thousand|grand|million|k\b|\d{3},\d{3}", span))
        if not is_money and not money_context and not _near_money_word(low, start):
            continue
        amount = _scale_amount(value)
        if amount is None or (_ZIP_RE.fullmatch(low[start:end]) and not is_money):
            continue
        kind = _amount_kind(low, start, expect, heard)
        if kind == "value" and heard.home_value is None:
            heard.home_value = amount
        elif kind == "balance" and heard.mortgage_balance is None:
            heard.mortgage_balance = amount
        elif kind == "need" and heard.amount_needed is None:
            heard.amount_needed = amount


def _near_money_word(low: str, start: int) -> bool:
    before = low[max(0, start - 40) : start]
    return bool(
        _VALUE_WORDS.search(before) or _BALANCE_WORDS.search(before) or _NEED.search(before)
    )


def _scale_amount(value: float) -> int | None:
    if value <= 0:
        return None
    if value < 10:
        value *= 1_000_000  # "about one point two" (million)
    elif value < 5_000:
        value *= 1_000  # "I owe 120" (thousand)
    return round(value) if value <= 100_000_000 else None


def _amount_kind(low: str, start: int, expect: Expect, heard: Heard) -> str:
    clause = re.split(r"[.;!?]|,\s*(?=i |we |and |but |the mortgage|mortgage)", low[:start])[-1]
    need = _NEED.search(clause)
    value = [m.end() for m in _VALUE_WORDS.finditer(clause)]
    balance = [m.end() for m in _BALANCE_WORDS.finditer(clause)]
    best = max([(p, "value") for p in value] + [(p, "balance") for p in balance]
               + ([(need.end(), "need")] if need else []), default=None)  # fmt: skip
    if best:
        return best[1]
    if expect == Expect.BALANCE:
        return "balance"
    if expect == Expect.VALUE and heard.home_value is not None:
        return "balance"
    return (
        "value"
        if expect in (Expect.VALUE, Expect.NOTHING) or heard.home_value is None
        else "balance"
    )


def _location(heard: Heard, raw: str, low: str, expect: Expect) -> None:
    zip_match = _ZIP_RE.search(low)
    if zip_match:
        heard.zip = zip_match.group(1)
    else:
        digits = [_DIGIT_WORDS.get(w) for w in re.findall(r"[a-z0-9]+", low)]
        run = ""
        for d in digits:
            run = run + d if d is not None else ("" if len(run) != 5 else run)
            if len(run) == 5 and expect in (Expect.ZIP, Expect.LOCATION):
                heard.zip = run
                break
    state_match = _STATE_NAME_RE.search(raw)
    code = None
    if state_match:
        name = state_match.group(1).lower()
        if name == "washington" and re.search(r"washington,? d\.?c", low):
            code = "DC"
        else:
            code = STATES[name]
        before = raw[: state_match.start()]
    else:
        code_match = _STATE_CODE_RE.search(raw)
        if code_match:
            code = code_match.group(1) or code_match.group(2)
            if code not in _STATE_CODES:
                code = None
            before = raw[: code_match.start()]
    if code is None:
        if expect == Expect.LOCATION:
            city = re.search(r"(?:in|from|near|outside(?: of)?)\s+([A-Za-z][A-Za-z .'-]{1,30})$",
                             raw.rstrip(".!?"))  # fmt: skip
            if city:
                heard.city = _city(city.group(1))
        return
    heard.state = code
    words = re.findall(r"[A-Za-z][A-Za-z.'-]*", before)
    tail: list[str] = []
    for word in reversed(words):
        if word.lower() in (
            "in",
            "from",
            "near",
            "of",
            "outside",
            "live",
            "it's",
            "is",
            "the",
            "we",
            "i",
            "home",
            "house",
            "yes",
            "yeah",
            "and",
            "city",
            "town",
        ):
            break  # fmt: skip
        tail.insert(0, word)
        if len(tail) == 3:
            break
    if tail and (any(w[0].isupper() for w in tail) or expect == Expect.LOCATION):
        heard.city = _city(" ".join(tail))


def _city(text: str) -> str | None:
    text = text.strip(" ,.")
    if not text or text.lower() in _NOT_NAMES:
        return None
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def _gates(heard: Heard, low: str, expect: Expect) -> None:
    if _NOT_PRIMARY.search(low):
        heard.primary_residence = False
        if re.search(r"rent (?:it|the|them) out|rental propert|investment|a rental", low):
            heard.homeowner = True
    elif _PRIMARY.search(low):
        heard.primary_residence = True
    if _DONT_RENT.search(low):
        heard.homeowner = True
    elif _RENT.search(low) and heard.homeowner is None and heard.primary_residence is not False:
        heard.homeowner = False
    elif _OWN.search(low) and not re.search(r"(?:don'?t|do not) own", low):
        heard.homeowner = True
    elif expect == Expect.HOMEOWNER and _OWN_WEAK.search(low) and not heard.question:
        heard.homeowner = True
    if expect == Expect.HOMEOWNER and heard.homeowner is None and (heard.yes or heard.no):
        heard.homeowner = heard.yes and not heard.no
    if expect == Expect.PRIMARY and heard.primary_residence is None and (heard.yes or heard.no):
        heard.primary_residence = heard.yes and not heard.no
    if heard.homeowner is False and heard.primary_residence is True and _RENT.search(low):
        heard.primary_residence = None


def _when(heard: Heard, low: str, expect: Expect) -> None:
    days: list[Weekday] = []
    for match in _WEEKDAY_RE.finditer(low):
        day = _WEEKDAYS[match.group(1)]
        if day not in days:
            days.append(day)
    if re.search(r"\bweekdays?\b|during the week", low):
        days = [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI]
    elif re.search(r"\bweekends?\b", low):
        days = [Weekday.SAT, Weekday.SUN]
    heard.days = days
    if _MORNING.search(low):
        heard.part_of_day = PartOfDay.MORNING
    elif _AFTERNOON.search(low):
        heard.part_of_day = PartOfDay.AFTERNOON
    elif _ANYTIME.search(low):
        heard.part_of_day = PartOfDay.ANY
    hour = None
    minute = 0
    for match in _TIME_OF_DAY.finditer(low):
        if not match.group(0).strip() or not (
            match.group(3) or re.match(r"\s*(?:at|around|about|after|by|before)", match.group(0))
        ):
            continue
        h = int(match.group(1))
        if not 1 <= h <= 12 and not (13 <= h <= 20 and match.group(2)):
            continue
        suffix = (match.group(3) or "").replace(".", "")
        hour, minute = h, int(match.group(2) or 0)
        if suffix.startswith("p") and hour < 12:
            hour += 12
        elif not suffix.startswith("a") and hour < 8:
            hour += 12  # "at 2" on a business call means the afternoon
        break
    if hour is None:
        word = _WORD_HOUR.search(low)
        if word:
            hour = int(words_to_number(word.group(1)) or 0)
            minute = {"thirty": 30, "fifteen": 15}.get(
                word.group(2) or "", 45 if word.group(2) else 0
            )
            if hour < 8:
                hour += 12
    if re.search(r"\bnoon\b", low):
        hour = 12
    heard.hour = hour
    in_days = None
    if "tomorrow" in low:
        in_days = 1
    elif re.search(r"\btoday\b|this (?:morning|afternoon|evening)|later today|tonight", low):
        in_days = 0
    elif "next week" in low:
        in_days = 7
    in_minutes = None
    rel = re.search(r"in (?:about )?(an?|\d+|one|two|three|half an?|a couple of|a few) "
                    r"(minutes?|hours?)", low)  # fmt: skip
    if rel:
        qty = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "a couple of": 2, "a few": 3}
        n = (
            0.5
            if rel.group(1).startswith("half")
            else qty.get(rel.group(1)) or int(rel.group(1) if rel.group(1).isdigit() else 1)
        )
        in_minutes = int(n * (60 if rel.group(2).startswith("hour") else 1))
    if (
        days
        or in_days is not None
        or hour is not None
        or in_minutes is not None
        or (heard.part_of_day and heard.part_of_day != PartOfDay.ANY)
    ):
        heard.callback = CallbackWhen(
            weekday=days[0] if days else None, in_days=in_days, hour=hour, minute=minute,
            part_of_day=heard.part_of_day, in_minutes=in_minutes,
        )  # fmt: skip


def _choice(heard: Heard, low: str, expect: Expect) -> None:
    if _REJECT.search(low):
        heard.choice_rejected = True
        return
    match = _ORDINAL_RE.search(low)
    if match:
        heard.choice = _ORDINALS[match.group(1)]
    elif _EARLIER.search(low):
        heard.choice = 0
    elif _LATER.search(low):
        heard.choice = 1
    elif expect == Expect.SLOT and _EITHER.search(low):
        heard.choice = 0
    elif (
        expect == Expect.SLOT
        and re.search(r"\b(?:one|1)\b", low)
        and re.search(r"\bthe (?:one|1)\b|option (?:one|1)|number (?:one|1)", low)
    ):
        heard.choice = 0
    elif expect == Expect.SLOT and re.search(r"\b(?:two|2)\b", low) and not heard.hour:
        heard.choice = 1


def _email(heard: Heard, low: str) -> None:
    match = _EMAIL_RE.search(low)
    if match:
        heard.email = match.group(0).rstrip(".")
        return
    spoken = _SPOKEN_EMAIL.search(low)
    if spoken:
        user = spoken.group(1).replace(" dot ", ".").replace(" ", "")
        host = spoken.group(2).replace(" dot ", ".").replace(" ", "")
        heard.email = f"{user}@{host}"


def _purpose(heard: Heard, low: str) -> None:
    purpose = _PURPOSE.search(low)
    if purpose and not heard.question:
        heard.money_purpose = purpose.group(0).strip(" ,.")[:120]
    timeline = _TIMELINE.search(low)
    if timeline:
        heard.timeline = timeline.group(0)


def _topic(heard: Heard, low: str) -> None:
    heard.question = "?" in low or bool(_QUESTION_START.search(low))
    worried = heard.question or bool(_WORRY.search(low))
    for key, (pattern, _query) in OBJECTIONS.items():
        if pattern.search(low):
            if key not in ("scam", "fees") and not worried:
                continue
            if key == "fees" and heard.mortgage_balance is not None and not heard.question:
                continue
            heard.objection = key
            break
    for key, (pattern, _query) in QUESTIONS.items():
        if pattern.search(low):
            heard.topic = key
            break
    if heard.objection == "heirs" and heard.topic == "spouse":
        heard.objection = None
    if heard.topic and heard.objection and heard.topic == "amount":
        heard.objection = None
    if heard.topic and heard.topic != "amount" and heard.question:
        heard.question = True


def kb_query(heard: Heard) -> str | None:
    """What to search the knowledge base for, if the caller asked or objected."""
    if heard.objection:
        return OBJECTIONS[heard.objection][1]
    if heard.topic:
        return QUESTIONS[heard.topic][1]
    if heard.question and len(heard.text) > 8:
        return heard.text[:300]
    return None
