"""The offline policy: the same graph, functions and outcomes as the LLM path, with rule-based
understanding and templated replies. The default with no LLM configured; the fallback when the
LLM is down.

A turn: understand the words → global intents (stop calling, a person, privacy…) → the node's
handler calls functions (tools set flags) → the router picks the next node → Barbara says an
acknowledgement or answer, then the next node's question (one or two sentences).

Modules, each importing only those after it: :mod:`.turn` (a turn, :func:`speak`) →
:mod:`.intents` (every node) and :mod:`.nodes` (one handler per node) → :mod:`.questions` (what
to ask next, the goodbye) → :mod:`.booking` (times, call backs) and :mod:`.answers` (the
knowledge base).
"""

from services.dialogue.policy.offline.turn import offline_turn, speak

__all__ = ["offline_turn", "speak"]
