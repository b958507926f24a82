"""The run-level checks: properties of a run's decks that no single hand shows.

A run deals many decks; if the shuffle is uniform and every hand's shuffle independent,

- ``card_positions``: each card is equally likely at every position: one chi-square test a
  card over its 52 positions (51 degrees of freedom);
- ``position_cards``: each position is equally likely to hold every card: one chi-square
  test a position (51 degrees of freedom);
- ``positions_overall``: the whole card-by-position table is as even as a uniform
  shuffle's, no more and no less (one two-sided test, 2601 degrees of freedom: it sees a
  bias spread thinly over many cells, and decks more regular than chance);
- ``repeated_decks``: no deck order is dealt twice (independent shuffles repeat one with
  probability about n**2 / (2 * 52!): never);
- ``tables_independent``: tables' decks at the same hand number agree (the same card at
  the same position) as often as independent shuffles' do, one position a pair on
  average, no more and no less (two-sided).

Holm's method (``sim.runlevel.holm``) runs over all of them together, at a family-wise
alpha of ``ALPHA``: a run without a bug fails one with probability at most 1 in 10,000.
A run of fewer than ``MIN_HANDS`` hands tests nothing (and says so).

Why 2601 degrees of freedom, and why the chi-square of the whole table is scaled by
51/52: each hand adds one card at each position and one position for each card, so both
margins are fixed (51 x 51 free cells); and a hand's cells are a permutation, not
independent draws, whose covariance is 1/51 of the two centring projections' product.
Pearson's statistic would average 52 x 51 = 2652, not 2601; (51/52) of it averages 2601.
It equals 2601 + 102 U / n, where U sums, over every pair of the run's hands, the
positions where their decks agree less one: the same sum as ``tables_independent``'s,
taken over pairs at one hand number there. A row's chi-square is 51 + 104 U / n in the
same way, U summing over pairs of hands whether the card sat at the same position in both.
Every p-value comes from its U's exact mean, variance and skewness
(``sim.runlevel.tails.pair_tails``), which the chi-squares match only as n grows.

    result = evaluate(run_decks)          # a RunDecks (sim.runlevel.decks)
    result.skipped or [failed.finding for failed in result.failed()]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from sim.engine.cards import DECK_SIZE, card_to_str
from sim.finding import Finding, Kind, Message
from sim.runlevel.decks import RunDecks
from sim.runlevel.holm import holm
from sim.runlevel.tails import ONE_CARD, pair_cumulants, pair_tails, two_sided

ALPHA: Final = 1e-4  # family-wise: the chance that a run without a bug fails a check
MIN_HANDS: Final = 2_000  # fewer hands: nothing is tested
ROW_DF: Final = DECK_SIZE - 1
TABLE_DF: Final = (DECK_SIZE - 1) ** 2
DECK_ORDERS: Final = math.factorial(DECK_SIZE)
CHECKS: Final = ("card_positions", "position_cards", "positions_overall", "repeated_decks",
                 "tables_independent")


@dataclass(frozen=True, slots=True)
class Test:
    """One hypothesis test of a check: its subject (a card, a position, the whole table),
    its statistic's value, degrees of freedom (None: not a chi-square), p-value, and the
    values its check's sentence names."""

    check: str
    subject: str
    statistic: str
    value: float
    df: int | None
    p: float
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Judged:
    """A test, judged within the run's family: Holm-adjusted p-value, and whether the
    check failed on it."""

    test: Test
    adjusted: float
    rejected: bool


@dataclass(frozen=True, slots=True)
class Failed:
    """A check that failed: its finding, the most significant test it failed, and how
    many of its tests failed."""

    finding: Finding
    worst: Judged
    count: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The run-level checks of one run: every test judged, or why none ran (``skipped``)."""

    hands: int
    tables: int
    alpha: float
    judged: tuple[Judged, ...]
    skipped: str = ""

    def failed(self) -> list[Failed]:
        """The checks that failed, one each, in ``CHECKS`` order."""
        failed = []
        for check in CHECKS:
            rejected = [j for j in self.judged if j.test.check == check and j.rejected]
            if rejected:
                worst = min(rejected, key=lambda judged: judged.test.p)
                failed.append(Failed(self._finding(worst, len(rejected)), worst,
                                     len(rejected)))
        return failed

    def _finding(self, worst: Judged, count: int) -> Finding:
        test = worst.test
        message = SENTENCES[test.check](
            failed=count, hands=f"{self.hands:,}", p=shown_p(test.p),
            adjusted=shown_p(worst.adjusted), alpha=f"{self.alpha:g}",
            tests=len(self.judged), **test.values)
        return Finding.of(Kind.STATISTICAL, test.check, message)

    def line(self) -> str:
        """One line for the run's summary."""
        if self.skipped:
            return f"run checks: nothing tested: {self.skipped}"
        failed = self.failed()
        verdict = (f"{len(failed)} failed ({', '.join(f.finding.name for f in failed)})"
                   if failed else "all passed")
        return (f"run checks over {self.hands:,} hands on {self.tables:,} tables: "
                f"{len(self.judged)} tests, Holm at family-wise alpha {self.alpha:g}: "
                f"{verdict}")


def evaluate(decks: RunDecks, alpha: float = ALPHA) -> Evaluation:
    """Every run-level check of ``decks``, judged together (see the module docstring)."""
    if decks.hands < MIN_HANDS:
        return Evaluation(decks.hands, decks.table_count, alpha, (),
                          f"{decks.hands:,} hands, fewer than the {MIN_HANDS:,} the run "
                          "checks need")
    tests = [*card_positions(decks.counts, decks.hands),
             *position_cards(decks.counts, decks.hands),
             positions_overall(decks.counts, decks.hands),
             repeated_decks(decks),
             *tables_independent(decks.by_hand, decks.tables_at)]
    judged = holm([test.p for test in tests], alpha)
    return Evaluation(decks.hands, decks.table_count, alpha,
                      tuple(Judged(test, adjusted, rejected)
                            for test, (rejected, adjusted) in zip(tests, judged, strict=True)))


# -- the tests ------------------------------------------------------------------------------

def card_positions(counts: np.ndarray, hands: int) -> list[Test]:
    """Per card (a row of ``counts[card, position]``): Pearson's chi-square of its
    positions. A card's position in each hand is one uniform draw of 52, independent
    across hands: a multinomial row, 51 degrees of freedom."""
    return [_row_test("card_positions", row, hands, f"card {card_to_str(card)}",
                      card=card_to_str(card)) for card, row in enumerate(counts)]


def position_cards(counts: np.ndarray, hands: int) -> list[Test]:
    """Per position (a column of ``counts``): Pearson's chi-square of the cards there."""
    return [_row_test("position_cards", column, hands, f"position {position}",
                      position=position) for position, column in enumerate(counts.T)]


def _row_test(check: str, row: np.ndarray, hands: int, subject: str, **values: Any) -> Test:
    value = float(((row - hands / DECK_SIZE) ** 2).sum() * DECK_SIZE / hands)
    return Test(check, subject, "chi-square", value, ROW_DF, row_p(value, hands),
                {**values, "value": f"{value:.1f}", "df": ROW_DF})


def row_p(value: float, hands: int) -> float:
    """The upper tail of a row's chi-square ``value`` over ``hands`` hands. Pearson's
    statistic of a row is 51 + 104 U / n, U summing over every pair of hands whether the
    card sat at the same position in both, less 1/52 a pair; its tail comes from U's exact
    cumulants (``sim.runlevel.tails``), which tend to the chi-square's with 51 degrees of
    freedom (a run of 2,000 hands: its third cumulant is 1.3% larger)."""
    excess = (value - ROW_DF) * hands / (2 * DECK_SIZE)
    return pair_tails(excess, *pair_cumulants([hands], ONE_CARD))[1]


def agreements(counts: np.ndarray, decks: int) -> int:
    """The sum over every pair of ``decks`` decks of the positions where they agree, less
    one a pair (what independent uniform shuffles average), from their card-by-position
    counts: each cell holding k of the decks' cards is k (k - 1) / 2 agreeing pairs."""
    cells = counts.astype(np.int64)
    if int(cells.max(initial=0)) * int(cells.sum()) < 1 << 62:  # the sum of k * k fits int64
        agreeing = int((cells * (cells - 1)).sum()) // 2
    else:  # Python ints: no overflow however many hands
        agreeing = sum(k * (k - 1) for k in map(int, counts.ravel().tolist())) // 2
    return agreeing - decks * (decks - 1) // 2


def positions_overall(counts: np.ndarray, hands: int) -> Test:
    """The whole card-by-position table: the scaled chi-square 2601 + 102 U / n (see the
    module docstring), two-sided."""
    excess = agreements(counts, hands)
    value = TABLE_DF + 2.0 * (DECK_SIZE - 1) * excess / hands
    p = two_sided(pair_tails(excess, *pair_cumulants([hands])))
    return Test("positions_overall", "every card at every position", "chi-square", value,
                TABLE_DF, p, {"value": f"{value:.1f}", "df": TABLE_DF,
                               "direction": "more uneven" if excess > 0 else "more even"})


def repeated_decks(decks: RunDecks) -> Test:
    """Decks dealt more than once, among the run's sampled decks (all of them in a run of
    up to ``sim.runlevel.decks.SAMPLE_SIZE`` hands). Under a uniform shuffle the chance of
    any repeat among n hands is at most n (n - 1) / 2 / 52!: that bound is the p-value."""
    repeated = decks.sample.repeated()
    n = decks.hands
    p = min(1.0, n * (n - 1) / 2 / DECK_ORDERS) if repeated else 1.0
    first = repeated[0] if repeated else [0, 0, -1, -1, -1, -1]
    return Test("repeated_decks", "every deck sampled", "repeats", float(len(repeated)), None,
                p, {"repeats": len(repeated), "sampled": decks.sample.distinct,
                    "times": first[1], "table": first[2], "hand": first[3],
                    "other_table": first[4], "other_hand": first[5]})


def tables_independent(by_hand: np.ndarray, tables_at: np.ndarray) -> list[Test]:
    """Agreements between tables' decks at the same hand number, summed over the hand
    numbers two or more tables dealt; no test when none did."""
    sizes = [int(t) for t in tables_at.tolist() if t >= 2]
    if not sizes:
        return []
    numbers = len(sizes)  # tables deal hand numbers from 1 on: these are 1 to numbers
    pairs = sum(size * (size - 1) // 2 for size in sizes)
    agreeing = agreements(by_hand[:numbers].reshape(numbers * DECK_SIZE, DECK_SIZE), 0)
    variance, third = pair_cumulants(sizes)  # a pair's agreements: variance 1
    p = two_sided(pair_tails(agreeing - pairs, variance, third))
    return [Test("tables_independent", "tables' decks at each hand number", "agreements",
                 float(agreeing), None, p,
                 {"agreements": f"{agreeing:,}", "pairs": f"{pairs:,}", "numbers": numbers,
                  "sd": f"{math.sqrt(variance):,.0f}"})]


def shown_p(p: float) -> str:
    """A p-value for a sentence: two significant digits, or a bound below floats' reach."""
    return "below 1e-300" if p < 1e-300 else f"{p:.2g}"


# -- what a failed check says ----------------------------------------------------------------
# Each sentence is one literal template (its shape is the finding's signature), so the
# Holm clause is written out in each.
def _card_positions(**values: Any) -> Message:
    return Message("{failed} of 52 cards do not land at every deck position equally often "
                   "over {hands} hands; the most uneven, {card}, has chi-square {value} with "
                   "{df} degrees of freedom, p = {p} "
                   "(Holm-adjusted {adjusted} over the run's {tests} tests, family-wise alpha "
                   "{alpha}).", **values)


def _position_cards(**values: Any) -> Message:
    return Message("{failed} of 52 deck positions do not hold every card equally often over "
                   "{hands} hands; the most uneven, position {position}, has chi-square "
                   "{value} with {df} degrees of freedom, p = {p} "
                   "(Holm-adjusted {adjusted} over the run's {tests} tests, family-wise alpha "
                   "{alpha}).", **values)


def _positions_overall(**values: Any) -> Message:
    return Message("The card-by-position counts of {hands} hands are {direction} than a "
                   "uniform shuffle's: scaled chi-square {value} with {df} degrees of "
                   "freedom, p = {p}, two-sided "
                   "(Holm-adjusted {adjusted} over the run's {tests} tests, family-wise alpha "
                   "{alpha}).", **values)


def _repeated_decks(**values: Any) -> Message:
    return Message("{repeats} deck orders were dealt more than once over {hands} hands "
                   "({sampled} distinct decks sampled); one was dealt {times} times, first at "
                   "table {table} hand {hand} and at table {other_table} hand {other_hand}. "
                   "A uniform shuffle repeats any with probability below {p} "
                   "(Holm-adjusted {adjusted} over the run's {tests} tests, family-wise alpha "
                   "{alpha}).", **values)


def _tables_independent(**values: Any) -> Message:
    return Message("Tables' decks at the same hand number agree at {agreements} positions "
                   "over {pairs} pairs of tables (hand numbers 1 to {numbers}), where "
                   "independent shuffles agree at one a pair, {pairs} give or take {sd}: "
                   "p = {p}, two-sided "
                   "(Holm-adjusted {adjusted} over the run's {tests} tests, family-wise alpha "
                   "{alpha}).", **values)


SENTENCES: Final[dict[str, Any]] = {
    "card_positions": _card_positions, "position_cards": _position_cards,
    "positions_overall": _positions_overall, "repeated_decks": _repeated_decks,
    "tables_independent": _tables_independent,
}
