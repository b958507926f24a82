"""``sim check-phh`` and ``sim export-phh``: hand histories in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sim import exits
from sim.cli import main
from sim.cli.params import BadInput, OutputPath, in_planted_copy, stored_run


@main.command(name="check-phh")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="End with the counts as one JSON object on the last line.")
def check_phh(paths: tuple[Path, ...], as_json: bool) -> None:
    """Replay the no-limit hold'em hands of PHH files (.phh, .phhs; folders recursively)
    through the engine with every invariant on. Exit 0 when nothing was rejected or
    mismatched, 1 otherwise, 2 on a file that is not PHH or paths that hold no hand."""
    import json

    from sim.outside.check import report_for

    found, problem = report_for(paths)
    if found is None:
        click.echo(problem, err=True)
        sys.exit(exits.USAGE)
    for line in found.lines():
        click.echo(line)
    if as_json:
        click.echo(json.dumps(found.counts()))
    sys.exit(found.exit_code())



@main.command(name="export-phh")
@click.argument("run", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("out", type=OutputPath(folder=False))
@click.option("--where", default=None,
              help="One SQL condition on the hands table, e.g. \"pot > 100\" (default: all); "
                   "it filters hands and runs nothing else.")
def export_phh(run: Path, out: Path, where: str | None) -> None:
    """Write a run's stored hands as a PHH collection (.phhs) for PokerKit or any PHH tool."""
    from sim.outside.export import export_run

    if (run / "stats.duckdb").is_file():  # its hands are rebuilt with its planted bugs
        in_planted_copy(stored_run(run)["planted_bugs"] or ())
    try:
        written, left_out = export_run(run, where, out)
    except ValueError as error:
        raise BadInput(str(error)) from error
    except OSError as error:
        raise BadInput(f"cannot write {out}: {error.strerror or error}.") from error
    click.echo(f"wrote {written} hands to {out}"
               + (f"; {left_out} left out (live posts PHH cannot describe, or hands this "
                  "engine does not rebuild from the store)" if left_out else ""))
