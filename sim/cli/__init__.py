"""The ``sim`` command line. Thin: each command parses options and calls the library.

- ``params``: what several commands share: parameter types, the options of a run (one
  decorator), turning them into settings, the bad-input error (exit 2).
- ``play``: ``sim run`` and ``sim fuzz``.
- ``failures``: ``sim replay``, ``sim triage``, ``sim bugs``.
- ``data``: ``sim query`` and ``sim report``.
- ``outside``: ``sim check-phh`` and ``sim export-phh``.
"""

from __future__ import annotations

import click


class Sim(click.Group):
    """The command group; it keeps the command line it was given (``ctx.meta["argv"]``),
    so a command can run itself again elsewhere (in the copy of the package that carries
    its planted bugs: ``sim.cli.params.in_planted_copy``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["argv"] = list(args)
        return super().parse_args(ctx, args)


@click.group(cls=Sim)
@click.version_option(package_name="sim")
def main() -> None:
    """A fuzz-testing harness around an event-sourced no-limit hold'em engine.

    \b
    Exit codes, the same for every command that plays or replays hands (when several
    kinds of failure occur, the most severe wins: 3, then 4, then 1):
      0    clean
      1    an invariant failed (or the engine refused a legal action, or a run-level
           statistical check failed)
      2    usage error or bad input
      3    the engine or the harness raised an exception (or a worker process died)
      4    liveness: a hand or a table did not end
      130  interrupted (Ctrl-C) with no failure so far"""


# The commands register themselves on ``main`` when their modules are imported.
from sim.cli import data, failures, outside, play  # noqa: E402, F401

__all__ = ["main"]
