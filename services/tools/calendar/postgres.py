"""The built-in calendar: working hours, blocked time and appointments in the tools schema."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from psycopg import AsyncConnection

from services.tools.calendar.port import NewAppointment, SlotTaken
from services.tools.domain.slots import BrokerSchedule, Interval, WorkingHours
from services.tools.store.brokers import BrokerRow


def _need(conn: AsyncConnection | None) -> AsyncConnection:
    if conn is None:
        raise TypeError("the Postgres calendar works inside a database connection")
    return conn


@dataclass
class PostgresCalendar:
    """Working hours are kept ``hours_ttl_s`` seconds (they change rarely); busy times are
    read fresh every time."""

    hours_ttl_s: float = 30.0
    _hours: dict[uuid.UUID, tuple[float, list[WorkingHours]]] = field(default_factory=dict)

    async def _working_hours(self, db: AsyncConnection, broker_id: uuid.UUID) -> list[WorkingHours]:
        now = time.monotonic()
        cached = self._hours.get(broker_id)
        if cached and now - cached[0] < self.hours_ttl_s:
            return cached[1]
        cur = await db.execute(
            "SELECT weekday, start_time, end_time FROM broker_working_hours WHERE broker_id = %s",
            (broker_id,),
        )
        hours = [WorkingHours(*row) for row in await cur.fetchall()]
        self._hours[broker_id] = (now, hours)
        return hours

    async def schedule(
        self, conn: AsyncConnection | None, broker: BrokerRow, start: datetime, end: datetime
    ) -> BrokerSchedule:
        db = _need(conn)
        hours = await self._working_hours(db, broker.id)
        cur = await db.execute(
            """SELECT starts_at, ends_at FROM appointments
               WHERE broker_id = %(b)s AND status = 'scheduled'
                 AND starts_at < %(end)s AND ends_at > %(start)s
               UNION ALL
               SELECT lower(during), upper(during) FROM broker_blocked_time
               WHERE broker_id = %(b)s AND during && tstzrange(%(start)s, %(end)s)""",
            {"b": broker.id, "start": start, "end": end},
        )
        busy = [Interval(b_start or start, b_end or end) for b_start, b_end in await cur.fetchall()]
        return BrokerSchedule(
            broker_id=str(broker.id),
            timezone=broker.timezone,
            appointment_minutes=broker.appointment_minutes,
            hours=hours,
            busy=busy,
        )

    async def reserve(self, conn: AsyncConnection | None, appointment: NewAppointment) -> None:
        a = appointment
        try:  # RETURNING + fetch: in pipeline mode a conflict surfaces here, not at commit
            cur = await _need(conn).execute(
                """INSERT INTO appointments (id, lead_id, broker_id, starts_at, ends_at,
                       broker_timezone, caller_timezone, idempotency_key, call_id, replaces_id)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
                (
                    a.id,
                    a.lead_id,
                    a.broker_id,
                    a.starts_at,
                    a.ends_at,
                    a.broker_timezone,
                    a.caller_timezone,
                    a.idempotency_key,
                    a.call_id,
                    a.replaces_id,
                ),
            )
            await cur.fetchone()
        except psycopg.errors.ExclusionViolation as err:
            raise SlotTaken() from err

    async def release(self, conn: AsyncConnection | None, appointment_id: uuid.UUID) -> None:
        await _need(conn).execute(
            "UPDATE appointments SET status = 'cancelled', updated_at = now() WHERE id = %s",
            (appointment_id,),
        )
