"""Kept for existing imports; the offline policy is :mod:`services.dialogue.policy.offline`."""

from services.dialogue.policy.offline import offline_turn, speak

__all__ = ["offline_turn", "speak"]
