"""How Barbara decides what to say. :mod:`.offline` is the rule-based policy (the default with no
LLM configured, and the fallback when the LLM is down); the LLM path is
:mod:`services.dialogue.policy.llm`."""
