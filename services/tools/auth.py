"""Authorization: the session on a request is a claim; the call's binding is the authority.

``lookup_lead`` binds a call to the lead whose phone is the caller ID (creating one for an
unknown caller); ``verify_caller`` marks the binding verified. Every other lead tool loads the
binding and refuses when the session names another lead or another caller, or (for PII and
changes) when the caller is not verified both in the binding and in the dialogue's session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Any

from psycopg import AsyncConnection

from contracts.phone import to_e164
from contracts.tools import ToolSession
from services.tools.errors import invalid, not_authorized, not_verified
from services.tools.store import bindings
from services.tools.store.bindings import Binding
from services.tools.store.leads import LeadRow


class Need(Enum):
    BOUND = "bound"  # the call's own lead: routing facts, callbacks, do-not-call
    VERIFIED = "verified"  # PII reads and changes: the caller proved who they are


@dataclass(frozen=True)
class CallContext:
    binding: Binding
    lead: LeadRow

    @property
    def call_id(self) -> str:
        return self.binding.call_id


def caller_phone(session: ToolSession) -> str | None:
    """The session's caller ID in E.164; a typed error for anything that is not a number."""
    if session.caller_number is None:
        return None
    try:
        return to_e164(session.caller_number)
    except ValueError as err:
        raise invalid(
            "session.caller_number",
            "caller number is not a dialable phone number",
            "I'm sorry, I couldn't read the number you're calling from.",
        ) from err


def check(loaded: tuple[Binding, LeadRow] | None, session: ToolSession, need: Need) -> CallContext:
    if loaded is None:
        raise not_authorized("no lead is bound to this call: call lookup_lead first")
    binding, lead = loaded
    if session.lead_id is None or session.lead_id != str(binding.lead_id):
        raise not_authorized("session.lead_id is not the lead bound to this call")
    phone = caller_phone(session)
    if phone is not None and phone != binding.caller_phone:
        raise not_authorized("session.caller_number is not the caller bound to this call")
    if need is Need.VERIFIED and not (binding.verified and session.verified):
        raise not_verified()
    return CallContext(binding=binding, lead=lead)


@dataclass(frozen=True)
class Pending:
    """An authorization whose query is on its way (pipeline mode): ``finish`` decides."""

    cursor: Any
    session: ToolSession

    async def finish(self, need: Need) -> CallContext:
        return check(await bindings.read_load(self.cursor), self.session, need)


async def begin(conn: AsyncConnection, session: ToolSession, *, lock: bool = False) -> Pending:
    return Pending(await bindings.send_load(conn, session.call_id, lock_lead=lock), session)


async def authorize(
    conn: AsyncConnection, session: ToolSession, need: Need, *, lock: bool = False
) -> CallContext:
    return await (await begin(conn, session, lock=lock)).finish(need)


def claimed_lead(session: ToolSession) -> uuid.UUID:
    """The lead the session claims, for queries sent before the claim is checked; a claim
    that is not even an id is refused at once."""
    try:
        return uuid.UUID(session.lead_id or "")
    except ValueError as err:
        raise not_authorized("session.lead_id is not the lead bound to this call") from err
