"""JSON on the wire: encode any contract, decode with a readable error naming the field."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

T = TypeVar("T")

_encoder = msgspec.json.Encoder()


#: no contract comes near this (a long call's transcript read is tens of KB); anything larger
#: is refused before it is parsed
MAX_PAYLOAD_BYTES = 512 * 1024


class ContractError(ValueError):
    """A payload that does not match its contract. ``str(err)`` names the field."""


class PayloadTooLarge(ContractError):
    """A payload over :data:`MAX_PAYLOAD_BYTES`: refused unparsed."""


def encode(message: Any) -> bytes:
    return _encoder.encode(message)


def decode(data: bytes | str, type_: type[T], *, max_bytes: int = MAX_PAYLOAD_BYTES) -> T:
    """Decode ``data`` as ``type_``; raises :class:`ContractError` with the reason — for
    anything at all: a payload over ``max_bytes`` (:class:`PayloadTooLarge`, not parsed), JSON
    nested too deeply for the parser (a ``RecursionError`` inside msgspec), not JSON, not the
    contract. Bounded: size before parsing, depth by the interpreter's recursion limit."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"payload of {len(data)} bytes is over the {max_bytes}-byte limit for {_name(type_)}"
        )
    try:
        return msgspec.json.decode(data, type=type_)
    except msgspec.ValidationError as err:
        raise ContractError(f"invalid {_name(type_)}: {err}") from err
    except msgspec.DecodeError as err:
        raise ContractError(f"not valid JSON for {_name(type_)}: {err}") from err
    except RecursionError as err:
        raise ContractError(f"not valid JSON for {_name(type_)}: nested too deeply") from err


def _name(type_: Any) -> str:
    return getattr(type_, "__name__", str(type_))
