"""How many hands the harness takes to catch each planted bug, and by which invariant.

Plays the run's swarm tables (the tables `sim run --seed SEED --hands-per-table N` plays)
one after another in this process with one planted bug switched on (and, for a bug only
a fault finds, that fault: ``sim.hooks.faults.CAUGHT_BY_FAULT``), until the first
finding; prints, per bug, the hands played up to and including the failing one, the
tables it took, and the invariant that caught it. Exit status 1 when a bug went
unnoticed within --max-hands. The bugs only a run's main process catches
(``CAUGHT_BY_PARENT``: they hang the process that plays them) are left out.

    python benchmarks/planted_bugs.py                 # every bug
    python benchmarks/planted_bugs.py --bug leave_not_folded --seed 7
"""

from __future__ import annotations

import argparse
import sys
import time

from sim.bots import draw_table
from sim.engine import bugs
from sim.hooks.faults import CAUGHT_BY_FAULT, CAUGHT_BY_PARENT, parse
from sim.runner.player import play_table
from sim.runner.settings import RunSettings


def hands_to_catch(bug: str, seed: int, per_table: int,
                   max_hands: int) -> tuple[int, int, str | None]:
    """``(hands, tables, invariant)``: hands played until the first finding (the failing
    hand counted), the tables played, and the finding's name (None if never caught)."""
    fault = CAUGHT_BY_FAULT.get(bug)
    settings = RunSettings(seed=seed, hands=max_hands, hands_per_table=per_table,
                           planted=(bug,), collect_rows=False,
                           faults=(parse(fault),) if fault else ())
    hands = tables = 0
    while hands < max_hands:
        outcome = play_table(draw_table(seed, tables), per_table, settings)
        tables += 1
        if outcome.finding is not None:
            return hands + outcome.hands + 1, tables, outcome.finding.name
        hands += outcome.hands
    return hands, tables, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bug", action="append", choices=sorted(bugs.BUGS),
                        help="a planted bug (repeatable; default: every one)")
    parser.add_argument("--seed", type=int, default=5, help="the run seed (default 5)")
    parser.add_argument("--hands-per-table", type=int, default=25)
    parser.add_argument("--max-hands", type=int, default=5000,
                        help="give up on a bug after this many hands (default 5000)")
    args = parser.parse_args(argv)
    missed = []
    print(f"{'planted bug':30} {'hands':>6} {'tables':>6}  caught by")
    for bug in args.bug or list(bugs.BUGS):
        if bug in CAUGHT_BY_PARENT:  # it would hang this process: see tests/backends/
            print(f"{bug:30} {'-':>6} {'-':>6}  left out: only a run's main process catches it")
            continue
        started = time.perf_counter()
        hands, tables, name = hands_to_catch(bug, args.seed, args.hands_per_table,
                                             args.max_hands)
        if name is None:
            missed.append(bug)
        print(f"{bug:30} {hands:>6} {tables:>6}  {name or 'MISSED'}"
              f"  ({time.perf_counter() - started:.1f}s)", flush=True)
    if missed:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
