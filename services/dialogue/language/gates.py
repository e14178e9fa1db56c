"""The gates: the caller owns the home, and it is their primary residence."""

from __future__ import annotations

import re

from services.dialogue.language.corrections import _RETRACT, _WEAK_RETRACT
from services.dialogue.language.heard import Expect, Heard

_NOT_OWN = re.compile(
    # "I signed it over to my daughter a few years back, so it's in her name now"
    r"\bsigned (?:it|the (?:house|home|place|deed)) over to\b|"
    # "technically my son has owned it since 2015 … I pay him a little rent"; "my name isn't on
    # the deed at all"
    r"\b(?:my|our) (?:son|daughter|kids|children|nephew|niece|grand(?:son|daughter))\b (?:has |"
    r"had |now |actually |technically )*(?:(?:owned|owns|holds) (?:it|the (?:house|home|place|"
    r"deed|title))|has the (?:deed|title))\b|\b(?:i|we) pay (?:him|her|them|my \w+) (?:a little |"
    r"some |a bit of )?rent\b|"
    r"\b(?:my|our) names? (?:isn'?t|is not|aren'?t|are not|'s not|are n't) on (?:the )?(?:deed|"
    r"title)|"
    # "my son put it in his name" (a child's, not a husband's: "it's in his name" of a husband
    # is the household's home, asked of him)
    r"\b(?:son|daughter|kids|children|nephew|niece|grand(?:son|daughter|kids|children)|brother|"
    r"sister)\b[^.!?]{0,40}\b(?:put|transferred|moved|signed) (?:it|the (?:house|home|place|deed|"
    r"title)) (?:in|into|under|to|over to) (?:his|her|their) names?\b|"
    r"\b(?:it'?s|it is|the (?:house|home|deed|place) is) (?:all )?in my (?:son|daughter|kids?|"
    r"children)'?s? names?\b|"
    r"(?:don'?t|do not|doesn'?t|does not|never) own\b|\bnot (?:the |a )?(?:home ?)?owners?\b|"
    r"\b(?:i|we) (?:just |only )?rent (?:my|our|an?|the|this|a little) (?:apartment|place|house|"
    r"home|unit|condo|room|trailer|duplex|townhouse|mobile|space|flat)|\b(?:we'?re|i'?m|we are|i"
    r" am) (?:just |only |still )?(?:renters?|tenants?|renting)\b(?! (?:it |the \w+ )?out)|"
    r"(?<!the )(?<!our )(?<!my )(?<!a )\brenters?\b|\bit'?s a rental"
    r",? (?:i|we) (?:don'?t|do not)|(?<!me and )(?<!i and )\b(?:my|our|the) (?:son|daughter|kids?|c"
    r"hildren|family|"
    r"parents?|mother|father|mom|dad|brother|sister|landlord|niece|nephew|grandson|"
    r"granddaughter|friend|boyfriend|girlfriend|landlady|uncle|aunt|cousin)(?:'s)? (?:owns?|holds?"
    r" the (?:title|deed)|has the (?:title|deed))\b|\bbelongs? to (?:my|our|the) (?:son|daughter|"
    r"kids|children|landlord|parents?|family|mother|father|mom|dad)|\b(?:in|under) (?:my|our) "
    r"(?:son|daughter|kids?|children|parents?|mother|father|mom|dad|brother|sister)'?s? names?|"
    # "it's my brother's, I rent it from him"
    r"\b(?:it'?s|it is|the (?:house|home|place) is|that'?s) (?:really |actually )?(?:my|our) "
    r"(?:son|daughter|kids?|children|family|parents?|mother|father|mom|dad|brother|sister|"
    r"landlord|landlady|niece|nephew|grandson|granddaughter|friend|uncle|aunt|cousin)"
    r"(?:-in-law)?'s\b(?!\s+(?:e-?mail|phone|number|address|car|idea|account|cell))|"
    r"\b(?:i|we) rent (?:it|the (?:house|home|place)|a room|there)? ?from\b|"
    # "no, it's not mine, my son bought it years ago, it's in his name"
    r"\b(?:it'?s|its|it is|the (?:house|home|place) is) not (?:mine|ours)\b|\b(?:my|our) (?:son|"
    r"daughter|kids|children|nephew|niece|grand(?:son|daughter)|brother|sister)\b(?: \w+)? "
    r"(?:bought|owns|purchased) (?:it|the (?:house|home|place))\b|\b(?:son|daughter|kids|children|"
    r"nephew|niece|grand\w+|brother|sister)\b[^.!?]{0,60}\b(?:it'?s|its|it is) (?:all )?in (?:his|"
    r"her|their) names?\b"
)
_RENT = re.compile(
    r"\b(?:we|i) (?:just )?rent\b(?!(?: \w+){0,3} out\b)(?! (?:out )?(?:the |a |one |two )?"
    r"(?:top|upper|bottom|lower|other|upstairs|downstairs|basement|back|front|garage|spare)\b)|"
    r"\brenting\b(?! out)|\brenters?\b|"
    r"\btenants?\b|\blease\b|\blandlord\b|"
    r"(?:don'?t|do not) own|not (?:the )?(?:home)?owners?|(?:my|our) (?:son|daughter|kids?|"
    r"family)'?s? (?:house|home|place)|live with my (?:son|daughter|kids)|apartment|"
    # the deed passed to someone else: "we put the house in my son Danny's name", "only his name
    # now" (not "she owns it, it's just in her name")
    r"\b(?:put|signed|deeded|transferred|gave|moved) (?:the (?:house|home|place|deed|title)|it) "
    r"(?:over )?(?:in|to|into) (?:my|our|his|her) (?:son|daughter|kids?|children|nephew|niece|"
    r"grand\w+|boy|girl)|\b(?:only|just) (?:in )?(?:his|her|their) names? (?:now|anymore)\b"
)
_OWN = re.compile(
    r"\b(?:we|i) (?:do )?own\b|own (?:it|the (?:house|home|place)|our|my)(?!\?)|"
    r"\b(?:it'?s|it is|the (?:house|home|place) is|that'?s) (?:all )?(?:mine|ours)\b|"
    r"homeowners?\b(?!'?s? (?:insurance|association|policy|exemption))|"
    r"in (?:my|our) name|paid (?:it |that |(?:the|my|our) (?:house|home|mortgage|loan|place) )?"
    r"off|we bought|i bought|owned it|\boutright\b|free and clear|\bpaid for\b(?! (?:the|a|an|"
    r"it|my|our|by|with)\b)|(?:my|our) (?:wife|husband|spouse|partner) "
    r"(?:and i )?owns?\b|\bown(?:s|ed)? (?:a|the|this|that|my|our) (?:[a-z]+ )?"
    r"(?:house|home|place|condo|property)|"
    # "I've got a paid-off house", "we have a little place"
    r"\b(?:i|we)(?:'ve| have)? got (?:a|the|our|my) (?:[a-z]+(?:-[a-z]+)? )?(?:house|home|condo|"
    r"place)\b|\b(?:i|we) have (?:a|the) (?:[a-z]+(?:-[a-z]+)? )?(?:house|home|condo)\b(?! (?:to|"
    r"for|that i|that we) rent)|\bpaid-off (?:house|home|condo|place)\b|"
    # a mortgage on their own house: "I still owe about 180 on my house"
    r"\b(?:owe|mortgage|loan|balance)\b[^.?!]{0,40}\bon (?:my|our) (?:house|home|condo|place)\b|"
    # "I live alone in my house": their own, and they live there
    r"\b(?:i|we) live (?:alone |by (?:myself|ourselves) |on (?:my|our) own )?in (?:my|our) "
    r"(?:own )?(?:house|home|condo)\b|"
    # "it's my house, a three-decker", "my name's on it"
    r"\b(?:it'?s|it is|that'?s|this is) (?:all )?(?:my|our) (?:own )?(?:house|home|place|condo)\b"
    r"(?! (?:you|that|i'?m|we'?re|they)\b)|\b(?:my|our) names?(?:'s| is| are|'re)? (?:still )?on "
    r"(?:it|the (?:deed|title|house|home))\b|"
    # owned with someone: "me and my sister own it together", "my brother and I own it"
    r"\b(?:me and (?:my|our) \w+|(?:my|our) \w+ and (?:i|me)) (?:both )?(?:co-?)?owns?\b|"
    # "it's both of ours, his name and mine", "nobody's name on that deed but mine"
    r"\bboth of ours\b|\b(?:his|her) name and mine\b|\bmy name and (?:his|hers)\b|"
    r"\bnobody(?:'s| else'?s) name (?:is )?on (?:it|that|the) ?(?:deed|title)? ?but mine\b|"
    r"\b(?:only|just) my name(?:'s| is)? on (?:it|the (?:deed|title))\b|"
    # "we're both on the deed", "I'm the only one on the title"
    r"\b(?:i'?m|i am|we'?re|we are|we'?re both|both of us are|we both are|\w+ and (?:me|i) are|"
    r"me and \w+ are)(?: both| the only (?:ones?|name))?(?: still)? (?:on|named on) (?:the )?"
    r"(?:deed|title|paperwork for the (?:house|home|place))\b|"
    # "the house is mine", "the place is ours"
    r"\b(?:house|home|place|condo|property|title|deed)(?:'s| is| was) (?:all |really |still |"
    r"entirely )?(?:mine|ours|hers|theirs|in my name|in our names?)\b"
)
#: the owner's home, said by a relative speaking for them on the line: "it's her house, just
#: her on the deed since Dad died" (said of oneself, someone else's house)
OWNER_OWNS = re.compile(
    r"\b(?:it'?s|it is) (?:all )?(?:her|his) (?:own )?(?:house|home|place|condo)\b|"
    r"\b(?:just|only) (?:her|him|mom|dad|mother|father)(?: name)? on (?:the )?(?:deed|title)\b|"
    r"\b(?:she|he|mom|dad|my (?:mom|mother|dad|father)) (?:owns|has owned) (?:it|the (?:house|"
    r"home|place))\b"
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
    # "I don't actually live there anymore, I moved into a rented apartment"
    r"\b(?:i|we) (?:don'?t|do not) (?:actually |really )?live (?:there|in it|in that (?:house|"
    r"home)) (?:anymore|any more|now|these days)\b|"
    # the home asked about is not the one they live in: "it's the condo I'd want to borrow
    # against", "a loan on our lake house"
    r"\b(?:borrow|a loan|loan|mortgage) (?:against|on) (?:the|a|our|my) (?:condo|cabin|second|"
    r"other|vacation|rental|winter|summer|beach|lake)\b|"
    r"\b(?:the )?(?:condo|cabin|second (?:home|house)|"
    r"other (?:house|place)|rental)\b (?:is what |is the one |that )?(?:i'?d|we'?d|i|we) (?:want|"
    r"like|need|wish) to (?:borrow|use|take a loan)|"
    # "down here from Thanksgiving till Easter, then back up to Toledo for the rest of the year"
    r"\bback (?:up |down |over |home )?to [\w' ]{2,30}? for the rest of the year\b|"
    # (not a trip, a company or a question: "going on vacation", "burned by a timeshare outfit",
    # "is it a good investment?")
    r"vacation(?! next| this| last| in\b| to\b| with\b)|second home|summer (?:home|place|house)|"
    r"winter (?:home|place)|rental propert|it'?s a rental|a rental|rent (?:it|the (?:house|home|"
    r"place)|them) out|(?:an?|as an|for|our|my) investment(?! (?:advis|guy|compan|firm|bank))|"
    r"cabin|"
    r"don'?t live (?:there|in it)|do not live (?:there|in it)|"
    r"\b(?:not|no longer|never) (?:living|staying|live|stay) (?:there|in it|in the (?:house|home))|"
    # someone else lives in it: "my grandson rents the Naperville place now"
    r"\b(?:my \w+|a tenant|tenants|renters|someone|somebody|they) (?:rents?|is renting|are renting|"
    r"lives? in|is living in|are living in) (?:the|my|our|that) (?:[a-z]+ )?(?:place|house|home|"
    r"condo)\b(?![^.?!]{0,25}\b(?:with (?:me|us)|too|as well)\b)|"
    # living at a relative's now: "since my hip surgery I've been staying with my daughter"
    r"\b(?:i'?ve been|i been|i'?m|i am|we'?ve been|we'?re|we are|i now|we now|now i|now we) "
    r"(?:living|staying|live|stay) (?:with|at) (?:my|our) (?:daughter|son|kids|children|sister|"
    r"brother|niece|nephew|grand\w+|family|in-laws|\w+-in-law)(?:'s)?\b(?! (?:for (?:the|a) "
    r"(?:week|weekend|few days|couple (?:of )?(?:days|weeks))|till|until|while))|"
    # not going back: "I don't expect to move back", "we won't be going back there"
    r"\b(?:don'?t|do not|won'?t|will not|not) (?:expect|plan|planning|intend|going|be going|be "
    r"moving|ever) (?:to )?(?:move|go|going|moving|live) back\b|"
    # "I've been at Heritage Place, the assisted living, two years"
    r"\b(?:i'?ve been|i been|i'?m|i am|we'?ve been|we'?re) (?:living |staying )?(?:at|in) "
    r"[^.!?]{0,40}\b(?:assisted living|nursing home|care (?:home|facility|center)|memory care)\b|"
    r"snowbird|half (?:the|of the) year|part of the year|weekend place|lake house|beach house|"
    r"timeshare(?! (?:outfits?|compan\w+|people|folks|salesm\w+|scams?|pitch\w*|presentations?|"
    r"guys?|thing|deal))|not (?:my|our) (?:main|"
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
#: part of the year in the home (which home is meant, the words about living there decide):
#: "we go down January to March", "three months a year", "the rest of the year we live up here"
_PART_YEAR = re.compile(
    # there some months a year: "we go down January to March", "we're there from May till
    # October"
    r"(?:\b(?:go|head|come|drive|fly|are|am|be|stay|live|spend(?: time)?|winter|summer)|'m|'re)"
    r"(?: down| up| out| "
    r"over)?(?: (?:here|there))?(?: (?:in|for|during))?(?: from)? (?:the )?(?:winter|summer|"
    rf"{_MONTH}) (?:to|through|thru|till|until|and) {_MONTH}\b|"
    # "three months a year", "a few weeks every summer"
    r"\b(?:(?:one|two|three|four|five|a few|a couple(?: of)?|some|several) (?:months?|weeks?)|"
    r"(?:the|every|each) (?:winters?|summers?)) (?:a|of the|each|every|per) (?:year|summer|"
    r"winter)\b|"
    # the rest of the year somewhere else: "the rest of the year we live up here in Akron"
    r"\b(?:(?:the )?rest of the (?:year|time)|most of the year),? (?:we|i) ?(?:live|are|'re|stay|"
    r"'m|am|spend)\b|"
    # "we only use it in the winter months", "we only go there for the summer"
    r"\bonly (?:use|go to|visit|open up|stay in|stay at) (?:it|the (?:house|place|condo|home)|"
    r"there)(?: (?:in|for|during) (?:the )?(?:winters?|summers?|season|holidays|winter months|"
    r"summer months))"
)
#: the caller lives in another home than the one they own: "I live with my daughter"
_KIN = (
    r"(?:son|daughter|kids|children|sister|brother|family|mother|father|mom|dad|parents|grand\w+|"
    r"niece|nephew|friend|boyfriend|girlfriend)"
)
_LIVES_ELSEWHERE = re.compile(
    r"\b(?:i|we) (?:now |actually |really )?(?:live|stay|am living|are living|'m living|'re "
    rf"living|moved in) with (?:my|our) {_KIN}|\b(?:i|"
    r"we) (?:now |actually |really )?live in (?:an? |my |our )?(?:apartment|rental|rented|"
    r"(?:son|daughter|sister|brother)'s)"
)
#: living with family somewhere said: "we live up here in Akron with our daughter" (away from
#: the home: "up", "out", "over"), "I live in Duluth with my son" (another town than the home's)
_LIVES_AWAY = re.compile(
    r"\b(?:i|we) (?:now |actually |really |mostly )?(?:live|stay|am living|are living|'m living|"
    r"'re living|moved)(?: (up|down|out|over|back)(?: (?:here|there))?)?(?: in ((?!(?:it|the|my|"
    r"our|this|that|a|an|her|his|their|there|here)\b)[\w'-]+(?: [\w'-]+)?))? with (?:my|our) "
    + _KIN
)
_PRIMARY = re.compile(
    # "every day of the year", "all year long", "three hundred sixty-five days a year"
    r"\bevery (?:single )?day of the year\b|\ball year (?:round|long)\b|\b365 days\b|"
    r"\bthree hundred (?:and )?sixty[- ]five days\b|"
    # "we spend February with our daughter, but this is home, eleven months of the year"
    r"\bthis is (?:our |my )?home\b(?! (?:equity|loan|value|insurance))|"
    r"\b(?:eleven|ten|nine|1[01]|9) months (?:of|out of) (?:the|every) year|"
    r"live (?:there|in it|here|in the (?:house|home))|(?:live|lived|living) their\b|full.?time|"
    r"year.?round|all year|primary|"
    r"main (?:home|house|residence)|(?:our|my) home\b|where (?:we|i) live|(?:we|i) live in|"
    r"(?:we|i)'?ve lived|only home|live in (?:my|our|the) (?:own )?(?:house|home|place|condo)|"
    r"\blive (?:alone|by (?:myself|ourselves)|on (?:my|our) own) in\b|"
    r"\bonly (?:place|house) (?:i|we) (?:live|have|got)\b|"
    # "I'm on the first floor and I rent the top two"
    r"\b(?:i'?m|we'?re|i am|we are) (?:on|in) the (?:first|second|third|ground|top|bottom|main|"
    r"upper|lower|front|back) (?:floor|unit|apartment|half|side)\b|"
    r"\bown and live\b|\blived (?:there|here|in it) (?:for )?(?:over |almost |nearly |about )?"
    r"(?:[\w-]+ )?(?:years|decades)|\blived (?:there|here|in it) since|\bs?he (?:still )?lives "
    r"(?:there|here|in it)|\bs?he'?s lived (?:there|here|in it)|"
    # one unit of their own two-family: "I live downstairs, my nephew rents upstairs"
    r"\b(?:i|we) live (?:downstairs|upstairs|in the (?:front|back|other|upper|lower|basement) "
    r"(?:unit|half|side|floor|apartment)|on the (?:first|second|third|ground|top|bottom|main|"
    r"upper|lower)(?: (?:two|three|\d))? floors?)|"
    # "we're right here in it", "I'm still in it"
    r"\b(?:i'?m|we'?re|i am|we are) (?:right |still |yet )*(?:here |there )?in it\b|"
    # "I live right here in it", "still living in the same house my dad built"
    r"\b(?:i|we)(?:'m|'re| am| are)? (?:still )?liv(?:e|ing) (?:right )?(?:here |there )?in (?:it|"
    r"the (?:same )?(?:house|home|place))\b|\bstill living in (?:it|the (?:same )?(?:house|home|"
    r"place))\b|"
    # "been living in it since '82", "I've been in it since the kids were little"
    r"\b(?:been|'ve been|have been|has been) (?:living )?(?:in it|there|here|in the (?:house|"
    r"home|place))\b(?! (?:before|once|twice))|\bliving (?:in it|there|here) (?:since|for)\b"
)
_DONT_RENT = re.compile(r"(?:don'?t|do not|never) rent\b")


#: words that say it is not so: "not a snowbird", "it's no vacation home", "we don't have a
#: summer place"
_NEGATED = re.compile(
    r"(?:\b(?:not|no|never|nor|without)|n't)\s+(?:(?:have|own|got|a|an|any|really|just|some|like|"
    r"one of those|one of them|even|ever)\s+){0,3}$"
)


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
            r"\b(?:sold|used to (?:have|own)|had|got rid of|no longer (?:have|own)|buying|buy|"
            r"selling|sell (?:me|us)|pitch(?:ing)? (?:me|us)|interested in|want) (?:the |our |"
            r"my |a |that |any |one of those )?$",
            low[: match.start()],
        )  # fmt: skip  ("I'm not buying a timeshare": none of theirs)
        negated = _NEGATED.search(low[: match.start()]) and not re.match(
            r"(?:don'?t|do not) live", match.group()
        )
        if took_back or sold or negated:
            chars[match.start() : match.end()] = " " * (match.end() - match.start())
    return "".join(chars)


def _same_place(said: str, city: str) -> bool:
    return said.lower().startswith(city.lower()) or city.lower().startswith(said.lower())


def lives_elsewhere(low: str) -> bool:
    """ "I live with my daughter down in Lakewood now": the caller lives somewhere else."""
    return bool(_LIVES_ELSEWHERE.search(low) or _LIVES_AWAY.search(low))


#: the home, in so many words
_HOME_WORDS = re.compile(
    r"\b(?:house|home|place|condo|live|living|lived|own|owned|mine|ours|deed|title|rent|year|"
    r"there|here|in it)\b"
)


#: the offer turned down, not the question answered
_TURNED_DOWN = re.compile(
    r"\bno,? thank(?:s| you)\b|\bnot interested\b|\bno (?:more )?debts?\b|\bnever (?:no |any )?"
    r"(?:debts?|loans?)\b|\b(?:don'?t|do not) want (?:a |any |no )?(?:loans?|debts?|part of)|"
    r"\b(?:stick|stay|staying|sticking) with\b"
)


def _answers_the_gate(low: str) -> bool:
    """A bare "yes" or "no" answers the gate question asked when little else is said or what
    is said is about the home; "No, that's everything. You've been very kind." and "No, I'll
    stick with family." are about something else."""
    rest = re.sub(
        r"^\W*(?:(?:oh|well|um|uh|mm-?hmm+|uh-?huh|mhm+|yes|yeah|yep|yup|no|nope|nah|sure|of course"
        r"|i do|we do|i don'?t|"
        r"we don'?t|ma'?am|sir|dear|hon|honey)\W+)*", "", low
    )  # fmt: skip
    if _TURNED_DOWN.search(low):
        return (
            False  # "no no no, never no debts on the house, no thank you": the loan, not the home
        )
    # "Mm-hmm, with my two cats, and my grandson on weekends": who lives there with them
    living_with = re.match(r"(?:just |only )?(?:me )?(?:and |with )(?:my|our|the) ", rest)
    return len(rest.split()) <= 3 or bool(_HOME_WORDS.search(low)) or bool(living_with)


def _asked(low: str, pattern: re.Pattern[str]) -> bool:
    """Every match of ``pattern`` is inside a question ("would I have to put out the
    tenants?")."""
    found = list(pattern.finditer(low))
    return bool(found) and all(re.match(r"[^.!?]*\?", low[m.end() :]) is not None for m in found)


#: how long, said as the answer to "is that the home you live in?": "Since 1988.", "oh since
#: 1966 green bay", "Thirty-one years in Upper Arlington", "forty years this June"
_TENURE = re.compile(
    r"^\W*(?:(?:oh|well|yes|yeah|sure|why|heavens|gosh),?\s+)*(?:since (?:\d{4}|'\d\d|nineteen "
    r"\w+|the (?:\w+ )?(?:fifties|sixties|seventies|eighties|nineties)|(?:we|i) (?:bought|built|"
    r"moved|got married))|(?:going on |almost |nearly |over |about )?(?:\d+|[a-z]+(?:[- ][a-z]+)?) "
    r"years(?: now| there| in\b| this| come|,|\.|$))"
)


def _gates(heard: Heard, low: str, expect: Expect) -> None:
    rent_out = re.search(
        r"rent (?:it|the (?:house|home|place)|them)(?: out)?\b(?! from)|rent(?:ing)? out|"
        r"rent (?:the |my |our )?(?:[\w'-]+ )?(?:house|home|place|condo) out\b|"
        r"rent (?:out )?the (?:top|upper|bottom|lower|other|upstairs|downstairs|basement|back|"
        r"front|garage|spare)\b|rental "
        r"propert|investment propert|an investment|tenants? (?:live|in it|there|pay)", low
    )  # fmt: skip
    rental = re.search(r"\ba rental\b", low)
    away = _LIVES_AWAY.search(low)
    elsewhere = (
        _LIVES_ELSEWHERE.search(low)
        or (away and away.group(1))
        or (away and away.group(2) and heard.city and not _same_place(away.group(2), heard.city))
    ) and (
        expect == Expect.PRIMARY or re.search(r"\b(?:i|we) (?:do )?own\b", low)
    )  # "I own a house in Ponce, but I live in an apartment": not the home they live in
    part_year = _PART_YEAR.search(low) and not _PRIMARY.search(low)
    if _NOT_PRIMARY.search(_gate_words(low)) or elsewhere or part_year:
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
    elif (
        _RENT.search(low)
        and heard.homeowner is None
        and heard.primary_residence is not False
        # "would I have to put out the tenants?": asked, not said (but "we rent, does that
        # matter?" answers "do you own it?")
        and (expect == Expect.HOMEOWNER or not _asked(low, _RENT))
    ):
        heard.homeowner = False
    elif expect == Expect.HOMEOWNER and _OWN_WEAK.search(low) and not heard.question:
        heard.homeowner = True
    elif _OWN_POSSESSIVE.search(low) and heard.primary_residence and not heard.question:
        heard.homeowner = True  # "our house is in Aurora, we live there"
    if (
        expect == Expect.PRIMARY
        and heard.primary_residence is None
        and not heard.question
        and _TENURE.match(low)
    ):
        heard.primary_residence = True  # "Since 1988. In Chula Vista", "thirty-one years there"
    if expect == Expect.HOMEOWNER and heard.homeowner is None and heard.mortgage_balance == 0:
        heard.homeowner = True  # "nope, nothin' owed on it": the "no" is to owing, not owning
    elif (
        expect == Expect.HOMEOWNER
        and heard.homeowner is None
        and (heard.yes or heard.no)
        and _answers_the_gate(low)
    ):
        heard.homeowner = heard.yes and not heard.no
    if (
        expect == Expect.PRIMARY
        and heard.primary_residence is None
        and (heard.yes or heard.no)
        and _answers_the_gate(low)
    ):
        heard.primary_residence = heard.yes and not heard.no
    if heard.homeowner is False and not rent_out:
        heard.primary_residence = None  # a tenant: there is no owned home to live in or not
