"""A table's fixed settings.

Settings are user input (command line, snapshots), so the constructor takes any values and
judges them itself, with the engine's sentences, before it stores them as ints. The engine
reads them hundreds of times a hand, so the class is a compiled ``Record`` (read-only
fields, equality, hashing, ``repr`` and pickling), not an interpreted dataclass.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

from sim.engine.errors import IllegalAction
from sim.engine.record import Record

# The most chips a setting may be. The store keeps chips as 64-bit integers, and all a
# table's chips (ten stacks, a rebuy per seat and hand, 100,000 hands) must fit in one.
MAX_CHIPS: Final = 10**12


class TableConfig(Record):
    """A table's fixed settings. ``TableConfig(seats=6, small_blind=1, big_blind=2)``."""

    FIELDS: ClassVar[tuple[str, ...]] = ("seats", "small_blind", "big_blind", "ante",
                                         "min_buy_in", "max_buy_in")

    def __init__(self, seats: object = 6, small_blind: object = 1, big_blind: object = 2,
                 ante: object = 0, min_buy_in: object = 40, max_buy_in: object = 400) -> None:
        if type(seats) is not int or not 2 <= seats <= 10:
            raise IllegalAction(f"A table has 2 to 10 seats, not {seats!r}.")
        self.seats: Final[int] = seats
        self.small_blind: Final[int] = _positive("small_blind", small_blind)
        self.big_blind: Final[int] = _positive("big_blind", big_blind)
        if type(ante) is not int or ante < 0:
            raise IllegalAction(f"Table setting ante={ante!r} must be a whole number >= 0.")
        if ante > MAX_CHIPS:
            raise IllegalAction(_too_many("ante", ante))
        self.ante: Final[int] = ante
        self.min_buy_in: Final[int] = _positive("min_buy_in", min_buy_in)
        self.max_buy_in: Final[int] = _positive("max_buy_in", max_buy_in)
        if self.small_blind > self.big_blind:
            raise IllegalAction(f"Small blind {self.small_blind} is above the big blind "
                                f"{self.big_blind}.")
        if self.min_buy_in > self.max_buy_in:
            raise IllegalAction(f"Minimum buy-in {self.min_buy_in} is above the maximum "
                                f"{self.max_buy_in}.")

    def values(self) -> tuple[Any, ...]:
        return (self.seats, self.small_blind, self.big_blind, self.ante, self.min_buy_in,
                self.max_buy_in)

    def to_dict(self) -> dict[str, int]:
        return dict(zip(self.FIELDS, self.values(), strict=True))


def _positive(name: str, value: object) -> int:
    if type(value) is not int or value <= 0:
        raise IllegalAction(f"Table setting {name}={value!r} must be a positive integer.")
    if value > MAX_CHIPS:
        raise IllegalAction(_too_many(name, value))
    return value


def _too_many(name: str, value: int) -> str:
    return (f"Table setting {name}={value} is above {MAX_CHIPS:,}, the most chips a setting "
            "may be (the store keeps chips as 64-bit integers).")
