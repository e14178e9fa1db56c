"""Every tool and the function that serves it: the whole wiring in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from contracts.tools import ToolName, ToolOutcome
from services.tools.deps import Deps
from services.tools.handlers import calendar, knowledge, leads

Handler = Callable[[Any, Deps], Awaitable[ToolOutcome]]

HANDLERS: dict[ToolName, Handler] = {
    ToolName.LOOKUP_LEAD: leads.lookup_lead,
    ToolName.VERIFY_CALLER: leads.verify_caller,
    ToolName.UPDATE_LEAD: leads.update_lead,
    ToolName.RECORD_QUALIFICATION: leads.record_qualification,
    ToolName.CHECK_CONSENT: leads.check_consent,
    ToolName.RECORD_DO_NOT_CALL: leads.record_do_not_call,
    ToolName.FIND_BROKER: calendar.find_broker,
    ToolName.GET_AVAILABILITY: calendar.get_availability,
    ToolName.BOOK_APPOINTMENT: calendar.book_appointment,
    ToolName.CANCEL_APPOINTMENT: calendar.cancel_appointment,
    ToolName.RESCHEDULE_APPOINTMENT: calendar.reschedule_appointment,
    ToolName.SCHEDULE_CALLBACK: calendar.schedule_callback,
    ToolName.SEARCH_KNOWLEDGE: knowledge.search_knowledge,
}

#: Tools that change state: on a deadline they answer "timeout" but finish their transaction
#: (a retry with the same idempotency key then sees the outcome) rather than be cut mid-way.
#: Read-only tools are cancelled at the deadline.
WRITES = frozenset(
    {
        ToolName.LOOKUP_LEAD,
        ToolName.VERIFY_CALLER,
        ToolName.UPDATE_LEAD,
        ToolName.RECORD_QUALIFICATION,
        ToolName.RECORD_DO_NOT_CALL,
        ToolName.BOOK_APPOINTMENT,
        ToolName.CANCEL_APPOINTMENT,
        ToolName.RESCHEDULE_APPOINTMENT,
        ToolName.SCHEDULE_CALLBACK,
    }
)
