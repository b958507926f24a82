"""What recording every hand costs a fuzz: the same tables with ``--keep-hands failing``
(the default: only failing tables' hand rows are written) and ``--keep-hands all``.

A fuzz given ``--tables`` plays exactly those tables whatever else differs, so the two
variants do the same play; they alternate within each round (the machine is shared), and
the figures are each variant's hands/s of wall time and of CPU time (all the run's
processes: the main one and its workers, which other programs' load disturbs less), and
the folder's size.

    python benchmarks/keep_hands.py [--tables 100] [--workers 2] [--rounds 2] [--seed 1]

Last line: ``keep-hands: all/failing hands/s (CPU) R, folder all A MB, failing F MB``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIM = str(Path(sys.executable).with_name("sim"))
HANDS_PER_TABLE = 200


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fuzz(out: Path, keep: str, args: argparse.Namespace) -> dict[str, float]:
    before, started = children_cpu(), time.perf_counter()
    done = subprocess.run([SIM, "fuzz", "--tables", str(args.tables), "--seed", str(args.seed),
                           "--workers", str(args.workers), "--hands-per-table",
                           str(HANDS_PER_TABLE), "--keep-hands", keep, "--out", str(out)],
                          capture_output=True, text=True)
    wall, cpu = time.perf_counter() - started, children_cpu() - before
    if done.returncode not in (0, 1):
        raise SystemExit(f"sim fuzz failed ({done.returncode}):\n{done.stderr[-2000:]}")
    hands = args.tables * HANDS_PER_TABLE
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"wall": hands / wall, "cpu": hands / cpu, "mb": size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"reproduce: python benchmarks/keep_hands.py --tables {args.tables} --workers "
          f"{args.workers} --rounds {args.rounds} --seed {args.seed}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    results: dict[str, list[dict[str, float]]] = {"failing": [], "all": []}
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(1, args.rounds + 1):
            for keep in results:
                result = fuzz(Path(tmp) / f"{keep}-{round_no}", keep, args)
                results[keep].append(result)
                print(f"round {round_no} --keep-hands {keep}: {result['wall']:,.0f} hands/s "
                      f"wall, {result['cpu']:,.0f} hands per CPU second, folder "
                      f"{result['mb']:.1f} MB", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def median(keep: str, key: str) -> float:
        return statistics.median(r[key] for r in results[keep])

    cpu = median("all", "cpu") / median("failing", "cpu")
    print(f"keep-hands: all/failing hands/s (CPU) {cpu:.3f}"
          f", (wall) {median('all', 'wall') / median('failing', 'wall'):.3f}, folder all "
          f"{median('all', 'mb'):.1f} MB, failing {median('failing', 'mb'):.1f} MB")


if __name__ == "__main__":
    main()
