"""Handlers for the four call events the dialogue consumes; deps passed in, no bus code here.

- ``started``: Barbara speaks first (the greeting goes out before any lookup), then the call's
  lead, memory, template and prompt are read once and kept in the call state.
- ``turn``: load state → skip a turn already done → run the LLM or the offline policy,
  streaming chunks → publish state changes (and the outcome) → commit the state with a
  revision check → the final chunk. Both policies record the caller's facts by code first; a
  turn the LLM cannot answer goes to the offline policy, and only several failed turns in a
  row rest the LLM for a short cooldown.
- ``interrupted``: the history keeps only what the caller heard.
- ``ended``: the outcome, if the dialogue did not record it already.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from contracts.calls import (
    CallDirection,
    CallEnded,
    CallStarted,
    EndReason,
)
from contracts.conversation import CallerTurn, EndCall, ReplyChunk, ReplyInterrupted, Transfer
from contracts.observability import metrics
from contracts.observability.logs import bind_call
from contracts.subjects import call_subject
from services.dialogue.context import Deps, Turn
from services.dialogue.functions.facts import record_qualification, update_lead
from services.dialogue.language.patterns import STOP_CALLING
from services.dialogue.language.text import normalise
from services.dialogue.opening import initial_state, load_context, may_call
from services.dialogue.outcome import outcome_event, state_event
from services.dialogue.policy.llm import llm_config, llm_turn
from services.dialogue.policy.offline import offline_turn, speak
from services.dialogue.ports import LlmUnavailable, StateConflict
from services.dialogue.reply import ReplyStream, reply_id_for
from services.dialogue.speech import lines
from services.dialogue.state import (
    CallState,
    HistoryItem,
    add_history,
    apply_interrupts,
    copy_state,
    merge,
    remember_turn,
)
from services.dialogue.turns import begin_turn, blank_state, restore_turn

log = logging.getLogger(__name__)

STATE_WAIT = 1.5  # a turn that overtakes its call's ``started`` waits this long for it


@dataclass(frozen=True)
class Delivery:
    """How this message reached us: redelivered after a copy died, where in the stream."""

    attempt: int = 1
    stream_seq: int = 0

    @property
    def redelivered(self) -> bool:
        return self.attempt > 1


@dataclass
class InFlight:
    reply_id: str
    cancel: asyncio.Event


@dataclass
class Dialogue:
    deps: Deps
    #: called with ("greeting" | "turn", received_at, first_chunk_at) per reply (monotonic
    #: seconds), for metrics and the benchmark
    on_timing: Callable[[str, float, float], None] | None = None
    inflight: dict[str, InFlight] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def lock(self, call_id: str) -> asyncio.Lock:
        lock = self._locks.get(call_id)
        if lock is None:
            lock = self._locks[call_id] = asyncio.Lock()
        return lock

    def forget(self, call_id: str) -> None:
        self._locks.pop(call_id, None)
        self.inflight.pop(call_id, None)

    # ---- barge-in (broadcast to every copy) -------------------------------------------------

    def cancel(self, call_id: str, reply_id: str | None = None) -> bool:
        running = self.inflight.get(call_id)
        if running and (reply_id is None or running.reply_id == reply_id):
            running.cancel.set()
            return True
        return False

    # ---- started ----------------------------------------------------------------------------

    async def on_started(self, event: CallStarted, delivery: Delivery) -> None:
        received = self.deps.clock.monotonic()
        bind_call(event.call_id)  # log records carry the call id
        existing = await self.deps.states.load(event.call_id)
        if existing is not None:  # greeted already (a redelivery)
            await self._finish_reply(existing[0], f"rpl_greet_{event.call_id}", None, delivery)
            return
        if delivery.attempt > 1 and await self.deps.publisher.call_ended(event.call_id):
            log.info("call %s: start redelivered after the call ended; ignored", event.call_id)
            return  # a copy that died holding it: nobody is on the line any more
        metrics.ACTIVE_CALLS.inc()
        state = initial_state(event)
        reply_id = f"rpl_greet_{event.call_id}"
        already = await self._already(event.call_id, reply_id, delivery)
        reply = ReplyStream(self.deps.publisher, self.deps.clock, call_id=event.call_id,
                            reply_id=reply_id, turn_id=None, already=already)  # fmt: skip
        turn = Turn(deps=self.deps, state=state, reply=reply, turn_id=f"start-{event.call_id}")
        if state.direction == CallDirection.OUTBOUND and not await may_call(turn):
            await reply.say(lines.DNC)
            state.flags.do_not_call = True
            turn.action = EndCall(reason="not allowed to call")
        else:
            await reply.say(lines.greeting(state.direction, state.call_type))
        self._timing("greeting", received, reply)
        await load_context(turn, event)
        add_history(state, HistoryItem(role="agent", text=reply.text, reply_id=reply_id,
                                       action=turn.action))  # fmt: skip
        changed = state_event(blank_state(state), state, always=True)
        if changed is not None:
            await self.deps.publisher.event(call_subject(state.call_id, "state"), changed)
        if turn.action is not None:
            await self._record_outcome(state)
        try:
            await self.deps.states.create(state)
        except StateConflict:
            log.info("call %s: greeted by another copy", event.call_id)
        await reply.end(turn.action)

    # ---- turn -------------------------------------------------------------------------------

    async def on_turn(self, event: CallerTurn, delivery: Delivery) -> None:
        received = self.deps.clock.monotonic()
        bind_call(event.call_id)  # log records carry the call id
        if event.tentative:
            return  # preemptive turns run no effects; the confirmed turn follows
        loaded = await self._load_or_wait(event.call_id)
        if loaded is None:
            log.warning("call %s: turn with no call state; starting one", event.call_id)
            state = CallState(call_id=event.call_id, started_at=self.deps.clock.now())
            revision = await self._create(state)
            if revision is None:
                loaded = await self.deps.states.load(event.call_id)
                if loaded is None:
                    raise RuntimeError("call state vanished")
                state, revision = loaded
        else:
            state, revision = loaded
        if state.ended:
            return
        reply_id = reply_id_for(event.turn_id)
        if event.turn_id in state.done_turns:  # a redelivery of a turn already answered
            await self._finish_reply(state, reply_id, event.turn_id, delivery)
            return
        already = await self._already(event.call_id, reply_id, delivery)
        reply = ReplyStream(self.deps.publisher, self.deps.clock, call_id=event.call_id,
                            reply_id=reply_id, turn_id=event.turn_id, already=already)  # fmt: skip
        base = copy_state(state)
        turn = Turn(deps=self.deps, state=state, reply=reply, turn_id=event.turn_id,
                    text="" if event.silence else event.text)  # fmt: skip
        self.inflight[event.call_id] = InFlight(reply_id, turn.cancel)
        try:
            await self._run(turn, received, base)
        finally:
            running = self.inflight.get(event.call_id)
            if running and running.reply_id == reply_id:
                del self.inflight[event.call_id]
        heard_text = reply.text
        add_history(state, HistoryItem(role="agent", text=heard_text, reply_id=reply_id,
                                       interrupted=turn.cancelled, action=turn.action))  # fmt: skip
        remember_turn(state, event.turn_id)
        changed = state_event(base, state)
        if changed is not None:
            await self.deps.publisher.event(call_subject(state.call_id, "state"), changed)
        if isinstance(turn.action, EndCall | Transfer) and not state.outcome_published:
            await self._record_outcome(state)
        if await self._commit(base, state, revision, event.turn_id, appended=2):
            await reply.end(turn.action)

    async def _run(self, turn: Turn, received: float, base: CallState) -> None:
        s = turn.state
        begin_turn(turn)
        if s.flags.verified and s.lead_id:  # what the tools could not take last turn
            if s.flags.qualification_unsaved:
                await record_qualification(turn)
            if s.flags.lead_facts_unsaved:
                await update_lead(turn)
        config = llm_config(s, self.deps.llm_env)
        use_llm = (
            config is not None
            and self.deps.llm is not None
            and self.deps.clock.monotonic() >= self.deps.llm_down_until
            and s.flags.capped is None
            and not STOP_CALLING.search(normalise(turn.text))
        )
        if use_llm:
            assert config is not None
            try:
                await llm_turn(turn, config)
                self.deps.llm_failures = 0
                self._timing("turn", received, turn.reply)
                return
            except LlmUnavailable:
                self._llm_failed(s.call_id)
                if turn.reply.sentences:
                    return
                if turn.calls:
                    # the model's functions already ran (maybe a booking): keep what they and
                    # code did, and let the offline policy say the current node's next line
                    await speak(turn, turn.noted)
                    self._timing("turn", received, turn.reply)
                    return
                # only code recorded facts: the offline policy takes the turn from the start;
                # its requests for the same facts are answered from the turn (Turn.tool), so
                # nothing is recorded twice
                restore_turn(turn, base)
                begin_turn(turn)
        await offline_turn(turn)
        self._timing("turn", received, turn.reply)

    def _llm_failed(self, call_id: str) -> None:
        """One failed turn goes to the offline policy; only several in a row rest the LLM
        (every call on this copy) for a short while. After the rest one more failure rests it
        again; a turn it answers resets the count."""
        deps = self.deps
        deps.llm_failures += 1
        metrics.LLM_OFFLINE_FALLBACKS.inc()
        if deps.llm_failures >= deps.tuning.llm_failed_turns:
            deps.llm_down_until = deps.clock.monotonic() + deps.tuning.llm_cooldown
            log.warning("LLM failed %d turns in a row: offline policy for %.0f s",
                        deps.llm_failures, deps.tuning.llm_cooldown)  # fmt: skip
        else:
            log.warning("call %s: LLM unavailable, offline policy takes the turn", call_id)

    async def apologise(self, event: CallerTurn) -> None:
        """The turn failed for good: the caller still hears something."""
        reply = ReplyStream(
            self.deps.publisher,
            self.deps.clock,
            call_id=event.call_id,
            reply_id=f"{reply_id_for(event.turn_id)}-sorry",
            turn_id=event.turn_id,
        )
        await reply.say(lines.SORRY_AGAIN + " Could you say that once more?")
        await reply.end()

    # ---- interrupted and ended --------------------------------------------------------------

    async def on_interrupted(self, event: ReplyInterrupted, delivery: Delivery) -> None:
        self.cancel(event.call_id, event.reply_id)

        def truncate(state: CallState) -> None:
            state.pending_interrupts[event.reply_id] = event.heard_text
            apply_interrupts(state)

        await self._mutate(event.call_id, truncate)

    async def on_ended(self, event: CallEnded, delivery: Delivery) -> None:
        self.cancel(event.call_id)
        loaded = await self.deps.states.load(event.call_id)
        if loaded is None:
            return
        state, _ = loaded
        if not state.ended:
            metrics.ACTIVE_CALLS.dec()
        if not state.outcome_published:
            await self._record_outcome(state, event.reason)

        def finish(s: CallState) -> None:
            s.ended = True
            s.outcome_published = True

        await self._mutate(event.call_id, finish)
        self.forget(event.call_id)

    # ---- helpers ----------------------------------------------------------------------------

    async def _record_outcome(self, state: CallState, end_reason: EndReason | None = None) -> None:
        event = outcome_event(state, end_reason)
        metrics.CALL_OUTCOMES.labels(event.outcome.value).inc()
        state.outcome = event.outcome.value
        state.outcome_published = True
        await self.deps.publisher.event(call_subject(state.call_id, "outcome"), event)

    async def _finish_reply(self, state: CallState, reply_id: str, turn_id: str | None,
                            delivery: Delivery) -> None:  # fmt: skip
        """A copy that saved the turn died before its reply's final chunk went out: the
        gateway is still waiting. Say what the saved reply said that is not in the stream yet,
        then end it as it ended (nothing when the reply is complete or was barged in on)."""
        if not delivery.redelivered or state.ended:
            return  # (nobody is on the line once the call ended)
        said = next((h for h in reversed(state.history)
                     if h.role == "agent" and h.reply_id == reply_id), None)  # fmt: skip
        if said is None or said.interrupted:
            return
        already = await self._already(state.call_id, reply_id, delivery)
        reply = ReplyStream(self.deps.publisher, self.deps.clock, call_id=state.call_id,
                            reply_id=reply_id, turn_id=turn_id, already=already)  # fmt: skip
        if reply.finished:
            return
        log.warning("call %s: finishing a saved reply a dead copy left open", state.call_id)
        await reply.say(said.text)
        await reply.end(said.action)

    async def _already(self, call_id: str, reply_id: str, delivery: Delivery) -> list[ReplyChunk]:
        if not delivery.redelivered:
            return []
        return await self.deps.publisher.published_chunks(call_id, reply_id, delivery.stream_seq)

    async def _load_or_wait(self, call_id: str) -> tuple[CallState, int] | None:
        deadline = self.deps.clock.monotonic() + STATE_WAIT
        while True:
            loaded = await self.deps.states.load(call_id)
            if loaded is not None or self.deps.clock.monotonic() >= deadline:
                return loaded
            await asyncio.sleep(0.05)

    async def _create(self, state: CallState) -> int | None:
        try:
            return await self.deps.states.create(state)
        except StateConflict:
            return None

    async def _commit(self, base: CallState, mine: CallState, revision: int, turn_id: str,
                      appended: int) -> bool:  # fmt: skip
        """Write with a revision check; on a conflict merge my changes onto the latest."""
        for _ in range(8):
            try:
                await self.deps.states.update(mine, revision)
                return True
            except StateConflict:
                loaded = await self.deps.states.load(mine.call_id)
                if loaded is None:
                    return False
                theirs, revision = loaded
                if turn_id in theirs.done_turns and turn_id not in base.done_turns:
                    return False  # another copy finished this very turn first
                mine = merge(base, mine, theirs, appended)
                base = theirs
        log.error("call %s: could not save state after repeated conflicts", mine.call_id)
        return False

    async def _mutate(self, call_id: str, change: Callable[[CallState], None]) -> None:
        for _ in range(8):
            loaded = await self.deps.states.load(call_id)
            if loaded is None:
                return
            state, revision = loaded
            change(state)
            try:
                await self.deps.states.update(state, revision)
                return
            except StateConflict:
                continue

    def _timing(self, kind: str, received: float, reply: ReplyStream) -> None:
        if reply.first_chunk_at is not None:
            seconds = max(reply.first_chunk_at - received, 0)
            metrics.TURN_LATENCY.labels(kind).observe(seconds)
            log.debug("%s: first reply chunk after %.1f ms", kind, seconds * 1000)
        if self.on_timing is not None and reply.first_chunk_at is not None:
            self.on_timing(kind, received, reply.first_chunk_at)
