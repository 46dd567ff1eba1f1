"""A field of a frozen model class whose value may be read later: a remembered branch's
ledger entries are kept in the second layer of its bundle (sitegen.memo.Remembered) and
unpickled only when something reads them; `check` of an unchanged branch never does.

The field stays an ordinary dataclass field of its class: only its slot's descriptor is
wrapped (:func:`deferrable`), so that reading it turns a :class:`Deferred` held there
into its value, once, and stores the value in the slot. Equality, `repr`, hashing,
`dataclasses.replace` and pickling all read the field, so none of them ever sees a
Deferred; nothing else changes for the callers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Deferred:
    """A value not read yet: `read()` gives it."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[], Any]) -> None:
        self.read = read


class _DeferrableSlot:
    """A slot's descriptor that resolves a Deferred value on first read."""

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        value = self.slot.__get__(obj, cls)
        if type(value) is Deferred:
            value = value.read()
            self.slot.__set__(obj, value)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


def deferrable(cls: type, name: str) -> None:
    """Let field `name` of the slotted dataclass `cls` hold a :class:`Deferred`."""
    setattr(cls, name, _DeferrableSlot(cls.__dict__[name]))


def replace_unread(obj: Any, **changes: Any) -> Any:
    """`dataclasses.replace(obj, **changes)` for a frozen slotted dataclass, without
    reading the fields not changed: a Deferred one stays unread in the copy."""
    import dataclasses

    cls = type(obj)
    made = object.__new__(cls)
    for f in dataclasses.fields(cls):
        if f.name in changes:
            value = changes[f.name]
        else:
            attr = cls.__dict__.get(f.name)
            value = attr.slot.__get__(obj, cls) if isinstance(attr, _DeferrableSlot) else getattr(obj, f.name)
        object.__setattr__(made, f.name, value)
    return made
