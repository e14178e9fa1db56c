"""The ``Calendar`` port and its adapters: the built-in Postgres calendar (default) and an
in-memory fake for unit tests. A Nylas or Google adapter would implement the same port."""
