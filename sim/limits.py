"""The largest values a run takes, the same wherever they enter (options, experiment
files, the store's ``runs`` row): each fits the store's column for it."""

from __future__ import annotations

from typing import Final

from sim.engine.config import MAX_CHIPS

MAX_HANDS: Final = 10**10  # hands in a run
MAX_HANDS_PER_TABLE: Final = 100_000
MAX_SEED: Final = 2**63 - 1  # a run seed (UBIGINT in the store; signed 64 bits everywhere)
# Failure dumps a run keeps per signature, by default (sim.backends.dumps.DumpQuota): a
# planted bug can break every table, and one dump is 50 to 150 kB.
DUMPS_PER_SIGNATURE: Final = 10

__all__ = ["DUMPS_PER_SIGNATURE", "MAX_CHIPS", "MAX_HANDS", "MAX_HANDS_PER_TABLE", "MAX_SEED"]
