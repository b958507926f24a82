"""``sim run`` and ``sim fuzz``: play tables, check every invariant after every dispatch."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sim import exits
from sim.cli import main
from sim.cli.params import (
    HandsType,
    backend_ready,
    completed,
    experiment_of,
    from_experiment,
    in_planted_copy,
    new_settings,
    resumed_settings,
    table_options,
    with_experiment,
)
from sim.finding import exit_code
from sim.limits import DUMPS_PER_SIGNATURE
from sim.reports.tables import plural

EXIT_STATUS = exits.help_text([exits.CLEAN, exits.FAILED, exits.USAGE, exits.CRASHED,
                               exits.LIVENESS, exits.INTERRUPTED])


def _where(workers: int, backend: str, scheduler: str | None) -> str:
    if scheduler is not None:
        return f"the Dask cluster at {scheduler}"
    return plural(workers, "worker") + (" (Dask)" if backend == "dask" else "")


def _worker_to_crash(faults: tuple[str, ...], workers: int, backend: str) -> None:
    """``--fault crash_worker`` kills a worker process; the pool with one worker plays in
    this process, where there is none to kill."""
    crash = [spec for spec in faults if spec.partition("=")[0] == "crash_worker"]
    if crash and backend == "pool" and workers == 1:
        raise click.UsageError(f"--fault {crash[0]} kills the worker process playing that "
                               "table, and with --workers 1 the tables are played in this "
                               "process, which it will not kill; use --workers 2 or more.")


@main.command()
@click.option("--hands", type=HandsType(), default="20000", show_default=True,
              help="Hands to play in all (1e6, 1_000_000 and 1000000 all work).")
@table_options
@click.option("--table", "only_table", type=click.IntRange(0), default=None,
              help="Play only this table of the run (same seed and hands): to chase a failure.")
@click.option("--resume", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Finish the interrupted run in this folder.")
@click.option("--config", "config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="An experiment file (TOML; see examples/): tables, stakes, "
                                 "stack depth, bot line-up. Options given here override it.")
@click.option("--bot", "plugin_bots", multiple=True, metavar="PACKAGE.MODULE:CLASS",
              help="Seat a bot of your own (a sim.bots.base.Bot subclass); repeatable.")
@click.option("--dumps-per-signature", type=click.IntRange(0), default=DUMPS_PER_SIGNATURE,
              show_default=True, help="Failure dumps kept per failure signature; the other "
                                      "failures keep their row in the failures table.")
def run(hands: int, seed: int | None, workers: int | None, out: Path | None,
        hands_per_table: int, planted: tuple[str, ...], invariants: str | None,
        oracle: str | None, faults: tuple[str, ...], hand_timeout: float, backend: str,
        scheduler: str | None, only_table: int | None, resume: Path | None,
        config: Path | None, plugin_bots: tuple[str, ...], dumps_per_signature: int) -> None:
    """Play HANDS hands on swarm-drawn tables (or an experiment's), checking every
    invariant after every dispatch.
    """
    from sim.backends import BackendUnavailable
    from sim.reports.console import print_summary
    from sim.run import run as run_all
    from sim.runner.settings import reproduce_command

    workers = backend_ready(backend, scheduler, workers)
    _worker_to_crash(faults, workers, backend)
    ctx = click.get_current_context()
    experiment = None
    if resume is not None:
        given = [param.opts[0] for param in ctx.command.params
                 if param.name in ("hands", "seed", "out", "hands_per_table", "planted",
                                   "invariants", "only_table", "faults", "oracle",
                                   "hand_timeout", "config", "plugin_bots")
                 and ctx.get_parameter_source(param.name or "")
                 is not click.core.ParameterSource.DEFAULT]
        if given:
            raise click.UsageError(f"--resume takes the run's settings from its database; "
                                   f"leave out {', '.join(given)}.")
        settings, out = resumed_settings(resume)
        done = completed(resume, settings)
        if done is not None:
            click.echo(done[0])
            sys.exit(done[1])
    else:
        experiment = experiment_of(config, plugin_bots)
        if experiment is not None:
            hands, seed, hands_per_table = from_experiment(ctx, experiment, hands, seed,
                                                           hands_per_table)
        settings, out = new_settings(hands, seed, out, hands_per_table, planted, invariants,
                                     only_table, faults, oracle, hand_timeout)
    # Before anything is written: the copy runs this command again, and draws its own seed
    # and run folder when they were not given.
    in_planted_copy(settings.planted, scheduler)
    if experiment is not None:
        settings = with_experiment(settings, experiment, out)
    command = reproduce_command(settings, workers, out)
    click.echo(f"sim run: seed {settings.seed}, {settings.hands:,} hands, "
               f"{_where(workers, backend, scheduler)}, out {out}")
    click.echo(f"reproduce: {command}")
    try:
        summary = run_all(settings, out, workers, command, resume=resume is not None,
                          backend=backend, scheduler=scheduler,
                          dumps_per_signature=dumps_per_signature)
    except BackendUnavailable as error:
        raise click.UsageError(str(error)) from error
    print_summary(summary, command)
    sys.exit(exit_code(summary.kinds(), summary.interrupted))


run.help = (run.help or "") + "\n" + EXIT_STATUS


@main.command()
@click.option("--minutes", type=click.FloatRange(0.05, 24 * 60), default=None,
              help="Time budget: choose no new table after it (the tables in flight finish).")
@click.option("--tables", type=click.IntRange(1, 10**8), default=None,
              help="Play exactly this many tables instead: what the printed command of a "
                   "timed fuzz uses to play the same tables again.")
@table_options
@click.option("--shrink-seconds", type=click.FloatRange(0.1, 3600), default=30.0,
              show_default=True, help="Time to shrink each bug's repro after the fuzz.")
@click.option("--keep-hands", type=click.Choice(["failing", "all"]), default="failing",
              show_default=True, help="Whose hand rows the fuzz stores: the failing tables' "
                                      "(enough to replay, shrink and export them) or all.")
@click.option("--dumps-per-signature", type=click.IntRange(0), default=DUMPS_PER_SIGNATURE,
              show_default=True, help="Failure dumps kept per failure signature; the other "
                                      "failures keep their row in the failures table.")
def fuzz(minutes: float | None, tables: int | None, seed: int | None, workers: int | None,
         out: Path | None, hands_per_table: int, planted: tuple[str, ...],
         invariants: str | None, oracle: str | None, faults: tuple[str, ...],
         hand_timeout: float, backend: str, scheduler: str | None,
         shrink_seconds: float, keep_hands: str, dumps_per_signature: int) -> None:
    """Fuzz until the time budget is spent: swarm-drawn tables, steered toward the rule
    edges reached least, every invariant after every dispatch, and the engine faults of
    README ("Faults injected on purpose") at their fuzz rates unless --fault says otherwise
    (--fault none: no fault); then one row per bug (failure signature), each with a shrunk
    repro that `sim replay` reproduces.
    """
    from sim.backends import BackendUnavailable
    from sim.failures.triage import COLUMNS, rows
    from sim.fuzz.loop import fuzz as run_fuzz
    from sim.hooks.faults import FUZZ_FAULTS
    from sim.reports.console import print_summary
    from sim.reports.tables import text_table

    if (minutes is None) == (tables is None):
        raise click.UsageError("give one of --minutes (a time budget) and --tables (a table "
                               "count, to play a fuzz again).")
    workers = backend_ready(backend, scheduler, workers)
    _worker_to_crash(faults, workers, backend)
    if not faults:  # the engine faults a fuzz injects unless told otherwise
        faults = tuple(fault.spec() for fault in FUZZ_FAULTS)
    elif faults == ("none",):
        faults = ()
    settings, out = new_settings(hands_per_table, seed, out, hands_per_table, planted,
                                 invariants, None, faults, oracle, hand_timeout)
    in_planted_copy(settings.planted, scheduler)
    budget = (f"{minutes:g} minute{'' if minutes == 1 else 's'}" if minutes is not None
              else plural(tables or 0, "table"))
    click.echo(f"sim fuzz: seed {settings.seed}, {budget}, "
               f"{_where(workers, backend, scheduler)}, out {out}")
    try:
        result = run_fuzz(settings, out, workers, minutes, tables, backend, scheduler,
                          shrink_seconds, keep_hands=keep_hands,
                          dumps_per_signature=dumps_per_signature)
    except BackendUnavailable as error:
        raise click.UsageError(str(error)) from error
    print_summary(result.summary, result.command)
    if result.bugs:
        click.echo(f"bugs: {len(result.bugs)} (one per signature; shrunk repros in "
                   f"{out / 'shrunk'})")
        click.echo(text_table(list(COLUMNS), rows(result.bugs)))
    summary = result.summary
    sys.exit(exit_code(summary.kinds(), summary.interrupted))


fuzz.help = (fuzz.help or "") + "\n" + EXIT_STATUS
