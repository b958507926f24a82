"""``sim query`` and ``sim report``: a run's database, read."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli import main


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
