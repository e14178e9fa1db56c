"""Webhooks out: the outbox rows the writer adds, and the loop that delivers them."""
