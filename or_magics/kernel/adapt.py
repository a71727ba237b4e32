"""User types as pydantic sees them.

pydantic refuses ``typing.TypedDict`` before Python 3.12 (it needs
``typing_extensions.TypedDict``), yet that is what people write in a notebook. `compatible`
rewrites such a type, wherever it appears in an annotation, into the equivalent
``typing_extensions`` one, so tools and schemas take the types people really use; `mend`
repairs dataclasses that cloudpickle copied by value (a notebook's schema on a worker).
"""

from __future__ import annotations

import functools
import sys
import typing
from typing import Any

__all__ = ["adapter", "compatible", "mend"]


@functools.lru_cache(maxsize=256)
def _typed_dict(cls: Any) -> Any:
    import typing_extensions

    hints = typing.get_type_hints(cls, include_extras=True)
    required = getattr(cls, "__required_keys__", frozenset(hints))
    fields = {name: compatible(tp) if name in required else typing_extensions.NotRequired[
        compatible(tp)] for name, tp in hints.items()}
    made = typing_extensions.TypedDict(cls.__name__, fields)  # type: ignore[misc]
    made.__doc__ = cls.__doc__
    return made


def compatible(tp: Any) -> Any:
    """``tp`` with every ``typing.TypedDict`` swapped for its ``typing_extensions`` twin."""
    if sys.version_info >= (3, 12):
        return tp
    if typing.is_typeddict(tp) and type(tp).__module__ == "typing":
        return _typed_dict(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is None or not args:
        return tp
    if origin is typing.Literal:
        return tp
    fixed = tuple(compatible(arg) for arg in args)
    if fixed == args:
        return tp
    if origin is typing.Annotated:
        meta = (fixed[0], *args[1:])
        return typing.Annotated[meta]
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", typing.Union)):
        return typing.Union[fixed]  # noqa: UP007 (built from a tuple at run time)
    return origin[fixed]


def adapter(tp: Any) -> Any:
    """A ``pydantic.TypeAdapter`` for ``tp`` (imported on first use)."""
    from pydantic import TypeAdapter

    mend(tp)
    return TypeAdapter(compatible(tp))


def mend(tp: Any, seen: set[int] | None = None) -> None:
    """Dataclasses that came through cloudpickle by value (a notebook's class on a Dask
    worker) hold copies of ``dataclasses.MISSING``, which no longer mean "no default":
    pydantic then sees both a default and a factory and refuses the type. Put the real
    sentinel back, in ``tp`` and in the types of its fields."""
    import dataclasses

    seen = set() if seen is None else seen
    if id(tp) in seen:
        return
    seen.add(id(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        for field in getattr(tp, "__dataclass_fields__", {}).values():
            for name in ("default", "default_factory"):
                value = getattr(field, name)
                if value is not dataclasses.MISSING and \
                        type(value).__name__ == "_MISSING_TYPE":
                    setattr(field, name, dataclasses.MISSING)
            if not isinstance(field.type, str):
                mend(field.type, seen)
    for arg in typing.get_args(tp):
        mend(arg, seen)
