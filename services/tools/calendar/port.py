"""What booking needs from a broker's calendar.

The appointment of record always lives in ``tools.appointments``, whose exclusion constraint
makes a double booking impossible. An external calendar adapter (Nylas, Google) would add the
broker's outside busy times in :meth:`Calendar.schedule`, and mirror ``reserve`` / ``release``
to the outside calendar after the transaction commits (an outbox), never instead of it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from psycopg import AsyncConnection

from services.tools.domain.slots import BrokerSchedule
from services.tools.store.brokers import BrokerRow


class SlotTaken(Exception):
    """Another live appointment overlaps the requested time for this broker."""


@dataclass(frozen=True)
class NewAppointment:
    id: uuid.UUID
    lead_id: uuid.UUID
    broker_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    broker_timezone: str
    caller_timezone: str
    idempotency_key: str
    call_id: str
    replaces_id: uuid.UUID | None = None


class Calendar(Protocol):
    async def schedule(
        self, conn: AsyncConnection | None, broker: BrokerRow, start: datetime, end: datetime
    ) -> BrokerSchedule:
        """The broker's working hours and every busy interval overlapping [start, end)."""
        ...

    async def reserve(self, conn: AsyncConnection | None, appointment: NewAppointment) -> None:
        """Create the appointment inside the caller's transaction; :class:`SlotTaken` if the
        time overlaps a live appointment of the same broker."""
        ...

    async def release(self, conn: AsyncConnection | None, appointment_id: uuid.UUID) -> None:
        """Cancel the appointment inside the caller's transaction."""
        ...
