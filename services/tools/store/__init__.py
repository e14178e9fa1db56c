"""SQL for the tools schema, one module per aggregate. Functions take an open connection so
handlers decide the transaction."""
