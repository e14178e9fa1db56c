"""Answers from the knowledge base, in one sentence, and the caller's sentiment."""

from __future__ import annotations

import re

from services.dialogue import functions as fn
from services.dialogue.speech import lines
from services.dialogue.context import Turn
from services.dialogue.language.heard import Heard, Intent
from services.dialogue.language.questions import kb_query

#: a question with something to look up: a question word and at least a few words after it
SUBSTANTIVE = re.compile(
    r"\b(?:what|how|why|when|where|which|who|can|could|do|does|did|will|would|is|are|should)"
    r"\b(?:\W+\w+){3,}",
    re.IGNORECASE,
)


async def inline_answer(turn: Turn, heard: Heard, *, only_topics: bool = False) -> str | None:
    """Answer a question or an objection from the knowledge base, in one sentence."""
    if heard.objection:
        await fn.note_objection(turn, heard.objection)
        query = kb_query(heard)
        if query:
            await fn.search_knowledge(turn, query, topic=heard.objection)
        return lines.OBJECTION_ANSWERS[heard.objection]
    if only_topics and not heard.topic:
        return None
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
    return lines.NO_ANSWER


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
