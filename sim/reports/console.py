"""Printing a run's summary at the end of `sim run` (the database report is in summary.py)."""

from __future__ import annotations

import click

from sim.reports.tables import plural
from sim.run import RunSummary
from sim.runner.record import TableRecord


def print_summary(summary: RunSummary, command: str) -> None:
    s = summary
    state = "INTERRUPTED after" if s.interrupted else "played"
    click.echo(f"{state} {plural(s.hands, 'hand')} on {plural(s.tables, 'table')} in "
               f"{s.seconds:.1f} s "
               f"({s.hands_per_s:,.0f} hands/s), seed {s.settings.seed}")
    click.echo(f"  dispatches {s.dispatches:,}, invariant checks {s.checks:,}, chaos actions "
               f"rejected {s.rejected:,}, tables stalled {s.stalled:,}")
    reached = [name for name, count in s.coverage.items() if count]
    click.echo(f"  coverage: {len(reached)}/{len(s.coverage)} points reached")
    for name, count in sorted(s.coverage.items()):
        click.echo(f"    {name:<28} {count:>10,}")
    missing = s.missing_coverage()
    if missing:
        click.echo(f"  never reached: {', '.join(missing)}")
    # One line per bug (failure signature): its first table, and how many tables it broke.
    first: dict[str | None, tuple[TableRecord, int]] = {}
    for record in sorted(s.failures, key=lambda r: r.table_id):
        seen = first.get(record.signature)
        first[record.signature] = (seen[0], seen[1] + 1) if seen else (record, 1)
    click.echo(f"  failures: {len(s.failures):,}, bugs (signatures): {len(first)}")
    if s.earlier:
        click.echo(f"  and {plural(len(s.earlier), 'failure')} stored before this --resume "
                   f"(sim triage {s.out})")
    for record, count in first.values():
        finding = record.finding
        assert finding is not None
        hand = finding.hand_no if finding.hand_no is not None else "-"
        also = f" (and {plural(count - 1, 'more table')})" if count > 1 else ""
        click.echo(f"    table {record.table_id} hand {hand}{also}: {finding}")
        if record.replay_command:
            click.echo(f"      replay: {record.replay_command}")
    if s.checked is not None:
        for line in s.checked.lines():
            click.echo(f"  {line}")
    if s.interrupted:
        click.echo(f"  stopped early: {s.tables:,} of {s.planned_tables:,} tables stored; "
                   f"finish with: sim run --resume {s.out}")
    if s.out is not None:
        click.echo(f"  stats: {s.out / 'stats.duckdb'}; try: sim report {s.out}")
    click.echo(f"reproduce: {command}")
