"""The benchmark's fake LLM provider as its own process: an OpenAI-compatible server on
loopback answering by the scripted provider's script (services/dialogue/fakes/provider.py),
with a configurable time to first token and token rate, so the dialogue's real ``openai``
client runs over HTTP as it would against the provider.

    python bench/fake_llm.py --ttft-ms 300 --tokens-per-s 40   # prints the port, then serves
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.dialogue.fakes.openai_server import FakeOpenAI
from services.dialogue.fakes.provider import Pace, script


async def serve(pace: Pace) -> None:
    server = FakeOpenAI()
    server.default = lambda body: script(body, pace)
    server.keep_requests = False
    await server.start()
    print(server.port, flush=True)
    await asyncio.Event().wait()  # until the benchmark terminates this process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ttft-ms", type=float, default=300.0)
    parser.add_argument("--tokens-per-s", type=float, default=40.0)
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(serve(Pace(ttft_s=args.ttft_ms / 1000, tokens_per_s=args.tokens_per_s)))


if __name__ == "__main__":
    main()
