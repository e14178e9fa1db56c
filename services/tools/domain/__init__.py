"""Pure business rules: no I/O, no bus, no database; unit-tested on their own."""
