"""Events: the low-level changes to the table, derived from actions, named in the past tense.

Events are never the source of truth (the actions are), so this model can change and old
logs still replay: replaying the actions regenerates the events.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

Pot = tuple[int, tuple[int, ...]]  # (amount, eligible seats)


@dataclass(frozen=True, slots=True)
class PlayerSeated:
    seat: int
    player: str
    buy_in: int
    waiting: bool  # joined a running table: waits for the big blind (or posts)


@dataclass(frozen=True, slots=True)
class PlayerLeft:
    seat: int
    player: str
    cashed_out: int


@dataclass(frozen=True, slots=True)
class RebuyApplied:
    seat: int
    requested: int
    added: int  # may be less than requested when the stack grew since the request


@dataclass(frozen=True, slots=True)
class SatOut:
    seat: int


@dataclass(frozen=True, slots=True)
class SatIn:
    seat: int
    waiting: bool  # missed the big blind while out: waits for it (or posts)


@dataclass(frozen=True, slots=True)
class RequestQueued:
    """A between-hands request made while a hand runs; it takes effect when the hand ends."""

    seat: int
    request: str  # "sit_out", "sit_in", "leave", "rebuy" or "post"
    amount: int


@dataclass(frozen=True, slots=True)
class HandStarted:
    hand_no: int
    seed: int
    button: int
    small_blind_seat: int
    big_blind_seat: int
    dealt: tuple[int, ...]  # in dealing order, from the seat left of the button
    posters: tuple[int, ...]  # players posting a live big blind to come in
    missed: tuple[int, ...]  # sitting-out seats the big blind passed this hand
    deck: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AntePosted:
    seat: int
    amount: int


@dataclass(frozen=True, slots=True)
class BlindPosted:
    seat: int
    amount: int
    kind: str  # "small", "big" or "live"


@dataclass(frozen=True, slots=True)
class HoleCardsDealt:
    seat: int
    cards: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TurnStarted:
    seat: int


@dataclass(frozen=True, slots=True)
class TimedOut:
    seat: int


@dataclass(frozen=True, slots=True)
class Folded:
    seat: int
    reason: str  # "action", "timeout" or "left"


@dataclass(frozen=True, slots=True)
class Checked:
    seat: int


@dataclass(frozen=True, slots=True)
class Called:
    seat: int
    amount: int  # chips added


@dataclass(frozen=True, slots=True)
class BetMade:
    seat: int
    total: int
    full: bool  # at least the big blind; an all-in for less is not a full bet


@dataclass(frozen=True, slots=True)
class RaisedTo:
    seat: int
    total: int
    full: bool  # at least a full raise; a short all-in does not reopen the betting


@dataclass(frozen=True, slots=True)
class BetReturned:
    seat: int
    amount: int


@dataclass(frozen=True, slots=True)
class BetsCollected:
    pots: tuple[Pot, ...]  # every pot after collection, main pot first


@dataclass(frozen=True, slots=True)
class BoardDealt:
    street: int
    burnt: int
    cards: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CardsShown:
    seat: int
    cards: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CardsMucked:
    seat: int


@dataclass(frozen=True, slots=True)
class PotAwarded:
    pot: int
    amount: int
    shares: tuple[tuple[int, int], ...]  # (seat, chips)


@dataclass(frozen=True, slots=True)
class HandEnded:
    hand_no: int


Event = (PlayerSeated | PlayerLeft | RebuyApplied | SatOut | SatIn | RequestQueued | HandStarted
         | AntePosted | BlindPosted | HoleCardsDealt | TurnStarted | TimedOut | Folded | Checked
         | Called | BetMade | RaisedTo | BetReturned | BetsCollected | BoardDealt | CardsShown
         | CardsMucked | PotAwarded | HandEnded)

EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (PlayerSeated, PlayerLeft, RebuyApplied, SatOut, SatIn, RequestQueued, HandStarted,
                AntePosted, BlindPosted, HoleCardsDealt, TurnStarted, TimedOut, Folded, Checked,
                Called, BetMade, RaisedTo, BetReturned, BetsCollected, BoardDealt, CardsShown,
                CardsMucked, PotAwarded, HandEnded)
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def _tupled(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


def event_to_dict(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"type": type(event).__name__}
    for field in fields(event):  # type: ignore[arg-type]
        out[field.name] = _jsonable(getattr(event, field.name))
    return out


def event_from_dict(data: dict[str, Any]) -> Event:
    cls = EVENT_TYPES[data["type"]]
    return cls(**{f.name: _tupled(data[f.name]) for f in fields(cls)})  # type: ignore[no-any-return]
