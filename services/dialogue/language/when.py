"""Days, parts of the day, hours, call-back times, and the choice of a slot offered."""

from __future__ import annotations

import re

from contracts.tools import PartOfDay, Weekday
from services.dialogue.language.heard import CallbackWhen, Expect, Heard
from services.dialogue.language.vocabulary import _WEEKDAY_RE, _WEEKDAYS
from services.dialogue.language.window import COUNTED, WORN_OUT
from services.dialogue.speech.numbers import words_to_number

#: before a weekday: a day gone by, not one to meet on
_PAST_DAY = re.compile(
    r"\b(?:last|this past|past)\s*$|\b(?:was|were)\s+(?:on\s+)?$|"
    r"\b(?:had|went|did|happened|came|saw|visited|got back|fell|broke|passed|died|was "
    r"(?:at|in|there|out|by|here|over)|were (?:at|in|there|out|by|here|over))\b|"
    # someone did something: "I talked it over with my son at Sunday dinner"
    r"\b(?:i|we|he|she|they)\s+(?!(?:need|seed|feed|proceed|exceed|succeed)\b)[a-z]{2,}ed\b"
    r"(?!.*\b(?:next|coming|this|want|like|prefer|works?|good|best)\b)"
)
_WORKDAYS = (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)
_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|"
    r"thu|fri|wensday|wendsday|wednsday|wenesday|tusday|teusday|thersday|thurday|thirsday|fryday|"
    r"munday)s?"
)
#: days ruled out: "any day but Friday", "anything except Mondays or Tuesdays", "every day other
#: than Wednesday", "not Fridays"
_EXCLUDED = re.compile(
    r"\b(?:any ?(?:day|time|weekday|morning|afternoon)|anything|whenever|every ?day|all week|"
    r"weekdays?|the rest)"
    r"(?: of the week)?(?: is fine| works| is good)?,?\s+(?:but|except|other than|besides|apart "
    rf"from|save)\s+(?:not\s+)?(?:for\s+)?(?:on\s+)?(?:a\s+)?({_DAY}(?:(?:\s*,\s*|\s+(?:or|and|nor)"
    rf"\s+)"
    rf"(?:on\s+)?{_DAY})*)\b"
)
#: a day ruled out: "not Monday", "no Mondays", "can't do Tuesday", "anything but Friday"
_NOT_DAY = re.compile(
    rf"\b(?:not|never|except|(?<=anything )but|(?<=all )but|can'?t do|cannot do|can'?t make|"
    rf"won'?t work on|"
    rf"busy)\s+"
    rf"(?:no\s+)?(?:on\s+)?(?:no\s+)?(?:a\s+)?({_DAY})\b"
)
#: a part of the day ruled out: "I'm no good in the mornings", "mornings are bad for me"
_NOT_MORNING = re.compile(
    r"\b(?:no good|not good|useless|never|not|can'?t do|don'?t do|hate|bad)\b[^.,;!?]{0,12}"
    r"\bmornings?\b|\bmornings? (?:are|is) (?:bad|no good|out|not good|tough|hard|rough)\b|"
    r"\b(?:not|nothing|never|no|none) (?:before|till|until|earlier than) (?:noon|lunch|the afternoo"
    r"n"
    r"|midday)\b|"
    rf"\b(?:early )?mornings?\b\s?[,.]?{WORN_OUT}|"
    # busy then: "afternoons, we bowl in the mornings" (not "we're free in the mornings")
    r"\b(?:i|we) (?!(?:am|are|would|like|prefer|can|could|do|usually)\b)\w+(?: \w+)? (?:in|during) "
    r"the mornings?\b"
)
_NOT_AFTERNOON = re.compile(
    r"\b(?:no good|not good|useless|never|not|can'?t do|don'?t do|hate|bad)\b[^.,;!?]{0,12}"
    r"\b(?:afternoons?|evenings?|after (?:lunch|lunchtime|noon))\b|"
    r"\b(?:afternoons?|evenings?) (?:are|is) (?:bad|no good|out|not good|tough|hard|rough)\b|"
    rf"\b(?:afternoons?|evenings?|after (?:lunch|lunchtime|noon))\b\s?[,.]?{WORN_OUT}|"
    r"\b(?:nap|naps|napping|sleep|rest|lie down|lay down)\b[^.,;!?]{0,10}\b(?:after (?:lunch|"
    r"lunchtime|noon)|in the afternoons?|afternoons)\b|"
    r"\b(?:i|we) (?!(?:am|are|would|like|prefer|can|could|do|usually)\b)\w+(?: \w+)? (?:in|during) "
    r"the (?:afternoons?|evenings?)\b"
)
#: a day they are busy, given as the reason: "I get my hair done on Fridays", "Sunday is church"
_BUSY_ON = re.compile(
    r"\b(?:i|we) (?:get my hair done|go to (?:church|bingo|dialysis|the doctor|therapy)|have "
    r"(?:church|bingo|dialysis|choir|therapy|(?:the )?doctor|(?:my )?(?:physical )?therapy|an? "
    r"appointments?|appointments?)|play \w+|volunteer|work|babysit|watch (?:the|my) grand\w+)"
    rf"[^.,;!?]{{0,20}}\bon ({_DAY})\b|\b({_DAY})(?:'s| is| are) (?:church|bingo|dialysis|choir|"
    r"(?:my )?hair day|(?:my )?doctor day|therapy)\b"
)
#: what comes after the reasons: "so Monday or Friday", "that leaves Wednesday"
_CONCLUSION = re.compile(
    r"(?:^|[.,;!?]\s*|\s)(?:so|that leaves|which leaves|how about|what about|make it|better "
    r"make it|best would be)\b"
)
#: "Monday's no good", "Tuesdays are out", "Friday doesn't work"
_DAY_IS_OUT = re.compile(
    rf"\b({_DAY})(?:'s| is| are)?\s+(?:no good|out|bad|not good|don'?t work|doesn'?t work|won'?t "
    r"work|(?:is |are )?(?:taken|booked))\b"
)
_CLOCK = r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirty)"
_MORNING = re.compile(
    rf"morning|{_CLOCK}\s*am\b|\ba\.m\.|(?<!nothing )(?<!not )(?<!never )before (?:noon|lunch)|"
    # "early is best", not "too early for us", "she got off early", "an early retirement"
    r"(?<!too )(?<!so )(?<!off )(?<!home )(?<!back )(?<!out )(?<!up )(?<!in )(?<!an )(?<!very )"
    r"(?<!bit )(?<!way )(?<!still )(?<!it's )(?<!its )(?<!left )(?<!pretty )(?<!retire )"
    r"(?<!retired )(?<!retiring )(?<!off )\bearly\b(?!\s+(?:"
    r"afternoon|evening|one|on\b|retire\w*|for\b|to\b|days|stages?|yet|in the (?:year|month|"
    r"week|process)|next|this|last))"
)
_AFTERNOON = re.compile(
    rf"afternoon|{_CLOCK}\s*pm\b|\bp\.m\.|after (?:noon|lunch)|later in the day|evening|after "
    r"(?:1|2|3|one|two|three)\b(?![\s-]*(?:years?|months?|weeks?|days?|hours?|minutes?)\b)"
)
#: a greeting, not a time: "Good morning!", "Hi, good afternoon"
_GREETING = re.compile(
    r"(^|[.!?,;]\s*|\b(?:hi|hello|hey|oh|well|and|yes|yeah|a very|and a|speaker|phone|line|"
    r"there|sorry|ma'?am|mam|maam|miss|dear|honey|sir)[,!]?\s+)good (?:morning|afternoon|evening|da"
    r"y)\b(?!\s+(?:works|is|"
    r"would|for (?:me|us)|sounds|time|slot|suits|to you))"
)
#: a time of today gone by, after what was done then: "I set up a consultation this morning",
#: "I called earlier this afternoon", "we spoke yesterday morning"
#: a bare greeting opening the call: "Afternoon. Roosevelt Hayes, …", "Morning, this is Bea"
_OPENING_GREETING = re.compile(r"^\W*(?:morning|afternoon|evening)[.,!]\s+(?=\S)")
_PAST_TIME = re.compile(
    r"\b(?:set (?:it |one |that |this )?up|made|booked|scheduled|called|rang|talked|spoke|went|"
    r"(?:was|were) (?!hoping|wondering|thinking|wanting|planning|looking|going)[a-z]+ing|"
    r"came|saw|sent|received|mailed|left|heard|signed up|got (?:your|a|the|that) (?:letter|call|"
    r"message|mail))\b[^.,;!?]{0,50}?\b("
    r"?:earlier )?(?:this (?:morning|afternoon|evening)|earlier today|yesterday(?: morning| "
    r"afternoon| evening)?|last night)\b"
)
_ANYTIME = re.compile(
    r"any ?time|either(?:'s| one| time| day| is| works| would| will| of (?:them|those))|"
    r"doesn'?t matter|whenever|any day|whatever (?:works|is open)|"
    r"flexible|open|no preference"
)
_TIME_OF_DAY = re.compile(
    r"\b(?:at|around|about|after|by|before)?\s*(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|"
    r"o'?clock)?\b"
)
_WORD_HOUR = re.compile(
    r"\b(?:at|around|about|after|before|by|till|until)\s+(one|two|three|four|five|six|seven|eight|n"
    r"ine|ten|eleven|"
    r"twelve)(?:\s+(thirty|fifteen|forty.?five))?\b(?!\s*(?:hundred|thousand|grand|million|k\b|"
    rf"dollars|bucks|percent|of\b|more\b|other\b|thing|ways?\b|{COUNTED}))"
)
#: an hour and its minutes in words, whatever comes before: "closer to two-thirty", "the
#: two fifteen" (money said so was read as money first and is not here)
_HOUR_MINUTES = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[\s-]+(thirty|fifteen|"
    r"forty.?five)\b(?!\s*(?:thousand|grand|k\b|dollars|bucks|hundred))"
)
#: an hour in words said with "o'clock", whatever comes before: "closer to two o'clock"
_OCLOCK = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:[\s-]+(thirty|"
    r"fifteen|forty.?five))?\s*o'?clock\b"
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
    r"\s+(?:year|week|month|night|time (?:i|we|you)\b(?! (?:said|say|mentioned|offered|gave|"
    r"named|read))|of all|thing|name|mortgage|husband|wife|"
    r"loan|house|home|payment|visit|call)"
)
#: (not "the earlier in the morning the better": a wish for a time, not a pick)
_COMPARED_WISH = r"(?![^.,;!?]{0,30}\bthe (?:better|best)\b)"
_EARLIER = re.compile(
    rf"(?:earlier|sooner|first available|soonest|early one|the one before){_COMPARED_WISH}"
)
_LATER = re.compile(rf"(?:\blater one|the later|\blatter\b|second available){_COMPARED_WISH}")
#: "the earlier one", "the later time": a slot picked whatever was asked
_ONE = re.compile(
    r"\b(?:earlier|later|early|late|sooner|first available|soonest) (?:one|time|slot)\b"
)
#: the slot nearest a time: "whichever is closer to two o'clock"
_NEAREST = re.compile(r"\b(?:clos(?:e|er|est)|nearest|nearer|near) to\b|\bnearest\b|\bclosest\b")
_EITHER = re.compile(
    # (not "either of those days": days said, no time picked)
    r"(?:either|whichever|any of (?:them|those))(?! (?:of )?(?:those |these |the |them )?days?\b)|"
    r"doesn'?t matter|both (?:work|are)"
)
_REJECT = re.compile(
    r"neither|none of (?:them|those)|something else|different (?:day|time)|other (?:days?|times?)"
    r"|don'?t work|doesn'?t work|can'?t do (?:those|either|that)"
)


#: said of days: they do not suit ("weekdays are tough", "the week's no good for us")
_BAD_FOR_US = re.compile(
    r"\b(?:are|is|'s|'re) (?:\w+ )?(?:tough|hard|bad|rough|difficult|no good|not good|impossible|"
    r"out|full|packed|crazy|hectic)\b|\b(?:don'?t|doesn'?t|won'?t|never) work\b"
)


def _day(word: str) -> Weekday:
    """ "monday", "mondays", "tues" as the weekday."""
    return _WEEKDAYS.get(word) or _WEEKDAYS[word[:-1]]


#: a clause that wants its day: "Thursday afternoon would be best", "Friday morning."
_WANTS_DAY = re.compile(
    r"\b(?:best|better|good|great|fine|works|(?<!\bi )(?<!\bwe )work(?! at| mornings| afternoons| "
    r"days| nights)|suits?|prefer\w*|free|open|available|like|okay|ok|"
    r"perfect|how about|what about|can do|could do|let'?s|would be|is easiest|i'?m around|"
    r"sharpest|freshest|clearest|most (?:alert|awake)|at (?:my|her|his|our|their) best|"
    r"(?:has|have|got|needs?) to be|gotta be|must be|only|off|free|open|"
    r"if (?:there'?s|(?:you|they|she|he) (?:have|has|got)|it'?s|possible|anything|you can)|"
    r"can (?:i|we|you) (?:get|"
    r"have|do|keep|make|move|switch|change)|could (?:i|we|you)|i'?d like|i want|we want|i need|"
    r"give me|put me|make it|keep)\b"
)
#: words that want a day or a time ("Tuesday is best", "can we do mornings")
WANTS_DAY = _WANTS_DAY
#: a clause that fills its day with something else: "Wednesdays I'm at church with the
#: quilting ladies", "I'm at the temple Tuesdays", "Tuesdays is the food shelf", "I do dialysis
#: Tuesday mornings"
_DAY_TAKEN = re.compile(
    # (not a condition: "call me back Monday morning when I got my papers")
    r"(?<!\bwhen )(?<!\bonce )(?<!\bif )(?<!\bafter )(?<!\buntil )(?<!\btill )(?:"
    r"\b(?:i'?m|i am|we'?re|we are|he'?s|she'?s) (?:at|in|with|out|busy|gone|away|working|"
    r"over|down|up)\b|"
    r"\b(?:i'?m|i am|we'?re|we are|he'?s|she'?s|im) (?:\w+ )?(?:tied up|booked|committed|swamped|"
    r"occupied|spoken for|unavailable|not (?:free|available|home|around))\b|"
    r"\b(?:i|we)'?ve got\b|\b(?:i|we) got (?:the|my|a|an|church|bingo)\b|"
    r"\b(?:takes?|picks?|drives?) (?:me|us)\b|"
    r"\bim (?:at|in|with|out|busy|working)\b|\b(?:i|we|he|she) (?:do|have|go|work|volunteer|drive|"
    r"help|sit|play|watch|"
    r"teach|take|see|bowl|golf|babysit|visit|clean)\b(?![^.,;!?]*\b(?:appointment|consultation|"
    r"meeting|call with)\b)|\b(?:is|are|'s) (?:the|my|our|when|"
    r"for)\b|\bthere'?s\b)"
)
_CLAUSES = re.compile(
    # run-on speech-to-text: "thursday in the morning i got the doctor on tuesday"
    r"(?:(?<=day)|(?<=days)|(?<=morning)|(?<=mornings)|(?<=afternoon)|(?<=afternoons)|"
    r"(?<=evening)|(?<=evenings))\s+(?=(?:i|we|im|i'm|ive|i've|i'd|id)\b)|"
    # "… afternoon after 3 i work in the morning at the school cafeteria"
    r"(?<!\bcan)(?<!\bcould)(?<!\bmay)(?<!\bif)(?<!\bdo)(?<!\bwould)(?<!\bwhere)(?<!\bwhen)"
    r"\s+(?=(?:i|we|im|i'm|ive|i've)\s+(?:work|got|go|volunteer|babysit|drive|play|bowl|golf|have)\b)|"
    rf"[.;!?]+|,(?!\s*(?:and\s+|or\s+)?(?:on\s+)?{_DAY}\b)|\s*\b(?:but|because|cause|since|whereas|"
    rf"so)\b|"
    rf"\s*\band\b(?!\s+(?:on\s+)?{_DAY}\b)"
)
#: words that only say when: a piece of only these (and days) wants its day ("Thursday after
#: lunch", "Friday morning", "Tuesday at ten")
_WHEN_WORDS = frozenset(
    "after before around about at by in on the early late mid morning mornings afternoon "
    "afternoons evening evenings lunch lunchtime noon o'clock oclock am pm a.m. p.m. or then "
    "please maybe say well oh um uh so okay ok yes yeah one two three four five six seven eight "
    "nine ten eleven twelve thirty fifteen forty-five half past quarter".split()
)


def _pieces(low: str) -> list[str]:
    out: list[str] = []
    for piece in _CLAUSES.split(low):
        if piece and piece.strip():
            out.extend(_list_ends(piece.strip()))
    return out


_ENDS_IN_DAY = re.compile(rf"\b{_DAY}\s*$")
#: a list of days already closed by its "or": "Wednesday or Thursday, Tuesdays I have …"
_CLOSED_LIST = re.compile(rf"\b{_DAY}\s+or\s+(?:on\s+)?{_DAY}\s*$")


def _list_ends(piece: str) -> list[str]:
    """A comma before a day continues a list of days only after a day ("Monday, Tuesday or
    Wednesday") of a list not yet closed by "or" nor said taken; otherwise it starts a new
    clause ("those are my good days, Tuesdays I have therapy", "Wednesday or Thursday, Tuesdays
    I have …", "I'm tied up Monday, Tuesday works")."""
    out, begin = [], 0
    for comma in re.finditer(r",\s*", piece):
        before = piece[begin : comma.start()]
        after = piece[comma.end() :].split(",")[0]
        taken = (
            bool(_DAY_TAKEN.search(before))
            and not _WANTS_DAY.search(before)
            and bool(_WANTS_DAY.search(after))
        )
        if not _ENDS_IN_DAY.search(before) or _CLOSED_LIST.search(before) or taken:
            out.append(piece[begin : comma.start()])
            begin = comma.end()
    out.append(piece[begin:])
    return [p.strip() for p in out if p.strip()]


def _days_by_clause(low: str) -> tuple[set[Weekday], set[Weekday]]:
    """The days a turn wants and the days it says are taken, piece by piece: "Thursday
    afternoon would be best for us. Wednesdays I'm at church and Tuesdays is the food shelf" —
    Thursday wanted; Wednesday and Tuesday taken (a day with something else beside it —
    in its piece or, said alone, in the next — and no word of wanting it)."""
    wanted: set[Weekday] = set()
    taken: set[Weekday] = set()
    pieces = _pieces(low)
    for i, piece in enumerate(pieces):
        said = {_day(m.group(1)) for m in _WEEKDAY_RE.finditer(piece)}
        if not said or _PAST_DAY.search(piece):
            continue
        words = [w for w in re.findall(r"[a-z'.\d:-]+", _WEEKDAY_RE.sub(" ", piece))]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        day_next = _WEEKDAY_RE.search(nxt)
        head = nxt[: day_next.start()] if day_next else nxt  # up to the next day named
        alone = all(w in ("on", "and", "or", "the", "a", "every") for w in words)
        if alone and head and _DAY_TAKEN.search(head) and not _WANTS_DAY.search(head):
            taken |= said  # "Wednesdays, I'm at church", "Monday, Wednesday and Friday I'm at …"
        elif _WANTS_DAY.search(piece) or all(w in _WHEN_WORDS or w[0].isdigit() for w in words):
            if _DAY_TAKEN.search(piece) and not _WANTS_DAY.search(piece):
                taken |= said
            else:
                wanted |= said
        elif _UNTIL_AN_HOUR.search(piece):
            continue  # "Tuesdays I'm at the library until eleven": the day is free after it
        elif _DAY_TAKEN.search(piece) or _ACTIVITY.search(piece):
            taken |= said  # "Irene has her hair appointment Thursdays"
    if _THOSE_DAYS.search(low):
        # "… so any time after half past eleven on either of those days": the days said
        wanted |= {_day(m.group(1)) for m in _WEEKDAY_RE.finditer(low)}
        taken -= wanted
    return wanted, taken


#: what fills a day ends at an hour: the day is free after it
_UNTIL_AN_HOUR = re.compile(
    r"\b(?:until|till|til|to|through)\s+(?:about |around )?(?:\d{1,2}(?::\d\d)?|one|two|three|four|"
    r"five|"
    r"six|seven|eight|nine|ten|eleven|twelve|noon|lunch(?:time)?)\b"
)
#: the days named before, wanted: "either of those days", "on those days", "both of them"
_THOSE_DAYS = re.compile(r"\b(?:either|both|any|one) of (?:those|these|the|them)(?: two)? days\b|"
                         r"\bon (?:those|these) (?:two )?days\b")  # fmt: skip


def _without_taken(low: str) -> str:
    """``low`` without the pieces that fill a day with something else."""
    kept = []
    pieces = _pieces(low)
    dropped = False
    for i, piece in enumerate(pieces):
        said = _WEEKDAY_RE.search(piece) or _PART_WORD.search(piece) or _HOURS_SAID.search(piece)
        if dropped and _ITS_HOURS.match(piece) and not _WANTS_DAY.search(piece):
            continue  # "… takes me to lunch Thursdays, but not till noon": that one's hours
        dropped = False
        if said and not _WANTS_DAY.search(piece) and _DAY_TAKEN.search(piece):
            dropped = True
            continue  # "Mornings I've got my water aerobics at the Y"
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if (
            _PART_WORD.fullmatch(piece.strip())
            and _DAY_TAKEN.search(nxt)
            and not _WANTS_DAY.search(nxt)
            and not _WEEKDAY_RE.search(nxt)
            and not _PART_WORD.search(nxt)  # ("afternoons" | "we bowl in the mornings")
        ):
            continue  # "mornings" | "i've got my water aerobics" (run-on, split at "i")
        kept.append(piece)
    return " . ".join(kept)


_PART_WORD = re.compile(r"\b(?:mornings?|afternoons?|evenings?|lunch|noon)\b")
#: hours said in a piece: "I'm at the store from one till six"
_HOURS_SAID = re.compile(
    r"\b(?:from|till|until|til|between|at|after|before)\s+(?:\d{1,2}\b|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|noon)\b"
)
#: the morning, as a piece says it: "mornings", "10 am", "till lunch" (an activity's end)
_MORNING_PIECE = re.compile(
    rf"\bmornings?\b|{_CLOCK}\s*am\b|\ba\.m\.|(?<!nothing )(?<!not )(?<!never )\b(?:before|till|"
    r"until|til) (?:noon|lunch)\b"
)
_AFTERNOON_PIECE = re.compile(
    rf"\b(?:afternoons?|evenings?)\b|{_CLOCK}\s*pm\b|\bp\.m\.|\bafter (?:noon|lunch)\b"
)
#: someone doing something then (not wanting, choosing or being free): "I walk the dog",
#: "my sister takes me to lunch", "we're at the senior center"
_ACTIVITY = re.compile(
    r"(?<!\bif )(?<!\bwhen )(?<!\bcould )(?<!\bcan )(?<!\bwould )(?<!\bwill )(?<!\bdo )"
    r"(?<!\bdoes )\b(?:i|we|she|he|they|(?:my|our) (?:husband|wife|son|daughter|sister|brother|"
    r"kids|grand\w+|nephew|niece|friend|neighbou?r|mother|father|mom|dad|caregiver|aide|nurse))"
    r"\s+(?!(?:am|are|is|would|like|prefer|can|could|want"
    r"|need|will|think|guess|suppose|hope|rather|usually like|do better|'?m (?:free|home|around|"
    r"good|fine|available|up)|'?re (?:free|home|around|available)|'?d|'?ll|might|may|should|don'?t"
    r"|do not|never|can'?t|cannot|only|just|really|also|mean|meant|said|say|says|told|know|knew|"
    r"believe|wonder|reckon|figure|feel|see|pick|choose|take|go with|was (?:thinking|wondering|"
    r"hoping)|have to|had to|got to|gotta|have time|got time|have (?:nothing|no)|'?m open)\b)"
    # (not the meeting with the broker: "I have an appointment Wednesday morning, can I keep it")
    r"[a-z']+(?![^.,;!?]*\b(?:(?:an|my|the|our) appointment|consultation|call with)\b)|"
    r"\b[a-z]+ has (?:her|his|their|a|an|the|my|our)\b"
)
#: an activity's hours said after it: "… takes me to lunch Thursdays, but not till noon"
_ITS_HOURS = re.compile(r"^(?:but |and )?(?:not )?(?:till|until|til)\b|^(?:but |and )?not before\b")


def _part_by_clause(low: str) -> PartOfDay | None:
    """The part of the day a turn wants, clause by clause: a part said with a word of wanting
    is wanted; a part with someone doing something is taken ("afternoons only though, mornings
    I walk the dog and I'm at the senior center till lunch": the afternoon). None when the
    clauses do not settle it."""
    wanted: set[PartOfDay] = set()
    taken: set[PartOfDay] = set()
    pieces = _pieces(low)
    busy_before = False
    for i, piece in enumerate(pieces):
        said = {PartOfDay.MORNING} if _MORNING_PIECE.search(piece) else set()
        if _AFTERNOON_PIECE.search(piece):
            said.add(PartOfDay.AFTERNOON)
        wants = bool(_WANTS_DAY.search(piece)) and not _ACTIVITY.search(piece)
        doing = not wants and bool(_ACTIVITY.search(piece) or _DAY_TAKEN.search(piece))
        if said and busy_before and _ITS_HOURS.match(piece):
            continue  # the hours of the activity just said, not a wish
        busy_before = doing
        if len(said) != 1:
            continue
        if _NOT_MORNING.search(piece) or _NOT_AFTERNOON.search(piece):
            taken |= said  # "I'm no good after lunch"
            continue
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        alone = _PART_WORD.fullmatch(piece.strip()) is not None
        if wants:
            wanted |= said
        elif doing or (alone and (_ACTIVITY.search(nxt) or _DAY_TAKEN.search(nxt))):
            taken |= said
    settled = wanted - taken
    if len(settled) == 1:
        return settled.pop()
    if not wanted and len(taken) == 1:
        return PartOfDay.AFTERNOON if PartOfDay.MORNING in taken else PartOfDay.MORNING
    return None


#: a run of days: "Tuesday through Thursday", "monday thru wednesday", "Tuesday to Friday"
_DAY_RANGE = re.compile(rf"\b({_DAY})\s+(?:through|thru|to|till|until|-)\s+({_DAY})\b(\s*,)?")
_WEEK = (*_WORKDAYS, Weekday.SAT, Weekday.SUN)
_DAY_NAME = {d: n for n, d in reversed(list(_WEEKDAYS.items())) if len(n) > 3 and n.isalpha()}


def _spell_ranges(low: str) -> str:
    """Every day of a run said out: "tuesday through thursday, mondays i work" → "tuesday and
    wednesday and thursday. mondays i work" (the comma after a run ends its clause)."""

    def spell(match: re.Match[str]) -> str:
        first, last = _WEEK.index(_day(match.group(1))), _WEEK.index(_day(match.group(2)))
        if last <= first:
            return match.group(0)
        days = " and ".join(_DAY_NAME[d] for d in _WEEK[first : last + 1])
        return days + ("." if match.group(3) else "")

    return _DAY_RANGE.sub(spell, low)


#: a part of the week, and its days: "late in the week", "midweek", "the beginning of the week"
_WEEK_PARTS = (
    (
        re.compile(
            r"\b(?:early (?:in )?(?:the )?week|(?:the )?(?:beginning|start|first (?:part|half)|fron"
            r"t "
            r"end) of the week)\b"
        ),
        "monday or tuesday",
    ),
    (
        re.compile(r"\b(?:mid-? ?week|(?:the )?middle of the week)\b"),
        "tuesday or wednesday or thursday",
    ),
    (
        re.compile(
            r"\b(?:late(?:r)? (?:in )?(?:the )?week|(?:the )?(?:end|tail end|back end|latter "
            r"(?:part|half)|second half|last part) of the week)\b"
        ),
        "thursday or friday",
    ),
)


def _spell_week_parts(low: str) -> str:
    """A part of the week said as its days: "late in the week works best" → "thursday or
    friday works best"."""
    for pattern, days in _WEEK_PARTS:

        def spell(match: re.Match[str], days: str = days) -> str:
            if re.search(r"\b(?:not|never|no)\s+$", match.string[: match.start()]):
                return days.replace(" or ", ", not ")  # "not the end of the week"
            return days

        low = pattern.sub(spell, low)
    return low


def _when(heard: Heard, low: str, expect: Expect) -> None:
    low = _spell_ranges(_spell_week_parts(low))
    low = _GREETING.sub(r"\1", low)  # "Good morning!" greets; it asks for no morning
    if expect in (Expect.NAME, Expect.NOTHING):
        low = _OPENING_GREETING.sub("", low)
    low = _PAST_TIME.sub(" ", low)  # "I set it up this morning": a time gone by
    days: list[Weekday] = []
    for match in _WEEKDAY_RE.finditer(low):
        day = _WEEKDAYS[match.group(1)]
        if _PAST_DAY.search(re.split(r"[,.;!?]", low[: match.start()])[-1]):
            continue  # "we had the party Sunday", "last Tuesday": no day to meet
        if re.match(
            r"s?\s+(?:school|best|paper|papers|service|mass|dinner|brunch|night football)\b",
            low[match.end(1) :],
        ) or re.search(r"\bsince\s*$", low[: match.start()]):
            continue  # "since Sunday school": a thing, not a day to meet  # fmt: skip
        if day not in days:
            days.append(day)
    weekdays = next(
        (p for p in _pieces(low) if re.search(r"\bweekdays?\b|during the week", p)), None
    )
    if weekdays is not None and (
        (_DAY_TAKEN.search(weekdays) and not _WANTS_DAY.search(weekdays))
        or _BAD_FOR_US.search(weekdays)  # "weekdays are tough, we've got the grandkids"
    ):
        # "Saturday morning … I do volunteer driving on weekdays": the week is taken
        days = [d for d in days if d in (Weekday.SAT, Weekday.SUN)] or [Weekday.SAT]
    elif weekdays is not None:
        days = [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI]
    elif re.search(r"\bweekends?\b", low):
        days = [Weekday.SAT, Weekday.SUN]
    ruled_out = {
        _day(next(g for g in m.groups() if g))
        for m in (*_NOT_DAY.finditer(low), *_DAY_IS_OUT.finditer(low), *_BUSY_ON.finditer(low))
    }
    wanted, busy = _days_by_clause(low)
    ruled_out |= busy - wanted
    if wanted and busy:
        days = [d for d in days if d in wanted] or days
    concluded = _CONCLUSION.split(low)
    if len(concluded) > 1:
        # "Sunday is church, Tuesday and Thursday I'm at dialysis. So Monday, Wednesday or
        # Friday": the days said after the reasons are the days
        last = [
            d
            for d in (_day(m.group(1)) for m in _WEEKDAY_RE.finditer(concluded[-1]))
            if d not in ruled_out
        ]
        if last:
            days = [d for d in days if d in last] or last
    if ruled_out:
        # "not Monday, I have the doctor. Tuesday afternoon?": Monday is out, not wanted
        days = [d for d in days if d not in ruled_out] or [
            d for d in _WORKDAYS if d not in ruled_out
        ]
    excluded = list(_EXCLUDED.finditer(low))
    if excluded:
        # "any day but Monday… no, Wednesday. Any day but Wednesday": the days said last are
        # out, every other weekday is in
        out = {_WEEKDAYS[d] for d in _WEEKDAY_RE.findall(excluded[-1].group(1))}
        days = [d for d in _WORKDAYS if d not in out]
    heard.days = days
    # the part of the day is read from the clauses that are not about a day taken ("I do
    # dialysis Tuesday mornings … afternoons, I'm slow to get going")
    parts = _without_taken(low)
    chosen = _part_by_clause(low)
    if chosen is not None:
        heard.part_of_day = chosen  # "afternoons only though, mornings I walk the dog"
    elif _NOT_MORNING.search(parts) and _NOT_AFTERNOON.search(parts):
        pass  # "I walk in the mornings and I nap after lunch": the hours they say decide
    elif _NOT_MORNING.search(parts):
        heard.part_of_day = PartOfDay.AFTERNOON  # "I'm no good in the mornings"
    elif _NOT_AFTERNOON.search(parts):
        heard.part_of_day = PartOfDay.MORNING
    elif _MORNING.search(parts):
        heard.part_of_day = PartOfDay.MORNING
    elif _AFTERNOON.search(parts):
        heard.part_of_day = PartOfDay.AFTERNOON
    elif _ANYTIME.search(parts):
        heard.part_of_day = PartOfDay.ANY
    hour = None
    minute = 0
    for match in _TIME_OF_DAY.finditer(parts):  # (not the hours of what fills the day)
        if not match.group(0).strip() or not (
            match.group(3)
            or match.group(2)  # "the 2:30": a clock time said to the minute
            or re.match(r"\s*(?:at|around|about|after|by|before)", match.group(0))
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
        word = _WORD_HOUR.search(parts) or _OCLOCK.search(parts) or _HOUR_MINUTES.search(parts)
        if word:
            hour = int(words_to_number(word.group(1)) or 0)
            minute = {"thirty": 30, "fifteen": 15}.get(
                word.group(2) or "", 45 if word.group(2) else 0
            )
            if hour < 8:
                hour += 12
    if re.search(r"\bnoon\b", parts):
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
    if heard.zip and not _ORDINAL_RE.search(low):
        return  # "three two eight zero eight": a ZIP, no pick
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
    elif heard.hour is not None and _NEAREST.search(low):
        return  # "whichever is closer to two o'clock": the time said picks it
    elif _EARLIER.search(low) and (expect == Expect.SLOT or _ONE.search(low)):
        heard.choice = 0  # not "I made an appointment earlier today"
    elif _LATER.search(low) and (expect == Expect.SLOT or _ONE.search(low)):
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
