"""Playing tables: a table's bots against the checked pipeline.

- ``settings``: ``RunSettings`` (what a run plays), its table plan and the command that
  plays it again.
- ``player``: ``TablePlayer`` / ``play_table``: schedules the bots of one table and sends
  their actions through the checked pipeline; a finding stops the table and is dumped.
- ``rows``: the subscriber that builds the store's rows as the table is played.
- ``task``: ``play_task``, what a worker runs (some tables of a run), and ``to_record``;
  ``record``: ``TableRecord``, what it hands back for each table.
- ``handdata``: what a researcher asks of a hand: position names (BTN, SB, BB, UTG ...
  CO) and the 169 starting-hand classes.

What the player calls at fixed points of a table (faults, the oracle, the watchdog) are
hooks, in ``sim.hooks``.
"""

from sim.runner.player import TableOutcome, TablePlayer, play_table
from sim.runner.settings import RunSettings, reproduce_command, table_plan

__all__ = ["RunSettings", "TableOutcome", "TablePlayer", "play_table", "reproduce_command",
           "table_plan"]
