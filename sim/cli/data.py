"""``sim query``, ``sim export`` and ``sim report``: runs' databases, read."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli import main


@main.command()
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list of objects).")
def query(folders: tuple[Path, ...], sql: str, as_csv: bool, as_json: bool) -> None:
    """Run SQL (read-only) over one or more runs and print the result.

    Each FOLDER is a run, a folder of runs, or a folder written by `sim export`; the
    tables and the statistics views span them all (every row carries its run_id)."""
    import duckdb

    from sim.reports.tables import csv_table, json_table, text_table
    from sim.store.dataset import NoRuns, open_dataset

    if as_csv and as_json:
        raise click.UsageError("choose one of --csv and --json.")
    try:
        con = open_dataset(folders)
    except NoRuns as error:
        raise click.BadParameter(str(error), param_hint="FOLDERS") from error
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
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--parquet", "out", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder of the Parquet dataset (Hive-partitioned by run).")
def export(folders: tuple[Path, ...], out: Path) -> None:
    """Write runs (run folders or folders of runs) as Parquet, one partition per run."""
    from sim.store.dataset import NoRuns
    from sim.store.export import export_parquet

    try:
        written = export_parquet(folders, out)
    except NoRuns as error:
        raise click.BadParameter(str(error), param_hint="FOLDERS") from error
    click.echo(", ".join(f"{table} {rows:,}" for table, rows in written.items())
               + f" rows written to {out}")


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the plots as one self-contained HTML file "
                                 "(needs the plots extra).")
def report(folder: Path, html_path: Path | None) -> None:
    """Print a run's summary from its database: throughput, per-bot results, coverage."""
    from sim.reports.summary import report as build

    try:
        click.echo(build(folder))
        if html_path is not None:
            from sim.reports.html import html_report

            html_path.write_text(html_report(folder))
            click.echo(f"report: {html_path}")
    except (FileNotFoundError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error
