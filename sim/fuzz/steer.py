"""Swarm steering: draw more tables like the ones that reach the rarest rule edges.

A coverage-guided fuzzer keeps what reached something new. Here a table is drawn whole
from its id (``sim.bots.draw_table``), so steering chooses ids: slot k of the fuzz looks at
table ids ``k * CANDIDATES`` to ``k * CANDIDATES + CANDIDATES - 1``, describes each drawn
table by its swarm setting (table size, stack depth, blinds and ante, which bot kinds
sit), and takes the one whose setting has reached the least-hit coverage points most
often per hand so far. Every ``EXPLORE_EVERY``-th slot takes the first id unsteered, so
no setting starves.

Slot k learns from slots 0 to k - LAG - 1 exactly, in slot order, whatever the order in
which tables finish: the tables a fuzz plays follow from its seed and its table count
alone, for any number of workers (``sim fuzz --seed S --tables K`` plays them again).
The lag is far longer than the tables in flight at once, so a slot almost never waits.

    >>> steer = Steering(seed=7)
    >>> table_id = steer.choose()        # None: wait for the table LAG slots back
    >>> steer.observe(table_id, hands, coverage)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Final

from sim.bots import draw_table
from sim.bots.swarm import BOT_KINDS, TableSpec
from sim.invariants.coverage import COVERAGE_POINTS

CANDIDATES: Final = 8  # table ids looked at per slot
EXPLORE_EVERY: Final = 4  # every 4th slot plays the unsteered draw
LAG: Final = 32  # slot k learns from the slots before k - LAG
PRIOR_HANDS: Final = 2000.0  # how many hands of the run-wide rate a setting starts with


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
    blinds = "equal" if config.small_blind == config.big_blind else "usual"
    kinds = spec.kinds()
    return (f"size:{size}", f"depth:{deep}", f"ante:{bool(config.ante)}", f"blinds:{blinds}",
            *(f"bot:{kind}:{kind in kinds}" for kind in BOT_KINDS))


class Steering:
    """Chooses the fuzz's table ids one slot at a time (see the module's docstring)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.slots: list[int] = []  # the table id chosen for each slot
        self.learnt = 0  # slots 0 .. learnt - 1 are in the statistics
        self.results: dict[int, tuple[int, Mapping[str, int]]] = {}  # table id -> result
        self.hands: dict[str, float] = defaultdict(float)  # feature -> hands seen
        self.hits: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.total_hands = 0.0
        self.total_hits: dict[str, float] = dict.fromkeys(COVERAGE_POINTS, 0.0)

    def choose(self) -> int | None:
        """The next slot's table id, or None while the slot it must learn from is out."""
        slot = len(self.slots)
        if not self._learn_up_to(slot - LAG):
            return None
        first = slot * CANDIDATES
        if self.total_hands == 0 or slot % EXPLORE_EVERY == 0:
            chosen = first
        else:
            best = max((self._score(features(draw_table(self.seed, first + v))), -v)
                       for v in range(CANDIDATES))
            chosen = first - best[1]
        self.slots.append(chosen)
        return chosen

    def observe(self, table_id: int, hands: int, coverage: Mapping[str, int]) -> None:
        """A chosen table finished: what it played and reached."""
        self.results[table_id] = (hands, coverage)

    # -- internals ----------------------------------------------------------------------
    def _learn_up_to(self, end: int) -> bool:
        """Take slots up to ``end`` (exclusive) into the statistics, in slot order; False
        if one of them has not finished."""
        while self.learnt < end:
            table_id = self.slots[self.learnt]
            if table_id not in self.results:
                return False
            hands, coverage = self.results.pop(table_id)
            self._add(features(draw_table(self.seed, table_id)), hands, coverage)
            self.learnt += 1
        return True

    def _add(self, named: tuple[str, ...], hands: int, coverage: Mapping[str, int]) -> None:
        if not hands:
            return
        self.total_hands += hands
        for f in named:
            self.hands[f] += hands
        for point, count in coverage.items():
            if point in self.total_hits and count:
                self.total_hits[point] += count
                for f in named:
                    self.hits[f][point] += count

    def _score(self, named: tuple[str, ...]) -> float:
        """Expected hits per hand of each point, weighted by how rare the point is.

        Each feature's rate of a point, against the run-wide rate, is a lift; a table's
        expected rate is the run-wide rate times the lifts of all its features (features
        taken as independent, as naive Bayes does), so settings that several features
        favour stand out. Rates are smoothed toward the run-wide rate by PRIOR_HANDS."""
        score = 0.0
        for point, seen in self.total_hits.items():
            overall = (seen + 1.0) / (self.total_hands + 1.0)
            expected = overall
            for f in named:
                rate = (self.hits[f][point] + PRIOR_HANDS * overall) / (self.hands[f]
                                                                       + PRIOR_HANDS)
                expected *= rate / overall
            score += expected / (seen + 1.0)
        return score
