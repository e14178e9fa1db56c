"""What every handler gets: built once by the composition root (``bootstrap``)."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg_pool import AsyncConnectionPool

from contracts.sessions import Calls
from services.tools.calendar.port import Calendar
from services.tools.clock import Clock
from services.tools.kb.embedder import Embedder
from services.tools.kb.terms import TermStats
from services.tools.settings import Settings
from services.tools.store.brokers import BrokerCache


@dataclass(frozen=True)
class Deps:
    pool: AsyncConnectionPool
    clock: Clock
    calendar: Calendar
    embedder: Embedder
    settings: Settings
    terms: TermStats
    brokers: BrokerCache
    #: the calls the gateway started (the CALLS stream): sessions come from them
    calls: Calls
