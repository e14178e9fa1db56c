"""``equity-connect livekit setup [--dry-run]``: the inbound SIP trunk and the dispatch rule
that sends every call to our agent, created or updated idempotently through ``livekit-api``.

- trunk ``equity-connect-inbound``: our numbers (EC_SIP_NUMBERS), the carrier addresses allowed
  to send calls (EC_SIP_ALLOWED_ADDRESSES), digest auth (EC_SIP_AUTH_USERNAME / _PASSWORD);
- dispatch rule ``equity-connect-inbound``: a new room per call (``call-…``) with the agent
  ``inbound-agent`` (EC_GATEWAY_AGENT_NAME) dispatched, metadata ``{"direction": "inbound"}``;
  the caller's and the dialled number reach the gateway as SIP participant attributes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

NAME = "equity-connect-inbound"


@dataclass(frozen=True)
class Desired:
    numbers: list[str]
    allowed_addresses: list[str]
    auth_username: str
    auth_password: str
    agent_name: str

    @classmethod
    def from_env(cls) -> Desired:
        def items(var: str) -> list[str]:
            return [x.strip() for x in os.environ.get(var, "").split(",") if x.strip()]

        return cls(
            numbers=items("EC_SIP_NUMBERS"),
            allowed_addresses=items("EC_SIP_ALLOWED_ADDRESSES"),
            auth_username=os.environ.get("EC_SIP_AUTH_USERNAME", ""),
            auth_password=os.environ.get("EC_SIP_AUTH_PASSWORD", ""),
            agent_name=os.environ.get("EC_GATEWAY_AGENT_NAME", "inbound-agent"),
        )


def trunk_info(d: Desired) -> Any:
    from livekit import api

    return api.SIPInboundTrunkInfo(
        name=NAME, numbers=d.numbers, allowed_addresses=d.allowed_addresses,
        auth_username=d.auth_username, auth_password=d.auth_password, krisp_enabled=True,
    )  # fmt: skip


def rule_info(d: Desired, trunk_id: str) -> Any:
    from livekit import api

    return api.SIPDispatchRuleInfo(
        name=NAME,
        trunk_ids=[trunk_id],
        rule=api.SIPDispatchRule(
            dispatch_rule_individual=api.SIPDispatchRuleIndividual(room_prefix="call-")
        ),
        room_config=api.RoomConfiguration(
            agents=[api.RoomAgentDispatch(agent_name=d.agent_name,
                                          metadata=json.dumps({"direction": "inbound"}))]
        ),
    )  # fmt: skip


def _same_trunk(have: Any, want: Any) -> bool:
    return (list(have.numbers) == list(want.numbers)
            and list(have.allowed_addresses) == list(want.allowed_addresses)
            and have.auth_username == want.auth_username
            and have.auth_password == want.auth_password)  # fmt: skip


def _same_rule(have: Any, want: Any) -> bool:
    return (list(have.trunk_ids) == list(want.trunk_ids)
            and have.rule == want.rule and have.room_config == want.room_config)  # fmt: skip


async def setup(lk: Any, desired: Desired, *, dry_run: bool) -> list[str]:
    """Bring the trunk and the rule to ``desired``; returns what changed (or would)."""
    from livekit import api

    changes: list[str] = []
    trunks = (await lk.sip.list_inbound_trunk(api.ListSIPInboundTrunkRequest())).items
    trunk = next((t for t in trunks if t.name == NAME), None)
    want_trunk = trunk_info(desired)
    if trunk is None:
        changes.append(f"create inbound trunk {NAME} for {len(desired.numbers)} number(s)")
        trunk_id = "(new trunk)"
        if not dry_run:
            created = await lk.sip.create_inbound_trunk(
                api.CreateSIPInboundTrunkRequest(trunk=want_trunk)
            )
            trunk_id = created.sip_trunk_id
    else:
        trunk_id = trunk.sip_trunk_id
        if not _same_trunk(trunk, want_trunk):
            changes.append(f"update inbound trunk {NAME} ({trunk_id})")
            if not dry_run:
                await lk.sip.update_inbound_trunk(trunk_id, want_trunk)
    rules = (await lk.sip.list_dispatch_rule(api.ListSIPDispatchRuleRequest())).items
    rule = next((r for r in rules if r.name == NAME), None)
    want_rule = rule_info(desired, trunk_id)
    if rule is None:
        changes.append(f"create dispatch rule {NAME} → agent {desired.agent_name}")
        if not dry_run:
            await lk.sip.create_dispatch_rule(
                api.CreateSIPDispatchRuleRequest(dispatch_rule=want_rule)
            )
    elif not _same_rule(rule, want_rule):
        changes.append(f"update dispatch rule {NAME} ({rule.sip_dispatch_rule_id})")
        if not dry_run:
            await lk.sip.update_dispatch_rule(rule.sip_dispatch_rule_id, want_rule)
    return changes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="equity-connect livekit",
        description="Create or update the inbound SIP trunk and the dispatch rule on LiveKit.",
    )
    parser.add_argument("action", choices=["setup"])
    parser.add_argument("--dry-run", action="store_true", help="print what would change")
    args = parser.parse_args(argv[1:] if argv and argv[0] == "livekit" else argv)
    missing = [v for v in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET")
               if not os.environ.get(v)]  # fmt: skip
    if missing:
        print(f"error: set {', '.join(missing)}", file=sys.stderr)
        return 1
    desired = Desired.from_env()
    if not desired.numbers:
        print("error: set EC_SIP_NUMBERS (our numbers, comma-separated, E.164)", file=sys.stderr)
        return 1
    return asyncio.run(_run(desired, args.dry_run))


async def _run(desired: Desired, dry_run: bool) -> int:
    from livekit import api

    lk = api.LiveKitAPI(os.environ["LIVEKIT_URL"], os.environ["LIVEKIT_API_KEY"],
                        os.environ["LIVEKIT_API_SECRET"])  # fmt: skip
    try:
        changes = await setup(lk, desired, dry_run=dry_run)
    except Exception as err:
        print(f"error: LiveKit refused: {err}", file=sys.stderr)
        return 1
    finally:
        await lk.aclose()
    verb = "would" if dry_run else "did"
    for change in changes:
        print(f"{verb}: {change}")
    if not changes:
        print("up to date: nothing to change")
    return 0
