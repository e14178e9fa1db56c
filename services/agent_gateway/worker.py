"""The LiveKit worker: explicit dispatch as ``inbound-agent`` (EC_GATEWAY_AGENT_NAME); one job
per call. Thin: metadata → template → pipeline → BusAgent; everything else is on the bus.
The worker's main process answers presence as service ``gateway`` (presence.py)."""

from __future__ import annotations

import asyncio
import functools
import logging
from datetime import UTC, datetime
from typing import Any, cast

from livekit import rtc
from livekit.agents import AgentSession, JobContext

from contracts.base import new_call_id
from contracts.bus import connect
from contracts.calls import EndReason
from contracts.telemetry import tracer_provider
from services.agent_gateway import metadata, plugins, recording, webhooks
from services.agent_gateway.agent import BusAgent, BusLLM
from services.agent_gateway.bridge import APOLOGY, CallBridge, Reply
from services.agent_gateway.control import LiveKitControl, carry_out
from services.agent_gateway.presence import GatewayServer
from services.agent_gateway.settings import Settings

log = logging.getLogger(__name__)
_bus: dict[str, Any] = {}


async def _nats(url: str) -> Any:
    """One bus connection per job process, shared by the calls it runs."""
    nc = _bus.get("nc")
    if nc is None or nc.is_closed:
        nc = _bus["nc"] = await connect(url, "agent-gateway")
    return nc


def join_traces() -> None:
    """With tracing on (``OTEL_*``, see contracts.telemetry), LiveKit's own spans (session,
    turns, speaking) go to the gateway's tracer provider — without conversation content
    (``allow_pii=False``) — and a call's bus messages continue the same trace."""
    provider = tracer_provider("gateway")
    if provider is not None and not _bus.get("traced"):
        from livekit.agents import telemetry

        telemetry.set_tracer_provider(provider, allow_pii=False)
        _bus["traced"] = True


async def entrypoint(ctx: JobContext, settings: Settings) -> None:
    join_traces()  # a job process of its own
    bridge: CallBridge | None = None
    session: AgentSession | None = None
    control: LiveKitControl | None = None
    try:
        await ctx.connect()
        participant = await ctx.wait_for_participant()
        info = metadata.parse(
            job_metadata=ctx.job.metadata,
            participant_attributes=participant.attributes,
            participant_metadata=participant.metadata,
            room_metadata=ctx.room.metadata,
            room_name=ctx.room.name,
        )
        control = LiveKitControl(ctx.api, ctx.room.name, participant.identity)
        # from the room's SID when LiveKit gave one: the room_finished webhook finds the call
        room_sid = ctx.job.room.sid
        call_id = metadata.call_id_for_room(room_sid) if room_sid else new_call_id()
        bridge = CallBridge(await _nats(settings.nats_url), call_id, settings.timing)
        _bus["call"] = (call_id, bridge.started_wall)  # for session_ended (the recording)
        await bridge.open()
        template = await bridge.template(info.dialled_number) or plugins.DEFAULT_TEMPLATE
        pipeline = plugins.build(template)
        turns = cast(Any, pipeline.turn_handling)
        session = AgentSession(stt=pipeline.stt, tts=pipeline.tts, vad=pipeline.vad,
                               llm=BusLLM(), turn_handling=turns)  # fmt: skip
        ended = asyncio.Event()
        live_bridge, live_control = bridge, control

        async def on_reply_done(reply: Reply) -> None:
            if await carry_out(reply, live_bridge, live_control) is not None:
                ended.set()

        agent = BusAgent(bridge, on_reply_done)

        hung_up = asyncio.Event()
        silences: set[asyncio.Future[None]] = set()

        def on_user_state(event: Any) -> None:
            if getattr(event, "new_state", None) == "away" and not ended.is_set():
                task = asyncio.ensure_future(agent.caller_silent())
                silences.add(task)
                task.add_done_callback(silences.discard)

        def on_disconnect(p: rtc.RemoteParticipant) -> None:
            if p.identity == participant.identity and not ended.is_set():
                hung_up.set()
                ended.set()

        session.on("user_state_changed", on_user_state)
        ctx.room.on("participant_disconnected", on_disconnect)
        await bridge.started(direction=info.direction, caller=info.caller_number,
                             dialled=info.dialled_number, room=ctx.room.name,
                             template_id=template.template_id)  # fmt: skip
        # the agent-side recorder (stereo Ogg/Opus: caller, Barbara as played) when Storage
        # is configured; uploaded by session_ended, after the call has ended. Without Storage,
        # LiveKit's own setting decides (the job's enable_recording: LiveKit Cloud insights)
        record = {"record": cast(Any, _RECORD_AUDIO)} if settings.recordings.enabled else {}
        await session.start(agent, room=ctx.room, **record)
        await ended.wait()
        if hung_up.is_set():
            await bridge.ended(EndReason.CALLER_HUNG_UP)
    except Exception:
        log.exception("call failed in the gateway: apologising and hanging up")
        await _fail(session, bridge, control)
        # end the job even when the room was never joined (nothing else would end it)
        ctx.shutdown(reason="gateway error")
    finally:
        if bridge is not None:
            await bridge.close()


_RECORD_AUDIO = {"audio": True, "traces": False, "logs": False, "transcript": False}


async def session_ended(ctx: JobContext, settings: Settings) -> None:
    """LiveKit's ``on_session_end``: the session is closed and its recorder flushed (the call
    has ended and ``ended`` is out), the job's temp directory not yet deleted. The recording
    is spooled and uploaded (recording.py); a failure leaves it in the spool, never raises."""
    call = _bus.pop("call", None)
    if call is None or not settings.recordings.enabled:
        return
    call_id, started_wall = call
    try:
        report = ctx.make_session_report()
        path, began = report.audio_recording_path, report.audio_recording_started_at
        if path is None or not path.exists():
            log.warning("recordings: %s has no recording", call_id)
            return
        recorder = recording.recorder_for(settings.recordings, settings.recording_spool,
                                          await _nats(settings.nats_url))  # fmt: skip
        if recorder is None:
            return
        offset_ms = int(((began or started_wall) - started_wall) * 1000)
        await recorder.keep(call_id, path, offset_ms=offset_ms,
                            started_at=datetime.fromtimestamp(started_wall, UTC))  # fmt: skip
    except Exception:
        log.exception("recordings: %s could not be kept", call_id)


async def _fail(
    session: AgentSession | None, bridge: CallBridge | None, control: LiveKitControl | None
) -> None:
    """Never leave a caller in silence: say sorry, record the error, hang up cleanly."""
    try:
        if session is not None:
            await asyncio.wait_for(session.say(APOLOGY).wait_for_playout(), 10)
    except Exception:
        log.warning("could not play the apology")
    if bridge is not None:
        await bridge.ended(EndReason.ERROR, detail="gateway error")
    if control is not None:
        try:
            await control.hang_up()
        except Exception:
            log.warning("could not delete the room")


def server(settings: Settings) -> GatewayServer:
    join_traces()
    options = {"prometheus_port": settings.prometheus_port} if settings.prometheus_port else {}
    hooks = None
    if settings.livekit_api_key and settings.livekit_api_secret:
        hooks = functools.partial(webhooks.start, api_key=settings.livekit_api_key,
                                  api_secret=settings.livekit_api_secret,
                                  port=settings.webhook_port)  # fmt: skip
    sweep = None
    if settings.recordings.enabled:
        sweep = functools.partial(recording.sweep_spool, settings=settings.recordings,
                                  spool=settings.recording_spool)  # fmt: skip
    app = GatewayServer(settings.nats_url, webhooks=hooks, background=sweep, **options)
    # each call runs in a job process started by pickling the entrypoint: a module-level
    # function (with its settings), never a closure
    app.rtc_session(functools.partial(entrypoint, settings=settings),
                    agent_name=settings.agent_name,
                    on_session_end=functools.partial(session_ended, settings=settings))  # fmt: skip
    return app
