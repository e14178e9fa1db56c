"""Which contract travels on which subject: used by consumers to decode and by the AsyncAPI
generator to document every channel."""

from __future__ import annotations

from dataclasses import dataclass

from contracts import calls, conversation, deadletter, store, tools
from contracts.subjects import CallEventName, StoreQuery

#: Payload of ``calls.<call_id>.<event>``.
CALL_EVENTS: dict[CallEventName, type] = {
    CallEventName.STARTED: calls.CallStarted,
    CallEventName.TRANSCRIPT: conversation.TranscriptSegment,
    CallEventName.TURN: conversation.CallerTurn,
    CallEventName.REPLY: conversation.ReplyChunk,
    CallEventName.INTERRUPTED: conversation.ReplyInterrupted,
    CallEventName.TOOL: tools.ToolInvoked,
    CallEventName.STATE: calls.CallStateChanged,
    CallEventName.OUTCOME: calls.OutcomeRecorded,
    CallEventName.ENDED: calls.CallEnded,
    CallEventName.ANALYZED: calls.CallAnalyzed,
    CallEventName.RECORDING: calls.RecordingStored,
    CallEventName.LIVEKIT: calls.LiveKitEventReceived,
}


@dataclass(frozen=True)
class Query:
    request: type
    replies: tuple[type, ...]


STORE_QUERIES: dict[StoreQuery, Query] = {
    StoreQuery.CALLER_CONTEXT: Query(
        store.GetCallerContext, (store.CallerContext, store.NotFound, store.BadRequest)
    ),
    StoreQuery.TEMPLATE: Query(
        store.GetTemplate, (store.Template, store.NotFound, store.BadRequest)
    ),
    StoreQuery.PROMPT: Query(
        store.GetActivePrompt, (store.RenderedPrompt, store.NotFound, store.BadRequest)
    ),
    StoreQuery.TRANSCRIPT: Query(
        store.GetTranscript, (store.Transcript, store.NotFound, store.BadRequest)
    ),
}

TOOL_REQUESTS = tools.REQUESTS
TOOL_REPLY = tools.ToolReply
DEAD_LETTER = deadletter.DeadLetter
