"""The LLM path: code understands first (:mod:`.turn`), the model words the reply from the
system prompt (:mod:`.prompt`)."""

from services.dialogue.policy.llm.prompt import llm_config, system_prompt, variables
from services.dialogue.policy.llm.turn import expect_after, llm_turn

__all__ = ["expect_after", "llm_config", "llm_turn", "system_prompt", "variables"]
