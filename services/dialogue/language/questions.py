"""Questions, objections and topics, and the knowledge-base query that answers them."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Heard, Intent
from services.dialogue.language.patterns import _INTENT_PATTERNS
from services.dialogue.language.vocabulary import STATES

BOOKING = _INTENT_PATTERNS[Intent.BOOK]

#: Objection topic → the knowledge-base query that answers it.
OBJECTIONS: dict[str, tuple[re.Pattern[str], str]] = {
    "scam": (
        re.compile(
            r"scam|fraud|rip.?off|legit|too good to be true|con artist|swindl|trust you|"
            r"\bthe catch\b|\ba catch\b|strings attached|(?:nobody|no one) gives (?:you )?"
            r"(?:money|anything|something) for (?:nothing|free)"
        ),
        "is a reverse mortgage a scam, how to stay safe",
    ),
    "lose_home": (
        re.compile(
            r"lose (?:my|the|our|your) (?:house|home)|(?:take|steal|grab)s? (?:my|the|our|your) "
            r"(?:house|home)|bank (?:owns?|will own|gets?|takes?|would own|steals?|grabs?|keeps?)|k"
            r"ick (?:me|us) out|foreclos|"
            r"keep (?:the|my|our) (?:house|home|title)|have to leave (?:my|the|our) (?:house|home)|"
            r"who owns the (?:house|home)|still own|sign(?:ing)? (?:my|the|our) (?:house|home) "
            r"over|sign(?:ing)? over (?:my|the|our) (?:house|home)|(?:house|home) over to"
        ),
        "will I lose my home, who keeps the title",
    ),
    "heirs": (
        re.compile(
            r"\bkids\b|children|\bheirs?\b|inherit|\bestate\b|grandchild|grandkids|leave (?:the "
            r"house|it|my home|the home) to|family get|when (?:i|we) die|after (?:i|we) die|"
            r"pass(?:es)? away|\b(?:when|if|after) (?:i|we|my \w+|s?he) (?:die|dies|pass(?:es)?)\b|"
            r"when i'?m gone|my (?:son|daughter)\b.*(?:get|inherit|house|home)|my (?:family)"
        ),
        "what happens to my heirs and the home when I die",
    ),
    "fees": (
        re.compile(
            r"\bfees?\b|\bcosts?\b|expensive|closing cost|insurance premium|"
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
            r"(?:house|home|place)|sell (?:it |up )?(?:later|someday|one day|down the road|in a "
            r"(?:few|couple)|in \w+ years)|(?:am i|are we|would i be|would we be) (?:stuck|locked "
            r"in|trapped)|selling|downsiz|care (?:home|facility)|(?:have|need) to move|"
            r"(?:twelve|12) months|in the hospital for"
        ),
        "what happens if I move out, sell the home or go into a nursing home",
    ),
    # nobody comes to the house: the consultation is a phone call
    "home_visit": (
        re.compile(
            r"(?:don'?t|do not|wouldn'?t) (?:want|like|need) (?:anybody|anyone|somebody|someone|"
            r"people|strangers?|a (?:stranger|salesman|salesperson|broker|man|person|rep)|any "
            r"(?:salesm[ae]n|strangers|brokers|people|visitors)|you(?: guys| people)?|him|her|them)"
            r" (?:to )?(?:com(?:e|ing)|show(?:ing)? up|stop(?:ping)? by|drop(?:ping)? by|visit"
            r"(?:ing)?)(?: out| over| by| in)?(?: to| at| into| inside)? (?:my|our|the) (?:house|"
            r"home|place|door)|\bhome visits?\b|\b(?:nobody|no one|no salesm[ae]n|no strangers) "
            r"(?:is )?(?:com(?:es|ing)|in) (?:in|into|to|over|out|inside)?\s*(?:my|our|the) "
            r"(?:house|home|place)|\b(?:will|would|does|do|is) (?:someone|somebody|anyone|anybody|"
            r"the broker|he|she|they|a broker|a man|a person) (?:have to |need to |going to |gonna "
            r")?(?:come|be coming|show up|stop by|visit)(?: out| over| by)?(?: to| at)? (?:my|our|"
            r"the) (?:house|home|place)|\b(?:have to|need to|do i have to) (?:let|have) "
            r"(?:someone|somebody|anyone|anybody|a stranger|him|her|them) (?:in|into|over)|"
            # "I'm not letting any salesman in my house", "I won't have strangers over"
            r"\b(?:not|never|won'?t|don'?t|wouldn'?t) (?:be )?(?:let(?:ting)?|allow(?:ing)?|"
            r"hav(?:e|ing)|invit(?:e|ing)) (?:anybody|anyone|somebody|someone|people|strangers?|"
            r"salesm[ae]n|a (?:stranger|salesman|salesperson|broker)|any (?:\w+ )?(?:salesm[ae]n|"
            r"salesman|salesperson|strangers?|brokers?|people|one)) (?:in(?:to|side)?|over|come|"
            r"through)\b"
        ),
        "is the consultation by phone or does someone come to my home",
    ),
}
#: Common question → knowledge-base query.
QUESTIONS: dict[str, tuple[re.Pattern[str], str]] = {
    # how we came to contact them: "how'd you get my number?", "who gave you my name?"
    # (answered by the policy)
    "how_contacted": (
        re.compile(
            r"\b(?:how|where) (?:did|do|'?d) (?:you|y'?all|your (?:company|people)|they)(?: guys| "
            r"people| folks)? (?:get|find|come by|come up with|obtain|have) (?:my|our|this) "
            r"(?:number|name|address|phone|info\w*|details)|\bwho gave (?:you|y'?all|your \w+) "
            r"(?:my|our|this) (?:number|name|address|phone|info\w*)|\bi never gave (?:it|my "
            r"(?:number|name|info\w*)) (?:to|out)\b|\bwhy (?:are|is|did|do) (?:you|y'?all|your \w+|"
            r"someone|somebody) (?:calling|call|ringing|phoning) (?:me|here|this (?:number|house))"
            r"\b"
        ),
        "",
    ),
    # someone else on the consultation: "will Junie need to be on that call too?", "can my
    # son listen in?"
    "family_join": (
        re.compile(
            r"\b(?:need|have|has|needs|ought|should|can|could|may|is it (?:ok|okay|all right|alrigh"
            r"t)"
            r" (?:if|for)|would it (?:be|help) (?:ok |okay |all right )?(?:if|for))\b[^.?!]{0,30}"
            r"\b(?:be on|join|listen(?: in)?|be there|sit in|be present|be part of|come on|get on|"
            r"be in on)\b[^.?!]{0,20}\b(?:call|meeting|consultation|appointment|phone|line)\b"
        ),
        "inviting family to join the consultation",
    ),
    # how the broker reaches them: "will they call me at this same number?"
    "how_reached": (
        re.compile(
            r"\b(?:will|would|does|do|is|are) (?:they|he|she|the broker|someone|somebody|you|the "
            r"(?:man|lady|fella|person))(?: going to| gonna)? (?:call|ring|phone|reach|contact) (?:"
            r"me|"
            r"us) (?:at|on) (?:this|the same|my|our|the)(?: same)? (?:number|phone|line|cell|"
            r"landline|home phone)|\bwhat (?:number|phone) (?:will|would|do|does) (?:they|he|she|"
            r"the broker)|\bhow (?:will|would|do|does) (?:they|he|she|the broker|i) (?:reach|"
            r"contact|call|get (?:in touch with|ahold of)) (?:me|us|him|her|them)\b"
        ),
        "",
    ),
    # what the meeting itself costs: "do they charge you for the meeting?", "is the
    # consultation free?" (not the loan's costs)
    "consultation_cost": (
        re.compile(
            r"\b(?:charge|cost|pay|fee|free|price|money|bill)\w*\b[^.?!]{0,30}\b(?:for|of) (?:the|"
            r"that|this|a|your) (?:meeting|consultation|appointment|call|phone call|talk|visit|"
            r"session)\b|\b(?:meeting|consultation|appointment|phone call|session|call with (?:the|"
            r"a) broker|talking to (?:the|a) broker)\b[^.?!]{0,25}\b(?:cost|charge|free|fee|pay|"
            r"money|bill)"
        ),
        "the consultation with the broker is free and no obligation",
    ),
    # who the broker is: "who would I be talking to?", "what's the broker's name?" (answered by
    # the policy with the broker found for the caller, not from the knowledge base)
    "broker": (
        re.compile(
            r"\bwho (?:would|will|am i going to|are we going to|do|'d|'ll) (?:i|we|be) ?(?:be )?"
            r"(?:talk(?:ing)?|speak(?:ing)?|meet(?:ing)?|deal(?:ing)?|work(?:ing)?|chat(?:ting)?)"
            r" (?:to|with)\b|\bwho(?:'s| is| would be| will be) (?:the|my|this|that|our) (?:broker|"
            r"loan officer|specialist|person|advisor|adviser|expert|lender)\b|\bwho(?:'s| is)? "
            r"(?:going to|gonna|would|will) (?:be )?(?:call(?:ing)?|talk(?:ing)? to|meet(?:ing)? "
            r"with|speak(?:ing)? with) (?:me|us)\b|\b(?:what'?s|what is|what'?s) (?:the|his|her|"
            r"their|my) (?:broker'?s? |loan officer'?s? )?name\b(?! again)|\bwhat (?:broker|"
            r"company|lender) (?:would|will|is) (?:i|we|it|this)\b|\bname of (?:the|my) "
            r"(?:broker|loan officer|person)"
        ),
        "who is the broker I would talk to",
    ),
    # where we work: "I'm not sure you even work in Ohio, do you?", "do you cover my area?"
    # (answered by the policy: a broker is found for every state)
    "area": (
        re.compile(
            # "do y'all cover Georgia?"
            r"\b(?:cover|serve|service|do business in|work in|lend in|operate in) (?:all of |the "
            r"state of )?(?:" + "|".join(STATES) + r")\b(?=[^.!]*\?)|"
            r"(?:\b(?:do|does|can|would|will) (?:you|y'?all|your (?:company|people|brokers)|you "
            r"guys|you folks|you all|equity connect)|\byou|\by'?all) (?:even |also |actually |"
            r"still |really )?(?:work|operate|do business|serve|cover|lend|service|do (?:loans|"
            r"these|them|reverse mortgages|business)|help (?:people|homeowners|folks|anyone|"
            r"anybody)|have (?:brokers?|anyone|anybody|someone|somebody|people|offices?))"
            r"(?: [\w']+){0,2}? (?:in|out in|up in|down in|around|near|out here|over here|up "
            r"here|down here)\b(?!\s+(?:the )?(?:mornings?|afternoons?|evenings?|weekends?|winter|"
            r"summer|spring|fall|person|writing)\b)|\b(?:cover|serve|service|work) (?:my|our|this|"
            r"that|the) (?:[\w'-]+ ){0,2}?(?:state|area|town|city|county|region|neck of the woods|"
            r"part of)\b|"
            r"\bare (?:you|y'?all)(?: guys| folks| all)?(?: even| also)? "
            r"(?:licensed|available|in|around|operating|working)(?: in| around| near)? (?:my|our|"
            r"this|the) (?:state|area|neck of the woods|region|town|city|county)\b"
        ),
        "which states and areas do you serve",
    ),
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
            r"what(?: is|'s) (?:a |an |this )?(?:reverse mortgage|hecm|home equity conversion)"
            r"|how (?:does|do|would) (?:it|this|that|a reverse mortgage|reverse mortgages|these)"
            r" (?:thing )?work|explain|tell me (?:more |a little )?about (?:the |a |this |these )?"
            r"reverse mortgage|what (?:are|is) (?:these|this|the) reverse mortgage"
        ),
        "what is a reverse mortgage and how does it work",
    ),
    # "is the interest rate fixed or does it go up?" (worded like the answer)
    "rates": (
        re.compile(
            r"(?:interest rates?|\b(?:fixed|adjustable|variable)[\s-]rate|\brates?\b[^.?!]{0,25}"
            r"(?:fixed|adjust|variable|go(?:es)? up|change|float))(?=[^?]{0,80}\?)|\bwhat(?:'s| is|"
            r" are) the (?:interest|rates?)\b|how much interest"
        ),
        "HECMs come with either a fixed interest rate or an adjustable rate",
    ),
    # "how long does this whole thing take, start to finish?": the steps after the consultation
    "process": (
        re.compile(
            r"how long (?:does|do|will|would) (?:the whole thing|this whole thing|"
            r"the whole process|"
            r"the process|it all|all (?:of )?this|this|it|the loan|getting (?:it|one|the money))"
            r"(?: \w+)? take(?!\s+(?:on|for) the (?:phone|call))|start to finish|what are the "
            r"steps|what (?:happens|comes) (?:next|after(?: that)?)\b"
        ),
        "what happens after the consultation: counseling, then an application",
    ),
    "payments": (
        re.compile(
            r"monthly payments?|make payments|have to (?:pay|repay)(?! (?:the |my |our |any )?"
            r"(?:property )?(?:taxes|tax|insurance))|pay (?:it|anything) "
            r"back|repay"
        ),
        # worded like the answer (no monthly payment; repaid when the home is sold): worded like
        # the question it found the term-payment payout chunk (heldout4/h414)
        "without making a monthly mortgage payment; the loan is repaid when the home is sold or "
        "the borrower moves out",
    ),
    "benefits": (
        re.compile(r"social security|medicare|medicaid|\bssi\b|pension|benefits"),
        "does a reverse mortgage affect social security or medicare",
    ),
    "counseling": (re.compile(r"counsel"), "HUD counseling requirement"),
    "consultation": (
        re.compile(
            # how it is held: "is it in person or on the phone?"
            r"\bin person or (?:on|over|by) (?:the )?phone\b|\b(?:on|over|by) (?:the )?phone or in "
            r"person\b|\b(?:is|will) (?:it|the (?:meeting|consultation)) (?:be )?(?:in person|on th"
            r"e "
            r"phone|over the phone|by phone)\?|"
            r"(?:what|how long).{0,30}(?:consultation|appointment|meeting)|what (?:do|should) i"
            r" (?:need|bring|have ready)|what (?:\w+ ){0,2}(?:should|do|will|would) (?:i|we) "
            r"(?:need|bring|have (?:ready|on hand|handy)|get ready|gather|prepare|have with)|what "
            r"(?:papers|paperwork|documents|documentation)\b"
        ),
        "what happens in the consultation with the broker",
    ),
    "payout": (
        re.compile(
            r"lump sum|line of credit|monthly (?:income|check|deposit|payments?)|payout|how is it "
            r"paid|how do i get the money|(?:all|everything) at once|in one (?:go|chunk|piece|"
            r"check|payment)|(?:bit by bit|a (?:little|bit) at a time|in pieces|as (?:i|we) need "
            r"it|when (?:i|we) need it|spread (?:it )?out|every month)\b.{0,40}\?|"
            r"(?:take|get|draw|receive) (?:the money|it) (?:out )?(?:all|bit|little|monthly|as)"
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
    # "I live on the first floor and my nephew rents the top. Does that matter?"
    "units": (
        re.compile(
            r"(?:\brent(?:s|ing|ed)? (?:out )?(?:part|a (?:room|unit|floor)|the (?:top|upstairs|"
            r"downstairs|basement|other (?:side|half|unit)|apartment|unit)|half)|\brent (?:it|"
            r"that|them|part of it) out\b|\btenants?\b|\b(?:duplex|triplex|fourplex|"
            r"three[\s-]decker|two[\s-]flat|two[\s-]family|multi[\s-]family)\b)(?=[^?]{0,80}\?)"
        ),
        "two-to-four unit homes where the owner lives in one unit",
    ),
    # "is that a problem, that I still work?": the financial assessment looks at income
    "working": (
        re.compile(
            r"(?:\b(?:still|i) (?:work|working|have a job)\b|\bmy (?:job|income|credit)\b|\b(?:bad|"
            r"poor|low) credit\b|\bcredit (?:score|check)\b)(?=[^?]{0,80}\?)"
        ),
        "lenders perform a financial assessment and review income and credit history",
    ),
    "eligibility": (
        re.compile(
            r"(?:do|would|could|can) (?:i|we) qualify|eligib|requirements|who qualifies|"
            r"(?:does|would|will) (?:that|it|this) (?:still )?(?:count|qualify|work|matter|be a "
            r"problem|be an issue)|is (?:that|this|it) (?:a problem|an issue|a deal.?breaker|"
            r"allowed|ok|okay)\b"
        ),
        "at least one borrower must be 62 years of age or older",
    ),
    "upkeep": (
        re.compile(
            r"property tax|homeowner'?s?'? insurance|upkeep|repairs|maintenance(?! mode)|(?:still|"
            r"have to|keep) pay(?:ing)? (?:the |my |our )?(?:taxes|insurance)|pay (?:the|my|our) "
            r"taxes|\bkeep(?:ing)? up (?:with )?(?:the |my |our )?(?:house |home )?(?:insurance|"
            r"taxes|payments on the insurance)|\b(?:house|home|fire|hazard|flood) insurance\b"
        ),
        # worded like the answer: worded like the question it found the set-aside chunk
        "the borrower must keep paying property taxes and homeowners insurance and keep the "
        "home in repair",
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
    r"that|so|whatever)|can do)\b|"
    # "don't ask me their birthdays", "don't worry about it": said, not asked (but "don't
    # you charge a fee", "isn't it a loan")
    r"^(?:(?:ok|okay|so|and|but|well|oh|now)[,:]?\s+)*(?:don'?t|doesn'?t|won'?t|isn'?t|aren'?t|"
    r"wouldn'?t|shouldn'?t)\s+(?!(?:i|you|we|they|he|she|it|that|this|there|the|my|your|our|"
    r"their|his|her|these|those|people|folks|y'?all)\b)"
)
#: a "hello?" down the line, which asks nothing: "Hello? Yes, this is Pat"
_PHONE_HELLO = re.compile(r"(?:^|(?<=[.!?,]\s))(?:hello|hi|hey|yes|yeah|hello there|hi there)\?+")
#: a short guess at a number said rising, not asked: "two-ninety?", "worth maybe four-eighty?"
_GUESS = re.compile(r"(?:^|(?<=[.!?,]))([^.!?,]{1,60})\?")
_NUMBER_WORD = re.compile(
    r"\d|\b(?:[a-z]+ty|[a-z]+teen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|hundred|thousand|million|grand)\b"
)


#: the question asked, said back while thinking: "Worth? Hell, the way Seattle's gone …"
_ECHO = re.compile(
    r"(?:my |the |our )?(?:worth|value|age|zip|zip code|email|name|owe|owed|balance|mortgage)"
)
_HEDGE = re.compile(
    r"(?:maybe|i (?:guess|think|suppose|reckon)|or so|probably|roughly|give or take)"
)


def _rising_guess(match: re.Match[str]) -> str:
    clause = match.group(1).strip()
    guess = (
        (
            len(clause.split()) <= 5
            and _NUMBER_WORD.search(clause)
            and not _QUESTION_START.search(clause)
        )
        or _HEDGE.fullmatch(clause)
        or _ECHO.fullmatch(clause)
    )
    return match.group(1) + ("." if guess else "?")


_CLAUSE_SPLIT = re.compile(
    r"[.!?;:—–]+|\s-+\s|,\s*(?=(?:wait|and|but|so|also|oh)\b)|\bwait\b|"
    # unpunctuated speech-to-text, a question turned mid-sentence: "now if i do this can my
    # daughter still get the house"
    r"(?:(?<=\bthis)|(?<=\bthat)|(?<=\bit)|(?<=\bthen)|(?<=\bnow))\s+(?=(?:can|could|will|would|"
    r"does|do|is|should) (?:my|i|we|you|they|he|she|the)\b)"
)
#: intents answered by the policy itself: no knowledge-base search for them
_POLICY_INTENTS = {
    Intent.ROBOT, Intent.AUTHORITY, Intent.APPOINTMENT_QUERY, Intent.CANCEL, Intent.KEEP,
    Intent.RESCHEDULE, Intent.REPEAT, Intent.HUMAN, Intent.PRIVACY, Intent.STOP_CALLING,
    Intent.HOLD_ON, Intent.CALLBACK, Intent.EMAIL, Intent.WRONG_PERSON,
}  # fmt: skip
_WORRY = re.compile(
    r"worr|concern|afraid|scared|nervous|heard (?:that|you|they)|is it true|what if|what about|"
    r"what happens|don'?t want to lose|not sure about|hesita|inherit|heirs"
)


def _is_question(low: str) -> bool:
    """A question anywhere in the turn: "I'm 67 — wait, do I still pay property taxes?"."""
    low = _PHONE_HELLO.sub(" ", low)  # "Hello? Yes, this is Pat": picking up the phone
    low = _GUESS.sub(_rising_guess, low)  # "worth maybe four-eighty? four-ninety?": a guess
    if "?" in low:
        return True
    return any(
        _QUESTION_START.search(part.strip()) and not _NOT_A_QUESTION.search(part.strip())
        for part in _CLAUSE_SPLIT.split(low)
    )


#: a question about what was just said: "that true or not?", "is that right?", "is it?"
_ABOUT_THAT = re.compile(
    r"^\W*(?:(?:so|and|well|now)\W+)?(?:is |was )?(?:that|it|this)(?:'s| is)? (?:true|right|"
    r"so|correct|a fact|how it works)\b|^\W*(?:is|was|does|would) (?:that|it|this)\b|^\W*true\b"
)


def _asked_or_worried(low: str) -> list[str]:
    """The sentences of a turn that ask something or voice a worry: where a concern is said
    ("we've got the grandkids most days. Is there any way to do a Saturday?" asks of days,
    not of heirs)."""
    sentences = [p for p in re.split(r"(?<=[.!?])\s+", low) if p.strip()]
    out = []
    for i, p in enumerate(sentences):
        if p.rstrip().endswith("?") or _is_question(p) or _WORRY.search(p):
            if i and _ABOUT_THAT.search(p):
                out.append(sentences[i - 1])  # "… the bank steals your house. That true or not?"
            out.append(p)
    return out


def _topic(heard: Heard, low: str) -> None:
    concerned = " . ".join(_asked_or_worried(low))
    matched: list[str] = []
    for key, (pattern, _query) in OBJECTIONS.items():
        if pattern.search(low):
            if key not in ("scam", "fees", "home_visit") and not pattern.search(concerned):
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
    if heard.topic and heard.objection and heard.topic in ("amount", "consultation_cost"):
        heard.objection = None
    if heard.objection == "home_visit" and heard.topic == "consultation":
        heard.topic = None  # "does he come to the house or is it over the phone?": answered so
    if heard.topic == "how_reached":
        heard.intents.discard(Intent.CALLBACK)  # "will they call me at this number?": asked
    if (
        heard.topic in ("consultation_cost", "consultation")
        and heard.question
        and Intent.BOOK in heard.intents
        and not BOOKING.search(re.sub(r"\b(?:consult\w*|appointments?|meetings?)\b", " ", low))
    ):
        heard.intents.discard(Intent.BOOK)  # "does the consultation cost money?": asked about


def kb_query(heard: Heard) -> str | None:
    """What to search the knowledge base for, if the caller asked or objected."""
    if heard.objection:
        return OBJECTIONS[heard.objection][1]
    if heard.topic:
        return QUESTIONS[heard.topic][1]
    if heard.question and len(heard.text) > 8 and not heard.intents & _POLICY_INTENTS:
        return heard.text[:300]
    return None
