"""Words shared by the readers: states, weekdays, relations, words that are never a name,
big cities."""

from __future__ import annotations

import re

from contracts.tools import Weekday

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
_WEEKDAYS = {
    "monday": Weekday.MON, "mon": Weekday.MON, "tuesday": Weekday.TUE, "tues": Weekday.TUE,
    "tue": Weekday.TUE, "wednesday": Weekday.WED, "weds": Weekday.WED, "wed": Weekday.WED,
    "thursday": Weekday.THU, "thurs": Weekday.THU, "thu": Weekday.THU, "friday": Weekday.FRI,
    "fri": Weekday.FRI, "saturday": Weekday.SAT, "sat": Weekday.SAT, "sunday": Weekday.SUN,
    "sun": Weekday.SUN,
    # speech-to-text's spellings
    "wensday": Weekday.WED, "wendsday": Weekday.WED, "wednsday": Weekday.WED,
    "wenesday": Weekday.WED, "tusday": Weekday.TUE, "teusday": Weekday.TUE,
    "thersday": Weekday.THU, "thurday": Weekday.THU, "thirsday": Weekday.THU,
    "fryday": Weekday.FRI, "munday": Weekday.MON,
}  # fmt: skip
_WEEKDAY_RE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|"
    r"thu|fri|wensday|wendsday|wednsday|wenesday|tusday|teusday|thersday|thurday|thirsday|fryday|"
    r"munday)s?\b"
)
RELATIONS = (
    "husband", "wife", "son", "daughter", "brother", "sister", "caregiver", "neighbor",
    "neighbour", "friend", "grandson", "granddaughter", "nephew", "niece", "mother", "father",
    "mom", "dad", "partner", "spouse", "roommate", "aide", "nurse", "child", "kid",
)  # fmt: skip
_NOT_NAMES = {
    "been", "gotten", "got", "gone", "had", "done", "seen", "said", "made", "taken", "given",
    "stuck", "kept", "left", "sitting", "finally", "actually", "really", "probably", "maybe",
    "calling", "again", "not", "sorry", "fine", "good", "doing", "here", "there", "retired", "the",
    "his", "her", "their", "interested", "just", "a", "an", "so", "ready", "looking",
    "worried", "over", "still", "glad", "happy", "okay", "ok", "well", "returning", "about",
    "wondering", "trying", "on", "in", "at", "with", "from", "home", "busy", "afraid", "sure",
    "yes", "yeah", "no", "nope", "hello", "hi", "hey", "concerned", "curious", "thinking",
    "getting", "going", "gonna", "also", "very", "pretty", "quite", "it", "that",
    "this", "what", "who", "is", "me", "my", "we", "i", "you", "your", "speaking", "great",
    "thanks", "thank", "alright", "all", "right", "hold", "one", "wait", "um",
    "uh", "oh", "and", "but", "or", "because", "old", "young", "years", "owner",
    "homeowner", "renting", "living", "alive", "hard", "deaf", "confused", "tired", "up",
    "out", "back", "finished", "call", "reverse", "mortgage", "equity",
    "bank", "broker", "lender", "scam", "real", "person", "human", "robot", "ai", "barbara",
    "mister", "missus", "mrs", "mr", "ms", "miss", "dr", "doctor", "hmm", "huh", "nobody",
    "someone", "somebody", "anyone", "fine.", "age", "aged", "born", "turning", "turned",
    "now", "today", "currently", "almost", "nearly", "around", "sixty", "seventy",
    "eighty", "ninety", "fifty", "forty", "like", "love", "want", "need", "have", "worth",
    "paid", "owned", "roughly", "only", "kidding", "joking",
    "please", "for", "to", "by", "of", "as", "if", "then", "than", "do", "does", "did", "can",
    "could", "would", "should", "how", "why", "when", "where", "which", "whose", "anything",
    "something", "nothing", "everything", "writing", "name", "sounds", "works", "perfect",
}  # fmt: skip
_NOT_NAMES |= set(RELATIONS) | set(_WEEKDAYS)
#: what a caller may call Barbara, or be called: a term of endearment or a title is no name
ENDEARMENTS = frozenset({
    "sweetie", "sweetheart", "sweety", "honey", "hon", "hun", "dear", "dearie", "deary",
    "darling", "darlin", "sugar", "love", "lovey", "doll", "dollface", "babe", "baby", "missy",
    "ma'am", "maam", "madam", "madame", "sir", "buddy", "pal", "friend", "kiddo", "young",
    "lady", "fella", "fellow", "gal", "sunshine", "angel", "child", "chief", "boss", "mate",
})  # fmt: skip
_NOT_NAMES |= ENDEARMENTS
_NOT_NAMES |= {"yall", "y'all", "ya'll", "youall", "mam", "maam", "ma'am"}  # "the letter yall sent"
#: what follows "I'm" that is a state, not a name: "when I'm gone", "I'm stuck"; and what
#: follows "it's": "it's mine"
_NOT_NAMES |= {
    "mine", "yours", "ours", "theirs", "hers", "myself", "himself", "herself", "paid",
    "same", "number", "phone", "cell", "landline", "line", "house", "home", "auntie", "aunty",
    "uncle", "unc", "granny", "grandma", "grandpa", "nana", "papa", "mama", "pops", "gotta",
    "gonna", "wanna", "fixing", "fixin", "rung", "reckon",
    "gone", "stuck", "dead", "broke", "alone", "ok", "okey", "set", "new", "old", "late",
    "early", "out", "away", "off", "through", "over", "behind", "ahead", "next", "last",
    "afraid", "worried", "scared", "nervous", "certain", "positive", "unsure", "lost",
    "retiring", "disabled", "blind", "deaf", "hard", "deciding", "leaning", "inclined",
}  # fmt: skip
#: words that are names when said as one, capitalised ("It's Dot, short for Dorothy"), and
#: something else in other words ("at example dot com")
NAMES_TOO = frozenset({"dot"})
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
_SPOUSE_WORDS = r"(?:wife|husband|hubby|spouse|partner|fianc[eé]e?|significant other)"
_PARENT_WORDS = r"(?:mother|father|mom|mum|dad|mama|papa|parents?)"
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
    "harrisburg", "salt lake",
})  # fmt: skip
_BIG_CITY_ALTS = "|".join(sorted((c.replace(" ", r"\.?\s+") for c in BIG_CITIES), key=len,
                                 reverse=True))  # fmt: skip
_BIG_CITY_RE = re.compile(rf"\b({_BIG_CITY_ALTS})\b")
_BIG_CITY_LAST = re.compile(rf"\b({_BIG_CITY_ALTS})[\s,]*$", re.IGNORECASE)
