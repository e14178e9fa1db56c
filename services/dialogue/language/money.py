"""Amounts: the home value, the mortgage balance (paid off, second loans), and the money
needed and what for."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Expect, Heard
from services.dialogue.language.text import _overlaps, _short_year
from services.dialogue.speech.numbers import words_to_number

_VALUE_WORDS = re.compile(
    r"(?<!fort )(?<!ft )(?<!ft\. )worth|value|valued|apprais|sell (?:it )?for|market|zillow|"
    # "the neighbor's sold for about five fifty, so I suppose mine's around that"
    r"\b(?:sold|went|gone|going|listed|selling) for\b|"
    r"estimat|the (?:house|home) is|"
    r"it'?s (?:about|around|maybe|probably)|priced|"
    # "the house, probably four-twenty-five"; "she'd bring about two-seventy-five"; "goes for"
    r"the (?:house|home|place)(?:,|'s)? (?:probably|maybe|about|around|roughly|i'?d say|i "
    r"think|i guess)|(?:would|could|'d|might|will|should) (?:bring|fetch|go for)\b|"
    r"\bgo(?:es)? for\b"
)
#: value words that only lean to the value: "it's about 95" answers what was asked
_WEAK_VALUE = re.compile(r"it'?s (?:about|around|maybe|probably)")
_BALANCE_WORDS = re.compile(
    r"\bowe|owing|mortgage|balance|left on|loan|still have|pay(?:ing)? off|equity line|heloc|"
    r"line of credit"
)
#: a bare answer of nothing, when the balance was asked: "none", "zero", "nothing at all"
_NONE = re.compile(
    r"(?:(?:no|nope|oh|well|um|uh)[\s,]+)?(?:none|nothing|zero|nada|zilch|not a (?:thing|dime|"
    r"penny|cent))(?: at all| whatsoever)?"
)
#: words after an amount that make it what is owed: "forty thousand left on the mortgage"
_BALANCE_AFTER = re.compile(
    r"\s*(?:dollars\s*)?(?:(?:still )?(?:left|owed|owing|remaining|outstanding|due)\b|(?:on|against"
    r") "
    r"(?:the|my|our|a) (?:mortgage|loan|heloc|home equity|line of credit|reverse mortgage|first|"
    r"1st|second|2nd)\b)"
)
#: between the two ends of a guess: "three-fifty, three seventy-five", "300 to 350"
_RANGE_GAP = re.compile(
    r"\s*(?:[,?]\s*|,?\s*(?:or|to|-|–|through|maybe|or maybe|or so,?|,? or)\s+)(?:maybe |even |"
    r"possibly |perhaps |about |around |up to )?"
)
#: a loan besides the first mortgage, whose balance adds to it
_OTHER_LOAN = re.compile(
    r"\b(?:second|2nd|other|another|separate) (?:mortgage|loan|lien)|\bon (?:a|the) (?:second|2nd)"
    r"\b|\bhome equity (?:line|loan)|"
    r"\bequity line|\bheloc\b|\bline of credit\b"
)
_PAID_OFF = re.compile(
    # "burned the mortgage papers in '98": the mortgage done with
    r"\b(?:burned|burnt|burn) (?:the|our|my) (?:mortgage|note)\b|"
    r"\bpaid (?:it |that |(?:the|my|our) (?:house|home|mortgage|loan|place) |everything |the "
    r"whole thing )?off|\bpaid-off (?:house|home|condo|place)\b|"
    r"\b(?:all|fully|completely) paid\b|paid in full|"
    # "the mortgage is long gone", "that loan's been done for years"
    r"\b(?:mortgage|loan|note)(?:'s| is| was|'s been| has been) (?:long |all |been )?(?:gone|done|"
    r"finished|over with|taken care of)\b|"
    # "it's mine, paid for and everything" (not "I paid for the roof")
    r"\bpaid for\b(?! (?:it|the|by|with|a|an|my|our|his|her|them|this|that|in|out|\w+ing)\b)|"
    r"\b(?:it'?s|it is|is|"
    r"was|all|been) paid for\b|\bno (?:more )?(?:mortgage|home loan|loan|liens?|balance|debt)\b(?!"
    r" (?:broker|company|lender|guy|person|officer))|(?:don'?t|do not|doesn'?t|does not) (?:have|"
    r"got|carry) (?:a|any|an?y?) ?(?:mortgage|home loan|loan|balance|lien)|(?:don'?t|do not|"
    r"doesn'?t|does not) owe (?:anything|nothing|a (?:thing|dime|penny|cent|nickel)|any ?(?:thing|"
    r"money)|money|nada)|(?:don'?t|do not) owe\s*(?:on (?:it|the (?:house|home)))?\s*(?:[.,!?]|$)|"
    r"\bno more (?:bank|payments?|mortgage|loan)\b|\b(?:i|we) (?:pay|paid) (?:for )?everything\b|"
    r"\bowe (?:(?:nobody|no one|anybody|anyone|a soul) )?(?:zero|nothing|nada|not a (?:thing|dime|"
    r"penny|cent))|nothing (?:left|owed|owing|on "
    r"it|to pay)|free and clear|\boutright\b|mortgage.?free|zero balance|(?:own|owned) it free"
)
_PURPOSE = re.compile(
    # (a doctor or a car to get to is no purpose: "my niece carries me to the doctor")
    r"(?:roof|repair|renovat|remodel|fix (?:up )?the|medical|(?:doctor|hospital)(?:'s)? (?:bills?|"
    r"costs?)|(?<!pays the )"
    r"(?<!pay the )bills|(?<!no )(?<!never )(?<!any )debt|credit "
    r"card|pay off (?:the|my|our) (?:mortgage|house|loan)|travel|income|cushion|emergenc|"
    r"help (?:my|our|the) (?:kids|children|grand\w+|son|daughter)|tuition|long.?term care|"
    r"in.?home care|(?:new|a|another|buy (?:a|the)) car\b|car (?:repairs?|payments?)|groceries|"
    r"living expenses|retirement)[^.?!,]{0,60}"
)
_TIMELINE = re.compile(
    r"(?:within|in) (?:the next )?(?:a |\d+ |few |couple (?:of )?|one |two |three |six |"
    r"several )?(?:days?|weeks?|months?|years?)|this (?:year|month|summer|fall|spring|winter|"
    r"week)|next (?:year|month|spring|summer|fall|winter)|as soon as possible|asap|right away|"
    r"no rush|no hurry|sometime|by (?:the end of )?(?:the )?(?:year|summer|spring|fall|winter)"
)
_NEED = re.compile(
    # (not a hedge: "I want to say three-twenty")
    r"need(?:s|ed)?|looking for|want(?:ed)?(?! to say)|hoping (?:for|to get)|would like(?! to say)"
)
_MONEY_AFTER = re.compile(
    r"\s*(?:dollars|bucks|thousand|grand(?![\w-])|million|k\b|hundred|percent|%)"
)
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:years?|yrs|months?|weeks?|days?|hours?|minutes?|percent|%|miles?|feet|foot|sq|"
    r"square|acres?|people|kids|grand\w+|great[\s-]grand\w+|children|sons?\b|daughters?\b|"
    r"brothers?\b|sisters?\b|cousins?\b|dogs?\b|cats?\b|pets?\b|times|o'?clock|a\.?m\b|p\.?m\b|st\b"
    r"|nd\b|rd\b|"
    r"bed(?:room)?s?\b|bath(?:room)?s?\b|br\b|stor(?:y|ies)\b|floors?\b|car garage|units?\b|"
    r"th\b|street|st\.|avenue|ave|road|rd\.|lane|drive|way|blvd|boulevard|court|circle|years? old|"
    # a count of things: "two blocks over", "three doors down", "two houses"
    r"blocks?\b|doors?\b|houses?\b|homes?\b|lots?\b|streets?\b|stops?\b|rooms?\b|steps?\b|"
    r"stairs\b|flights?\b|trips?\b|visits?\b|cars?\b|husbands?\b|wives\b|jobs?\b)"
)


_DIGIT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9}  # fmt: skip
_PARTS = {"quarter": 25, "half": 50, "three quarters": 75, "three-quarters": 75}
#: "four and a quarter", "three and a half million": hundreds of thousands (or millions) and a
#: part, said as the amount they are
_AND_A_PART = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|[2-9])\s+and\s+(?:a\s+)?(quarter|half|"
    r"three[\s-]quarters)\b(?:\s+(million|mil)\b)?"
)
#: "worth to fifty maybe to sixty": speech-to-text's "to" for "two" before the tens of a
#: guessed amount (not "close to fifty", "up to sixty")
_TO_FOR_TWO = re.compile(
    r"\b(worth|maybe|about|around|like|or|is|it'?s|be|say|owe|at|for|guess|think)\s+(?:to|too)\s+"
    r"(?=(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b)"
)

#: "we still oh like sixty thousand": speech-to-text's "oh" for "owe" before an amount
_OH_FOR_OWE = re.compile(
    r"\b(still|i|we|only|just|they|and|maybe|probably) oh\b(?=\s+(?:like|about|around|maybe|"
    r"roughly|close to|nearly|almost|under|over|a |an |\$?\d|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred))"
)
#: "forty something left on it", "sixty-some years old", "a hundred and twenty-odd thousand":
#: the middle of the ten, as "in my sixties" is
TENS_SOMETHING = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]+(?:something|odd|some)\b"
)
#: "eight hundred and something thousand": the middle of the hundred
HUNDRED_SOMETHING = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|a) hundred(?: and)? (?:something|odd|some)\b"
)


def amounts_said(low: str, expect: Expect) -> str:
    """``low`` with amounts said in words the number reader does not know written as numbers:
    "four and a quarter" (425 thousand), "to fifty" (two fifty) — where money is the talk."""
    if not (
        expect in (Expect.VALUE, Expect.BALANCE)
        or _VALUE_WORDS.search(low)
        or _BALANCE_WORDS.search(low)
    ):
        return low

    def part(match: re.Match[str]) -> str:
        whole = _DIGIT_WORDS.get(match.group(1)) or int(match.group(1))
        share = _PARTS[re.sub(r"\s+", " ", match.group(2))]
        if match.group(3):
            return f"{whole}.{share} million"
        return f"{whole * 100 + share} thousand"

    return _OH_FOR_OWE.sub(r"\1 owe", _TO_FOR_TWO.sub(r"\1 two ", _AND_A_PART.sub(part, low)))


def _amounts(heard: Heard, low: str, expect: Expect, found: list[tuple[float, int, int]],
             used: list[tuple[int, int]]) -> None:  # fmt: skip
    said_none = any(
        _NONE.fullmatch(part.strip(" .!,")) for part in re.split(r"[.!?;]", low) if part.strip()
    )  # "Owe? Nothing. Not a dime.": a sentence of nothing, when the balance was asked
    if _PAID_OFF.search(low) or (expect == Expect.BALANCE and said_none):
        heard.mortgage_balance = 0
    money_context = expect in (Expect.VALUE, Expect.BALANCE)
    money_talk = money_context or bool(_VALUE_WORDS.search(low) or _BALANCE_WORDS.search(low))
    said: list[tuple[float, int, int]] = []  # money said as money: "$", "thousand", "worth 400"
    bare: list[tuple[float, int, int]] = []  # a number that is money only by context
    for value, start, end in _ranges(low, restated(low, found), used):
        if _overlaps(used, start, end):
            continue
        if _short_year(low, start, end) or re.match(r"'?s\b", low[end:]):
            continue  # "bought it in '88", "in the 60s": a year or a decade, no money
        if re.search(
            r"\b(?:paid|bought (?:it|the (?:house|home|place))?(?: for)?)\s+(?:about |around |only "
            r"|just )?$",
            low[:start],
        ) and re.match(
            r"\s*(?:thousand|grand(?![\w-])|k\b)?\s*(?:dollars\s*)?(?:for (?:it|the (?:house|home|"
            r"place))|back (?:in|then|when)|in (?:'|19|20|nineteen|the (?:sixties|seventies|"
            r"eighties|nineties)))",
            low[end:],
        ):
            continue  # "we paid a hundred and ten for it back in '84": the price then, not now
        if re.search(r"\b(?:number|option|no\.|#)\s*$", low[:start]):
            continue  # "number two, please": a choice, no money
        if re.search(
            r"\b(?:monthly|payment|payments|interest(?: rate)?|rate|escrow)\b,?\s*(?:is |of |"
            r"about |around )*$",
            low[:start],
        ) or re.match(
            r"[\w\s-]{0,25}?\b(?:a month|per month|monthly|dollar payment|payment|percent|%)",
            low[end:],
        ):  # fmt: skip
            continue  # "monthly payment, nine hundred forty-three": not what is owed
        clause = _clause_before(low, start)
        if _NOT_THE_HOME_AFTER.match(low[end:]) or (
            _NOT_THE_HOME_BEFORE.search(clause) and not re.search(r"assess|apprais", clause)
        ):
            continue  # "the taxes are three thousand a year": money, but not the home's
        if _PRICE_THEN.search(clause):
            continue  # "we bought it in 1978 for forty-five thousand": the price then
        if (
            value < 20
            and re.search(r"\b(?:those|these|them|the|both|all|my|our|us|we|of|flip|mix up)\s+$",
                          low[:start])
            and not re.match(r"\s*(?:thousand|grand(?![\w-])|k\b|hundred|million|mil\b|dollars|"
                             r"bucks)", low[end:])
        ):  # fmt: skip
            continue  # "I always flip those two", "the two of us": a count, no money
        if low[start:end] in ("one", "1") and not re.match(
            r"\s*(?:point|hundred|thousand|grand(?![\w-])|million|mil\b|k\b|dollars)", low[end:]
        ):
            continue  # "the reverse mortgage one", "that one": no amount
        if low[start:end] == "one" and re.search(
            r"\b(?:either|the|this|that|which|any|each|every|other|no|first|second|last|later|"
            r"earlier|early|late|next|same|new|old|right|wrong|better|best|morning|afternoon)\s+$",
            low[:start],
        ):
            continue  # "either one", "the first one": no amount
        if re.search(r"\b(?:after|before|around|until|till|til|by|at|past|from)\s+(?:about\s+)?$",
                     low[:start]) and _CLOCK_TIME.fullmatch(low[start:end].strip()) and not (
            money_context_said(low, start)
        ):  # fmt: skip
            continue  # "I'm at the senior center till two-thirty": a time, no money
        if (
            re.search(r"\b(?:in|since|back in|from)\s+$", low[:start])
            and 20 <= value <= 99
            and value == int(value)
            and not re.match(r"\s*(?:thousand|grand(?![\w-])|k\b|dollars|bucks)", low[end:])
            and not money_context_said(low, start)
        ):
            continue  # "we paid one-forty for it in eighty-eight": a year
        if (
            1900 <= value <= 2039
            and value == int(value)
            and re.match(r"(?:two thousand|nineteen|twenty|(?:19|20)\d\d\b)", low[start:end])
            and re.search(r"\b(?:in|since|back in|from|until|till|year|of)\s+$", low[:start])
        ):
            continue  # "paid in full since two thousand six": a year said in words
        if re.search(
            r"\b(?:after|before|around|until|till|by|at|past)\s+(?:about\s+)?$", low[:start]
        ) and (
            re.match(
                r"\s*(?:o'?clock|a\.?m\b|p\.?m\b|in the (?:morning|afternoon|evening)|"
                r"(?:my|our|your) time)",
                low[end:],
            )
            or (
                value <= 12
                and not re.match(
                    r"\s*(?:thousand|grand(?![\w-])|k\b|hundred|million|mil\b|dollars)", low[end:]
                )
            )
        ):
            continue  # "it'll need to be after two in the afternoon": a time, no money
        span = low[max(0, start - 1) : end + 12] + re.findall(r"^[\w-]*", low[end + 12 :])[0]
        if re.search(
            r"\$|dollars|bucks|thousand|grand(?![\w-])|million|(?<![a-z])k\b|\d{3},\d{3}", span
        ):
            said.append((value, start, end))
        elif _NOT_MONEY_AFTER.match(low[end:]) or re.fullmatch(r"(?:19|20)\d\d", low[start:end]):
            continue  # "40 years", "in 1985"
        elif _near_money_word(low, start) or _BALANCE_AFTER.match(low[end:]):
            said.append((value, start, end))  # "worth 400", "a hundred and ten left on it"
        elif money_context or (money_talk and value >= 100):
            bare.append((value, start, end))
    balance_end = None  # where the balance said last ended: a second loan adds to it
    # what a neighbour's sold for is a comparison: the caller's own guess, if they give one,
    # is the value ("guy down the street got six for his. Call mine five-fifty")
    compared = [
        a for a in (*said, *bare)
        if _COMPARED.search(_sentence_around(low, a[1], a[2]))
        or _SOURCE.search(_clause_before(low, a[1]))
    ]  # fmt: skip
    own = [a for a in (*said, *bare) if a not in compared and a[0] >= 1]  # ("oh" is no amount)
    if compared and any(_amount_kind(low, s, expect, heard, e) == "value" for _, s, e in own):
        said = [a for a in said if a not in compared]
        bare = [a for a in bare if a not in compared]
    for value, start, end in said:
        amount = _money_amount(low, value, start, end)
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
    total = _TOTAL.search(low)
    if total and heard.mortgage_balance:
        # "the first is two-sixty and the line is sixty, seventy. So three-twenty, three-thirty
        # all together": what they owe is the total they said
        said_total = [
            (v, s, e) for v, s, e in _ranges(low, found, []) if s >= total.start() - 2 and
            e <= total.end()
        ]  # fmt: skip
        if said_total and (amount := _money_amount(low, *said_total[-1])):
            heard.mortgage_balance = amount
    asked = {Expect.VALUE: heard.home_value, Expect.BALANCE: heard.mortgage_balance}.get(expect)
    if asked:
        return  # what was asked was answered in words; a bare number is no tie to break
    for value, start, end in bare:
        _amount(heard, low, expect, value, start, end, used)


#: after an amount: it comes round every so often, so it is a bill or an income, not the
#: home's value or what is owed ("three thousand a year", "eighteen hundred every month")
_NOT_THE_HOME_AFTER = re.compile(
    r"(?:\s*(?:dollars|bucks|thousand|grand|k)\b)?\s*(?:(?:a|per|each|every) (?:year|yr|month|"
    r"week|quarter)\b|(?:annually|yearly|weekly|biweekly)\b)"
)
#: before an amount in its clause: what it is is a bill, an income or someone else's money
#: ("the taxes are about", "my social security is", "my pension pays")
_NOT_THE_HOME_BEFORE = re.compile(
    r"\b(?:(?:property |school |real estate )?tax(?:es)?|tax bill|insurance|premiums?|social "
    r"security|pension|income|(?:ss|va|disability) check|annuity|rent|dues|hoa|utilit(?:y|ies)|"
    r"electric(?:ity)?|heating|gas bill|water bill|bills?|savings|checking|401 ?k|ira|cd)\b"
    r"(?![^,]*\b(?:worth|value|valued|owe|owing|left on|balance)\b)[^,]*$"
)
#: before an amount in its clause: it is what the home cost once ("bought it in '78 for",
#: "we paid back then", "built it for")
_PRICE_THEN = re.compile(
    r"\b(?:bought|paid|purchased|built|got)\b(?! off)[^,]{0,40}?\bfor\s+(?:about |around |only "
    r"|just |maybe )?$|\b(?:bought|purchased)\b[^,]{0,25}?\b(?:at|for)\s+(?:about |around )?$"
)


def _clause_before(low: str, start: int) -> str:
    """The words of the amount's own clause before it (from the last stop or comma)."""
    return re.split(r"[.;!?,]|\band (?:the|it|we|i|she|he|my|our)\b|\bbut\b", low[:start])[-1]


#: an amount said as the sum of what is owed: "so three-twenty, three-thirty all together"
_TOTAL = re.compile(
    r"\b(?:so|that'?s|which is|makes it|comes to)?\s*(?:about |around |roughly )?[\w\s,-]{3,40}?"
    r"\s+(?:all together|altogether|in total|total|combined|all told)\b"
)
#: a sale nearby, said to compare: "the place next door sold for", "got six for his"
_COMPARED = re.compile(
    r"\b(?:neighbou?rs?'?s?|next door|down the (?:street|road|block)|across the (?:street|road)|"
    r"for (?:his|hers|theirs)|the one (?:next|across|down))\b"
)


#: someone else's figure for the home, in the amount's clause: "Zillow says", "the
#: assessor has it at" (the caller's own guess, when they give one, is the value)
_SOURCE = re.compile(
    r"\b(?:zillow|redfin|trulia|realtor(?:\.com)?|real estate (?:agent|lady|guy|man|woman)|"
    r"appraiser|assessor|assessment|the county|tax (?:bill|card|records?)|online|the internet|"
    r"the computer|the (?:paper|website|app))\b"
)


def _sentence_around(low: str, start: int, end: int) -> str:
    """The sentence an amount is said in."""
    head = re.split(r"[.!?;]", low[:start])[-1]
    tail = re.split(r"[.!?;]", low[end:])[0]
    return head + low[start:end] + tail


#: an hour and its minutes: "two-thirty", "ten fifteen", "3:30", "four o'clock"
_CLOCK_TIME = re.compile(
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})(?:[\s-]+(?:thirty|"
    r"fifteen|forty[\s-]?five|o'?clock)|:\d\d)"
)


def money_context_said(low: str, start: int) -> bool:
    """The words just before an amount are about money: "worth about", "owe"."""
    before = low[max(0, start - 25) : start]
    return bool(_VALUE_WORDS.search(before) or _BALANCE_WORDS.search(before))


def restated(low: str, found: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """An amount said short and then in full, run together by speech-to-text: "five fifty
    five hundred fifty thousand" is 550 thousand (not 55 million) — the full saying counts."""
    out = []
    for value, start, end in found:
        words = list(re.finditer(r"[a-z]+|\d+", low[start:end]))
        if any(w.group() in ("point", "and", "a", "an") for w in words):
            words = []  # "one point one million", "two hundred and fifty": one amount
        for word in words[1:]:
            head = words_to_number(low[start : start + word.start()])
            tail = words_to_number(low[start + word.start() : end])
            if head and tail and tail >= 10_000 and _scale_amount(head) == tail:
                value, start = tail, start + word.start()
                break
        out.append((value, start, end))
    return out


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
        re.search(r"thousand|grand(?![\w-])|million|mil\b|k\b|\d{3},\d{3}", low[start:end])
        or re.match(r"\s*(?:k\b|grand(?![\w-])|thousand|million|mil\b)", low[end:])
    )


def _amount(heard: Heard, low: str, expect: Expect, value: float, start: int, end: int,
            used: list[tuple[int, int]]) -> None:  # fmt: skip
    amount = _money_amount(low, value, start, end)
    if amount is None:
        return
    kind = _amount_kind(low, start, expect, heard, end)
    if kind == "value" and amount < 20_000:
        return  # "they're three thousand now": no home is worth that; not the value
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


#: an aside while looking a figure up: "hold on, I've got the statement here...", "let me see"
_ASIDE = re.compile(
    r"\b(?:hold on|hang on|wait(?: a (?:sec|second|minute|moment))?|let me (?:see|look|check|think|"
    r"find it|get (?:it|the \w+))|one (?:sec|second|moment|minute)|i'?ve got (?:the|my) \w+ "
    r"(?:right )?here|where is it|here it is|um+|uh+|er+)\b[^.,…]{0,40}(?:\.\.\.|…|,)?\s*"
)


#: a hedge said inside the clause of an amount: "is, I believe, about forty thousand"
_HEDGE = re.compile(
    r",?\s*\b(?:i believe|i think|i'?d say|i would say|i guess|i suppose|i reckon|i (?:want|wanna|"
    r"would want|'?d want|would like|'?d like) (?:to )?say|if i recall|if "
    r"i remember (?:right|correctly)|last i (?:checked|looked))\b,?"
)


def _near_money_word(low: str, start: int) -> bool:
    """A word of value, balance or need just before the amount, asides left out ("the mortgage
    is down to, hold on, I've got the statement here... a hundred and twelve")."""
    before = _ASIDE.sub(" ", low[max(0, start - 120) : start])[-40:]
    return bool(
        _VALUE_WORDS.search(before) or _BALANCE_WORDS.search(before) or _NEED.search(before)
    )


def _said_in_full(low: str, value: float, start: int, end: int) -> bool:
    """The amount is said as the dollars it is, not in the short way: "three thousand",
    "$4,500", "4500 dollars" (not "I owe 120", "about two-fifty")."""
    if value < 1000:
        return False
    return bool(
        re.search(r"thousand|\$|\d,\d{3}", low[max(0, start - 1) : end])
        or re.match(r"\s*(?:thousand|dollars|bucks)\b", low[end:])
    )


def _money_amount(low: str, value: float, start: int, end: int) -> int | None:
    """The dollars an amount said at ``low[start:end]`` is: said in full, as it is; said
    short ("four fifty", "120"), scaled to what a home's value or loan is."""
    if _said_in_full(low, value, start, end):
        return round(value) if value <= 100_000_000 else None
    return _scale_amount(value)


def _scale_amount(value: float) -> int | None:
    if value <= 0:
        return None
    if 2 <= value < 10 and value == int(value):
        value *= 100_000  # "the one down the street got six": six hundred thousand
    elif value < 10:
        value *= 1_000_000  # "about one point two" (million)
    elif value < 5_000:
        value *= 1_000  # "I owe 120" (thousand)
    return round(value) if value <= 100_000_000 else None


def _amount_kind(low: str, start: int, expect: Expect, heard: Heard, end: int | None = None) -> str:
    if end is not None and _BALANCE_AFTER.match(low[end:]):
        return "balance"  # "there's maybe forty thousand left on the mortgage"
    before = _HEDGE.sub(" ", _ASIDE.sub(" ", low[:start]))  # "is, I believe, about forty"
    pieces = re.split(r"[.;!?]|,\s*(?=i |we |and |but |the mortgage|mortgage)", before)
    clause = pieces[-1]
    if not re.search(r"[a-z]{3,}", clause) and len(pieces) > 1:
        # "I owe, let me look, I have the statement right here... four hundred and twelve":
        # a pause before the amount; what it is was said before the pause
        worded = [p for p in pieces if re.search(r"[a-z]{3,}", p)]
        clause = " ".join(worded[-2:])
    need = _NEED.search(clause)
    if need and re.search(r"\bneeds? (?:a|an|the|some|new|work|fixing|repairs?)\b", clause):
        need = None  # "ours needs a roof, so maybe eight hundred": what it is worth
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


def _purpose(heard: Heard, low: str) -> None:
    purpose = _PURPOSE.search(low)
    if purpose and not heard.question:
        heard.money_purpose = purpose.group(0).strip(" ,.")[:120]
    timeline = _TIMELINE.search(low)
    if timeline:
        heard.timeline = timeline.group(0)
