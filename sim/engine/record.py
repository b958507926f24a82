"""Record: the base of the small value objects built per dispatch (events, animation steps
and frames, views, legal actions).

They are plain classes with written-out constructors and ``Final`` fields, not frozen
dataclasses or NamedTuples: compiled by mypyc, a plain class builds in about 40 ns where a
frozen dataclass, whose generated constructor stays interpreted, takes 550, and its fields
read without a generic lookup. Compiled, the fields are read-only.

A subclass names its fields in ``FIELDS`` (the constructor's arguments, in order) and may
write ``values()`` out for speed; equality, hashing, ``repr``, ``replace`` and pickling
follow from those two.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Record:
    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.FIELDS])

    def replace(self, **changes: Any) -> Any:
        """A copy with ``changes``: ``event.replace(deck=())``."""
        return type(self)(**{**dict(zip(self.FIELDS, self.values(), strict=True)), **changes})

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return False
        assert isinstance(other, Record)
        return self.values() == other.values()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self.FIELDS, self.values(),
                                                                       strict=True))
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self.values())
