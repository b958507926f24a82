"""Side by side: one benchmark under two Python interpreters (say, two checkouts' venvs),
in alternating rounds, with medians and the median of the rounds' ratios.

Each interpreter runs the benchmark script of its own checkout (found from where its
``sim`` package lives), so an old commit is measured with its own code; an absolute
``--script`` runs that one file under both (it must work with both versions). Rounds alternate
which one goes first, because the machine is shared and noisy; the figure of a round is
read from the script's output with ``--metric``, a regular expression whose first group is
the number (by default the ``harness: N hands/s`` of ``benchmarks/harness.py``; on a busy
machine, ``--metric cpu`` reads its ``harness by CPU time: N hands/s``).

    python benchmarks/side_by_side.py OLD_PYTHON NEW_PYTHON [--rounds 7] [--hands 4000]
        [--seed 1] [--script benchmarks/harness.py] [--metric wall|cpu|REGEX]

Last line: ``new/old: R (median of the rounds' ratios), old N, new M`` (medians). Exit code
0; 1 when a benchmark run fails; 2 when an interpreter cannot import sim, its checkout has
no such script, or the output has no match for the metric.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

METRICS = {"wall": r"harness: ([0-9.]+) hands/s",
           "cpu": r"harness by CPU time: ([0-9.]+) hands/s"}


def checkout_of(python: str) -> Path:
    """The checkout whose ``sim`` package ``python`` imports (its repository root)."""
    # -P: not the current directory's sim, when the command runs inside a checkout.
    done = subprocess.run([python, "-P", "-c", "import sim, pathlib; "
                           "print(pathlib.Path(sim.__file__).resolve().parent.parent)"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{python} cannot import sim: {done.stderr.strip()[-300:]}; give the python "
              "of a venv with sim installed.", file=sys.stderr)
        raise SystemExit(2)
    return Path(done.stdout.strip())


def measure(python: str, checkout: Path, script: Path, arguments: list[str],
            metric: re.Pattern[str]) -> float:
    """One run of ``script`` under ``python``; the number ``metric`` reads from its output."""
    done = subprocess.run([python, str(script), *arguments], capture_output=True, text=True,
                          cwd=checkout)
    if done.returncode != 0:
        raise SystemExit(f"{python} {script} failed ({done.returncode}):\n"
                         f"{done.stderr[-2000:]}")
    found = metric.findall(done.stdout)
    if not found:
        print(f"The output of {python} {script} has no match for {metric.pattern!r}:\n"
              f"{done.stdout[-1000:]}", file=sys.stderr)
        raise SystemExit(2)
    return float(found[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old_python")
    parser.add_argument("new_python")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--hands", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--script", default="benchmarks/harness.py",
                        help="the benchmark, relative to each interpreter's checkout")
    parser.add_argument("--metric", default="wall",
                        help="wall, cpu, or a regular expression whose first group is the "
                             "figure")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error(f"--rounds {args.rounds} is below 1: give at least one round.")
    metric = re.compile(METRICS.get(args.metric, args.metric))
    scripts = {}
    for label, python in (("old", args.old_python), ("new", args.new_python)):
        checkout = checkout_of(python)
        script = checkout / args.script
        if not script.is_file():
            print(f"There is no {args.script} in the checkout of {python} ({script}).",
                  file=sys.stderr)
            raise SystemExit(2)
        scripts[label] = (python, checkout, script)
        print(f"{label}: {python} running {script}")
    arguments = ["--hands", str(args.hands), "--rounds", "1", "--seed", str(args.seed)]
    print(f"reproduce: python benchmarks/side_by_side.py {args.old_python} {args.new_python} "
          f"--rounds {args.rounds} --hands {args.hands} --seed {args.seed} --script "
          f"{args.script} --metric {args.metric!r}")
    figures: dict[str, list[float]] = {"old": [], "new": []}
    for round_no in range(args.rounds):
        order = ("old", "new") if round_no % 2 == 0 else ("new", "old")
        for label in order:
            python, checkout, script = scripts[label]
            figures[label].append(measure(python, checkout, script, arguments, metric))
        print(f"round {round_no + 1} ({order[0]} first): old {figures['old'][-1]:,.0f}, "
              f"new {figures['new'][-1]:,.0f}, new/old "
              f"{figures['new'][-1] / figures['old'][-1]:.3f}", flush=True)
    ratios = [new / old for old, new in zip(figures["old"], figures["new"], strict=True)]
    print(f"new/old: {statistics.median(ratios):.3f} (median of the rounds' ratios), "
          f"old {statistics.median(figures['old']):,.0f}, "
          f"new {statistics.median(figures['new']):,.0f}")


if __name__ == "__main__":
    main()
