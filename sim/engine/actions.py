"""Actions: the players' vocabulary, and the stable, logged source of truth.

Every action names the seat it comes from. Amounts are whole chips; ``RaiseTo.amount``
is the player's total for the street, not the increment.

    >>> action_from_dict({"type": "RaiseTo", "seat": 2, "amount": 40})
    RaiseTo(seat=2, amount=40)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sim.engine.errors import IllegalAction


@dataclass(frozen=True, slots=True)
class Sit:
    seat: int
    player: str
    buy_in: int


@dataclass(frozen=True, slots=True)
class Leave:
    seat: int


@dataclass(frozen=True, slots=True)
class SitOut:
    seat: int


@dataclass(frozen=True, slots=True)
class SitIn:
    seat: int


@dataclass(frozen=True, slots=True)
class Rebuy:
    seat: int
    amount: int


@dataclass(frozen=True, slots=True)
class Post:
    """A player waiting for the big blind posts one big blind (live) at the next hand."""

    seat: int


@dataclass(frozen=True, slots=True)
class Fold:
    seat: int


@dataclass(frozen=True, slots=True)
class Check:
    seat: int


@dataclass(frozen=True, slots=True)
class Call:
    seat: int


@dataclass(frozen=True, slots=True)
class Bet:
    seat: int
    amount: int


@dataclass(frozen=True, slots=True)
class RaiseTo:
    seat: int
    amount: int


@dataclass(frozen=True, slots=True)
class Timeout:
    seat: int


Action = Sit | Leave | SitOut | SitIn | Rebuy | Post | Fold | Check | Call | Bet | RaiseTo | Timeout

ACTION_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Sit, Leave, SitOut, SitIn, Rebuy, Post, Fold, Check, Call, Bet, RaiseTo, Timeout)
}
BETTING_ACTIONS = (Fold, Check, Call, Bet, RaiseTo, Timeout)
TABLE_ACTIONS = (Sit, Leave, SitOut, SitIn, Rebuy, Post)


def action_to_dict(action: Action) -> dict[str, Any]:
    """``{"type": "Bet", "seat": 1, "amount": 4}``; the logged form of an action."""
    out: dict[str, Any] = {"type": type(action).__name__}
    for field in fields(action):  # type: ignore[arg-type]
        out[field.name] = getattr(action, field.name)
    return out


def action_from_dict(data: Any) -> Action:
    """Parse the logged form; anything malformed raises IllegalAction with what is allowed."""
    if not isinstance(data, dict):
        raise IllegalAction(f"Action {data!r} is not an object; expected e.g. "
                            '{"type": "Call", "seat": 2}.')
    name = data.get("type")
    cls = ACTION_TYPES.get(name)  # type: ignore[arg-type]
    if cls is None:
        raise IllegalAction(f"Unknown action type {name!r}; known types are "
                            f"{', '.join(ACTION_TYPES)}.")
    names = [f.name for f in fields(cls)]
    extra = set(data) - set(names) - {"type"}
    missing = [n for n in names if n not in data]
    if missing or extra:
        raise IllegalAction(f"Action {name} takes fields {', '.join(names)}; "
                            f"missing {missing or 'none'}, unexpected {sorted(extra) or 'none'}.")
    return cls(**{n: data[n] for n in names})  # type: ignore[no-any-return]
