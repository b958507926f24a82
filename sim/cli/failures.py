"""``sim replay``, ``sim triage`` and ``sim bugs``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from sim import exits
from sim.cli import main
from sim.cli.params import BadInput, OutputPath, in_planted_copy, stored_run
from sim.failures.verdict import help_text as verdict_help


@main.command()
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("--hand", "hand", default=None, metavar="TABLE:HAND",
              help="With a run folder: the hand to replay from its database, e.g. 3:17.")
@click.option("--step", is_flag=True, help="Walk the hand dispatch by dispatch (n, p, g N, q).")
@click.option("--to", "to", type=click.IntRange(0), default=None,
              help="Show the table after dispatch N (0 is the start of the hand).")
@click.option("--phh", "phh", type=OutputPath(folder=False), default=None,
              help="Also write the hand (as replayed, to where it stopped) to this PHH file, "
                   "for PokerKit or any PHH tool.")
def replay(target: Path, hand: str | None, step: bool, to: int | None,
           phh: Path | None) -> None:
    """Replay a failure dump (or, with --hand, any stored hand) through the engine,
    checking every invariant after every dispatch, and end with one verdict. The replay
    runs in a child process that is stopped when a dispatch does not return (a hang: a
    liveness finding). A run-level check's dump deals the run's hands again from their
    seeds and runs the checks again."""
    from sim.failures.guard import replay_guarded as replay_case
    from sim.failures.sources import NotRebuilt, NotStored, from_dump, from_store
    from sim.failures.verdict import judge_replay

    if target.is_file() and _is_runcheck(target):
        if hand is not None or step or to is not None or phh is not None:
            raise click.UsageError("a run-level check's dump replays whole: it takes no "
                                   "--hand, --step, --to or --phh.")
        sys.exit(_recheck(target))
    recorded = None
    try:
        if target.is_dir():
            table_id, hand_no = _table_and_hand(hand)
            in_planted_copy(stored_run(target)["planted_bugs"] or ())
            case = from_store(target, table_id, hand_no)
        elif hand is not None:
            raise click.BadParameter("--hand goes with a run folder, not a dump file.",
                                     param_hint="--hand")
        else:
            # Read here, by the package itself: the copy carrying the dump's bugs gets
            # the case as read (replay_case sends it there), never reads the dump itself.
            dump = from_dump(target)
            case, recorded = dump.case, dump.finding
        result = replay_case(case)
    except NotStored as error:  # no such table or hand in the store: the user's words
        raise click.BadParameter(str(error.args[0]), param_hint="--hand") from error
    except NotRebuilt as error:
        if error.finding is None:
            raise BadInput(f"{target}: {error}") from error
        click.echo(f"FAILED while rebuilding the hand: {error.finding}")
        sys.exit(error.finding.kind.exit_code)
    except ValueError as error:
        raise BadInput(f"{target}: {error}") from error
    click.echo(f"replaying table {case.table_id} (seed {case.table_seed}) hand "
               f"{case.hand_no} of run seed {case.run_seed}; planted bugs: "
               f"{', '.join(case.planted) or 'none'}; recorded: "
               f"{recorded if recorded is not None else 'nothing (a stored hand)'}")
    cursor = result.cursor
    if phh is not None:
        _write_phh(result.record, phh, f"{target}, table {case.table_id}, hand {case.hand_no}")
    if to is not None:
        if to > cursor.last:
            raise click.BadParameter(f"dispatch {to} does not exist; this replay has dispatches "
                                     f"0 to {cursor.last}.", param_hint="--to")
        cursor.goto(to)
        click.echo(cursor.describe())
    if step:
        _walk(cursor, to or 0)
    judged = judge_replay(recorded, result)
    if to is None and not step and result.unplayed:
        cursor.goto(cursor.last)
        click.echo(cursor.describe())  # where it stopped
    for line in judged.lines():
        click.echo(line)
    sys.exit(judged.exit_code)


replay.help = "\n\n".join([replay.help or "", verdict_help(),
                            exits.help_text([exits.CLEAN, exits.FAILED, exits.USAGE,
                                             exits.CRASHED, exits.LIVENESS,
                                             exits.DIFFERENT])])


def _is_runcheck(path: Path) -> bool:
    from sim.runlevel.dump import is_runcheck

    return is_runcheck(path)


def _recheck(path: Path) -> int:
    """Replay a run-level check's dump: its hands dealt again, the checks run again."""
    from sim.runlevel.checks import shown_p
    from sim.runlevel.dump import load
    from sim.runlevel.replay import judge, recheck

    try:
        dump = load(path)
    except ValueError as error:
        raise BadInput(str(error)) from error
    in_planted_copy(dump.planted)
    click.echo(f"replaying run-level check {dump.check} of run {dump.run_id} (seed "
               f"{dump.run_seed}): {dump.hands:,} hands on {len(dump.tables):,} tables; "
               f"planted bugs: {', '.join(dump.planted) or 'none'}; recorded p = "
               f"{shown_p(dump.test['p'])}")
    judged = judge(recheck(dump))
    for line in judged.lines():
        click.echo(line)
    return judged.exit_code


def _write_phh(record: Any, path: Path, title: str) -> None:
    from sim.outside.export import NotExpressible, hand_to_phh

    if record is None:
        raise BadInput("the replay dealt no hand to write as PHH.")
    try:
        path.write_text(hand_to_phh(record, title))
    except NotExpressible as error:
        raise BadInput(f"cannot write {path}: {error}") from error
    click.echo(f"wrote hand {record.hand_no} to {path}")


def _table_and_hand(hand: str | None) -> tuple[int, int]:
    if hand is None:
        raise click.BadParameter("a run folder needs the hand to replay, e.g. --hand 3:17 "
                                 "(table 3, hand 17); a failure dump needs none.",
                                 param_hint="--hand")
    parts = hand.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise click.BadParameter(f"{hand!r} is not TABLE:HAND; with a run folder, name the "
                                 "hand as e.g. --hand 3:17 (table 3, hand 17).",
                                 param_hint="--hand")
    return int(parts[0]), int(parts[1])


def _walk(cursor: Any, position: int) -> None:
    """Step ``cursor`` (a sim.engine.replay.Cursor) by the commands read from standard input."""
    cursor.goto(position)
    click.echo(cursor.describe())
    for _ in range(100_000):  # bounded: one line of input per step
        line = sys.stdin.readline()
        if not line:
            return
        command = line.strip().split()
        if not command or command[0] in ("n", "next"):
            cursor.forward()
        elif command[0] in ("p", "prev", "b", "back"):
            cursor.back()
        elif command[0] in ("g", "goto") and len(command) == 2 and command[1].isdigit():
            cursor.goto(min(int(command[1]), cursor.last))
        elif command[0] in ("q", "quit"):
            return
        else:
            click.echo("commands: n (next), p (previous), g N (go to dispatch N), q (quit)")
            continue
        click.echo(cursor.describe())


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--markdown", "as_markdown", is_flag=True,
              help="Print the table as Markdown (for a CI job summary).")
@click.option("--promote", "promote_to", type=OutputPath(folder=True), is_flag=False,
              flag_value="tests/regressions", default=None, metavar="[DIR]",
              help="Copy each shrunk dump into DIR (default tests/regressions), where it "
                   "becomes a test.")
@click.option("--seconds", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Time to shrink each bug's repro.")
def triage(folder: Path, as_markdown: bool, promote_to: str | None, seconds: float) -> None:
    """One row per bug (failure signature) of the run in FOLDER, with a shrunk repro.

    Shrinks each bug's smallest dump into FOLDER/shrunk/ (once: the rows are kept in the
    run's database, table bugs). Exit status: 0 when the run found no bug, 1 when it did,
    2 on bad input."""
    from sim.failures.triage import COLUMNS, markdown, promote, rows
    from sim.failures.triage import triage as find_bugs
    from sim.reports.tables import text_table

    if (folder / "stats.duckdb").is_file():
        in_planted_copy(stored_run(folder)["planted_bugs"] or ())
    try:
        bugs = find_bugs(folder, seconds)
    except FileNotFoundError as error:
        raise BadInput(str(error)) from error
    if as_markdown:
        click.echo(markdown(bugs), nl=False)
    elif bugs:
        click.echo(text_table(list(COLUMNS), rows(bugs)))
    else:
        click.echo("no failures: every invariant held")
    if promote_to is not None:
        for path in promote(bugs, Path(promote_to)):
            click.echo(f"promoted: {path}")
    sys.exit(exits.FAILED if bugs else exits.CLEAN)


@main.command(name="bugs")
@click.option("--markdown", is_flag=True,
              help="Print the README's table of planted bugs instead (with the hands each "
                   "took to catch).")
def list_bugs(markdown: bool) -> None:
    """List the planted bugs (``sim.planted``), one a line: its name, what catches it (and
    with which fault), and what it breaks."""
    from sim.planted import catalogue
    from sim.planted.catalogue import CATALOGUE

    if markdown:
        click.echo(catalogue.markdown(), nl=False)
        return
    caught = {bug.name: bug.caught_by + (f" (--fault {bug.fault})" if bug.fault else "")
              for bug in CATALOGUE.values()}
    width, caught_width = max(map(len, CATALOGUE)), max(map(len, caught.values()))
    for bug in CATALOGUE.values():
        click.echo(f"{bug.name:<{width}}  {caught[bug.name]:<{caught_width}}  "
                   f"{bug.description}")
