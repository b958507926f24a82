"""The ``sim`` command line. Thin: each command parses options and calls the library."""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from sim.engine import bugs
from sim.finding import EXIT_USAGE, exit_code


class HandsType(click.ParamType):
    """A hand count: ``1000000``, ``1_000_000`` or ``1e6``."""

    name = "hands"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().replace("_", "")
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            self.fail(f"{value!r} is not a number of hands; write e.g. 1000000, 1_000_000 "
                      "or 1e6.", param, ctx)
        if not math.isfinite(number) or number != int(number) or int(number) < 1:
            self.fail(f"{value!r} is not a whole number of hands of at least 1.", param, ctx)
        if int(number) > 10**10:
            self.fail(f"{value!r} hands is more than the 10,000,000,000 a run may play.",
                      param, ctx)
        return int(number)


def _names(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(name.strip() for name in value.split(",") if name.strip())


class BadInput(click.ClickException):
    """A file or value the user gave is not what the command takes: exit 2, one line."""

    exit_code = EXIT_USAGE


@click.group()
@click.version_option(package_name="sim")
def main() -> None:
    """A fuzz-testing harness around an event-sourced no-limit hold'em engine."""


@main.command()
@click.option("--hands", type=HandsType(), default="20000", show_default=True,
              help="Hands to play in all (1e6, 1_000_000 and 1000000 all work).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
              help="Run seed; a random one is drawn (and printed) when left out.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Worker processes  [default: the number of cores]")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Run folder (default: runs/DATE-seedSEED).")
@click.option("--hands-per-table", type=click.IntRange(1, 100_000), default=200,
              show_default=True, help="Hands each table plays before a new one is drawn.")
@click.option("--plant-bug", "planted", multiple=True, metavar="NAME",
              help="Switch on a planted engine bug (see `sim bugs`); repeatable.")
@click.option("--invariants", default=None, metavar="A,B,...",
              help="Check only these invariants (default: all).")
@click.option("--table", "only_table", type=click.IntRange(0), default=None,
              help="Play only this table of the run (same seed and hands): to chase a failure.")
@click.option("--resume", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Finish the interrupted run in this folder.")
@click.option("--oracle", "oracle", default=None, metavar="pokerkit[=RATE]",
              help="Compare 1 finished hand in RATE (default 100) with PokerKit; needs the "
                   "oracle extra.")
@click.option("--fault", "faults", multiple=True, metavar="NAME=VALUE",
              help="Inject a fault to test the harness itself: crash_worker=TABLE (the worker "
                   "about to play TABLE dies), slow_tables=SECONDS; repeatable.")
def run(hands: int, seed: int | None, workers: int | None, out: Path | None,
        hands_per_table: int, planted: tuple[str, ...], invariants: str | None,
        only_table: int | None, resume: Path | None, oracle: str | None,
        faults: tuple[str, ...]) -> None:
    """Play HANDS hands on swarm-drawn tables, checking every invariant after every dispatch.

    \b
    Exit status (when several kinds of failure occur, the most severe: 3, then 4, then 1):
      0    every invariant held
      1    an invariant failed (or the engine refused a legal action)
      2    usage error or bad input
      3    the engine or the harness raised an exception (or a worker process died)
      4    liveness: a hand or a table did not end
      130  interrupted (Ctrl-C) with no failure so far"""
    from sim.reports.console import print_summary
    from sim.run import run as run_all

    workers = workers or os.cpu_count() or 1
    ctx = click.get_current_context()
    if resume is not None:
        given = [param.opts[0] for param in ctx.command.params
                 if param.name in ("hands", "seed", "out", "hands_per_table", "planted",
                                   "invariants", "only_table", "faults", "oracle")
                 and ctx.get_parameter_source(param.name or "")
                 is not click.core.ParameterSource.DEFAULT]
        if given:
            flags = ", ".join(given)
            raise click.UsageError(f"--resume takes the run's settings from its database; "
                                   f"leave out {flags}.")
        settings, out = _resumed_settings(resume)
    else:
        settings, out = _new_settings(hands, seed, out, hands_per_table, planted, invariants,
                                      only_table, faults)
        settings = replace(settings, oracle=_oracle_rate(oracle))
    command = _command(settings, workers, out)
    click.echo(f"sim run: seed {settings.seed}, {settings.hands:,} hands, {workers} "
               f"worker{'s' if workers != 1 else ''}, out {out}")
    click.echo(f"reproduce: {command}")
    summary = run_all(settings, out, workers, command, resume=resume is not None)
    print_summary(summary, command)
    sys.exit(exit_code((r.finding.kind for r in summary.failures if r.finding is not None),
                       summary.interrupted))


def _new_settings(hands: int, seed: int | None, out: Path | None, hands_per_table: int,
                  planted: tuple[str, ...], invariants: str | None,
                  only_table: int | None, faults: tuple[str, ...]) -> tuple[Any, Path]:
    from sim.invariants.base import select
    from sim.runner.faults import parse
    from sim.runner.settings import RunSettings

    unknown = [name for name in planted if name not in bugs.BUGS]
    if unknown:
        raise click.BadParameter(f"unknown bug {', '.join(unknown)}; known bugs are "
                                 f"{', '.join(bugs.BUGS)} (see `sim bugs`).",
                                 param_hint="--plant-bug")
    selected = _names(invariants)
    if invariants is not None and not selected:
        raise click.BadParameter(f"{invariants!r} names no invariant; give one or more names "
                                 "separated by commas, or leave --invariants out to check all.",
                                 param_hint="--invariants")
    try:
        select(selected)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--invariants") from error
    if seed is None:
        seed = int.from_bytes(os.urandom(8), "big") >> 1
    out = out or Path("runs") / f"{dt.datetime.now():%Y%m%d-%H%M%S}-seed{seed}"
    if (out / "stats.duckdb").exists():
        raise click.BadParameter(f"{out} already holds a run; choose another --out, or finish "
                                 f"it with --resume {out}.", param_hint="--out")
    tables = -(-hands // hands_per_table)
    if only_table is not None and only_table >= tables:
        raise click.BadParameter(f"table {only_table} is not in this run; {hands} hands at "
                                 f"{hands_per_table} a table make tables 0 to {tables - 1}.",
                                 param_hint="--table")
    try:
        injected = tuple(parse(spec) for spec in faults)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--fault") from error
    return RunSettings(seed=seed, hands=hands, hands_per_table=hands_per_table,
                       invariants=selected, planted=tuple(planted),
                       failures_dir=out / "failures", only_table=only_table,
                       faults=injected), out


def _oracle_rate(spec: str | None) -> int:
    """``pokerkit`` or ``pokerkit=RATE`` -> RATE (default 100); None -> 0 (off)."""
    if spec is None:
        return 0
    name, _, rate = spec.partition("=")
    if name != "pokerkit" or (rate and not (rate.isdigit() and int(rate) >= 1)):
        raise click.BadParameter(f"{spec!r} is not an oracle; write pokerkit or pokerkit=RATE "
                                 "with RATE a whole number of at least 1 (1: every hand).",
                                 param_hint="--oracle")
    from sim.outside.pokerkit_oracle import OracleUnavailable, require_pokerkit

    try:
        require_pokerkit()
    except OracleUnavailable as error:
        raise click.UsageError(str(error)) from error
    return int(rate) if rate else 100


def _resumed_settings(folder: Path) -> tuple[Any, Path]:
    from sim.runner.settings import RunSettings
    from sim.store.writer import Store

    path = folder / "stats.duckdb"
    if not path.exists():
        raise click.BadParameter(f"{folder} holds no stats.duckdb; --resume takes the folder "
                                 "of a run started with `sim run --out`.", param_hint="--resume")
    with Store(path) as store:
        row = store.run_row()
    if row is None:
        raise click.BadParameter(f"{path} holds no run.", param_hint="--resume")
    return RunSettings(seed=row["seed"], hands=row["hands_requested"],
                       hands_per_table=row["hands_per_table"],
                       invariants=(tuple(row["invariants"]) if row["invariants"] is not None
                                   else None),
                       planted=tuple(row["planted_bugs"] or ()),
                       failures_dir=folder / "failures", only_table=row["only_table"]), folder


def _command(settings: object, workers: int, out: Path) -> str:
    from sim.runner.settings import RunSettings, reproduce_command

    assert isinstance(settings, RunSettings)
    return reproduce_command(settings, workers, out)


@main.command()
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("--hand", "hand", default=None, metavar="TABLE:HAND",
              help="With a run folder: the hand to replay from its database, e.g. 3:17.")
@click.option("--step", is_flag=True, help="Walk the hand dispatch by dispatch (n, p, g N, q).")
@click.option("--to", "to", type=click.IntRange(0), default=None,
              help="Show the table after dispatch N (0 is the start of the hand).")
def replay(target: Path, hand: str | None, step: bool, to: int | None) -> None:
    """Replay a failure dump (or, with --hand, any stored hand), checking every invariant.

    \b
    Exit status:
      0    the hand replays clean
      1    it fails an invariant (3: the engine or a check raised; 4: liveness)
      2    usage error, or TARGET is not a failure dump (malformed, another format, a
           dump from a newer version)"""
    from sim.failures.replay import replay as replay_case
    from sim.failures.sources import NotStored, from_dump, from_store

    recorded = None
    try:
        if target.is_dir():
            table_id, hand_no = _table_and_hand(hand)
            case = from_store(target, table_id, hand_no)
        elif hand is not None:
            raise click.BadParameter("--hand goes with a run folder, not a dump file.",
                                     param_hint="--hand")
        else:
            dump = from_dump(target)
            case, recorded = dump.case, dump.finding
        result = replay_case(case)
    except NotStored as error:  # no such table or hand in the store: the user's words
        raise click.BadParameter(str(error.args[0]), param_hint="--hand") from error
    except ValueError as error:
        raise BadInput(f"{target}: {error}") from error
    click.echo(f"replaying table {case.table_id} (seed {case.table_seed}) hand "
               f"{case.hand_no} of run seed {case.run_seed}; planted bugs: "
               f"{', '.join(case.planted) or 'none'}; recorded: "
               f"{recorded if recorded is not None else 'nothing (a stored hand)'}")
    cursor = result.cursor
    if to is not None:
        if to > cursor.last:
            raise click.BadParameter(f"dispatch {to} does not exist; this replay has dispatches "
                                     f"0 to {cursor.last}.", param_hint="--to")
        cursor.goto(to)
        click.echo(cursor.describe())
    if step:
        _walk(cursor, to or 0)
    if result.finding is not None:
        click.echo(f"REPRODUCED at dispatch {result.finding.dispatch}: {result.finding}")
        if to is None and not step:
            cursor.goto(cursor.last)
            click.echo(cursor.describe())
        sys.exit(result.finding.kind.exit_code)
    click.echo(f"replayed clean: {cursor.last + 1} dispatches, {result.checks} invariant checks")


def _table_and_hand(hand: str | None) -> tuple[int, int]:
    parts = (hand or "").split(":")
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
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list of objects).")
def query(folder: Path, sql: str, as_csv: bool, as_json: bool) -> None:
    """Run SQL against a run's stats.duckdb (read-only) and print the result."""
    import duckdb

    from sim.reports.tables import csv_table, json_table, text_table

    if as_csv and as_json:
        raise click.UsageError("choose one of --csv and --json.")
    path = folder / "stats.duckdb"
    if not path.exists():
        raise click.BadParameter(f"{folder} holds no stats.duckdb.", param_hint="FOLDER")
    con = duckdb.connect(str(path), read_only=True)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as error:
        raise click.ClickException(f"the query failed: {error}") from error
    finally:
        con.close()
    if as_csv:
        click.echo(csv_table(columns, rows), nl=False)
    elif as_json:
        click.echo(json_table(columns, rows))
    else:
        click.echo(text_table(columns, rows))


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def report(folder: Path) -> None:
    """Print a run's summary from its database: throughput, per-bot results, coverage."""
    from sim.reports.summary import report as build

    try:
        click.echo(build(folder))
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--markdown", "as_markdown", is_flag=True,
              help="Print the table as Markdown (for a CI job summary).")
@click.option("--promote", "promote_to", is_flag=False, flag_value="tests/regressions",
              default=None, metavar="[DIR]",
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
    sys.exit(1 if bugs else 0)


@main.command(name="bugs")
def list_bugs() -> None:
    """List the planted bugs, one name and one sentence a line."""
    width = max(map(len, bugs.BUGS))
    for name, sentence in bugs.BUGS.items():
        click.echo(f"{name:<{width}}  {sentence}")



@main.command(name="check-phh")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="End with the counts as one JSON object on the last line.")
def check_phh(paths: tuple[Path, ...], as_json: bool) -> None:
    """Replay the no-limit hold'em hands of PHH files (.phh, .phhs; folders recursively)
    through the engine with every invariant on. Exit 0 when nothing was rejected or
    mismatched, 1 otherwise, 2 on a file that is not PHH."""
    import json

    from sim.outside.check import report_for

    found, problem = report_for(paths)
    if found is None:
        click.echo(problem, err=True)
        sys.exit(2)
    for line in found.lines():
        click.echo(line)
    if as_json:
        click.echo(json.dumps(found.counts()))
    sys.exit(found.exit_code())



@main.command(name="export-phh")
@click.argument("run", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--where", default=None,
              help="SQL condition on the hands table, e.g. \"pot > 100\" (default: all).")
def export_phh(run: Path, out: Path, where: str | None) -> None:
    """Write a run's stored hands as a PHH collection (.phhs) for PokerKit or any PHH tool."""
    from sim.outside.export import export_run

    try:
        written, left_out = export_run(run, where, out)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {written} hands to {out}"
               + (f"; {left_out} left out (live posts PHH cannot describe)" if left_out else ""))


if __name__ == "__main__":
    main()
