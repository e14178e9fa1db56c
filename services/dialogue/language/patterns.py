"""What each :class:`Intent` sounds like: the intent table, first read on every turn."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Intent
from services.dialogue.language.lender import OTHER_LENDER
from services.dialogue.language.vocabulary import RELATIONS

#: someone who looks after the homeowner: "I'm a home health aide for one of my clients"
_CARE_FOR = (
    r"\b(?:i'?m|i am|i work as) (?:a|an|the|her|his|their) (?:[\w-]+ ){0,2}(aide|caregiver|care "
    r"giver|caretaker|nurse|helper|assistant|housekeeper|companion|social worker|case manager) "
    r"(?:for|to|of|with) (?:(?:one of )?my (?:clients?|patients?)|(?:mrs|mr|ms|miss|mister|"
    r"missus)\b|her\b|him\b|them\b|an? (?:elderly|older|senior)|the (?:homeowner|owner|lady|"
    r"gentleman|woman|man|person|family))|"
    # "I look after Mr. Abernathy's household"
    r"\bi (?:(look after|take care of|keep house for|clean for|cook for|work for)) (?:mrs|mr|ms|"
    r"miss|mister)\b"
)
_INTENT_PATTERNS: dict[Intent, re.Pattern[str]] = {
    Intent.STOP_CALLING: re.compile(
        # "told me to tell you folks not to phone this house anymore", "nobody should ring here
        # again"
        r"\b(?:not|never|no ?(?:body|one))(?: from (?:your|that|the|this) \w+(?: over there)?)? "
        r"(?:to |should |(?:will |would |'ll )?)?(?:ever )?"
        r"(?:call|phone|ring|contact|bother)(?:s|ed|ing)? (?:me|us|her|him|them|here|this "
        r"(?:house|number|home|line|phone))\b[^.?!]{0,20}\b(?:again|anymore|any more|ever)\b|"
        r"stop (?:calling|contacting|phoning|bothering|ringing)|"
        # "whoever's got my number can go ahead and lose it", "I don't care to hear from y'all"
        r"\blose (?:my|this|the) (?:number|phone number)\b|"
        r"\b(?:got|has|have) my number\b[^.?!]{0,40}\blose it\b|"
        r"\b(?:don'?t|do not) (?:care|want|wish|need) to hear from (?:you|y'?all|your \w+|anyone|"
        r"anybody)\b[^.?!]{0,20}\b(?:again|anymore|any more|ever)\b|"
        # "I'd like this to be the last time anyone from your outfit rings this house"
        r"\blast time (?:anyone|anybody|someone|somebody|you|y'?all|your \w+)\b[^.?!]{0,30}\b"
        r"(?:calls?|rings?|phones?|contacts?|bothers?)\b|"
        r"don'?t (?:ever )?(?:call|contact|phone) (?:me|us|here|this number)|do not (?:call|"
        r"contact)|take (?:me|us|my (?:name|number))"
        r" off|remove (?:me|us|my (?:name|number))|off (?:your|the) (?:list|calling list|"
        r"call list)|quit calling|never call|no more calls|unsubscribe|do.?not.?call list|"
        r"leave (?:me|us) alone"
    ),
    Intent.NOT_INTERESTED: re.compile(
        r"not interested|no interest|don'?t (?:want|need) (?:it|one|a reverse|that|this|"
        r"any(?!body|one|where|how|way))|"
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
        r"\b(?:about to|just about to|fixing to|getting ready to) (?:head|go|leave|step|run) "
        r"(?:out|off)\b|\bheading out\b|\b(?:have|got|gotta) to (?:run|go) (?:now|soon)\b|"
        r"not a good time|bad time|busy right now|(?:right )?now'?s no good|now is no good|"
        r"(?:right )?now'?s not (?:good|great)|i'?m busy|we'?re busy|(?:call|try) (?:me |us )?"
        r"(?:back )?later|another time|i'?m driving|can'?t talk|at work|on my way out|"
        r"not right now|not now|isn'?t a good time|not (?:a )?good time|not this (?:year|month)|"
        r"maybe next (?:year|month|spring|summer|fall|winter)|when things (?:settle|calm)|"
        r"\b(?:i'?ll|we'?ll) (?:call|reach out|get back|ring)(?: to)?(?: you| us)?(?: back)?"
        r"(?: again)? (?:when|once|after)\b|when (?:i'?m|we'?re) ready|"
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
        r"months)(?:\s*(?:or so|or two))?(?=\s*(?:[.,;!?]|$))|"
        # out and about right now: "I'm standing in line at the pharmacy right now"
        r"\b(?:i'?m|we'?re|i am|we are) (?:standing |waiting |sitting |stuck )?(?:in (?:a |the )?"
        r"(?:line|queue|checkout|car|traffic|waiting room|meeting)|at (?:the |a )?(?:\w+ )?(?:store"
        r"|pharmacy|drugstore|doctor'?s?|dentist|bank|hospital|clinic|post office|airport|gym|mall|"
        r"market|counter|office)|out (?:shopping|running errands|and about)|on the (?:road|bus|"
        r"highway))\b[^.?!]{0,30}\b(?:right now|at the moment|just now)\b|"
        # "it's just too early for us", "a bit too soon"
        r"\btoo (?:early|soon) for (?:us|me)\b|\b(?:it'?s|it is|that'?s|that is|a bit|a little|"
        r"just|way|still|much) too (?:early|soon)\b(?! (?:in the (?:morning|day)|to (?:apply|"
        r"qualify|ask|call|tell|know|say)))"
    ),
    Intent.OTHER_LENDER: OTHER_LENDER,
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
        r"(?:someone|somebody|the broker|a broker|him|her|a specialist|an expert|'?em\b|them\b|"
        r"whoever)|speak (?:to|with)"
        r" (?:someone|somebody|the broker|a broker|a specialist)|meet (?:with|the)|sit down with|"
        r"let'?s do (?:it|this)|(?<!when )(?<!once )(?<!until )(?<!till )(?<!if )(?<!not )"
        r"(?:i'?m|we'?re) ready\b(?! (?:to (?:hang up|go(?! ahead| forward)|leave|stop)|for "
        r"(?:bed|dinner)))|next step|get started|move forward|"
        r"go ahead and|let'?s set|make an? (?:time|appointment)|"
        # "I want to get this set up", "can you get me on the calendar?"
        r"\bset (?:this|it all|all this|everything) up\b|\bget (?:this|it|that|one|something|me|us|"
        r"things) (?:set up|scheduled|booked|on the (?:calendar|books|schedule))\b|"
        # asking for a time: "do you have anything Tuesday at two?", "any openings Friday?"
        r"\b(?:do|would|did|will) you (?:guys |folks |all )?(?:have|got) (?:anything|something|any"
        r"(?:thing)? (?:open|available|free)|any (?:openings?|times?|slots?|availability|"
        r"appointments?)|an? (?:opening|slot|time|appointment)|availability|openings?)(?: open| "
        r"available| free| left)?\s+(?:on |for |at |this |next |in the |later |early )?(?:mon|tue|"
        r"wed|thu|fri|sat|sun|tomorrow|today|morning|afternoon|evening|week|\d|one\b|two\b|three\b|"
        r"four\b|five\b|ten\b|eleven\b|noon)|\bany (?:openings?|availability)\b|\bwhat (?:times|"
        r"days|openings|slots) (?:do you have|are (?:open|available|there))"
    ),
    Intent.GOODBYE: re.compile(
        # ("that's all you get for now", "that's all I know": no goodbye)
        r"\b(?:bye|goodbye|good bye|bye bye|that'?s (?:all(?! right| you| i\b| i'?ll| we)|it|"
        r"everything)|"
        r"that is (?:all(?! right)|it)|"
        r"nothing else|have a (?:good|nice|great|lovely|blessed) (?:day|one|evening|night)|"
        r"talk (?:to you )?(?:later|soon)|i'?m (?:all )?set|we'?re (?:all )?set|all good|"
        r"no more questions|i'?m good|we'?re good)\b"
    ),
    Intent.THANKS: re.compile(r"\bthank|\bappreciate"),
    Intent.EMAIL: re.compile(
        r"\be-?mail\b|\b(?:like|want|have|get) (?:it|them|that|those) e-?mailed\b|\be-?mailed,? "
        r"please\b|send (?:me |us )?(?:something|(?:the |some |your |a )?(?:information|"
        r"info|details|brochure|packet)|it)|in writing|brochure|mail (?:me|us) (?:something|some)|"
        r"read (?:about|up on) it first|look (?:it|this|that|something|things|them|some(?:thing)? "
        r"\w+) over"
    ),
    Intent.CALLBACK: re.compile(
        r"(?:can|could|would|will) (?:someone|somebody|a person|you|the broker|he|she|they)"
        r"(?: [\w']+){0,6} call (?:me|us|him|her|them)\b(?! (?:yourself|himself|herself))|"
        r"without my (?:son|daughter|husband|wife|kids|children|family)|call (?:me |us )?back|"
        r"\b(?:ring|phone|buzz) (?:me |us )?back\b|\bgive (?:me|us) a (?:call|ring|buzz) (?:back|"
        r"later|tomorrow|next|on|at|in|this|monday|tuesday|wednesday|thursday|friday|saturday)|"
        r"callback|call (?:me|us) (?:later|tomorrow|next|on|in|at|this|then)|"
        r"try (?:me |us |him |her )?again|reach (?:me|him|her) (?:later|tomorrow)|have (?:him|her"
        r"|someone|the broker) call|"
        # "could you try me Friday, around eleven?", "I'd try her Monday"
        r"\btry (?:me|us|him|her|them)(?: back)? (?:on |again |later|tomorrow|next|this|around|"
        r"at |in |after |before |monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"(?:some )?other)|\b(?:i'?d|you could|you can|you might|better) try (?:her|him|them)\b"
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
        r"|resting|not feeling|laid up|in rehab|at (?:the )?rehab|recovering|in a (?:rehab|"
        r"nursing))"
        r"|you have the wrong|no one (?:here )?by that name|nobody (?:here )?"
        r"by that name|(?:he|she) passed away|that'?s my (?:" + "|".join(RELATIONS) + r")|"
        r"(?:this|it) is(?:n'?t| not) (?:him|her)|not (?:him|her)\b|"
        # "I'm a neighbor of Mr. Alvarez, he asked me to call"
        r"(?:i'?m|i am) (?:a|an|the) (?:" + "|".join(RELATIONS) + r") of\b|(?:he|she) asked me to "
        r"(?:call|phone|ring)|"
        # "I'm her home health aide", "this is Doris from next door, I'm feeding her cat"
        r"\b(?:i'?m|i am|this is) (?:his|her|their) (?:[\w-]+ ){0,2}(?:aide|caregiver|nurse|"
        r"helper|housekeeper|companion)\b|\bfrom next door\b|\b(?:feeding|watching|looking after|"
        r"minding) (?:his|her|their) (?:cat|cats|dog|dogs|house|place|plants|mail)\b|"
        # "Mrs. Torres is lying down", "she's at her sister's till Sunday"
        r"\b(?:he|she|mrs?\.? \w+|ms\.? \w+)(?:'?s| is) (?:lying down|laying down|asleep|in bed|"
        r"visiting|out of town|on vacation|traveling|travelling|not feeling well|feeling poorly|"
        r"at (?:her|his) (?:sister|brother|daughter|son|friend)'?s?)\b|"
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
        r"(?:you|y'?all|you all|you guys|y'all)(?: back)? (?:herself|himself|themselves)|"
        # mail for someone else: "I got a letter from you, but it isn't for me", "it's addressed
        # to my neighbor", "it was meant for the people who lived here before"
        r"\b(?:letter|mail|envelope|postcard|flyer|card|notice|mailer)s?\b[^.?!]{0,60}?\b(?:is(?:n'?t"
        r"| not)|was(?:n'?t| not)|not) (?:really )?(?:for|addressed to|meant for|to) me\b|"
        r"\b(?:addressed|meant|sent) (?:to|for) my (?:"
        + "|".join(RELATIONS)
        + r"|landlord|tenant)\b|"
        r"\b(?:addressed|meant|sent|(?:it|that|this|letter|mail)(?:'s| is| was)) (?:to|for) (?:the "
        r"(?:previous|old|former|last) (?:owners?|tenants?|residents?|people)|(?:the )?(?:people|"
        r"folks|family|man|woman|lady|gentleman) (?:who|that) (?:used to live|lived) (?:here|there)"
        r"|someone else|somebody else|(?:mr|mrs|ms|miss|mister)\b)|"
        r"\b(?:(?:my|our) (?:neighbou?r|landlord|tenant)'?s|someone else'?s|somebody else'?s) "
        r"(?:letter|mail)\b|"
        # "the name on it isn't mine", "your mailer has the wrong name", "he doesn't live here
        # anymore"
        r"\bwrong name\b|\bname on (?:it|the (?:letter|envelope|mail\w*|card))(?:'s| is| was)"
        r"(?:n'?t| not) (?:mine|me|right|ours)\b|\b(?:he|she|they) no longer lives? (?:here|there|"
        r"at this address)\b|\b(?:he|she|they) (?:doesn'?t|don'?t|does not|do not) live (?:here|"
        r"there|at this address) any ?more\b"
    ),
    Intent.HOLD_ON: re.compile(
        r"hold on|one (?:moment|minute|second|sec)|let me (?:get|grab|fetch|find) (?:him|her|"
        r"them)|i'?ll (?:get|grab) (?:him|her)|go get (?:him|her)|just a (?:moment|minute|second|"
        r"sec)|wait a (?:moment|minute|second|sec)|hang on|(?:he|she)'?s (?:coming|right here)|"
        # handing the phone over: "can I put her on?", "here she is"
        r"(?:can|could|let|shall) (?:i|me) put (?:her|him|them|my \w+) on\b|\bhere (?:she|he) is\b|"
        r"i'?ll put (?:her|him) on\b|"
        # on the line already: "who is sitting right here beside me with the phone on speaker"
        r"\b(?:sitting |right )+here (?:beside|next to|with) me\b|"
        r"\bon (?:the )?speaker ?(?:phone)?\b"
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
        r"\b(?:stupid|idiot|sick (?:and tired )?of|fed up|furious|harass\w*|report you|shut up|"
        r"leave me alone|this is (?:ridiculous|useless|a joke))\b|"
        # a mild oath is anger when it is aimed at the call ("what the hell do you want"), not
        # colour ("Hell, the way Seattle's gone, the house down the street got six")
        r"\b(?:damn\w*|ridiculous|useless|annoying)\b[^.?!]{0,40}\b(?:you|your|y'?all|this "
        r"call|these calls|calling|your company|you people)\b|\b(?:you|your|y'?all|this call|these "
        r"calls|calling|you people)\b[^.?!]{0,40}\b(?:damn\w*|ridiculous|useless|annoying)\b|"
        # "hell" as an oath, not speech-to-text's "he'll": "what the hell", "go to hell"
        r"\b(?:the hell|go to hell|hell no|hell with)\b"
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
STOP_CALLING = _INTENT_PATTERNS[Intent.STOP_CALLING]
