"""Swarm steering: draw more tables like the ones that reach the rarest rule edges.

A coverage-guided fuzzer keeps what reached something new. Here a table is drawn whole
from its id (``sim.bots.draw_table``), so steering chooses ids: for each slot of the run
it looks at ``CANDIDATES`` table ids, describes each drawn table by its swarm setting
(table size, stack depth, blinds and ante, which bot kinds sit), and takes the one whose
setting has reached the least-hit coverage points most often per hand so far.

Steering learns only between batches and only from whole batches, so the tables a fuzz
plays follow from its seed and its table count alone, whatever the number of workers or
the order in which tables finish: ``sim fuzz --seed S --tables K`` plays them again.

    >>> steer = Steering(seed=7)
    >>> ids = steer.next_batch(64)      # table ids to play
    >>> for record in finished: steer.observe(record.table_id, record.hands_played,
    ...                                       record.coverage)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Final

from sim.bots import draw_table
from sim.bots.swarm import BOT_KINDS, TableSpec
from sim.invariants.coverage import COVERAGE_POINTS

CANDIDATES: Final = 8  # table ids looked at per slot
EXPLORE_EVERY: Final = 4  # every 4th slot plays the unsteered draw, so nothing starves
PRIOR_HANDS: Final = 200.0  # how many hands of the run-wide rate a setting starts with


def features(spec: TableSpec) -> tuple[str, ...]:
    """The swarm setting of a table, as named features."""
    config = spec.config
    stacks = sorted(buy_in for _, _, _, buy_in in spec.bots)
    depth = stacks[len(stacks) // 2] / config.big_blind if stacks else 0
    seats = spec.config.seats
    size = "heads-up" if seats == 2 else "short" if seats <= 4 else "six" if seats <= 7 else "full"
    deep = "1-5bb" if depth <= 5 else "5-30bb" if depth <= 30 else "30-100bb" \
        if depth <= 100 else "deep"
    blinds = "equal-blinds" if config.small_blind == config.big_blind else "blinds"
    kinds = spec.kinds()
    return (f"size:{size}", f"depth:{deep}", f"ante:{bool(config.ante)}", f"blinds:{blinds}",
            *(f"bot:{kind}:{kind in kinds}" for kind in BOT_KINDS))


class Steering:
    """Chooses the fuzz's table ids, batch by batch (see the module's docstring)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.slot = 0  # slots handed out so far
        self.hands: dict[str, float] = defaultdict(float)  # feature -> hands seen
        self.hits: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.total_hands = 0.0
        self.total_hits: dict[str, float] = dict.fromkeys(COVERAGE_POINTS, 0.0)
        self._pending: dict[int, tuple[str, ...]] = {}  # table id -> features, this batch
        self._batch: list[tuple[int, int, Mapping[str, int]]] = []

    def next_batch(self, size: int) -> list[int]:
        """The next ``size`` table ids. Call ``observe`` for each before the next batch."""
        self._learn()
        ids = []
        for _ in range(size):
            table_id = self._choose(self.slot)
            ids.append(table_id)
            self.slot += 1
        return ids

    def observe(self, table_id: int, hands: int, coverage: Mapping[str, int]) -> None:
        """What a table of the current batch reached; learnt when the batch is whole."""
        self._batch.append((table_id, hands, coverage))

    # -- internals ----------------------------------------------------------------------
    def _choose(self, slot: int) -> int:
        first = slot * CANDIDATES
        if self.total_hands == 0 or slot % EXPLORE_EVERY == 0:
            chosen = first
        else:
            scores = [(self._score(features(draw_table(self.seed, first + v))), -v)
                      for v in range(CANDIDATES)]
            chosen = first - max(scores)[1]
        self._pending[chosen] = features(draw_table(self.seed, chosen))
        return chosen

    def _score(self, named: tuple[str, ...]) -> float:
        """Expected hits per hand of the rarest points, weighted by their rarity."""
        score = 0.0
        for point, seen in self.total_hits.items():
            overall = (seen + 1.0) / (self.total_hands + 1.0)
            rate = sum((self.hits[f][point] + PRIOR_HANDS * overall)
                       / (self.hands[f] + PRIOR_HANDS) for f in named) / len(named)
            score += rate / (seen + 1.0)
        return score

    def _learn(self) -> None:
        # Tables finish in any order; learning from the whole batch at once, in table-id
        # order, keeps the next batch's choice independent of that order.
        for table_id, hands, coverage in sorted(self._batch, key=lambda item: item[0]):
            named = self._pending.pop(table_id, None)
            if named is None or not hands:
                continue
            self.total_hands += hands
            for f in named:
                self.hands[f] += hands
            for point, count in coverage.items():
                if point in self.total_hits and count:
                    self.total_hits[point] += count
                    for f in named:
                        self.hits[f][point] += count
        self._batch.clear()
        self._pending.clear()
