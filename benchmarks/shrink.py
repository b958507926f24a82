"""Shrinking: how small the repro of every planted bug gets, and how long it takes.

For each planted bug: a short run with the bug on (every invariant), its first dump, and
that dump shrunk (``sim.failures.shrink``) within the time given. Prints a row per bug
(original and shrunk size: players and actions) and the medians.

    python benchmarks/shrink.py [--hands 3000] [--seconds 30] [--seed 5]

Last line: ``shrink: median N players and M actions after (P and Q before), over B bugs``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sim.engine import bugs
from sim.failures.dump import load
from sim.failures.shrink import shrink
from sim.run import run
from sim.runner import RunSettings


def first_dump(bug: str, hands: int, seed: int, folder: Path) -> Path | None:
    out = folder / bug
    settings = RunSettings(seed=seed, hands=hands, planted=(bug,), failures_dir=out / "failures")
    run(settings, out, workers=1, command="benchmarks/shrink.py")
    dumps = sorted((out / "failures").glob("*.json"))
    return min(dumps, key=lambda p: len(load(p).case.actions)) if dumps else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    before, after = [], []
    print(f"{'bug':<32} {'before':>16} {'after':>16} {'tries':>6} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for bug in bugs.BUGS:
            dump = first_dump(bug, args.hands, args.seed, Path(tmp))
            if dump is None:
                print(f"{bug:<32} not caught in {args.hands} hands")
                continue
            started = time.perf_counter()
            result = shrink(load(dump), args.seconds)
            if result is None:
                print(f"{bug:<32} {'':>16} not shrinkable ({time.perf_counter() - started:.1f} s)")
                continue
            before.append(result.before)
            after.append(result.after)
            print(f"{bug:<32} {str(result.before):>16} {str(result.after):>16} "
                  f"{result.tries:>6} {result.seconds:>8.1f}")
    if after:
        print(f"shrink: median {statistics.median(s.players for s in after)} players and "
              f"{statistics.median(s.actions for s in after)} actions after "
              f"({statistics.median(s.players for s in before)} and "
              f"{statistics.median(s.actions for s in before)} before), over {len(after)} bugs")


if __name__ == "__main__":
    main()
