"""A table's fixed settings.

Kept apart from the state, in a module that is never compiled: settings are user input
(command line, snapshots), and their own checks, not a compiled constructor's type test,
must judge them; and they cross process boundaries, so they must pickle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sim.engine.errors import IllegalAction


@dataclass(frozen=True, slots=True)
class TableConfig:
    """A table's fixed settings. ``TableConfig(seats=6, small_blind=1, big_blind=2)``."""

    seats: int = 6
    small_blind: int = 1
    big_blind: int = 2
    ante: int = 0
    min_buy_in: int = 40
    max_buy_in: int = 400

    def __post_init__(self) -> None:
        for name in ("seats", "small_blind", "big_blind", "min_buy_in", "max_buy_in"):
            value = getattr(self, name)
            if type(value) is not int or value <= 0:
                raise IllegalAction(f"Table setting {name}={value!r} must be a positive integer.")
        if type(self.ante) is not int or self.ante < 0:
            raise IllegalAction(f"Table setting ante={self.ante!r} must be a whole number >= 0.")
        if not 2 <= self.seats <= 10:
            raise IllegalAction(f"A table has 2 to 10 seats, not {self.seats}.")
        if self.small_blind > self.big_blind:
            raise IllegalAction(f"Small blind {self.small_blind} is above the big blind "
                                f"{self.big_blind}.")
        if self.min_buy_in > self.max_buy_in:
            raise IllegalAction(f"Minimum buy-in {self.min_buy_in} is above the maximum "
                                f"{self.max_buy_in}.")

    def to_dict(self) -> dict[str, int]:
        return asdict(self)
