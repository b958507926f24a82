"""Swarm steering: draw more tables like the ones that reach the rarest rule edges.

A coverage-guided fuzzer keeps what reached something new. Here a table is drawn whole
from its id (the fuzz's swarm, ``sim.bots.draw_fuzz_table``), so steering chooses ids: slot
k of the fuzz looks at table ids ``k * CANDIDATES`` to ``k * CANDIDATES + CANDIDATES - 1``,
describes each drawn table by its swarm setting (table size, stack depth and cap, blinds
and ante, which bot kinds sit, how many, and which holds the most seats), and takes the
one whose setting has reached the least-hit coverage points most often per dispatch so
far. Per dispatch, not per hand: a fuzz has a time budget, and a setting whose hands are
long (a min-raise war at a full table) must earn its time. Dispatches, unlike seconds, are
the same on every machine, so the choice stays reproducible. Every ``EXPLORE_EVERY``-th
slot takes the first id unsteered, so no setting starves.

Slot k learns from slots 0 to k - LAG - 1 exactly, in slot order, whatever the order in
which tables finish: the tables a fuzz plays follow from its seed and its table count
alone, for any number of workers (``sim fuzz --seed S --tables K`` plays them again).
The lag is far longer than the tables in flight at once, so a slot almost never waits.

    >>> steer = Steering(seed=7)
    >>> steer.choose(), steer.choose()   # slot 0's first id, then slot 1's (None: wait)
    (0, 16)
    >>> steer.observe(0, 812, {"run_out": 3})   # table 0 came back: dispatches, coverage
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Final

from sim.bots import draw_fuzz_table
from sim.bots.swarm import BOT_KINDS, TableSpec
from sim.invariants.coverage import COVERAGE_POINTS

CANDIDATES: Final = 16  # table ids looked at per slot
EXPLORE_EVERY: Final = 8  # every 8th slot plays the unsteered draw
LAG: Final = 32  # slot k learns from the slots before k - LAG
PRIOR: Final = 20_000.0  # how many dispatches of the run-wide rate a setting starts with


def features(spec: TableSpec) -> tuple[str, ...]:
    """The swarm setting of a table, as named features."""
    config = spec.config
    stacks = sorted(buy_in for _, _, _, buy_in in spec.bots)
    depth = stacks[len(stacks) // 2] / config.big_blind if stacks else 0.0
    seats = config.seats
    size = ("heads-up" if seats == 2 else "short" if seats <= 4 else "six" if seats <= 7
            else "full")
    deep = ("1-5bb" if depth <= 5 else "5-30bb" if depth <= 30 else "30-100bb"
            if depth <= 100 else "deep")
    cap = config.max_buy_in // config.big_blind
    capped = "2-4bb" if cap <= 4 else "5-8bb" if cap <= 8 else "10-20bb" if cap <= 20 else "deep"
    blinds = "equal" if config.small_blind == config.big_blind else "usual"
    kinds = spec.kinds()
    mix = "1-2" if len(kinds) <= 2 else "3-5" if len(kinds) <= 5 else "6+"
    seated = Counter(kind for _, kind, _, _ in spec.bots)
    most = max(sorted(seated), key=seated.__getitem__) if seated else "none"
    return (f"size:{size}", f"depth:{deep}", f"cap:{capped}", f"ante:{bool(config.ante)}",
            f"blinds:{blinds}", f"kinds:{mix}", f"most:{most}",
            *(f"bot:{kind}:{kind in kinds}" for kind in BOT_KINDS))


class Steering:
    """Chooses the fuzz's table ids one slot at a time (see the module's docstring)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.slots: list[int] = []  # the table id chosen for each slot
        self.learnt = 0  # slots 0 .. learnt - 1 are in the statistics
        self.results: dict[int, tuple[int, Mapping[str, int]]] = {}  # table id -> result
        self.work: dict[str, float] = defaultdict(float)  # feature -> dispatches seen
        self.hits: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.total_work = 0.0
        self.total_hits: dict[str, float] = dict.fromkeys(COVERAGE_POINTS, 0.0)

    def choose(self) -> int | None:
        """The next slot's table id, or None while the slot it must learn from is out."""
        slot = len(self.slots)
        if not self._learn_up_to(slot - LAG):
            return None
        first = slot * CANDIDATES
        if self.total_work == 0 or slot % EXPLORE_EVERY == 0:
            chosen = first
        else:
            best = max((self._score(features(draw_fuzz_table(self.seed, first + v))), -v)
                       for v in range(CANDIDATES))
            chosen = first - best[1]
        self.slots.append(chosen)
        return chosen

    def observe(self, table_id: int, dispatches: int, coverage: Mapping[str, int]) -> None:
        """A chosen table finished: how many dispatches it took and what it reached."""
        self.results[table_id] = (dispatches, coverage)

    # -- internals ----------------------------------------------------------------------
    def _learn_up_to(self, end: int) -> bool:
        """Take slots up to ``end`` (exclusive) into the statistics, in slot order; False
        if one of them has not finished."""
        while self.learnt < end:
            table_id = self.slots[self.learnt]
            if table_id not in self.results:
                return False
            work, coverage = self.results.pop(table_id)
            self._add(features(draw_fuzz_table(self.seed, table_id)), work, coverage)
            self.learnt += 1
        return True

    def _add(self, named: tuple[str, ...], work: int, coverage: Mapping[str, int]) -> None:
        if not work:
            return
        self.total_work += work
        for f in named:
            self.work[f] += work
        for point, count in coverage.items():
            if point in self.total_hits and count:
                self.total_hits[point] += count
                for f in named:
                    self.hits[f][point] += count

    def _score(self, named: tuple[str, ...]) -> float:
        """How much a table of this setting is worth: for each point, how many times more
        often per dispatch than the run as a whole it is expected to reach the point (its
        lift), weighted by the point's rarity, 1 / (hits so far + 1). A point hit a
        hundred times less than another counts a hundred times more, so the rarest points
        steer, and a point stops pulling once it is hit as often as the others.

        Each feature's rate of a point, against the run-wide rate, is a lift; a setting's
        lift is the product of its features' lifts (features taken as independent, as naive
        Bayes does), so settings that several features favour stand out. Rates are smoothed
        toward the run-wide rate by PRIOR dispatches."""
        score = 0.0
        for point, seen in self.total_hits.items():
            overall = (seen + 1.0) / (self.total_work + 1.0)
            lift = 1.0
            for f in named:
                rate = (self.hits[f][point] + PRIOR * overall) / (self.work[f] + PRIOR)
                lift *= rate / overall
            score += lift / (seen + 1.0)
        return score
