"""PHH replay speed: hands per second on one core through ``sim check-phh``'s pipeline
(parse, plan, deal and dispatch every action with every invariant on), over the Pluribus
hands: the 5,000 of PokerKit's repository where they sit beside this one
(``../shared/phh``), else the 500 of ``tests/outside/data``. Rounds are timed separately
and the median is printed, because the machine is shared and noisy.

    python benchmarks/phh.py [--rounds 3] [--hands 5000] [PATH]

Last line: ``phh: N hands/s (parse P hands/s, replay R hands/s)``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sim.outside.check import Report, _count, replay
from sim.outside.phh import read_path
from sim.outside.plan import Skip, make_plan

ROOT = Path(__file__).resolve().parents[1]
FULL = ROOT / ".." / "shared" / "phh" / "pluribus-2019-a.phhs"
SAMPLE = ROOT / "tests" / "outside" / "data" / "pluribus-2019-sample.phhs"


def one_round(path: Path, hands: int) -> tuple[float, float, float, Report]:
    """Seconds to parse, to plan and replay, in all; and the report."""
    report = Report(files=1)
    started = time.perf_counter()
    parsed = read_path(path)[:hands]
    read = time.perf_counter()
    for hand in parsed:
        plan = make_plan(hand)
        if isinstance(plan, Skip):
            report.skipped[plan.reason] += 1
        else:
            _count(report, plan, replay(plan))
    done = time.perf_counter()
    return read - started, done - read, done - started, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=FULL if FULL.exists() else SAMPLE)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hands", type=int, default=5000)
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"{args.path} is missing; give a PHH file.")
    rounds = [one_round(args.path, args.hands) for _ in range(args.rounds)]
    report = rounds[-1][3]
    hands = report.accepted + sum(report.skipped.values()) + len(report.findings)
    parse, play, whole = (statistics.median(r[i] for r in rounds) for i in range(3))
    print(f"rounds: {', '.join(f'{hands / r[2]:,.0f}' for r in rounds)} hands/s; "
          f"counts {report.counts()}")
    print(f"phh: {hands / whole:,.0f} hands/s (parse {hands / parse:,.0f} hands/s, "
          f"replay {hands / play:,.0f} hands/s)")


if __name__ == "__main__":
    main()
