"""Rule-based understanding of what a caller said, for the offline policy.

``understand(text, expect)`` returns a :class:`Heard`: yes/no, a name, an age, amounts, a ZIP,
a city and state, the gates, days and times, a slot choice, intents (book, stop calling, …),
and the question or objection it raises. ``expect`` is what Barbara just asked, so a bare
"seventy-one" is an age and a bare "no" answers the right question. Nothing here calls out.

Every fact is read from every turn, whatever was asked: "Sixty-nine. I own it, it's worth about
six hundred and I owe nothing" is an age, ownership, a value and a balance. Speech-to-text comes
in lowercase, unpunctuated, with "um"s and misheard words ("reverse mort gauge", "sixty free"),
and callers correct themselves ("sixty... no, seventy-one": the later value counts).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from enum import StrEnum

from contracts.tools import PartOfDay, Weekday
from services.dialogue.numbers import find_numbers, is_number_word, words_to_number


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
    "worth", "paid", "owned", "maybe", "probably", "roughly", "only", "kidding", "joking",
    "please",
}  # fmt: skip
_NOT_NAMES |= set(RELATIONS) | set(_WEEKDAYS)
#: words for a role or an office: never a caller's name ("this is the administrator")
ROLE_WORDS = frozenset({
    "supervisor", "admin", "administrator", "sysadmin", "manager", "it", "i.t.", "department",
    "technician", "tech", "engineer", "developer", "programmer", "system", "systems", "test",
    "testing", "agent", "operator", "maintenance", "security", "police", "officer", "auditor",
    "inspector", "detective", "sheriff", "deputy", "sergeant", "boss", "director", "executive",
    "president", "ceo", "staff", "employee", "support", "team", "compliance", "override",
    "debug", "mode", "check", "server", "company", "corporate", "headquarters", "fbi", "irs",
    "government", "official", "investigator", "representative", "rep", "specialist", "advisor",
})  # fmt: skip
_NOT_NAMES |= ROLE_WORDS | {
    "already", "retired", "renting", "renter", "renters", "married", "widowed", "divorced",
    "single", "disabled", "working", "staying", "thinking", "hoping", "planning", "interested",
    "about", "good", "morning", "afternoon", "evening", "calling", "your", "yours", "our",
    "ours", "their", "theirs", "own", "owning", "paid", "free", "clear", "outright", "sixties",
    "seventies", "eighties", "nineties", "fifties", "twenty", "thirty", "hundred", "thousand",
    "million", "dot", "com", "at", "email", "zip", "code", "equity", "connect", "happy",
    "sad", "sick", "ill", "able", "unable", "afraid", "glad", "listening",
    "there's", "hearing", "trying", "asking", "wondering", "sitting", "driving", "eating",
    "cooking", "home", "house", "okay", "alright", "fine", "talking", "speaking", "sure",
    "correct", "right", "wrong", "definitely", "probably", "maybe", "yep", "yup", "nah",
}  # fmt: skip
#: "I'm calling for my mom": someone else's home; the one who owns it is the one to hear
_CALLING_FOR = re.compile(
    r"\bcalling (?:for|on behalf of|with|about) my (mom|mother|mum|dad|father|parents|grandma|"
    r"grandmother|grandpa|grandfather|aunt|uncle|husband|wife)\b"
)
#: "I'm calling for my neighbor", "… on behalf of my mother": for someone not on the line (a
#: husband or wife may own the home with the caller: not them)
_CALLING_ON_BEHALF = re.compile(
    r"\bcalling (?:for|on behalf of) (?:my|our) (neighbou?r|friend|client|patient|mom|mother|mum|"
    r"dad|father|parents|grandma|grandmother|grandpa|grandfather|aunt|uncle)\b(?! and (?:me|i)\b)"
)
_RELATIVE_OF = {
    "mom": "son or daughter", "mother": "son or daughter", "mum": "son or daughter",
    "dad": "son or daughter", "father": "son or daughter", "parents": "son or daughter",
    "grandma": "grandchild", "grandmother": "grandchild", "grandpa": "grandchild",
    "grandfather": "grandchild", "aunt": "niece or nephew", "uncle": "niece or nephew",
    "husband": "wife", "wife": "husband", "neighbour": "neighbor", "client": "caregiver",
    "patient": "caregiver",
}  # fmt: skip
#: a lowercase first and last name, then what follows it: "lorenzo diaz im 70"
_LOWER_NAME = re.compile(
    r"^(?:(?:hi|hello|hey|yeah|yes|oh|well|ok|okay|um|uh)[,.!]?\s+)*([a-z][a-z'-]+)\s+"
    r"([a-z][a-z'-]+)(?=[,.]?\s+(?:i'?m|im|i am|in|from|here|speaking|calling|out of)\b|[.!]?$)"
)
#: a name taken back right after it is said: "Junior, I mean, Harlan Pruitt"
_NAME_FIXED = re.compile(
    r"(?:\s+[A-Za-z][A-Za-z'’-]+)?[,.]?\s*(?:no,?\s+|sorry,?\s+|well,?\s+)*(?:i mean|i meant|"
    r"sorry|actually|or rather|rather|correction|that is|my real name is|my given name is|"
    r"officially|properly|legally)[,.]?\s+(?:it'?s\s+|that'?s\s+|i'?m\s+)?"
    r"([A-Za-z][A-Za-z'’-]+)(?:\s+([A-Za-z][A-Za-z'’-]+))?",
    re.IGNORECASE,
)
#: who gives a nickname: "folks just call me Junior", "everybody calls me Bud"
_NICKNAME = re.compile(
    r"\b(?:folks|people|everybody|everyone|friends|they|most people|all|y'?all|the kids|my "
    r"friends)\s+(?:just\s+|all\s+|usually\s+|always\s+)?$",
    re.IGNORECASE,
)
#: after a name, not a last name: "Harlan Pruitt Junior", "Earl Tate Sr."
_NAME_SUFFIXES = {"jr", "junior", "sr", "senior", "ii", "iii", "iv"}
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

#: someone who looks after the homeowner: "I'm a home health aide for one of my clients"
_CARE_FOR = (
    r"\b(?:i'?m|i am|i work as) (?:a|an|the|her|his|their) (?:[\w-]+ ){0,2}(aide|caregiver|care "
    r"giver|caretaker|nurse|helper|assistant|housekeeper|companion|social worker|case manager) "
    r"(?:for|to|of|with) (?:(?:one of )?my (?:clients?|patients?)|(?:mrs|mr|ms|miss|mister|"
    r"missus)\b|her\b|him\b|them\b|an? (?:elderly|older|senior)|the (?:homeowner|owner|lady|"
    r"gentleman|woman|man|person|family))"
)
#: who makes loans: "a loan officer", "a mortgage broker", "a banker"
_LENDER_ROLE = (
    r"(?:reverse )?(?:mortgage |loan |home loan )?(?:loan officer|broker|lender|banker|"
    r"originator|loan (?:guy|person|specialist|processor))"
)
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
        r"not for (?:me|us)|i'?ll pass|we'?ll pass|changed my mind|not something (?:i|we)|"
        # "I don't think it's for me", "I don't think I need it after all"
        r"(?:don'?t|do not) think (?:it'?s|it is|this is|this'?s|that'?s|that is|it would be|it'?d"
        r" be) (?:really )?(?:for (?:me|us)|right for (?:me|us)|a (?:good )?fit|something (?:i|we"
        r"|for (?:me|us)))|(?:don'?t|do not) think (?:i|we) (?:really |actually )?(?:need|want) "
        r"(?:it|one|this|that|to do (?:it|this|that|one)|a reverse)|"
        # only asking: "I was just curious whether I'd qualify. that's all I wanted to know"
        r"that'?s all (?:i|we) (?:wanted|needed) to know|\bjust (?:curious|wondering|checking)\b"
        r"[^?]{0,80}\bthat'?s (?:all|it)\b"
    ),
    Intent.BAD_TIMING: re.compile(
        r"not a good time|bad time|busy right now|i'?m busy|we'?re busy|(?:call|try) (?:me |us )?"
        r"(?:back )?later|another time|i'?m driving|can'?t talk|at work|on my way out|"
        r"not right now|not now|isn'?t a good time|not (?:a )?good time|not this (?:year|month)|"
        r"maybe next (?:year|month|spring|summer|fall|winter)|when things (?:settle|calm)|"
        r"\b(?:i'?ll|we'?ll) (?:call|reach out|get back|ring)(?: to)?(?: you| us)?(?: back)?"
        r"(?: again)? when|when (?:i'?m|we'?re) ready|"
        r"in the middle of (?!(?:a|an|my|our|the|getting a|doing a) "
        r"(?:reverse|refinanc|loan|mortgage|hecm|application|process|deal))|"
        # "I just can't think about any of this right now", "not up to dealing with it yet"
        r"(?:can'?t|cannot|not able to|not up to|in no shape to|not in a (?:place|state) to) "
        r"(?:even )?(?:think(?:ing)? about|deal(?:ing)? with|handl(?:e|ing)|focus(?:ing)? on|"
        r"talk(?:ing)? about|fac(?:e|ing)) (?:any of )?(?:this|that|it|anything|all this|all of "
        r"this)(?: stuff| business)?(?: just)? (?:right now|now|at the moment|yet|just yet|these "
        r"days|today)|"
        # "Maybe in a few months."
        r"(?:^|[.,;!?]\s*)(?:maybe|perhaps|possibly|probably)(?: (?:call|try|check)(?: me| us)?"
        r"(?: back| again)?)? in (?:a few|a couple(?: of)?|several|two|three|six) (?:weeks|"
        r"months)(?:\s*(?:or so|or two))?(?=\s*(?:[.,;!?]|$))"
    ),
    Intent.OTHER_LENDER: re.compile(
        r"already (?:working|talking|dealing|going|speaking) with|(?:have|got) (?:a|my own|our"
        r" own|another|my|our) (?:lender|broker|loan officer|mortgage (?:guy|person|company|"
        r"broker))|another (?:company|lender|broker)|already have (?:someone|somebody|a lender|"
        r"a broker|an? loan officer|a bank|a reverse mortgage|one in (?:process|the works))|"
        r"in the (?:middle|process) of (?:a|an|my|our|the|getting a|doing a) (?:reverse|"
        r"refinanc|loan|mortgage|hecm|application)|already (?:applied|signed up|started "
        r"(?:one|a|the|an application))|(?:stick|stay|staying|sticking|go|going) with (?:my|our|"
        r"the) (?:own |current |regular )?(?:bank|lender|broker|credit union|loan officer|"
        r"mortgage (?:guy|person|company|broker))|(?:my|our) (?:own )?(?:bank|credit union|"
        r"lender|broker|loan officer|financial (?:advisor|adviser|planner)|mortgage (?:guy|"
        r"person|company|broker))(?:'s| is| are)(?: already)? (?:handling|helping|doing|taking "
        r"care|working|setting|on it|processing)|(?:working|dealing|talking) with (?:my|our|"
        r"another) (?:bank|credit union|lender|broker|loan officer)|"
        # someone is already on it: "my son-in-law is a broker and he's already handling it"
        r"\balready (?:handling|doing|working on|processing|setting up|taking care of) (?:a |an |"
        r"the |our |my |this )?(?:reverse mortgage|hecm|loan|mortgage|application|refinanc\w*)|"
        # a lender in the family on it: "my son-in-law is a loan officer … he's already
        # handling all this for us"
        rf"\b(?:is|works as) an? (?:{_LENDER_ROLE})\b.{{0,80}}(?<!not )(?<!n't )\b(?:handling|"
        r"doing|taking care of|working on|helping (?:us|me) with|setting up|processing) (?:all "
        r"|all of )?(?:it|this|that|everything|things|the whole thing|the paperwork)\b"
    ),
    Intent.HUMAN: re.compile(
        r"\b(?:talk|speak|speaking|chat|put me through) (?:to|with) (?:a |an |the |your |some )?"
        r"(?:real |live |actual |human )?(?:person|human|being|representative|rep|agent|operator|"
        r"manager|supervisor|man|woman|lady|people)\b|\b(?:transfer|connect) me\b|\b(?:get|give|"
        r"put) me (?:to |through to |on with )?(?:a |an |the |your )?(?:real |live |actual )?"
        r"(?:person|human|representative|operator|manager|supervisor)\b|\b(?:get|have|reach) (?:a |"
        r"an )?(?:real |live |actual )?(?:person|human|representative|operator)\b|"
        r"\b(?:want|need|like) "
        r"(?:a |an )?(?:real |live |actual )(?:person|human)\b|\b(?:want|need) (?:a |an )?(?:human|"
        r"representative|operator)\b|^(?:a )?(?:real |live )?(?:person|human|representative|"
        r"operator|agent)(?: please)?[.!]?$|\b(?:someone|somebody) real\b|\breal person,? please"
    ),
    Intent.BOOK: re.compile(
        r"\bbook\b|schedul|appointment|consult|set (?:something|it|that|one|a time|me|us|things)"
        r" up|set up (?:a|an|the|something|that|one|time)|sign (?:me|us) up|talk (?:to|with) "
        r"(?:someone|somebody|the broker|a broker|him|her|a specialist|an expert)|speak (?:to|with)"
        r" (?:someone|somebody|the broker|a broker|a specialist)|meet (?:with|the)|sit down with|"
        r"let'?s do (?:it|this)|(?<!when )(?<!once )(?<!until )(?<!till )(?<!if )(?<!not )"
        r"(?:i'?m|we'?re) ready\b(?! (?:to (?:hang up|go(?! ahead| forward)|leave|stop)|for "
        r"(?:bed|dinner)))|next step|get started|move forward|"
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
        r"(?:can|could|would|will) (?:someone|somebody|a person|you|the broker|he|she|they)"
        r"(?: [\w']+){0,6} call (?:me|us|him|her|them)\b(?! (?:yourself|himself|herself))|"
        r"without my (?:son|daughter|husband|wife|kids|children|family)|call (?:me |us )?back|"
        r"callback|call (?:me|us) (?:later|tomorrow|next|on|in|at|this|then)|"
        r"try (?:me |us |him |her )?again|reach (?:me|him|her) (?:later|tomorrow)|have (?:him|her"
        r"|someone|the broker) call"
    ),
    Intent.WRONG_PERSON: re.compile(
        r"wrong number|dial(?:l)?ed (?:the )?wrong|misdialed|is this (?:walgreens|cvs|the pharmacy|"
        r"the doctor)|(?:it'?s|that'?s|that would be|calling) (?:for|on behalf of) my (?:"
        + "|".join(RELATIONS)
        + r")|(?:this is|i'?m|i am) (?:his|her|their) (?:"
        + "|".join(RELATIONS)
        + r")"
        r"|(?:he|she)(?:'?s| is) not (?:here|home|available|in|around)|(?:he|she)(?:'?s| is) "
        r"(?:out|at (?:the|a|work|church)|away|sleeping|napping|busy|unavailable|in the hospital"
        r"|resting|not feeling)|you have the wrong|no one (?:here )?by that name|nobody (?:here )?"
        r"by that name|(?:he|she) passed away|that'?s my (?:" + "|".join(RELATIONS) + r")|"
        r"(?:this|it) is(?:n'?t| not) (?:him|her)|not (?:him|her)\b|"
        # "I'm a neighbor of Mr. Alvarez, he asked me to call"
        r"(?:i'?m|i am) (?:a|an|the) (?:" + "|".join(RELATIONS) + r") of\b|(?:he|she) asked me to "
        r"(?:call|phone|ring)|"
        # "I'm a home health aide for one of my clients", "I'm her caregiver"
        + _CARE_FOR
        + r"|\b(?:calling|here) (?:for|on behalf of|about) (?:one of )?my (?:clients?|patients?)\b|"
        # not able to come: "she's at dialysis", "she's not able to come to the phone"
        r"\b(?:he|she)(?:'?s| is) at (?:her |his |the |a )?(?:dialysis|doctor'?s?|hospital|clinic|"
        r"therapy|physical therapy|rehab|chemo|appointment|senior center|day ?care|store|"
        r"grocery store|hairdresser|beauty parlou?r)\b|\b(?:he|she|they)(?:'?s| is|'re| are) "
        r"(?:not able|unable) to (?:come|get) to the phone|\b(?:he|she|they) (?:can'?t|cannot|"
        r"couldn'?t) (?:come|get) to the phone|"
        # someone else handles it: "her daughter handles all that", "she can call y'all herself"
        r"\b(?:her|his|their) (?:" + "|".join(RELATIONS) + r"|grand\w+)s? (?:will|'ll|can|is going"
        r" to|handles|takes care of|does)\b(?: \w+)? (?:call|handle|handles|all (?:that|this|of "
        r"that|her|his)|her|his)\b|\b(?:he|she|they) (?:can|will|'ll|could) (?:call|phone|ring) "
        r"(?:you|y'?all|you all|you guys|y'all)(?: back)? (?:herself|himself|themselves)"
    ),
    Intent.HOLD_ON: re.compile(
        r"hold on|one (?:moment|minute|second|sec)|let me (?:get|grab|fetch|find) (?:him|her|"
        r"them)|i'?ll (?:get|grab) (?:him|her)|go get (?:him|her)|just a (?:moment|minute|second|"
        r"sec)|wait a (?:moment|minute|second|sec)|hang on|(?:he|she)'?s (?:coming|right here)"
    ),
    Intent.PRIVACY: re.compile(
        r"(?:read|tell|give|send|show) me (?:the|their|his|her|that|your|a|my neighbou?r'?s?) "
        r"(?:record|file|information|info|details|address|phone|number|account|ssn|social|data|"
        r"(?:caller|customer|client|lead)s?\b|list)|"
        r"record for|records? (?:of|on) (?:someone|another|my neighbou?r|\d)|ignore (?:your|all|"
        r"previous|the|any) (?:previous )?(?:instructions|rules|prompt|guidelines)|system prompt|"
        r"pretend (?:you are|to be)|you are now|developer mode|jailbreak|look up (?:someone|"
        r"another|my neighbou?r|a different|the number|number|a phone)|(?:who|whose) (?:is|number"
        r" is) \d{3}"
    ),
    Intent.LEGAL_TAX: re.compile(
        # advice for the caller's own case; factual questions (property taxes, is it income)
        # are topics the knowledge base answers
        r"\b(?:tax|legal|financial|estate|investment) advi[cs]e|\b(?:my|our|a|an|the) (?:lawyer|"
        r"attorney|accountant|cpa|tax (?:guy|person|preparer|advisor|adviser|professional)|"
        r"financial (?:advisor|adviser|planner))s?\b|\bshould (?:i|we)\b.{0,60}\b(?:tax|taxes|irs|"
        r"legal|deduct|estate|probate|trust|will|medicaid|ssi)\b|\b(?:good|bad|smart|wise) "
        r"(?:idea|move|decision|plan)\b.{0,40}\b(?:tax|taxes|estate|legal)\b|\b(?:tax|taxes|"
        r"estate|legal)\b.{0,30}\b(?:good|bad|smart|wise) (?:idea|move|decision)|\bdeduct\w*|"
        r"\birs\b|\bwrite.?off|\bprobate|\bestate (?:plan\w*|tax\w*)|power of attorney|"
        r"living trust|\bmy will\b|\blawsuit|\bsue\b|\blegal (?:question|problem|issue|"
        r"document|help|matter|standpoint)|\btax (?:implications?|consequences?|benefits?|"
        r"liability|bracket|return|break|purposes|situation|planning)"
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
        r"reschedul|(?:move|push|bump|shift|change|switch) (?:my|the|our|that|this) (?:appointment"
        r"|consultation|meeting|time|day|date|call)|(?:move|push|bump) (?:it|that) (?:back|up|"
        r"forward|to|out|over)|different (?:time|day|date) for (?:my|the|our)|(?:can|could) (?:we|"
        r"i|you) (?:do|make it|try|pick|have|move it to|go with|switch to) (?:another|a different"
        r"|a later|an earlier|some other) (?:day|time|date)|(?:can'?t|cannot|won'?t be able to|"
        r"not going to be able to) make (?:it|that|the appointment|my appointment|the meeting|"
        r"that time)"
    ),
    Intent.CANCEL: re.compile(
        r"\bcancel(?:l?ed|l?ing|lation)?\b|\bcall (?:it|that|the (?:appointment|meeting|"
        r"consultation|visit)|(?:my|our) (?:appointment|meeting|consultation)) off\b|\bcall off "
        r"(?:the|my|our|that|this) (?:appointment|meeting|consultation|visit)|\b(?:scratch|drop|"
        r"nix|forget about) (?:the|my|our|that) (?:appointment|meeting|consultation)|\bdon'?t "
        r"(?:want|need) (?:the|my|that|an) (?:appointment|meeting|consultation) any ?more"
    ),
    Intent.KEEP: re.compile(
        r"\bkeep (?:it|that|this|the (?:appointment|time|meeting|consultation|date|slot)|my "
        r"(?:appointment|time|meeting|consultation)|things (?:as|the same)|everything)\b"
        r"(?! (?:house|home|title|money))|\bleave (?:it|that|things|everything)(?: as (?:it )?is"
        r"| alone| be| the way it is| where it is| as planned| like that)|\b(?:that'?s|it'?s|"
        r"that is) (?:still )?(?:fine|good|great|perfect|okay|ok),? (?:keep|leave)|\bno (?:need "
        r"(?:for|to make) )?changes?\b|\b(?:don'?t|do not|no need to|not going to) (?:cancel|"
        r"change|move|reschedule)\b|\bi'?ll (?:still )?be there\b|\bstick with (?:the|that|my) "
        r"(?:appointment|time|original)|\b(?:as|like) (?:planned|scheduled)\b|\b(?:still|that) "
        r"works for me\b"
    ),
    Intent.APPOINTMENT_QUERY: re.compile(
        r"\bwhat (?:was|is|'s) the (?:time|day|date) (?:for|of) (?:my|our|the) (?:appointment|"
        r"meeting|consultation)|"
        r"\b(?:when|what (?:time|day|date)|which day)(?:'s| is| was| will be) (?:my|our|the|that) "
        r"(?:appointment|meeting|consultation|call|visit)|\b(?:when|what (?:time|day)) (?:did|do) "
        r"(?:i|we|you) (?:book|schedule|set|have)|\bdid (?:i|we|you) (?:already )?(?:book|"
        r"schedule|set up|make|put me down for) (?:me |us )?(?:something|anything|an? "
        r"(?:appointment|meeting|consultation|time)|it|that)|\bdo (?:i|we) (?:already |still )?"
        r"have (?:an?|my|the) (?:appointment|meeting|consultation)|\b(?:is|was) (?:my|our|the) "
        r"(?:appointment|meeting|consultation) (?:still|confirmed|booked|on|set)|\bremind me "
        r"(?:when|what time|of (?:my|the))|\bwhen (?:am|are) (?:i|we) (?:meeting|seeing|supposed "
        r"to)|\bconfirm (?:my|the|our) (?:appointment|time|meeting)|\bwhat (?:did|have) (?:i|we) "
        r"(?:book|schedule)"
    ),
    Intent.ROBOT: re.compile(
        r"\bare (?:you|u) (?:a |an |even )?(?:real|robot|bot|machine|computer|ai|a\.i\.|human|"
        r"person|live|recording|recorded|automated|artificial|actual|program|alive)\b|\bis "
        r"(?:this|that|it) (?:a |an )?(?:real (?:person|human|woman|lady|live person)|live "
        r"person|person|human|robot|bot|machine|computer|recording|recorded|automated|ai|a\.i\.|"
        r"computer program|artificial)\b|\b(?:am i|are we|i'?m) (?:talking|speaking|chatting) "
        r"(?:to|with) (?:a |an )?(?:real |live |actual )?(?:machine|computer|robot|bot|ai|a\.i\.|"
        r"recording|person|human|program|answering)|\byou (?:sound|sounded) like (?:a |an )?"
        r"(?:robot|computer|machine|recording|bot)|\byou'?re (?:a |an |just a )?(?:robot|"
        r"computer|machine|bot|ai|recording)\b|\bartificial intelligence\b|\bare you for real\b"
    ),
    Intent.AUTHORITY: re.compile(
        r"\b(?:i'?m|i am|this is|it'?s|we'?re|we are|here is|speaking as)(?: calling)?(?: as| from"
        r"| with)? (?:your|the|barbara'?s|the agent'?s|the bot'?s|the ai'?s) (?:\w+ ){0,2}?"
        r"(?:supervisor|administrator|admin|sysadmin|developer"
        r"|programmer|engineer|technician|creator|auditor|inspector|trainer|designer|it "
        r"department|department|security team|tech team)\b(?! (?:of|for) (?:my|his|her|the|our"
        r"|their) (?:estate|late|mother|father|mom|dad|husband|wife|trust|will|family|parents))|"
        r"\bas your (?:\w+ )?(?:administrator|admin|supervisor|developer|manager|boss|creator|"
        r"owner|operator|programmer)\b|\bi (?:order|command|instruct|authori[sz]e) you\b|"
        r"\b(?:i'?m|i am|this is) your (?:\w+ )?"
        r"(?:manager|boss|owner|operator|maker)\b|\b(?:this is|i'?m|i am|we'?re|calling|call "
        r"from|from|with) (?:the |your )?(?:it|i\.t\.|tech(?:nical)?|security|compliance|"
        r"engineering|qa|quality assurance|development|admin|systems?|support) (?:department|"
        r"team|support|desk|division|office|group)\b|\bsystem (?:check|test|override|update|"
        r"diagnostic|reset|command|admin|administrator|maintenance|alert)\b|\b(?:maintenance|"
        r"admin|administrator|debug|debugging|developer|dev|test|testing|diagnostic|service|god|"
        r"root|safe|override) mode\b|\boverride\b|\b(?:authori[sz]ation|access|admin|security) "
        r"(?:code|clearance|override|level)\b|\b(?:you'?re|you are) (?:required|obligated|"
        r"ordered|instructed|authori[sz]ed|commanded) to\b|\byou (?:must|have to|need to|will) "
        r"(?:comply|obey|follow my)|\bcomply\b|\bignore (?:your|all|previous|the|any|prior|those)"
        r" (?:previous |prior )?(?:instructions|rules|prompt|guidelines|programming|training|"
        r"script)|\bdisregard (?:your|all|previous|the|any|prior)|\b(?:new|updated) instructions"
        r"\b|\bi (?:work|am working) (?:for|at|with) (?:equity connect|your company|the company|"
        r"you guys|barbara)|\bi'?m (?:with|from) (?:equity connect|your company|corporate|"
        r"headquarters)|\bequity connect (?:staff|employee|management|it|headquarters|corporate|"
        r"engineering)|\bthis is (?:the )?(?:police|fbi|sheriff|irs)\b|\bthis is (?:officer|"
        r"detective|agent|sergeant|deputy|inspector|auditor)\b|\bthis is (?:a|just a|only a) "
        r"test\b|\btest (?:call|protocol)\b|\bsudo\b|\bjailbreak|\bdeveloper mode\b"
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
            r"house|it|my home|the home) to|family get|when (?:i|we) die|after (?:i|we) die|"
            r"pass(?:es)? away|\b(?:when|if|after) (?:i|we|my \w+|s?he) (?:die|dies|pass(?:es)?)\b|"
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
            r"(?:house|home)|selling|downsiz|care (?:home|facility)|(?:have|need) to move|"
            r"(?:twelve|12) months|in the hospital for"
        ),
        "what happens if I move out, sell the home or go into a nursing home",
    ),
}

#: Common question → knowledge-base query.
QUESTIONS: dict[str, tuple[re.Pattern[str], str]] = {
    # first: "do we have to pay taxes on the money we get?", "tax on the lump sum" ask about
    # the tax, not the upkeep or the payout
    "taxes": (
        re.compile(
            r"\btaxable|\btaxed\b|income tax|tax.?free|(?:pay|owe) (?:any |income |federal |"
            r"state )?tax(?:es)? (?:on|for) (?:it\b(?! (?:every|each|yearly|a year|"
            r"annually))|the (?:money|cash|proceeds|payouts?|payments?|funds|loan|lump sum|check|"
            r"income)|that (?:money|cash|income)|(?:what|the money|anything) (?:we|i) (?:get|take|"
            r"receive|draw))|count(?:s|ed)? as income|considered (?:taxable )?income|is (?:it|that|"
            r"the money) (?:considered )?income|report (?:it|the money|that) (?:as income|on (?:my|"
            r"our) (?:taxes|tax return))"
        ),
        "is reverse mortgage money taxable income",
    ),
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
            r"|how (?:does|do|would) (?:it|this|that|a reverse mortgage|reverse mortgages|these)"
            r" (?:thing )?work|explain|tell me (?:more |a little )?about (?:the |a |this |these )?"
            r"reverse mortgage|what (?:are|is) (?:these|this|the) reverse mortgage"
        ),
        "what is a reverse mortgage and how does it work",
    ),
    "payments": (
        re.compile(
            r"monthly payments?|make payments|have to (?:pay|repay)(?! (?:the |my |our |any )?"
            r"(?:property )?(?:taxes|tax|insurance))|pay (?:it|anything) "
            r"back|repay"
        ),
        "do I have to make monthly payments or repay",
    ),
    "benefits": (
        re.compile(r"social security|medicare|medicaid|\bssi\b|pension|benefits"),
        "does a reverse mortgage affect social security or medicare",
    ),
    "counseling": (re.compile(r"counsel"), "HUD counseling requirement"),
    "consultation": (
        re.compile(
            r"(?:what|how long).{0,30}(?:consultation|appointment|meeting)|what (?:do|should) i"
            r" (?:need|bring|have ready)|what (?:\w+ ){0,2}(?:should|do|will|would) (?:i|we) "
            r"(?:need|bring|have (?:ready|on hand|handy)|get ready|gather|prepare|have with)|what "
            r"(?:papers|paperwork|documents|documentation)\b"
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
        re.compile(
            r"(?:wife|husband|spouse|partner) is (?:younger|under)|non.?borrowing|(?:when|if|after)"
            r" (?:my )?(?:wife|husband|spouse|partner) (?:dies|passes|is gone)|(?:i'?m|i am|she'?s|"
            r"he'?s|(?:s?he|my (?:wife|husband)) is) not on the (?:loan|title|deed|mortgage)"
        ),
        "younger spouse non-borrowing spouse",
    ),
    "eligibility": (
        re.compile(
            r"(?:do|would|could|can) (?:i|we) qualify|eligib|requirements|who qualifies|"
            r"(?:does|would|will) (?:that|it|this) (?:still )?(?:count|qualify|work|matter|be a "
            r"problem|be an issue)|is (?:that|this|it) (?:a problem|an issue|a deal.?breaker|"
            r"allowed|ok|okay)\b"
        ),
        "who is eligible for a reverse mortgage",
    ),
    "upkeep": (
        re.compile(
            r"property tax|homeowners? insurance|upkeep|repairs|maintenance(?! mode)|(?:still|"
            r"have to|keep) pay(?:ing)? (?:the |my |our )?(?:taxes|insurance)|pay (?:the|my|our) "
            r"taxes"
        ),
        "do I still pay property taxes, homeowners insurance and upkeep",
    ),
}

_QUESTION_START = re.compile(
    r"^(?:(?:and|so|but|okay|ok|well|also|oh|wait|now|then|actually|quick question|one more "
    r"thing|one other thing|sorry|hey)[,:]?\s+)*(?:what|how|why|when|where|who|which|can|could"
    r"|will|would|is|are|do|does|did|should|may|am|isn'?t|aren'?t|don'?t|doesn'?t|won'?t|"
    r"wouldn'?t|shouldn'?t|whose|what'?s|how'?s)\b"
)
_NOT_A_QUESTION = re.compile(
    r"^(?:(?:ok|okay|sure|yes|yeah|alright|well|so|then|and|just)[,:]?\s+)*(?:will do|do (?:it|"
    r"that|so|whatever)|can do)\b"
)
#: a "hello?" down the line, which asks nothing: "Hello? Yes, this is Pat"
_PHONE_HELLO = re.compile(r"(?:^|(?<=[.!?,]\s))(?:hello|hi|hey|yes|yeah|hello there|hi there)\?+")
_CLAUSE_SPLIT = re.compile(r"[.!?;:—–]+|\s-+\s|,\s*(?=(?:wait|and|but|so|also|oh)\b)|\bwait\b")
_EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}")
_SPOKEN_EMAIL = re.compile(
    r"(?<![\w'])((?:[a-z0-9]\s+)*[a-z0-9._-]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[a-z0-9_-]+|"
    r"\s+[a-z0-9](?![\w']))*)\s+at(?: sign| symbol)?\s+((?:[a-z0-9]\s+)*[a-z0-9-]+(?:\s+dot\s+"
    r"[a-z0-9-]+)+)"
)
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|oh)"
)
#: a number said in the name part of an address, with the word before it
_EMAIL_NUMBER = re.compile(
    rf"(?<![\w'-])([a-z0-9._-]+)\s+(\d+|(?!oh\b){_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*)"
    rf"(?=\s+(?:at|dot|underscore|dash|hyphen)\b)"
)
_EMAIL_LEAD_WORDS = {
    "my", "email", "e-mail", "address", "is", "it", "it's", "its", "that's", "sure", "yes",
    "yeah", "okay", "ok", "so", "and", "the", "send", "to", "me", "at", "oh",
}  # fmt: skip
_ZIP_RE = re.compile(r"(?<![\d,$.])\b(\d{5})\b(?!\d|,\d|\.\d)")
_ZIP_CUE = re.compile(
    r"\b(?:zip|zip ?code|zipcode|postal code|post code)s?\b(?:\s+(?:is|it'?s|would be|number|"
    r"there is|there'?s|over there))?[\s:,#?.!-]*$"
)
_DIGIT_WORDS = {
    **{str(d): str(d) for d in range(10)},
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
    r"(?<!fort )(?<!ft )(?<!ft\. )worth|value|valued|apprais|sell (?:it )?for|market|zillow|"
    r"estimat|the (?:house|home) is|"
    r"it'?s (?:about|around|maybe|probably)|priced|"
    # "the house, probably four-twenty-five"; "she'd bring about two-seventy-five"; "goes for"
    r"the (?:house|home|place)(?:,|'s)? (?:probably|maybe|about|around|roughly|i'?d say|i "
    r"think|i guess)|(?:would|could|'d|might|will|should) (?:bring|fetch|go for)\b|"
    r"\bgo(?:es)? for\b"
)
#: value words that only lean to the value: "it's about 95" answers what was asked
_WEAK_VALUE = re.compile(r"it'?s (?:about|around|maybe|probably)")
_BALANCE_WORDS = re.compile(r"\bowe|owing|mortgage|balance|left on|loan|still have|pay(?:ing)? off")
#: a bare answer of nothing, when the balance was asked: "none", "zero", "nothing at all"
_NONE = re.compile(
    r"(?:(?:no|nope|oh|well|um|uh)[\s,]+)?(?:none|nothing|zero|nada|zilch|not a (?:thing|dime|"
    r"penny|cent))(?: at all| whatsoever)?"
)
#: words after an amount that make it what is owed: "forty thousand left on the mortgage"
_BALANCE_AFTER = re.compile(
    r"\s*(?:dollars\s*)?(?:(?:left|owed|owing|remaining|outstanding|still owed)\b|(?:on|against) "
    r"(?:the|my|our|a) (?:mortgage|loan|heloc|home equity|line of credit|reverse mortgage)\b)"
)
#: between the two ends of a guess: "three-fifty, three seventy-five", "300 to 350"
_RANGE_GAP = re.compile(
    r"\s*(?:,\s*|,?\s*(?:or|to|-|–|through|maybe|or maybe|or so,?|,? or)\s+)(?:maybe |even |"
    r"possibly |perhaps |about |around |up to )?"
)
#: a loan besides the first mortgage, whose balance adds to it
_OTHER_LOAN = re.compile(
    r"\b(?:second|2nd|other|another|separate) (?:mortgage|loan|lien)|\bhome equity (?:line|loan)|"
    r"\bequity line|\bheloc\b|\bline of credit\b"
)
_PAID_OFF = re.compile(
    r"\bpaid (?:it |that |(?:the|my|our) (?:house|home|mortgage|loan|place) |everything |the "
    r"whole thing )?off|\b(?:all|fully|completely) paid\b|paid in full|\b(?:it'?s|it is|is|"
    r"was|all|been) paid for\b|\bno (?:more )?(?:mortgage|home loan|loan|liens?|balance|debt)\b(?!"
    r" (?:broker|company|lender|guy|person|officer))|(?:don'?t|do not|doesn'?t|does not) (?:have|"
    r"got|carry) (?:a|any|an?y?) ?(?:mortgage|home loan|loan|balance|lien)|(?:don'?t|do not|"
    r"doesn'?t|does not) owe (?:anything|nothing|a (?:thing|dime|penny|cent|nickel)|any ?(?:thing|"
    r"money)|money|nada)|(?:don'?t|do not) owe\s*(?:on (?:it|the (?:house|home)))?\s*(?:[.,!?]|$)|"
    r"\bowe (?:zero|nothing|nada|not a (?:thing|dime|penny|cent))|nothing (?:left|owed|owing|on "
    r"it|to pay)|free and clear|\boutright\b|mortgage.?free|zero balance|(?:own|owned) it free"
)
_NOT_OWN = re.compile(
    r"(?:don'?t|do not|doesn'?t|does not|never) own\b|\bnot (?:the |a )?(?:home ?)?owners?\b|"
    r"\b(?:i|we) (?:just |only )?rent (?:my|our|an?|the|this|a little) (?:apartment|place|house|"
    r"home|unit|condo|room|trailer|duplex|townhouse|mobile|space|flat)|\b(?:we'?re|i'?m|we are|i"
    r" am) (?:just |only |still )?(?:renters?|tenants?|renting)\b(?! (?:it |the \w+ )?out)|"
    r"\brenters?\b|\bit'?s a rental"
    r",? (?:i|we) (?:don'?t|do not)|\b(?:my|our|the) (?:son|daughter|kids?|children|family|"
    r"parents?|mother|father|mom|dad|brother|sister|landlord|niece|nephew|grandson|"
    r"granddaughter|friend|boyfriend|girlfriend|landlady|uncle|aunt|cousin)(?:'s)? (?:owns?|holds?"
    r" the (?:title|deed)|has the (?:title|deed))\b|\bbelongs? to (?:my|our|the) (?:son|daughter|"
    r"kids|children|landlord|parents?|family|mother|father|mom|dad)|\b(?:in|under) (?:my|our) "
    r"(?:son|daughter|kids?|children|parents?|mother|father|mom|dad|brother|sister)'?s? names?|"
    # "it's my brother's, I rent it from him"
    r"\b(?:it'?s|it is|the (?:house|home|place) is|that'?s) (?:really |actually )?(?:my|our) "
    r"(?:son|daughter|kids?|children|family|parents?|mother|father|mom|dad|brother|sister|"
    r"landlord|landlady|niece|nephew|grandson|granddaughter|friend|uncle|aunt|cousin)"
    r"(?:-in-law)?'s\b|\b(?:i|we) rent (?:it|the (?:house|home|place)|a room|there)? ?from\b"
)
_RENT = re.compile(
    r"\b(?:we|i) (?:just )?rent\b(?!(?: \w+){0,3} out\b)|\brenting\b(?! out)|\brenters?\b|"
    r"\btenants?\b|\blease\b|\blandlord\b|"
    r"(?:don'?t|do not) own|not (?:the )?(?:home)?owners?|(?:my|our) (?:son|daughter|kids?|"
    r"family)'?s? (?:house|home|place)|live with my (?:son|daughter|kids)|apartment"
)
_OWN = re.compile(
    r"\b(?:we|i) (?:do )?own\b|own (?:it|the (?:house|home|place)|our|my)|homeowners?\b|"
    r"in (?:my|our) name|paid (?:it |that |(?:the|my|our) (?:house|home|mortgage|loan|place) )?"
    r"off|we bought|i bought|owned it|\boutright\b|free and clear|\bpaid for\b(?! (?:the|a|an|"
    r"it|my|our|by|with)\b)|(?:my|our) (?:wife|husband|spouse|partner) "
    r"(?:and i )?owns?\b|\bown(?:s|ed)? (?:a|the|this|that) (?:house|home|place|condo|property)|"
    r"\b(?:i|we)(?:'ve| have)? got (?:a|the|our|my) (?:house|home|condo|place)\b|\b(?:i|we) have "
    r"(?:a|the) (?:house|home|condo)\b(?! (?:to|for|that i|that we) rent)|"
    # a mortgage on their own house: "I still owe about 180 on my house"
    r"\b(?:owe|mortgage|loan|balance)\b[^.?!]{0,40}\bon (?:my|our) (?:house|home|condo|place)\b"
)
#: "our house is in Aurora … we live there": their own home, with living there
_OWN_POSSESSIVE = re.compile(r"\b(?:my|our) (?:own )?(?:house|home|condo)\b")
_OWN_WEAK = re.compile(
    r"it'?s (?:mine|ours)|(?:my|our) (?:own )?(?:house|home)\b|\b(?:we|i) do\b(?!n'?t| not)"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)"
)
_NOT_PRIMARY = re.compile(
    r"vacation|second home|summer (?:home|place|house)|winter (?:home|place)|rental propert|"
    r"it'?s a rental|a rental|rent (?:it|the (?:house|home|place)|them) out|investment|cabin|"
    r"don'?t live (?:there|in it)|do not live (?:there|in it)|snowbird|half (?:the|of the) year|"
    r"part of the year|weekend place|lake house|beach house|timeshare|not (?:my|our) (?:main|"
    r"primary)|"
    # the whole place let: "I rent out both sides"
    r"rent(?:ing)? out (?:both (?:sides|units|halves|floors|of them)|all (?:of )?(?:it|them|the "
    r"units)|the (?:whole|entire) (?:house|home|place|thing)|every (?:unit|side))|"
    # nobody lives there: "I moved into assisted living", "nobody lives there now"
    r"moved (?:into|in to|to) (?:an? |the )?(?:assisted living|nursing home|care (?:home|"
    r"facility)|memory care|retirement (?:home|community)|senior (?:living|home|apartment))|"
    r"(?:live|living|stay|staying) (?:in|at) (?:an? |the )?(?:assisted living|nursing home|care "
    r"(?:home|facility)|memory care|retirement home)|\b(?:nobody|no one|no-one) (?:lives|is "
    r"living|stays|is staying)\b|\b(?:sits|sitting|is|it'?s|been|stands|standing) (?:empty|"
    r"vacant)\b|"
    # part of the year there: "we're only down here January to April"
    r"\bonly (?:(?:come|go|stay|are|be|live|spend time) )?(?:down |up |out |over )?(?:(?:here|"
    r"there) (?:for |in |during |from )?|(?:for |in |during |from ))(?:the )?(?:winters?|"
    rf"summers?|season|part|a few|a couple|{_MONTH} (?:to|through|till|until|and) {_MONTH})|"
    r"\ba (?:couple|few) (?:of )?(?:weeks|months) (?:a|each|every) year"
)
#: the caller lives in another home than the one they own: "I live with my daughter"
_LIVES_ELSEWHERE = re.compile(
    r"\b(?:i|we) (?:now |actually |really )?(?:live|stay|am living|are living|'m living|'re "
    r"living|moved in) with (?:my|our) (?:son|daughter|kids|children|sister|brother|family|"
    r"mother|father|mom|dad|parents|grand\w+|niece|nephew|friend|boyfriend|girlfriend)|\b(?:i|"
    r"we) (?:now |actually |really )?live in (?:an? |my |our )?(?:apartment|rental|rented|"
    r"(?:son|daughter|sister|brother)'s)"
)
_PRIMARY = re.compile(
    r"live (?:there|in it|here|in the (?:house|home))|full.?time|year.?round|all year|primary|"
    r"main (?:home|house|residence)|(?:our|my) home\b|where (?:we|i) live|(?:we|i) live in|"
    r"(?:we|i)'?ve lived|only home|live in (?:my|our|the) (?:own )?(?:house|home|place|condo)|"
    r"\bown and live\b|\blived (?:there|here|in it) (?:for )?(?:over |almost |nearly |about )?"
    r"(?:[\w-]+ )?(?:years|decades)|\blived (?:there|here|in it) since|\bs?he (?:still )?lives "
    r"(?:there|here|in it)|\bs?he'?s lived (?:there|here|in it)|"
    # one unit of their own two-family: "I live downstairs, my nephew rents upstairs"
    r"\b(?:i|we) live (?:downstairs|upstairs|in the (?:front|back|other|upper|lower|basement) "
    r"(?:unit|half|side|floor|apartment)|on the (?:first|second|ground|top|bottom|main) floor)"
)
_DONT_RENT = re.compile(r"(?:don'?t|do not|never) rent\b")
#: before a weekday: a day gone by, not one to meet on
_PAST_DAY = re.compile(
    r"\b(?:last|this past|past)\s*$|\b(?:had|went|did|happened|came|saw|visited|got back|was "
    r"(?:at|in|there)|were (?:at|in|there))\b(?!.*\b(?:next|coming|this|want|like|prefer|"
    r"works?|good|best)\b)"
)
_CLOCK = r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirty)"
_MORNING = re.compile(
    rf"morning|{_CLOCK}\s*am\b|\ba\.m\.|before (?:noon|lunch)|\bearly\b(?!\s+(?:afternoon|"
    r"evening|one|on\b))"
)
_AFTERNOON = re.compile(
    rf"afternoon|{_CLOCK}\s*pm\b|\bp\.m\.|after (?:noon|lunch)|later in the day|evening|after "
    r"(?:1|2|3|one|two|three)\b"
)
#: a greeting, not a time: "Good morning!", "Hi, good afternoon"
_GREETING = re.compile(
    r"(^|[.!?,;]\s*|\b(?:hi|hello|hey|oh|well|and|yes|yeah|a very|and a)[,!]?\s+)good (?:morning|"
    r"afternoon|evening|day)\b(?!\s+(?:works|is|would|for (?:me|us)|sounds|time|slot|suits))"
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
    r"twelve)(?:\s+(thirty|fifteen|forty.?five))?\b(?!\s*(?:hundred|thousand|grand|million|k\b|"
    r"dollars|bucks|years|percent|of (?:them|us|those)|people|times))"
)
_ORDINALS = {
    "first": 0, "1st": 0, "number one": 0, "option one": 0, "second": 1, "2nd": 1,
    "number two": 1, "option two": 1, "last": 1, "latter": 1, "former": 0, "third": 2,
}  # fmt: skip
_ORDINAL_RE = re.compile(
    r"\b(first|1st|second|2nd|third|last|latter|former|number one|number two|option one|"
    r"option two)\b"
)
#: "last year", "first of all": an ordinal that picks no slot
_NOT_A_CHOICE = (
    r"\s+(?:year|week|month|night|time (?:i|we|you)|of all|thing|name|mortgage|husband|wife|"
    r"loan|house|home|payment|visit|call)"
)
_EARLIER = re.compile(r"earlier|sooner|first available|soonest|early one|the one before")
_LATER = re.compile(r"\blater one|the later|\blatter\b|second available")
_EITHER = re.compile(r"either|whichever|doesn'?t matter|any of (?:them|those)|both (?:work|are)")
_REJECT = re.compile(
    r"neither|none of (?:them|those)|something else|different (?:day|time)|other (?:days?|times?)"
    r"|don'?t work|doesn'?t work|can'?t do (?:those|either|that)"
)
_PURPOSE = re.compile(
    r"(?:roof|repair|renovat|remodel|fix (?:up )?the|medical|doctor|hospital|(?<!pays the )"
    r"(?<!pay the )bills|debt|credit "
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
_MOD = (
    r"(?:(?:just|about|almost|nearly|over|only|already|around|past|under|turning|gonna be|going "
    r"to be|now|like|roughly|pushing)\s+)*"
)
_SPOUSE_WORDS = r"(?:wife|husband|hubby|spouse|partner|fianc[eé]e?|significant other)"
_PARENT_WORDS = r"(?:mother|father|mom|mum|dad|mama|papa|parents?)"
#: a name after "my wife": "my wife Nadine is 61", "my husband, Rick, is 59"
_GIVEN_NAME = r"(?:,?\s+(?!(?:and|who|is|was|will|turned|turns|just|says|said)\b)[a-z][a-z'-]+,?)?"
_SPOUSE_AGE = re.compile(
    rf"\b{_SPOUSE_WORDS}{_GIVEN_NAME}(?:'s| is| was|'ll be| will be| turned| just turned| turns|"
    rf" is turning| who is|,)?(?: age is| is)?\s*{_MOD}$"
    rf"|\b(?:s?he'?s|s?he is|s?he'?ll be|s?he will be|s?he turned|s?he just turned|s?he turns|"
    rf"s?he was)\s*{_MOD}$"
)
_PARENT_AGE = re.compile(
    rf"\b{_PARENT_WORDS}(?:'s| is| was|'ll be| will be| turned| just turned| turns)?\s*{_MOD}$"
)
_BOTH_AGE = re.compile(
    rf"\b(?:we'?re|we are|we'?ll be|we will be) both\s*{_MOD}$|\bboth (?:of us )?(?:are |were )?"
    rf"{_MOD}$"
)
_OWN_AGE = re.compile(
    rf"(?:\bi'?m|\bi am|\bi'?ll be|\bi will be|\bi turned|\bi just turned|\bi turn|\bturned|"
    rf"\bturning|\bage|\baged|\bages|\bme,?|\bmyself,?|\bi was|\bwe'?re|\bwe are|\byoungest"
    rf"(?: one| of us| borrower)?(?: is)?|\bbe|\bage is|\bmy age(?: is)?)\s*(?:is\s*)?{_MOD}$"
)
#: "born" in the words before a year: "born in", "born on March 3rd,", "born back in '"
_BORN = re.compile(r"\bborn\b(?:(?!\bborn\b)[^.!?;]){0,30}$")
#: "born in 51", "born back in fifty-one": two digits said right after it are a year
_BORN_SHORT = re.compile(r"born (?:in |back in )?(?:the year )?'?\s*")
#: "… and Ernest is 69": someone named, said with the caller's own age
_NAMED_AGE = re.compile(
    rf"(?:^|[,;]|\band)\s+([a-z][a-z'-]+)(?:'s| is| was|'ll be| will be| turned| just turned| "
    rf"turns)\s*{_MOD}$"
)
#: the caller speaks of two borrowers: a named person's age is the other one's
_TWO_OF_US = re.compile(rf"\b(?:{_SPOUSE_WORDS}|both|me and|and me|the two of us)\b")
#: "lived there fifty years": how long, not how old
_DURATION_AFTER = re.compile(r"\s*(?:years?|yrs)\b(?!\s+(?:old|young|of age))")
#: who an age belongs to, from the words just before it ("he"/"she": the spouse, the other one)
_AGE_OWNERS = (("spouse", _SPOUSE_AGE), ("other", _PARENT_AGE), ("both", _BOTH_AGE),
               ("self", _OWN_AGE))  # fmt: skip
_AGE_AFTER = re.compile(
    r"\s*(?:years?|yrs?)(?: old| young| of age)|\s*(?:next|this) (?:month|year|week)|\s*in "
    r"(?:a|two|three|few|a few|a couple)\b|\s*(?:years? )?(?:on|this) (?:my|his|her) birthday"
)
#: what can stand with a number said alone as an answer: "Sixty-nine.", "Oh, 72 now."
_BARE_BEFORE = re.compile(
    r"^[\s,]*(?:(?:oh|well|yes|yeah|yep|so|and|okay|ok|just|about|around|almost|nearly|i'?m|"
    r"i am|i think|i'?d say|let'?s see|let me see|i believe|hmm|sure|age|me|myself|no|nope|"
    r"sorry|actually|i mean|wait|make that|rather|or rather|oops)[\s,]+)*$"
)
_BARE_AFTER = re.compile(r"^[\s,]*(?:years?(?: old| young)?|now|this year|myself|i think)?[\s,]*$")
#: "that's my wife" right after an age: the age was the spouse's
_AGE_WAS_SPOUSE = re.compile(
    rf"that'?s (?:my|her|his) {_SPOUSE_WORDS}(?:'s age)?\b|that'?s (?:her|his) age|that (?:was|"
    rf"is) (?:my|her|his) {_SPOUSE_WORDS}"
)
#: the caller takes back the value just said: "sixty... no, seventy-one", "98103, sorry, 98105"
_TAKE_BACK = re.compile(
    r"[\s.,;:!?…—–-]*(?:(?:no|nope|nah|sorry|i'?m sorry|pardon me|i mean|i meant|actually|wait|"
    r"oops|whoops|correction|scratch that|make (?:that|it)|or rather|rather|let me (?:correct|"
    r"rephrase) (?:that|myself)|i said that wrong|that'?s wrong|hold on)[\s.,;:!?…—–-]*)+(?:it'?s"
    r"|it is|i'?m|i am|that'?s|that is|it was|we'?re|we are|s?he'?s|s?he is|it should be)?\s*"
)
_NOT_THAT = re.compile(r"\s*,?\s*(?:not|and not|rather than|instead of)\s*")
#: a correction that starts with a word or two and goes on before the new value: "ninety...
#: wait, no, we paid it down, it's seventy thousand", "a hundred twenty... Pat says no, it's
#: one forty", "five hundred... well, the neighbor sold for five sixty, so say five fifty"
_RETRACT = re.compile(
    r"[\s.,;:!?…—–-]*(?:(?:no|nope|nah|sorry|i'?m sorry|pardon me|i mean|i meant|actually|wait|"
    r"oops|whoops|correction|scratch that|make (?:that|it)|or rather|rather|let me (?:correct|"
    r"rephrase)(?: that| myself)?|i said that wrong|that'?s wrong|that'?s not right|hold on|"
    r"i misspoke|my mistake|goodness|oh dear|well|so|(?:let'?s )?say|call it|(?:my )?(?:wife|"
    r"husband|son|daughter|partner) (?:says|said|tells me|is telling me)|[a-z]+ (?:says|said|"
    r"tells me|is telling me|reminds me))\b[\s.,;:!?…—–-]*)+"
)
#: the words of a loose correction that only restate: "well", "so", "say"
#: after a correction, words that say what the value taken back was: "that's what we
#: originally borrowed", "that was the old balance", "that was before we refinanced"
_EXPLAINS_FIRST = re.compile(
    r"(?:that'?s|that is|that was|this was|those were|it was) (?:what|how much|the|just|only|"
    r"when|before|back|from|our|my|years ago|a while|originally|at first|way back)\b"
)
_WEAK_RETRACT = re.compile(r"[\s.,;:!?…—–-]*(?:(?:well|so|(?:let'?s )?say|no)\b[\s.,;:!?…—–-]*)+")
_PERSON_WORDS = re.compile(rf"\b(?:{_SPOUSE_WORDS}|{_PARENT_WORDS}|s?he|s?he'?s|her|his|him)\b")
_MONEY_AFTER = re.compile(r"\s*(?:dollars|bucks|thousand|grand|million|k\b|hundred|percent|%)")
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:years?|yrs|months?|weeks?|days?|hours?|minutes?|percent|%|miles?|feet|foot|sq|"
    r"square|acres?|people|kids|grandkids|children|times|o'?clock|a\.?m\b|p\.?m\b|st\b|nd\b|rd\b|"
    r"bed(?:room)?s?\b|bath(?:room)?s?\b|br\b|stor(?:y|ies)\b|floors?\b|car garage|units?\b|"
    r"th\b|street|st\.|avenue|ave|road|rd\.|lane|drive|way|blvd|boulevard|court|circle|years? old)"
)
_DECADE = re.compile(
    r"\bin (my|our|his|her) (?:(early|mid|late)[\s-]+)?(sixties|seventies|eighties|nineties|"
    r"fifties|[5-9]0'?s\b)"
)
_DECADES = {"fifties": 55, "sixties": 65, "seventies": 75, "eighties": 85, "nineties": 95}
_DECADE_PART = {"early": -3, "mid": 0, "late": 3, None: 0}
_NAME_CUE = re.compile(
    r"\bname|\bthis is\b|\bi'?m\b|\bi am\b|\bit'?s\b|\bspeaking\b|\bhere\b|\bcall me\b|"
    r"^[a-z]+(?: [a-z]+)?[.!]?$"
)
_HAS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|half|grand)\b|\bsixties|seventies|eighties|nineties|fifties"
)
#: speech-to-text filler words, dropped before reading: "um", "uh", "erm" (not "uh-huh")
_FILLERS = re.compile(r"(?<![\w'-])(?:u+m+|u+h+m*|e+r+m+|h+m+)(?![\w'-]|[ ,]+huh)[,.]?\s*", re.I)
_TENS = r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_WORD_END = r"(?=\s*(?:[.,!?;]|$|years?\b|and\b|now\b|this\b|next\b))"
#: words speech-to-text mishears, put right before reading
_MISHEARD: tuple[tuple[re.Pattern[str], str], ...] = (
    # tens spelled the way they sound: "sicksty ate", "fourty", "ninty"
    (re.compile(r"\b(?:sick?s?ty|sicsty|siksty|sixdy|sixtee)\b", re.I), "sixty"),
    (re.compile(r"\bfourty\b", re.I), "forty"),
    (re.compile(r"\bninty\b", re.I), "ninety"),
    (re.compile(r"\b(?:sevendy|sevnty|sebenty)\b", re.I), "seventy"),
    (re.compile(r"\b(?:eigthy|eighdy|eithy)\b", re.I), "eighty"),
    (re.compile(r"\b(?:fiddy|fifdy)\b", re.I), "fifty"),
    # "won" before a number, not after someone who won: "we owe like won twenty"
    (re.compile(r"(?<!\bi )(?<!\bwe )(?<!\bthey )(?<!\bhe )(?<!\bshe )(?<!\byou )(?<!\bwho )"
                r"\bwon(?=[\s-]+(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                r"thousand|million|point|fifteen|ten|eleven|twelve)\b)", re.I), "one"),
    (re.compile(r"\b(?:mort|more|moore|mor|mart|morg)[\s-]*(?:gauge|gage|guage|gadge|gaige)(s?)\b",
                re.I), r"mortgage\1"),
    (re.compile(r"\breversed?\s+(?:more|mort|moore|mortar|mart)[\s-]*(?:cage|gaze|gates?|age|gig|"
                r"gig|guitar)(s?)\b", re.I), r"reverse mortgage\1"),
    (re.compile(r"\bheck[\s-]?(?:um|em|im)\b", re.I), "HECM"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:free|tree)\b", re.I), r"\1-three"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:for|fore){_WORD_END}", re.I), r"\1-four"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:to|too){_WORD_END}", re.I), r"\1-two"),
    (re.compile(rf"\b{_TENS}[\s-]+won{_WORD_END}", re.I), r"\1-one"),
    (re.compile(rf"\b{_TENS}[\s-]+ate{_WORD_END}", re.I), r"\1-eight"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:sex|sicks){_WORD_END}", re.I), r"\1-six"),
    (re.compile(r"\b(?:for|fore)\s+(hundred|thousand|million)\b", re.I), r"four \1"),
    (re.compile(r"\bmourning(s?)\b", re.I), r"morning\1"),
    # a dropped g: "nothin' owed", "owe nothin", "I was studyin' on it"
    (re.compile(r"\b(noth|someth|anyth|everyth)in\b'?", re.I), r"\1ing"),
    (re.compile(r"\b([a-z]{3,}[^aeiou\W])in'(?=[\s,.!?;]|$)", re.I), r"\1ing"),
)  # fmt: skip
_REVERSE_MORTGAGE = re.compile(r"reverse mortgage|\bhecm\b|home equity conversion")
#: intents answered by the policy itself: no knowledge-base search for them
_POLICY_INTENTS = {
    Intent.ROBOT, Intent.AUTHORITY, Intent.APPOINTMENT_QUERY, Intent.CANCEL, Intent.KEEP,
    Intent.RESCHEDULE, Intent.REPEAT, Intent.HUMAN, Intent.PRIVACY, Intent.STOP_CALLING,
    Intent.HOLD_ON, Intent.CALLBACK, Intent.EMAIL, Intent.WRONG_PERSON,
}  # fmt: skip
#: large US cities, recognised in lowercase speech-to-text without a state
BIG_CITIES = frozenset({
    "new york", "los angeles", "chicago", "houston", "phoenix", "philadelphia", "san antonio",
    "san diego", "dallas", "san jose", "austin", "jacksonville", "fort worth", "columbus",
    "charlotte", "indianapolis", "san francisco", "seattle", "denver", "nashville",
    "oklahoma city", "el paso", "boston", "portland", "las vegas", "detroit", "memphis",
    "louisville", "baltimore", "milwaukee", "albuquerque", "tucson", "fresno", "sacramento",
    "mesa", "kansas city", "atlanta", "omaha", "colorado springs", "raleigh", "miami",
    "long beach", "virginia beach", "oakland", "minneapolis", "tulsa", "tampa", "new orleans",
    "wichita", "cleveland", "bakersfield", "anaheim", "honolulu", "santa ana", "riverside",
    "corpus christi", "lexington", "stockton", "st louis", "saint louis", "st paul",
    "saint paul", "cincinnati", "pittsburgh", "greensboro", "anchorage", "plano", "orlando",
    "irvine", "newark", "toledo", "durham", "chula vista", "fort wayne", "jersey city",
    "st petersburg", "saint petersburg", "laredo", "madison", "chandler", "buffalo", "lubbock",
    "scottsdale", "reno", "glendale", "gilbert", "winston salem", "norfolk", "chesapeake",
    "boise", "richmond", "baton rouge", "spokane", "des moines", "tacoma", "san bernardino",
    "modesto", "birmingham", "rochester", "salt lake city", "sarasota", "fort lauderdale",
    "tallahassee", "clearwater", "palm springs", "sun city", "tempe", "pasadena", "knoxville",
    "charleston", "savannah", "el cajon", "santa fe", "syracuse", "providence", "hartford",
    "little rock", "jackson", "montgomery", "mobile", "shreveport", "dayton", "akron",
    "grand rapids", "lansing", "ann arbor", "green bay", "sioux falls", "fargo", "billings",
    "cheyenne", "eugene", "salem", "boulder", "fort collins", "pueblo", "naples", "fort myers",
    "palm beach", "west palm beach", "boca raton", "st pete", "daytona beach", "ocala",
    "gainesville", "pensacola", "huntsville", "chattanooga", "asheville", "wilmington",
    "las cruces", "yuma", "flagstaff", "prescott", "henderson", "sparks", "bellevue", "everett",
    "olympia", "vancouver", "bend", "medford", "santa rosa", "san mateo", "santa barbara",
    "santa clara", "sunnyvale", "fremont", "hayward", "oxnard", "ventura", "escondido",
    "carlsbad", "oceanside", "temecula", "palm desert", "yonkers", "albany", "worcester",
    "springfield", "new haven", "stamford", "bridgeport", "allentown", "scranton", "erie",
    "harrisburg",
})  # fmt: skip
_BIG_CITY_ALTS = "|".join(sorted((c.replace(" ", r"\.?\s+") for c in BIG_CITIES), key=len,
                                 reverse=True))  # fmt: skip
_BIG_CITY_RE = re.compile(rf"\b({_BIG_CITY_ALTS})\b")
_BIG_CITY_LAST = re.compile(rf"\b({_BIG_CITY_ALTS})[\s,]*$", re.IGNORECASE)
#: capitalised words that are not a city after "in"/"from"
_NOT_CITY = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "god", "heaven", "english", "spanish", "christ",
    "jesus", "medicare", "medicaid", "social", "zillow", "equity", "connect", "reverse",
    "hud", "fha", "covid", "florida's", "the", "a", "an", "my", "our", "i", "it", "zip", "us",
    "america", "usa", "u.s.", "hecm", "mortgage", "december's", "church", "walmart", "target",
    "costco", "christmas", "easter", "thanksgiving", "retirement", "hospital", "rehab",
}  # fmt: skip
_CITY_WORD = r"(?:(?:St|Ft|Mt)\.?|[A-Z][a-zA-Z'’-]+)"
_CITY_AFTER_IN = re.compile(
    rf"\b(?:in|near|outside(?: of)?)\s+({_CITY_WORD}(?:\s+{_CITY_WORD}){{0,2}})"
)
_CITY_AFTER_FROM = re.compile(
    rf"\b(?:i'?m|we'?re|i am|we are|originally|calling|moved|here) from\s+({_CITY_WORD}"
    rf"(?:\s+{_CITY_WORD}){{0,2}})"
)
_CITY_BEFORE_ZIP = re.compile(
    rf"({_CITY_WORD}(?:\s+{_CITY_WORD}){{0,2}}),?\s+(?:zip(?: ?code)?\s+)?\d{{5}}\b"
)
_STOP_BEFORE_STATE = {
    "in", "from", "near", "of", "outside", "live", "it's", "is", "the", "we", "i", "home",
    "house", "yes", "yeah", "and", "city", "town", "lived", "living", "out", "over", "down",
    "up", "to", "at", "by", "a", "an", "my", "our", "its", "that's", "thats", "it", "sunny",
    "beautiful", "lovely", "northern", "southern", "eastern", "western", "central", "north",
    "south", "east", "west", "upstate", "downstate", "rural", "small", "little", "big", "here",
    "there", "state", "county", "place", "condo", "property", "own", "owns", "yep", "sure",
    "okay", "ok", "so", "well", "oh", "moved", "move", "born", "raised", "back", "area",
    "outright", "still", "now", "currently", "right", "just", "both", "but", "or",
}  # fmt: skip
_WORRY = re.compile(
    r"worr|concern|afraid|scared|nervous|heard (?:that|you|they)|is it true|what if|what about|"
    r"what happens|don'?t want to lose|not sure about|hesita|inherit|heirs"
)


STOP_CALLING = _INTENT_PATTERNS[Intent.STOP_CALLING]
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


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def understand(text: str, expect: Expect = Expect.NOTHING, *, this_year: int = 2026) -> Heard:
    """Every fact, intent and question in one caller turn. ``expect`` only breaks ties for bare
    answers ("yes", "seventy"): a fact said out of turn is read all the same."""
    heard = Heard(text=text.strip())
    raw = _clean(text)
    low = normalise(raw)
    if not low or low in ("<silence>", "[silence]"):
        heard.text = ""
        return heard
    heard.yes = bool(_YES.search(low)) or (
        expect != Expect.NOTHING and bool(_YES_ANYWHERE.search(low))
    )
    heard.no = bool(_NO.search(low))
    if heard.no and heard.yes and _NO.search(low) and not low.startswith(("yes", "yeah")):
        heard.yes = False
    heard.reverse_mortgage = bool(_REVERSE_MORTGAGE.search(low))
    heard.question = _is_question(low)
    for intent, pattern in _INTENT_PATTERNS.items():
        if pattern.search(low):
            heard.intents.add(intent)
    _refine_intents(heard, low, expect)
    said = _take_back(low)  # what the caller settled on: corrected values blanked out
    if not heard.has(Intent.AUTHORITY) and (
        expect in (Expect.NAME, Expect.RIGHT_PERSON, Expect.WAITING) or _NAME_CUE.search(low)
    ):
        _names(heard, raw, low, expect)
    used: list[tuple[int, int]] = []  # number spans already read as a fact
    numbers = find_numbers(said) if _HAS_NUMBER.search(said) else []
    _zip(heard, said, expect, numbers, used, raw)
    own_age = _age(heard, said, expect, this_year, numbers, used, raw)
    _amounts(heard, said, expect, numbers, used)
    _location(heard, raw, said, expect)
    _gates(heard, said, expect)
    _when(heard, _blank(said, used), expect)
    _choice(heard, said, expect)
    if "@" in low or " at " in low:
        _email(heard, low)
    _purpose(heard, said)
    _topic(heard, said)
    _after_reading(heard, low, own_age)
    return heard


def _clean(text: str) -> str:
    """Speech-to-text as it should have been: no "um"/"uh", misheard words put right."""
    text = text.strip().replace("’", "'").replace("‘", "'")
    text = _FILLERS.sub("", text)
    for pattern, repl in _MISHEARD:
        text = pattern.sub(repl, text)
    return re.sub(r"\s+", " ", text).strip()


def _take_back(low: str) -> str:
    """Blank out a value the caller took back, so every reader sees only the one they settled
    on: "sixty... no, seventy-one", "98103, sorry, 98105", "Monday, I mean Tuesday"; and
    "seventy, not sixty". A correction may say more before the new value ("ninety... wait, no,
    we paid it down, it's seventy thousand") if it is about the same thing: the same kind of
    number, the same person, the same amount (value, balance)."""
    chars = list(low)
    numbers = find_numbers(low)
    kinds = (
        [(s, e) for _, s, e in numbers],
        [m.span() for m in _WEEKDAY_RE.finditer(low)],
    )
    for spans in kinds:
        for (s1, e1), (s2, e2) in itertools.pairwise(spans):
            gap = low[e1:s2]
            if _TAKE_BACK.fullmatch(gap) and gap.strip(" .,;:!?…—–-"):
                chars[s1:e1] = " " * (e1 - s1)
            elif _NOT_THAT.fullmatch(gap):
                chars[s2:e2] = " " * (e2 - s2)
            elif _retracted(low, numbers, (s1, e1), (s2, e2)):
                chars[s1:e1] = " " * (e1 - s1)
    return "".join(chars)


def _retracted(low: str, numbers: list[tuple[float, int, int]], first: tuple[int, int],
               second: tuple[int, int]) -> bool:  # fmt: skip
    """A loose correction between two values: a correction word first, then a few words
    (no new sentence) that change neither the kind of value nor whose or which it is."""
    gap = low[first[1] : second[0]]
    lead = _RETRACT.match(gap)
    if not lead or not lead.group().strip(" .,;:!?…—–-"):
        return False
    tail = gap[lead.end() :]
    if len(tail) > 60 or re.search(r"[.!?;]|\b(?:and|or|but|plus|also)\b", tail):
        # "two hundred, no wait, sorry, that's what we originally borrowed. It's about 95":
        # a strong correction that says what the first value was may take a sentence
        if not (
            _EXPLAINS_FIRST.match(tail)
            and len(tail) <= 100
            and "?" not in tail
            and not _WEAK_RETRACT.fullmatch(lead.group())
        ):
            return False
    if tail and _WEAK_RETRACT.fullmatch(lead.group()) and not re.search(r"[,.…—–-]", gap):
        return False  # "worth 400 so we owe 100": no pause, no correction
    values = {(s, e): v for v, s, e in numbers}
    if first in values and second in values:
        kind1 = _number_kind(low, values[first], *first)
        kind2 = _number_kind(low, values[second], *second)
        if kind1 is None or kind2 not in (kind1, None):
            return False  # a bare number after the correction words is the same kind
        before = re.split(r"[.!?;]", low[: first[0]])[-1][-40:]
        if kind1 == "age":
            who1, who2 = _whose(before), _whose(tail)
            return who2 is None or who1 == who2 or (who1 is None and who2 == "self")
        if kind1 == "money":
            role1, role2 = _money_role(before), _money_role(tail, strong=True)
            return role2 is None or role1 == role2
        return True
    return not _WEAK_RETRACT.fullmatch(lead.group())  # two days: "Monday... no, wait, Tuesday"


def _whose(text: str) -> str | None:
    """Whom the words speak of: "spouse" (or another person), "self", or ``None``."""
    if _PERSON_WORDS.search(text):
        return "spouse"
    return (
        "self" if re.search(r"\b(?:i'?m|i am|i turned|i just turned|my age|me)\b", text) else None
    )


def _number_kind(low: str, value: float, start: int, end: int) -> str | None:
    """ "zip", "money" or "age" for a number in ``low`` (``None``: something else)."""
    text = low[start:end]
    if re.fullmatch(r"\d{5}", text):
        return "zip"
    if (
        value >= 120
        or _MONEY_AFTER.match(low[end:])
        or "$" in low[max(0, start - 2) : start + 1]
        or _money_role(re.split(r"[.!?;]", low[:start])[-1][-40:])
    ):
        return "money"
    if 40 <= value <= 115 and value == int(value):
        return "age"
    return None


def _money_role(text: str, *, strong: bool = False) -> str | None:
    """Which amount the words before a number speak of, the last one said (``strong``: not
    from words that only lean to the value, "it's about")."""
    found = [
        (m.end(), "value")
        for m in _VALUE_WORDS.finditer(text)
        if not (strong and _WEAK_VALUE.fullmatch(m.group()))
    ]
    found += [(m.end(), "balance") for m in _BALANCE_WORDS.finditer(text)]
    found += [(m.end(), "need") for m in _NEED.finditer(text)]
    return max(found)[1] if found else None


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _is_question(low: str) -> bool:
    """A question anywhere in the turn: "I'm 67 — wait, do I still pay property taxes?"."""
    low = _PHONE_HELLO.sub(" ", low)  # "Hello? Yes, this is Pat": picking up the phone
    if "?" in low:
        return True
    return any(
        _QUESTION_START.search(part.strip()) and not _NOT_A_QUESTION.search(part.strip())
        for part in _CLAUSE_SPLIT.split(low)
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


def _names(heard: Heard, raw: str, low: str, expect: Expect) -> None:
    for rel in RELATIONS:
        if re.search(rf"\b(?:i'?m|i am|this is|it'?s) (?:(?:his|her|their|the) {rel}\b|an? {rel} "
                     rf"of\b)", low):  # fmt: skip
            heard.relation = rel
            return
    carer = re.search(_CARE_FOR, low)
    if carer:  # "my name is Keisha, I'm a home health aide for one of my clients"
        heard.relation = "caregiver" if carer.group(1) == "care giver" else carer.group(1)
        return
    relative = _CALLING_FOR.search(low)
    if relative and _INTENT_PATTERNS[Intent.HOLD_ON].search(low):
        # "my name's Kyle, I'm calling for my mom, she's right here": she is the one to hear
        heard.relation = _RELATIVE_OF.get(relative.group(1), "relative")
        return
    behalf = _CALLING_ON_BEHALF.search(low)
    if behalf:
        # "this is Bud, I'm calling for my neighbor, Mrs. Lund": the caller is not the one
        heard.relation = _RELATIVE_OF.get(behalf.group(1), behalf.group(1))
        return
    text = _HONORIFICS.sub("", raw)
    # properly cased text (not lowercase speech-to-text): a lowercase word is no name
    cased = any(
        m.group()[0].isupper() and m.group() not in ("I", "I'm", "I'd", "I'll", "I've")
        for m in re.finditer(r"[A-Za-z][A-Za-z'’-]*", text)
        if m.start() and not re.search(r"[.!?]\s*$", text[: m.start()])
    )
    patterns: tuple[str, ...] = (
        r"(?:my name is|my name'?s|name is|this is|it'?s|it is|i'?m|i am|call me|you'?re "
        r"speaking (?:with|to)|you are speaking (?:with|to)|here is|this here is)\s+"
        r"([A-Za-z][A-Za-z'’-]+)(?:\s+([A-Za-z][A-Za-z'’-]+))?",
        r"^([A-Z][a-z'’-]+)(?:\s+([A-Z][A-Za-z'’-]+))?\s+(?:speaking|here)\b",
        # "hi, Leroy Banks, how much…": a greeting, then a capitalised first and last name
        r"^(?i:(?:hi|hello|hey|hola|yes|yeah|oh|well|good (?:morning|afternoon|evening))"
        r"[,!.]?\s+)+"
        r"(?:there[,!.]?\s+)?([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)"
        r"(?=\s*[,.!?;]|\s*$|\s+(?:here|speaking|calling|again)\b)",
    )
    if expect == Expect.NAME:
        # asked for the name: "Deb Novak, sixty-three, homeowner…"
        patterns += (r"^([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)(?=\s*[,.!?;]|\s*$)",)
    elif expect not in (Expect.LOCATION, Expect.ZIP):
        # a first and last name said on their own, whatever was asked: "Marisol Ferrer."
        patterns += (r"^([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)[.!]?$",)
    nickname: re.Match[str] | None = None  # "folks just call me Junior": if no other name
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE if "my name" in pattern else 0):
            first, last = match.group(1), match.group(2)
            if _NICKNAME.search(text[: match.start()]) and match.group(0).lower().startswith(
                "call me"
            ):
                nickname = nickname or match
                continue
            if _not_a_name(first) or (not first[0].isupper() and expect != Expect.NAME):
                if not re.search(r"my name", match.group(0), re.IGNORECASE):
                    continue
            if _not_a_name(first) or (cased and not first[0].isupper()):
                continue  # "I'm only kidding… I'm Gwen Tanner"
            if _is_place_name(f"{first} {last or ''}") or (
                pattern.endswith("[.!]?$") and (not last or _not_a_name(last))
            ):
                continue  # "Fort Worth"; "Sounds good."
            fixed = _NAME_FIXED.match(text[match.end(1) :])
            if (
                fixed
                and not _not_a_name(fixed.group(1))
                and (
                    fixed.group(1)[0].isupper()  # "Bob, sorry, Robert Smith"
                    if cased
                    else re.match(r"\s*(?:[,.!?;]|$)", text[match.end(1) + fixed.end() :])
                    and re.search(
                        r"\b(?:mean|meant|rather|correction|name is|legally|"
                        r"officially|properly)\b",
                        fixed.group(),
                        re.IGNORECASE,
                    )
                    and not re.search(r"\bi'?m\s+[\w'’-]+(?:\s+[\w'’-]+)?$", fixed.group())
                )
            ):  # "this is Junior, I mean, Harlan Pruitt": the name said last
                match, first, last = fixed, fixed.group(1), fixed.group(2)
            _set_name(heard, match, first, last, text, expect)
            return
    if nickname:
        _set_name(heard, nickname, nickname.group(1), nickname.group(2), text, expect)
        return
    if expect in (Expect.NAME, Expect.RIGHT_PERSON, Expect.WAITING):
        said = _LOWER_NAME.match(text) if text.islower() else None
        if (
            said
            and not any(_not_a_name(w) for w in said.groups())
            and not _is_place_name(" ".join(said.groups()))
        ):  # "lorenzo diaz im 70", "yeah hi bob kessler in philly"
            heard.first_name, heard.last_name = _title(said.group(1)), _title(said.group(2))
            return
        if re.search(r"\b(?:i'?m|i am|it'?s|this is|we'?re)\b", low):
            return  # "I'm fine", "I'm 71": a sentence about something else, not a name
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if "'" not in w]
        if not words or len(words) > 6:
            return
        candidates = [w for w in words if not _not_a_name(w) and len(w) > 1]
        caps = [w for w in candidates if w[0].isupper()]
        pick = caps or (candidates if len(words) <= 3 else [])
        pick = [w for i, w in enumerate(pick) if i == 0 or w.lower() != pick[i - 1].lower()]
        if pick and (caps or text.islower()) and not _is_place_name(" ".join(pick[:2])):
            heard.first_name = _title(pick[0])
            if len(pick) > 1:
                heard.last_name = _title(pick[1])


def _set_name(heard: Heard, match: re.Match[str], first: str, last: str | None, text: str,
              expect: Expect) -> None:  # fmt: skip
    fuller = re.match(rf"[,.]?\s*({re.escape(first)}[a-z]+)\b(?!')(?:\s+([A-Za-z][A-Za-z'’-]+))?",
                      text[match.end(1) :], re.IGNORECASE)  # fmt: skip
    if fuller and not last and not _not_a_name(fuller.group(1)):
        # "this is Pat, Patricia Lomax": the short name, then the whole one
        match, first, last = fuller, fuller.group(1), fuller.group(2)
    heard.first_name = _title(first)
    if (
        last
        and not _not_a_name(last)
        and last.lower().strip(".") not in _NAME_SUFFIXES
        and (last[0].isupper() or expect == Expect.NAME)
    ):
        heard.last_name = _title(last)
    again = re.match(rf"[,.]?\s*{re.escape(first)}\s+([A-Za-z][A-Za-z'’-]+)",
                     text[match.end(1) :], re.IGNORECASE)  # fmt: skip
    if heard.last_name is None and again and not _not_a_name(again.group(1)):
        heard.last_name = _title(again.group(1))  # "my name is Robert, Robert Smith"


def _is_place_name(words: str) -> bool:
    """ "Fort Worth", "Colorado Springs", "Texas": a place said where a name could be."""
    low = words.lower().strip()
    first = low.split()[0] if low else ""
    return bool(
        # a first name that is also a city ("Eugene Matousek", "Austin Reed") is a name
        _BIG_CITY_RE.fullmatch(low) or low in STATES
        or first in STATES or first in ("fort", "ft", "mount", "mt", "saint", "st", "port",
                                        "lake", "new", "north", "south", "east", "west")
    )  # fmt: skip


def _title(word: str) -> str:
    word = word.replace("’", "'")
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def _not_a_name(word: str) -> bool:
    low = word.lower().strip(".,")
    parts = re.split(r"[-']", low)
    return (
        low in _NOT_NAMES
        or any(ch.isdigit() for ch in low)
        or any(p in _NOT_NAMES or is_number_word(p) for p in parts if p)
    )


def _age(heard: Heard, low: str, expect: Expect, this_year: int,
         numbers: list[tuple[float, int, int]], used: list[tuple[int, int]],
         raw: str = "") -> bool:  # fmt: skip
    """Every age stated for the caller and a spouse or partner; ``age`` is the youngest.
    Returns whether the caller stated their own age."""
    found: list[tuple[str, int, int]] = []  # (whose, age, position)
    guesses: list[tuple[int, int, int]] = []  # (age, start, end): a number said when asked
    cased = raw if len(raw) == len(low) and raw != raw.lower() else ""
    for value, start, end in numbers:
        born = _BORN.search(low[:start])
        year = _birth_year(low, value, start, end, born, this_year)
        if born and year:  # "born in 1950", "born in nineteen fifty", "born in '51"
            before = low[: born.start()]
            owner = (
                "spouse"
                if re.search(rf"(?:{_SPOUSE_WORDS}{_GIVEN_NAME}|\bs?he)\W*(?:was\s*)?$", before)
                else "self"
            )
            found.append((owner, this_year - year, start))
            used.append((start, end))
    previous: tuple[str, int] | None = None  # whose the last age was, and where it ended
    answered = (
        (expect == Expect.VALUE and _VALUE_WORDS.search(low))
        or (expect == Expect.BALANCE and (_BALANCE_WORDS.search(low) or _PAID_OFF.search(low)))
    ) and (
        _PAID_OFF.search(low)
        or any(
            _near_money_word(low, s) or _MONEY_AFTER.match(low[e:]) or v >= 120
            for v, s, e in numbers
        )
    )  # the money asked for is said in words, so a bare number is free to be the age (not in
    # "about 50, that's all we owe": the words after it are about that number)
    for value, start, end in numbers:
        if (
            _overlaps(used, start, end)
            or value != int(value)
            or not 40 <= value <= 115
            or _short_year(low, start, end)  # "bought it back in '88"
            or re.match(r"'?s\b", low[end:])  # "in my 60s", "born in the 50s": a decade
        ):
            previous = None
            continue
        sentence_before = re.split(r"[.!?;—–]", low[:start])[-1]
        clause_before = re.split(r",", sentence_before)[-1]
        after = low[end : end + 30]
        if _MONEY_AFTER.match(after) or "$" in low[max(0, start - 2) : start + 1]:
            continue
        if re.match(r"\s*(?:o'?clock|a\.?m\b|p\.?m\b|:\d|%)", after):
            continue
        if _ZIP_CUE.search(low[:start]) or re.search(r"\b(?:at|by)\s*$", clause_before):
            continue
        whose = next((w for w, p in _AGE_OWNERS if p.search(sentence_before[-40:])), None)
        named = _NAMED_AGE.search(sentence_before[-40:]) if cased and whose is None else None
        if named and _TWO_OF_US.search(low):
            at = start - len(sentence_before[-40:]) + named.start(1)
            if cased[at].isupper() and not _not_a_name(named.group(1)):
                whose = "spouse"  # "I'm sixty-four and Ernest is sixty-nine"
        if whose is None and _AGE_AFTER.match(after):
            whose = "spouse" if re.search(_SPOUSE_WORDS, clause_before) else "self"
        joined = previous and re.fullmatch(r"\s*(?:,|and|, and|&)\s*", low[previous[1] : start])
        if whose is None and previous and joined:
            whose = "spouse" if previous[0] == "self" else "self"  # "we're 70 and 65"
        if whose is None and _near_money_word(low, start):
            continue
        money_asked = expect in (Expect.VALUE, Expect.BALANCE) and not answered
        if whose is None and value <= 110 and not money_asked:
            sentence_after = re.split(r"[.!?;,—–]", low[end:])[0]
            own_clause = (  # "hi, Gunnar Eide, sixty-eight, Anchorage…": a clause of its own
                "," in sentence_before
                and _BARE_BEFORE.match(clause_before)
                and _BARE_AFTER.match(sentence_after)
                and value >= 50
            )
            if own_clause or (
                _BARE_BEFORE.match(sentence_before) and _BARE_AFTER.match(sentence_after)
            ):
                whose = "self"  # "Sixty-nine."
            elif expect == Expect.AGE and not _DURATION_AFTER.match(after):
                guesses.append((_age_adjusted(int(value), low[:start], after), start, end))
                previous = ("self", end)  # "70 and 65": the next one is the other borrower's
                continue
        if whose is None:
            continue
        age = _age_adjusted(int(value), low[:start], after)
        for owner in ("self", "spouse") if whose == "both" else (whose,):
            found.append((owner, age, start))
        used.append((start, end))
        previous = (whose if whose != "both" else "spouse", end)
    for match in _AGE_WAS_SPOUSE.finditer(low):
        # "I'm sixty-four. Actually, sorry, that's my wife.": that age was the spouse's
        earlier = [i for i, (w, _, p) in enumerate(found) if w == "self" and p < match.start()]
        if earlier:
            _, age, pos = found[earlier[-1]]
            found[earlier[-1]] = ("spouse", age, pos)
    if guesses and not any(w == "self" for w, _, _ in found):
        age, start, end = guesses[0]  # any number when the age was asked, if none was marked
        found.append(("self", age, start))
        used.append((start, end))
    latest: dict[str, int] = {}
    for whose, age, _pos in sorted(found, key=lambda f: f[2]):
        latest[whose] = age  # a later statement about the same person replaces the earlier one
    if not latest:
        decade = _DECADE.search(low)
        if decade:
            whose = "spouse" if decade.group(1) in ("his", "her") else "self"
            tens = decade.group(3)
            middle = _DECADES[tens] if tens in _DECADES else int(tens[0]) * 10 + 5
            latest[whose] = middle + _DECADE_PART[decade.group(2)]
    heard.borrower_ages = [latest[w] for w in ("self", "spouse", "other") if w in latest]
    if heard.borrower_ages:
        heard.age = min(heard.borrower_ages)
    return "self" in latest


def _birth_year(low: str, value: float, start: int, end: int, born: re.Match[str] | None,
                this_year: int) -> int | None:  # fmt: skip
    """The year a number after "born" is: "born in 1951", "born March 3rd, 1951", "born in
    nineteen fifty-one"; two digits only right after "born (in)" or as "'51": "born in '51"."""
    if born is None or value != int(value):
        return None
    if 1900 <= value <= this_year:
        return int(value)
    short = _short_year(low, start, end) or (
        _BORN_SHORT.fullmatch(born.group()) and not re.match(r"\s*(?:s\b|'s|years?)", low[end:])
    )
    if short and 10 <= value <= 99 and 1900 + value <= this_year:
        return 1900 + int(value)  # nobody calling about a reverse mortgage was born in 20xx
    return None


def _short_year(low: str, start: int, end: int) -> bool:
    """ "'51", "'88": a year said with its century left off."""
    return low[start - 1 : start] in ("'", "’") and bool(re.fullmatch(r"\d\d", low[start:end]))


def _age_adjusted(age: int, before: str, after: str) -> int:
    """ "over 65" is 66; "I'll be 62 next month" is 61; "almost 70" is 69."""
    if re.search(r"(?:over|older than|past)\s*$", before):
        return age + 1
    if re.search(r"\b(?:turned|was|have been|'ve been)\s*$", before[-20:]):
        return age  # "I turned sixty-three in March": the birthday has been
    if re.search(r"(?:i'?ll be|turning|be)\s*$", before) or re.match(r"\s*(?:next|in) ", after):
        return age if re.search(r"just turn", before[-20:]) else age - 1
    if re.search(r"(?:almost|nearly|under|younger than)\s*$", before):
        return age - 1
    return age


def _amounts(heard: Heard, low: str, expect: Expect, found: list[tuple[float, int, int]],
             used: list[tuple[int, int]]) -> None:  # fmt: skip
    if _PAID_OFF.search(low) or (expect == Expect.BALANCE and _NONE.fullmatch(low.strip(" .!,"))):
        heard.mortgage_balance = 0
    money_context = expect in (Expect.VALUE, Expect.BALANCE)
    money_talk = money_context or bool(_VALUE_WORDS.search(low) or _BALANCE_WORDS.search(low))
    said: list[tuple[float, int, int]] = []  # money said as money: "$", "thousand", "worth 400"
    bare: list[tuple[float, int, int]] = []  # a number that is money only by context
    for value, start, end in _ranges(low, found, used):
        if _overlaps(used, start, end):
            continue
        if _short_year(low, start, end) or re.match(r"'?s\b", low[end:]):
            continue  # "bought it in '88", "in the 60s": a year or a decade, no money
        span = low[max(0, start - 1) : end + 12]
        if re.search(r"\$|dollars|bucks|thousand|grand|million|(?<![a-z])k\b|\d{3},\d{3}", span):
            said.append((value, start, end))
        elif _NOT_MONEY_AFTER.match(low[end:]) or re.fullmatch(r"(?:19|20)\d\d", low[start:end]):
            continue  # "40 years", "in 1985"
        elif _near_money_word(low, start):
            said.append((value, start, end))
        elif money_context or (money_talk and value >= 100):
            bare.append((value, start, end))
    balance_end = None  # where the balance said last ended: a second loan adds to it
    for value, start, end in said:
        amount = _scale_amount(value)
        if (
            amount
            and heard.mortgage_balance
            and balance_end is not None
            and (
                _amount_kind(low, start, expect, heard) == "balance"
                or _OTHER_LOAN.search(low[end : end + 40])
            )
            and re.search(r"\b(?:and|plus|another|also|on top)\b", low[balance_end:start])
            and _OTHER_LOAN.search(low[balance_end : end + 40])
        ):
            heard.mortgage_balance += amount  # "150 on the first mortgage and 60 on a HELOC"
            used.append((start, end))
            balance_end = end
            continue
        before = heard.mortgage_balance
        _amount(heard, low, expect, value, start, end, used)
        if heard.mortgage_balance != before:
            balance_end = end
    asked = {Expect.VALUE: heard.home_value, Expect.BALANCE: heard.mortgage_balance}.get(expect)
    if asked:
        return  # what was asked was answered in words; a bare number is no tie to break
    for value, start, end in bare:
        _amount(heard, low, expect, value, start, end, used)


def _ranges(low: str, found: list[tuple[float, int, int]],
            used: list[tuple[int, int]]) -> list[tuple[float, int, int]]:  # fmt: skip
    """Two amounts that are one guess, as their middle: "three-fifty, three seventy-five",
    "three or four hundred thousand", "between 300 and 350 thousand". The second is the larger,
    by at most half again, with only "or", "to", "and" (after "between") or a comma between;
    "worth 400, 100 left" stays two amounts."""
    out: list[tuple[float, int, int]] = []
    i = 0
    while i < len(found):
        if i + 1 < len(found):
            (v1, s1, e1), (v2, s2, e2) = found[i], found[i + 1]
            gap = low[e1:s2]
            between = re.search(r"\bbetween\s*$", low[:s1]) and re.fullmatch(r"\s*and\s*", gap)
            scaled = v1
            if (
                v1 >= 1
                and not _scaled(low, s1, e1)
                and (_scaled(low, s2, e2) or (v1 < 10 <= 100 <= v2))
            ):
                while scaled * 10 <= v2:
                    scaled *= 10  # "three or four hundred thousand": three hundred thousand
            if (
                (between or _RANGE_GAP.fullmatch(gap))
                and not _overlaps(used, s1, e2)
                and v1 == int(v1) >= 1
                and scaled < v2 <= scaled * 1.5
                and not _BALANCE_AFTER.match(low[e2:])
            ):
                out.append(((scaled + v2) / 2, s1, e2))
                i += 2
                continue
        out.append(found[i])
        i += 1
    return out


def _scaled(low: str, start: int, end: int) -> bool:
    """Whether the number says its own scale: "400 thousand", "$425k", "1.2 million"."""
    return bool(
        re.search(r"thousand|grand|million|mil\b|k\b|\d{3},\d{3}", low[start:end])
        or re.match(r"\s*(?:k\b|grand|thousand|million|mil\b)", low[end:])
    )


def _amount(heard: Heard, low: str, expect: Expect, value: float, start: int, end: int,
            used: list[tuple[int, int]]) -> None:  # fmt: skip
    amount = _scale_amount(value)
    if amount is None:
        return
    kind = _amount_kind(low, start, expect, heard, end)
    if kind == "value" and heard.home_value is None:
        heard.home_value = amount
    elif kind == "balance" and (
        heard.mortgage_balance is None
        or (heard.mortgage_balance == 0 and not _PAID_OFF.search(low[start:]))
    ):  # "paid off... well, I owe 20 on a line of credit"
        heard.mortgage_balance = amount
    elif kind == "need" and heard.amount_needed is None:
        heard.amount_needed = amount
    else:
        return
    used.append((start, end))


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


def _amount_kind(low: str, start: int, expect: Expect, heard: Heard, end: int | None = None) -> str:
    if end is not None and _BALANCE_AFTER.match(low[end:]):
        return "balance"  # "there's maybe forty thousand left on the mortgage"
    clause = re.split(r"[.;!?]|,\s*(?=i |we |and |but |the mortgage|mortgage)", low[:start])[-1]
    need = _NEED.search(clause)
    value = [m.end() for m in _VALUE_WORDS.finditer(clause)]
    balance = [m.end() for m in _BALANCE_WORDS.finditer(clause)]
    best = max([(p, "value") for p in value] + [(p, "balance") for p in balance]
               + ([(need.end(), "need")] if need else []), default=None)  # fmt: skip
    if (
        best
        and best[1] == "value"
        and expect == Expect.BALANCE
        and not balance
        and all(_WEAK_VALUE.fullmatch(m.group()) for m in _VALUE_WORDS.finditer(clause))
    ):
        return "balance"  # asked what is owed: "it's about ninety-five thousand now"
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


def _zip(heard: Heard, low: str, expect: Expect, found: list[tuple[float, int, int]],
         used: list[tuple[int, int]], raw: str = "") -> None:  # fmt: skip
    """A ZIP: five digits after "zip (code)" or a place ("Albany. 12203"), or any five-digit
    number that is not money."""
    for match in _ZIP_RE.finditer(low):
        cue = re.sub(rf"\s*(?:{_TAKE_BACK.pattern})$", " ", low[: match.start()])
        cued = bool(_ZIP_CUE.search(cue)) or (
            _after_place(raw, low, match.start()) and not _MONEY_AFTER.match(low[match.end() :])
        )
        if not cued and (
            _MONEY_AFTER.match(low[match.end() :])
            or low[: match.start()].rstrip().endswith("$")
            or expect in (Expect.VALUE, Expect.BALANCE)
            or _near_money_word(low, match.start())
        ):
            continue  # "I owe 85000"
        heard.zip = match.group(1)
        used.append(match.span())
        return
    # spoken digits: "nine eight one zero three", "zip code nine eight one oh three"
    run: list[re.Match[str]] = []
    for word in [*re.finditer(r"[a-z0-9]+", low), None]:
        if word is not None and word.group() in _DIGIT_WORDS and len(run) < 5:
            run.append(word)
            continue
        if len(run) == 5 and (
            expect in (Expect.ZIP, Expect.LOCATION)
            or _ZIP_CUE.search(low[: run[0].start()])
            or _after_place(raw, low, run[0].start())  # "minneapolis minnesota 5 5 4 0 6"
        ):
            heard.zip = "".join(_DIGIT_WORDS[w.group()] for w in run)
            used.append((run[0].start(), run[-1].end()))
            return
        run = [word] if word is not None and word.group() in _DIGIT_WORDS else []


def _after_place(raw: str, low: str, start: int) -> bool:
    """Whether a place name ends right before ``start``: "Albany. 12203", "Wichita, 67203"."""
    before = low[:start].rstrip(" .,")
    # "the house is in Plano, 75023": a place said as one, whatever money was said before it
    said_as_place = re.search(
        r"\b(?:in|near|outside(?: of)?|from)\s+(?:[a-z][\w'-]*\s+){0,2}[a-z][\w'-]*[.,]?\s*$",
        low[:start],
    )
    states = [m.end() for m in _STATE_NAME_RE.finditer(before)]
    if _BIG_CITY_LAST.search(before) or (states and states[-1] == len(before)):
        return bool(said_as_place) or not _near_money_word(low, start)
    if len(raw) != len(low):
        return False
    word = re.search(r"([A-Za-z][A-Za-z'-]*)[.,]?\s*$", raw[:start])
    return bool(
        word
        and word.group(1)[0].isupper()
        and word.group(1) != "I"
        and word.group(1).lower() not in _NOT_CITY
        and not _not_a_name(word.group(1))
        and (said_as_place or not _near_money_word(low, start))
    )


def _location(heard: Heard, raw: str, low: str, expect: Expect) -> None:
    state_match = _STATE_NAME_RE.search(raw)
    code = None
    before = ""
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
    if code is not None:
        heard.state = code
        heard.city = _city_before_state(before, expect)
    if heard.city is None:
        heard.city = _city_alone(raw, low, expect)


def _city_before_state(before: str, expect: Expect) -> str | None:
    """The words just before a state: "Spokane, Washington", "phoenix arizona"."""
    big = _BIG_CITY_LAST.search(before)
    if big:
        return _city(big.group(1))  # "Fort Worth, Texas": a big city, whatever its words
    words = re.findall(r"[A-Za-z][A-Za-z.'-]*", before)
    tail: list[str] = []
    for word in reversed(words):
        if word.lower() in _STOP_BEFORE_STATE or word.lower() in _NOT_NAMES:
            break
        tail.insert(0, word)
        if len(tail) == 3:
            break
    if not tail:
        return None
    if any(w[0].isupper() for w in tail) or expect == Expect.LOCATION:
        return _city(" ".join(tail))
    # lowercase speech-to-text: a city before a known state, with nothing else around it
    if len(tail) < len(words) and words[-len(tail) - 1].lower() not in _STOP_BEFORE_STATE:
        return None
    return _city(" ".join(tail))


def _city_alone(raw: str, low: str, expect: Expect) -> str | None:
    """A city without a state: "in Phoenix", "Seattle, 98118", "from tucson"."""
    for pattern in (_CITY_AFTER_IN, _CITY_BEFORE_ZIP, _CITY_AFTER_FROM):
        for match in pattern.finditer(raw):
            words: list[str] = []
            for word in match.group(1).split():
                if (
                    word.lower().strip(".") in _NOT_CITY
                    or _not_a_name(word.strip("."))
                    or (_STATE_NAME_RE.fullmatch(word))
                ):
                    break
                words.append(word)
            if words:
                return _city(" ".join(words))
    big = _BIG_CITY_RE.search(low)
    if big and (
        expect == Expect.LOCATION
        or re.search(r"\b(?:in|from|near|outside(?: of)?|around)\s*$", low[: big.start()])
        or re.match(r",?\s*(?:zip(?: ?code)?\s*)?\d{5}\b", low[big.end() :])
        or len(low.split()) <= 3
    ):
        return _city(raw[big.start() : big.end()])
    if expect == Expect.LOCATION:
        city = re.search(r"(?:in|from|near|outside(?: of)?)\s+([A-Za-z][A-Za-z .'-]{1,30})$",
                         raw.rstrip(".!?"))  # fmt: skip
        if city:
            return _city(city.group(1))
    return None


def _city(text: str) -> str | None:
    text = text.strip(" ,.")
    if not text or text.lower() in _NOT_NAMES:
        return None
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def _gate_words(low: str) -> str:
    """``low`` without the words about another home that the caller took back ("it's our
    vacation... no, no, I misspoke, it's where we live") or that are past ("we sold the
    vacation place")."""
    chars = list(low)
    for match in _NOT_PRIMARY.finditer(low):
        after = low[match.end() :]
        after = re.sub(r"^\s*(?:home|house|place|property|condo|cabin)\b", "", after)
        lead = _RETRACT.match(after)
        took_back = lead is not None and not _WEAK_RETRACT.fullmatch(lead.group())
        sold = re.search(
            r"\b(?:sold|used to (?:have|own)|had|got rid of|no longer (?:have|own)) (?:the |our |"
            r"my |a |that )?$", low[: match.start()]
        )  # fmt: skip
        if took_back or sold:
            chars[match.start() : match.end()] = " " * (match.end() - match.start())
    return "".join(chars)


def _gates(heard: Heard, low: str, expect: Expect) -> None:
    rent_out = re.search(
        r"rent (?:it|the (?:house|home|place)|them)(?: out)?\b(?! from)|rent(?:ing)? out|rental "
        r"propert|investment propert|an investment|tenants? (?:live|in it|there|pay)", low
    )  # fmt: skip
    rental = re.search(r"\ba rental\b", low)
    elsewhere = _LIVES_ELSEWHERE.search(low) and (
        expect == Expect.PRIMARY or re.search(r"\b(?:i|we) (?:do )?own\b", low)
    )  # "I own a house in Ponce, but I live in an apartment": not the home they live in
    if _NOT_PRIMARY.search(_gate_words(low)) or elsewhere:
        heard.primary_residence = False
        if rent_out or (rental and expect != Expect.HOMEOWNER):
            heard.homeowner = True
    elif _PRIMARY.search(low):
        heard.primary_residence = True
    if _NOT_OWN.search(low) and not re.search(r"\b(?:we|i) (?:do )?own\b(?! it yet)", low):
        heard.homeowner = False  # "I rent my apartment", "my son owns the house"
    elif _DONT_RENT.search(low):
        heard.homeowner = True
    elif _OWN.search(low):
        heard.homeowner = True
    elif rental and expect == Expect.HOMEOWNER:
        heard.homeowner = False  # "do you own your home?" "it's a rental"
    elif _RENT.search(low) and heard.homeowner is None and heard.primary_residence is not False:
        heard.homeowner = False
    elif expect == Expect.HOMEOWNER and _OWN_WEAK.search(low) and not heard.question:
        heard.homeowner = True
    elif _OWN_POSSESSIVE.search(low) and heard.primary_residence and not heard.question:
        heard.homeowner = True  # "our house is in Aurora, we live there"
    if expect == Expect.HOMEOWNER and heard.homeowner is None and (heard.yes or heard.no):
        heard.homeowner = heard.yes and not heard.no
    if expect == Expect.PRIMARY and heard.primary_residence is None and (heard.yes or heard.no):
        heard.primary_residence = heard.yes and not heard.no
    if heard.homeowner is False and not rent_out:
        heard.primary_residence = None  # a tenant: there is no owned home to live in or not


def _when(heard: Heard, low: str, expect: Expect) -> None:
    low = _GREETING.sub(r"\1", low)  # "Good morning!" greets; it asks for no morning
    days: list[Weekday] = []
    for match in _WEEKDAY_RE.finditer(low):
        day = _WEEKDAYS[match.group(1)]
        if _PAST_DAY.search(re.split(r"[,.;!?]", low[: match.start()])[-1]):
            continue  # "we had the party Sunday", "last Tuesday": no day to meet
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
    if (
        match
        and not re.match(_NOT_A_CHOICE, low[match.end() :])
        and (
            expect == Expect.SLOT
            or re.match(r"\s+(?:one|option|slot|choice|time)\b", low[match.end() :])
            or match.group(1).startswith(("number", "option"))
        )
    ):
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
    """The address said last (a caller who corrects it says the right one last): written,
    spoken ("janet dot marsh at example dot com") or spelled ("M-A-V-I-S at …")."""
    low = re.sub(r"\b[a-z0-9](?:-[a-z0-9]\b)+", lambda m: m.group().replace("-", ""), low)
    written = list(_EMAIL_RE.finditer(low))
    if written:
        heard.email = written[-1].group(0).rstrip(".")
        return
    said = list(_SPOKEN_EMAIL.finditer(_email_digits(low)))
    if said:
        spoken = said[-1]
        words = spoken.group(1).split()
        while words and words[0] in _EMAIL_LEAD_WORDS:
            words.pop(0)
        user, host = _spoken_address(words), _spoken_address(spoken.group(2).split())
        if user and host:
            heard.email = f"{user}@{host}"


def _email_digits(low: str) -> str:
    """Numbers said in an address as digits: "lorraine dot becker fifty-two at gmail dot com"
    → "lorraine dot becker52 at …"; digit by digit, "j smith one nine five two" → "jsmith1952";
    after "dot", "underscore" or "dash" the digits stand alone: "becker dot 52"."""

    def digits(match: re.Match[str]) -> str:
        words = match.group(2).replace("-", " ").split()
        if match.group(2).isdigit():
            number = match.group(2)
        elif all(w in _DIGIT_WORDS for w in words):
            number = "".join(_DIGIT_WORDS[w] for w in words)
        else:
            value = words_to_number(" ".join(words))
            if value is None:
                return match.group()
            number = str(int(value))
        lead = match.group(1)
        if lead.strip() in _EMAIL_LEAD_WORDS or lead.strip() in ("dot", "underscore", "dash",
                                                                  "hyphen"):  # fmt: skip
            return f"{lead} {number}"
        return lead + number

    return _EMAIL_NUMBER.sub(digits, low)


def _spoken_address(words: list[str]) -> str:
    """ "martin dot cole" → "martin.cole"; spelled letters join: "m a r t i n" → "martin"."""
    marks = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
    return "".join(marks.get(w, w) for w in words).strip(".")


def _purpose(heard: Heard, low: str) -> None:
    purpose = _PURPOSE.search(low)
    if purpose and not heard.question:
        heard.money_purpose = purpose.group(0).strip(" ,.")[:120]
    timeline = _TIMELINE.search(low)
    if timeline:
        heard.timeline = timeline.group(0)


def _topic(heard: Heard, low: str) -> None:
    worried = heard.question or bool(_WORRY.search(low))
    matched: list[str] = []
    for key, (pattern, _query) in OBJECTIONS.items():
        if pattern.search(low):
            if key not in ("scam", "fees") and not worried:
                continue
            if key == "fees" and heard.mortgage_balance is not None and not heard.question:
                continue
            matched.append(key)
    if (
        "lose_home" in matched
        and "heirs" in matched
        and re.search(r"\b(?:kids|children|heirs?|inherit\w*|son|daughter|family|grand\w+)\b", low)
    ):
        matched.remove("lose_home")  # "can my kids keep the house?": about the heirs
    heard.objection = matched[0] if matched else None
    for key, (pattern, _query) in QUESTIONS.items():
        if pattern.search(low):
            heard.topic = key
            break
    if heard.objection == "heirs" and heard.topic == "spouse":
        heard.objection = None
    if heard.topic and heard.objection and heard.topic == "amount":
        heard.objection = None


def kb_query(heard: Heard) -> str | None:
    """What to search the knowledge base for, if the caller asked or objected."""
    if heard.objection:
        return OBJECTIONS[heard.objection][1]
    if heard.topic:
        return QUESTIONS[heard.topic][1]
    if heard.question and len(heard.text) > 8 and not heard.intents & _POLICY_INTENTS:
        return heard.text[:300]
    return None
