"""Tail probabilities of the run-level statistics, from the standard library alone.

The regularized incomplete gamma functions give the chi-square's tails and those of a
gamma distribution fitted to a statistic's exact mean, variance and skewness. scipy would
give them too; these dozens of lines spare every install a large dependency, and
``tests/runlevel/test_tails.py`` holds them to closed forms and published values.

>>> round(chi2_sf(3.841458820694124, 1), 6)
0.05
>>> round(gamma_q(2.0, 3.0), 6)             # e**-3 * (1 + 3)
0.199148
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

EPSILON: Final = 1e-15  # relative precision the series and the continued fraction stop at
TINY: Final = 1e-300  # keeps the continued fraction's denominators off zero (Lentz)
# Both converge in about sqrt(a) steps near the mean, fewer away from it; this bound is
# never reached for the shapes used here (a below 10**7).
MAX_STEPS: Final = 100_000
DECK: Final = 52


def gamma_p(a: float, x: float) -> float:
    """The lower regularized incomplete gamma function P(a, x): a Gamma(a, 1) variable's
    chance of being at most ``x``."""
    _check(a, x)
    if x <= 0.0:
        return 0.0
    if x < a + 1.0:
        return _series(a, x)
    return 1.0 - _continued_fraction(a, x)


def gamma_q(a: float, x: float) -> float:
    """The upper regularized incomplete gamma function Q(a, x) = 1 - P(a, x), computed
    directly in its tail (no cancellation)."""
    _check(a, x)
    if x <= 0.0:
        return 1.0
    if x < a + 1.0:
        return 1.0 - _series(a, x)
    return _continued_fraction(a, x)


def chi2_sf(x: float, df: float) -> float:
    """A chi-square variable with ``df`` degrees of freedom: its chance of exceeding ``x``."""
    return gamma_q(df / 2.0, x / 2.0)


def _check(a: float, x: float) -> None:
    if not a > 0.0 or not math.isfinite(a):
        raise ValueError(f"The gamma function's shape {a!r} must be a positive number.")
    if math.isnan(x):
        raise ValueError("The gamma function's argument is not a number (nan).")


def _prefactor(a: float, x: float) -> float:
    """x**a * e**-x / Gamma(a), in logarithms: neither factor alone fits a float."""
    return math.exp(a * math.log(x) - x - math.lgamma(a))


def _series(a: float, x: float) -> float:
    """P(a, x) by its power series (Numerical Recipes' gser), for x < a + 1."""
    term = total = 1.0 / a
    denominator = a
    for _ in range(MAX_STEPS):
        denominator += 1.0
        term *= x / denominator
        total += term
        if abs(term) < abs(total) * EPSILON:
            return min(1.0, total * _prefactor(a, x))
    raise ArithmeticError(f"The gamma series for a={a}, x={x} did not converge in "
                          f"{MAX_STEPS} steps.")


def _continued_fraction(a: float, x: float) -> float:
    """Q(a, x) by its continued fraction, evaluated by Lentz's method (Numerical Recipes'
    gcf), for x >= a + 1."""
    b = x + 1.0 - a
    c = 1.0 / TINY
    d = 1.0 / b
    h = d
    for i in range(1, MAX_STEPS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = d if abs(d) >= TINY else TINY
        c = b + an / c
        c = c if abs(c) >= TINY else TINY
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < EPSILON:
            return min(1.0, _prefactor(a, x) * h)
    raise ArithmeticError(f"The gamma continued fraction for a={a}, x={x} did not converge "
                          f"in {MAX_STEPS} steps.")


# -- sums over pairs of hands ---------------------------------------------------------------
# Every statistic of the run-level checks is a sum, over pairs of hands (or of tables at one
# hand number), of how much they agree, less what independent uniform shuffles average:
#
# - two decks agree at the positions that hold the same card in both: the fixed points of
#   a uniform permutation, mean 1, variance 1, third central moment 1;
# - two hands agree on one card when it sits at the same position in both: a coin of
#   chance q = 1/52, variance q(1 - q), third central moment q(1 - q)(1 - 2q).
#
# The centred terms of two pairs that share a hand are independent (the third hand is
# uniform whatever the other two), and so is any product in which one pair has a hand of
# its own; only a triangle of pairs (hands a-b, b-c, a-c) has a nonzero mean product:
# 1/51 for decks (the standard character of the symmetric group, of dimension 51,
# convolved with itself), q**2 (1 - q) for one card. So a sum U over the pairs within
# groups of hands has mean 0 and exactly these cumulants:

@dataclass(frozen=True, slots=True)
class Agreement:
    """What one pair of hands contributes: the variance and third central moment of its
    centred agreement, and the mean product of a triangle's three."""

    variance: float
    third: float
    triangle: float


DECKS: Final = Agreement(1.0, 1.0, 1.0 / (DECK - 1))
_Q: Final = 1.0 / DECK
ONE_CARD: Final = Agreement(_Q * (1 - _Q), _Q * (1 - _Q) * (1 - 2 * _Q), _Q * _Q * (1 - _Q))


def pair_cumulants(group_sizes: Iterable[int],
                   agreement: Agreement = DECKS) -> tuple[float, float]:
    """Variance and third cumulant of U summed over the pairs within groups of hands of
    these sizes (groups independent of each other)."""
    variance, third = 0.0, 0.0
    for size in group_sizes:
        pairs = size * (size - 1) // 2
        triangles = size * (size - 1) * (size - 2) // 6
        variance += pairs * agreement.variance
        third += pairs * agreement.third + 6 * triangles * agreement.triangle
    return variance, third


def pair_tails(excess: float, variance: float, third: float) -> tuple[float, float]:
    """``(P(U <= excess), P(U >= excess))`` for such a sum U, from the gamma distribution
    with U's mean, variance and third cumulant (a Pearson type III curve). For the n decks
    of a run, 2601 + 102 U / n is the card-by-position chi-square statistic, and for one
    card's positions 51 + 104 U / n is Pearson's chi-square of them (see
    ``sim.runlevel.checks``); as n grows the fits tend to the chi-squares with 2601 and 51
    degrees of freedom, and for a finite n they keep the statistics' exact skewness."""
    if variance <= 0 or third <= 0:
        raise ValueError(f"A sum of agreements needs at least one pair of decks (variance "
                         f"{variance}, third cumulant {third}).")
    shape = 4.0 * variance ** 3 / third ** 2
    scale = third / (2.0 * variance)
    level = (excess + shape * scale) / scale
    return gamma_p(shape, level), gamma_q(shape, level)


def two_sided(tails: tuple[float, float]) -> float:
    """The two-sided p-value of a statistic's (lower, upper) tails."""
    return min(1.0, 2.0 * min(tails))
