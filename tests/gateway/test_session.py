"""The gateway's session code (LiveKit AgentSession in text mode + the bus bridge): speaks
first, streams chunks in order, never leaves the caller in silence, carries out actions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from contracts.calls import EndReason
from contracts.conversation import EndCall, Speaker, Transfer
from services.agent_gateway.bridge import APOLOGY, FILLER, Timing
from services.agent_gateway.simulate import HANGUP, SILENCE, run_call
from tests.gateway.conftest import Script

CALLER = "+12065550311"
GREETING = ["Hello, this is Barbara, an AI assistant.", "This call may be recorded."]


def greet_then(*parts: str) -> Any:
    return lambda text: GREETING if text is None else list(parts)


async def say(*lines: str) -> AsyncIterator[str]:
    for line in lines:
        yield line


async def test_barbara_speaks_first(nc: Any, dialogue_double: Any) -> None:
    double = await dialogue_double(Script(reply=greet_then("Sure.")))
    result = await run_call(nc, CALLER, say(), outcome_wait_s=0)
    assert result.transcript[0] == {"role": "agent", "text": " ".join(GREETING)}
    assert double.seen.turns == []


async def test_chunks_are_spoken_in_order_and_once(nc: Any, dialogue_double: Any) -> None:
    await dialogue_double(
        Script(
            reply=greet_then("One.", "Two.", "Three."),
            order=lambda seqs: list(reversed(seqs)),
            duplicate=True,
        )
    )
    result = await run_call(nc, CALLER, say("Hello?"), outcome_wait_s=0)
    assert result.transcript[-1] == {"role": "agent", "text": "One. Two. Three."}


async def test_turns_and_both_sides_of_the_transcript_are_published(
    nc: Any, dialogue_double: Any
) -> None:
    double = await dialogue_double(Script(reply=greet_then("Of course.")))
    result = await run_call(nc, CALLER, say("Can you help me?", "Thanks."), outcome_wait_s=0)
    await nc.flush()
    assert [t.text for t in double.seen.turns] == ["Can you help me?", "Thanks."]
    assert [t.seq for t in double.seen.turns] == [0, 1]
    spoken = [(s.speaker, s.text) for s in sorted(double.seen.transcripts, key=lambda s: s.seq)]
    assert spoken[:3] == [
        (Speaker.AGENT, " ".join(GREETING)),
        (Speaker.CALLER, "Can you help me?"),
        (Speaker.AGENT, "Of course."),
    ]
    assert double.seen.ended[-1].reason is EndReason.CALLER_HUNG_UP
    assert result.end_reason is EndReason.CALLER_HUNG_UP


async def test_a_slow_reply_is_preceded_by_a_filler(nc: Any, dialogue_double: Any) -> None:
    await dialogue_double(Script(reply=greet_then("Here it is."), delay_s=0.4))
    timing = Timing(filler_after_s=0.1, reply_timeout_s=3)
    result = await run_call(nc, CALLER, say("What does it cost?"), timing=timing, outcome_wait_s=0)
    assert result.transcript[-1]["text"] == f"{FILLER} Here it is."


async def test_no_reply_at_all_means_an_apology_an_error_and_a_hang_up(
    nc: Any, dialogue_double: Any
) -> None:
    double = await dialogue_double(Script(reply=greet_then("never said"), silent=True))
    timing = Timing(filler_after_s=0.1, reply_timeout_s=0.4)
    result = await run_call(
        nc, CALLER, say("Hello?", "Are you there?"), timing=timing, outcome_wait_s=0
    )
    assert result.transcript[-1]["text"].endswith(APOLOGY)
    assert result.end_reason is EndReason.ERROR
    await nc.flush()
    assert [e.reason for e in double.seen.ended] == [EndReason.ERROR]
    assert len(double.seen.turns) == 1, "the call ended after the apology"


async def test_end_call_action_says_the_last_reply_then_hangs_up(
    nc: Any, dialogue_double: Any
) -> None:
    double = await dialogue_double(
        Script(
            reply=greet_then("Thank you for calling.", "Goodbye."),
            action=lambda text: EndCall(reason="done") if text else None,
        )
    )
    result = await run_call(nc, CALLER, say("Bye now.", "Wait, one more thing"), outcome_wait_s=0)
    assert result.transcript[-1]["text"] == "Thank you for calling. Goodbye."
    assert result.end_reason is EndReason.AGENT_ENDED
    assert len(double.seen.turns) == 1


async def test_transfer_goes_to_the_number_in_the_action(nc: Any, dialogue_double: Any) -> None:
    double = await dialogue_double(
        Script(
            reply=greet_then("I'll connect you with Daniel now."),
            action=lambda text: (
                Transfer(broker_id="b1", to_number="+12065550201", reason="asked for a person")
                if text
                else None
            ),
        )
    )
    result = await run_call(nc, CALLER, say("Can I talk to a real person?"), outcome_wait_s=0)
    assert result.end_reason is EndReason.TRANSFERRED
    await nc.flush()
    assert double.seen.ended[-1].reason is EndReason.TRANSFERRED


async def test_silence_and_hangup_in_a_script(nc: Any, dialogue_double: Any) -> None:
    double = await dialogue_double(
        Script(
            reply=lambda text: (
                GREETING
                if text is None
                else (["Are you still there?"] if text == "" else ["Okay."])
            ),
        )
    )
    result = await run_call(nc, CALLER, say(SILENCE, "yes", HANGUP, "never sent"), outcome_wait_s=0)
    assert [t.silence for t in double.seen.turns] == [True, False]
    assert result.transcript[1] == {"role": "agent", "text": "Are you still there?"}
    assert result.end_reason is EndReason.CALLER_HUNG_UP and result.turns == 2
