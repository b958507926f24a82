"""Side pots and splits: pure arithmetic over contributions."""

from __future__ import annotations

from collections.abc import Sequence

from sim.engine.state import clockwise

Pot = tuple[int, tuple[int, ...]]


def build_pots(contrib: list[int], live: list[bool], all_in: list[bool]) -> tuple[Pot, ...]:
    """Pots by all-in contribution levels, main pot first.

    ``contrib[s]`` is what seat s put in this hand, ``live[s]`` whether it is still in the
    hand, ``all_in[s]`` whether it has no chips behind. A pot's eligible seats are the live
    ones that reached its level; folded chips stay in the pots.

    >>> build_pots([10, 30, 30], [True, True, True], [True, False, False])
    ((30, (0, 1, 2)), (40, (1, 2)))
    """
    n = len(contrib)
    # Loops, not max(): compiled, builtins are called through Python; this runs at every
    # collection, in the engine and in the checks.
    top = -1
    for s in range(n):
        if live[s] and contrib[s] > top:
            top = contrib[s]
    assert top >= 0, "no live player to build pots for"
    for c in contrib:
        assert c <= top, "a folded player put in more than any live one"
    levels = sorted({contrib[s] for s in range(n) if live[s] and all_in[s] and contrib[s] < top}
                    | {top})
    pots: list[Pot] = []
    previous = 0
    for level in levels:
        amount = 0
        for c in contrib:
            amount += min(c, level) - min(c, previous)
        eligible = tuple([s for s in range(n) if live[s] and contrib[s] >= level])
        if amount:
            pots.append((amount, eligible))
        previous = level
    return tuple(pots)


def split(amount: int, winners: Sequence[int], button: int,
          seats: int) -> tuple[tuple[int, int], ...]:
    """Split a pot among tied winners; odd chips go one at a time from the seat left of the
    button.

    >>> split(7, [4, 1], button=3, seats=6)
    ((4, 4), (1, 3))
    """
    first = button + 1
    ordered = clockwise(list(winners), first, seats)
    share, odd = divmod(amount, len(ordered))
    return tuple((seat, share + (1 if i < odd else 0)) for i, seat in enumerate(ordered))
