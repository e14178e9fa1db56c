"""Named fakes at the LLM's network boundary, selectable at run time for benchmarks and demos:
the scripted provider (``EC_DIALOGUE_POLICY=scripted``) and a local OpenAI-compatible server
(:mod:`.openai_server`) that the real ``openai`` client talks to. Never the default.

In-process test doubles (tool service, stores, clock) live under ``tests/dialogue/fakes/``."""
