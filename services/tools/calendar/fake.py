"""An in-memory calendar for unit tests: same rules, no database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from psycopg import AsyncConnection

from services.tools.calendar.port import NewAppointment, SlotTaken
from services.tools.domain.slots import BrokerSchedule, Interval, WorkingHours
from services.tools.store.brokers import BrokerRow


class FakeCalendar:
    def __init__(
        self,
        hours: dict[uuid.UUID, Sequence[WorkingHours]],
        blocked: dict[uuid.UUID, Sequence[Interval]] | None = None,
    ) -> None:
        self.hours = hours
        self.blocked = blocked or {}
        self.appointments: dict[uuid.UUID, NewAppointment] = {}
        self.cancelled: set[uuid.UUID] = set()

    def _live(self, broker_id: uuid.UUID) -> list[NewAppointment]:
        return [
            a
            for a in self.appointments.values()
            if a.broker_id == broker_id and a.id not in self.cancelled
        ]

    async def schedule(
        self, conn: AsyncConnection | None, broker: BrokerRow, start: datetime, end: datetime
    ) -> BrokerSchedule:
        busy = [Interval(a.starts_at, a.ends_at) for a in self._live(broker.id)]
        busy += list(self.blocked.get(broker.id, ()))
        return BrokerSchedule(
            broker_id=str(broker.id),
            timezone=broker.timezone,
            appointment_minutes=broker.appointment_minutes,
            hours=list(self.hours.get(broker.id, ())),
            busy=[b for b in busy if b.overlaps(start, end)],
        )

    async def reserve(self, conn: AsyncConnection | None, appointment: NewAppointment) -> None:
        for other in self._live(appointment.broker_id):
            if other.starts_at < appointment.ends_at and appointment.starts_at < other.ends_at:
                raise SlotTaken()
        self.appointments[appointment.id] = appointment

    async def release(self, conn: AsyncConnection | None, appointment_id: uuid.UUID) -> None:
        self.cancelled.add(appointment_id)
