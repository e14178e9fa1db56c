"""Typed messages that cross the bus: the only code the services share.

One module per concern: ``calls`` (lifecycle and dialogue state), ``conversation``
(transcripts, caller turns, reply chunks), ``tools`` (tool requests, results, audit),
``store`` (persistence reads), ``deadletter``. Subjects and headers live in ``subjects``;
the wire codec in ``codec``; stream declarations and publishing helpers in ``bus``.
Domain rules more than one service applies live here once, too: ``phone`` (E.164) and
``timezones`` (US state → IANA zone). Services import nothing of each other
(``tests/test_boundaries.py``).
"""
