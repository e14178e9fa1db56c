"""Carrying out what a reply asks for, behind a port: hang up, or transfer to the broker.

``LiveKitControl`` uses LiveKit's server API (delete the room; SIP transfer of the caller's
participant to the broker's number, which comes from the tools service via the dialogue,
never from the LLM). ``TextControl`` ends a simulated call.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from contracts.calls import EndReason
from contracts.conversation import EndCall, Transfer
from services.agent_gateway.bridge import CallBridge, Reply

log = logging.getLogger(__name__)


class CallControl(Protocol):
    async def hang_up(self) -> None: ...
    async def transfer(self, to_number: str) -> bool: ...


class LiveKitControl:
    def __init__(self, api: Any, room_name: str, participant_identity: str) -> None:
        self.api = api
        self.room_name = room_name
        self.participant_identity = participant_identity

    async def hang_up(self) -> None:
        from livekit import api

        await self.api.room.delete_room(api.DeleteRoomRequest(room=self.room_name))

    async def transfer(self, to_number: str) -> bool:
        from livekit import api

        try:
            await self.api.sip.transfer_sip_participant(
                api.TransferSIPParticipantRequest(
                    participant_identity=self.participant_identity,
                    room_name=self.room_name,
                    transfer_to=f"tel:{to_number}",
                    play_dialtone=False,
                )
            )
        except Exception as err:
            log.error("SIP transfer failed: %s", type(err).__name__)
            return False
        return True


async def carry_out(reply: Reply, bridge: CallBridge, control: CallControl) -> EndReason | None:
    """After a reply was spoken: end or transfer the call if it asked to. Returns how the call
    ended, or None when it goes on."""
    action = reply.action
    if isinstance(action, Transfer):
        if await control.transfer(action.to_number):
            await bridge.ended(EndReason.TRANSFERRED, detail=action.reason)
            return EndReason.TRANSFERRED
        await bridge.ended(EndReason.ERROR, detail="transfer failed")
        await control.hang_up()
        return EndReason.ERROR
    if isinstance(action, EndCall):
        reason = EndReason.ERROR if reply.failed else EndReason.AGENT_ENDED
        await bridge.ended(reason, detail=action.reason)
        await control.hang_up()
        return reason
    return None
