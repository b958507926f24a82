"""The bots that play the engine, and the swarm that seats them.

    >>> from sim.bots import BOT_KINDS, TableSpec, draw_table, make_bot
    >>> spec = draw_table(run_seed=1, table_id=0)
    >>> bots = {seat: make_bot(kind, name) for seat, kind, name, _ in spec.bots}
"""

from sim.bots.swarm import BOT_KINDS, TableSpec, draw_fuzz_table, draw_table, make_bot

__all__ = ["BOT_KINDS", "TableSpec", "draw_fuzz_table", "draw_table", "make_bot"]
