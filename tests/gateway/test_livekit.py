"""`equity-connect livekit setup` and the call controls, against a fake LiveKit server API."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from services.agent_gateway.control import LiveKitControl
from services.agent_gateway.livekit_setup import NAME, Desired, setup
from tests.gateway.fake_livekit import FakeLiveKit, client

DESIRED = Desired(
    numbers=["+18005550242"],
    allowed_addresses=["203.0.113.0/24"],
    auth_username="carrier",
    auth_password="s3cret-for-tests",
    agent_name="inbound-agent",
)


async def test_setup_creates_the_trunk_and_the_dispatch_rule(livekit: FakeLiveKit) -> None:
    lk = client(livekit.url)
    try:
        changes = await setup(lk, DESIRED, dry_run=False)
    finally:
        await lk.aclose()
    assert len(changes) == 2
    (trunk,) = livekit.trunks.values()
    assert trunk.name == NAME and list(trunk.numbers) == ["+18005550242"]
    assert list(trunk.allowed_addresses) == ["203.0.113.0/24"]
    (rule,) = livekit.rules.values()
    assert list(rule.trunk_ids) == [trunk.sip_trunk_id]
    assert rule.rule.dispatch_rule_individual.room_prefix == "call-"
    (agent,) = rule.room_config.agents
    assert agent.agent_name == "inbound-agent"
    assert json.loads(agent.metadata) == {"direction": "inbound"}


async def test_setup_twice_changes_nothing_and_a_new_number_updates(livekit: FakeLiveKit) -> None:
    lk = client(livekit.url)
    try:
        await setup(lk, DESIRED, dry_run=False)
        assert await setup(lk, DESIRED, dry_run=False) == []
        more = Desired(**{**DESIRED.__dict__, "numbers": ["+18005550242", "+18885550245"]})
        changes = await setup(lk, more, dry_run=False)
    finally:
        await lk.aclose()
    assert changes == [f"update inbound trunk {NAME} (ST_1)"]
    assert len(livekit.trunks) == 1 and len(livekit.rules) == 1
    assert list(livekit.trunks["ST_1"].numbers) == ["+18005550242", "+18885550245"]


async def test_dry_run_changes_nothing(livekit: FakeLiveKit) -> None:
    lk = client(livekit.url)
    try:
        changes = await setup(lk, DESIRED, dry_run=True)
    finally:
        await lk.aclose()
    assert len(changes) == 2 and not livekit.trunks and not livekit.rules


async def ec(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run the command without blocking the event loop that serves the fake."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.ops.cli",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_the_command_prints_what_it_would_do(livekit: FakeLiveKit) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EC_", "LIVEKIT_")) or k.startswith("EC_NATS_PASSWORD_")
    }
    env |= {
        "LIVEKIT_URL": livekit.url,
        "LIVEKIT_API_KEY": "devkey",
        "LIVEKIT_API_SECRET": "a-test-secret-that-is-at-least-32-bytes-long",
        "EC_SIP_NUMBERS": "+18005550242",
    }
    code, out, err = await ec(env, "livekit", "setup", "--dry-run")
    assert code == 0, err
    assert "would: create inbound trunk" in out and "would: create dispatch rule" in out
    assert not livekit.trunks
    code, out, err = await ec(env, "livekit", "setup")
    assert code == 0 and "did: create inbound trunk" in out and livekit.trunks
    code, out, _ = await ec(env, "livekit", "setup")
    assert "up to date" in out
    del env["EC_SIP_NUMBERS"]
    code, _, err = await ec(env, "livekit", "setup")
    assert code == 1 and "EC_SIP_NUMBERS" in err


async def test_hang_up_deletes_the_room_and_transfer_dials_the_broker(
    livekit: FakeLiveKit,
) -> None:
    lk = client(livekit.url)
    control = LiveKitControl(lk, "call-_+12065550311_abc", "sip_caller")
    try:
        assert await control.transfer("+12065550201")
        await control.hang_up()
    finally:
        await lk.aclose()
    (transfer,) = livekit.transfers
    assert transfer.transfer_to == "tel:+12065550201"
    assert transfer.participant_identity == "sip_caller"
    assert livekit.deleted_rooms == ["call-_+12065550311_abc"]
