"""The run-level checks (``sim.runlevel``): what they cost, how often they raise a false
alarm, and how surely they catch the planted statistical bugs.

    python benchmarks/runchecks.py instructions [--hands 2000]
    python benchmarks/runchecks.py cost [--rounds 7] [--hands 2000]
    python benchmarks/runchecks.py null [--runs 1000] [--hands 20000] [--rows 10000000]
    python benchmarks/runchecks.py power [--seeds 100] [--hands 20000] [--bug NAME]
    python benchmarks/runchecks.py smallest [--seeds 100] [--bug NAME]
    python benchmarks/runchecks.py effects [--runs 1000] [--hands 20000]

``instructions`` counts, with callgrind (the same count however busy the machine), what
the checks add to a hand: the hook that keeps the decks and each table's summing up (a
worker's play of --hands hands with and without them), and the main process's adding up
and testing (of a 20,000-hand run, per hand). ``cost`` plays the same swarm tables in
this process with and without the checks' share (worker's and main process's), in
alternating rounds, and prints hands per second of CPU time of each, the median ratio,
and the load average: on a shared machine that figure is noisier than the difference.

``null`` and ``power`` deal decks from seeds exactly as a run does: run seed -> table
seed (``draw_table``) -> hand seed (``dealer.hand_seed``) -> deck (``dealer.deck_for``),
tables of 200 hands; that is what a run's checks see when every table plays all its
hands (a table that stalls or fails plays fewer; ``tests/runlevel`` and the README's
figures confirm with real runs). ``null`` counts runs with no bug that fail a check (the
false alarms), and, to see the tails the family-wise alpha rests on, draws ``--rows``
multinomial rows (what one card's positions are, exactly, under a uniform shuffle) and
compares their chi-square tail with the p-values the checks use. ``power`` runs
``--seeds`` seeds of a run with each planted statistical bug, dealing in the patched copy
that carries it (``sim.planted``), and counts the runs caught. ``smallest`` finds the
smallest run (in steps of 1,000 hands) caught in at least 99% of the seeds: the
``hands`` of the bug's record in ``sim/planted/statistics.py``. ``effects`` prints the
smallest biases a run catches in 99% of runs (see its function).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

from sim.bots import draw_table
from sim.runlevel.checks import ALPHA, ROW_DF, evaluate, row_p
from sim.runlevel.decks import RunDecks, dealt_run
from sim.runlevel.table import dealt_again, played_decks
from sim.runlevel.tails import chi2_sf

PER_TABLE = 200
STATISTICAL = ("shuffle_skips_last_swap", "tables_share_decks")


# -- cost ------------------------------------------------------------------------------------

PARTS = ("none", "hook", "worker")  # what of the checks' share a worker's play includes


def play(seed: int, tables: int, parts: str) -> tuple[int, float, list[tuple[int, int, Any]]]:
    """Play ``tables`` swarm tables as a worker does (its rows kept, not written),
    with ``parts`` of the checks' share: none; the hook that keeps the decks; the worker's
    share (the hook and summing up each table). ``(hands, CPU seconds, [(table_id,
    table_seed, TableDecks), ...])``."""
    from sim.hooks.decks import DeckTally
    from sim.runner.player import play_table
    from sim.runner.settings import RunSettings
    from sim.runner.task import to_record

    settings = RunSettings(seed=seed, hands=tables * PER_TABLE)
    hands, summed = 0, []
    level = PARTS.index(parts)
    _quiet_heap()
    started = time.process_time()
    for table_id in range(tables):
        spec = draw_table(seed, table_id)
        tally = DeckTally(PER_TABLE)
        outcome = play_table(spec, PER_TABLE, settings, hooks=[tally] if level else [])
        record = to_record(outcome, PER_TABLE, ())
        hands += record.hands_played
        if level == 2:
            summed.append((table_id, spec.seed,
                           played_decks(tally.decks, tally.hands, PER_TABLE, outcome)))
    return hands, time.process_time() - started, summed


def main_process(tables: list[tuple[int, int, Any]]) -> float:
    """The main process's share: the tables added up as they come back, then the tests;
    CPU seconds."""
    _quiet_heap()
    started = time.process_time()
    run = RunDecks()
    for table_id, table_seed, decks in tables:
        run.add(table_id, table_seed, decks)
    evaluate(run)
    return time.process_time() - started


def _quiet_heap() -> None:
    """No cyclic garbage collection while measuring: a full collection of the heap costs
    tens of millions of instructions, and where one falls depends on a few allocations
    either way (the counts moved by 3,000 instructions a hand from run to run). The
    checks keep no objects a hand (a table's decks grow one bytearray), so the collections
    they would cause are not what is left out."""
    gc.collect()
    gc.disable()


def cost(rounds: int, hands: int, seed: int) -> None:
    """Alternating rounds of the same tables played without and with the checks (the
    worker's share, and the main process's for the same tables), CPU time."""
    tables = max(1, hands // PER_TABLE)
    rates: dict[bool, list[float]] = {False: [], True: []}
    ratios = []
    play(seed, 1, "worker")  # imports and first calls out of the way
    for index in range(rounds):
        order = (False, True) if index % 2 == 0 else (True, False)
        this = {}
        for checks in order:
            played, seconds, summed = play(seed + index, tables, "worker" if checks else "none")
            seconds += main_process(summed) if checks else 0.0
            this[checks] = played / seconds
            rates[checks].append(this[checks])
        ratios.append(this[True] / this[False])
        print(f"round {index + 1}: without {this[False]:,.0f}, with {this[True]:,.0f} hands/s "
              f"of CPU, ratio {ratios[-1]:.4f}", flush=True)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"without the checks: {statistics.median(rates[False]):,.0f} hands/s of CPU "
          f"(median of {rounds} rounds of {tables * PER_TABLE:,} hands)")
    print(f"with the checks:    {statistics.median(rates[True]):,.0f} hands/s of CPU")
    print(f"with/without: {statistics.median(ratios):.4f} (median of the rounds' ratios); "
          f"load average {load}")


# -- false alarms ----------------------------------------------------------------------------

def swarm_tables(seed: int, hands: int) -> list[tuple[int, int, int]]:
    """The tables of a run of ``hands`` hands in 200-hand swarm tables: ``[(table_id,
    table_seed, hands), ...]``."""
    return [(table_id, draw_table(seed, table_id).seed,
             min(PER_TABLE, hands - table_id * PER_TABLE))
            for table_id in range(-(-hands // PER_TABLE))]


def dealt_tables(seed: int, hands: int) -> list[tuple[int, int, Any]]:
    """Those tables, each with the decks its hands are dealt from its seed:
    ``[(table_id, table_seed, TableDecks), ...]``."""
    return [(table_id, table_seed, dealt_again(table_seed, count))
            for table_id, table_seed, count in swarm_tables(seed, hands)]


def null(runs: int, hands: int, rows: int, first_seed: int) -> None:
    started = time.perf_counter()
    alarms, smallest, rows_p = 0, [], []
    for seed in range(first_seed, first_seed + runs):
        evaluation = evaluate(dealt_run(swarm_tables(seed, hands)))
        failed = evaluation.failed()
        alarms += bool(failed)
        for check in failed:
            print(f"  false alarm, seed {seed}: {check.finding}", flush=True)
        smallest.append(min(j.adjusted for j in evaluation.judged))
        rows_p += [j.test.p for j in evaluation.judged if j.test.df == ROW_DF]
    print(f"{runs:,} runs of {hands:,} hands with no bug (seeds {first_seed} to "
          f"{first_seed + runs - 1}, {time.perf_counter() - started:,.0f} s): {alarms} "
          f"false alarms; the bound: family-wise alpha {ALPHA:g}, at most "
          f"{ALPHA * runs:.2g} expected")
    adjusted = np.array(smallest)
    print("  runs whose smallest Holm-adjusted p is below 0.5 / 0.1 / 0.01: "
          + " / ".join(f"{(adjusted < level).mean():.3f}" for level in (0.5, 0.1, 0.01))
          + " (Holm keeps each at most that level)")
    row = np.array(rows_p)
    print(f"  {len(row):,} per-card and per-position p-values below 0.01 / 0.001 / 0.0001: "
          + " / ".join(f"{(row < level).mean():.5f}" for level in (1e-2, 1e-3, 1e-4)))
    if rows:
        multinomial_tail(hands, rows, first_seed)


def multinomial_tail(hands: int, rows: int, seed: int) -> None:
    """One card's 52 position counts over ``hands`` hands are exactly multinomial under a
    uniform shuffle: how many of ``rows`` of them the checks' p-value (``row_p``) puts
    beyond each level, and how many the chi-square with 51 degrees of freedom would."""
    rng = np.random.default_rng(seed)
    expected = hands / 52
    levels = (1e-3, 1e-4, 1e-5, 1e-6)
    fitted = [_quantile(lambda x: row_p(x, hands), level) for level in levels]
    plain = [_quantile(lambda x: chi2_sf(x, ROW_DF), level) for level in levels]
    beyond = {"fit": [0] * len(levels), "chi-square": [0] * len(levels)}
    started = time.perf_counter()
    left = rows
    while left:  # bounded: each pass draws up to a million rows
        batch = min(left, 1_000_000)
        counts = rng.multinomial(hands, [1 / 52] * 52, size=batch)
        value = ((counts - expected) ** 2).sum(axis=1) / expected
        for index in range(len(levels)):
            beyond["fit"][index] += int((value > fitted[index]).sum())
            beyond["chi-square"][index] += int((value > plain[index]).sum())
        left -= batch
    print(f"  {rows:,} multinomial rows of {hands:,} hands "
          f"({time.perf_counter() - started:,.0f} s), rows beyond each level's point "
          "(expected: level x rows):")
    for name, found in beyond.items():
        print(f"    by {'the checks' + chr(39) + ' p-value' if name == 'fit' else name}: "
              + ", ".join(f"{level:g}: {count:,} ({count / (level * rows):.2f} x)"
                          for level, count in zip(levels, found, strict=True)))


def _quantile(tail: Any, level: float) -> float:
    """The x with tail(x) = level (tail decreasing), by bisection (bounded: 200 halvings)."""
    low, high = 0.0, 1000.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if tail(middle) > level else (low, middle)
    return (low + high) / 2


# -- power -----------------------------------------------------------------------------------

def effects(hands: int, draws: int, seed: int) -> None:
    """The smallest biases a ``hands``-hand run catches in 99% of runs, by simulating the
    test that sees them: one card k times as likely at one position (the rest of that
    position's chances scaled down to match), through that position's chi-square, which
    must pass Holm's first step, alpha / 107; and tables at one hand number that agree
    at more positions than chance, through their normal tail."""
    rng = np.random.default_rng(seed)
    cut = ALPHA / (52 + 52 + 3)
    for factor in (1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0):
        chances = np.full(52, (1 - factor / 52) / 51)
        chances[0] = factor / 52
        rows = rng.multinomial(hands, chances, size=draws)
        expected = hands / 52
        values = ((rows - expected) ** 2).sum(axis=1) / expected
        caught = np.mean([chi2_sf(float(v), ROW_DF) <= cut for v in values])
        print(f"one card {factor:g} times as likely at one position: caught in "
              f"{100 * caught:.1f}% of {draws:,} runs of {hands:,} hands", flush=True)
    pairs = (hands // PER_TABLE) * (hands // PER_TABLE - 1) // 2 * min(PER_TABLE, 256)
    z_cut = _normal_quantile(cut / 2) + _normal_quantile(0.01)
    print(f"tables' decks at one hand number agreeing at 1 + e positions a pair instead "
          f"of 1 ({pairs:,} pairs in {hands:,} hands of 200-hand tables): caught in 99% "
          f"of runs from e = {z_cut / pairs ** 0.5:.4f} (a share {z_cut / pairs ** 0.5 / 51:.2g}"
          " of those pairs dealt the same deck)")


def _normal_quantile(tail: float) -> float:
    """The z with an upper normal tail of ``tail``, by bisection (bounded)."""
    import math

    low, high = 0.0, 40.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if 0.5 * math.erfc(middle / 2 ** 0.5) > tail else \
            (low, middle)
    return (low + high) / 2


def caught(seeds: int, hands: int, first_seed: int) -> dict[str, int]:
    """In the running code (a patched copy, for a planted bug): how many of ``seeds``
    runs fail each check, and any."""
    counts = {"any": 0}
    for seed in range(first_seed, first_seed + seeds):
        failed = evaluate(dealt_run(swarm_tables(seed, hands))).failed()
        counts["any"] += bool(failed)
        for check in failed:
            counts[check.finding.name] = counts.get(check.finding.name, 0) + 1
    return counts


def in_copy(bug: str, seeds: int, hands: int, first_seed: int) -> dict[str, int]:
    """``caught`` run by this script in the copy of sim that carries ``bug``."""
    from sim.planted.copy import patched_copy

    folder = patched_copy([bug])
    done = subprocess.run(
        [sys.executable, __file__, "caught", "--bug", bug, "--seeds", str(seeds),
         "--hands", str(hands), "--seed", str(first_seed)],
        env={**os.environ, "PYTHONPATH": str(folder)}, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the copy carrying {bug} failed:\n{done.stderr[-3000:]}")
    result: dict[str, int] = json.loads(done.stdout.splitlines()[-1])
    return result


def power(bugs: list[str], seeds: int, hands: int, first_seed: int) -> None:
    from sim.planted.catalogue import CATALOGUE

    for bug in bugs:
        started = time.perf_counter()
        counts = in_copy(bug, seeds, hands, first_seed)
        checks = ", ".join(f"{name} {count}" for name, count in sorted(counts.items())
                           if name != "any")
        print(f"{bug}: caught in {counts['any']} of {seeds} runs of {hands:,} hands "
              f"(seeds {first_seed} to {first_seed + seeds - 1}); by check: {checks or 'none'}"
              f"; its record says {CATALOGUE[bug].caught_by} "
              f"({time.perf_counter() - started:,.0f} s)", flush=True)


def smallest(bugs: list[str], seeds: int, first_seed: int, most: int) -> None:
    for bug in bugs:
        for hands in range(2_000, most + 1, 1_000):  # bounded by --most
            counts = in_copy(bug, seeds, hands, first_seed)
            print(f"{bug}: {hands:,} hands: caught in {counts['any']} of {seeds}", flush=True)
            if counts["any"] >= 0.99 * seeds:
                print(f"{bug}: smallest run caught in 99% of seeds: {hands:,} hands")
                break


def instructions(hands: int, seed: int, run_hands: int) -> None:
    """The checks' cost in instructions (callgrind: the same count however loaded the
    machine). A worker's share: its play of ``hands`` hands with each part, less the count
    of starting up and playing nothing. The main process's: adding up a ``run_hands``-hand
    run's tables (their decks dealt again) and testing it, less dealing them."""
    tables = max(1, hands // PER_TABLE)
    runs = [("start-up", ["play", "--tables", "0"]),
            *((parts, ["play", "--tables", str(tables), "--parts", parts]) for parts in PARTS),
            ("dealt", ["main", "--hands", str(run_hands), "--parts", "none"]),
            ("tested", ["main", "--hands", str(run_hands), "--parts", "worker"])]
    counts = {}
    for label, arguments in runs:
        # One hash seed for every run: set and dict orders (and with them a few million
        # instructions of a 2,000-hand play) would otherwise vary from run to run.
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, __file__, *arguments, "--seed", str(seed)],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        found = [line for line in done.stderr.splitlines() if "Collected :" in line]
        if done.returncode != 0 or not found:
            raise SystemExit(f"callgrind failed:\n{done.stderr[-2000:]}")
        counts[label] = int(found[-1].split(":")[-1])
        print(f"{label}: {counts[label]:,} instructions", flush=True)
    played = tables * PER_TABLE
    hand = (counts["none"] - counts["start-up"]) / played
    hook = (counts["hook"] - counts["none"]) / played
    worker = (counts["worker"] - counts["hook"]) / played
    main = (counts["tested"] - counts["dealt"]) / run_hands
    print(f"a hand costs {hand:,.0f} instructions without the checks ({played:,} hands on "
          f"{tables} tables); the checks add, a hand:")
    for what, added in (("the hook keeping the decks", hook),
                        ("summing up each table in its worker", worker),
                        (f"adding up and testing a {run_hands:,}-hand run", main),
                        ("in all", hook + worker + main)):
        print(f"  {what}: {added:,.0f} ({100 * added / hand:.2f}%)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["cost", "instructions", "null", "power", "smallest",
                                         "effects", "caught", "play", "main"])
    parser.add_argument("--tables", type=int, default=10)
    parser.add_argument("--parts", choices=PARTS, default="worker",
                        help="play, main: which parts of the checks")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--hands", type=int, default=None)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--most", type=int, default=20_000)
    parser.add_argument("--bug", action="append", choices=STATISTICAL)
    args = parser.parse_args(argv)
    bugs = args.bug or list(STATISTICAL)
    if args.what == "cost":
        cost(args.rounds, args.hands or 2_000, args.seed)
    elif args.what == "instructions":
        instructions(args.hands or 2_000, args.seed, 20_000)
    elif args.what == "play":  # one variant, for instructions
        play(args.seed, args.tables, args.parts)
    elif args.what == "main":  # the main process's share, for instructions
        tables = dealt_tables(args.seed, args.hands or 20_000)
        if args.parts != "none":
            main_process(tables)
    elif args.what == "null":
        null(args.runs, args.hands or 20_000, args.rows, args.seed)
    elif args.what == "power":
        power(bugs, args.seeds, args.hands or 20_000, args.seed)
    elif args.what == "effects":
        effects(args.hands or 20_000, args.runs, args.seed)
    elif args.what == "smallest":
        smallest(bugs, args.seeds, args.seed, args.most)
    else:  # in a patched copy, for power and smallest
        from sim.planted.copy import carried

        assert carried() == tuple(bugs), f"this copy carries {carried()}, not {bugs}"
        print(json.dumps(caught(args.seeds, args.hands or 20_000, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
