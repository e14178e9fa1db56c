"""Domain refusals, raised by handlers and turned into a :class:`ToolError` at the edge.

Every ``message`` is something Barbara may say to a senior caller as is; ``detail`` and
``field`` tell the dialogue (not the caller) what was wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

from contracts.tools import Slot, ToolError, ToolErrorCode

SORRY_AGAIN = "I'm sorry, I didn't quite catch that. Could you say it once more?"
CANNOT_ON_THIS_CALL = "I'm sorry, I'm not able to help with that on this call."
NEED_VERIFICATION = "Before I can do that, I just need to confirm a couple of details with you."
TRY_AGAIN_SHORTLY = (
    "I'm sorry, I'm having trouble with that right now. Let me try again in a moment."
)
TAKING_TOO_LONG = "I'm sorry, that's taking longer than it should. Let me try that again."


class ToolFailure(Exception):
    """A typed refusal: becomes ``ToolError`` in the reply."""

    def __init__(
        self,
        code: ToolErrorCode,
        message: str,
        *,
        detail: str = "",
        field: str | None = None,
        retryable: bool = False,
        alternatives: Sequence[Slot] = (),
    ) -> None:
        super().__init__(detail or code.value)
        self.code = code
        self.message = message
        self.detail = detail
        self.field = field
        self.retryable = retryable
        self.alternatives = list(alternatives)

    def to_error(self) -> ToolError:
        return ToolError(
            code=self.code,
            message=self.message,
            retryable=self.retryable,
            field=self.field,
            detail=self.detail,
            alternatives=self.alternatives,
        )


def invalid(field: str, detail: str, message: str = SORRY_AGAIN) -> ToolFailure:
    return ToolFailure(ToolErrorCode.INVALID_ARGUMENTS, message, field=field, detail=detail)


def not_found(detail: str, message: str) -> ToolFailure:
    return ToolFailure(ToolErrorCode.NOT_FOUND, message, detail=detail)


def not_authorized(detail: str) -> ToolFailure:
    return ToolFailure(ToolErrorCode.NOT_AUTHORIZED, CANNOT_ON_THIS_CALL, detail=detail)


def not_verified(detail: str = "verify the caller first (verify_caller)") -> ToolFailure:
    return ToolFailure(ToolErrorCode.NOT_VERIFIED, NEED_VERIFICATION, detail=detail)
