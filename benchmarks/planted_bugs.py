"""How many hands the harness takes to catch each planted bug, and by which finding.

Each bug is played in the patched copy of the package that carries it (``sim.planted.copy``),
one child process per bug: the run's swarm tables (the tables ``sim run --seed SEED
--hands-per-table N`` plays), one after another, with the fault the bug's record asks for
(``PlantedBug.fault``), until the first finding. Prints, per bug, the hands played up to
and including the failing one, the tables it took, the finding that caught it, and whether
that matches the record: the finding is the record's ``caught_by``, and the hands are
within a factor of TOLERANCE of the record's ``hands`` (the README's table of planted bugs
is made from the records). Then the signatures that several bugs' findings share (triage
would take those bugs for one).

Exit status 1 when a bug went unnoticed within --max-hands, was caught by another finding
than its record says, or took a number of hands outside the tolerance (mend the record:
``hands`` is what this prints).

The bugs whose record says ``hangs_process`` are left out: they hang the process that plays
them where no timer stops it, and only a run's main process catches them
(tests/backends/test_hangs.py); so are those only the run-level checks see, which no table
shows (``benchmarks/runchecks.py`` measures them).

    python benchmarks/planted_bugs.py                 # every bug
    python benchmarks/planted_bugs.py --bug leave_not_folded --seed 7
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

from sim.planted.catalogue import CATALOGUE, RUN_LEVEL

TOLERANCE: Final = 2  # measured hands match a record of N when N / 2 <= hands <= 2 * N
# The child: the bug's copy first on its path, this folder next (for this module), then
# ``child`` with the rest of the command line.
BOOT: Final = ("import sys; sys.path[:0] = sys.argv[1:3]; del sys.argv[1:3]; "
               "import planted_bugs; planted_bugs.child(sys.argv[1:])")


def hands_to_catch(bug: str, seed: int, per_table: int, max_hands: int) -> dict[str, Any]:
    """Play the bug's tables in this process, which must be its copy: ``{"hands",
    "tables", "finding", "signature", "message"}`` at the first finding (the failing hand
    counted), finding None if none came within ``max_hands``."""
    from sim.bots import draw_table
    from sim.failures.signature import signature
    from sim.hooks.faults import parse
    from sim.runner.player import play_table
    from sim.runner.settings import RunSettings

    fault = CATALOGUE[bug].fault
    settings = RunSettings(seed=seed, hands=max_hands, hands_per_table=per_table,
                           planted=(bug,), collect_rows=False,
                           faults=(parse(fault),) if fault else ())
    hands = tables = 0
    while hands < max_hands:
        outcome = play_table(draw_table(seed, tables), per_table, settings)
        tables += 1
        found = outcome.finding
        if found is not None:
            return {"hands": hands + outcome.hands + 1, "tables": tables, "finding": found.name,
                    "signature": signature(found), "message": found.message}
        hands += outcome.hands
    return {"hands": hands, "tables": tables, "finding": None, "signature": None,
            "message": None}


def child(argv: list[str]) -> None:
    """The child's side: ``BUG SEED PER_TABLE MAX_HANDS``; the result as JSON on stdout."""
    bug, seed, per_table, max_hands = argv[0], *map(int, argv[1:])
    print(json.dumps(hands_to_catch(bug, seed, per_table, max_hands)))


def measure(bug: str, seed: int, per_table: int, max_hands: int) -> dict[str, Any]:
    """``hands_to_catch`` run in a child whose ``sim`` is the copy carrying ``bug``."""
    from sim.planted.copy import patched_copy

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", BOOT, str(patched_copy([bug])), str(Path(__file__).parent),
         bug, str(seed), str(per_table), str(max_hands)],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip()
                else f"exit {done.returncode}", "seconds": time.perf_counter() - started}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - started
    return result


def verdict(bug: str, result: dict[str, Any]) -> str | None:
    """What differs from the bug's record (None: it matches)."""
    record = CATALOGUE[bug]
    if "error" in result:
        return f"ERROR: {result['error']}"
    if result["finding"] is None:
        return "MISSED"
    if result["finding"] != record.caught_by:
        return f"caught by {result['finding']}, the record says {record.caught_by}"
    if not record.hands / TOLERANCE <= result["hands"] <= record.hands * TOLERANCE:
        return f"{result['hands']} hands, the record says {record.hands}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bug", action="append", choices=list(CATALOGUE),
                        help="a planted bug (repeatable; default: every one)")
    parser.add_argument("--seed", type=int, default=5, help="the run seed (default 5)")
    parser.add_argument("--hands-per-table", type=int, default=25)
    parser.add_argument("--max-hands", type=int, default=5000,
                        help="give up on a bug after this many hands (default 5000)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="bugs measured at once, each in its own child (default 1)")
    args = parser.parse_args(argv)
    bugs = args.bug or [name for name, bug in CATALOGUE.items()
                        if not bug.hangs_process and name not in RUN_LEVEL]
    print(f"seed {args.seed}, {args.hands_per_table} hands a table; a record matches when its "
          f"finding is the one that caught the bug, in hands within a factor of {TOLERANCE}")
    print(f"{'planted bug':30} {'hands':>6} {'tables':>6}  {'caught by':24} record")
    wrong = []
    shared: dict[str, list[str]] = defaultdict(list)
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = pool.map(lambda bug: measure(bug, args.seed, args.hands_per_table,
                                               args.max_hands), bugs)
        for bug, result in zip(bugs, results, strict=True):
            problem = verdict(bug, result)
            if problem is not None:
                wrong.append(bug)
            if result.get("signature"):
                shared[result["signature"]].append(bug)
            print(f"{bug:30} {result.get('hands', '-'):>6} {result.get('tables', '-'):>6}  "
                  f"{result.get('finding') or '-':24} {problem or 'ok'}"
                  f"  ({result['seconds']:.1f}s)", flush=True)
    for signature, names in shared.items():
        if len(names) > 1:
            print(f"one signature, {len(names)} bugs ({', '.join(names)}): {signature}")
    if wrong:
        print(f"not as recorded: {', '.join(wrong)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
