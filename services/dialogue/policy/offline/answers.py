"""Answers from the knowledge base, in one sentence, and the caller's sentiment."""

from __future__ import annotations

import re

from services.dialogue import functions as fn
from services.dialogue.context import Turn
from services.dialogue.language.heard import Heard, Intent
from services.dialogue.language.meaning.acts import Act
from services.dialogue.language.meaning.weigh import for_the_kb
from services.dialogue.language.questions import kb_query
from services.dialogue.language.vocabulary import STATES
from services.dialogue.speech import lines

#: a question with something to look up: a question word and at least a few words after it
SUBSTANTIVE = re.compile(
    r"\b(?:what|how|why|when|where|which|who|can|could|do|does|did|will|would|is|are|should)"
    r"\b(?:\W+\w+){3,}",
    re.IGNORECASE,
)


#: concerns the knowledge base has no set answer for in :data:`lines.OBJECTION_ANSWERS`
MORE_OBJECTION_ANSWERS = {
    "home_visit": (
        "Nobody needs to come to your home: the consultation is a phone call with the broker, "
        "and you can have family on the line too."
    ),
}


async def inline_answer(turn: Turn, heard: Heard, *, only_topics: bool = False) -> str | None:
    """Answer a question or an objection from the knowledge base, in one sentence."""
    if heard.objection:
        await fn.note_objection(turn, heard.objection)
        query = kb_query(heard)
        if query:
            await fn.search_knowledge(turn, query, topic=heard.objection)
        if heard.objection in MORE_OBJECTION_ANSWERS:
            return MORE_OBJECTION_ANSWERS[heard.objection]
        return lines.OBJECTION_ANSWERS[heard.objection]
    if heard.topic == "broker":
        return await _who_the_broker_is(turn)
    if heard.topic == "how_contacted":
        turn.state.flags.contact_questioned = True
        return lines.HOW_CONTACTED
    if heard.topic == "how_reached":
        return lines.HOW_REACHED
    if heard.topic == "area" and heard.question:
        return await _where_we_work(turn, heard)
    if only_topics and not heard.topic:
        return None
    if heard.meaning and heard.meaning.sure(Act.LEGAL_TAX) and not (heard.topic or heard.objection):
        return await _legal_or_tax(turn, heard)
    if heard.question and not for_the_kb(heard):
        return _not_for_the_kb(heard)
    query = kb_query(heard)
    if query is None:
        if heard.has(Intent.LEGAL_TAX):
            return lines.LEGAL_TAX
        return None
    spoken_question = heard.text.strip().endswith("?") and len(heard.text.split()) >= 5
    if not (heard.topic or heard.objection or spoken_question or SUBSTANTIVE.search(heard.text)):
        return None  # "Hello?", "Is this about the letter?": not a question for the knowledge base
    result = await fn.search_knowledge(turn, query, topic=heard.topic)
    if result.get("answered"):
        return _first_sentence(result["passages"][0])
    if heard.has(Intent.LEGAL_TAX):
        return lines.LEGAL_TAX  # advice for their own situation: a professional's job
    if not (heard.question or "?" in heard.text):
        return None  # "so it would have to be Danny… thank you for explaining": nothing asked
    return lines.NO_ANSWER


async def _who_the_broker_is(turn: Turn) -> str:
    """ "Who would I be talking to?": the broker found for where the home is, by name."""
    s = turn.state
    if s.broker is None:
        await fn.find_broker(turn)  # the home's place, else the area code's state, else default
    if s.broker is None:
        return "You'd be talking with a licensed reverse mortgage broker in your area."
    company = f" with {s.broker.company}" if s.broker.company else ""
    return f"You'd be talking with {s.broker.name}, a licensed reverse mortgage broker{company}."


async def _where_we_work(turn: Turn, heard: Heard) -> str:
    """ "Do you even work in Ohio?": a licensed broker is found for every state."""
    s = turn.state
    if s.broker is None:
        await fn.find_broker(turn)
    code = heard.state or s.facts.state
    where = next((n.title() for n, c in STATES.items() if c == code), None) if code else None
    return (
        f"Yes, we do; we work with licensed brokers who help homeowners in {where}."
        if where
        else "Yes, we work with licensed brokers who help homeowners in your area."
    )


#: the subject of a legal, tax or benefits question; a passage answers it only if it names it
LEGAL_TERMS = re.compile(
    r"\b(medicaid|medi-?cal|medicare|ssi|supplemental security|social security|snap|food "
    r"stamps|pension|veterans?|va benefits|irs|income tax|taxes|tax|capital gains|estate tax|"
    r"will|trust|probate|attorney|lawyer|divorce|power of attorney|bankruptcy|lien|judgment)\b",
    re.IGNORECASE,
)


async def _legal_or_tax(turn: Turn, heard: Heard) -> str:
    """Taxes, benefits, the law: the knowledge base's answer when it speaks of the very thing
    asked about (back taxes owed to the IRS), else a professional's question — never a
    neighbouring passage (a Medicaid question is not answered with Social Security)."""
    terms = {t.lower() for t in LEGAL_TERMS.findall(heard.text)}
    result = await fn.search_knowledge(turn, kb_query(heard) or heard.text, topic=None)
    if terms and result.get("answered"):
        passage = result["passages"][0]
        if terms & {t.lower() for t in LEGAL_TERMS.findall(passage)}:
            return _first_sentence(passage)
    return lines.LEGAL_TAX


def _not_for_the_kb(heard: Heard) -> str | None:
    """A question that is not about reverse mortgages: about us, or nothing to answer (the
    node's own question follows)."""
    assert heard.meaning is not None
    if heard.meaning.likely(Act.ABOUT_US):
        return lines.ABOUT_US
    return None


def _first_sentence(passage: str) -> str:
    match = re.match(r"(.+?[.!?])(?:\s|$)", passage.replace("\n", " ").strip())
    first = match.group(1) if match else passage
    if len(first) > 220:
        first = first[:220].rsplit(",", 1)[0].rsplit(" ", 1)[0] + "."
    return first


def note_sentiment(turn: Turn, heard: Heard) -> None:
    if heard.has(Intent.ANGRY):
        turn.state.facts.sentiment = "negative"
    elif heard.has(Intent.THANKS) and turn.state.facts.sentiment == "neutral":
        turn.state.facts.sentiment = "positive"
