"""JSON on the wire: encode any contract, decode with a readable error naming the field."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

T = TypeVar("T")

_encoder = msgspec.json.Encoder()


class ContractError(ValueError):
    """A payload that does not match its contract. ``str(err)`` names the field."""


def encode(message: Any) -> bytes:
    return _encoder.encode(message)


def decode(data: bytes | str, type_: type[T]) -> T:
    """Decode ``data`` as ``type_``; raises :class:`ContractError` with the reason."""
    try:
        return msgspec.json.decode(data, type=type_)
    except msgspec.ValidationError as err:
        raise ContractError(f"invalid {_name(type_)}: {err}") from err
    except msgspec.DecodeError as err:
        raise ContractError(f"not valid JSON for {_name(type_)}: {err}") from err


def _name(type_: Any) -> str:
    return getattr(type_, "__name__", str(type_))
