"""Who is calling and which number they dialled, from whatever LiveKit gives us.

Order of trust: the dispatch job's metadata (JSON from the dispatch rule), then the SIP
participant's attributes (``sip.phoneNumber`` = caller, ``sip.trunkPhoneNumber`` = dialled),
then the participant's and the room's metadata, then the room name (``call-_+12065550101_…``).
Anything missing or malformed is skipped with a warning (no PII in it): the call goes on with
the default template.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from contracts.calls import CallDirection
from contracts.phone import e164_or_none

log = logging.getLogger(__name__)
_NUMBER_IN_NAME = re.compile(r"(\+?1?\d{10,14})")
#: call ids of LiveKit rooms: uuid5 of the room's SID in this namespace
_ROOMS = uuid.UUID("3f0b8f5e-5c1a-4a7e-9d3b-6c2f1e0a4b71")


def call_id_for_room(room_sid: str) -> str:
    """The call id of the call in LiveKit room ``room_sid`` (``RM_…``, unique per room
    session): the job and the ``room_finished`` webhook both derive it, so the webhook can
    close a call the job never ended without any lookup."""
    return f"call_{uuid.uuid5(_ROOMS, room_sid).hex}"


@dataclass(frozen=True)
class CallInfo:
    caller_number: str | None
    dialled_number: str | None
    direction: CallDirection
    room: str | None


def _json(raw: str | None, where: str) -> dict[str, object]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        log.warning("ignoring %s metadata: not JSON", where)
        return {}
    if not isinstance(value, dict):
        log.warning("ignoring %s metadata: not an object", where)
        return {}
    return value


def parse(
    *,
    job_metadata: str | None = None,
    participant_attributes: Mapping[str, str] | None = None,
    participant_metadata: str | None = None,
    room_metadata: str | None = None,
    room_name: str | None = None,
) -> CallInfo:
    attrs = dict(participant_attributes or {})
    sources: list[dict[str, object]] = [
        _json(job_metadata, "job"),
        {"caller_number": attrs.get("sip.phoneNumber"),
         "dialled_number": attrs.get("sip.trunkPhoneNumber")},
        _json(participant_metadata, "participant"),
        _json(room_metadata, "room"),
    ]  # fmt: skip
    caller = dialled = None
    direction = CallDirection.INBOUND
    for source in sources:
        caller = caller or e164_or_none(source.get("caller_number") or source.get("from"))
        dialled = dialled or e164_or_none(source.get("dialled_number") or source.get("to"))
        if source.get("direction") == "outbound":
            direction = CallDirection.OUTBOUND
    if caller is None and room_name:
        match = _NUMBER_IN_NAME.search(room_name)
        caller = e164_or_none(match.group(1)) if match else None
    if caller is None:
        log.warning("no caller number in the job, participant or room: an unknown caller")
    return CallInfo(caller_number=caller, dialled_number=dialled, direction=direction,
                    room=room_name)  # fmt: skip
