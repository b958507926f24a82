"""Holm's step-down correction: many tests, one family-wise false-alarm rate.

A run's checks are many tests (a chi-square per card, one per position, ...). Holm's
method rejects the smallest p-value when it is at most alpha / m, the next at most
alpha / (m - 1), and so on, stopping at the first that is not; whatever the tests'
dependence, the chance that any true hypothesis is rejected stays at most alpha. The
adjusted p-value of a test is the smallest alpha at which the method rejects it.

>>> [(rejected, round(p, 6)) for rejected, p in holm([0.01, 0.04, 0.03, 0.5], alpha=0.05)]
[(True, 0.04), (False, 0.09), (False, 0.09), (False, 0.5)]
"""

from __future__ import annotations

from collections.abc import Sequence


def holm(p_values: Sequence[float], alpha: float) -> list[tuple[bool, float]]:
    """``(rejected, adjusted p-value)`` for each of ``p_values``, in their order."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"The family-wise alpha {alpha!r} must be between 0 and 1.")
    count = len(p_values)
    order = sorted(range(count), key=lambda i: p_values[i])
    result: list[tuple[bool, float]] = [(False, 1.0)] * count
    adjusted = 0.0
    for rank, index in enumerate(order):
        # Never below an earlier (smaller) p-value's adjustment: the method steps down.
        adjusted = max(adjusted, min(1.0, (count - rank) * p_values[index]))
        result[index] = (adjusted <= alpha, adjusted)
    return result
