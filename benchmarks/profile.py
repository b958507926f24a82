"""Where a checked hand's time goes: the breakdown of ``benchmarks/README.md``.

Two steps. ``play`` plays the harness's swarm tables as a ``sim run`` worker does (every
invariant, the fast mode, the hand watchdog on, the store's rows collected), turns each
table's rows into Arrow tables and writes them to a throwaway DuckDB store, and prints
the CPU time of each of the three parts. Run it under callgrind, which counts only
inside ``play_table`` (the tables: engine, checks, bots, views, rows):

    valgrind --tool=callgrind --callgrind-out-file=/tmp/hand.cg \\
        --toggle-collect=CPyDef_player___play_table \\
        .venv/bin/python benchmarks/profile.py play --hands 1000 --seed 1

(``--no-invariants`` plays the same tables with no invariant.) ``report`` then reads the
callgrind file and splits the tables' instructions into the parts the issue names (engine,
each invariant family, feeds and views, bots, rows, the pipeline), each as the inclusive
cost of the calls into it less the parts nested inside:

    .venv/bin/python benchmarks/profile.py report /tmp/hand.cg

Needs the compiled build (the parts are found by mypyc's C names, ``CPyDef_module___f``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

# Each part: (the functions whose calls it is charged with, the functions it owns). A part
# is charged the inclusive cost of the calls into it from functions it does not own, and
# that cost is taken off the part owning the caller: a nested part (the walk a check asks
# for, the legal actions a bot's view asks the engine for) counts once, as itself.
FAMILIES = ("chips", "cards", "turns", "rounds", "blinds", "awards", "views", "replay",
            "decisions")
PREFIX = r"^CPy(Def|Py)_"
BOTS = r"(bots___base|random_bot|scripted|chaos|seat_hopper|timeout_bot|memory)___"
PARTS: dict[str, tuple[str, str]] = {
    # Validating, deriving and applying events, the legal actions. Its subscribers are
    # charged below, each to its own part.
    "engine": (r"controller___Controller___(dispatch|open|can|legal_actions|replay_from)$",
               r"controller___"),
    # The table log: the hand records, the snapshot and final state copies.
    "log": (r"log___TableLog___(begin|on_event|commit)(__Subscriber_glue)?$", r"log___"),
    # The public view before and after each dispatch, the steps.
    "animator (public views, steps)": (
        r"animation___Animator___(begin|on_event|commit)(__Subscriber_glue)?$",
        r"animation___"),
    "bot views (player_view)": (r"player___TablePlayer____view$",
                                r"player___TablePlayer____view$"),
    "bots": (BOTS + r"\w+___(act|request|rejoin)$", BOTS),
    "rows": (r"rows___RowRecorder___(begin|on_event|commit|keep_hands)(__Subscriber_glue)?$",
             r"rows___"),
    "shared walk (walk.py)": (r"walk___(walk|ended_records)$", r"walk___"),
    "coverage": (r"coverage___Coverage___observe$", r"coverage___"),
    "hooks (watchdog)": (r"watchdog___HandWatchdog___\w+$", r"watchdog___"),
    **{f"invariants: {family}": (rf"({family}|invariants___{family})___",) * 2
       for family in FAMILIES},
}


def play(hands: int, seed: int, invariants: tuple[str, ...] | None) -> None:
    from sim.backends.base import settle_gc
    from sim.hooks.watchdog import DEFAULT_S
    from sim.run import to_record
    from sim.runner import RunSettings, table_plan
    from sim.runner.player import play_table
    from sim.runner.settings import with_hand_timeout
    from sim.store.writer import Store

    settle_gc()
    settings = with_hand_timeout(RunSettings(seed=seed, hands=hands, invariants=invariants),
                                 DEFAULT_S)
    plan = table_plan(settings)
    cpu = time.process_time()
    outcomes = [play_table(settings.draw(t), n, settings) for t, n in plan]
    tables_s = time.process_time() - cpu
    assert all(o.finding is None for o in outcomes)
    # The same tables as records (rows to Arrow), as sim.run.play_task makes them.
    cpu = time.process_time()
    records = [to_record(o, n, ()) for o, (_, n) in zip(outcomes, plan, strict=True)]
    arrow_s = time.process_time() - cpu
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "stats.duckdb") as store:
        store.start_run("profile", seed, hands, settings.hands_per_table, 1, (), None,
                        "profile", "0", "0")
        cpu = time.process_time()
        for start in range(0, len(records), 64):  # the driver's batches of 64 tables
            store.write_tables("profile", records[start:start + 64])
        store_s = time.process_time() - cpu
    played = sum(o.hands for o in outcomes)
    whole = tables_s + arrow_s + store_s
    print(f"{played} hands, seed {seed}: CPU µs a hand: tables {1e6 * tables_s / played:.0f}, "
          f"rows to Arrow {1e6 * arrow_s / played:.0f}, store (DuckDB) "
          f"{1e6 * store_s / played:.0f}")
    print(f"shares of the CPU: tables {tables_s / whole:.1%}, rows to Arrow "
          f"{arrow_s / whole:.1%}, store {store_s / whole:.1%}")


def read_callgrind(path: Path) -> tuple[int, dict[tuple[str, str], int]]:
    """The total instructions and the inclusive cost of each (caller, callee) edge."""
    names: dict[str, str] = {}
    edges: dict[tuple[str, str], int] = defaultdict(int)
    total = 0
    caller = callee = ""
    pending_call = False

    def name(ref: str) -> str:
        found = re.match(r"\((\d+)\)(?: (.*))?", ref)
        if not found:
            return ref
        key, text = found.groups()
        if text:
            names[key] = text
        return names.get(key, key)

    for line in path.read_text().splitlines():
        if line.startswith("fn="):
            caller = name(line[3:])
        elif line.startswith("cfn="):
            callee = name(line[4:])
        elif line.startswith("calls="):
            pending_call = True
        elif line.startswith("summary:") or line.startswith("totals:"):
            total = int(line.split()[1])
        elif line and (line[0].isdigit() or line[0] in "+-*"):
            if pending_call:
                edges[caller, callee] += int(line.split()[1])
                pending_call = False
    return total, _through_stubs(edges)


def _through_stubs(edges: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Calls through an unnamed stub (``0x...``: the linker's jump to one function) are
    given to the stub's own callers, in proportion to their calls into it."""
    for _ in range(4):  # stubs reached through stubs: a few rounds
        into: dict[str, dict[str, int]] = defaultdict(dict)
        for (caller, callee), cost in edges.items():
            if callee.startswith("0x"):
                into[callee][caller] = into[callee].get(caller, 0) + cost
        moved: dict[tuple[str, str], int] = defaultdict(int)
        changed = False
        for (caller, callee), cost in edges.items():
            callers = into.get(caller) if caller.startswith("0x") else None
            if not callers:
                moved[caller, callee] += cost
                continue
            changed = True
            weight = sum(callers.values())
            for outer, share in callers.items():
                moved[outer, callee] += cost * share // weight
        edges = moved
        if not changed:
            break
    return edges


def report(path: Path) -> None:
    total, edges = read_callgrind(path)
    # mypyc's names: CPyDef_ (native) or CPyPy_ (the Python wrapper), then the module's
    # shortest unique dotted suffix, then the function.
    entries = {part: re.compile(PREFIX + entry) for part, (entry, _) in PARTS.items()}
    owners = {part: re.compile(PREFIX + owner) for part, (_, owner) in PARTS.items()}

    def owner_of(fn: str) -> str | None:
        for part, pattern in owners.items():
            if pattern.search(fn):
                return part
        return None

    charged: dict[str, int] = defaultdict(int)
    for (caller, callee), cost in edges.items():
        owner = owner_of(caller)
        for part, entry in entries.items():
            if part != owner and entry.search(callee):
                charged[part] += cost
                if owner is not None:
                    charged[owner] -= cost
                break
    tables = sum(cost for (caller, callee), cost in edges.items()
                 if callee.endswith("player___play_table") and "play_table" not in caller)
    tables = tables or total
    print(f"{path}: {total:,} instructions collected, {tables:,} inside play_table")
    rest = tables
    for part in sorted(charged, key=lambda p: -charged[p]):
        rest -= charged[part]
        print(f"{part:34} {charged[part] / tables:6.1%}  {charged[part]:>14,}")
    print(f"{'the rest (pipeline, table loop)':34} {rest / tables:6.1%}  {rest:>14,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("play")
    p.add_argument("--hands", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-invariants", action="store_true", help="no invariant (engine, bots, rows)")
    r = sub.add_parser("report")
    r.add_argument("file", type=Path)
    args = parser.parse_args()
    if args.command == "play":
        play(args.hands, args.seed, () if args.no_invariants else None)
    else:
        report(args.file)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
