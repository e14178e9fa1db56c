"""The caller's name, and who they are calling for."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.patterns import _CARE_FOR, _INTENT_PATTERNS
from services.dialogue.language.vocabulary import (
    _BIG_CITY_RE,
    _NOT_NAMES,
    NAMES_TOO,
    RELATIONS,
    STATES,
)
from services.dialogue.speech.numbers import is_number_word

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
#: a parent's affairs in the caller's hands: "going through my dad's mail"
_PARENTS_AFFAIRS = re.compile(
    r"\b(?:my|our) (mom|mother|mum|dad|father|parents|grandma|grandmother|grandpa|grandfather)'?s "
    r"(?:mail|letters?|house|home|place|bills|affairs|paperwork|behalf)\b"
)
#: the one to fetch, said from the other side: "she's my grandma, let me go get her"
_IS_MY = re.compile(
    r"\b(?:he|she)(?:'?s| is) my (mom|mother|mum|dad|father|grandma|grandmother|granny|nana|"
    r"grandpa|grandfather|aunt|uncle|husband|wife|neighbou?r)\b"
)
_RELATIVE_OF = {
    "mom": "son or daughter", "mother": "son or daughter", "mum": "son or daughter",
    "dad": "son or daughter", "father": "son or daughter", "parents": "son or daughter",
    "grandma": "grandchild", "grandmother": "grandchild", "grandpa": "grandchild",
    "grandfather": "grandchild", "granny": "grandchild", "nana": "grandchild",
    "aunt": "niece or nephew", "uncle": "niece or nephew",
    "husband": "wife", "wife": "husband", "neighbour": "neighbor", "client": "caregiver",
    "patient": "caregiver",
}  # fmt: skip
#: a lowercase first and last name, then what follows it: "lorenzo diaz im 70"
_LOWER_NAME = re.compile(
    r"^(?:(?:hi|hello|hey|howdy|hiya|yeah|yes|oh|well|ok|okay|um|uh|ma'?am|maam|sir|there|"
    r"(?:good )?(?:morning|afternoon|evening))[,.!]?\s+)*([a-z][a-z'-]+)\s+"
    r"([a-z][a-z'-]+)(?=[,.]?\s+(?:i'?m|im|i am|in|from|here|speaking|calling|out of|that'?s|"
    r"thats|spelled|spelt)\b|[.!]?$|[,.]?\s+(?:[a-z][\s-]){3,}[a-z]\b)"
)
#: lowercase speech-to-text that opens with who is calling: "its clement odum could you …"
_LOWER_INTRO = re.compile(
    r"^(?:(?:hi|hello|hey|yeah|yes|oh|well|ok|okay)[,.!]?\s+)*(?:its|it'?s|this is|my name is|"
    r"my names|my name'?s|names|name'?s)\s+([a-z][a-z'-]+)\s+([a-z][a-z'-]+)(?=[,.]?\s+(?:could|"
    r"would|can|and|i|im|i'm|please|calling|here|speaking|from|in|about)\b|[.!?]?$)"
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
#: what follows a verb in "-ing" after "I'm" ("I'm standing in line", "I'm waiting."), not a
#: last name ("i'm sterling moss")
_DOING_AFTER = (
    r"\s*(?:[,.!?;]|$|(?:in|at|on|to|for|with|by|around|here|there|out|up|down|over|a|an|the|my|"
    r"our|your|this|that|about|right|now|and|but|so|because|outside|inside|home|back|through|it|"
    r"them|him|her|you|off|anything|something|everything|more|less|before|after|while|when|if|as|"
    r"since|till|until)\b)"
)
#: when a name is what Barbara waits for (asked for, or someone is coming to the phone): a
#: lowercase name after "this is" is a name ("yeah hello this is earl, earl whitfield")
_NAME_ASKED = (Expect.NAME, Expect.RIGHT_PERSON, Expect.WAITING)
_HONORIFICS = re.compile(
    r"\b(?:mr|mrs|ms|miss|mister|missus|dr|reverend|rev|pastor|deacon|do[ñn]a|se[ñn]ora|sra)\.?"
    r"\s+|"
    # a rank or a calling, capitalised before a name: "Captain Ray Kowalski", "Sister Agnes"
    r"\b(?-i:Captain|Capt|Major|Maj|Colonel|Col|General|Gen|Sergeant|Sgt|Lieutenant|Lt|Chief|"
    r"Commander|Cmdr|Admiral|Judge|Father|Professor|Prof|Doctor|Doc|Coach|Officer|Bishop|Rabbi|"
    r"Elder|Sister|Brother|Nurse|Senator|Governor|Mayor)\.?\s+(?=[A-Z])",
    re.IGNORECASE,
)
#: a title and the name after it: "Mrs. Abernathy", "Mister Kowalski" (a surname)
_TITLED = re.compile(
    r"\b(?i:mr|mrs|ms|mister|missus)\.?\s+([A-Za-z][A-Za-z'’-]+)(?!\s+[A-Z][a-z])"
)  # (not "Mrs. Margaret Holloway": a first and a last name)
_NAME_CUE = re.compile(
    r"\bname|\bthis is\b|\bi'?m\b|\bi am\b|\bit'?s\b|\bspeaking\b|\bhere\b|\bcall me\b|"
    r"^[a-z]+(?: [a-z]+)?[.!]?$|"
    # spelled out: "yolanda baptiste thats b a p t i s t e", "Kavanagh. K-A-V-A-N-A-G-H."
    r"\b(?:[a-z][\s-]){3,}[a-z]\b"
)
#: a sentence that is only a first and last name, anywhere in the turn, and what may follow
#: it: "Theresa Mancuso, in Levittown.", "Dorothea Kavanagh. K-A-V-A-N-A-G-H."
_NAME_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?]\s))([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)(?=\s*(?:[.!?;]|$|,\s*(?:in|from|"
    r"out of|over in|up in|down in|here|speaking|calling|that'?s|spelled|[A-Z][\s-][A-Z])\b))"
)
#: the name on the papers, said after the one they go by: "Patricia on the paperwork",
#: "Salvatore, technically"
_LEGAL_NAME = re.compile(
    r"\b([A-Z][a-z'’-]+),?\s+(?:on (?:the |my )?(?:paperwork|papers?|deed|license|licence|"
    r"forms?|birth certificate)|technically|officially|legally|formally|for the record)\b"
)


#: a household answering its line: "Torres residence", "Helen's phone" — the house's name,
#: not the caller's
_HOUSEHOLD = re.compile(
    r"^\W*(?:(?:hello|hi|good (?:morning|afternoon|evening))[,.!]?\s+)?(?:the\s+)?[A-Za-z]+(?:'s)?"
    r"\s+(?:residence|household|house|home|phone|line)\b[.!]?\s*$",
    re.IGNORECASE,
)


#: someone who helps the homeowner, or lives by: not the homeowner
_HELPER = re.compile(
    r"\b(?:i'?m|i am|this is)(?: [a-z]+,?)? (?:his|her|their) (?:[\w-]+ ){0,2}(aide|caregiver|"
    r"nurse|helper|"
    r"housekeeper|companion)\b|\bfrom next door\b"
)


def _names(heard: Heard, raw: str, low: str, expect: Expect) -> None:
    if _HOUSEHOLD.match(raw):
        return
    helper = _HELPER.search(low)
    if helper:  # "I'm her home health aide", "this is Doris from next door"
        heard.relation = helper.group(1) or "neighbor"
        return
    for rel in RELATIONS:
        if re.search(rf"\b(?:i'?m|i am|this is|it'?s)(?: [a-z]+,?)? (?:(?:his|her|their|the) "
                     rf"{rel}\b|an? {rel} of\b)", low):  # fmt: skip
            heard.relation = rel
            return
    carer = re.search(_CARE_FOR, low)
    if carer:  # "my name is Keisha, I'm a home health aide for one of my clients"
        role = carer.group(1) or "caregiver"  # (or what they do: "I look after Mr. …")
        heard.relation = "caregiver" if role == "care giver" or carer.group(2) else role
        return
    parent = _PARENTS_AFFAIRS.search(low)
    if parent and not re.search(r"\b(?:my|our) (?:own )?(?:house|home)\b", low):
        # "I'm going through my dad's mail while he's laid up": the home is a parent's
        heard.relation = _RELATIVE_OF.get(parent.group(1), "relative")
    relative = _CALLING_FOR.search(low)
    if relative and _INTENT_PATTERNS[Intent.HOLD_ON].search(low):
        # "my name's Kyle, I'm calling for my mom, she's right here": she is the one to hear
        heard.relation = _RELATIVE_OF.get(relative.group(1), "relative")
        return
    fetching = _IS_MY.search(low)
    if fetching and _INTENT_PATTERNS[Intent.HOLD_ON].search(low):
        heard.relation = _RELATIVE_OF.get(fetching.group(1), "relative")
        heard.intents.add(Intent.WRONG_PERSON)
        return
    behalf = _CALLING_ON_BEHALF.search(low)
    if behalf:
        # "this is Bud, I'm calling for my neighbor, Mrs. Lund": the caller is not the one
        heard.relation = _RELATIVE_OF.get(behalf.group(1), behalf.group(1))
        return
    heard.surnames_said = {m.group(1).lower() for m in _TITLED.finditer(raw)}
    text = _HONORIFICS.sub("", raw)
    # properly cased text (not lowercase speech-to-text): a lowercase word is no name
    cased = any(
        m.group()[0].isupper() and m.group() not in ("I", "I'm", "I'd", "I'll", "I've")
        for m in re.finditer(r"[A-Za-z][A-Za-z'’-]*", text)
        if m.start() and not re.search(r"[.!?]\s*$", text[: m.start()])
    )
    patterns: tuple[str, ...] = (
        r"(?<![\w'’])(?:my name is|my name'?s|my name(?-i:(?= [A-Z]))|name'?s|name is|this is|"
        r"this(?-i:(?= [A-Z][a-z'’-]+ [A-Z]))|it'?s|it is|i'?m|i am|"
        r"call me|you'?re speaking (?:with|to)|you are speaking (?:with|to)|here is|"
        r"this here is)\s+"
        r"([A-Za-z][A-Za-z'’-]+)(?:\s+([A-Za-z][A-Za-z'’-]+))?",
        r"(?:^|(?<=[.!?,]\s))([A-Z][a-z'’-]+)(?:\s+([A-Z][A-Za-z'’-]+))?\s+(?:speaking|here|"
        r"calling)\b",
        # "hi, Leroy Banks, how much…": a greeting, then a capitalised first and last name
        r"^(?i:(?:hi|hello|hey|hola|howdy|yes|yeah|oh|well|(?:good )?(?:morning|afternoon|evening))"
        r"[,!.]?\s+)+"
        r"(?:there[,!.]?\s+)?([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)"
        r"(?=\s*[,.!?;]|\s*$|\s+(?:here|speaking|calling|again|(?:over |down |up |out )?in|from|"
        r"out of)\b)",
        # "how ya doin', Sal DiNapoli, I'm callin' about …": a name, then why they call
        r"(?:^|[,.!?]\s+)([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+),?\s+(?i:i'?m|i am|and i'?m)\s+"
        r"(?i:call|ring|phon|get|reach)",
        # "Dorothy. Dorothy Hagen." / "Frances DiNapoli. Listen, can somebody call me back"
        r"^([A-Z][a-z'’-]+)[.,]\s+\1\s+([A-Z][A-Za-z'’-]+)\b",
        r"^([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)\.\s+[A-Z]",
        # "Pat. Patricia Holloway, that's me."
        r"([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+),?\s+(?i:that'?s|that is|it'?s|this is) (?i:me)\b",
        # "… about the mailer, Helen Nowak, N O W A K, and …": a name, its last part spelled
        r"(?:^|(?<=[.!?,;]\s))([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+),?\s+(?i:that'?s\s+|spelled\s+)?"
        r"(?:[A-Za-z][\s.-]+){2,}[A-Za-z]\b",
    )
    if expect == Expect.NAME:
        # asked for the name: "Deb Novak, sixty-three, homeowner…"
        # … with a middle name or initial ("Cyrus Vance Holt, seventy-eight"), after a word of
        # assent ("Oh sure. Clarice Ng, I'm sixty-seven")
        patterns += (
            r"^(?i:(?:oh|well|sure|okay|ok|yes|yeah|alright|all right|right|of course|sorry|hi|"
            r"hello|howdy|(?:good )?(?:morning|afternoon|evening))[,.!]?\s+)*([A-Z][a-z'’-]+)\s+"
            r"(?:[A-Z](?:[a-z'’-]+|\.)\s+)?([A-Z][A-Za-z'’-]+)"
            r"(?=\s*[,.!?;]|\s*$|\s+(?:[A-Za-z][\s-]){2,}[A-Za-z]\b)",
            # … said as a clause of its own among others: "I'm calling about the mailer, Helen
            # Nowak, and I should say…"
            r"(?<=,\s)([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)(?=\s*(?:[.!?;]|$|,\s*(?:and|I|i|my|"
            r"we|it|so|but|the)\b))",
        )
    if expect not in (Expect.LOCATION, Expect.ZIP):
        # a first and last name said on their own, whatever was asked: "Marisol Ferrer.",
        # "… said I should call. Theresa Mancuso, in Levittown."
        patterns += (r"^([A-Z][a-z'’-]+)\s+([A-Z][A-Za-z'’-]+)[.!]?$", _NAME_SENTENCE.pattern)
    elif expect == Expect.ZIP:
        # asked for the ZIP, a name said as a sentence among others is still a name ("Fine.
        # Gordon Pratt. I'm seventy-one …"); a place alone is not ("Sandy Springs.")
        patterns += (rf"(?:{_NAME_SENTENCE.pattern})(?=\s*[.,]\s+\S)",)
    nickname: re.Match[str] | None = None  # "folks just call me Junior": if no other name
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE if "my name" in pattern else 0):
            first, last = match.group(1), match.group(2)
            if match.group(0).lower().startswith("call me") and re.search(
                r"(?i:\b(?:don'?t|do not|never|please don'?t)(?: you)?\s*)$", text[: match.start()]
            ):
                continue  # "don't you call me Betty Lou": the name not to use
            if _NICKNAME.search(text[: match.start()]) and match.group(0).lower().startswith(
                "call me"
            ):
                if not _not_a_name(first):  # (not "will they call me at this number?")
                    nickname = nickname or match
                continue
            if _not_a_name(first) or (not first[0].isupper() and expect not in _NAME_ASKED):
                if not re.search(r"my name", match.group(0), re.IGNORECASE):
                    continue
            if _not_a_name(first) or (cased and not first[0].isupper()):
                continue  # "I'm only kidding… I'm Gwen Tanner"
            if (
                re.fullmatch(r"[a-z]{3,}ing", first)
                and re.match(r"i'?m\b|i am\b", match.group(0), re.IGNORECASE)
                and not re.search(r"my name", text, re.IGNORECASE)
                and re.match(_DOING_AFTER, text[match.end(1) :], re.IGNORECASE)
            ):
                continue  # "I'm standing in line", "I'm waiting on my son": doing, not a name
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
    intro = _LOWER_INTRO.match(text) if text.islower() else None
    if (
        intro
        and not any(_not_a_name(w) for w in intro.groups())
        and not _is_place_name(" ".join(intro.groups()))
    ):  # "its clement odum could you ring me back tomorrow": introduced, whatever was asked
        heard.first_name, heard.last_name = _title(intro.group(1)), _title(intro.group(2))
        return
    alone = re.fullmatch(r"\s*([a-z][a-z'-]+)\s+([a-z][a-z'-]+)[.!]?\s*", text)
    if (
        alone
        and expect not in (Expect.LOCATION, Expect.ZIP)
        and not any(_not_a_name(w) or len(w) < 3 for w in alone.groups())
        and not _is_place_name(" ".join(alone.groups()))
    ):  # "luis ferreira", when an e-mail address was asked: a name, whatever was asked
        heard.first_name, heard.last_name = _title(alone.group(1)), _title(alone.group(2))
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
        trailing = _trailing_name(text) if text.islower() else None
        if trailing:  # "… about reverse mortgages lavonne schiller": the name said last
            heard.first_name, heard.last_name = _title(trailing[0]), _title(trailing[1])
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
        place = _is_place_name(" ".join(pick[:2])) and not (
            expect == Expect.NAME and len(pick) == 1 and pick[0].lower() not in STATES
        )  # asked for a name, "eugene" alone is one
        if pick and (caps or text.islower()) and not place:
            heard.first_name = _title(pick[0])
            if len(pick) > 1:
                heard.last_name = _title(pick[1])


#: words after which two more are no name: "the", "my", "to", …
_BEFORE_NO_NAME = frozenset(
    "the a an my our your his her their to for in at of about with on from by is was and or "
    "i im we you it its this that".split()
)

#: everyday words a caller ends a sentence on, which no name list has
_COMMON_WORDS = frozenset(
    "some any more information info help questions question details something anything "
    "mortgage mortgages loan loans letter card postcard flyer mailer ad ads house home money "
    "please today now there people guys folks thing things stuff program one ones time call "
    "calls number program tv paper papers mail about around again too also though".split()
)


def _trailing_name(text: str) -> tuple[str, str] | None:
    """Lowercase speech-to-text that ends on the caller's first and last name, maybe followed
    by where they live: "… about reverse mortgages lavonne schiller", "… got your flyer here
    leonard baptiste rochester new york"."""
    words = re.findall(r"[a-z][a-z'-]*", text.lower())
    while len(words) > 3:
        tail2, tail1 = " ".join(words[-2:]), words[-1]
        if tail2 in STATES or _BIG_CITY_RE.fullmatch(tail2):
            words = words[:-2]
        elif tail1 in STATES or _BIG_CITY_RE.fullmatch(tail1):
            words = words[:-1]
        else:
            break
    if len(words) < 4 or words[-3] in _BEFORE_NO_NAME:
        return None
    first, last = words[-2], words[-1]
    if any(w in _COMMON_WORDS for w in (first, last)):
        return None  # "… wanted to get some information"
    if any(_not_a_name(w) or len(w) < 3 for w in (first, last)) or _is_place_name(
        f"{first} {last}"
    ):
        return None
    return first, last


def _set_name(heard: Heard, match: re.Match[str], first: str, last: str | None, text: str,
              expect: Expect) -> None:  # fmt: skip
    if first.lower() in heard.surnames_said:
        # "this is Mrs. Abernathy": a title and a surname, no first name — unless the whole
        # name follows: "Mrs. Fitzgerald, Maureen Fitzgerald"
        whole = re.search(rf"\b([A-Z][a-z'’-]+)\s+{re.escape(first)}\b", text[match.end(1) :])
        if whole and not _not_a_name(whole.group(1)):
            heard.first_name, heard.last_name = _title(whole.group(1)), _title(first)
            return
        heard.last_name = _title(first)
        return
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
        and (last[0].isupper() or expect in _NAME_ASKED)
    ):
        heard.last_name = _title(last)
    again = re.match(rf"[,.]?\s*{re.escape(first)}\s+([A-Za-z][A-Za-z'’-]+)",
                     text[match.end(1) :], re.IGNORECASE)  # fmt: skip
    if heard.last_name is None and again and not _not_a_name(again.group(1)):
        heard.last_name = _title(again.group(1))  # "my name is Robert, Robert Smith"
    third = re.match(r"\s+([A-Z][a-z'’-]+)\b", text[match.end(2) :]) if last else None
    if (
        third
        and last
        and re.search(rf"\b{re.escape(first)} {re.escape(last)}\b", text[match.end(2) :])
        and not _not_a_name(third.group(1))
    ):
        # "Betty Lou Harlan, but don't you call me Betty Lou": a double first name
        first, last = f"{first} {last}", third.group(1)
        heard.first_name, heard.last_name = _title(first), _title(last)
    whole = re.match(rf",\s*([A-Z][a-z'’-]+)\s+{re.escape(first)}\b", text[match.end(1) :])
    if whole and not last and not _not_a_name(whole.group(1)):
        # "My name is Nguyen, Thanh Nguyen": the surname, then the whole name
        heard.first_name, heard.last_name = _title(whole.group(1)), _title(first)
    family = re.search(
        rf"\b{re.escape(first)} is (?:my |the )?(?:last|family|sur) ?name\b", text, re.IGNORECASE
    )
    if family and last and not _not_a_name(last):
        # "My name Kim Soon-ja. Kim is last name": the family name said first
        heard.first_name, heard.last_name = _title(last), _title(first)
    legal = _LEGAL_NAME.search(text, match.end(1))
    if legal and not _not_a_name(legal.group(1)) and legal.group(1) != first:
        heard.first_name = _title(legal.group(1))  # "It's Trish. Well, Patricia on the paperwork"
        surname = re.match(r"[.,]?\s+(?:[A-Za-z]+\s+)?([A-Z][A-Za-z'’-]+)", text[legal.end() :])
        if heard.last_name is None and surname and not _not_a_name(surname.group(1)):
            heard.last_name = _title(surname.group(1))


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
    if word in {w.title() for w in NAMES_TOO}:
        return False  # "Dot", capitalised: her name
    low = word.lower().strip(".,")
    parts = re.split(r"[-']", low)
    return (
        low in _NOT_NAMES
        or any(ch.isdigit() for ch in low)
        or any(p in _NOT_NAMES or is_number_word(p) for p in parts if p)
    )
