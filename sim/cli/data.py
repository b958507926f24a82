"""``sim query``, ``sim export`` and ``sim report``: runs' databases, read."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from sim.cli import main
from sim.cli.params import BadInput, OutputPath

FOLDERS = click.argument("folders", nargs=-1, required=True,
                         type=click.Path(exists=True, file_okay=False, path_type=Path))


def open_runs(folders: Sequence[Path]) -> Any:
    """The locked connection over ``folders`` (``sim.store.dataset``); bad input is one
    line and exit 2, and a run given twice is said on standard error."""
    from sim.store.dataset import NoRuns, open_dataset, repeated_runs

    try:
        con = open_dataset(folders)
    except NoRuns as error:
        raise BadInput(str(error)) from error
    with damaged(folders):
        repeated = repeated_runs(con)
    for run_id, times in repeated:
        click.echo(f"warning: run {run_id} is in the data {times} times (a run and its "
                   f"export?); its rows count {times} times. Give each run once.", err=True)
    return con


@contextmanager
def damaged(folders: Sequence[Path]) -> Iterator[None]:
    """A file that fails to read part-way (a damaged block) is bad input too: one line."""
    import duckdb

    try:
        yield
    except duckdb.Error as error:
        raise BadInput(f"{', '.join(map(str, folders))}: the stored data cannot be read "
                       f"({_one_line(error)}); a file may be damaged.") from error


@main.command()
@FOLDERS
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: a list of objects, one a row (NaN and infinities, which JSON "
                   "has no numbers for, print as null).")
def query(folders: tuple[Path, ...], sql: str, as_csv: bool, as_json: bool) -> None:
    """Run SQL over one or more runs and print the result. Read-only: the SQL reads the
    runs' own data and nothing else (no file is written or read, nothing is attached or
    installed).

    Each FOLDER is a run, a folder of runs, or a folder written by `sim export`; the
    tables and the statistics views span them all (every row carries its run_id), and
    bot_intervals, position_intervals and bb_per_100_interval() give bb/100 with its
    95% interval (README, "Statistics views")."""
    import duckdb

    from sim.reports.tables import csv_table, json_table, text_table
    from sim.store.dataset import Refused, read_only

    if as_csv and as_json:
        raise click.UsageError("choose one of --csv and --json.")
    con = open_runs(folders)
    try:
        cursor = read_only(con, sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except Refused as error:
        raise BadInput(f"the query was refused: {error}.") from error
    except duckdb.PermissionException as error:
        raise BadInput(f"the query was refused: {_one_line(error)}; sim query reads the runs' "
                       "own data only (it writes no file, reads no other, attaches, installs "
                       "and loads nothing, and changes no setting).") from error
    except duckdb.Error as error:
        raise BadInput(f"the query failed: {_one_line(error)}") from error
    finally:
        con.close()
    if as_csv:
        click.echo(csv_table(columns, rows), nl=False)
    elif as_json:
        click.echo(json_table(columns, rows))
    else:
        click.echo(text_table(columns, rows))


@main.command()
@FOLDERS
@click.option("--parquet", "out", type=OutputPath(folder=True), required=True,
              help="Folder of the Parquet dataset (Hive-partitioned by run).")
def export(folders: tuple[Path, ...], out: Path) -> None:
    """Write runs (run folders or folders of runs) as Parquet, one partition per run."""
    from sim.store.dataset import NoRuns
    from sim.store.export import export_parquet

    open_runs(folders).close()  # bad input and repeated runs said before anything is written
    try:
        with damaged(folders):
            written = export_parquet(folders, out)
    except NoRuns as error:
        raise BadInput(str(error)) from error
    click.echo(", ".join(f"{table} {rows:,}" for table, rows in written.items())
               + f" rows written to {out}")


@main.command()
@FOLDERS
@click.option("--html", "html_path", type=OutputPath(folder=False), default=None,
              help="Also write the plots and tables as one self-contained HTML file (needs "
                   "the plots extra).")
@click.option("--json", "as_json", is_flag=True,
              help="Print every table of the report as one JSON object (NaN as null).")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print bb/100 with its interval and the statistics per bot (position "
                   "empty) and per bot and position, as CSV.")
def report(folders: tuple[Path, ...], html_path: Path | None, as_json: bool,
           as_csv: bool) -> None:
    """Print the summary of one or more runs from their databases: throughput, per-bot
    results, coverage, failures. Each FOLDER is a run, a folder of runs, or a folder
    written by `sim export`."""
    from sim.reports.summary import as_json as json_of
    from sim.reports.summary import estimates_csv, read_sections, text
    from sim.reports.tables import dumps

    if as_csv and as_json:
        raise click.UsageError("choose one of --csv and --json.")
    con = open_runs(folders)
    try:
        with damaged(folders):
            found = read_sections(con)
            page = _html(con) if html_path is not None else None
    finally:
        con.close()
    if as_json:
        click.echo(dumps(json_of(found)))
    elif as_csv:
        click.echo(estimates_csv(found), nl=False)
    else:
        click.echo(text(found))
    if html_path is not None and page is not None:
        try:
            html_path.write_text(page)
        except OSError as error:
            raise BadInput(f"cannot write {html_path}: {error.strerror or error}.") from error
        click.echo(f"report: {html_path}", err=as_json or as_csv)


def _html(con: Any) -> str:
    from sim.reports.html import page

    try:
        return page(con)
    except RuntimeError as error:  # the plots extra is missing
        raise click.ClickException(str(error)) from error


def _one_line(error: BaseException) -> str:
    """DuckDB's message up to its excerpt of the SQL (``LINE 1: ...``), on one line."""
    return " ".join(str(error).split("\nLINE ")[0].split())
