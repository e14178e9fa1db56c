"""The registry of functions the LLM may call, with JSON schemas generated from signatures.

A function is an ``async def f(turn: Turn, ...) -> Result`` decorated with :func:`llm_function`.
Its parameters after ``turn`` are what the caller said (typed: ``str``, ``int``, ``bool``,
contract enums, ``Literal`` choices, ``Annotated[..., msgspec.Meta(pattern=...)]``); its docstring's
first paragraph is the LLM's contract. The JSON schema the LLM sees is msgspec's schema of those
parameters, and the arguments the LLM sends are checked against the same types: a value of the
wrong type or shape is dropped (and named in the result), an unknown argument is ignored. The
call's session is never an argument: the dialogue adds it, so no argument points a tool at
another lead.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import msgspec

if typing.TYPE_CHECKING:
    from services.dialogue.context import Turn

Result = dict[str, Any]
Handler = Callable[..., Awaitable[Result]]


@dataclass(frozen=True)
class Function:
    """One function the LLM may call: its handler and what its signature says."""

    handler: Handler
    name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.handler.__name__)

    @property
    def description(self) -> str:
        doc = inspect.getdoc(self.handler) or ""
        return " ".join(doc.split("\n\n", 1)[0].split())

    @cached_property
    def _params(self) -> dict[str, tuple[Any, bool]]:
        """name → (type, required), from the signature (the first parameter is the turn)."""
        hints = typing.get_type_hints(self.handler, include_extras=True)
        params = list(inspect.signature(self.handler).parameters.values())[1:]
        return {p.name: (hints[p.name], p.default is inspect.Parameter.empty) for p in params}

    @cached_property
    def required(self) -> list[str]:
        return [name for name, (_, required) in self._params.items() if required]

    @cached_property
    def schema(self) -> dict[str, Any]:
        """The OpenAI ``function`` object: name, description, JSON schema of the parameters."""
        properties = {name: _json_type(kind) for name, (kind, _) in self._params.items()}
        return {
            "name": self.name,
            "description": self.description,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": self.required,
                "additionalProperties": False,
            },
        }

    def arguments(self, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """The declared arguments that have the declared type, and the names of those dropped
        (unknown names are ignored; ``None`` means not said)."""
        clean: dict[str, Any] = {}
        dropped: list[str] = []
        for name, value in raw.items():
            spec = self._params.get(name)
            if spec is None or value is None:
                continue
            try:
                clean[name] = msgspec.convert(value, spec[0], strict=False)
            except msgspec.ValidationError:
                dropped.append(name)
        return clean, dropped


def _json_type(kind: Any) -> dict[str, Any]:
    """msgspec's JSON schema for one parameter type, inlined, without ``null`` (an argument the
    caller did not give is left out, not sent as null)."""
    (schema,), components = msgspec.json.schema_components([kind], ref_template="{name}")
    return _inline(schema, components)


def _inline(schema: Any, components: dict[str, Any]) -> Any:
    if isinstance(schema, list):
        return [_inline(x, components) for x in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target = dict(components[schema["$ref"]])
        target.pop("title", None)
        target.pop("description", None)
        return _inline(target, components)
    if "anyOf" in schema:
        options = [x for x in schema["anyOf"] if x != {"type": "null"}]
        if len(options) == 1:
            rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
            return _inline({**options[0], **rest}, components)
    return {k: _inline(v, components) for k, v in schema.items() if k != "default"}


#: every function the LLM may call, by name
FUNCTIONS: dict[str, Function] = {}


def llm_function(handler: Handler) -> Handler:
    """Register ``handler`` as a function the LLM may call (returns it unchanged)."""
    if handler.__name__ in FUNCTIONS:
        raise ValueError(f"function {handler.__name__} is registered twice")
    FUNCTIONS[handler.__name__] = Function(handler)
    return handler


def registered(handler: Handler) -> Function:
    """The registry entry of a handler (a graph node may offer only registered functions)."""
    function = FUNCTIONS.get(handler.__name__)
    if function is None or function.handler is not handler:
        raise KeyError(f"{handler.__name__} is not a registered function")
    return function


_SPECS: dict[tuple[str, ...], list[dict[str, Any]]] = {}


def tool_specs(names: Iterable[str]) -> list[dict[str, Any]]:
    """OpenAI ``tools`` for these functions (built once per set of names)."""
    key = tuple(names)
    cached = _SPECS.get(key)
    if cached is None:
        cached = _SPECS[key] = [
            {"type": "function", "function": FUNCTIONS[name].schema}
            for name in key
            if name in FUNCTIONS
        ]
    return cached


def clean_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Only the declared arguments of ``name``, of the declared types."""
    return FUNCTIONS[name].arguments(args)[0]


async def call_function(turn: Turn, name: str, args: dict[str, Any], allowed: set[str]) -> Result:
    """Run one function the LLM asked for, if this node offers it."""
    function = FUNCTIONS.get(name)
    if function is None or name not in allowed:
        return {"ok": False, "error": "not_available_now"}
    clean, dropped = function.arguments(args)
    missing = [r for r in function.required if r not in clean]
    if missing:
        return {"ok": False, "error": "missing_arguments", "required": missing, "invalid": dropped}
    turn.calls.append((name, clean))
    result = await function.handler(turn, **clean)
    if dropped:
        result = {**result, "ignored_invalid": dropped}
    return result
